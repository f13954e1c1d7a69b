"""One record per damage: sightings grouped by code, segment and distance; stored records extended; a damage missed
by a drive that had it in view; the repair workflow's allowed steps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kotacerdas.roads.damage import (
    Sighting,
    StoredDamage,
    check_transition,
    group_sightings,
    in_view,
    missed,
    seen_again,
)
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.placement import offset_lonlat

LON, LAT = 114.36, -8.22


def at(east: float, north: float) -> tuple[float, float]:
    return offset_lonlat(LON, LAT, 0.0, north, east)


def s(code: str, east: float, north: float, t: float = 0.0, seg: int | None = 1, conf: float = 0.8) -> Sighting:
    lon, lat = at(east, north)
    return Sighting(code, lon, lat, t, conf, 0.5, seg)


def test_frames_of_one_damage_make_one_record():
    groups = group_sightings([s("D40", 0, 0, 0), s("D40", 1.2, 0.5, 1), s("D40", -0.8, 1.9, 2), s("D40", 0.4, -1.1, 3)])
    assert len(groups) == 1 and len(groups[0].sightings) == 4 and groups[0].damage_id is None


def test_codes_segments_and_distance_keep_damages_apart():
    groups = group_sightings([s("D40", 0, 0), s("D00", 0, 0), s("D40", 0, 0, seg=2), s("D40", 4.5, 0), s("D40", 0, 9)])
    assert len(groups) == 5


def test_a_stored_damage_takes_the_new_sightings():
    lon, lat = at(0, 0)
    stored = [StoredDamage(7, "D40", 1, lon, lat, 2.0), StoredDamage(8, "D40", 1, *at(30, 0), 1.0, status="repaired")]
    groups = group_sightings([s("D40", 1, 1, 100), s("D40", 30, 0.5, 100)], stored)
    by_id = {g.damage_id: g for g in groups}
    assert set(by_id) == {7, None}  # the repaired one takes nothing: damage there again is new
    assert len(by_id[7].sightings) == 1 and by_id[7].weight == pytest.approx(2.8)


def test_missed_when_a_frame_had_it_in_view():
    lon, lat = at(0, 10)
    d = StoredDamage(1, "D40", 1, lon, lat, 1.0)
    assert in_view(lon, lat, LON, LAT, 0.0)  # 10 m straight ahead
    assert not in_view(lon, lat, LON, LAT, 180.0)  # behind
    assert missed([d], [(LON, LAT, 0.0)], set(), {"D40"}) == [1]
    assert missed([d], [(LON, LAT, 0.0)], {1}, {"D40"}) == []  # seen
    assert missed([d], [(LON, LAT, 90.0)], set(), {"D40"}) == []  # looking elsewhere
    rejected = StoredDamage(2, "D40", 1, lon, lat, 1.0, status="rejected")
    assert missed([rejected], [(LON, LAT, 0.0)], set(), {"D40"}) == []


def test_a_model_cannot_miss_a_code_it_does_not_find():
    """A pothole-only model drives past a crack: the crack is not "not seen again", the pothole beside it is."""
    crack = StoredDamage(1, "D00", 1, *at(0, 10), 1.0)
    hole = StoredDamage(2, "D40", 1, *at(0.5, 10), 1.0)
    assert missed([crack, hole], [(LON, LAT, 0.0)], set(), {"D40"}) == [2]
    assert missed([crack, hole], [(LON, LAT, 0.0)], set(), {"D00", "D40"}) == [1, 2]
    assert missed([crack, hole], [(LON, LAT, 0.0)], set(), ()) == []


def test_only_a_later_sighting_undoes_a_miss():
    missed_at = datetime(2025, 8, 1, tzinfo=UTC)
    assert seen_again(None, missed_at)
    assert seen_again(missed_at, missed_at + timedelta(days=1))
    assert not seen_again(missed_at, missed_at - timedelta(days=1))  # an older drive stored out of order


def test_workflow_steps():
    check_transition("detected", "confirmed")
    check_transition("confirmed", "scheduled")
    check_transition("scheduled", "repaired")
    with pytest.raises(RoadsError) as err:
        check_transition("detected", "repaired")
    assert err.value.status == 409
    with pytest.raises(RoadsError):
        check_transition("detected", "fixed")
