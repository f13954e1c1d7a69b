// Road Manager map: segments coloured by Bina Marga class, potholes and bumps, survey coverage.
// Data comes from the public GeoJSON API (/api/v1/roads/...), page by page. Overlays draw even when
// the base-map tiles cannot load. Filters (dates, classes, layers) reload without leaving the page.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var COLOURS = { baik: "#1a9850", sedang: "#91cf60", rusak_ringan: "#fc8d59", rusak_berat: "#d73027" };
  var NONE = "#9e9e9e";
  var d = el.dataset;
  var city = d.city;
  var center = (d.center || "").split(",").map(Number);
  var map = L.map(el);
  el.kcMap = map; // shared with the damage layer (roads-damage.js)
  if (center.length === 2 && !isNaN(center[0]) && !isNaN(center[1])) { map.setView(center, 14); } else { map.setView([-2.5, 118], 5); }
  if (d.tiles) { L.tileLayer(d.tiles, { maxZoom: 19, attribution: d.attribution || "" }).addTo(map); }
  var status = document.getElementById("map-status");
  var segLayer = null, eventLayer = null, coverLayer = null, fitted = false;

  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }
  function classLabel(code) { return code ? (d["class" + code.split("_").map(function (p) { return p.charAt(0).toUpperCase() + p.slice(1); }).join("")] || code) : d.labelNone; }
  function value(id) { var e = document.getElementById(id); return e ? e.value : ""; }
  function checked(id) { var e = document.getElementById(id); return !!(e && e.checked); }
  function classes() {
    var boxes = document.querySelectorAll("#roads-filters input[name=class]");
    var out = [];
    for (var i = 0; i < boxes.length; i++) { if (boxes[i].checked) { out.push(boxes[i].value); } }
    return out;
  }
  function query(extra) {
    var q = "city=" + encodeURIComponent(city) + "&limit=1000";
    if (value("since")) { q += "&since=" + encodeURIComponent(value("since")); }
    if (value("until")) { q += "&until=" + encodeURIComponent(value("until")); }
    return q + (extra || "");
  }
  // Fetch every page of a GeoJSON list (following the "next" link).
  function fetchAll(url, features) {
    features = features || [];
    return fetch(url, { headers: { "Accept": "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (fc) {
        features = features.concat(fc.features);
        var next = (fc.links || []).filter(function (l) { return l.rel === "next"; })[0];
        return next ? fetchAll(next.href, features) : features;
      });
  }
  function popup(p) {
    var road = encodeURIComponent(p.road);
    var iri = p.iri_m_per_km === null ? "–" : p.iri_m_per_km.toFixed(2);
    var html = "<div class='roads-popup'><strong>" + esc(p.name || p.road) + "</strong> <small>(" + esc(p.highway) + ")</small><br>" +
      "<span class='swatch' style='background:" + (COLOURS[p["class"]] || NONE) + "'></span>" + esc(classLabel(p["class"])) +
      " · " + esc(d.labelIri) + ": " + iri;
    if (p.measured_at) { html += "<br>" + esc(d.labelDate) + ": " + esc(p.measured_at.slice(0, 10)); }
    if (p.calibrated === false) { html += " <em>(" + esc(d.labelUncalibrated) + ")</em>"; }
    html += "<br><img alt='IRI' src='/api/v1/roads/road-chart.svg?city=" + encodeURIComponent(city) + "&road=" + road + "'>";
    html += "<br><a href='/roads/road/" + road + "?city=" + encodeURIComponent(city) + "'>" + esc(d.labelRoad) + " →</a></div>";
    return html;
  }
  function loadSegments() {
    var cls = classes();
    var got = cls.length ? fetchAll("/api/v1/roads/segments?" + query("&class=" + cls.join(","))) : Promise.resolve([]);
    return got.then(function (features) {
        if (segLayer) { map.removeLayer(segLayer); }
        segLayer = L.geoJSON({ type: "FeatureCollection", features: features }, {
          style: function (f) {
            var c = f.properties["class"];
            return { color: COLOURS[c] || NONE, weight: c ? 5 : 3, opacity: c ? 0.95 : 0.7 };
          },
          onEachFeature: function (f, lyr) {
            lyr.options.className = "kc-seg kc-class-" + (f.properties["class"] || "none");
            lyr.bindPopup(popup(f.properties), { maxWidth: 340 });
          }
        }).addTo(map);
        if (features.length && !fitted) { map.fitBounds(segLayer.getBounds(), { padding: [10, 10] }); fitted = true; }
        el.dataset.drawn = String(features.length);
        if (status) { status.textContent = features.length + " " + (d.labelCount || ""); }
      });
  }
  function loadEvents() {
    if (eventLayer) { map.removeLayer(eventLayer); eventLayer = null; }
    if (!checked("show-events")) { return Promise.resolve(); }
    return fetchAll("/api/v1/roads/events?" + query()).then(function (features) {
      eventLayer = L.geoJSON({ type: "FeatureCollection", features: features }, {
        pointToLayer: function (f, latlng) {
          var pot = f.properties.kind === "pothole";
          return L.circleMarker(latlng, { radius: 5, color: pot ? "#5a1b00" : "#1d3f8f", weight: 1.5,
            fillColor: pot ? "#b2182b" : "#4575b4", fillOpacity: 0.9, className: "kc-event kc-" + f.properties.kind });
        },
        onEachFeature: function (f, lyr) {
          var p = f.properties;
          lyr.bindPopup("<strong>" + esc(p.kind === "pothole" ? d.labelPothole : d.labelBump) + "</strong><br>" +
            esc(p.at.slice(0, 10)) + " · " + esc(d.labelStrength) + ": " + p.strength_ms2.toFixed(1));
        }
      }).addTo(map);
      el.dataset.events = String(features.length);
    });
  }
  function loadCoverage() {
    if (coverLayer) { map.removeLayer(coverLayer); coverLayer = null; }
    if (!checked("show-coverage")) { return Promise.resolve(); }
    return fetchAll("/api/v1/roads/coverage?" + query()).then(function (features) {
      coverLayer = L.geoJSON({ type: "FeatureCollection", features: features }, {
        style: function () { return { color: "#2b4aa0", weight: 9, opacity: 0.25 }; },
        onEachFeature: function (f, lyr) {
          lyr.options.className = "kc-coverage";
          lyr.bindTooltip(f.properties.surveys + " " + d.labelSurveys + " · " + d.labelLast + " " + f.properties.last_driven.slice(0, 10));
        }
      }).addTo(map);
      coverLayer.bringToBack();
      el.dataset.coverage = String(features.length);
    });
  }
  function reload() {
    loadSegments().then(loadEvents).then(loadCoverage).catch(function (err) {
      el.dataset.drawn = "error";
      if (status) { status.textContent = String(err); }
    });
  }
  var form = document.getElementById("roads-filters");
  if (form) {
    var inputs = form.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) { inputs[i].addEventListener("change", reload); }
  }
  reload();
})();
