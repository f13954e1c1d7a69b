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


def _rows(html: str) -> dict[str, str]:
    """The segment table's rows by segment key."""
    body = html.split('id="road-segments"')[1].split("</table>")[0]
    row = re.compile(r'<tr><td.*?<code class="segment-key">([^<]+)</code>.*?</tr>')
    return {m.group(1): m.group(0) for m in row.finditer(body)}


def test_the_segment_table_shows_the_sdi_and_the_combined_class_with_its_basis(graded, roads_db):
    """Beside the IRI, each segment's SDI and its combined class (IRI x SDI), saying which of the two is missing or
    old, in both languages."""
    from kotacerdas.core.db import session_scope
    from kotacerdas.network.tables import RoadSegmentRow
    from kotacerdas.roads.bina_marga import classify
    from kotacerdas.roads.sdi import MATRIX, RoadClass

    client, ids = graded
    with session_scope(roads_db) as s:
        keys = {case: s.get(RoadSegmentRow, sid).segment_key for case, sid in ids.items()}
        fresh_iri = s.get(RoadSegmentRow, ids["fresh"]).latest_iri
    url = "/roads/road/" + quote("Jl. Demo Raya 1") + "?city=35.10&lang="
    en, id_ = _rows(client.get(url + "en").text), _rows(client.get(url + "id").text)
    combined = MATRIX[classify(fresh_iri).rank][RoadClass.RUSAK_RINGAN.rank]
    fresh = en[keys["fresh"]]
    assert 'data-label="SDI"' in fresh and "120.0" in fresh and "Light damage" in fresh
    assert "basis-iri_sdi" in fresh and combined.label("en") in fresh.split("segment-combined")[1]
    assert "basis-note" not in fresh  # both known, both fresh: nothing to say
    assert "basis-sdi_only" in en[keys["sdi_only"]]
    assert "Condition from the SDI alone; IRI older than a year" in en[keys["sdi_only"]]
    assert "SDI missing: condition from the IRI alone; IRI older than a year" in en[keys["iri_only"]]
    assert 'data-label="Kondisi (IRI dan SDI)"' in id_[keys["fresh"]] and "120,0" in id_[keys["fresh"]]
    assert "Kondisi dari SDI saja; IRI lebih tua dari setahun" in id_[keys["sdi_only"]]
    assert "SDI belum ada: kondisi dari IRI saja" in id_[keys["iri_only"]]
