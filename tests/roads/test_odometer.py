"""The odometer: Doppler speed integrated, standing still adds nothing, dropouts bridged, the matched path anchors,
the path's turns found in the gyroscope pin it, its own uncertainty."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kotacerdas.roads.odometer import PathPositions, lateral_error_model, path_turns, quiet_mask, run_odometer
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


def turning_drive(seed: int, seconds: int = 400, sigma: float = 8.0, shorter_after: float | None = None):
    """A drive with a right-angle turn every 230 m; the path's positions err by a GPS error correlated over
    20 s (the same error across the road); the gyroscope turns with the car (rate about gravity, a bias)."""
    rng = np.random.default_rng(seed)
    t = np.arange(seconds, dtype=float)
    v = 10.0 + 2.0 * np.sin(t / 40.0)
    s_true = np.concatenate([[0.0], np.cumsum(0.5 * (v[1:] + v[:-1]))])
    reported = np.maximum(0.0, v + rng.normal(0.0, 0.3, t.size))
    along = np.zeros(t.size)
    across = np.zeros(t.size)
    for i in range(1, t.size):
        along[i] = 0.95 * along[i - 1] + rng.normal(0.0, sigma * math.sqrt(1 - 0.95**2))
        across[i] = 0.95 * across[i - 1] + rng.normal(0.0, sigma * math.sqrt(1 - 0.95**2))
    corners = np.arange(150.0, s_true[-1] - 100.0, 230.0)
    angles = np.where(np.arange(corners.size) % 2 == 0, math.pi / 2, -math.pi / 2)
    path = s_true + 30.0 + along
    bend_m = corners + 30.0
    if shorter_after is not None:  # the matched path leaves out 20 m of the road driven, over 150 m
        path = path - 20.0 * np.clip((s_true - shorter_after) / 150.0, 0.0, 1.0)
        bend_m = bend_m - 20.0 * np.clip((corners - shorter_after) / 150.0, 0.0, 1.0)
    bends = np.column_stack([np.zeros(corners.size), bend_m, angles])
    ty = np.arange(0.0, seconds - 1.0, 0.1)
    sy, vy = np.interp(ty, t, s_true), np.interp(ty, t, v)
    yaw = np.full(ty.size, 0.005) + rng.normal(0.0, 0.01, ty.size)
    for c, a in zip(corners, angles, strict=True):
        on = np.abs(sy - c) < 7.5  # the heading turns over 15 m
        yaw[on] += a * vy[on] / 15.0
    return t, s_true, reported, PathPositions(path, np.zeros(t.size, dtype=np.int64), bends, across), (ty, yaw)


def p95(odo, s_true) -> float:
    return float(np.percentile(np.abs(odo.s - s_true), 95))


@pytest.mark.parametrize("seed", [1, 2])
def test_turns_in_the_gyroscope_pin_the_distance(seed: int) -> None:
    t, s_true, v, path, yaw = turning_drive(seed)
    zeros = np.zeros(t.size)
    with_turns = run_odometer(t, zeros, zeros, v, path=path, yaw=yaw)
    without = run_odometer(t, zeros, zeros, v, path=path)
    assert len(with_turns.turns) == len(path_turns(path.bends)) == 17
    assert all(m.r2 >= 0.85 for m in with_turns.turns)
    assert p95(with_turns, s_true) < 2.5
    assert p95(without, s_true) > 1.5 * p95(with_turns, s_true)
    assert with_turns.summary()["turns_matched"] == 17
    # the posterior standard deviation still covers the error
    assert np.mean(np.abs(with_turns.s - s_true) <= 2.5 * with_turns.sigma_m) > 0.9
    # a phone lying the other way up turns the other way: the sign comes from the turns themselves
    flipped = run_odometer(t, zeros, zeros, v, path=path, yaw=(yaw[0], -yaw[1]))
    assert len(flipped.turns) == 17 and p95(flipped, s_true) == pytest.approx(p95(with_turns, s_true), abs=0.2)


def test_a_gyroscope_that_shows_no_turn_pins_nothing() -> None:
    t, s_true, v, path, (ty, _yaw) = turning_drive(1)
    noise = np.random.default_rng(9).normal(0.0, 0.01, ty.size)
    zeros = np.zeros(t.size)
    odo = run_odometer(t, zeros, zeros, v, path=path, yaw=(ty, noise))
    assert odo.turns == []
    assert odo.length_m == pytest.approx(run_odometer(t, zeros, zeros, v, path=path).length_m)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_path_shorter_than_the_road_between_two_turns_starts_a_new_stretch(seed: int) -> None:
    """The matcher's path leaves out 20 m (a corner cut, a loop): too gradual for the positions to show a jump,
    the turns on either side disagree with the speeds by 20 m; the path between them is not used."""
    t, s_true, v, path, yaw = turning_drive(seed, shorter_after=1800.0)
    zeros = np.zeros(t.size)
    odo = run_odometer(t, zeros, zeros, v, path=path, yaw=yaw)
    assert odo.path_breaks >= 1
    assert p95(odo, s_true) < 4.0
    assert p95(run_odometer(t, zeros, zeros, v, path=path), s_true) > 10.0


def test_the_gps_error_along_the_road_is_measured_across_it() -> None:
    t, _s, _v, path, _yaw = turning_drive(3, seconds=1200, sigma=6.0)
    model = lateral_error_model(t, path.lateral_m, path.stretch)
    assert model.sigma_m == pytest.approx(6.0, rel=0.3)
    assert 8.0 <= model.tau_s <= 50.0  # the error's correlation time is 19.5 s
    assert lateral_error_model(t, None, path.stretch).sigma_m > 0


def test_a_corner_drawn_with_several_nodes_is_one_turn() -> None:
    bends = np.array([[0, 100.0, 0.3], [0, 104.0, 0.5], [0, 109.0, 0.7], [0, 400.0, 0.2], [1, 50.0, -1.6]])
    turns = path_turns(bends)
    assert [(k, round(a, 1)) for k, _m, a in turns] == [(0, 1.5), (1, -1.6)]
    # where the heading turns: its changes' centroid, (0.3 x 100 + 0.5 x 104 + 0.7 x 109) / 1.5
    assert turns[0][1] == pytest.approx(105.53, abs=0.01) and turns[1][1] == 50.0


def test_a_stop_inside_a_dropout_cannot_make_it_shorter_than_braking_allows() -> None:
    from kotacerdas.roads.odometer import BRAKE_MS2, _shortest_stop

    # 12 m/s in and out, 11 s: brake to a stand (24 m), stand, accelerate (24 m)
    assert _shortest_stop(12.0, 12.0, 11.0) == pytest.approx(2 * 144 / (2 * BRAKE_MS2))
    # 2 s is too short to stop: the least is slowing to 9 m/s and back
    assert _shortest_stop(12.0, 12.0, 2.0) == pytest.approx(2 * (144 - 81) / (2 * BRAKE_MS2))
    assert _shortest_stop(0.0, 0.0, 30.0) == 0.0


def test_a_path_longer_than_the_road_with_good_gps_starts_a_new_stretch() -> None:
    """With 0.5 m GPS the path's positions are trusted; where the path is 17 m longer than the road over 20 s
    (a side street it added), the speeds say so and the odometer does not follow it."""
    t, _x, _y, v, s_true, _ = drive(seconds=400, seed=4)
    rng = np.random.default_rng(5)
    extra = 17.0 * np.clip((t - 150.0) / 20.0, 0.0, 1.0)
    p = s_true + extra + rng.normal(0.0, 0.3, t.size)
    zeros = np.zeros(t.size)
    path = PathPositions(p, np.zeros(t.size, dtype=np.int64), None, rng.normal(0.0, 0.5, t.size))
    odo = run_odometer(t, zeros, zeros, v, path=path)
    assert odo.path_breaks >= 1
    assert odo.length_m == pytest.approx(s_true[-1], abs=5.0)
    assert p95(odo, s_true) < 5.0


def test_a_turn_back_inside_a_dropout_is_bridged_by_the_speeds() -> None:
    """The car drove to the end of a dead end and back during a 20 s dropout; the matcher turned back where it
    cost least, so its path across the dropout is 150 m short. The speeds say 200 m: the path cannot say where
    the car turned, so its length is not taken (a stop inside the dropout would be; see above)."""
    t, _x, _y, v, s_true, _ = drive(seconds=300, seed=6)
    keep = np.ones(t.size, dtype=bool)
    keep[141:160] = False
    t, v, s_true = t[keep], v[keep], s_true[keep]
    p = s_true + np.random.default_rng(7).normal(0.0, 1.0, t.size)
    p[t >= 160] -= 150.0
    at = float(p[t < 160][-1]) + 25.0
    bends = np.array([[0.0, at, math.pi]])
    zeros = np.zeros(t.size)
    odo = run_odometer(t, zeros, zeros, v, path=PathPositions(p, np.zeros(t.size, dtype=np.int64), bends))
    assert odo.gaps and odo.gaps[0][2] == "speed"
    assert odo.length_m == pytest.approx(s_true[-1], rel=0.01)
