// Follows the background jobs shown on a page (rows with data-job-url): while one is queued or running,
// asks the API for it every two seconds and updates its progress; reloads the page when one ends.
(function () {
  "use strict";
  const rows = Array.from(document.querySelectorAll("[data-job-url]"));
  const live = () => rows.filter((r) => ["queued", "running"].includes(r.dataset.status));
  if (!live().length) return;
  async function poll() {
    let ended = false;
    for (const row of live()) {
      try {
        const r = await fetch(row.dataset.jobUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (!r.ok) continue;
        const job = await r.json();
        const bar = row.querySelector("progress");
        if (bar) bar.value = job.progress;
        const msg = row.querySelector(".job-message");
        if (msg) msg.textContent = job.message || "";
        if (job.status !== row.dataset.status) {
          row.dataset.status = job.status;
          ended = ended || job.status === "done" || job.status === "failed";
        }
      } catch (e) {
        // offline for a moment: try again at the next tick
      }
    }
    if (ended) window.location.reload();
    else if (live().length) window.setTimeout(poll, 2000);
  }
  window.setTimeout(poll, 1000);
})();
