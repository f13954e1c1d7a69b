// Road Manager staff screen: uploads a survey, a calibration or the road network to the API, which answers 202
// with a background job; the job is shown with its progress (jobs.js) and, once done, with a link to what it made.
// Registering a vehicle is a JSON call. Every call goes with the page's session cookie and its CSRF token.
(function () {
  "use strict";
  var root = document.getElementById("roads-manage");
  if (!root || !window.kcJobs) { return; }
  var city = root.dataset.city;
  var base = "/api/v1/roads/cities/" + encodeURIComponent(city);
  var lang = document.documentElement.lang;
  function csrf() { var m = document.querySelector("meta[name=csrf-token]"); return m ? m.content : ""; }
  function done(job, row) {
    var out = row.querySelector(".job-result");
    if (!out) { return; }
    if (job.status === "failed") {
      var err = job.error || {};
      row.querySelector(".job-message").textContent = err.detail || "";
      if (err.errors && err.errors.length) {
        out.innerHTML = "";
        var list = document.createElement("ul");
        err.errors.slice(0, 10).forEach(function (e) { var li = document.createElement("li"); li.textContent = e.detail; list.appendChild(li); });
        out.appendChild(list);
      }
      return;
    }
    var r = job.result || {};
    if (r.survey_id) {
      var a = document.createElement("a");
      a.href = "/roads/manage/surveys/" + r.survey_id + "?city=" + encodeURIComponent(city);
      a.textContent = root.dataset.labelReport || "→";
      a.className = "survey-report-link";
      out.appendChild(a);
    } else {
      window.setTimeout(function () { window.location.reload(); }, 600);
    }
  }
  function upload(formId, listId, url) {
    var form = document.getElementById(formId);
    var list = document.getElementById(listId);
    if (!form || !list) { return; }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      window.kcJobs.start(form, typeof url === "function" ? url(form) : url, list, done);
    });
  }
  upload("survey-form", "survey-jobs", base + "/surveys");
  upload("calibration-form", "calibration-jobs", function (form) {
    return base + "/vehicles/" + encodeURIComponent(form.elements.namedItem("vehicle_id").value) + "/calibration";
  });
  upload("network-form", "network-jobs", "/api/v1/cities/" + encodeURIComponent(city) + "/network");
  var vehicle = document.getElementById("vehicle-form");
  if (vehicle) {
    vehicle.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var msg = document.getElementById("vehicle-msg");
      fetch(base + "/vehicles", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "Accept-Language": lang, "X-CSRF-Token": csrf() },
        body: JSON.stringify({ id: vehicle.elements.namedItem("id").value.trim(), name: vehicle.elements.namedItem("name").value.trim() })
      }).then(function (r) { return r.json().then(function (d) { return { ok: r.ok, data: d }; }); })
        .then(function (res) {
          if (!res.ok) { msg.hidden = false; msg.className = "form-msg error"; msg.textContent = res.data.detail || ""; return; }
          window.location.reload();
        }).catch(function () { msg.hidden = false; msg.className = "form-msg error"; msg.textContent = "…"; });
    });
  }
})();
