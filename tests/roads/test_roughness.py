"""Tests of IRI estimation from acceleration and of vehicle calibration."""

import numpy as np
import pytest

from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.roughness import (
    DEFAULT_GAIN,
    FITTED,
    IDENTIFIED,
    ReferenceIRI,
    VehicleCalibration,
    calibrate,
    default_calibration,
    estimate_iri,
    parse_reference_csv,
    prepare_survey,
    survey_dynamics,
)
from kotacerdas.roads.simulator import (
    SimulationConfig,
    VehiclePreset,
    simulate_survey,
    vehicle_preset,
    winding_route,
)
from kotacerdas.roads.streams import SurveyStreams, Vector3


def drive(vehicle: str, seed: int, length: float = 2500.0, **kw):
    cfg = SimulationConfig(vehicle=vehicle, **kw)
    return simulate_survey(winding_route(length, seed=seed), config=cfg, seed=seed)


def score(cal, streams, truth):
    prep = prepare_survey(streams)
    est = estimate_iri(prep, cal)
    true = truth.iri_between(truth.distance_at(prep.t_start), truth.distance_at(prep.t_end))
    ok = np.isfinite(est)
    return float(np.sqrt(np.mean((est[ok] - true[ok]) ** 2))), float(np.corrcoef(est[ok], true[ok])[0, 1])


def test_vertical_acceleration_is_mount_independent() -> None:
    s, truth = drive("sedan", 1, 600.0)
    prep = prepare_survey(s)
    # the vertical signal has no gravity left and a realistic spread
    assert abs(np.mean(prep.a_vert)) < 0.05
    assert 0.05 < np.std(prep.a_vert) < 5.0
    rot = np.linalg.qr(np.random.default_rng(0).normal(size=(3, 3)))[0]
    arr = s.accel.as_array() @ rot
    s2 = SurveyStreams(s.track, Vector3(s.accel.t, arr[:, 0], arr[:, 1], arr[:, 2]))
    assert np.allclose(prepare_survey(s2).a_vert, prep.a_vert, atol=1e-6)


def test_distance_follows_the_drive() -> None:
    s, truth = drive("suv", 2, 2000.0)
    prep = prepare_survey(s)
    assert prep.speed_source == "gps_speed"
    assert prep.fix_s[-1] == pytest.approx(truth.distance[-1], rel=0.02)
    assert len(prep.from_m) == 20


def test_calibration_transfers_to_another_drive() -> None:
    s, truth = drive("pickup", 3)
    ref = parse_reference_csv(truth.reference_csv())
    cal = calibrate(s, ref)
    assert cal.calibrated and cal.vehicle_id == "pickup" and cal.n_intervals >= 20
    s2, truth2 = drive("pickup", 4)
    rmse, r = score(cal, s2, truth2)
    assert rmse < 1.0 and r > 0.95
    # a fitted calibration belongs to its vehicle model: on another model it fails
    s3, truth3 = drive("motorcycle", 4)
    other_rmse, _ = score(cal, s3, truth3)
    assert other_rmse > 2 * rmse


def test_calibration_from_a_profile_reference() -> None:
    s, truth = drive("minibus", 5)
    cal = calibrate(s, truth.profile)
    assert cal.calibrated and cal.fit_r2 > 0.9


def test_true_vehicle_model_needs_only_a_gain() -> None:
    s, truth = drive("sedan", 6, potholes_per_km=0.0, bumps_per_km=0.0)
    p = vehicle_preset("sedan")
    prep = prepare_survey(s)
    est = estimate_iri(prep, VehicleCalibration("sedan", p.k1, p.k2, p.c, p.mu))
    true = truth.iri_between(truth.distance_at(prep.t_start), truth.distance_at(prep.t_end))
    ratio = est / true
    assert np.all(np.isfinite(ratio))
    assert np.std(np.log(ratio)) < 0.12


def test_slow_and_poor_gps_intervals_are_not_measured() -> None:
    s, _ = drive("sedan", 7, 1500.0, speed_kmh=(8.0, 15.0))
    prep = prepare_survey(s)
    assert set(prep.reason) == {"speed_below_minimum"}
    assert np.all(np.isnan(estimate_iri(prep, default_calibration())))
    s, _ = drive("sedan", 8, 1500.0)
    s.track.accuracy[:] = 40.0
    assert set(prepare_survey(s).reason) == {"gps_accuracy"}
    s, _ = drive("sedan", 9, 3000.0, gps_dropouts_per_km=2.0)
    reasons = prepare_survey(s).reason
    assert "gps_gap" in reasons and None in reasons


def test_slow_accelerometer_is_refused() -> None:
    s, _ = drive("sedan", 10, 300.0, fs_hz=20.0)
    with pytest.raises(RoadsError) as err:
        prepare_survey(s)
    assert err.value.field == "accel"


def test_reference_csv_and_roundtrip() -> None:
    ref = parse_reference_csv("from_m,to_m,iri_m_per_km\n0,100,2.0\n100,200,6.0\n")
    assert ref.between(np.array([50.0, 0.0]), np.array([150.0, 300.0])).tolist()[0] == pytest.approx(4.0)
    assert np.isnan(ref.between(np.array([0.0]), np.array([300.0]))[0])
    with pytest.raises(RoadsError):
        parse_reference_csv("a,b\n1,2\n")
    with pytest.raises(RoadsError):
        ReferenceIRI()
    cal = default_calibration("x")
    assert cal.method == IDENTIFIED and not cal.calibrated and cal.gain == DEFAULT_GAIN
    assert VehicleCalibration.from_dict(cal.to_dict()).to_dict() == cal.to_dict()
    old = {k: v for k, v in cal.to_dict().items() if k not in ("method", "n_vehicles")}
    assert VehicleCalibration.from_dict(old).method == FITTED


def test_identified_calibration_transfers_to_a_vehicle_never_seen() -> None:
    # calibration on two presets, evaluation on a vehicle unlike both (stiff, lightly damped)
    drives, refs = [], []
    for k, v in enumerate(("sedan", "minibus")):
        s, truth = drive(v, 20 + k, 3000.0)
        drives.append(s)
        refs.append(parse_reference_csv(truth.reference_csv()))
    fleet = calibrate(drives, refs, vehicle_id="fleet", method=IDENTIFIED)
    assert fleet.method == IDENTIFIED and fleet.calibrated and fleet.n_vehicles == 2
    assert fleet.gain == pytest.approx(1.2, abs=0.2)
    fitted = calibrate(drives, refs, vehicle_id="fleet")
    unseen = VehiclePreset.from_frequencies("unseen", 2.1, 0.18, 14.0, 0.22)
    s, truth = drive(unseen, 30, 3000.0)
    rmse, r = score(fleet, s, truth)
    assert rmse < 0.8 and r > 0.98
    fitted_rmse, _ = score(fitted, s, truth)
    assert fitted_rmse > 2 * rmse


def test_dynamics_are_identified_from_the_survey_alone() -> None:
    p = vehicle_preset("pickup")
    s, _ = drive("pickup", 31, 3000.0)
    prep = prepare_survey(s)
    ident = survey_dynamics(prep)
    assert ident.identified and ident.n_windows > 20
    assert survey_dynamics(prep) is ident  # cached
    d = ident.dynamics
    wb = np.sqrt(p.k2)
    assert d.body_hz == pytest.approx(wb / 2 / np.pi, rel=0.1)
    assert d.damping_ratio == pytest.approx(p.c / 2 / wb, rel=0.25)
    assert d.wheel_hz == pytest.approx(np.sqrt((p.k1 + p.k2) / p.mu) / 2 / np.pi, rel=0.1)
    # too little driving: the generic car, flagged
    short, _ = drive("pickup", 32, 150.0)
    assert not survey_dynamics(prepare_survey(short)).identified


def test_unknown_calibration_method_is_refused() -> None:
    s, truth = drive("sedan", 33, 1500.0)
    with pytest.raises(RoadsError) as err:
        calibrate(s, truth.profile, method="magic")
    assert err.value.field == "method"


@pytest.mark.parametrize(
    "row, field", [("0,100,nan", "iri_m_per_km"), ("0,100,-2", "iri_m_per_km"), ("0,inf,3", "to_m")]
)
def test_a_reference_iri_that_is_not_a_real_roughness_is_refused(row, field):
    from kotacerdas.core.errors import KotacerdasError
    from kotacerdas.roads.roughness import parse_reference_csv

    with pytest.raises(KotacerdasError) as err:
        parse_reference_csv("from_m,to_m,iri_m_per_km\n100,200,3.1\n" + row + "\n")
    assert (err.value.record, err.value.field) == (3, field)
