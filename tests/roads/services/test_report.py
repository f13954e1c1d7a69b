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
    assert total[8] == pytest.approx(expect * 100, abs=0.05)
    roads = list(wb["Jalan"].iter_rows(values_only=True))[1:]
    assert sum(r[2] for r in roads) == pytest.approx(total[2], abs=0.01)
    en = load_workbook(io.BytesIO(data_en))
    assert list(en["Kecamatan"].iter_rows(values_only=True))[0][4].startswith("Good")
