"""Browser journeys of Lorong Wisata on the demo server (headless Chromium through Playwright):

* a coordinator fills in a report on a phone without a network: it is kept on the phone and sent when the network
  comes back;
* the lurah verifies a report;
* a visitor searches the directory by theme on a phone, opens a lorong's page and its QR code.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest

from tests.maps import no_label_overlaps

pytestmark = pytest.mark.browser


def sign_in(page, server: str, username: str) -> None:
    page.goto(server + "/login")
    page.fill("#username", username)
    page.fill("#password", "demo-kotacerdas")
    page.click("#login-submit")
    page.wait_for_selector("a.user")


def api_token(server: str, username: str) -> dict[str, str]:
    r = httpx.post(server + "/api/v1/auth/token", json={"username": username, "password": "demo-kotacerdas"})
    return {"Authorization": "Bearer " + r.json()["access_token"]}


def test_coordinator_reports_offline_then_it_is_sent(demo_server, phone_page):
    page, server = phone_page, demo_server
    sign_in(page, server, "lorong.mks")
    page.goto(server + "/lorong/report")
    first = page.locator(".unit-card a").first
    unit_id = int(re.search(r"unit=(\d+)", first.get_attribute("href"))[1])
    period = datetime.now(UTC).strftime("%Y-%m")
    page.goto(server + f"/lorong/report?unit={unit_id}&period={period}")
    page.wait_for_selector("#net-status[data-state=online]")
    inputs = page.locator("input[data-indicator]")
    codes = [inputs.nth(i).get_attribute("data-indicator") for i in range(min(2, inputs.count()))]
    page.context.set_offline(True)
    page.wait_for_selector("#net-status[data-state=offline]")
    for n, code in enumerate(codes, start=1):
        page.fill(f"#v-{code}", str(7 * n))
    page.click("#send")
    page.wait_for_selector("#form-status[data-kind=saved]")
    assert "ponsel" in page.inner_text("#form-status")
    assert page.get_attribute("#report-form", "data-pending") == "1"
    token = api_token(server, "lorong.mks")
    listed = httpx.get(server + "/api/v1/lorong/reports", params={"city": "73.71", "period": period}, headers=token)
    assert all(r["unit"] != unit_id for r in listed.json()["items"]) and listed.json()["total"] == 0
    page.context.set_offline(False)
    page.wait_for_selector("#form-status[data-kind=ok]", timeout=20_000)
    assert page.get_attribute("#report-form", "data-pending") == "0"
    listed = httpx.get(server + "/api/v1/lorong/reports", params={"city": "73.71", "period": period}, headers=token)
    items = listed.json()["items"]
    assert len(items) == 1 and items[0]["status"] == "submitted"
    assert items[0]["values"] == {code: float(7 * n) for n, code in enumerate(codes, start=1)}
    page.reload()
    assert page.get_attribute("#report-status strong", "data-status") == "submitted"


def test_lurah_verifies_a_report(demo_server, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    page = context.new_page()
    try:
        sign_in(page, demo_server, "lurah.mks")
        page.goto(demo_server + "/lorong/verify?city=73.71")
        card = page.locator(".verify-card").filter(has=page.locator("button[value=verify]:not([disabled])")).first
        report_id = card.get_attribute("data-report")
        card.locator("input[name=comment]").fill("Sudah dicek di lapangan")
        card.locator("button[value=verify]").click()
        page.wait_for_selector(".done-note")
        assert "diverifikasi" in page.inner_text(".done-note")
        assert page.locator(f"#report-{report_id}").count() == 0
        detail = httpx.get(
            demo_server + f"/api/v1/lorong/reports/{report_id}", headers=api_token(demo_server, "lurah.mks")
        ).json()
        assert detail["status"] == "verified" and detail["versions"][-1]["comment"] == "Sudah dicek di lapangan"
    finally:
        context.close()


def test_visitor_searches_by_theme_and_opens_a_lorong(demo_server, phone_page):
    page, server = phone_page, demo_server
    page.goto(server + "/lorong?city=73.71")
    page.wait_for_function("document.getElementById('lorong-map').dataset.drawn !== undefined")
    everything = int(page.get_attribute("#lorong-map", "data-drawn"))
    # the city's kecamatan lie under the lorong, named, so the map reads without base-map tiles
    page.wait_for_function("document.getElementById('lorong-map').dataset.districts === '15'")
    drawn = page.evaluate(
        "() => { const s = document.querySelector('.leaflet-kc-districts-pane svg').getBoundingClientRect();"
        " return [s.width, document.querySelectorAll('.leaflet-kc-districts-pane path').length] }"
    )
    assert drawn[0] > 100 and drawn[1] == 15  # drawn over the map, not shrunk to the 0 px width of its pane
    page.wait_for_function(no_label_overlaps("lorong-map"), timeout=10_000)
    page.click("a.chip[data-theme=destinasi-kuliner]")
    page.wait_for_url(re.compile(r"theme=destinasi-kuliner"))
    page.wait_for_function("document.getElementById('lorong-map').dataset.drawn !== undefined")
    culinary = int(page.get_attribute("#lorong-map", "data-drawn"))
    assert 0 < culinary < everything
    assert page.locator(".leaflet-overlay-pane path").count() == culinary
    page.locator(".unit-card a.unit-name").first.click()
    page.wait_for_selector(".unit-page")
    assert page.locator(".unit-themes a", has_text="Destinasi kuliner").count() == 1
    page.wait_for_function("document.querySelector('.qr img').complete")  # loaded or failed
    assert page.evaluate("document.querySelector('.qr img').naturalWidth") > 0
    page.click("a[data-lang=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.get_by_role("heading", name="What to see and buy").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
