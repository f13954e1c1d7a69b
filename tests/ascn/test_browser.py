"""The portal's main journeys in headless Chromium: the map of member cities on a phone in Bahasa Indonesia, a
cross-lingual search, the matchmaker, and a city officer editing their own city."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_map_of_member_cities_on_a_phone_in_indonesian(demo_server, phone_page):
    page = phone_page
    page.goto(demo_server + "/ascn")
    page.wait_for_function("document.getElementById('ascn-map').dataset.drawn === '31'")
    assert page.locator("path.ascn-city").count() == 31
    assert page.locator("h2#map-title").inner_text() == "Kota anggota"
    page.locator("tr[data-metric='projects'] td.claimed").first.wait_for()
    assert "sekitar 50" in page.locator("tr[data-metric='projects']").first.inner_text()
    page.locator("a[data-city='sumedang']").click()
    page.wait_for_url("**/ascn/cities/sumedang")
    assert "anggota sejak 2024" in page.locator("main").inner_text()
    # nothing overflows the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1


def test_cross_lingual_search_and_matchmaking_on_a_desktop(demo_server, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(demo_server + "/ascn/knowledge?lang=en")
        page.fill("#q", "community volunteers warn villages of floods")
        page.click("form.ascn-search button")
        page.wait_for_selector("#results li")
        first = page.locator("#results li a").first
        assert first.get_attribute("lang") == "id"  # an English question, an Indonesian practice
        page.goto(demo_server + "/ascn/match")
        page.select_option("select[name=project]", label="Banyuwangi: Smart Kampung with Road Manager and Bike Sharing")
        page.check("input[name=support][value=technical_assistance]")
        page.click("#match-form button")
        page.wait_for_selector("#matches")
        assert page.locator("#matches .reasons li").count() >= 5
    finally:
        context.close()


def test_a_city_officer_edits_their_own_city(demo_server, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(demo_server + "/login?next=/ascn/cities/banyuwangi")
        page.fill("input[name=username]", "smartcity.bwi")
        page.fill("input[name=password]", "demo-kotacerdas")
        page.click("form button[type=submit]")
        page.wait_for_url("**/ascn/cities/banyuwangi")
        page.click("#edit-city")
        page.fill("textarea[name=description]", "Kabupaten di ujung timur Pulau Jawa.")
        page.fill("input[name=cso_name]", "Pejabat Demo")
        page.click("#city-form button[type=submit]")
        page.wait_for_url("**/ascn/cities/banyuwangi")
        assert "ujung timur Pulau Jawa" in page.locator("main").inner_text()
        assert "Pejabat Demo" in page.locator("#contacts").inner_text()
        page.goto(demo_server + "/ascn/cities/makassar/edit")
        assert page.locator(".error").count() == 1  # not their city
    finally:
        context.close()
