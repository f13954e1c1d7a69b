"""The odometer: Doppler speed integrated, standing still adds nothing, dropouts bridged, the matched path anchors,
its own uncertainty."""

from __future__ import annotations

import numpy as np
import pytest

from kotacerdas.roads.odometer import PathPositions, quiet_mask, run_odometer
from kotacerdas.roads.roughness import prepare_survey
from kotacerdas.roads.simulator import SimulationConfig, real_streets_config, simulate_survey, winding_route


def drive(seconds: int = 300, seed: int = 1, stop: tuple[int, int] | None = None, speed_sd: float = 0.3):
    rng = np.random.default_rng(seed)
    t = np.arange(seconds, dtype=float)
    v = 10.0 + 2.0 * np.sin(t / 40.0)
    if stop:
        v[stop[0] : stop[1]] = 0.0
    s_true = np.concatenate([[0.0], np.cumsum(0.5 * (v[1:] + v[:-1]))])
    reported = np.maximum(0.0, v + rng.normal(0.0, speed_sd, t.size))
    x = s_true + rng.normal(0.0, 5.0, t.size)
    return t, x, np.zeros(t.size), reported, s_true, v


def test_doppler_speed_gives_the_length_and_its_uncertainty() -> None:
    t, x, y, v, s_true, _ = drive()
    odo = run_odometer(t, x, y, v)
    assert odo.source == "gps_speed"
    assert odo.length_m == pytest.approx(s_true[-1], rel=0.005)
    assert odo.speed_sd_ms == pytest.approx(0.3, rel=0.3)
    # the uncertainty grows like a random walk and covers the error
    assert 0.5 * odo.speed_sd_ms * np.sqrt(t.size) < odo.length_sd_m < 2.0 * odo.speed_sd_ms * np.sqrt(t.size)
    assert abs(odo.length_m - s_true[-1]) < 3 * odo.length_sd_m


def test_standing_still_adds_no_distance() -> None:
    t, x, y, v, s_true, v_true = drive(stop=(100, 130))
    # the accelerometer is quiet while standing
    fs = 100.0
    a = np.random.default_rng(2).normal(0.0, 0.3, int(t.size * fs))
    a[int(100 * fs) : int(130 * fs)] *= 0.05
    quiet = quiet_mask(a, fs)
    with_stop = run_odometer(t, x, y, v, quiet=quiet)
    naive = run_odometer(t, x, y, v)
    assert with_stop.still[101:129].mean() > 0.9 and not with_stop.still[:95].any()
    assert with_stop.stopped_s >= 20
    assert np.ptp(with_stop.s[101:129]) < 2.0  # the clipped speed noise would add about 7 m
    assert np.sum(v[101:129]) > 3.0 and naive.length_m > with_stop.length_m


def test_a_dropout_is_bridged_by_the_path_when_the_speeds_disagree() -> None:
    t, x, y, v, s_true, _ = drive(stop=(150, 160))
    keep = np.ones(t.size, dtype=bool)
    keep[145:166] = False  # a 21 s dropout around a stop: the end speeds say 20 s of driving
    t, x, y, v, s_true = t[keep], x[keep], y[keep], v[keep], s_true[keep]
    p = s_true + np.random.default_rng(3).normal(0.0, 2.0, t.size)
    odo = run_odometer(t, x, y, v, path=PathPositions(p, np.zeros(t.size, dtype=np.int64)))
    assert odo.gaps and odo.gaps[0][2] == "path"
    assert odo.path_used
    assert odo.length_m == pytest.approx(s_true[-1], abs=10.0)
    without = run_odometer(t, x, y, v)
    assert abs(without.length_m - s_true[-1]) > abs(odo.length_m - s_true[-1])


def test_a_detour_in_the_path_does_not_bend_the_distance() -> None:
    t, x, y, v, s_true, _ = drive()
    p = s_true.copy()
    p[120:] += 60.0  # the matched path went into a side street and back
    odo = run_odometer(t, x, y, v, path=PathPositions(p, np.zeros(t.size, dtype=np.int64)))
    assert odo.path_breaks == 1
    assert odo.length_m == pytest.approx(s_true[-1], rel=0.005)


def test_without_speed_the_positions_give_the_distance() -> None:
    t, x, y, _v, s_true, _ = drive()
    odo = run_odometer(t, x, y, np.full(t.size, np.nan), smoothed=(x, y))
    assert odo.source == "gps_positions"
    assert odo.length_m > 0


@pytest.mark.slow
def test_real_streets_drive_length_within_half_a_percent() -> None:
    route = winding_route(2500, seed=3)
    for seed in (5, 7):
        streams, truth = simulate_survey(route, config=real_streets_config("sedan", seed), seed=seed)
        odo = prepare_survey(streams).odometer
        true = truth.distance_at(odo.t[-1]) - truth.distance_at(odo.t[0])
        assert odo.length_m == pytest.approx(true, rel=0.005)
    plain, truth = simulate_survey(route, config=SimulationConfig(stops_per_km=1.5, stop_s=(10, 25)), seed=6)
    odo = prepare_survey(plain).odometer
    stopped = float(np.sum(np.diff(truth.time)[truth.speed[1:] == 0]))
    assert stopped > 10 and odo.stopped_s == pytest.approx(stopped, rel=0.35)


@pytest.mark.parametrize("gap_s", [600.0, 86_400.0])
def test_a_gps_gap_adds_the_path_not_speed_times_time(gap_s: float) -> None:
    """Issue 8: a 600 s gap gave 7.4 km and a day 765 km of phantom road on a 2 km drive. The car is parked
    during the gap (moving at 10 m/s up to it and from it): the gap adds what the positions say, about nothing."""
    t, x, y, v, s_true, _ = drive(seconds=200)
    t = np.where(t >= 100, t + gap_s, t)
    odo = run_odometer(t, x, y, v)
    assert odo.length_m == pytest.approx(s_true[-1], abs=50.0)
    assert len(odo.gaps) == 1
