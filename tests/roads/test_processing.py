"""Tests of end-to-end survey processing."""

from dataclasses import replace

import numpy as np

from kotacerdas.roads.bina_marga import classify
from kotacerdas.roads.processing import process_survey
from kotacerdas.roads.roughness import calibrate
from kotacerdas.roads.simulator import RoutePath, SimulationConfig, simulate_survey, winding_route


def test_end_to_end_with_calibration_and_map_matching() -> None:
    route = winding_route(2500, seed=4)
    cfg = SimulationConfig(vehicle="suv", stops_per_km=0.5)
    cal_drive, cal_truth = simulate_survey(winding_route(2500, seed=5), config=cfg, seed=50)
    cal = calibrate(cal_drive, cal_truth.profile)
    s, truth = simulate_survey(route, config=cfg, seed=51)

    raw = process_survey(s)
    assert all(not r.calibrated for r in raw.intervals)

    path = RoutePath(route)
    calls = []

    def snap(track):
        calls.append(len(track))
        lon, lat = path.position(truth.distance_at(track.t))
        return replace(track, lat=lat, lon=lon)

    res = process_survey(s, cal, map_match=snap)
    assert calls == [len(s.track)]
    assert len(res.intervals) == 25
    measured = [r for r in res.intervals if r.status == "measured"]
    assert len(measured) >= 15 and all(r.calibrated for r in measured)
    for r in res.intervals:
        if r.status == "measured":
            assert r.road_class == classify(r.iri_m_per_km) and r.reason is None and r.speed_kmh >= 20
        else:
            assert r.iri_m_per_km is None and r.road_class is None and r.reason_message
    est = np.array([r.iri_m_per_km for r in measured])
    true = truth.iri_between(
        truth.distance_at([r.t_start for r in measured]), truth.distance_at([r.t_end for r in measured])
    )
    assert np.sqrt(np.mean((est - true) ** 2)) < 1.2
    # snapped geometry lies on the route
    lon, lat = path.position(truth.distance_at([measured[0].t_start]))
    assert abs(measured[0].start_lon - lon[0]) < 2e-5 and abs(measured[0].start_lat - lat[0]) < 2e-5
    assert measured[0].geometry.length > 0
    assert 0.0 <= res.mantap_share <= 1.0
    assert res.events and all(e.kind in ("pothole", "bump") for e in res.events)
