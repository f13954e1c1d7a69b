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
    page.click(".leaflet-control-zoom-in")
    page.click(".leaflet-control-zoom-in")
    page.wait_for_function(f"Number(document.getElementById('map').dataset.labelsHidden) < {hidden}", timeout=10_000)
    page.wait_for_function(no_label_overlaps("map"), timeout=10_000)
