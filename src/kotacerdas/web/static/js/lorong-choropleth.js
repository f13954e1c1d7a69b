// The dashboard's choropleth: each kelurahan coloured by its units' mean score (GeoJSON from the choropleth API).
(function () {
  "use strict";
  var el = document.getElementById("choropleth");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el);
  var c = (el.dataset.center || "").split(",").map(Number);
  map.setView(c.length === 2 && !isNaN(c[0]) ? c : [-5.14, 119.43], 12);
  if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map); }
  function colour(v) {
    if (v === null || v === undefined) { return "#d9d9d9"; }
    return v >= 85 ? "#006d2c" : v >= 70 ? "#31a354" : v >= 50 ? "#74c476" : "#c7e9c0";
  }
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (ch) { return "&#" + ch.charCodeAt(0) + ";"; }); }
  fetch(el.dataset.url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (fc) {
      var layer = L.geoJSON(fc, {
        style: function (f) { return { color: "#44545a", weight: 0.7, fillColor: colour(f.properties.value), fillOpacity: 0.75 }; },
        onEachFeature: function (f, lyr) {
          var p = f.properties;
          lyr.bindTooltip("<strong>" + esc(p.name) + "</strong><br>" + esc(el.dataset.labelUnits) + ": " + p.units +
            "<br>" + esc(el.dataset.labelScore) + ": " + (p.mean_score === null ? "–" : p.mean_score.toFixed(1)));
          lyr.on("add", function () { var e = lyr.getElement && lyr.getElement(); if (e) { e.classList.add("kc-kelurahan"); } });
        }
      }).addTo(map);
      if (fc.features.length) { map.fitBounds(layer.getBounds(), { padding: [6, 6] }); }
      el.dataset.drawn = String(fc.features.length);
    })
    .catch(function (err) { el.dataset.drawn = "error"; el.title = String(err); });
})();
