"""The queries of the published conditions give, in SQL, what the rule says (checked against a plain Python reading
of the stored rows, on SQLite and PostgreSQL): the condition in a window of dates, the class filter, events and
coverage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.services.surveys import import_survey_file
from kotacerdas.roads.store import features
from kotacerdas.roads.store.tables import RoadEventRow, RoadSegmentSurvey


@pytest.fixture
def two_surveys(roads_db, roads_survey, roads_survey_later):
    """Two drives over partly the same streets: 2025-04-01 and 2025-05-06."""
    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        import_survey_file(s, city, roads_survey, "BWI-01")
        import_survey_file(s, city, roads_survey_later, "BWI-02")
    return roads_db


def reference(session, city_id, since=None, until=None, classes=None):
    """The condition of every active segment, read row by row: the latest measurement in the window."""
    window: dict[int, RoadSegmentSurvey] = {}
    for r in session.scalars(
        select(RoadSegmentSurvey)
        .where(RoadSegmentSurvey.city_id == city_id, RoadSegmentSurvey.iri.is_not(None))
        .order_by(RoadSegmentSurvey.driven_at, RoadSegmentSurvey.id)
    ):
        if (since is None or r.driven_at >= since) and (until is None or r.driven_at <= until):
            window[r.segment_id] = r
    out = []
    for seg in session.scalars(
        select(RoadSegmentRow).where(RoadSegmentRow.city_id == city_id).order_by(RoadSegmentRow.id)
    ):
        if not seg.active:
            continue
        if since is None and until is None:
            cond = (seg.latest_iri, seg.latest_class, seg.latest_at)
        else:
            w = window.get(seg.id)
            cond = (w.iri, w.road_class, w.driven_at) if w else (None, None, None)
        if classes is not None and (cond[1] or "none") not in classes:
            continue
        out.append((seg.id, *cond))
    return out


WINDOWS = [
    (None, None),
    (None, datetime(2025, 4, 30, tzinfo=UTC)),
    (datetime(2025, 5, 1, tzinfo=UTC), None),
    (datetime(2025, 4, 1, tzinfo=UTC), datetime(2025, 5, 6, 23, 59, tzinfo=UTC)),
    (datetime(2026, 1, 1, tzinfo=UTC), None),
]
CLASSES = [None, {"none"}, {"baik", "sedang"}, {"rusak_ringan", "rusak_berat", "none"}]


@pytest.mark.parametrize(("since", "until"), WINDOWS)
def test_segments_in_a_window_of_dates_and_by_class(two_surveys, since, until):
    with session_scope(two_surveys) as s:
        city = accounts.get_city(s, "35.10")
        for classes in CLASSES:
            stmt = features.segments_query(s, city.id, since=since, until=until, classes=classes)
            got = [(r[0].id, r.iri, r.road_class, r.measured_at) for r in s.execute(stmt)]
            assert got == reference(s, city.id, since, until, classes), (since, until, classes)


def test_the_window_takes_the_newer_measurement_where_both_drives_measured(two_surveys):
    with session_scope(two_surveys) as s:
        city = accounts.get_city(s, "35.10")
        both = [row for row in reference(s, city.id) if row[3] is not None and row[3].month == 5]
        early = dict((r[0], r) for r in reference(s, city.id, until=datetime(2025, 4, 30, tzinfo=UTC)))
        assert both and any(early[r[0]][3] is not None and early[r[0]][3].month == 4 for r in both)
        for seg_id, _iri, _cls, when in both:
            rows = list(
                s.execute(
                    features.segments_query(s, city.id, since=datetime(2025, 3, 1, tzinfo=UTC), road=None).where(
                        RoadSegmentRow.id == seg_id
                    )
                )
            )
            assert rows[0].measured_at == when


def test_events_and_coverage_match_the_stored_rows(two_surveys):
    until = datetime(2025, 4, 30, tzinfo=UTC)
    with session_scope(two_surveys) as s:
        city = accounts.get_city(s, "35.10")
        keys = dict(s.execute(select(RoadSegmentRow.id, RoadSegmentRow.segment_key)).all())
        stored = list(s.scalars(select(RoadEventRow).order_by(RoadEventRow.id)))
        for kind in ("pothole", "bump", "pothole, bump"):
            query = features.events_query(s, city.id, kind=kind, until=until)
            events = [(r[0].id, r[1]) for r in s.execute(query)]
            expected = [(e.id, keys.get(e.segment_id)) for e in stored if e.kind in kind and e.at <= until]
            assert events == expected
        assert events and any(key for _id, key in events)
        cov = {
            r[0].id: (r.surveys, r.first_driven, r.last_driven) for r in s.execute(features.coverage_query(s, city.id))
        }
        driven: dict[int, list[datetime]] = {}
        for r in s.scalars(select(RoadSegmentSurvey)):
            driven.setdefault(r.segment_id, []).append(r.driven_at)
        assert cov == {k: (len(v), min(v), max(v)) for k, v in driven.items()}
        assert any(n == 2 for n, *_ in cov.values())


def test_road_manager_grades_only_the_ways_for_motor_vehicles(seeded, tmp_path):
    """The shared network holds cycleways, footpaths, steps and a ferry for the bicycle routes; Road Manager's
    lists, figures and condition map leave them out (no patrol car drives them), the bicycle graph keeps them."""
    from kotacerdas.network.store import import_network
    from kotacerdas.roads.store import condition, damage
    from tests.network.bikenet import write_bikenet

    with session_scope(seeded) as s:
        city = accounts.get_city(s, "35.10")
        import_network(s, city, write_bikenet(tmp_path / "bike.osm"))
    with session_scope(seeded) as s:
        city = accounts.get_city(s, "35.10")
        stored = {r.highway for r in s.scalars(select(RoadSegmentRow).where(RoadSegmentRow.city_id == city.id))}
        assert {"cycleway", "footway", "steps", "ferry", "primary"} <= stored
        listed = {row[0].highway for row in s.execute(features.segments_query(s, city.id))}
        assert listed and listed.isdisjoint({"cycleway", "footway", "steps", "ferry"}) and "primary" in listed
        everything = {row[0].highway for row in s.execute(features.segments_query(s, city.id, include_inactive=True))}
        assert everything == listed
        motor_m = sum(
            r.length_m
            for r in s.scalars(select(RoadSegmentRow).where(RoadSegmentRow.city_id == city.id))
            if r.motor_vehicle
        )
        assert condition.city_totals(s, city.id).network_m == pytest.approx(motor_m)
        shown = {row[0].highway for row in s.execute(damage.condition_query(s, city.id))}
        assert shown == listed
