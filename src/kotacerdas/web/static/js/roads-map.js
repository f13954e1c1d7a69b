// Road Manager map: segments coloured by Bina Marga class, potholes and bumps, survey coverage.
// Data comes from the public GeoJSON API (/api/v1/roads/...), page by page. Overlays draw even when
// the base-map tiles cannot load. The filters (dates, classes, layers) drive the map, the figures beside it
// (/api/v1/roads/summary with the same filters), the kecamatan table and the download links alike, and stay in
// the page's address. Each change of the filters starts a new round of requests and cancels the previous one:
// an answer that arrives for an older round is dropped, so two quick changes never leave stale markers. The roads
// table below follows them as well: its results are fetched again from the page itself (server-rendered, searched,
// ordered and paged in SQL), starting at its first page.
// Other scripts of the page (layers of their own) use window.kcRoadsMap: {map, query(), onReload(fn)}.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var COLOURS = { baik: "#1a9850", sedang: "#91cf60", rusak_ringan: "#fc8d59", rusak_berat: "#d73027" };
  var CLASSES = ["baik", "sedang", "rusak_ringan", "rusak_berat", "none"];
  var NONE = "#9e9e9e";
  var d = el.dataset;
  var city = d.city;
  var LOCALE = d.locale || "id-ID";
  var num = function (digits) { return new Intl.NumberFormat(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits }); };
  var center = (d.center || "").split(",").map(Number);
  var map = L.map(el);
  el.kcMap = map; // shared with the damage layer (roads-damage.js)
  if (center.length === 2 && !isNaN(center[0]) && !isNaN(center[1])) { map.setView(center, 14); } else { map.setView([-2.5, 118], 5); }
  if (d.tiles) { L.tileLayer(d.tiles, { maxZoom: 19, attribution: d.attribution || "" }).addTo(map); }
  var status = document.getElementById("map-status");
  var note = document.getElementById("filter-note");
  var segLayer = null, eventLayer = null, coverLayer = null, fitted = false;
  var round = 0, controller = null, listeners = [];

  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }
  function camel(prefix, code) { return prefix + code.split(/[_-]/).map(function (p) { return p.charAt(0).toUpperCase() + p.slice(1); }).join(""); }
  function classLabel(code) { return code ? (d[camel("class", code)] || code) : d.labelNone; }
  function highwayLabel(hw) { return (hw && d[camel("hw", hw)]) || hw || ""; }
  function value(id) { var e = document.getElementById(id); return e ? e.value : ""; }
  function checked(id) { var e = document.getElementById(id); return !!(e && e.checked); }
  function day(iso) { return iso ? new Date(iso.length === 10 ? iso + "T00:00:00" : iso).toLocaleDateString(LOCALE, { day: "numeric", month: "short", year: "numeric" }) : ""; }
  function km(v) { return v === null || v === undefined ? "–" : num(1).format(v) + " km"; }
  function pct(v, digits) { return v === null || v === undefined ? "–" : new Intl.NumberFormat(LOCALE, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v); }
  function classes() {
    var boxes = document.querySelectorAll("#roads-filters input[name=class]");
    var out = [];
    for (var i = 0; i < boxes.length; i++) { if (boxes[i].checked) { out.push(boxes[i].value); } }
    return out;
  }
  // The filters as query parameters: what the map, the figures and the downloads all ask for.
  function filters() {
    var q = "";
    if (value("since")) { q += "&since=" + encodeURIComponent(value("since")); }
    if (value("until")) { q += "&until=" + encodeURIComponent(value("until")); }
    var cls = classes();
    if (cls.length && cls.length < CLASSES.length) { q += "&class=" + cls.join(","); }
    return q;
  }
  function query(extra) { return "city=" + encodeURIComponent(city) + "&limit=1000" + filters() + (extra || ""); }
  // A refused request (400: a reversed date range ...) throws the problem's own words (RFC 9457 detail).
  function get(url, signal) {
    return fetch(url, { headers: { "Accept": "application/geo+json, application/json" }, signal: signal })
      .then(function (r) {
        if (r.ok) { return r.json(); }
        return r.json().catch(function () { return {}; }).then(function (p) {
          var e = new Error(p && p.detail ? p.detail : String(r.status));
          e.problem = !!(p && p.detail);
          throw e;
        });
      });
  }
  // Fetch every page of a GeoJSON list (following the "next" link).
  function fetchAll(url, signal, features) {
    features = features || [];
    return get(url, signal).then(function (fc) {
      features = features.concat(fc.features);
      var next = (fc.links || []).filter(function (l) { return l.rel === "next"; })[0];
      return next ? fetchAll(next.href, signal, features) : features;
    });
  }
  function popup(p) {
    var road = encodeURIComponent(p.road);
    var iri = p.iri_m_per_km === null ? "–" : num(2).format(p.iri_m_per_km);
    var html = "<div class='roads-popup'><strong>" + esc(p.name || p.road) + "</strong> <small>(" + esc(highwayLabel(p.highway)) + ")</small><br>" +
      "<span class='swatch' style='background:" + (COLOURS[p["class"]] || NONE) + "'></span>" + esc(classLabel(p["class"])) +
      " · " + esc(d.labelIri) + ": " + iri;
    if (p.measured_at) { html += "<br>" + esc(d.labelDate) + ": " + esc(day(p.measured_at)); }
    if (p.calibrated === false) { html += " <em>(" + esc(d.labelUncalibrated) + ")</em>"; }
    html += "<br><img alt='IRI' src='/api/v1/roads/road-chart.svg?city=" + encodeURIComponent(city) + "&road=" + road + "&width=340&lang=" + (LOCALE === "en-GB" ? "en" : "id") + "'>";
    html += "<br><a href='/roads/road/" + road + "?city=" + encodeURIComponent(city) + "'>" + esc(d.labelRoad) + " →</a></div>";
    return html;
  }
  function drawSegments(features) {
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
    if (status) { status.textContent = num(0).format(features.length) + " " + (d.labelCount || ""); }
  }
  function drawEvents(features) {
    if (eventLayer) { map.removeLayer(eventLayer); eventLayer = null; }
    if (features === null) { delete el.dataset.events; return; }  // the layer is off: nothing counted
    eventLayer = L.geoJSON({ type: "FeatureCollection", features: features }, {
      pointToLayer: function (f, latlng) {
        var pot = f.properties.kind === "pothole";
        return L.circleMarker(latlng, { radius: 5, color: pot ? "#5a1b00" : "#1d3f8f", weight: 1.5,
          fillColor: pot ? "#b2182b" : "#4575b4", fillOpacity: 0.9, className: "kc-event kc-" + f.properties.kind });
      },
      onEachFeature: function (f, lyr) {
        var p = f.properties;
        lyr.bindPopup("<strong>" + esc(p.kind === "pothole" ? d.labelPothole : d.labelBump) + "</strong><br>" +
          esc(day(p.at)) + " · " + esc(d.labelStrength) + ": " + num(1).format(p.strength_ms2));
      }
    }).addTo(map);
    el.dataset.events = String(features.length);
  }
  function drawCoverage(features) {
    if (coverLayer) { map.removeLayer(coverLayer); coverLayer = null; }
    if (features === null) { delete el.dataset.coverage; return; }  // the layer is off: nothing counted
    coverLayer = L.geoJSON({ type: "FeatureCollection", features: features }, {
      style: function () { return { color: "#2b4aa0", weight: 9, opacity: 0.25 }; },
      onEachFeature: function (f, lyr) {
        lyr.options.className = "kc-coverage";
        lyr.bindTooltip(f.properties.surveys + " " + d.labelSurveys + " · " + d.labelLast + " " + day(f.properties.last_driven));
      }
    }).addTo(map);
    coverLayer.bringToBack();
    el.dataset.coverage = String(features.length);
  }
  function setFigure(name, text) {
    var e = document.querySelector("#roads-figures [data-figure='" + name + "']");
    if (e) { e.textContent = text; }
  }
  function drawFigures(s) {
    setFigure("network_km", km(s.network_km));
    setFigure("surveyed_km", km(s.surveyed_km));
    setFigure("measured_km", km(s.measured_km));
    setFigure("mantap_share", pct(s.mantap_share, 1));
    Object.keys(s.km_by_class || {}).forEach(function (c) { setFigure("class-" + c, km(s.km_by_class[c])); });
    var fig = document.getElementById("roads-figures");
    if (fig) { fig.dataset.filters = filters(); }
    var body = document.querySelector("#district-table tbody");
    if (body) {
      body.innerHTML = (s.districts || []).map(function (x) {
        return "<tr data-code='" + esc(x.code || "") + "'><td>" + esc(x.name || x.code || "–") + "</td><td data-sort='" + x.network_km + "'>" +
          num(2).format(x.network_km) + "</td><td data-sort='" + x.measured_km + "'>" + num(2).format(x.measured_km) +
          "</td><td data-sort='" + (x.mantap_share === null ? "" : x.mantap_share) + "'>" + pct(x.mantap_share, 1) + "</td></tr>";
      }).join("");
    }
    explain(s);
  }
  // Say why everything is grey: no class chosen, no survey in the window, or no survey at all.
  function explain(s) {
    if (!note) { return; }
    var text = "";
    if (!classes().length) {
      text = d.labelNoClass;
    } else if (!s.first_survey) {
      text = d.labelNoSurveys;
    } else if ((value("since") || value("until")) && !s.measured_km) {
      text = d.labelEmptyWindow.replace("{since}", value("since") ? day(value("since")) : d.labelStart)
        .replace("{until}", value("until") ? day(value("until")) : d.labelEnd) + " " +
        d.labelSpan.replace("{first}", day(s.first_survey)).replace("{last}", day(s.last_survey));
    }
    note.textContent = text;
    note.hidden = !text;
  }
  function links() {
    ["report-link", "csv-link", "geojson-link"].forEach(function (id) {
      var a = document.getElementById(id);
      if (a && a.dataset.base) { a.href = a.dataset.base + filters(); }
    });
    if (window.history && window.history.replaceState) {
      var parts = filters().split("&").filter(Boolean);
      var keep = "?city=" + encodeURIComponent(city) + (parts.length ? "&" + parts.map(function (p) {
        return p.indexOf("class=") === 0 ? p.slice(6).split(",").map(function (c) { return "class=" + c; }).join("&") : p;
      }).join("&") : "");
      window.history.replaceState(null, "", keep + window.location.hash);
    }
  }
  // The roads table of the page with the current filters, its search and order kept.
  function refreshRoads(signal, mine) {
    var section = document.getElementById("roads-section");
    if (!section || typeof DOMParser === "undefined") { return; }
    var sd = section.dataset;
    var url = "/roads?city=" + encodeURIComponent(city) + filters() + (sd.q ? "&q=" + encodeURIComponent(sd.q) : "") +
      "&sort=" + encodeURIComponent(sd.sort || "length") + (sd.dir ? "&dir=" + encodeURIComponent(sd.dir) : "") +
      "&lang=" + encodeURIComponent(document.documentElement.lang || "id");
    section.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "Accept": "text/html" }, signal: signal, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) {
        if (mine !== round) { return; }
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["roads-results", "road-search-filters"].forEach(function (id) {
          var here = document.getElementById(id), there = doc.getElementById(id);
          if (here && there) { here.innerHTML = there.innerHTML; }
        });
        section.removeAttribute("aria-busy");
        section.dataset.round = String(mine);
      })
      .catch(function () { section.removeAttribute("aria-busy"); });
  }
  function reload() {
    var mine = ++round;
    if (controller) { controller.abort(); }
    controller = typeof AbortController !== "undefined" ? new AbortController() : null;
    var signal = controller ? controller.signal : undefined;
    el.dataset.loading = String(mine);
    links();
    var cls = classes();
    var segs = cls.length ? fetchAll("/api/v1/roads/segments?" + query(), signal) : Promise.resolve([]);
    var events = checked("show-events") ? fetchAll("/api/v1/roads/events?" + query(), signal) : Promise.resolve(null);
    var cover = checked("show-coverage") ? fetchAll("/api/v1/roads/coverage?" + query(), signal) : Promise.resolve(null);
    var summary = get("/api/v1/roads/summary?" + query(), signal);
    if (mine > 1) { refreshRoads(signal, mine); }  // the first round: the page came with the table of its address
    Promise.all([segs, events, cover, summary]).then(function (got) {
      if (mine !== round) { return; }  // a later change of the filters answers instead
      drawSegments(got[0]);
      drawEvents(got[1]);
      drawCoverage(got[2]);
      drawFigures(got[3]);
      el.dataset.round = String(mine);
      delete el.dataset.loading;
      listeners.forEach(function (fn) { try { fn(query()); } catch (e) { /* another layer's problem */ } });
    }).catch(function (err) {
      if (mine !== round || (err && err.name === "AbortError")) { return; }
      el.dataset.drawn = "error";
      delete el.dataset.loading;
      if (status) { status.textContent = err && err.problem ? err.message : (d.labelError || String(err)); }
    });
  }
  var form = document.getElementById("roads-filters");
  if (form) {
    var inputs = form.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) { inputs[i].addEventListener("change", reload); }
  }
  window.kcRoadsMap = { map: map, query: query, onReload: function (fn) { listeners.push(fn); } };
  reload();
})();
