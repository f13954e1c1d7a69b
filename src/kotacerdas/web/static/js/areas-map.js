// Draws a city's admin areas (GeoJSON from /api/v1/admin-areas) on a Leaflet map, each labelled with its name,
// with a legend of the colours (labels kept from overlapping by map-labels.js); a level with no stored boundary
// says so. Generated (demo) boundaries are marked.
// The overlay does not depend on the base-map tiles: it draws even when tiles cannot load.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var d = el.dataset;
  var locale = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  var center = (d.center || "").split(",").map(Number);
  var map = L.map(el, { zoomSnap: 0.25 });  // a city fills a phone-sized map too
  if (center.length === 2 && !isNaN(center[0]) && !isNaN(center[1])) { map.setView(center, 11); } else { map.setView([-2.5, 118], 5); }
  if (d.tiles) {
    L.tileLayer(d.tiles, { maxZoom: 19, attribution: d.attribution || "" }).addTo(map);
  }
  var status = document.getElementById("map-status");
  var legend = document.getElementById("areas-legend");
  var layer = null;
  var asked = 0;
  var palette = ["#0f7b6c", "#2f6fb0", "#b5651d", "#7a4fb0", "#b03a5b", "#3c8d2f"];
  var LEGEND_MAX = 60;
  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }
  function drawLegend(features) {
    if (!legend) { return; }
    if (!features.length || features.length > LEGEND_MAX) { legend.innerHTML = ""; legend.hidden = true; return; }
    legend.hidden = false;
    legend.innerHTML = features.map(function (f, i) {
      return "<span class='legend-item' data-code='" + esc(f.properties.code) + "'><span class='swatch' style='background:" +
        palette[(i + 1) % palette.length] + "'></span>" + esc(f.properties.name) + "</span>";
    }).join("");
  }
  function load(level) {
    var mine = ++asked;
    var url = "/api/v1/admin-areas?city=" + encodeURIComponent(d.city) + "&level=" + encodeURIComponent(level) + "&limit=1000";
    fetch(url, { headers: { "Accept": "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (fc) {
        if (mine !== asked) { return; }  // a later choice of level answers instead
        if (layer) { map.removeLayer(layer); }
        var i = 0;
        var many = fc.features.length > 80;
        layer = L.geoJSON(fc, {
          style: function () { i += 1; return { color: palette[i % palette.length], weight: 1.5, fillOpacity: 0.15, className: "kc-area" }; },
          onEachFeature: function (f, lyr) {
            var p = f.properties;
            var gen = (p.generated || p.source === "generated") ? "<br><em>" + esc(d.labelGenerated || "") + "</em>" : "";
            lyr.bindPopup("<strong>" + esc(p.name) + "</strong><br>" + esc(p.code) + gen);
            if (!many) { lyr.bindTooltip(esc(p.name), { permanent: true, direction: "center", className: "kc-area-label" }); }
          }
        }).addTo(map);
        if (fc.features.length) { map.fitBounds(layer.getBounds(), { padding: [10, 10] }); }
        if (!many && window.kcAreaLabels) { window.kcAreaLabels(map, layer, el); } else { delete el.dataset.labelsHidden; }
        el.dataset.drawn = String(fc.features.length);
        el.dataset.level = level;
        drawLegend(fc.features);
        if (status) {
          status.textContent = fc.features.length
            ? new Intl.NumberFormat(locale).format(fc.features.length) + " " + (d.labelCount || "")
            : (d.labelEmpty || "");
          status.classList.toggle("notice", !fc.features.length);
        }
      })
      .catch(function (err) { if (mine === asked) { el.dataset.drawn = "error"; if (status) { status.textContent = String(err); } } });
  }
  var levelSelect = document.getElementById("level");
  if (levelSelect) { levelSelect.addEventListener("change", function () { load(levelSelect.value); }); }
  load(d.level || "district");
})();
