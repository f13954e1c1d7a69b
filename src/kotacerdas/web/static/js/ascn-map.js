// Draws the ASCN member cities (GeoJSON points from /api/v1/ascn/cities.geojson) on a Leaflet map.
// The markers do not depend on the base-map tiles: they draw even when tiles cannot load.
(function () {
  "use strict";
  var el = document.getElementById("ascn-map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { scrollWheelZoom: false }).setView([8, 110], 4);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution || "" }).addTo(map);
  }
  var status = document.getElementById("map-status");
  function esc(text) { var d = document.createElement("div"); d.textContent = text == null ? "" : String(text); return d.innerHTML; }
  fetch("/api/v1/ascn/cities.geojson", { headers: { "Accept": "application/geo+json" } })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (fc) {
      var layer = L.geoJSON(fc, {
        pointToLayer: function (f, latlng) {
          var joined2024 = f.properties.year_joined >= 2024;
          return L.circleMarker(latlng, { radius: 7, color: "#fff", weight: 1.5, fillColor: joined2024 ? "#b5651d" : "#0f7b6c", fillOpacity: 0.9, className: "ascn-city" });
        },
        onEachFeature: function (f, lyr) {
          var p = f.properties;
          lyr.bindPopup("<a href=\"/ascn/cities/" + encodeURIComponent(p.slug) + "\">" + esc(p.name) + "</a>" +
            (p.local_name && p.local_name !== p.name ? "<br>" + esc(p.local_name) : "") +
            "<br>" + esc(p.year_joined) + " · " + esc(p.projects) + " " + esc(el.dataset.projectsLabel || ""));
        }
      }).addTo(map);
      if (fc.features.length) { map.fitBounds(layer.getBounds(), { padding: [20, 20] }); }
      el.dataset.drawn = String(fc.features.length);
      if (status) { status.textContent = ""; }
    })
    .catch(function (err) { el.dataset.drawn = "error"; if (status) { status.textContent = String(err); } });
})();
