// Bike Sharing rider app (mobile web): stations on a map, sign-up/sign-in by phone number, wallet and
// QRIS top-up (sandbox), reserve, rent, return (a full station answers 409 naming the nearest station
// with a free dock), trips and broken-bike reports. Everything goes through /api/v1/bikes.
// The rider's bearer token stays in this tab's sessionStorage and is sent in the Authorization header;
// requests carry no cookies (credentials: "omit"), so no web session can be used by a forged request.
(function () {
  "use strict";
  var root = document.getElementById("rider");
  if (!root) { return; }
  var SYS = root.dataset.system;
  var LANG = root.dataset.lang || "id";
  var LOCALE = LANG === "id" ? "id-ID" : "en-GB";
  var TEXTS = JSON.parse(document.getElementById("bikes-i18n").textContent || "{}");
  var KEY = "kc_bikes_rider";
  var API = "/api/v1/bikes";
  var state = { token: sessionStorage.getItem(KEY), me: null, stations: [], byId: {}, selected: null,
                origin: null, intent: null, markers: {}, here: null };

  function t(msg, args) {
    var s = TEXTS[msg] || msg;
    if (args) { Object.keys(args).forEach(function (k) { s = s.split("{" + k + "}").join(args[k]); }); }
    return s;
  }
  function $(id) { return document.getElementById(id); }
  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }
  function rp(n) { return "Rp" + new Intl.NumberFormat(LOCALE).format(n || 0); }
  function name(v) { return v && typeof v === "object" ? (v[LANG] || v.id || v.en || "") : (v || ""); }
  function hhmm(iso) { return iso ? new Date(iso).toLocaleTimeString(LOCALE, { hour: "2-digit", minute: "2-digit" }) : ""; }
  function day(iso) { return iso ? new Date(iso).toLocaleDateString(LOCALE, { day: "numeric", month: "short" }) : ""; }
  function stationName(id) { var s = state.byId[id]; return s ? name(s.name) : (id || ""); }
  function say(msg, isError) {
    var el = $("rider-status");
    el.textContent = msg || "";
    el.className = "rider-status" + (isError ? " error" : msg ? " ok" : "");
  }
  function key() { return "web-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10); }

  function call(method, path, body, extra) {
    var headers = { "Accept": "application/json", "Accept-Language": LANG };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    if (state.token) { headers.Authorization = "Bearer " + state.token; }
    Object.keys(extra || {}).forEach(function (k) { headers[k] = extra[k]; });
    return fetch(API + path, { method: method, headers: headers, credentials: "omit",
                               body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.text().then(function (txt) {
          var data = null;
          try { data = txt ? JSON.parse(txt) : null; } catch (e) { data = null; }
          return { ok: r.ok, status: r.status, data: data };
        });
      });
  }
  function problem(res) { return (res.data && (res.data.detail || res.data.title)) || t("Something went wrong"); }

  // -- map and stations --------------------------------------------------------------------------------
  var mapEl = $("bikes-map");
  var map = null;
  if (typeof L !== "undefined") {
    map = L.map(mapEl);
    var c = (root.dataset.center || "").split(",").map(Number);
    map.setView(c.length === 2 && !isNaN(c[0]) ? c : [-2.5, 118], 14);
    if (root.dataset.tiles) { L.tileLayer(root.dataset.tiles, { maxZoom: 19, attribution: root.dataset.attribution || "" }).addTo(map); }
  }
  function distance(a, b) {
    var R = 6371000, rad = Math.PI / 180;
    var dLat = (b[0] - a[0]) * rad, dLon = (b[1] - a[1]) * rad;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * R * Math.asin(Math.sqrt(h));
  }
  function total(p) { var n = 0; Object.keys(p.bikes_available || {}).forEach(function (k) { n += p.bikes_available[k]; }); return n; }
  function fmtDist(m) { return m < 1000 ? Math.round(m) + " m" : (m / 1000).toFixed(1) + " km"; }

  function loadStations() {
    return call("GET", "/systems/" + encodeURIComponent(SYS) + "/stations").then(function (res) {
      if (!res.ok) { say(problem(res), true); return; }
      state.stations = res.data.features.map(function (f) { return f.properties; });
      state.byId = {};
      state.stations.forEach(function (s) { state.byId[s.station_id] = s; });
      if (!state.origin && state.stations.length) {
        var lat = 0, lon = 0;
        state.stations.forEach(function (s) { lat += s.lat; lon += s.lon; });
        state.origin = [lat / state.stations.length, lon / state.stations.length];
      }
      drawStations();
      listStations();
      mapEl.dataset.stations = String(state.stations.length);
    });
  }
  function drawStations() {
    if (!map) { return; }
    Object.keys(state.markers).forEach(function (k) { map.removeLayer(state.markers[k]); });
    state.markers = {};
    var bounds = [];
    state.stations.forEach(function (s) {
      var n = total(s);
      var cls = "kc-pin" + (n === 0 ? " kc-empty" : "") + (s.docks_available === 0 ? " kc-full" : "") +
        (state.selected === s.station_id ? " kc-selected" : "");
      var icon = L.divIcon({ className: "kc-pin-wrap", iconSize: [34, 34], iconAnchor: [17, 17],
        html: "<span class='" + cls + "' data-station='" + esc(s.station_id) + "'>" + n + "</span>" });
      var m = L.marker([s.lat, s.lon], { icon: icon, title: name(s.name) + ": " + n + " " + t("bikes") + ", " + s.docks_available + " " + t("docks") });
      m.on("click", function () { select(s.station_id); });
      m.addTo(map);
      state.markers[s.station_id] = m;
      bounds.push([s.lat, s.lon]);
    });
    if (bounds.length && !drawStations.fitted) { map.fitBounds(bounds, { padding: [20, 20] }); drawStations.fitted = true; }
  }
  function listStations() {
    var o = state.origin;
    var rows = state.stations.slice().sort(function (a, b) {
      return o ? distance(o, [a.lat, a.lon]) - distance(o, [b.lat, b.lon]) : 0;
    });
    $("station-list").innerHTML = rows.map(function (s) {
      var n = total(s);
      return "<li><button type='button' class='station-item" + (state.selected === s.station_id ? " active" : "") +
        "' data-station='" + esc(s.station_id) + "'><strong>" + esc(name(s.name)) + "</strong>" +
        "<span class='counts'><span class='" + (n ? "ok" : "bad") + "'>" + n + " " + esc(t("bikes")) + "</span> · " +
        "<span class='" + (s.docks_available ? "ok" : "bad") + "'>" + s.docks_available + " " + esc(t("docks")) + "</span>" +
        (o ? " · " + fmtDist(distance(o, [s.lat, s.lon])) : "") + "</span></button></li>";
    }).join("");
  }
  $("station-list").addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-station]");
    if (b) { select(b.dataset.station); }
  });

  function select(id) {
    state.selected = id;
    var s = state.byId[id];
    if (map && s) { map.panTo([s.lat, s.lon]); }
    drawStations();
    listStations();
    return call("GET", "/systems/" + encodeURIComponent(SYS) + "/stations/" + encodeURIComponent(id)).then(function (res) {
      if (!res.ok) { say(problem(res), true); return; }
      state.byId[id] = Object.assign(state.byId[id] || {}, res.data);
      renderPanel(res.data);
    });
  }
  function renderPanel(s) {
    var panel = $("station-panel");
    var me = state.me;
    var riding = me && me.active_rental;
    var reserved = me && me.reservation;
    var n = total(s);
    var h = "<h2 id='panel-title'>" + esc(name(s.name)) + "</h2><p class='counts'>" +
      "<strong class='" + (n ? "ok" : "bad") + "'>" + n + "</strong> " + esc(t("bikes")) + " · <strong class='" +
      (s.docks_available ? "ok" : "bad") + "'>" + s.docks_available + "</strong> " + esc(t("docks")) + "</p>";
    var actions = [];
    if (!me) {
      actions.push("<p class='muted'>" + esc(t("Sign in to rent a bike")) + "</p>");
    } else if (riding) {
      actions.push("<button type='button' id='return-here' data-station='" + esc(s.station_id) + "'>" + esc(t("Return here")) + "</button>");
    } else if (!s.is_renting) {
      actions.push("<p class='bad'>" + esc(t("Station closed for rentals")) + "</p>");
    } else if (n === 0) {
      actions.push("<p class='bad'>" + esc(t("No bikes here right now")) + "</p>");
    } else {
      actions.push("<button type='button' id='rent-here' data-station='" + esc(s.station_id) + "'>" + esc(t("Rent here")) + "</button>");
    }
    h += "<div class='panel-actions'>" + actions.join("") + "</div>";
    if (s.bikes && s.bikes.length) {
      h += "<ul class='bike-list'>" + s.bikes.map(function (b) {
        var kind = b.vehicle_type_id === "classic" ? t("classic") : (b.vehicle_type_id === "ebike" ? t("e-bike") : b.vehicle_type_id);
        var bat = b.battery === null || b.battery === undefined ? "" : " · " + t("battery") + " " + Math.round(b.battery * 100) + " %";
        var btn = me && !riding && !reserved && s.is_renting
          ? " <button type='button' class='small reserve' data-vehicle='" + esc(b.vehicle_id) + "'>" + esc(t("Reserve")) + "</button>" : "";
        // The public knows a bike by its rotating vehicle id only; staff also get its bike id.
        var label = b.bike_id ? " <code>" + esc(b.bike_id) + "</code>" : "";
        return "<li>" + esc(t("Bike")) + label + " · " + esc(kind) + esc(bat) + btn + "</li>";
      }).join("") + "</ul>";
    }
    panel.innerHTML = h;
    panel.hidden = false;
    panel.dataset.station = s.station_id;
  }
  $("station-panel").addEventListener("click", function (ev) {
    var el = ev.target.closest("button");
    if (!el) { return; }
    if (el.id === "rent-here") { rent({ station_id: el.dataset.station }); }
    if (el.id === "return-here") { giveBack(el.dataset.station); }
    if (el.classList.contains("reserve")) { reserve(el.dataset.vehicle); }
  });

  // -- near me ---------------------------------------------------------------------------------------------
  $("near-me").addEventListener("click", function () {
    if (!navigator.geolocation) { $("origin-note").textContent = t("Location not available: showing the system's centre"); return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      state.origin = [pos.coords.latitude, pos.coords.longitude];
      $("origin-note").textContent = t("Showing stations near you");
      if (map) {
        if (state.here) { map.removeLayer(state.here); }
        state.here = L.circleMarker(state.origin, { radius: 8, color: "#1e64c8", fillColor: "#1e64c8", fillOpacity: 0.7 })
          .bindTooltip(t("You are here")).addTo(map);
        map.setView(state.origin, 15);
      }
      listStations();
    }, function () {
      $("origin-note").textContent = t("Location not available: showing the system's centre");
      listStations();
    }, { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
  });

  // -- account ---------------------------------------------------------------------------------------------
  function setToken(tok) {
    state.token = tok;
    if (tok) { sessionStorage.setItem(KEY, tok); } else { sessionStorage.removeItem(KEY); }
  }
  function refreshMe() {
    if (!state.token) { showSignedOut(); return Promise.resolve(); }
    return call("GET", "/systems/" + encodeURIComponent(SYS) + "/me").then(function (res) {
      if (res.status === 401) { setToken(null); showSignedOut(); return; }
      if (res.status === 404) {  // a valid sign-in without a rider account here: open one
        return call("POST", "/systems/" + encodeURIComponent(SYS) + "/riders", { language: LANG }).then(function (r2) {
          if (!r2.ok) { say(problem(r2), true); showSignedOut(); return; }
          return refreshMe();
        });
      }
      if (!res.ok) { say(problem(res), true); return; }
      state.me = res.data;
      showSignedIn();
      return loadTrips();
    });
  }
  function showSignedOut() {
    state.me = null;
    $("signed-out").hidden = false;
    $("signed-in").hidden = true;
    $("ride-box").hidden = true;
    root.dataset.signedIn = "0";
    if (state.selected && state.byId[state.selected]) { renderPanel(state.byId[state.selected]); }
  }
  function showSignedIn() {
    var me = state.me;
    $("signed-out").hidden = true;
    $("signed-in").hidden = false;
    root.dataset.signedIn = "1";
    $("balance").textContent = rp(me.balance);
    $("balance").dataset.value = String(me.balance);
    $("debt").textContent = rp(me.debt);
    var box = $("ride-box");
    if (me.active_rental) {
      var r = me.active_rental;
      box.innerHTML = "<p>" + esc(t("Riding bike {bike} since {time} from {station}", {
        bike: r.bike_id, time: hhmm(r.start_time), station: stationName(r.start_station_id) })) + "</p>";
      box.hidden = false;
      box.dataset.state = "riding";
    } else if (me.reservation) {
      var v = me.reservation;
      box.innerHTML = "<p>" + esc(t("Bike {bike} is held for you until {time}", { bike: v.bike_id, time: hhmm(v.expires_at) })) +
        " (" + esc(stationName(v.station_id)) + ")</p><button type='button' id='rent-reserved'>" + esc(t("Rent here")) +
        "</button> <button type='button' id='cancel-reservation' class='secondary'>" + esc(t("Cancel reservation")) + "</button>";
      box.hidden = false;
      box.dataset.state = "reserved";
    } else {
      box.hidden = true;
      box.dataset.state = "none";
    }
    if (state.selected && state.byId[state.selected]) { renderPanel(state.byId[state.selected]); }
  }
  $("ride-box").addEventListener("click", function (ev) {
    var el = ev.target.closest("button");
    if (!el) { return; }
    if (el.id === "rent-reserved") { rent({}); }
    if (el.id === "cancel-reservation") {
      call("DELETE", "/systems/" + encodeURIComponent(SYS) + "/me/reservation").then(function (res) {
        if (!res.ok) { say(problem(res), true); }
        return refreshAll();
      });
    }
  });
  function loadTrips() {
    return call("GET", "/systems/" + encodeURIComponent(SYS) + "/me/rentals?limit=20").then(function (res) {
      if (!res.ok) { return; }
      var items = res.data.items || [];
      $("trips").innerHTML = items.length ? items.map(function (r) {
        return "<li class='trip' data-rental='" + esc(r.rental_id) + "'><span>" + esc(day(r.start_time)) + " " + esc(hhmm(r.start_time)) +
          "</span> <strong>" + esc(stationName(r.start_station_id)) + " → " +
          esc(r.end_station_id ? stationName(r.end_station_id) : t("ongoing")) + "</strong> <span class='fare'>" +
          (r.fare === null || r.fare === undefined ? "" : rp(r.fare)) + "</span></li>";
      }).join("") : "<li class='muted'>" + esc(t("No trips yet")) + "</li>";
    });
  }
  function refreshAll() {
    return Promise.all([loadStations(), refreshMe()]).then(function () {
      if (state.selected) { return select(state.selected); }
    });
  }

  $("signup").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target;
    setToken(null);
    call("POST", "/systems/" + encodeURIComponent(SYS) + "/riders", {
      phone: f.phone.value, password: f.password.value, name: f.name.value, language: LANG
    }).then(function (res) {
      if (!res.ok) { say(problem(res), true); return; }
      setToken(res.data.access_token);
      say(t("Signed up: welcome!"));
      return refreshMe();
    });
  });
  $("signin").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target;
    setToken(null);
    call("POST", "/riders/token", { phone: f.phone.value, password: f.password.value }).then(function (res) {
      if (!res.ok) { say(problem(res), true); return; }
      setToken(res.data.access_token);
      say(t("Signed in"));
      return refreshMe();
    });
  });
  $("sign-out").addEventListener("click", function () { setToken(null); say(""); showSignedOut(); });

  // -- money ------------------------------------------------------------------------------------------------
  $("topup").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var amount = parseInt($("topup-amount").value, 10);
    call("POST", "/systems/" + encodeURIComponent(SYS) + "/me/topups", { amount: amount, idempotency_key: key() })
      .then(function (res) {
        if (!res.ok) { say(problem(res), true); return; }
        state.intent = res.data;
        $("topup-text").textContent = t("Top-up of {amount} is waiting for payment", { amount: rp(res.data.amount) }) + ". " +
          t("Scan this QRIS code with your banking app, or pay in the sandbox.");
        $("qr-payload").textContent = res.data.qr_payload;
        var img = $("qr-img");
        img.hidden = false;
        img.onerror = function () { img.hidden = true; };
        img.src = "/bikes/" + encodeURIComponent(SYS) + "/qr.svg?data=" + encodeURIComponent(res.data.qr_payload);
        $("topup-box").hidden = false;
        $("topup-box").dataset.intent = res.data.intent_id;
      });
  });
  // The sandbox bank's button exists only where the server turned sandbox payments on.
  if ($("sandbox-pay")) $("sandbox-pay").addEventListener("click", function () {
    if (!state.intent) { return; }
    call("POST", "/systems/" + encodeURIComponent(SYS) + "/me/topups/" + encodeURIComponent(state.intent.intent_id) + "/sandbox-pay")
      .then(function (res) {
        if (!res.ok) { say(problem(res), true); return; }
        state.intent = null;
        $("topup-box").hidden = true;
        say(t("Paid: balance {balance}", { balance: rp(res.data.balance) }));
        return refreshMe();
      });
  });

  // -- rides -------------------------------------------------------------------------------------------------
  function reserve(vehicle) {
    call("POST", "/systems/" + encodeURIComponent(SYS) + "/me/reservation", { vehicle_id: vehicle }).then(function (res) {
      if (!res.ok) { say(problem(res), true); return; }
      say(t("Reserved"));
      return refreshAll();
    });
  }
  function rent(body) {
    call("POST", "/systems/" + encodeURIComponent(SYS) + "/me/rentals", body).then(function (res) {
      if (!res.ok) { say(problem(res), true); return; }
      say(t("Riding bike {bike} since {time} from {station}", {
        bike: res.data.bike_id, time: hhmm(res.data.start_time), station: stationName(res.data.start_station_id) }));
      $("redirect-box").hidden = true;
      return refreshAll();
    });
  }
  function giveBack(station) {
    call("POST", "/systems/" + encodeURIComponent(SYS) + "/me/rentals/current/end", { station_id: station }).then(function (res) {
      var box = $("redirect-box");
      if (res.status === 409 && res.data && res.data.nearest_station_id) {
        var p = res.data;
        var near = p.nearest_station_id;
        box.innerHTML = "<p><strong>" + esc(t("Station {station} is full.", { station: stationName(p.station_id || station) })) + "</strong> " +
          esc(t("The nearest station with a free dock is {nearest}, {distance} m away.", { nearest: stationName(near), distance: p.distance_m })) +
          (p.credit_minutes ? " " + esc(t("You get {minutes} free minutes to ride there.", { minutes: p.credit_minutes })) : "") +
          "</p><button type='button' id='return-nearest' data-station='" + esc(near) + "'>" +
          esc(t("Return at {station}", { station: stationName(near) })) + "</button>";
        box.hidden = false;
        box.dataset.nearest = near;
        say("");
        select(near);
        box.scrollIntoView({ block: "start" });
        if (map && state.markers[near]) {
          var s = state.byId[near];
          map.setView([s.lat, s.lon], Math.max(map.getZoom(), 15));
        }
        return;
      }
      if (!res.ok) { say(problem(res), true); return; }
      box.hidden = true;
      var minutes = res.data.fare_detail ? res.data.fare_detail.minutes : "";
      say(t("Trip ended: {minutes} min, fare {fare}", { minutes: minutes, fare: rp(res.data.fare) }));
      return refreshAll();
    });
  }
  $("redirect-box").addEventListener("click", function (ev) {
    var el = ev.target.closest("#return-nearest");
    if (el) { giveBack(el.dataset.station); }
  });
  $("report").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target;
    call("POST", "/systems/" + encodeURIComponent(SYS) + "/reports", { bike_id: f.bike_id.value.trim(), note: f.note.value })
      .then(function (res) {
        if (!res.ok) { say(problem(res), true); return; }
        f.reset();
        say(t("Thank you: the bike is taken out of service"));
        return refreshAll();
      });
  });

  loadStations().then(refreshMe).then(function () { root.dataset.ready = "1"; });
})();
