// Road Manager map, the camera half: damage markers (blurred crop, class, confidence, size, time, status,
// sightings) with filters by code, confidence, status and vehicle, and the segments coloured by IRI, SDI or the
// combined Bina Marga class. Data from the public API (/api/v1/roads/damage, /api/v1/roads/condition). Uses the map
// that roads-map.js made (element #map, property kcMap); when colouring by SDI or the combined class, the IRI
// segments are hidden (class kc-hide-iri) and a condition layer is drawn instead.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined" || !el.kcMap) { return; }
  var map = el.kcMap;
  var d = el.dataset;
  var city = d.city;
  var COLOURS = { baik: "#1a9850", sedang: "#91cf60", rusak_ringan: "#fc8d59", rusak_berat: "#d73027" };
  var DOTS = { D00: "#ffd92f", D10: "#ff7f00", D20: "#984ea3", D40: "#e41a1c" };
  var NONE = "#9e9e9e";
  var damageLayer = null, condLayer = null;
  var round = 0;  // the latest reload: a slower answer to an earlier one draws nothing

  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }
  function byId(id) { return document.getElementById(id); }
  function value(id) { var e = byId(id); return e ? e.value : ""; }
  function checked(id) { var e = byId(id); return !!(e && e.checked); }
  function classLabel(code) {
    if (!code) { return d.labelNone; }
    return d["class" + code.split("_").map(function (p) { return p.charAt(0).toUpperCase() + p.slice(1); }).join("")] || code;
  }
  function boxes(name) {
    var out = [], list = document.querySelectorAll("#roads-filters input[name=" + name + "]");
    for (var i = 0; i < list.length; i++) { if (list[i].checked) { out.push(list[i].value); } }
    return out;
  }
  function fetchAll(url, features) {
    features = features || [];
    return fetch(url, { headers: { "Accept": "application/geo+json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (fc) {
        features = features.concat(fc.features);
        var next = (fc.links || []).filter(function (l) { return l.rel === "next"; })[0];
        return next ? fetchAll(next.href, features) : features;
      });
  }
  function dates() {
    var q = "";
    if (value("since")) { q += "&since=" + encodeURIComponent(value("since")); }
    if (value("until")) { q += "&until=" + encodeURIComponent(value("until")); }
    return q;
  }
  function damagePopup(p) {
    var html = "<div class='damage-popup'><strong>" + esc(p.code) + " · " + esc(p.name) + "</strong>";
    if (p.crop) { html += "<img src='" + esc(p.crop) + "' alt='" + esc(d.labelDamageCrop) + "' loading='lazy'>"; }
    html += esc(d.labelDamageConfidence) + ": " + Math.round(p.confidence * 100) + " % · " +
      esc(d.labelDamageArea) + ": " + p.area_m2.toFixed(2) + " m²<br>" +
      esc(d.labelDamageStatus) + ": " + esc(p.status_label) + "<br>" +
      esc(d.labelDamageFirst) + ": " + esc((p.first_seen || "").slice(0, 10)) + " · " +
      esc(d.labelDamageSeen) + ": " + esc((p.last_seen || "").slice(0, 10)) + "<br>" +
      p.sightings + " " + esc(d.labelDamageSightings);
    if (p.seen_state === "not_seen_again") { html += "<br><em>" + esc(d.labelDamageNotSeen) + "</em>"; }
    if (p.demo) { html += "<br><span class='demo'>" + esc(p.model === "demo" ? d.labelDamageDemo : d.labelDamageDemoReal) + "</span>"; }
    return html + "</div>";
  }
  function loadDamage(mine) {
    if (damageLayer) { map.removeLayer(damageLayer); damageLayer = null; }
    var codes = boxes("damage-code");
    var all = document.querySelectorAll("#roads-filters input[name=damage-code]").length;
    if (!checked("show-damage") || !codes.length) { el.dataset.damage = "0"; return Promise.resolve(); }
    // every box ticked: no code filter, so a damage of a code the page does not list still shows
    var q = "city=" + encodeURIComponent(city) + "&limit=1000" + (codes.length < all ? "&code=" + codes.join(",") : "") + dates();
    if (value("damage-confidence")) { q += "&min_confidence=" + value("damage-confidence"); }
    if (value("damage-status")) { q += "&status=" + value("damage-status"); }
    if (value("damage-vehicle")) { q += "&vehicle=" + encodeURIComponent(value("damage-vehicle")); }
    return fetchAll("/api/v1/roads/damage?" + q).then(function (features) {
      if (mine !== round) { return; }
      if (damageLayer) { map.removeLayer(damageLayer); damageLayer = null; }
      damageLayer = L.geoJSON({ type: "FeatureCollection", features: features }, {
        pointToLayer: function (f, latlng) {
          var p = f.properties;
          var cls = "kc-damage kc-damage-" + p.code + (p.seen_state === "not_seen_again" ? " kc-not-seen" : "") +
            (p.status === "repaired" ? " kc-repaired" : "") + (p.demo ? " kc-demo" : "");
          var icon = L.divIcon({ className: cls, iconSize: [14, 14], iconAnchor: [7, 7], popupAnchor: [0, -6],
            html: "<span style='background:" + (DOTS[p.code] || NONE) + "'></span>" });
          return L.marker(latlng, { icon: icon, title: p.code + " " + p.name, riseOnHover: true, zIndexOffset: 500 });
        },
        onEachFeature: function (f, lyr) { lyr.bindPopup(damagePopup(f.properties), { maxWidth: 320 }); }
      }).addTo(map);
      el.kcDamageLayer = damageLayer;
      el.dataset.damage = String(features.length);
    });
  }
  function condPopup(p) {
    var html = "<div class='roads-popup'><strong>" + esc(p.name || p.road) + "</strong><br>" +
      "<span class='swatch' style='background:" + (COLOURS[p["class"]] || NONE) + "'></span>" + esc(classLabel(p["class"])) + "<br>" +
      esc(d.labelIri) + ": " + (p.iri === null ? "–" : p.iri.toFixed(2)) + " · " + esc(d.labelSdi) + ": " +
      (p.sdi === null ? "–" : p.sdi.toFixed(1));
    var basis = { iri_only: d.labelBasisIriOnly, sdi_only: d.labelBasisSdiOnly, none: d.labelBasisNone }[p.basis];
    if (basis) { html += "<br><em class='kc-basis'>" + esc(basis) + "</em>"; }
    (p.stale || []).forEach(function (s) { html += "<br><em class='kc-stale'>" + esc(s === "iri" ? d.labelStaleIri : d.labelStaleSdi) + "</em>"; });
    return html + "</div>";
  }
  function loadCondition(mine) {
    var mode = value("colour-by") || "iri";
    var title = byId("legend-title");
    if (title) { title.textContent = { iri: d.labelLegendIri, sdi: d.labelLegendSdi, combined: d.labelLegendCombined }[mode]; }
    var basisNote = byId("legend-basis");
    if (basisNote) { basisNote.hidden = mode !== "combined"; }
    if (condLayer) { map.removeLayer(condLayer); condLayer = null; }
    if (mode === "iri") { el.classList.remove("kc-hide-iri"); el.dataset.colour = "iri"; return Promise.resolve(); }
    el.classList.add("kc-hide-iri");
    var wanted = boxes("class");
    return fetchAll("/api/v1/roads/condition?city=" + encodeURIComponent(city) + "&limit=1000").then(function (features) {
      if (mine !== round) { return; }
      if (condLayer) { map.removeLayer(condLayer); condLayer = null; }
      var shown = features.filter(function (f) {
        var c = mode === "sdi" ? f.properties.sdi_class : f.properties["class"];
        return wanted.indexOf(c || "none") >= 0;
      });
      condLayer = L.geoJSON({ type: "FeatureCollection", features: shown }, {
        style: function (f) {
          var c = mode === "sdi" ? f.properties.sdi_class : f.properties["class"];
          return { color: COLOURS[c] || NONE, weight: c ? 5 : 3, opacity: c ? 0.95 : 0.7,
                   dashArray: mode === "combined" && f.properties.basis !== "iri_sdi" && c ? "8 5" : null };
        },
        onEachFeature: function (f, lyr) {
          var c = mode === "sdi" ? f.properties.sdi_class : f.properties["class"];
          lyr.options.className = "kc-cond kc-cond-" + (c || "none") + " kc-basis-" + f.properties.basis;
          lyr.bindPopup(condPopup(f.properties), { maxWidth: 320 });
        }
      }).addTo(map);
      el.dataset.colour = mode;
      el.dataset.condition = String(shown.length);
    });
  }
  function reload() {
    var mine = ++round;
    loadCondition(mine).then(function () { return loadDamage(mine); }).catch(function (err) { el.dataset.damage = "error"; console.error(err); });
  }
  var form = byId("roads-filters");
  if (form) {
    var inputs = form.querySelectorAll("input, select#colour-by, select#damage-confidence, select#damage-status, select#damage-vehicle");
    for (var i = 0; i < inputs.length; i++) { if (inputs[i].id !== "city") { inputs[i].addEventListener("change", reload); } }
  }
  reload();
})();
