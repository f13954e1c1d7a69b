"""The road condition map page: its filters, totals and roads in both languages; and in headless Chromium (Playwright,
against a real ``kotacerdas demo`` server whose base-map tiles cannot load offline) the segments coloured by Bina
Marga class, the events, the class filter, the coverage layer and the link to a road's chart."""

from __future__ import annotations

import httpx
import pytest

COLOURS = {"#1a9850", "#91cf60", "#fc8d59", "#d73027"}


def test_map_page(surveyed, auth):
    r = surveyed.get("/roads?city=35.10&lang=id")
    assert r.status_code == 200
    html = r.text
    assert 'id="map"' in html and 'data-city="35.10"' in html and "roads-map.js" in html
    assert "Kondisi jalan" in html and "Jalan mantap" in html
    assert 'value="rusak_berat"' in html and 'id="show-coverage"' in html
    assert "/roads/road/Jl.%20Demo%20Raya%201?city=35.10" in html
    assert 'id="report-link"' not in html  # anonymous: no report link
    en = surveyed.get("/roads?city=35.10&lang=en", headers=auth("public.3510")).text
    assert "Road condition" in en and 'id="report-link"' in en  # a member of the city may download the report


@pytest.mark.browser
def test_roads_map_shows_coloured_segments(demo_server, phone_page):
    expected = httpx.get(demo_server + "/api/v1/roads/segments", params={"city": "35.10", "limit": 1}).json()
    phone_page.goto(demo_server + "/roads?city=35.10")
    phone_page.wait_for_function("document.getElementById('map').dataset.drawn !== undefined")
    assert phone_page.get_attribute("#map", "data-drawn") == str(expected["numberMatched"])
    paths = phone_page.locator(".leaflet-overlay-pane path.kc-seg")
    assert paths.count() == expected["numberMatched"]
    strokes = set(
        phone_page.eval_on_selector_all(
            ".leaflet-overlay-pane path.kc-seg", "els => els.map(e => e.getAttribute('stroke'))"
        )
    )
    assert len(strokes & COLOURS) >= 2  # several classes drawn in their colours
    assert phone_page.locator("path.kc-class-none").count() > 0  # streets not surveyed, in grey
    phone_page.wait_for_function("document.getElementById('map').dataset.events !== undefined")
    assert int(phone_page.get_attribute("#map", "data-events")) > 0
    # filter: only heavy damage
    for cls in ("baik", "sedang", "rusak_ringan", "none"):
        phone_page.uncheck(f"input[name=class][value={cls}]")
    phone_page.wait_for_function(
        "document.querySelectorAll('path.kc-seg').length === "
        "document.querySelectorAll('path.kc-class-rusak_berat').length"
    )
    # coverage layer
    phone_page.check("#show-coverage")
    phone_page.wait_for_function("document.getElementById('map').dataset.coverage !== undefined")
    assert int(phone_page.get_attribute("#map", "data-coverage")) > 0
    # a road page shows its chart (the list is ordered by length: the demo's regional roads come first)
    phone_page.goto(demo_server + "/roads/road/Jl.%20Demo%20Raya%201?city=35.10")
    phone_page.wait_for_selector("#road-chart svg rect.bar")
    assert phone_page.locator("#road-chart svg rect.bar").count() > 3
