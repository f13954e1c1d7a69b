"""Tests of the survey simulator."""

import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import LineString

from kotacerdas.roads.simulator import (
    VEHICLE_PRESETS,
    RoutePath,
    SimulationConfig,
    simulate_survey,
    straight_route,
    winding_route,
)


@pytest.fixture(scope="module")
def drive():
    return simulate_survey(winding_route(1500, seed=1), config=SimulationConfig(fs_hz=100, gps_noise_m=5.0), seed=3)


def test_deterministic_by_seed() -> None:
    a, ta = simulate_survey(straight_route(400), seed=9)
    b, tb = simulate_survey(straight_route(400), seed=9)
    c, _ = simulate_survey(straight_route(400), seed=10)
    assert np.array_equal(a.accel.z, b.accel.z) and np.array_equal(a.track.lat, b.track.lat)
    assert np.array_equal(ta.intervals.iri, tb.intervals.iri)
    assert not np.array_equal(a.accel.z, c.accel.z)


def test_streams_look_like_a_phone(drive) -> None:
    s, truth = drive
    fs = 1 / np.median(np.diff(s.accel.t))
    assert fs == pytest.approx(100, rel=1e-6)
    g = np.linalg.norm(s.accel.as_array().mean(axis=0))
    assert g == pytest.approx(9.81, abs=0.15)
    assert np.all(np.diff(s.track.t) >= 1.0 - 1e-9)
    assert s.track.t[0] == pytest.approx(s.accel.t[0], abs=0.1)
    # random mount: gravity is not along one phone axis
    mean = np.abs(s.accel.as_array().mean(axis=0))
    assert mean.max() < 9.7
    assert np.allclose(truth.mount @ truth.mount.T, np.eye(3), atol=1e-9)


def test_gps_noise_and_ground_truth(drive) -> None:
    s, truth = drive
    path = RoutePath(winding_route(1500, seed=1))
    lon, lat = path.position(truth.distance_at(s.track.t))
    _, _, err = Geod(ellps="WGS84").inv(lon, lat, s.track.lon, s.track.lat)
    assert 2.0 < np.sqrt(np.mean(np.square(err))) < 10.0
    assert len(truth.intervals) == 15
    assert np.all(np.isfinite(truth.intervals.iri)) and truth.intervals.iri.min() > 0.3
    mid = truth.iri_between(truth.intervals.from_m, truth.intervals.to_m)
    assert np.allclose(mid[:-1], truth.intervals.iri[:-1], rtol=0.02)
    assert truth.speed.max() * 3.6 <= 80.0 + 1e-6
    for e in truth.events:
        assert 0 <= e.distance_m <= 1500 and e.time >= s.track.t[0]


def test_route_geometry_list_and_presets() -> None:
    a = straight_route(300)
    lon2, lat2 = a.coords[-1]
    b = LineString([(lon2, lat2), (lon2 + 0.002, lat2)])
    path = RoutePath([a, b])
    assert path.length_m == pytest.approx(300 + Geod(ellps="WGS84").line_length([lon2, lon2 + 0.002], [lat2, lat2]))
    lon, lat = path.position(np.array([0.0, 300.0]))
    assert lon[1] == pytest.approx(lon2) and lat[1] == pytest.approx(lat2)
    assert len(VEHICLE_PRESETS) >= 4
    assert all(p.k2 != 63.3 for p in VEHICLE_PRESETS.values())


def test_gps_dropouts_and_no_speed() -> None:
    cfg = SimulationConfig(gps_dropouts_per_km=3.0, report_speed=False)
    s, _ = simulate_survey(straight_route(2000), config=cfg, seed=4)
    assert np.all(np.isnan(s.track.speed))
    assert np.max(np.diff(s.track.t)) >= 5.0
