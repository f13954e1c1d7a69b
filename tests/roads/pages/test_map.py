"""The road condition map page: its filters, totals and roads in both languages; and in headless Chromium (Playwright,
against a real ``kotacerdas demo`` server whose base-map tiles cannot load offline) the segments coloured by Bina
Marga class, the events, the class filter, the coverage layer and the link to a road's chart."""

from __future__ import annotations

import re

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
    phone_page.wait_for_selector("#road-chart svg rect.bar:visible")  # the chart drawn for a phone's width
    assert phone_page.locator("#road-chart svg rect.bar:visible").count() > 3


def test_figures_and_downloads_follow_the_filters(surveyed):
    """The figures beside the map count what the filters select, as the map draws it."""
    whole = surveyed.get("/api/v1/roads/summary?city=35.10").json()
    only = surveyed.get("/api/v1/roads/summary?city=35.10&class=baik").json()
    assert 0 < only["measured_km"] == only["km_by_class"]["baik"] < whole["measured_km"]
    assert only["km_by_class"]["sedang"] == 0 and only["mantap_share"] == 1.0
    drawn = surveyed.get("/api/v1/roads/segments?city=35.10&class=baik&limit=1000").json()["features"]
    assert only["network_km"] == pytest.approx(sum(f["properties"]["length_m"] for f in drawn) / 1000, abs=1e-3)
    empty = surveyed.get("/api/v1/roads/summary?city=35.10&since=1990-01-01&until=1990-12-31").json()
    assert empty["measured_km"] == 0 and empty["first_survey"] and empty["filters"]["since"] == "1990-01-01"
    page = surveyed.get("/roads?city=35.10&class=baik&lang=en").text
    figure = page.split('data-figure="measured_km">')[1].split("<")[0]
    assert figure == f"{only['measured_km']:.1f} km"
    csv = surveyed.get("/api/v1/roads/segments/download?city=35.10&class=baik&format=csv")
    assert csv.headers["content-disposition"].startswith("attachment; filename=")
    lines = csv.content.decode().split("\r\n")
    assert lines[0].startswith("id,segment_id") and len([x for x in lines[1:] if x]) == len(drawn)
    assert ",True," not in csv.text and ",False," not in csv.text and "\n" not in csv.text.replace("\r\n", "")
    geo = surveyed.get("/api/v1/roads/segments/download?city=35.10&format=geojson")
    assert geo.headers["content-type"].startswith("application/geo+json") and geo.json()["type"] == "FeatureCollection"


def test_roads_are_searched_sorted_and_paged_in_both_languages(surveyed):
    en = surveyed.get("/roads?city=35.10&q=raya&lang=en").text
    rows = re.findall(r'<tr data-road="([^"]+)">', en)
    assert rows and all("Raya" in r for r in rows) and "matching “raya”" in en
    by_name = re.findall(r'<tr data-road="([^"]+)">', surveyed.get("/roads?city=35.10&sort=name").text)
    assert by_name == sorted(by_name)
    page = surveyed.get("/roads?city=35.10&sort=iri&lang=en").text
    cells = re.findall(r'<tr data-road="[^"]+">(?:<td.*?</td>){4}<td>([^<]+)</td>', page)
    values = [float(c) for c in cells if c != "–"]
    assert len(values) >= 2 and values == sorted(values, reverse=True)  # the roughest first, unmeasured last
    none = surveyed.get("/roads?city=35.10&q=tidak-ada&lang=id").text
    assert 'id="no-roads"' in none
    assert "Jalan permukiman" in surveyed.get("/roads?city=35.10&lang=id").text  # OSM residential, named
    assert ">residential<" not in surveyed.get("/roads?city=35.10&lang=id").text


def test_help_explains_iri_classes_and_jalan_mantap(surveyed):
    en = surveyed.get("/roads?city=35.10&lang=en").text
    assert 'id="help-iri"' in en and "International Roughness Index" in en
    assert 'id="help-classes"' in en and "IRI below 4" in en and "IRI 12 or more" in en
    assert "roads in steady condition" in en and "(good + fair)" in en
    idn = surveyed.get("/roads?city=35.10&lang=id").text
    assert "Apa itu jalan mantap?" in idn and "IRI di bawah 4" in idn


def test_a_city_without_network_says_who_imports_it(client, auth):
    public = client.get("/roads?city=73.71&lang=en").text
    assert 'id="roads-empty"' in public and "kotacerdas roads" not in public
    assert "road officers or its administrator import it" in public
    officer = client.get("/roads?city=73.71&lang=en", headers=auth("roadofficer.7371")).text
    assert 'href="/roads/manage?city=73.71#network"' in officer


def test_figures_are_written_in_the_page_locale(surveyed):
    whole = surveyed.get("/api/v1/roads/summary?city=35.10").json()
    idn = surveyed.get("/roads?city=35.10&lang=id").text
    en = surveyed.get("/roads?city=35.10&lang=en").text
    km = f"{whole['network_km']:.1f}"
    assert f'data-figure="network_km">{km.replace(".", ",")} km' in idn and f'data-figure="network_km">{km} km' in en
    share = f"{whole['mantap_share'] * 100:.1f}%"
    assert share.replace(".", ",") in idn.split('data-figure="mantap_share">')[1][:12]
