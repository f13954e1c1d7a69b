// Lorong Wisata maps: the directory (units as GeoJSON from /api/v1/lorong/units) and one unit's own line or polygon.
// The overlays do not depend on the base-map tiles: they draw even when tiles cannot load.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  function base(el) {
    var map = L.map(el, { zoomSnap: 0.25 });  // a city fills a phone-sized map too
    var c = (el.dataset.center || "").split(",").map(Number);
    if (c.length === 2 && !isNaN(c[0]) && !isNaN(c[1])) { map.setView(c, 13); } else { map.setView([-5.14, 119.43], 13); }
    if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map); }
    return map;
  }
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (ch) { return "&#" + ch.charCodeAt(0) + ";"; }); }
  // The city's kecamatan under the lorong, faint and named (map-labels.js), so that a visitor sees where each lorong
  // lies even when no base-map tiles load; drawn in a pane of their own below the lorong, which stay clickable.
  function districts(map, el) {
    map.createPane("kc-districts");
    map.getPane("kc-districts").style.zIndex = 350;
    map.getPane("kc-districts").style.pointerEvents = "none";
    fetch("/api/v1/admin-areas?city=" + encodeURIComponent(el.dataset.city) + "&level=district&limit=1000",
      { headers: { Accept: "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (fc) {
        var layer = L.geoJSON(fc, {
          pane: "kc-districts",
          interactive: false,
          style: function () { return { color: "#6f7f84", weight: 1, dashArray: "4 3", fillColor: "#ffffff", fillOpacity: 0.45 }; },
          onEachFeature: function (f, lyr) {
            lyr.bindTooltip(esc(f.properties.name), { permanent: true, direction: "center", className: "kc-area-label kc-district-label" });
          }
        }).addTo(map);
        if (window.kcAreaLabels) { window.kcAreaLabels(map, layer, el); }
        el.dataset.districts = String(fc.features.length);
      })
      .catch(function () { el.dataset.districts = "error"; });
  }
  var dir = document.getElementById("lorong-map");
  if (dir) {
    var map = base(dir);
    districts(map, dir);
    var status = document.getElementById("map-status");
    var q = new URLSearchParams({ city: dir.dataset.city, programme: dir.dataset.programme, limit: "1000" });
    if (dir.dataset.theme) { q.set("theme", dir.dataset.theme); }
    if (dir.dataset.q) { q.set("q", dir.dataset.q); }
    fetch("/api/v1/lorong/units?" + q.toString(), { headers: { Accept: "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (fc) {
        var layer = L.geoJSON(fc, {
          style: function () { return { color: "#b5651d", weight: 5, opacity: 0.9, fillOpacity: 0.25 }; },
          onEachFeature: function (f, lyr) {
            var p = f.properties;
            lyr.bindPopup("<strong>" + esc(p.name) + "</strong><br>" + esc(p.kelurahan) + (p.grade ? " · " + esc(p.grade) : "") +
              "<br><a href=\"" + esc(p.page) + "\">" + esc(dir.dataset.labelOpen) + "</a>");
            lyr.on("add", function () { var e = lyr.getElement && lyr.getElement(); if (e) { e.classList.add("kc-unit"); } });
          }
        }).addTo(map);
        if (fc.features.length) { map.fitBounds(layer.getBounds(), { padding: [12, 12], maxZoom: 16 }); }
        dir.dataset.drawn = String(fc.features.length);
        if (status) { status.textContent = fc.features.length + " " + (dir.dataset.labelCount || ""); }
      })
      .catch(function (err) { dir.dataset.drawn = "error"; if (status) { status.textContent = String(err); } });
  }
  var one = document.getElementById("unit-map");
  if (one && one.dataset.geometry) {
    var m = base(one);
    var g = L.geoJSON(JSON.parse(one.dataset.geometry), { style: { color: "#b5651d", weight: 6, fillOpacity: 0.3 } }).addTo(m);
    m.fitBounds(g.getBounds(), { padding: [20, 20], maxZoom: 17 });
    one.dataset.drawn = "1";
  }
})();
