"""The Excel report: lengths per class add up, jalan mantap by the one rule, headers in both languages."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.bina_marga import classify, mantap_share
from kotacerdas.roads.services.report import report_workbook
from kotacerdas.roads.services.surveys import import_survey_file


def test_report_per_kecamatan(roads_db, roads_survey):
    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        import_survey_file(s, city, roads_survey, "BWI-01")
        rows = list(s.scalars(select(RoadSegmentRow).where(RoadSegmentRow.city_id == city.id)))
        data_id = report_workbook(s, city, "id")
        data_en = report_workbook(s, city, "en")
    wb = load_workbook(io.BytesIO(data_id))
    sheet = list(wb["Kecamatan"].iter_rows(values_only=True))
    header, body, total = sheet[0], sheet[1:-1], sheet[-1]
    assert header[1] == "Kecamatan" and header[4].startswith("Baik")
    assert body[0][0] == "35.10.16" and body[0][1] == "Banyuwangi"
    measured = [r for r in rows if r.latest_class]
    # a segment counts with the metres its condition rests on (at most its length), not its whole length
    metres = [min(r.latest_measured_m, r.length_m) for r in measured]
    assert all(m > 0 for m in metres) and sum(metres) < sum(r.length_m for r in measured)
    assert total[2] == pytest.approx(sum(r.length_m for r in rows) / 1000, abs=1e-3)
    assert total[3] == pytest.approx(sum(metres) / 1000, abs=1e-3)
    assert sum(total[4:8]) == pytest.approx(total[3], abs=2e-3)
    expect = mantap_share(metres, [classify(r.latest_iri) for r in measured])
    assert total[8] == pytest.approx(expect, abs=5e-4)  # a share, shown as a percentage by its number format
    roads = list(wb["Jalan"].iter_rows(values_only=True))[1:]
    assert sum(r[2] for r in roads) == pytest.approx(total[2], abs=0.01)
    en = load_workbook(io.BytesIO(data_en))
    assert list(en["Kecamatan"].iter_rows(values_only=True))[0][4].startswith("Good")


def test_report_cells_are_typed_named_and_translated(roads_db, roads_survey):
    """Numbers carry number formats, the date is a date, the workbook has a title, and the class of each road is
    a word of the reader's language (not the OSM tag)."""
    from datetime import datetime

    from kotacerdas.network.labels import HIGHWAY_LABELS

    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        import_survey_file(s, city, roads_survey, "BWI-01")
        wb = load_workbook(io.BytesIO(report_workbook(s, city, "id")))
    assert wb.properties.title and "Banyuwangi" in wb.properties.title
    kec = wb["Kecamatan"]
    assert kec.cell(2, 3).number_format == "#,##0.000" and kec.cell(2, 9).number_format == "0.0%"
    info = {r[0]: (r[1], c) for r, c in zip(wb["Info"].iter_rows(values_only=True), wb["Info"]["B"], strict=True)}
    made, cell = info["Dibuat pada"]
    assert isinstance(made, datetime) and cell.number_format.startswith("yyyy-mm-dd")
    assert "generated" not in str(info["Sumber jaringan"][0])
    roads = list(wb["Jalan"].iter_rows(values_only=True))
    header, body = roads[0], roads[1:]
    assert header[1] == "Kelas jalan"
    osm_tags = set(HIGHWAY_LABELS)
    assert body and all(r[1] not in osm_tags for r in body)  # "Jalan permukiman", not "residential"
    assert {r[-1] for r in body} <= osm_tags  # the tag itself stays in its own column


def test_report_counts_what_the_filters_select(roads_db, roads_survey):
    """With the map's filters the report counts the same segments as the map and its figures."""
    from datetime import UTC, datetime

    from kotacerdas.roads.store.condition import filtered

    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        import_survey_file(s, city, roads_survey, "BWI-01")
        only = {"since": None, "until": None, "classes": {"baik"}, "district": None}
        wb = load_workbook(io.BytesIO(report_workbook(s, city, "en", only)))
        figures = filtered(s, city.id, **only).totals.as_dict()
        empty = {"since": datetime(1990, 1, 1, tzinfo=UTC), "until": datetime(1990, 1, 2, tzinfo=UTC)}
        none = load_workbook(io.BytesIO(report_workbook(s, city, "en", empty | {"classes": None, "district": None})))
    total = list(wb["Kecamatan"].iter_rows(values_only=True))[-1]
    assert total[2] == pytest.approx(figures["network_km"]) and total[5:8] == (0, 0, 0)
    assert total[4] == pytest.approx(total[3])  # only Baik counted
    assert list(none["Kecamatan"].iter_rows(values_only=True))[-1][3] == 0  # nothing measured in 1990
    info = dict(list(wb["Info"].iter_rows(values_only=True)))
    assert info["Condition class"] == "Good"


def test_report_has_every_segment_with_its_sdi_and_combined_class(graded, roads_db):
    """The *Ruas* sheet: one row per segment with its IRI, its SDI and the combined class, saying what that rests
    on, in the reader's language; the same classes as the condition API."""
    from kotacerdas.roads.bina_marga import RoadClass

    client, ids = graded
    cond = client.get("/api/v1/roads/condition", params={"city": "35.10", "limit": 1000}).json()
    by_map = {f["properties"]["segment_id"]: f["properties"] for f in cond["features"]}
    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        keys = {case: s.get(RoadSegmentRow, sid).segment_key for case, sid in ids.items()}
        books = {lang: load_workbook(io.BytesIO(report_workbook(s, city, lang))) for lang in ("en", "id")}
    en = list(books["en"]["Ruas"].iter_rows(values_only=True))
    id_ = list(books["id"]["Ruas"].iter_rows(values_only=True))
    assert en[0][7:] == ("SDI", "SDI class", "Condition (IRI and SDI)", "What the condition rests on")
    assert id_[0][7:] == ("SDI", "Kelas SDI", "Kondisi (IRI dan SDI)", "Dasar kondisi")
    assert len(en) - 1 == len(by_map)  # every graded segment, once
    rows_en = {r[1]: r for r in en[1:]}
    rows_id = {r[1]: r for r in id_[1:]}
    for key, p in by_map.items():
        expect = RoadClass(p["class"]).label("en") if p["class"] else "Not measured"
        assert rows_en[key][9] == expect and rows_en[key][7] == p["sdi"]
    fresh = rows_en[keys["fresh"]]
    assert fresh[7] == 120.0 and fresh[8] == "Light damage" and fresh[10] == "From the IRI and the SDI"
    assert rows_en[keys["sdi_only"]][10] == "Condition from the SDI alone; IRI older than a year"
    assert rows_id[keys["iri_only"]][10] == "SDI belum ada: kondisi dari IRI saja; IRI lebih tua dari setahun"
    assert rows_id[keys["iri_only"]][8] == "Belum dinilai"
    info = {r[0]: r[1] for r in books["en"]["Info"].iter_rows(values_only=True)}
    assert "IRI x SDI matrix" in info["Condition (IRI and SDI)"] and "Class rule (SDI)" in info


def test_the_info_sheet_gives_the_filter_days_as_date_cells(roads_db):
    """*Dari* and *Sampai* are dates a spreadsheet sorts and filters as dates, not text."""
    from datetime import UTC, date, datetime

    from kotacerdas.roads.store.features import parse_filters

    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        filters = parse_filters({"since": "2025-01-01", "until": "2025-03-31"})
        wb = load_workbook(io.BytesIO(report_workbook(s, city, "id", filters)))
        assert filters["until"] == datetime(2025, 3, 31, 23, 59, 59, 999999, tzinfo=UTC)
    info = {r[0].value: r[1] for r in wb["Info"].iter_rows()}
    since, until = info["Dari"], info["Sampai"]
    assert since.is_date and until.is_date and since.number_format == until.number_format == "yyyy-mm-dd"
    assert since.value.date() == date(2025, 1, 1) and until.value.date() == date(2025, 3, 31)
