"""Browser test of the Bike Sharing screens: a rider rents and returns a bike; an operator sees the fill levels.

Headless Debian Chromium driven by Playwright against a real ``kotacerdas demo`` server with a
temporary data folder (base-map tiles cannot load offline; the stations must draw anyway).
Skips without Chromium unless ``KOTACERDAS_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import importlib.util
import random

import httpx
import pytest

pytestmark = pytest.mark.browser

SYSTEM = "banyuwangi"
API = f"/api/v1/bikes/systems/{SYSTEM}"
PASSWORD = "sandi-rahasia-1"


@pytest.fixture
def server(demo_server: str) -> str:
    """The shared demo server of the browser tests (tests/conftest.py)."""
    return demo_server


@pytest.fixture
def browser(chromium):
    return chromium


def _phone() -> str:
    return "0813" + "".join(random.choice("0123456789") for _ in range(8))


def _station(server: str, station_id: str) -> dict:
    return httpx.get(f"{server}{API}/stations/{station_id}").json()


def _sign_up_and_top_up(page, server: str) -> str:
    page.goto(server + f"/bikes/{SYSTEM}")
    page.wait_for_selector("#rider[data-ready='1']")
    assert page.locator(".station-item").count() == len(httpx.get(server + f"{API}/stations").json()["features"])
    page.click("#show-signup")
    page.fill("#signup-phone", _phone())
    page.fill("#signup-name", "Siti")
    page.fill("#signup-password", PASSWORD)
    page.click("#signup button[type=submit]")
    page.wait_for_selector("#signed-in:not([hidden])")
    assert page.get_attribute("#balance", "data-value") == "0"
    page.select_option("#topup-amount", "20000")
    page.click("#topup button[type=submit]")
    page.wait_for_selector("#topup-box:not([hidden])")
    payload = page.text_content("#qr-payload")  # inside a closed <details>
    assert payload.startswith("000201") and "ID.CO.QRIS.WWW" in payload  # a dynamic QRIS string
    if importlib.util.find_spec("segno") is not None:  # the QR code is drawn as SVG by the server
        page.wait_for_function("document.getElementById('qr-img').complete")
        assert page.evaluate("document.getElementById('qr-img').naturalWidth") > 0
    page.click("#sandbox-pay")
    page.wait_for_function("document.getElementById('balance').dataset.value === '20000'")
    return page.evaluate("sessionStorage.getItem('kc_bikes_rider')")


def _rent_at(page, station_id: str, kind: str = "classic") -> None:
    page.click(f".station-item[data-station='{station_id}']")
    button = f"#station-panel[data-station='{station_id}'] .rent-type[data-type='{kind}']"
    page.wait_for_selector(button)
    page.click(button)
    page.wait_for_selector("#ride-box[data-state='riding']")


def test_rider_signs_up_tops_up_rents_and_returns(server, phone_page):
    page = phone_page
    token = _sign_up_and_top_up(page, server)
    assert token
    before = _station(server, "sritanjung")
    _rent_at(page, "sritanjung")
    me = httpx.get(server + f"{API}/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["active_rental"]["start_station_id"] == "sritanjung"
    assert _station(server, "sritanjung")["docked"] == before["docked"] - 1
    page.click(".station-item[data-station='pantai-boom']")
    page.wait_for_selector("#station-panel[data-station='pantai-boom'] #return-here")
    page.click("#return-here")
    page.wait_for_selector("#ride-box[data-state='none']", state="attached")
    page.wait_for_selector("#trips li.trip")
    trips = httpx.get(server + f"{API}/me/rentals", headers={"Authorization": f"Bearer {token}"}).json()
    assert trips["total"] == 1
    trip = trips["items"][0]
    assert (trip["start_station_id"], trip["end_station_id"]) == ("sritanjung", "pantai-boom")
    assert trip["fare"] > 0
    history = page.inner_text("#trips")
    assert "Taman Sritanjung" in history and "Pantai Boom" in history  # Indonesian station names
    assert page.locator("#trips li.trip").count() == 1
    page.wait_for_function(f"document.getElementById('balance').dataset.value === '{20000 - trip['fare']}'")
    assert "Perjalanan selesai" in page.inner_text("#rider-toast")
    # the trip history names the type, the minutes and the fare as the Indonesian reader writes them
    item = page.locator("#trips li.trip").first
    assert item.get_attribute("data-type") == "classic" and "Sepeda biasa" in item.inner_text()
    assert int(item.get_attribute("data-minutes")) >= 1 and "menit" in item.inner_text()
    assert f"Rp{trip['fare']:,}".replace(",", ".") in item.inner_text()


def test_return_to_a_full_station_sends_the_rider_to_the_nearest_one(server, phone_page):
    op = httpx.post(server + "/api/v1/auth/token", json={"username": "sepeda.bwi", "password": "demo-kotacerdas"})
    head = {"Authorization": f"Bearer {op.json()['access_token']}"}
    full = _station(server, "kampung-mandar")
    r = httpx.patch(f"{server}{API}/stations/kampung-mandar", json={"capacity": full["docked"]}, headers=head)
    assert r.status_code == 200 and r.json()["docks_available"] == 0
    page = phone_page
    _sign_up_and_top_up(page, server)
    _rent_at(page, "sritanjung")
    page.click(".station-item[data-station='kampung-mandar']")
    page.wait_for_selector("#station-panel[data-station='kampung-mandar'] #return-here")
    page.click("#return-here")
    page.wait_for_selector("#redirect-box:not([hidden])")
    nearest = page.get_attribute("#redirect-box", "data-nearest")
    assert nearest and nearest != "kampung-mandar"
    text = page.inner_text("#redirect-box")
    assert "Kampung Mandar" in text and "penuh" in text and "15" in text  # full, and 15 free minutes
    assert _station(server, nearest)["docks_available"] > 0
    page.click("#return-nearest")
    page.wait_for_selector("#redirect-box", state="hidden")
    page.wait_for_selector("#ride-box[data-state='none']", state="attached")
    page.wait_for_selector("#trips li.trip")
    assert page.locator("#trips li.trip").count() == 1


def test_operator_sees_the_station_map_with_fill_levels(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(server + f"/bikes/{SYSTEM}/operator")
        assert "/login" in page.url  # anonymous: sign in first
        page.fill("input[name=username]", "sepeda.bwi")
        page.fill("input[name=password]", "demo-kotacerdas")
        page.click("#login-submit")
        page.wait_for_url(f"**/bikes/{SYSTEM}/operator")
        stations = httpx.get(server + f"{API}/stations").json()["features"]
        page.wait_for_function("document.getElementById('op-map').dataset.drawn !== undefined")
        assert page.get_attribute("#op-map", "data-drawn") == str(len(stations))
        assert page.locator("#op-map path.kc-station").count() == len(stations)
        fills = set(page.eval_on_selector_all("#op-map path.kc-station", "els => els.map(e => e.getAttribute('fill'))"))
        assert fills <= {"#d73027", "#fc8d59", "#1a9850", "#4575b4", "#542788"} and fills
        full = [f["properties"]["station_id"] for f in stations if f["properties"]["docks_available"] == 0]
        if full:  # the previous test made Kampung Mandar full: drawn as full and listed as an alert
            assert page.locator("#op-map path.kc-fill-full").count() == len(full)
            assert page.locator(f"#station-alerts li.alert-full[data-station='{full[0]}']").count() == 1
        assert page.locator("#trips-chart rect.bar").count() == 14
        assert page.locator("#fill-legend").is_visible() and page.locator("#plan-legend").is_hidden()
        page.click("#show-rebalancing")
        page.wait_for_selector("#rebalancing[data-loaded='1']")
        assert page.locator("#plan-legend").is_visible()  # rings, routes and depot explained once drawn
        assert "1 stops" not in page.inner_text("#rebalancing") and "van-1" not in page.inner_text("#rebalancing")
    finally:
        context.close()


def _in_view(page, selector: str) -> bool:
    """Whether the element is on the screen the rider sees now (not scrolled away)."""
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def test_messages_appear_where_the_rider_looks(server, phone_page):
    """A bad phone number, a wrong password: said beside the form, and in a notice at the bottom of the screen."""
    page = phone_page
    page.goto(server + f"/bikes/{SYSTEM}")
    page.wait_for_selector("#rider[data-ready='1']")
    page.click("#show-signup")
    page.fill("#signup-phone", "12345")
    page.fill("#signup-password", PASSWORD)
    page.click("#signup button[type=submit]")
    page.wait_for_selector("#signup-msg:not([hidden])")
    assert "bukan nomor ponsel" in page.inner_text("#signup-msg")
    assert _in_view(page, "#signup-msg") and _in_view(page, "#rider-toast")
    page.click("#show-signin")
    page.fill("#signin-phone", "0812 0000 0001")
    page.fill("#signin-password", "bukan-sandinya")
    page.click("#signin button[type=submit]")
    page.wait_for_selector("#signin-msg:not([hidden])")
    text = page.inner_text("#signin-msg")
    assert "Nomor ponsel atau kata sandi salah" in text and "Nama pengguna" not in text
    assert _in_view(page, "#signin-msg")


def test_one_way_in_for_riders_near_the_top(server, phone_page):
    """One sign-in button for riders, above the stations; the staff's sign-in is a small link; a station's
    "Sign in to rent" is a real link to the rider's sign-in."""
    page = phone_page
    page.goto(server + f"/bikes/{SYSTEM}")
    page.wait_for_selector("#rider[data-ready='1']")
    buttons = page.locator("main button:visible, main a.button:visible")
    assert [b.inner_text() for b in buttons.all()].count("Masuk") == 1
    assert page.inner_text("#login-link") == "Masuk staf"
    account, stations = page.locator("#account").bounding_box(), page.locator("#station-list").bounding_box()
    assert account["y"] < stations["y"] and account["y"] < 844
    page.click(".station-item[data-station='sritanjung']")
    link = page.locator("#station-panel a.sign-in-to-rent").first
    assert link.get_attribute("href") == "#account"
    link.click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'signin-phone'")
    assert _in_view(page, "#signin-phone")


def test_the_rider_chooses_the_bike_type_sees_the_price_and_a_running_fare(server, chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(server + "/lang/en?next=/bikes/" + SYSTEM)
        _sign_up_and_top_up(page, server)
        page.click(".station-item[data-station='sritanjung']")
        page.wait_for_selector("#station-panel .type-offer[data-type='ebike']")
        offers = {
            o.get_attribute("data-type"): o.inner_text() for o in page.locator("#station-panel .type-offer").all()
        }
        assert "Rp3,000 to unlock" in offers["classic"] and "Rp250 per minute" in offers["classic"]
        assert "Rp5,000 to unlock" in offers["ebike"] and "Rp500 per minute" in offers["ebike"]
        if (
            int(page.get_attribute("#station-panel .type-offer[data-type='ebike']", "data-count"))
            and page.locator(".rent-type[data-type='ebike']").count()
        ):
            kind = "ebike"
        else:
            kind = "classic"
        page.click(f".rent-type[data-type='{kind}']")
        page.wait_for_selector("#ride-box[data-state='riding'] #ride-timer")
        page.wait_for_function("Number(document.getElementById('ride-timer').dataset.seconds) >= 2")
        fare = int(page.get_attribute("#ride-fare", "data-value"))
        assert fare == (5000 if kind == "ebike" else 3000)  # the unlock fee while within the free minutes
        assert ("E-bike" if kind == "ebike" else "Classic bike") in page.inner_text("#ride-box")
    finally:
        context.close()


def test_a_lost_return_answer_is_checked_and_the_true_state_shown(server, phone_page):
    """The return reaches the server but its answer is lost (the network drops): the rider is told, the page
    checks again on its own, finds the ride ended and shows the trip, charged once."""
    page = phone_page
    token = _sign_up_and_top_up(page, server)
    _rent_at(page, "sritanjung")
    lost = []

    def drop_the_answer(route):
        if not lost:
            route.fetch()  # the server ends the ride ...
            lost.append(1)
            route.abort("internetdisconnected")  # ... and the answer never arrives
        else:
            route.continue_()

    page.route("**/me/rentals/current/end", drop_the_answer)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.click(".station-item[data-station='pantai-boom']")
    page.wait_for_selector("#station-panel[data-station='pantai-boom'] #return-here")
    page.click("#return-here")
    page.wait_for_selector("#ride-box[data-state='return-unconfirmed'] #return-problem")
    assert "Tidak ada koneksi" in page.inner_text("#return-problem") and _in_view(page, "#rider-toast")
    page.wait_for_selector("#trips li.trip", timeout=15_000)  # checked again, found ended
    page.wait_for_selector("#ride-box[data-state='none']", state="attached")
    assert "Perjalanan selesai" in page.inner_text("#rider-toast")
    head = {"Authorization": f"Bearer {token}"}
    trips = httpx.get(server + f"{API}/me/rentals", headers=head).json()
    assert trips["total"] == 1 and trips["items"][0]["end_station_id"] == "pantai-boom"
    me = httpx.get(server + f"{API}/me", headers=head).json()
    assert me["balance"] == 20000 - trips["items"][0]["fare"]  # charged once
    assert not errors  # no uncaught "Failed to fetch"


def test_a_busy_server_during_a_return_is_asked_again_after_a_pause_and_a_refusal_is_said(server, phone_page):
    """Two 503s with Retry-After, then the server answers: the page waits between tries (no tight loop), says the
    server is busy, and shows the trip once it is recorded. A later refusal (4xx) is shown once and not retried."""
    import time as _time

    page = phone_page
    token = _sign_up_and_top_up(page, server)
    _rent_at(page, "sritanjung")
    seen: list[float] = []

    def busy_twice(route):
        seen.append(_time.monotonic())
        if len(seen) <= 2:
            route.fulfill(
                status=503,
                headers={"Retry-After": "1", "Content-Type": "application/problem+json"},
                body='{"title": "Busy", "status": 503, "detail": "busy"}',
            )
        else:
            route.continue_()

    page.route("**/me/rentals/current/end", busy_twice)
    checked: list[int] = []

    def busy_once(route):  # the page's check of the ride state is refused once too
        checked.append(1)
        if len(checked) == 1 and len(seen) == 1:
            route.fulfill(status=503, headers={"Retry-After": "1"}, body="")
        else:
            route.continue_()

    page.route("**/me", busy_once)
    page.click(".station-item[data-station='pantai-boom']")
    page.wait_for_selector("#station-panel[data-station='pantai-boom'] #return-here")
    page.click("#return-here")
    page.wait_for_selector("#ride-box[data-state='return-unconfirmed'] #return-problem")
    assert "sibuk" in page.inner_text("#return-problem")
    page.wait_for_selector("#ride-box[data-state='none']", state="attached", timeout=45_000)
    assert len(seen) == 3 and seen[1] - seen[0] >= 2.5  # a pause of at least RETURN_RETRY_MS, not a loop
    trips = httpx.get(server + f"{API}/me/rentals", headers={"Authorization": f"Bearer {token}"}).json()
    assert trips["total"] == 1
    page.unroute("**/me/rentals/current/end")
    page.unroute("**/me")
    _rent_at(page, "sritanjung")
    refused: list[int] = []

    def refuse(route):
        refused.append(1)
        route.fulfill(
            status=403,
            headers={"Content-Type": "application/problem+json"},
            body='{"title": "Forbidden", "status": 403, "detail": "Stasiun ini ditutup"}',
        )

    page.route("**/me/rentals/current/end", refuse)
    page.click(".station-item[data-station='pantai-boom']")
    page.wait_for_selector("#station-panel[data-station='pantai-boom'] #return-here")
    page.click("#return-here")
    page.wait_for_function("document.body.innerText.indexOf('Stasiun ini ditutup') >= 0")
    page.wait_for_timeout(4000)
    assert refused == [1]


def test_the_rider_map_has_a_legend_and_a_station_search(server, chromium):
    for lang, locale in (("id", "id-ID"), ("en", "en-GB")):
        context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale=locale)
        page = context.new_page()
        page.set_default_timeout(20_000)
        try:
            page.goto(server + f"/lang/{lang}?next=/bikes/{SYSTEM}")
            page.wait_for_selector("#rider[data-ready='1']")
            assert page.locator("#rider-legend").is_visible() and page.locator("#rider-legend > span").count() == 5
            page.fill("#station-search", "pantai")
            names = page.locator(".station-item strong").all_inner_texts()
            assert names and all("Pantai" in n or "Beach" in n for n in names)
            page.fill("#station-search", "tidak ada")
            assert page.locator("#no-match").is_visible()
        finally:
            context.close()


def test_the_station_page_behind_the_feed_link_rents_in_the_app(server, phone_page):
    info = httpx.get(server + f"/gbfs/v3/{SYSTEM}/station_information.json").json()["data"]["stations"]
    url = next(s["rental_uris"]["web"] for s in info if s["station_id"] == "blambangan")
    page = phone_page
    page.goto(server + "/" + url.split("://", 1)[1].split("/", 1)[1])
    assert page.inner_text("#station-name") == "Taman Blambangan"
    page.click("#rent-in-app")
    page.wait_for_selector("#station-panel[data-station='blambangan']")


def test_an_operator_renames_and_moves_a_station_on_a_phone(server, phone_page):
    """The station's Edit form on a 390 px screen: renamed and moved, the change listed with its fields, undone."""
    page = phone_page
    before = _station(server, "lateng")
    page.goto(server + f"/login?next=/bikes/{SYSTEM}/operator&lang=id")
    page.fill("input[name=username]", "sepeda.bwi")
    page.fill("input[name=password]", "demo-kotacerdas")
    page.click("#login-submit")
    page.wait_for_url(f"**/bikes/{SYSTEM}/operator")
    page.click("tr[data-station='lateng'] a.edit-station")
    page.wait_for_selector("#station-edit-form")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("input[name=capacity]", "dua belas")
    page.click("#station-edit-form button[type=submit]")
    assert "kapasitas harus berupa bilangan bulat" in page.inner_text("#form-error")
    assert page.input_value("input[name=capacity]") == "dua belas"  # what was typed is kept
    page.fill("input[name=capacity]", str(before["capacity"]))
    page.fill("input[name=name_id]", "Lateng Baru")
    page.fill("input[name=address]", "Jl. Kapten Piere Tendean")
    page.fill("input[name=lat]", f"{before['lat'] + 0.0005:.6f}")
    page.click("#station-edit-form button[type=submit]")
    page.wait_for_url("**/operator?saved=changes*")
    after = _station(server, "lateng")
    assert after["name"]["id"] == "Lateng Baru" and after["address"] == "Jl. Kapten Piere Tendean"
    assert abs(after["lat"] - before["lat"] - 0.0005) < 1e-9
    row = page.locator("#changes-table tbody tr").first
    text = row.inner_text()
    assert "Nama: " in text and "Lateng Baru" in text and "Alamat: – → Jl. Kapten Piere Tendean" in text
    assert "Lintang: " in text and "lat:" not in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    row.locator("button.undo").click()
    page.wait_for_url("**/operator?saved=changes*")
    back = _station(server, "lateng")
    assert (back["name"], back["address"], back["lat"]) == (before["name"], before["address"], before["lat"])
