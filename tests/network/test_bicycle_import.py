"""The bicycle network in the OSM import: which ways a bicycle may use, one-way rules, surface and push tags."""

from __future__ import annotations

import pytest

from kotacerdas.network.osm import import_osm
from tests.network.bikenet import write_bikenet


@pytest.fixture
def segments(tmp_path):
    segs = import_osm(write_bikenet(tmp_path / "bike.osm"), include_tracks=True, include_bike_paths=True).segments
    return {s.osm_way_id: s for s in segs}


def test_bicycle_ways_are_kept_with_their_tags(segments):
    assert segments[3].highway == "cycleway" and segments[3].bicycle and not segments[3].motor_vehicle
    assert segments[4].highway == "footway" and segments[4].bicycle
    assert 5 not in segments  # a footway without bicycle=yes
    assert segments[6].highway == "track" and segments[6].smoothness == "bad" and segments[6].surface == "gravel"
    assert segments[10].highway == "ferry" and segments[10].bicycle and not segments[10].motor_vehicle


def test_access_and_one_way_rules_for_bicycles(segments):
    assert segments[7].bicycle is False and segments[7].motor_vehicle  # bicycle=no
    assert segments[11].bicycle is False  # access=private
    street = next(s for s in segments.values() if s.osm_way_id == 2)
    assert street.oneway == 1 and street.oneway_bicycle == 0 and street.cycleway == "lane"  # cycleway=opposite_lane
    assert street.lit is True and segments[8].lit is False
    assert segments[8].oneway == 1 and segments[8].oneway_bicycle == 0  # oneway:bicycle=no


def test_steps_are_pushed_not_refused(segments):
    steps = segments[9]
    assert steps.highway == "steps" and steps.bicycle and steps.push


def test_road_only_import_is_unchanged(tmp_path):
    segs = import_osm(write_bikenet(tmp_path / "bike.osm")).segments
    assert {s.highway for s in segs} <= {"primary", "residential", "service"}
