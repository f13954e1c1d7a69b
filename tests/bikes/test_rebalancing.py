"""Truck routes: safe ranges, needs, feasibility (capacity, shift) with OR-Tools and the greedy fallback."""

from __future__ import annotations

import numpy as np
import pytest

from kotacerdas.bikes import demand_sim as ds
from kotacerdas.bikes import demo
from kotacerdas.bikes import rebalancing as rb
from kotacerdas.bikes.errors import BikesError

STATIONS = demo.demo_stations()
POINTS = {"depot": (114.3620, -8.2160), **{s.station_id: (s.lon, s.lat) for s in STATIONS}}
IDS, MATRIX = rb.straight_line_matrix(POINTS)


def test_safe_range():
    assert rb.safe_range(10, [-2, -3, 1]) == (5, 10)
    assert rb.safe_range(10, [2, 3, -1]) == (0, 5)
    low, high = rb.safe_range(10, [-8, 0, 0, 14])  # needs 8 early, then overflows: no safe stock
    assert low > high


def _needs(kind=ds.WORKDAY, window=(5, 11)):
    flow = ds.expected_net_flow(demo.demo_profile(), kind)[window[0] : window[1]]
    inventory = {s.station_id: s.capacity // 2 for s in STATIONS}
    return rb.station_needs(STATIONS, inventory, flow), inventory


def test_needs_follow_the_morning_flow():
    needs, _ = _needs()
    by = {n.station_id: n for n in needs}
    assert by["lateng"].delta > 0 and by["penganjuran"].delta > 0  # neighbourhoods empty in the morning
    assert by["pendopo"].delta < 0 and by["sritanjung"].delta < 0  # the centre fills
    for n in needs:
        assert 0 <= n.target <= next(s.capacity for s in STATIONS if s.station_id == n.station_id)
        if n.low <= n.high:
            assert n.low <= n.target <= n.high


@pytest.mark.parametrize("solver", ["ortools", "greedy"])
@pytest.mark.parametrize(("capacity", "shift", "initial"), [(12, 120, 0), (4, 45, 0), (8, 90, 6), (20, 30, 0)])
def test_routes_are_feasible(solver, capacity, shift, initial):
    needs, _ = _needs()
    trucks = [rb.Truck("t1", capacity, shift, initial), rb.Truck("t2", capacity, shift)]
    plan = rb.plan_routes(needs, trucks, MATRIX, location_ids=IDS, solver=solver, time_limit_s=0.5)
    assert plan.solver == solver
    assert rb.check_plan(plan, trucks, needs, MATRIX, location_ids=IDS) == []
    for route in plan.routes:
        assert route.duration_minutes <= shift + 1e-6
        assert all(0 <= s.load_after <= capacity for s in route.stops)
        assert [s.arrival_minute for s in route.stops] == sorted(s.arrival_minute for s in route.stops)
    want = {n.station_id: n.delta for n in needs}
    moved: dict[str, int] = {}
    for s in (s for r in plan.routes for s in r.stops):
        moved[s.station_id] = moved.get(s.station_id, 0) + s.delta
    for sid, total in moved.items():
        assert total * want[sid] > 0 and abs(total) <= abs(want[sid])
        assert plan.unserved.get(sid, 0) == want[sid] - total


def test_ortools_serves_the_whole_need_when_trucks_suffice():
    needs, _ = _needs()
    trucks = [rb.Truck("t1", 14, 240), rb.Truck("t2", 14, 240)]
    plan = rb.plan_routes(needs, trucks, MATRIX, location_ids=IDS, time_limit_s=1.0)
    deliver = sum(n.delta for n in needs if n.delta > 0)
    assert plan.unserved.get("lateng", 0) == 0 and plan.bikes_moved >= deliver
    moves = plan.moves(300)
    assert all(m.minute >= 300 for m in moves) and sum(m.delta for m in moves if m.delta > 0) == deliver


def test_check_plan_catches_violations():
    needs, _ = _needs()
    trucks = [rb.Truck("t1", 12, 120)]
    plan = rb.plan_routes(needs, trucks, MATRIX, location_ids=IDS, time_limit_s=0.5)
    assert plan.routes[0].stops
    tight = [rb.Truck("t1", 2, 5)]
    assert rb.check_plan(plan, tight, needs, MATRIX, location_ids=IDS)


def test_distance_callable_and_errors():
    needs, _ = _needs()
    pos = {k: i for i, k in enumerate(IDS)}

    def road(a: str, b: str) -> float:
        return float(MATRIX[pos[a], pos[b]]) * 1.1

    plan = rb.plan_routes(needs, [rb.Truck("t1", 10, 90)], road, time_limit_s=0.5)
    assert rb.check_plan(plan, [rb.Truck("t1", 10, 90)], needs, road) == []
    with pytest.raises(BikesError):
        rb.plan_routes(needs, [rb.Truck("t1", 10, 90)], MATRIX)  # a matrix needs its ids
    with pytest.raises(BikesError):
        rb.plan_routes(needs, [rb.Truck("t1", 10, 90)], np.zeros((2, 2)), location_ids=["depot", "x"])
    with pytest.raises(BikesError):
        rb.plan_routes(needs, [], MATRIX, location_ids=IDS)
