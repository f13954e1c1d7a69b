"""The road condition map page: its filters, totals and roads in both languages; and in headless Chromium (Playwright,
against a real ``kotacerdas demo`` server whose base-map tiles cannot load offline) the segments coloured by Bina
Marga class, the events, the class filter, the coverage layer and the link to a road's chart."""

from __future__ import annotations

import html
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


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("id", ["Belum diukur", "Lubang jalan", "Polisi tidur / gundukan", "Cakupan survei (dilalui survei)"]),
        ("en", ["Not measured", "Pothole", "Bump", "Survey coverage (driven by a survey)"]),
    ],
)
def test_the_legend_names_every_colour_and_mark_of_the_map(surveyed, lang, words):
    """Each condition class with the colour the map draws it in, the unmeasured grey, the pothole and bump dots and
    the coverage band, in the page's language."""
    from kotacerdas.roads.charts import CLASS_COLOURS, class_legend

    page = surveyed.get(f"/roads?city=35.10&lang={lang}").text
    legend = page.split('id="roads-legend"')[1].split("</div>")[0]
    for c in class_legend(lang):
        assert f'background: {c["colour"]}"></span>{html.escape(c["label"])}' in legend, c
    assert len(class_legend(lang)) == len(CLASS_COLOURS) == legend.count("line-swatch") - 1  # and "not measured"
    for word in words:
        assert html.escape(word) in legend, word
    assert "dot-pothole" in legend and "dot-bump" in legend and "band-swatch" in legend


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


def _roads(html: str) -> list[str]:
    return re.findall(r'<tr data-road="([^"]+)">', html)


def test_the_roads_table_follows_the_map_filters_and_its_links_keep_them(surveyed, monkeypatch):
    from kotacerdas.roads.pages import map as map_page

    whole = _roads(surveyed.get("/roads?city=35.10&lang=en").text)
    drawn = surveyed.get("/api/v1/roads/segments?city=35.10&class=baik&limit=1000").json()["features"]
    good_roads = {f["properties"]["road"] for f in drawn}
    page = surveyed.get("/roads?city=35.10&q=Demo&class=baik&lang=en").text
    assert set(_roads(page)) == good_roads and len(good_roads) < len(whole)
    assert "with the filters above" in page
    links = [html.unescape(h) for h in re.findall(r'class="sort-link" href="([^"]+)"', page)]
    assert links and all("?city=35.10&class=baik&q=Demo&sort=" in h for h in links)
    assert '<input type="hidden" name="class" value="baik">' in page  # a new search keeps the filters
    # the pager keeps them too
    monkeypatch.setattr(map_page, "ROADS_PER_PAGE", 2)
    paged = surveyed.get("/roads?city=35.10&since=2025-01-01&class=baik&class=none&lang=en").text
    pager = html.unescape(paged.split('id="roads-pager"')[1].split("</nav>")[0])
    assert 'href="?city=35.10&since=2025-01-01&class=baik&class=none&q=&sort=length&page=2#roads"' in pager
    # a window with no survey lists no road, and says why
    empty = surveyed.get("/roads?city=35.10&since=1990-01-01&until=1990-12-31&class=baik&lang=en").text
    assert _roads(empty) == [] and "No road has a segment the filters above select" in empty
    idn = surveyed.get("/roads?city=35.10&since=1990-01-01&until=1990-12-31&class=baik&q=Demo&lang=id").text
    assert "Tidak ada jalan atau kecamatan yang cocok dengan “Demo”" in idn


def test_the_roads_search_finds_a_kecamatan_and_the_page_stays_within_the_pages(surveyed, monkeypatch):
    from kotacerdas.roads.pages import map as map_page

    district = surveyed.get("/api/v1/roads/summary?city=35.10").json()["districts"][0]["name"]
    found = surveyed.get(f"/roads?city=35.10&q={district.lower()}&lang=id").text
    assert _roads(found) and 'id="no-roads"' not in found
    assert "“" + district.lower() + "”" in found.split('id="roads-count">')[1].split("</p>")[0]
    monkeypatch.setattr(map_page, "ROADS_PER_PAGE", 2)
    last = surveyed.get("/roads?city=35.10&page=999&lang=en").text
    total = int(re.search(r'id="roads-count">(\d+) roads', last).group(1))
    assert _roads(last) and 'id="no-roads"' not in last and "“”" not in last
    assert f"Page {-(-total // 2)} of {-(-total // 2)}" in last and 'rel="next"' not in last


def test_a_reversed_date_range_is_refused_with_a_clear_message(surveyed):
    r = surveyed.get("/api/v1/roads/summary?city=35.10&since=2025-06-01&until=2025-01-01&lang=en")
    assert r.status_code == 400 and "wrong way round" in r.json()["detail"] and r.json()["field"] == "since"
    for path in ("segments", "events", "coverage", "segments/download"):
        got = surveyed.get(f"/api/v1/roads/{path}?city=35.10&since=2025-06-01&until=2025-01-01&lang=id")
        assert got.status_code == 400, path
        assert "terbalik" in got.json()["detail"]
    same_day = surveyed.get("/api/v1/roads/summary?city=35.10&since=2025-04-01&until=2025-04-01")
    assert same_day.status_code == 200
    page = surveyed.get("/roads?city=35.10&since=2025-06-01&until=2025-01-01&lang=en")
    assert page.status_code == 200
    error = page.text.split('id="filter-error"')[1].split("</p>")[0]
    assert "wrong way round" in error and "Showing the whole network" in error


@pytest.mark.browser
def test_the_roads_table_follows_the_filters_in_the_browser(demo_server, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(demo_server + "/roads?city=35.10&lang=en")
        page.wait_for_function("document.getElementById('map').dataset.drawn !== undefined")
        before = page.locator("#roads-table tbody tr").count()
        for cls in ("baik", "sedang", "rusak_ringan", "none"):
            page.uncheck(f"input[name=class][value={cls}]")
        page.wait_for_function("document.getElementById('roads-section').dataset.round === '5'")
        rows = page.locator("#roads-table tbody tr")
        assert 0 < rows.count() <= before
        shown = set(page.eval_on_selector_all("#roads-table tbody tr", "els => els.map(e => e.dataset.road)"))
        drawn = httpx.get(
            demo_server + "/api/v1/roads/segments", params={"city": "35.10", "class": "rusak_berat", "limit": 1000}
        ).json()["features"]
        assert shown <= {f["properties"]["road"] for f in drawn}
        hrefs = page.eval_on_selector_all("#roads-table a.sort-link", "els => els.map(e => e.getAttribute('href'))")
        assert hrefs and all("class=rusak_berat" in h for h in hrefs)
        assert page.locator("#road-search input[name=class][value=rusak_berat]").count() == 1
        # a reversed date range: the map says why it shows nothing new
        page.fill("#until", "2020-01-01")
        page.fill("#since", "2024-01-01")
        page.dispatch_event("#since", "change")
        page.wait_for_function("document.getElementById('map-status').textContent.indexOf('wrong way round') >= 0")
    finally:
        context.close()
