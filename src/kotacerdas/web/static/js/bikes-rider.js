// Bike Sharing rider app (mobile web): stations on a map and in a searchable list, sign-in/sign-up by phone
// number, wallet and QRIS top-up (sandbox), the choice of a bike type with its price before renting, a ride timer
// with the running fare, the return (a full station answers 409 naming the nearest one with a free dock; a return
// whose answer is lost is checked and retried safely), trips with type, duration and fare, broken-bike reports.
// Everything goes through /api/v1/bikes. Messages appear where the rider is looking: beside the form or button
// that caused them and in a notice at the bottom of the screen.
// The rider's bearer token stays in this tab's sessionStorage and is sent in the Authorization header;
// requests carry no cookies (credentials: "omit"), so no web session can be used by a forged request.
(function () {
  "use strict";
  var root = document.getElementById("rider");
  if (!root) { return; }
  var SYS = root.dataset.system;
  var LANG = root.dataset.lang || "id";
  var DATA = JSON.parse(document.getElementById("bikes-data").textContent || "{}");
  var TEXTS = DATA.texts || {};
  var LOCALE = DATA.locale || (LANG === "id" ? "id-ID" : "en-GB");
  var TZ = DATA.timezone || "Asia/Jakarta";
  var TYPES = {};
  (DATA.vehicle_types || []).forEach(function (vt) { TYPES[vt.vehicle_type_id] = vt; });
  var PLANS = DATA.plans || {};
  var KEY = "kc_bikes_rider";
  var API = "/api/v1/bikes";
  var RETURN_RETRY_MS = 3000;
  // checks of a return whose answer was lost or refused by a busy server, before the rider is asked to check
  var RETURN_MAX_TRIES = 5;
  var state = { token: sessionStorage.getItem(KEY), me: null, stations: [], byId: {}, selected: null,
                origin: null, intent: null, markers: {}, here: null, query: "", timer: null, returning: null };

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
  var numberFmt = new Intl.NumberFormat(LOCALE);
  function rp(n) { return (n < 0 ? "-" : "") + "Rp" + numberFmt.format(Math.abs(n || 0)); }
  function name(v) { return v && typeof v === "object" ? (v[LANG] || v.id || v.en || "") : (v || ""); }
  function hhmm(iso) { return iso ? new Date(iso).toLocaleTimeString(LOCALE, { hour: "2-digit", minute: "2-digit", timeZone: TZ }) : ""; }
  function day(iso) { return iso ? new Date(iso).toLocaleDateString(LOCALE, { day: "numeric", month: "short", timeZone: TZ }) : ""; }
  function stationName(id) { var s = state.byId[id]; return s ? name(s.name) : (id || ""); }
  function typeName(id) { return TYPES[id] ? TYPES[id].name : (id || ""); }
  function key() { return "web-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10); }

  // -- messages where the rider looks: beside what caused them, and a notice at the bottom of the screen ------
  var toastTimer = null;
  function say(msg, isError, where) {
    var toast = $("rider-toast");
    ["signin-msg", "signup-msg", "topup-msg", "report-msg", "panel-msg"].forEach(function (id) {
      var e = $(id);
      if (e && id !== where) { e.hidden = true; }
    });
    if (where && $(where)) {
      var slot = $(where);
      slot.textContent = msg || "";
      slot.className = "form-msg" + (isError ? " error" : " ok");
      slot.hidden = !msg;
    }
    if (toastTimer) { clearTimeout(toastTimer); toastTimer = null; }
    toast.textContent = msg || "";
    toast.className = "toast" + (isError ? " error" : " ok");
    toast.setAttribute("role", isError ? "alert" : "status");
    toast.hidden = !msg;
    if (msg && !isError) { toastTimer = setTimeout(function () { toast.hidden = true; }, 6000); }
  }
  $("rider-toast").addEventListener("click", function () { $("rider-toast").hidden = true; });

  // A call to the API: resolves with {ok, status, data}; a network failure resolves with status 0.
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
          var after = Number(r.headers.get("Retry-After"));
          return { ok: r.ok, status: r.status, data: data, retryAfter: isFinite(after) && after > 0 ? after : 0 };
        });
      }, function () { return { ok: false, status: 0, data: null, offline: true }; });
  }
  function problem(res) {
    if (res.offline) { return t("No connection: check your internet and try again."); }
    return (res.data && (res.data.detail || res.data.title)) || t("Something went wrong");
  }
  function sys(path) { return "/systems/" + encodeURIComponent(SYS) + path; }

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
  function fmtDist(m) {
    return m < 1000 ? numberFmt.format(Math.round(m)) + " m"
      : new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(m / 1000) + " km";
  }

  function loadStations() {
    return call("GET", sys("/stations")).then(function (res) {
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
  function matches(s) {
    if (!state.query) { return true; }
    var q = state.query.toLowerCase();
    return [name(s.name), s.station_id, (s.kecamatan && s.kecamatan.name) || ""].join(" ").toLowerCase().indexOf(q) >= 0;
  }
  function listStations() {
    var o = state.origin;
    var rows = state.stations.filter(matches).sort(function (a, b) {
      return o ? distance(o, [a.lat, a.lon]) - distance(o, [b.lat, b.lon]) : 0;
    });
    $("station-list").innerHTML = rows.length ? rows.map(function (s) {
      var n = total(s);
      return "<li><button type='button' class='station-item" + (state.selected === s.station_id ? " active" : "") +
        "' data-station='" + esc(s.station_id) + "'><strong>" + esc(name(s.name)) + "</strong>" +
        "<span class='counts'><span class='" + (n ? "ok" : "bad") + "'>" + n + " " + esc(t("bikes")) + "</span> · " +
        "<span class='" + (s.docks_available ? "ok" : "bad") + "'>" + s.docks_available + " " + esc(t("docks")) + "</span>" +
        (o ? " · " + fmtDist(distance(o, [s.lat, s.lon])) : "") + "</span></button></li>";
    }).join("") : "<li class='muted' id='no-match'>" + esc(t("No station matches your search")) + "</li>";
  }
  $("station-list").addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-station]");
    if (b) { select(b.dataset.station); }
  });
  $("station-search").addEventListener("input", function (ev) { state.query = ev.target.value.trim(); listStations(); });

  function select(id) {
    state.selected = id;
    var s = state.byId[id];
    if (map && s) { map.panTo([s.lat, s.lon]); }
    drawStations();
    listStations();
    return call("GET", sys("/stations/" + encodeURIComponent(id))).then(function (res) {
      if (!res.ok) { say(problem(res), true); return; }
      state.byId[id] = Object.assign(state.byId[id] || {}, res.data);
      renderPanel(res.data);
    });
  }
  // The bikes of a station grouped by type; the one to rent of each type (e-bikes: the best charged, >= 20 %).
  function offers(s) {
    var groups = {};
    (s.bikes || []).forEach(function (b) {
      var g = groups[b.vehicle_type_id] || (groups[b.vehicle_type_id] = { count: 0, best: null });
      g.count += 1;
      var charged = b.battery === null || b.battery === undefined || b.battery >= 0.2;
      if (charged && (!g.best || (b.battery || 0) > (g.best.battery || 0))) { g.best = b; }
    });
    return groups;
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
    var groups = offers(s);
    var actions = [];
    if (riding) {
      actions.push("<button type='button' id='return-here' data-station='" + esc(s.station_id) + "'>" + esc(t("Return here")) + "</button>");
    } else if (!s.is_renting) {
      actions.push("<p class='bad'>" + esc(t("Station closed for rentals")) + "</p>");
    } else if (n === 0) {
      actions.push("<p class='bad'>" + esc(t("No bikes here right now")) + "</p>");
    }
    if (!riding && s.is_renting) {
      var typeIds = Object.keys(TYPES).length ? Object.keys(TYPES) : Object.keys(groups);
      actions.push("<ul class='type-offers'>" + typeIds.map(function (tid) {
        var g = groups[tid] || { count: 0, best: null };
        var vt = TYPES[tid] || { name: tid, price: "" };
        var rent = "";
        if (g.best && me && !reserved) {
          rent = "<button type='button' class='rent-type' data-type='" + esc(tid) + "' data-vehicle='" + esc(g.best.vehicle_id) + "'>" +
            esc(t("Rent a {type}", { type: vt.name.toLowerCase() })) + "</button>";
        } else if (g.count && !g.best) {
          rent = "<span class='muted'>" + esc(t("e-bikes need at least 20 % battery")) + "</span>";
        } else if (g.best && !me) {
          rent = "<a href='#account' class='button sign-in-to-rent'>" + esc(t("Sign in to rent")) + "</a>";
        }
        return "<li class='type-offer' data-type='" + esc(tid) + "' data-count='" + g.count + "'><div><strong>" + esc(vt.name) +
          "</strong> · " + esc(g.count ? t("{n} available", { n: g.count }) : t("none available")) +
          "<br><span class='price'>" + esc(vt.price || "") + "</span></div>" + rent + "</li>";
      }).join("") + "</ul>");
    }
    h += "<div class='panel-actions'>" + actions.join("") + "</div><p class='form-msg' id='panel-msg' role='alert' hidden></p>";
    if (s.bikes && s.bikes.length && me && !riding && !reserved && s.is_renting) {
      h += "<details class='bike-details'><summary>" + esc(t("Reserve")) + "</summary><ul class='bike-list'>" + s.bikes.map(function (b) {
        var bat = b.battery === null || b.battery === undefined ? "" : " · " + t("battery") + " " + Math.round(b.battery * 100) + " %";
        // The public knows a bike by its rotating vehicle id only; staff also get its bike id.
        var label = b.bike_id ? " <code>" + esc(b.bike_id) + "</code>" : "";
        return "<li>" + esc(t("Bike")) + label + " · " + esc(typeName(b.vehicle_type_id)) + esc(bat) +
          " <button type='button' class='small reserve' data-vehicle='" + esc(b.vehicle_id) + "'>" + esc(t("Reserve")) + "</button></li>";
      }).join("") + "</ul></details>";
    }
    panel.innerHTML = h;
    panel.hidden = false;
    panel.dataset.station = s.station_id;
  }
  $("station-panel").addEventListener("click", function (ev) {
    var el = ev.target.closest("button, a.sign-in-to-rent");
    if (!el) { return; }
    if (el.classList.contains("sign-in-to-rent")) { ev.preventDefault(); openSignIn(); return; }
    if (el.classList.contains("rent-type")) { rent({ vehicle_id: el.dataset.vehicle }, el); }
    if (el.id === "return-here") { giveBack(el.dataset.station, el); }
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
  function showForm(which) {
    var signup = which === "signup";
    $("signup-box").hidden = !signup;
    $("signin-box").hidden = signup;
    $(signup ? "signup-phone" : "signin-phone").focus();
  }
  function openSignIn() {
    $("account").scrollIntoView({ block: "start" });
    showForm("signin");
  }
  $("show-signin").addEventListener("click", function () { showForm("signin"); });
  $("show-signup").addEventListener("click", function () { showForm("signup"); });

  function setToken(tok) {
    state.token = tok;
    if (tok) { sessionStorage.setItem(KEY, tok); } else { sessionStorage.removeItem(KEY); }
  }
  function refreshMe() {
    if (!state.token) { showSignedOut(); return Promise.resolve(); }
    return call("GET", sys("/me")).then(function (res) {
      if (res.status === 401) { setToken(null); showSignedOut(); return; }
      if (res.status === 404) {  // a valid sign-in without a rider account here: open one
        return call("POST", sys("/riders"), { language: LANG }).then(function (r2) {
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
    stopTimer();
    $("signed-out").hidden = false;
    $("signed-in").hidden = true;
    $("rider-more").hidden = true;
    $("ride-box").hidden = true;
    root.dataset.signedIn = "0";
    if (state.selected && state.byId[state.selected]) { renderPanel(state.byId[state.selected]); }
  }
  function plural(min) { return min + " " + t("min"); }
  // The rule of kotacerdas.bikes.pricing: unlock fee, then per started minute past the free (and credited) ones.
  function runningFare(r, seconds) {
    var plan = PLANS[r.plan_id];
    if (!plan) { return null; }
    var started = Math.max(1, Math.ceil(seconds / 60));
    var billable = Math.max(0, started - (plan.free_minutes || 0) - (r.credit_minutes || 0));
    return (r.pass_id ? 0 : (plan.unlock_fee || 0)) + (plan.per_minute || 0) * billable;
  }
  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds)), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), x = s % 60;
    var two = function (v) { return (v < 10 ? "0" : "") + v; };
    return (h ? h + ":" + two(m) : m) + ":" + two(x);
  }
  function stopTimer() { if (state.timer) { clearInterval(state.timer); state.timer = null; } }
  function tick() {
    var r = state.me && state.me.active_rental;
    if (!r || !$("ride-timer")) { stopTimer(); return; }
    var seconds = (Date.now() - new Date(r.start_time).getTime()) / 1000;
    $("ride-timer").textContent = clock(seconds);
    $("ride-timer").dataset.seconds = String(Math.floor(seconds));
    var fare = runningFare(r, seconds);
    if (fare !== null) { $("ride-fare").textContent = rp(fare); $("ride-fare").dataset.value = String(fare); }
  }
  function showSignedIn() {
    var me = state.me;
    $("signed-out").hidden = true;
    $("signed-in").hidden = false;
    $("rider-more").hidden = false;
    root.dataset.signedIn = "1";
    $("balance").textContent = rp(me.balance);
    $("balance").dataset.value = String(me.balance);
    $("debt").textContent = rp(me.debt);
    var box = $("ride-box");
    stopTimer();
    if (me.active_rental) {
      var r = me.active_rental;
      box.innerHTML = "<p>" + esc(t("Riding bike {bike} since {time} from {station}", {
        bike: r.bike_id, time: hhmm(r.start_time), station: stationName(r.start_station_id) })) +
        " · " + esc(typeName(r.vehicle_type_id)) + "</p><dl class='ride-figures'><div><dt>" + esc(t("Ride time")) +
        "</dt><dd id='ride-timer'>0:00</dd></div><div><dt>" + esc(t("Fare so far")) + "</dt><dd id='ride-fare'>–</dd></div></dl>" +
        "<p class='muted small'>" + esc(t("estimate; the final fare is charged at the return")) + "</p>";
      box.hidden = false;
      box.dataset.state = "riding";
      tick();
      state.timer = setInterval(tick, 1000);
    } else if (me.reservation) {
      var v = me.reservation;
      box.innerHTML = "<p>" + esc(t("Bike {bike} is held for you until {time}", { bike: v.bike_id, time: hhmm(v.expires_at) })) +
        " (" + esc(stationName(v.station_id)) + ")</p><button type='button' id='rent-reserved'>" + esc(t("Rent here")) +
        "</button> <button type='button' id='cancel-reservation' class='secondary'>" + esc(t("Cancel reservation")) + "</button>";
      box.hidden = false;
      box.dataset.state = "reserved";
    } else if (!state.returning) {
      box.hidden = true;
      box.dataset.state = "none";
    }
    if (state.selected && state.byId[state.selected]) { renderPanel(state.byId[state.selected]); }
  }
  $("ride-box").addEventListener("click", function (ev) {
    var el = ev.target.closest("button");
    if (!el) { return; }
    if (el.id === "rent-reserved") { rent({}, el); }
    if (el.id === "cancel-reservation") {
      call("DELETE", sys("/me/reservation")).then(function (res) {
        if (!res.ok) { say(problem(res), true); }
        return refreshAll();
      });
    }
    if (el.id === "check-return") { state.returnTries = 0; verifyReturn(el.dataset.station); }
  });
  function loadTrips() {
    return call("GET", sys("/me/rentals?limit=20")).then(function (res) {
      if (!res.ok) { return; }
      var items = res.data.items || [];
      $("trips").innerHTML = items.length ? items.map(function (r) {
        var minutes = r.end_time ? Math.max(1, Math.ceil((new Date(r.end_time) - new Date(r.start_time)) / 60000)) : null;
        return "<li class='trip' data-rental='" + esc(r.rental_id) + "' data-type='" + esc(r.vehicle_type_id || "") +
          "' data-minutes='" + (minutes === null ? "" : minutes) + "' data-fare='" + (r.fare === null || r.fare === undefined ? "" : r.fare) +
          "'><span class='when'>" + esc(day(r.start_time)) + " " + esc(hhmm(r.start_time)) +
          "</span> <strong>" + esc(stationName(r.start_station_id)) + " → " +
          esc(r.end_station_id ? stationName(r.end_station_id) : t("ongoing")) + "</strong> <span class='trip-type'>" +
          esc(typeName(r.vehicle_type_id)) + "</span>" + (minutes === null ? "" : " · <span class='trip-minutes'>" + esc(plural(minutes)) + "</span>") +
          " <span class='fare'>" + (r.fare === null || r.fare === undefined ? "" : rp(r.fare)) + "</span></li>";
      }).join("") : "<li class='muted'>" + esc(t("No trips yet")) + "</li>";
      return items;
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
    call("POST", sys("/riders"), {
      phone: f.phone.value, password: f.password.value, name: f.name.value, language: LANG
    }).then(function (res) {
      if (!res.ok) { say(problem(res), true, "signup-msg"); return; }
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
      if (!res.ok) { say(problem(res), true, "signin-msg"); return; }
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
    call("POST", sys("/me/topups"), { amount: amount, idempotency_key: key() })
      .then(function (res) {
        if (!res.ok) { say(problem(res), true, "topup-msg"); return; }
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
    call("POST", sys("/me/topups/" + encodeURIComponent(state.intent.intent_id) + "/sandbox-pay"))
      .then(function (res) {
        if (!res.ok) { say(problem(res), true, "topup-msg"); return; }
        state.intent = null;
        $("topup-box").hidden = true;
        say(t("Paid: balance {balance}", { balance: rp(res.data.balance) }), false, "topup-msg");
        return refreshMe();
      });
  });

  // -- rides -------------------------------------------------------------------------------------------------
  function reserve(vehicle) {
    call("POST", sys("/me/reservation"), { vehicle_id: vehicle }).then(function (res) {
      if (!res.ok) { say(problem(res), true, "panel-msg"); return; }
      say(t("Reserved"));
      return refreshAll();
    });
  }
  function rent(body, button) {
    if (button) { button.disabled = true; }
    say(t("Renting…"), false, "panel-msg");
    call("POST", sys("/me/rentals"), body).then(function (res) {
      if (!res.ok) {
        if (button) { button.disabled = false; }
        say(problem(res), true, $("panel-msg") ? "panel-msg" : null);
        if (res.status === 409 && state.selected) { select(state.selected); }
        return;
      }
      say(t("Riding bike {bike} since {time} from {station}", {
        bike: res.data.bike_id, time: hhmm(res.data.start_time), station: stationName(res.data.start_station_id) }));
      $("redirect-box").hidden = true;
      return refreshAll().then(function () { $("ride-box").scrollIntoView({ block: "nearest" }); });
    });
  }
  function fullStation(p, station) {
    var box = $("redirect-box");
    var near = p.nearest_station_id;
    box.innerHTML = "<p><strong>" + esc(t("Station {station} is full.", { station: stationName(p.station_id || station) })) + "</strong> " +
      esc(t("The nearest station with a free dock is {nearest}, {distance} m away.", { nearest: stationName(near), distance: numberFmt.format(p.distance_m) })) +
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
  }
  function returned(trip) {
    state.returning = null;
    state.returnTries = 0;
    $("redirect-box").hidden = true;
    var minutes = trip.fare_detail ? trip.fare_detail.minutes
      : Math.max(1, Math.ceil((new Date(trip.end_time) - new Date(trip.start_time)) / 60000));
    say(t("Trip ended: {minutes} min, fare {fare}", { minutes: minutes, fare: rp(trip.fare) }), false, "panel-msg");
    return refreshAll();
  }
  // The answer of a return was lost: show it, then ask the server for the true state and retry only if the
  // ride is still open (a ride is ended once: a second return of the same ride changes nothing).
  // A busy server (5xx, 503 with Retry-After) is asked again after the pause it names, growing, and at most
  // RETURN_MAX_TRIES times; then the rider checks by hand (the return is idempotent: charged once).
  function returnLost(station, res) {
    var box = $("ride-box");
    state.returning = station;
    state.returnTries = (state.returnTries || 0) + 1;
    stopTimer();
    var busy = res && !res.offline;
    var wait = Math.max(RETURN_RETRY_MS, (res && res.retryAfter ? res.retryAfter * 1000 : 0)) * state.returnTries;
    var again = state.returnTries <= RETURN_MAX_TRIES;
    var text = !again ? t("The return could not be confirmed yet. Check again in a moment: the ride is charged once.")
      : busy ? t("The server is busy: the return is not confirmed yet. Checking again in {seconds} s…", { seconds: Math.round(wait / 1000) })
      : t("No connection: the return is not confirmed yet. Checking again in a few seconds…");
    box.hidden = false;
    box.dataset.state = "return-unconfirmed";
    box.innerHTML = "<p class='bad' id='return-problem'>" + esc(text) +
      "</p><button type='button' id='check-return' data-station='" + esc(station) + "'>" + esc(t("Check again")) + "</button>";
    say(text, true, "panel-msg");
    box.scrollIntoView({ block: "nearest" });
    clearTimeout(returnLost.timer);
    if (again) { returnLost.timer = setTimeout(function () { verifyReturn(station); }, wait); }
  }
  function verifyReturn(station) {
    clearTimeout(returnLost.timer);
    call("GET", sys("/me")).then(function (res) {
      if (res.offline || res.status >= 500) { returnLost(station, res); return; }
      if (!res.ok) { state.returning = null; say(problem(res), true, "panel-msg"); return; }
      if (res.data.active_rental) { giveBack(station); return; }  // not recorded: return it now
      loadTrips().then(function (items) {  // recorded: show the trip as the server has it
        var trip = (items || [])[0];
        if (trip) { returned(trip); } else { state.returning = null; refreshAll(); }
      });
    });
  }
  function giveBack(station, button) {
    if (button) { button.disabled = true; state.returnTries = 0; }
    say(t("Returning the bike…"), false, "panel-msg");
    call("POST", sys("/me/rentals/current/end"), { station_id: station }).then(function (res) {
      if (button) { button.disabled = false; }
      if (res.offline || res.status >= 500) { returnLost(station, res); return; }
      if (res.status === 409 && res.data && res.data.nearest_station_id) { state.returning = null; fullStation(res.data, station); return; }
      if (!res.ok) {  // refused (no ride to end, a closed station ...): say why, never loop
        state.returning = null;
        say(problem(res), true, "panel-msg");
        return refreshAll();
      }
      return returned(res.data);
    });
  }
  $("redirect-box").addEventListener("click", function (ev) {
    var el = ev.target.closest("#return-nearest");
    if (el) { giveBack(el.dataset.station, el); }
  });
  $("report").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target;
    call("POST", sys("/reports"), { bike_id: f.bike_id.value.trim(), note: f.note.value })
      .then(function (res) {
        if (!res.ok) { say(problem(res), true, "report-msg"); return; }
        f.reset();
        say(t("Thank you: the bike is taken out of service"), false, "report-msg");
        return refreshAll();
      });
  });

  loadStations().then(refreshMe).then(function () {
    if (DATA.station && state.byId[DATA.station]) { return select(DATA.station); }
  }).then(function () { root.dataset.ready = "1"; });
})();
