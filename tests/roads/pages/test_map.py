"""Road Manager web pages: the map page and a road page with its server-rendered IRI chart; home figures."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.roads.services.surveys import import_survey_file


@pytest.fixture
def surveyed(client, roads_db, roads_survey):
    with session_scope(roads_db) as s:
        import_survey_file(s, accounts.get_city(s, "35.10"), roads_survey, "BWI-01")
    return client


def test_map_page(surveyed, auth):
    r = surveyed.get("/roads?city=35.10&lang=id")
    assert r.status_code == 200
    html = r.text
    assert 'id="map"' in html and 'data-city="35.10"' in html and "roads-map.js" in html
    assert "Kondisi jalan" in html and "Jalan mantap" in html
    assert 'value="rusak_berat"' in html and 'id="show-coverage"' in html
    assert "/roads/road/Jl.%20Demo%20Raya%201?city=35.10" in html
    assert 'id="report-link"' not in html  # anonymous: no report link
    en = surveyed.get("/roads?city=35.10&lang=en", headers=auth("warga.3510") if False else {}).text
    assert "Road condition" in en


def test_road_page_has_a_chart(surveyed):
    r = surveyed.get("/roads/road/" + quote("Jl. Demo Raya 1") + "?city=35.10&lang=en")
    assert r.status_code == 200
    html = r.text
    assert '<h1 id="road-name">Jl. Demo Raya 1</h1>' in html
    assert "<svg" in html and html.count('class="bar"') > 3
    assert "IRI along the road" in html and "Good" in html
    missing = surveyed.get("/roads/road/Jl.%20Tidak%20Ada?city=35.10", headers={"accept": "text/html"})
    assert missing.status_code == 404


def test_home_card_shows_road_figures(surveyed):
    html = surveyed.get("/?city=35.10&lang=en").text
    card = html.split('id="system-roads"')[1].split("</article>")[0]
    assert "Road network" in card and "km" in card and "Jalan mantap" in card and 'href="/roads?city=35.10"' in card
    other = surveyed.get("/?city=73.71&lang=en").text.split('id="system-roads"')[1].split("</article>")[0]
    assert "Road network" not in other
