"""The totals per road, summed, ordered and paged in SQL, are what adding up the segments one by one gives (SQLite and
PostgreSQL): longest road first, then by name in code-point order."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.services.surveys import import_survey_file
from kotacerdas.roads.store import condition


def reference(session, city_id):
    groups: dict[str, condition.Totals] = {}
    highway: dict[str, str] = {}
    for row in session.scalars(
        select(RoadSegmentRow)
        .where(RoadSegmentRow.city_id == city_id, RoadSegmentRow.active.is_(True))
        .order_by(RoadSegmentRow.id)
    ):
        groups.setdefault(row.road_key, condition.Totals()).add(row)
        highway.setdefault(row.road_key, row.highway)
    rows = [{"road": k, "highway": highway[k], **t.as_dict()} for k, t in groups.items()]
    return sorted(rows, key=lambda r: (-r["network_km"], r["road"]))


def test_road_totals_match_the_segments_one_by_one(roads_db, roads_survey):
    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        import_survey_file(s, city, roads_survey, "BWI-01")
        # names that sort differently by code point and by a language's collation, and one retired segment
        segs = list(s.scalars(select(RoadSegmentRow).order_by(RoadSegmentRow.id)))
        segs[0].road_key, segs[1].road_key, segs[2].road_key = "jl. kecil", "Jl.Besar", "Jl. besar"
        segs[3].active = False
        s.flush()
        expected = reference(s, city.id)
        got = condition.road_totals(s, city.id)
        assert got == expected
        assert any(r["measured_km"] > 0 for r in got) and any(r["measured_km"] == 0 for r in got)
        ties = [r["network_km"] for r in got]
        assert len(set(ties)) < len(ties)  # equal lengths: the name decides
        assert condition.road_totals(s, city.id, limit=4) == expected[:4]


def test_a_city_without_roads_has_none(seeded):
    with session_scope(seeded) as s:
        assert condition.road_totals(s, accounts.get_city(s, "73.71").id) == []


@pytest.mark.parametrize("code", ["35.10", "73.71"])
def test_survey_count(roads_db, roads_survey, code):
    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        import_survey_file(s, city, roads_survey, "BWI-01")
        assert condition.survey_count(s, accounts.get_city(s, code).id) == (1 if code == "35.10" else 0)


def test_road_totals_follow_the_map_filters_as_its_figures_do(roads_db, roads_survey, roads_survey_later):
    """With dates and classes the roads table counts what the map draws and its figures count (``filtered``)."""
    from datetime import UTC, datetime

    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        import_survey_file(s, city, roads_survey, "BWI-01")
        import_survey_file(s, city, roads_survey_later, "BWI-01")
        windows = [
            {"since": datetime(2025, 5, 1, tzinfo=UTC)},
            {"until": datetime(2025, 4, 30, tzinfo=UTC), "classes": {"baik", "sedang"}},
            {"classes": {"none"}},
            {"classes": {"rusak_ringan", "rusak_berat"}},
        ]
        for window in windows:
            expected = condition.filtered(s, city.id, **window).roads
            got = condition.road_totals(s, city.id, **window)
            assert got == expected, window
        whole = condition.road_totals(s, city.id)
        later = condition.road_totals(s, city.id, since=datetime(2025, 5, 1, tzinfo=UTC))
        assert sum(r["measured_km"] for r in later) < sum(r["measured_km"] for r in whole)
        assert condition.road_totals(s, city.id, classes={"baik"}) != whole


def test_a_kecamatan_name_finds_the_roads_in_it(roads_db):
    from kotacerdas.core.models import AdminArea

    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        code, name = s.execute(
            select(RoadSegmentRow.district_code, AdminArea.name)
            .join(AdminArea, (AdminArea.code == RoadSegmentRow.district_code) & (AdminArea.city_id == city.id))
            .where(RoadSegmentRow.city_id == city.id)
            .limit(1)
        ).one()
        inside = {
            r.road_key
            for r in s.scalars(
                select(RoadSegmentRow).where(RoadSegmentRow.city_id == city.id, RoadSegmentRow.district_code == code)
            )
        }
        found = condition.road_totals(s, city.id, search=name.upper())
        assert inside and {r["road"] for r in found} == inside
        in_district = condition.road_totals(s, city.id, district=code)
        assert [(r["road"], r["network_km"]) for r in found] == [(r["road"], r["network_km"]) for r in in_district]
        assert condition.road_totals(s, city.id, search="%") == []  # no wildcard
