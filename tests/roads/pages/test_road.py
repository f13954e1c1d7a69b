"""A road's page: its server-rendered IRI chart, and the 404 page for a road the city does not have."""

from __future__ import annotations

import re
from urllib.parse import quote


def test_road_page_has_a_chart(surveyed):
    r = surveyed.get("/roads/road/" + quote("Jl. Demo Raya 1") + "?city=35.10&lang=en")
    assert r.status_code == 200
    html = r.text
    assert '<h1 id="road-name">Jl. Demo Raya 1</h1>' in html
    assert "<svg" in html and html.count('class="bar"') > 3
    assert "IRI along the road" in html and "Good" in html
    missing = surveyed.get("/roads/road/Jl.%20Tidak%20Ada?city=35.10", headers={"accept": "text/html"})
    assert missing.status_code == 404


def test_an_unmeasured_road_has_a_distance_axis_over_its_length(roads_db, client):
    """A road no survey measured: the chart says so and its axis runs 0..length in round metres (not 0 0 0 1 1)."""
    import re

    html = client.get("/roads/road/" + quote("Jl. Demo 1") + "?city=35.10&lang=en").text
    wide = html.split('class="chart-wide"')[1].split("</svg>")[0]
    assert "Not measured yet" in wide and 'class="bar"' not in wide
    ticks = re.findall(r'class="tick x"[^>]*>([^<]+)<', wide)
    assert len(ticks) >= 3 and len(set(ticks)) == len(ticks) and ticks[0] == "0"
    assert int(ticks[-1].replace(",", "")) >= 200
    assert 'id="road-unmeasured"' in html


def test_the_road_page_reads_in_the_page_locale_and_fits_a_phone(surveyed):
    html = surveyed.get("/roads/road/" + quote("Jl. Demo Raya 1") + "?city=35.10&lang=id").text
    assert 'id="iri-chart-narrow"' in html and 'viewBox="0 0 340 ' in html  # a phone's copy of the chart
    assert "min-width: 520px" not in html
    assert 'data-label="Dari (m)"' in html and "stack-table" in html
    latest = html.split("<dt>Survei terbaru</dt><dd>")[1].split("<")[0]
    assert re.fullmatch(r"\d{1,2} \w{3} \d{4}", latest), latest  # a date as the reader writes it
