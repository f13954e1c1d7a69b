"""The SDI of a segment over the metres the camera covered: potholes per km and crack share over what was seen,
not over the whole segment; the most any one drive covered (two drives over the same stretch do not add up)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from shapely.geometry import Point
from sqlalchemy import select

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.store import damage as store
from kotacerdas.roads.store.damage_tables import RoadCapture, RoadCaptureSegment, RoadDamage, RoadSegmentDistress

WHEN = datetime(2025, 9, 1, 1, 0, tzinfo=UTC)


def test_covered_length():
    assert store.covered_length(400.0, 120.0) == 120.0
    assert store.covered_length(400.0, 900.0) == 400.0  # never more than the segment
    assert store.covered_length(400.0, None) == 400.0 and store.covered_length(400.0, 0.0) == 400.0


def _capture(s, city_id: int, name: str) -> RoadCapture:
    cap = RoadCapture(city_id=city_id, kind="video", sha256=name * 8, model="m", filename=name, status="done")
    s.add(cap)
    s.flush()
    return cap


def test_sdi_rests_on_the_metres_the_camera_covered(roads_db):
    with session_scope(roads_db, write=True) as s:
        city = accounts.get_city(s, "35.10")
        seg = s.scalar(
            select(RoadSegmentRow).where(RoadSegmentRow.city_id == city.id).order_by(RoadSegmentRow.length_m.desc())
        )
        assert seg.length_m > 200
        for name, metres in (("a", 100.0), ("b", 80.0)):  # two drives over the same first 100 m
            s.add(
                RoadCaptureSegment(
                    city_id=city.id,
                    capture_id=_capture(s, city.id, name).id,
                    segment_id=seg.id,
                    covered_m=metres,
                    at=WHEN,
                )
            )
        p = seg.geom.interpolate(0.1, normalized=True)
        s.add(
            RoadDamage(
                city_id=city.id,
                segment_id=seg.id,
                code="D40",
                first_seen=WHEN,
                last_seen=WHEN,
                confidence=0.8,
                area_m2=0.3,
                geom=Point(p.x, p.y),
            )
        )
        s.flush()
        store.refresh_distress(s, [seg.id])
        row = s.scalar(select(RoadSegmentDistress).where(RoadSegmentDistress.segment_id == seg.id))
        assert row.details["length_m"] == pytest.approx(100.0)
        assert row.details["potholes_per_km"] == pytest.approx(10.0)  # one pothole in the 100 m seen


def test_the_carriageway_is_as_wide_as_osm_says(roads_db):
    """An entered width first, else OSM ``width``, else ``lanes`` x 3 m."""
    with session_scope(roads_db, write=True) as s:
        seg = s.scalar(select(RoadSegmentRow).where(RoadSegmentRow.lanes == 2).limit(1))
        assert store.segment_width(seg, None) == 6.0
        seg.width_m = 7.5
        assert store.segment_width(seg, None) == 7.5
        assert store.segment_width(seg, RoadSegmentDistress(width_m=5.0)) == 5.0
