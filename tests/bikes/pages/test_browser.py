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


def _rent_at(page, station_id: str) -> None:
    page.click(f".station-item[data-station='{station_id}']")
    page.wait_for_selector(f"#station-panel[data-station='{station_id}'] #rent-here")
    page.click("#rent-here")
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
    assert "Perjalanan selesai" in page.inner_text("#rider-status")


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
        page.click("main form button[type=submit]")
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
        page.click("#show-rebalancing")
        page.wait_for_selector("#rebalancing[data-loaded='1']")
    finally:
        context.close()
