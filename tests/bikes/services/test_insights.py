"""Operator figures from stored data: the rebalancing plan's distances come from the city's road network when it
reaches every station, else from straight lines, and the answer says which and why; other errors are raised."""

from __future__ import annotations

import numpy as np
import pytest

from kotacerdas.bikes import rebalancing as rb
from kotacerdas.bikes.services import insights, systems
from kotacerdas.core.db import session_scope
from kotacerdas.network.demo import offset

from ..factories import make_system


def _on_grid(east: float, north: float) -> tuple[float, float]:
    lon, lat = offset(east, north)
    return lat, lon


GRID_STATIONS = [
    ("barat", *_on_grid(-260, 0), 6, 5),
    ("timur", *_on_grid(260, 0), 6, 0),
    ("utara", *_on_grid(0, 260), 6, 3),
]


def _plan(engine, system_id: str) -> dict:
    with session_scope(engine) as s:
        return insights.rebalancing_plan(s, systems.get_system(s, system_id), trucks=1, time_limit_s=0.5)


def test_a_city_without_a_road_network_gets_straight_lines_and_says_so(seeded):
    make_system(seeded, system_id="lurus", stations=GRID_STATIONS, ebike_at=None)
    plan = _plan(seeded, "lurus")
    assert (plan["distance_source"], plan["distance_reason"]) == ("haversine", "no_road_network")
    assert plan["problems"] == []


def test_stations_on_the_stored_network_get_road_distances(network_db):
    make_system(network_db, system_id="jalan", stations=GRID_STATIONS, ebike_at=None)
    with session_scope(network_db) as s:
        system = systems.get_system(s, "jalan")
        points = {sid: (lon, lat) for sid, lat, lon, _c, _n in GRID_STATIONS}
        ids, road = insights.road_distances(s, system, points)
    _ids, straight = rb.straight_line_matrix(points, detour=1.0)
    assert ids == list(points) and np.all(np.diag(road) == 0)
    assert np.all(road + 1e-6 >= straight)  # no road is shorter than the straight line
    plan = _plan(network_db, "jalan")
    assert (plan["distance_source"], plan["distance_reason"]) == ("road_network", None)


def test_a_station_far_from_the_network_gets_straight_lines(network_db):
    far = [*GRID_STATIONS[:2], ("jauh", *_on_grid(5000, 5000), 6, 1)]
    make_system(network_db, system_id="jauh", stations=far, ebike_at=None)
    plan = _plan(network_db, "jauh")
    assert (plan["distance_source"], plan["distance_reason"]) == ("haversine", "stations_off_network")


def test_other_errors_of_the_network_are_not_swallowed(seeded, monkeypatch):
    make_system(seeded, system_id="rusak", stations=GRID_STATIONS, ebike_at=None)

    def broken(*args, **kwargs):
        raise RuntimeError("the graph could not be built")

    monkeypatch.setattr(insights, "city_graph", broken)
    with pytest.raises(RuntimeError, match="could not be built"):
        _plan(seeded, "rusak")
