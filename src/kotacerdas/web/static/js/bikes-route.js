// A cycling route's page: the Leaflet map with the route line, numbered stops and stations (the overlays draw even
// when the tile server cannot be reached), print, and copying the link to share. The data is in the page.
(function () {
  "use strict";
  var root = document.getElementById("route-page");
  if (!root) { return; }
  var data = JSON.parse(document.getElementById("route-data").textContent || "{}");
  var TEXTS = data.texts || {};
  var LANG = root.dataset.lang || "id";
  function t(m) { return TEXTS[m] || m; }
  function name(v) { return v && typeof v === "object" ? (v[LANG] || v.id || v.en || "") : (v || ""); }
  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }
  var tour = data.tour;
  if (window.L && tour && document.getElementById("route-map")) {
    var map = L.map("route-map", { scrollWheelZoom: false });
    if (root.dataset.tiles) {
      L.tileLayer(root.dataset.tiles, { maxZoom: 19, attribution: root.dataset.attribution || "" }).addTo(map);
    }
    var line = (tour.geometry.coordinates || []).map(function (c) { return [c[1], c[0]]; });
    var layers = [];
    if (line.length > 1) {
      layers.push(L.polyline(line, { color: "#ffffff", weight: 9, opacity: 0.9 }).addTo(map));
      layers.push(L.polyline(line, { color: "#e06e14", weight: 5, className: "route-line" }).addTo(map));
    }
    (tour.stations_on_way || []).forEach(function (s) {
      L.circleMarker([s.lat, s.lon], { radius: 6, color: "#fff", weight: 2, fillColor: "#195ac8", fillOpacity: 1 })
        .bindTooltip(t("Station") + ": " + esc(name(s.name))).addTo(map);
    });
    // a place off the network is joined to the route by a dashed line: the last metres on foot or off-road, from
    // the junction the plan reaches it from (network_point) or, in a plan saved before that, the nearest point
    function connector(s) {
      if (line.length < 2) { return; }
      var here = L.latLng(s.lat, s.lon);
      var best = null;
      var bestD = Infinity;
      if (s.network_point) {
        best = L.latLng(s.network_point[1], s.network_point[0]);
        bestD = here.distanceTo(best);
      } else {
        line.forEach(function (p) {
          var d = here.distanceTo(p);
          if (d < bestD) { bestD = d; best = p; }
        });
      }
      if (best && bestD > 40) {
        L.polyline([here, best], { color: "#555", weight: 2, dashArray: "4 5", className: "route-approach" }).addTo(map);
      }
    }
    (tour.stops || []).forEach(function (s) {
      if (s.lat === undefined || s.lat === null) { return; }
      connector(s);
      var cls = "stop-marker " + s.kind;
      // stations sit up and right of their point, so a stop at the same place stays visible beside them
      var anchor = s.kind === "destination" ? [14, 14] : [4, 24];
      var icon = L.divIcon({ className: cls, html: "<span>" + s.number + "</span>", iconSize: [28, 28], iconAnchor: anchor });
      var label = (s.kind === "start" ? t("Start") + ": " : s.kind === "end" ? t("Return station") + ": " : "") +
        name(s.name) + " · " + s.arrive;
      // a place above the stations drawn at the same spot (the return station is often beside the last stop)
      var z = s.kind === "destination" ? 1000 : 0;
      layers.push(L.marker([s.lat, s.lon], { icon: icon, title: label, zIndexOffset: z }).bindPopup(esc(label))
        .addTo(map));
    });
    var group = L.featureGroup(layers);
    if (layers.length) { map.fitBounds(group.getBounds().pad(0.12)); } else { map.setView([-8.2, 114.37], 13); }
  }
  var print = document.getElementById("print-route");
  if (print) { print.addEventListener("click", function () { window.print(); }); }
  var copy = document.getElementById("copy-link");
  var input = document.getElementById("share-url");
  var status = document.getElementById("share-status");
  if (copy && input) {
    copy.addEventListener("click", function () {
      input.select();
      var done = function () { status.textContent = t("Link copied"); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(input.value).then(done, function () { status.textContent = t("Copy this link"); });
      } else {
        try { document.execCommand("copy"); done(); } catch (e) { status.textContent = t("Copy this link"); }
      }
    });
  }
})();
