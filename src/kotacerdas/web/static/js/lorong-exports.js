// The dashboard's Excel and PDF buttons: start the export job, follow it, then download the file it made.
(function () {
  "use strict";
  var status = document.getElementById("export-status");
  var csrf = (document.querySelector("meta[name=kc-csrf]") || {}).content || "";
  function say(text, kind) { if (status) { status.textContent = text; status.dataset.kind = kind || ""; } }
  function follow(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (job) {
      if (job.status === "done") { return job; }
      if (job.status === "failed") { throw new Error(job.error ? job.error.detail : "failed"); }
      return new Promise(function (ok) { setTimeout(ok, 700); }).then(function () { return follow(url); });
    });
  }
  document.querySelectorAll("button.export").forEach(function (button) {
    button.addEventListener("click", function () {
      button.disabled = true;
      say(status.dataset.preparing);
      fetch(button.dataset.url, { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf } })
        .then(function (r) { return r.json().then(function (j) { if (r.status !== 202) { throw new Error(j.detail || r.status); } return j; }); })
        .then(function (job) { return follow(job.url); })
        .then(function (job) { say(status.dataset.ready, "ok"); status.dataset.download = job.result.download; location.href = job.result.download; })
        .catch(function (err) { say(status.dataset.failed + " " + err.message, "error"); })
        .finally(function () { button.disabled = false; });
    });
  });
})();
