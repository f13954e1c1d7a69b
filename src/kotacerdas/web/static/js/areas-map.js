// Draws a city's admin areas (GeoJSON from /api/v1/admin-areas) on a Leaflet map.
// The overlay does not depend on the base-map tiles: it draws even when tiles cannot load.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var center = (el.dataset.center || "").split(",").map(Number);
  var map = L.map(el);
  if (center.length === 2 && !isNaN(center[0]) && !isNaN(center[1])) { map.setView(center, 11); } else { map.setView([-2.5, 118], 5); }
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
  }
  var status = document.getElementById("map-status");
  var layer = null;
  var palette = ["#0f7b6c", "#2f6fb0", "#b5651d", "#7a4fb0", "#b03a5b", "#3c8d2f"];
  function load(level) {
    var url = "/api/v1/admin-areas?city=" + encodeURIComponent(el.dataset.city) + "&level=" + encodeURIComponent(level) + "&limit=1000";
    fetch(url, { headers: { "Accept": "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (fc) {
        if (layer) { map.removeLayer(layer); }
        var i = 0;
        layer = L.geoJSON(fc, {
          style: function () { i += 1; return { color: palette[i % palette.length], weight: 1.5, fillOpacity: 0.15 }; },
          onEachFeature: function (f, lyr) {
            lyr.bindPopup("<strong>" + f.properties.name + "</strong><br>" + f.properties.code);
            lyr.getElement && lyr.on("add", function () { var e = lyr.getElement && lyr.getElement(); if (e) { e.classList.add("kc-area"); } });
          }
        }).addTo(map);
        if (fc.features.length) { map.fitBounds(layer.getBounds(), { padding: [10, 10] }); }
        el.dataset.drawn = String(fc.features.length);
        if (status) { status.textContent = fc.features.length + " " + (el.dataset.labelCount || ""); }
      })
      .catch(function (err) { el.dataset.drawn = "error"; if (status) { status.textContent = String(err); } });
  }
  var levelSelect = document.getElementById("level");
  if (levelSelect) { levelSelect.addEventListener("change", function () { load(levelSelect.value); }); }
  load(el.dataset.level || "district");
})();
