// The coordinator's report form on a phone. Every report is first kept on the phone (IndexedDB: the values,
// the evidence photos and a key made once per report), then sent to the API when the network is there: at
// once, when the network comes back ("online"), or when the page is opened again. The key makes a send that
// is repeated (the connection dropped after the server saved it) count once.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var statusEl = document.getElementById("form-status");
  var netEl = document.getElementById("net-status");
  var pendingEl = document.getElementById("pending");
  var csrf = (document.querySelector("meta[name=kc-csrf]") || {}).content || "";
  var DB = "kotacerdas-lorong", STORE = "drafts";

  if ("serviceWorker" in navigator) { navigator.serviceWorker.register("/lorong/sw.js", { scope: "/lorong/" }).catch(function () {}); }

  function db() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "id" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(STORE, mode), out = fn(t.objectStore(STORE));
        t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function all() { return tx("readonly", function (s) { return s.getAll(); }); }
  function put(d) { return tx("readwrite", function (s) { s.put(d); }); }
  function remove(id) { return tx("readwrite", function (s) { s.delete(id); }); }
  function uuid() { return (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2)); }

  function say(text, kind) { statusEl.textContent = text; statusEl.dataset.kind = kind || ""; }
  function showNet() {
    var on = navigator.onLine;
    netEl.textContent = on ? netEl.dataset.online : netEl.dataset.offline;
    netEl.dataset.state = on ? "online" : "offline";
  }

  function collect(submit) {
    var values = {}, photos = [];
    form.querySelectorAll("input[data-indicator]").forEach(function (i) { if (i.value !== "") { values[i.dataset.indicator] = Number(i.value); } });
    form.querySelectorAll("input[data-photo-for]").forEach(function (i) {
      if (i.files && i.files[0]) { photos.push({ indicator: i.dataset.photoFor, name: i.files[0].name, blob: i.files[0] }); }
    });
    var id = form.dataset.unit + ":" + form.dataset.period;
    return { id: id, unit: form.dataset.unit, period: form.dataset.period, values: values, photos: photos, submit: submit, key: uuid(), savedAt: new Date().toISOString() };
  }

  function send(d) {
    var body = JSON.stringify({ period: d.period, values: d.values, submit: d.submit, client_key: d.key });
    return fetch("/api/v1/lorong/units/" + d.unit + "/reports", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: body
    }).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) { var e = new Error(j.detail || r.status); e.final = r.status < 500; throw e; } return j; });
    }).then(function (report) {
      var chain = Promise.resolve();
      d.photos.forEach(function (p) {
        chain = chain.then(function () {
          var fd = new FormData();
          fd.append("file", p.blob, p.name || "photo.jpg");
          fd.append("indicator", p.indicator);
          return fetch("/api/v1/lorong/reports/" + report.id + "/photos", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf }, body: fd })
            .then(function (r) { if (!r.ok) { return r.json().then(function (j) { var e = new Error(j.detail || r.status); e.final = r.status < 500; throw e; }); } });
        });
      });
      return chain.then(function () { return report; });
    });
  }

  function render() {
    return all().then(function (items) {
      pendingEl.innerHTML = "";
      if (!items.length) { var li = document.createElement("li"); li.className = "empty"; li.textContent = pendingEl.dataset.empty; pendingEl.appendChild(li); }
      items.forEach(function (d) {
        var li = document.createElement("li");
        li.dataset.draft = d.id;
        li.textContent = d.period + " · " + form.dataset.labelValues.replace("{n}", Object.keys(d.values).length) + " · " + (d.submit ? form.dataset.labelPending : form.dataset.labelDraft) + (d.error ? " · " + d.error : "");
        pendingEl.appendChild(li);
      });
      form.dataset.pending = String(items.length);
    });
  }

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) { return Promise.resolve(); }
    flushing = true;
    return all().then(function (items) {
      var chain = Promise.resolve();
      items.filter(function (d) { return d.submit; }).forEach(function (d) {
        chain = chain.then(function () {
          say(form.dataset.labelSending);
          return send(d).then(function () {
            // on the server now: off the phone's list first, then "sent", so the message and the list agree
            form.dataset.sent = d.id;
            return remove(d.id).then(render).then(function () { say(form.dataset.labelSent, "ok"); });
          }, function (err) {
            if (err.final) { d.error = err.message; d.submit = false; say(form.dataset.labelFailed + " " + err.message, "error"); return put(d); }
            say(form.dataset.labelSaved, "saved");
          });
        });
      });
      return chain;
    }).then(render).finally(function () { flushing = false; });
  }

  function restore() {
    return all().then(function (items) {
      var d = items.filter(function (x) { return x.id === form.dataset.unit + ":" + form.dataset.period; })[0];
      if (!d) { return; }
      Object.keys(d.values).forEach(function (code) { var i = document.getElementById("v-" + code); if (i) { i.value = d.values[code]; } });
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var d = collect(true);
    put(d).then(render).then(function () { say(form.dataset.labelSaved, "saved"); }).then(flush);
  });
  document.getElementById("save-draft").addEventListener("click", function () {
    var d = collect(false);
    put(d).then(render).then(function () { say(form.dataset.labelSaved, "saved"); });
  });
  window.addEventListener("online", function () { showNet(); flush(); });
  window.addEventListener("offline", showNet);
  showNet();
  restore().then(render).then(flush);
})();
