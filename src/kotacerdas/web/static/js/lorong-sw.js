// Service worker of the Lorong Wisata report form: keeps the form, its script and style for use without a network.
// Served as /lorong/sw.js (scope /lorong/). Only GET requests of these pages are cached; the API is never cached.
"use strict";
var CACHE = "lorong-report-v1";
var KEEP = ["/static/css/app.css", "/static/css/lorong-pages.css", "/static/js/lorong-report.js"];
self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(KEEP); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (e) { e.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (e) {
  var url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.origin !== location.origin) { return; }
  var isForm = url.pathname === "/lorong/report";
  var isAsset = KEEP.indexOf(url.pathname) >= 0;
  if (!isForm && !isAsset) { return; }
  // Network first (fresh values and status), the kept copy when the network is gone.
  e.respondWith(fetch(e.request).then(function (resp) {
    if (resp.ok) { var copy = resp.clone(); caches.open(CACHE).then(function (c) { c.put(e.request, copy); }); }
    return resp;
  }).catch(function () { return caches.match(e.request); }));
});
