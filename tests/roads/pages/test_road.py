"""A road's page: its server-rendered IRI chart, and the 404 page for a road the city does not have."""

from __future__ import annotations

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
