"""Minute-level demand simulation: conservation, empty/full minutes, moves, profiles from history."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import numpy as np

from kotacerdas.bikes import demand_sim as ds
from kotacerdas.bikes import demo
from kotacerdas.bikes.model import WIB

STATIONS = demo.demo_stations()


def _half():
    return {s.station_id: s.capacity // 2 for s in STATIONS}


def test_bikes_are_conserved_and_counts_are_consistent():
    requests = ds.sample_demand(demo.demo_profile(), ds.WORKDAY, seed=1)
    assert requests == ds.sample_demand(demo.demo_profile(), ds.WORKDAY, seed=1)  # deterministic
    start = _half()
    res = ds.simulate_day(requests, STATIONS, start)
    assert sum(res.final_inventory.values()) == sum(start.values())
    assert res.rides + res.lost_requests == len(requests)
    assert res.empty_minutes == sum(res.empty_by_station.values())
    assert 0 < res.problem_minutes <= len(STATIONS) * 17 * 60
    caps = {s.station_id: s.capacity for s in STATIONS}
    assert all(0 <= v <= caps[k] for k, v in res.final_inventory.items())


def test_empty_station_loses_requests():
    profile = demo.demo_profile()
    requests = ds.sample_demand(profile, ds.WORKDAY, seed=2)
    empty = {s.station_id: 0 for s in STATIONS}
    res = ds.simulate_day(requests, STATIONS, empty)
    assert res.rides == 0 and res.lost_requests == len(requests)
    assert res.empty_minutes == len(STATIONS) * 17 * 60 and res.full_minutes == 0


def test_moves_carry_bikes_between_stations():
    start = _half()
    moves = [ds.Move(300, "pendopo", -4), ds.Move(310, "lateng", 4), ds.Move(320, "kemiren", 3)]
    res = ds.simulate_day([], STATIONS, start, moves=moves)
    assert res.final_inventory["pendopo"] == start["pendopo"] - 4
    assert res.final_inventory["lateng"] == start["lateng"] + 4
    assert res.final_inventory["kemiren"] == start["kemiren"]  # the truck was empty by then
    assert res.bikes_moved == 4


def test_full_station_redirects_returns():
    profile = demo.demo_profile()
    requests = ds.sample_demand(profile, ds.WORKDAY, seed=3, scale=2.0)
    full = {s.station_id: s.capacity - (1 if s.station_id == "kemiren" else 0) for s in STATIONS}
    res = ds.simulate_day(requests, STATIONS, full)
    assert res.redirected_returns > 0 and res.full_minutes > 0
    assert sum(res.final_inventory.values()) == sum(full.values())


def test_profile_from_trips_recovers_generating_rates():
    trips = demo.demo_trips(weeks=4)
    hol = demo.indonesian_holidays(demo.DEFAULT_START, 28)
    true = demo.demo_profile()
    est = ds.profile_from_trips(trips, true.station_ids, holiday_dates=hol)
    # Daily totals of workday requests agree within 15 % (rain removes some demand)
    ratio = est.pickup_rate[ds.WORKDAY].sum() / true.pickup_rate[ds.WORKDAY].sum()
    assert 0.7 < ratio < 1.05
    assert np.allclose(est.dest_prob.sum(axis=3), 1.0)
    morning_home = est.pickup_rate[ds.WORKDAY, 7, list(true.station_ids).index("lateng")]
    assert morning_home > est.pickup_rate[ds.WORKDAY, 13, list(true.station_ids).index("lateng")]


def test_day_kind_and_net_flow():
    assert (
        ds.day_kind(datetime(2025, 3, 31, tzinfo=WIB).date(), demo.indonesian_holidays(demo.DEFAULT_START, 42))
        == ds.RESTDAY
    )
    assert ds.day_kind((datetime.combine(demo.DEFAULT_START, time(8)) + timedelta(days=1)).date()) == ds.WORKDAY
    flow = ds.expected_net_flow(demo.demo_profile(), ds.WORKDAY)
    assert abs(flow.sum()) < 1e-6  # every pickup returns somewhere
