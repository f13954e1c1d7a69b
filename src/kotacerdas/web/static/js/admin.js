// City administration: sends an admin-area GeoJSON file to the API, which answers 202 with a background job; the
// job is shown with its progress (jobs.js) and each bad area it names; the page reloads when the import is done.
(function () {
  "use strict";
  var root = document.getElementById("admin");
  var form = document.getElementById("areas-form");
  var list = document.getElementById("areas-jobs");
  if (!root || !form || !list || !window.kcJobs) { return; }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var skip = document.getElementById("areas-skip").checked ? "?skip_invalid=true" : "";
    window.kcJobs.start(form, "/api/v1/cities/" + encodeURIComponent(root.dataset.city) + "/admin-areas" + skip, list, function (job, row) {
      if (job.status === "done") { window.setTimeout(function () { window.location.reload(); }, 800); return; }
      var err = job.error || {};
      var out = row.querySelector(".job-result");
      row.querySelector(".job-message").textContent = err.detail || "";
      if (out && err.errors && err.errors.length) {
        var ul = document.createElement("ul");
        err.errors.slice(0, 20).forEach(function (e) { var li = document.createElement("li"); li.textContent = e.detail; ul.appendChild(li); });
        out.appendChild(ul);
      }
    });
  });
})();
