// Bike Sharing operator screen: the live station map coloured by fill level (refreshed every 30 s from the
// public stations API) and, on demand, the rebalancing plan (stations to empty or fill, van routes) read from
// /api/v1/bikes/systems/{id}/rebalancing with the operator's web session (a GET: nothing is changed).
(function () {
  "use strict";
  var root = document.getElementById("operator");
  var el = document.getElementById("op-map");
  if (!root || !el || typeof L === "undefined") { return; }
  var SYS = root.dataset.system;
  var LANG = root.dataset.lang || "id";
  var DATA = JSON.parse(document.getElementById("op-data").textContent || "{}");
  var LOCALE = DATA.locale || (LANG === "id" ? "id-ID" : "en-GB");
  var oneDecimal = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var TEXTS = DATA.texts || {};
  var status = document.getElementById("op-map-status");
  var map = L.map(el);
  var c = (root.dataset.center || "").split(",").map(Number);
  map.setView(c.length === 2 && !isNaN(c[0]) ? c : [-2.5, 118], 14);
  if (root.dataset.tiles) { L.tileLayer(root.dataset.tiles, { maxZoom: 19, attribution: root.dataset.attribution || "" }).addTo(map); }
  var layer = L.layerGroup().addTo(map);
  var planLayer = L.layerGroup().addTo(map);
  var fitted = false;
  var byId = {};

  function t(msg, args) {
    var s = TEXTS[msg] || msg;
    if (args) { Object.keys(args).forEach(function (k) { s = s.split("{" + k + "}").join(args[k]); }); }
    return s;
  }
  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[ch];
    });
  }
  // English has one form for 1 and another for the rest; Bahasa Indonesia translates both the same.
  function plural(n, one, other) { return t(n === 1 ? one : other, { n: n }); }
  function name(v) { return v && typeof v === "object" ? (v[LANG] || v.id || v.en || "") : (v || ""); }
  function colour(s) {
    if (s.bikes_available === 0) { return "#d73027"; }
    if (s.docks_available === 0) { return "#542788"; }
    return s.fill < 0.25 ? "#fc8d59" : s.fill <= 0.75 ? "#1a9850" : "#4575b4";
  }
  function fillClass(s) {
    if (s.bikes_available === 0) { return "empty"; }
    if (s.docks_available === 0) { return "full"; }
    return s.fill < 0.25 ? "low" : s.fill <= 0.75 ? "mid" : "high";
  }
  function draw(stations) {
    layer.clearLayers();
    var bounds = [];
    stations.forEach(function (s) {
      byId[s.station_id] = s;
      var m = L.circleMarker([s.lat, s.lon], {
        radius: 8 + Math.min(10, s.capacity / 2), color: "#fff", weight: 2, fillColor: colour(s), fillOpacity: 0.9,
        className: "kc-station kc-fill-" + fillClass(s)
      });
      m.bindTooltip(esc(s.name) + "<br>" + s.bikes_available + " " + esc(t("bikes")) + " · " + s.docks_available + " " +
        esc(t("docks")) + "<br>" + esc(t("Fill")) + " " + Math.round(s.fill * 100) + " % (" + s.docked + "/" + s.capacity + ")");
      m.addTo(layer);
      bounds.push([s.lat, s.lon]);
    });
    if (bounds.length && !fitted) { map.fitBounds(bounds, { padding: [20, 20] }); fitted = true; }
    el.dataset.drawn = String(stations.length);
    status.textContent = t("Stations drawn: {n}", { n: stations.length }) + " · " +
      t("Updated {time}", { time: new Date().toLocaleTimeString(LOCALE, { hour: "2-digit", minute: "2-digit", second: "2-digit" }) });
  }
  function fromApi(f) {
    var p = f.properties;
    var bikes = 0;
    Object.keys(p.bikes_available || {}).forEach(function (k) { bikes += p.bikes_available[k]; });
    var usable = Math.max(0, p.capacity - (p.num_docks_disabled || 0));
    return { station_id: p.station_id, name: name(p.name), lat: p.lat, lon: p.lon, capacity: p.capacity, docked: p.docked,
             bikes_available: bikes, docks_available: p.docks_available, fill: usable ? p.docked / usable : 1 };
  }
  function refresh() {
    fetch("/api/v1/bikes/systems/" + encodeURIComponent(SYS) + "/stations", { headers: { "Accept": "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (fc) { draw(fc.features.map(fromApi)); })
      .catch(function () { status.textContent = t("Something went wrong"); });
  }
  draw(DATA.stations || []);
  setInterval(refresh, 30000);

  // -- rebalancing plan ---------------------------------------------------------------------------------------
  var VAN = ["#1e64c8", "#c05621", "#6a3d9a", "#1a7f37", "#b42318", "#0f7b6c"];
  var btn = document.getElementById("show-rebalancing");
  var box = document.getElementById("rebalancing");
  btn.addEventListener("click", function () {
    btn.disabled = true;
    box.hidden = false;
    box.textContent = t("Computing the plan…");
    fetch("/api/v1/bikes/systems/" + encodeURIComponent(SYS) + "/rebalancing", {
      headers: { "Accept": "application/json", "Accept-Language": LANG }, credentials: "same-origin"
    }).then(function (r) { return r.json().then(function (d) { return { ok: r.ok, data: d }; }); })
      .then(function (res) {
        btn.disabled = false;
        if (!res.ok) { box.textContent = (res.data && res.data.detail) || t("Something went wrong"); return; }
        showPlan(res.data);
      }).catch(function () { btn.disabled = false; box.textContent = t("Something went wrong"); });
  });
  function showPlan(plan) {
    planLayer.clearLayers();
    document.getElementById("plan-legend").hidden = false;
    var html = "<p>" + esc(t("Bikes moved: {n}", { n: plan.bikes_moved })) + " · " +
      esc(t("Distances: {source}", { source: plan.distance_source === "road_network" ? t("road network") : t("straight lines") })) +
      " · " + esc(t("Trips used for the forecast: {n}", { n: plan.trips_used })) + "</p>";
    if (!plan.needs.length) { html += "<p class='empty'>" + esc(t("No station needs bikes moved in this window.")) + "</p>"; }
    html += "<ul class='needs'>" + plan.needs.map(function (n) {
      var s = byId[n.station_id];
      var what = n.delta < 0 ? t("take {n} bikes", { n: -n.delta }) : t("bring {n} bikes", { n: n.delta });
      if (s) {
        L.circleMarker([s.lat, s.lon], { radius: 20, color: n.delta < 0 ? "#d73027" : "#1e64c8", weight: 3, fill: false,
                                         dashArray: "4 3", className: "kc-need" }).bindTooltip(esc(s.name) + ": " + esc(what)).addTo(planLayer);
      }
      return "<li data-station='" + esc(n.station_id) + "' data-delta='" + n.delta + "'><strong>" + esc(s ? s.name : n.station_id) +
        "</strong>: " + esc(what) + " (" + n.current + " → " + n.target + ")</li>";
    }).join("") + "</ul>";
    var depot = byId[plan.depot_station_id];
    if (depot) {
      L.marker([depot.lat, depot.lon], { title: t("Depot") }).bindTooltip(esc(t("Depot")) + ": " + esc(depot.name)).addTo(planLayer);
    }
    html += "<ol class='routes'>";
    plan.routes.forEach(function (r, i) {
      if (!r.stops.length) { return; }
      var colourVan = VAN[i % VAN.length];
      var pts = depot ? [[depot.lat, depot.lon]] : [];
      r.stops.forEach(function (stop) { var s = byId[stop.station_id]; if (s) { pts.push([s.lat, s.lon]); } });
      if (depot) { pts.push([depot.lat, depot.lon]); }
      L.polyline(pts, { color: colourVan, weight: 4, opacity: 0.8, className: "kc-route" }).addTo(planLayer);
      html += "<li data-van='" + esc(r.truck_id) + "'><span class='swatch' style='background:" + colourVan + "'></span>" +
        esc(t("Van {van}: {stops}, {km} km, {minutes} min", { van: i + 1, stops: plural(r.stops.length, "{n} stop", "{n} stops"),
          km: oneDecimal.format(r.distance_m / 1000), minutes: Math.round(r.duration_minutes) })) + ": " +
        r.stops.map(function (stop) {
          var s = byId[stop.station_id];
          return esc(s ? s.name : stop.station_id) + " (" + (stop.delta > 0 ? "+" : "") + stop.delta + ")";
        }).join(" → ") + "</li>";
    });
    html += "</ol>";
    box.innerHTML = html;
    box.dataset.loaded = "1";
    el.dataset.routes = String(plan.routes.filter(function (r) { return r.stops.length; }).length);
  }
})();
