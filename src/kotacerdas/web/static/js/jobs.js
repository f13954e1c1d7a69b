// Follows the background jobs shown on a page (rows with data-job-url): while one is queued or running,
// asks the API for it every two seconds and updates its progress; reloads the page when one ends.
// window.kcJobs.start(form, url, rowParent, onEnd) sends a form to an API route that answers 202 with a job,
// shows the job as a row and follows it; onEnd(job) is called when it is done or failed (default: reload).
// Uploads go with the page's session cookie and its CSRF token (X-CSRF-Token, from <meta name="csrf-token">).
(function () {
  "use strict";
  var followed = [];
  var timer = null;
  function live() { return followed.filter(function (f) { return ["queued", "running"].indexOf(f.row.dataset.status) >= 0; }); }
  function text(row, sel, value) { var e = row.querySelector(sel); if (e) { e.textContent = value; } }
  function update(f, job) {
    var bar = f.row.querySelector("progress");
    if (bar) { bar.value = job.progress; }
    text(f.row, ".job-message", job.message || "");
    var badge = f.row.querySelector(".badge");
    if (badge && job.status !== f.row.dataset.status) {
      badge.className = "badge badge-" + job.status;
      badge.textContent = (f.row.dataset["label" + job.status.charAt(0).toUpperCase() + job.status.slice(1)] || job.status);
    }
    var ended = job.status !== f.row.dataset.status && (job.status === "done" || job.status === "failed");
    f.row.dataset.status = job.status;
    if (ended) { (f.onEnd || function () { window.location.reload(); })(job, f.row); }
  }
  function poll() {
    timer = null;
    var pending = live().map(function (f) {
      return fetch(f.row.dataset.jobUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (job) { if (job) { update(f, job); } })
        .catch(function () { /* offline for a moment: try again at the next tick */ });
    });
    Promise.all(pending).then(function () { if (live().length && !timer) { timer = window.setTimeout(poll, 2000); } });
  }
  function follow(row, onEnd) {
    followed.push({ row: row, onEnd: onEnd });
    if (!timer) { timer = window.setTimeout(poll, 1000); }
  }
  function csrf() { var m = document.querySelector("meta[name=csrf-token]"); return m ? m.content : ""; }
  function start(form, url, list, onEnd) {
    var labels = list.dataset;
    var row = document.createElement("li");
    row.className = "job-row";
    row.dataset.status = "queued";
    Object.keys(labels).forEach(function (k) { if (k.indexOf("label") === 0) { row.dataset[k] = labels[k]; } });
    row.innerHTML = "<span class='badge badge-queued'>" + (labels.labelQueued || "queued") + "</span> <progress max='1' value='0'></progress> " +
      "<span class='job-message'>" + (labels.labelSending || "") + "</span> <span class='job-result'></span>";
    list.prepend(row);
    var body = new FormData(form);
    return fetch(url, { method: "POST", body: body, credentials: "same-origin",
                        headers: { Accept: "application/json", "Accept-Language": document.documentElement.lang, "X-CSRF-Token": csrf() } })
      .then(function (r) { return r.json().then(function (d) { return { ok: r.ok, status: r.status, data: d }; }); })
      .then(function (res) {
        if (!res.ok) {
          row.dataset.status = "failed";
          row.querySelector(".badge").className = "badge badge-failed";
          row.querySelector(".badge").textContent = labels.labelFailed || "failed";
          text(row, ".job-message", (res.data && res.data.detail) || String(res.status));
          if (onEnd) { onEnd({ status: "failed", error: res.data }, row); }
          return;
        }
        row.dataset.jobUrl = res.data.url;
        row.dataset.jobId = res.data.id;
        text(row, ".job-message", res.data.message || "");
        update({ row: row, onEnd: onEnd }, res.data);
        if (["queued", "running"].indexOf(res.data.status) >= 0) { follow(row, onEnd); } else { row.dataset.status = res.data.status; }
      })
      .catch(function () {
        row.dataset.status = "failed";
        text(row, ".job-message", labels.labelOffline || "offline");
      });
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-job-url]"), function (row) { follow(row); });
  window.kcJobs = { follow: follow, start: start };
})();
