"""Browser test: headless Chromium (Debian) driven by Playwright against a real demo server.

Loads the home page, switches language, signs in and sees the map with the
admin areas drawn (the base-map tiles cannot load offline; the overlay must
draw anyway). Skips without Chromium unless ``KOTACERDAS_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import pytest

from tests.maps import no_label_overlaps

pytestmark = pytest.mark.browser


def test_home_switch_language_sign_in_and_see_the_map(demo_server, phone_page):
    page, server = phone_page, demo_server
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", name="Satu platform, empat sistem kota").is_visible()

    page.click("a[data-lang=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.get_by_role("heading", name="One platform, four city systems").is_visible()

    page.click("#login-link")
    page.fill("#username", "admin.bwi")
    page.fill("#password", "demo-kotacerdas")
    page.click("#login-submit")
    page.wait_for_selector("a.user")
    assert page.locator("a.user").inner_text() == "admin.bwi"

    page.goto(server + "/map?city=35.10")
    page.wait_for_function("document.getElementById('map').dataset.drawn !== undefined")
    assert page.get_attribute("#map", "data-drawn") == "25"
    assert page.locator(".leaflet-overlay-pane path").count() == 25
    assert "25 admin areas drawn" in page.inner_text("#map-status")
    page.click("#map")  # the centre of the map lies in some kecamatan: its popup names it
    if not page.locator(".leaflet-popup-content").count():  # a click while the map still settled: once more
        page.wait_for_timeout(500)
        page.click("#map")
    assert "35.10." in page.locator(".leaflet-popup-content").inner_text()


def test_kecamatan_names_on_a_phone_never_overlap(demo_server, phone_page):
    """Makassar's 15 kecamatan on a 390 px screen: each label shown is its real name (never its code), no two shown
    labels overlap, and zooming in brings hidden ones back."""
    page, server = phone_page, demo_server
    page.goto(server + "/map?city=73.71&lang=en")
    page.wait_for_function("document.getElementById('map').dataset.drawn === '15'")
    page.wait_for_function(no_label_overlaps("map"), timeout=10_000)
    hidden = int(page.get_attribute("#map", "data-labels-hidden"))
    assert 0 < hidden < 15  # the city does not fit all fifteen names on a phone
    names = page.eval_on_selector_all("#map .kc-area-label", "els => els.map((e) => e.textContent.trim())")
    assert "Mariso" in names and not any(n.startswith("73.71") for n in names)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    fewer = f"Number(document.getElementById('map').dataset.labelsHidden) < {hidden}"
    for _ in range(4):  # a click while the map still animates a zoom is not taken: zoom in again until it is
        page.click(".leaflet-control-zoom-in")
        try:
            page.wait_for_function(fewer, timeout=3_000)
            break
        except PlaywrightTimeout:
            continue
    page.wait_for_function(fewer, timeout=5_000)
    page.wait_for_function(no_label_overlaps("map"), timeout=10_000)


def _sign_in(page, server, username):
    page.goto(server + "/login")
    page.fill("#username", username)
    page.fill("#password", "demo-kotacerdas")
    page.click("#login-submit")
    page.wait_for_selector("a.user")


def test_the_staff_screens_fit_a_phone_and_their_tables_sort_and_filter(demo_server, phone_page, chromium):
    """The city administration and the road officers' screen on a 390 px phone: nothing wider than the screen, each
    table row a labelled block whose badges keep their own height, the user search filtering the table; on a desktop
    the survey table sorts by a column, ascending then descending."""
    page, server = phone_page, demo_server
    _sign_in(page, server, "admin.bwi")
    page.goto(server + "/admin?city=35.10")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    users = page.locator("#user-table tbody tr")
    everyone = users.count()
    page.fill("#user-filter", "jalan")
    assert [users.nth(i).is_visible() for i in range(everyone)].count(True) == 1
    assert "jalan.bwi" in page.locator("#user-table tbody tr:visible").inner_text()
    page.fill("#user-filter", "")
    assert [users.nth(i).is_visible() for i in range(everyone)].count(True) == everyone

    _sign_in(page, server, "jalan.bwi")
    page.goto(server + "/roads/manage?city=35.10")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    badge = page.locator(".stack-table .badge").first.bounding_box()
    assert badge is not None and badge["height"] < 30  # a pill, not stretched to its row's height

    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        desk = context.new_page()
        _sign_in(desk, server, "jalan.bwi")
        desk.goto(server + "/roads/manage?city=35.10")
        lengths = "[...document.querySelectorAll('#survey-table tbody tr')].map((r) => Number(r.cells[2].dataset.sort))"
        header = desk.locator("#survey-table thead th button.sort").nth(2)
        header.click()
        up = desk.evaluate(lengths)
        assert len(up) >= 2 and up == sorted(up)
        header.click()
        assert desk.evaluate(lengths) == sorted(up, reverse=True)
        assert desk.locator("#survey-table thead th").nth(2).get_attribute("aria-sort") == "descending"
    finally:
        context.close()
