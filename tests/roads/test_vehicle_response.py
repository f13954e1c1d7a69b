"""Tests of quarter-car responses and of identifying a vehicle's dynamics from its acceleration."""

import numpy as np
import pytest
from scipy.signal import butter, sosfiltfilt

from kotacerdas.roads.vehicle_response import (
    GENERIC_CAR,
    VehicleDynamics,
    body_acceleration_response,
    identify_dynamics,
)


def test_dynamics_round_trip_and_unit_gain() -> None:
    d = VehicleDynamics(1.4, 0.25, 10.5, 0.14)
    back = VehicleDynamics.from_params(*d.params)
    assert back.body_hz == pytest.approx(1.4) and back.damping_ratio == pytest.approx(0.25)
    assert back.wheel_hz == pytest.approx(10.5) and back.mass_ratio == pytest.approx(0.14)
    f = np.array([0.01, 0.02])
    h = body_acceleration_response(f, *d.params)
    assert np.abs(h) / (2 * np.pi * f) ** 2 == pytest.approx([1.0, 1.0], rel=1e-3)


def _synthetic(dyn: VehicleDynamics, fs: float, seconds: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Body acceleration of a quarter car on an n^-2 road (white road velocity), via its FFT response."""
    rng = np.random.default_rng(seed)
    n = int(seconds * fs)
    velocity = rng.normal(size=n) * np.repeat(rng.uniform(0.3, 3.0, n // 2000 + 1), 2000)[:n]
    spec = np.fft.rfft(velocity)
    f = np.fft.rfftfreq(n, 1 / fs)
    h = np.zeros(f.size, dtype=complex)
    h[1:] = body_acceleration_response(f[1:], *dyn.params) / (2j * np.pi * f[1:])
    a = np.fft.irfft(spec * h, n)
    a = sosfiltfilt(butter(2, 0.25, btype="high", fs=fs, output="sos"), a)
    distance = np.arange(n) / fs * 15.0
    return a, distance


@pytest.mark.parametrize("dyn", [VehicleDynamics(1.1, 0.3, 11.5, 0.12), VehicleDynamics(2.0, 0.2, 15.0, 0.25)])
def test_identification_recovers_the_modes(dyn: VehicleDynamics) -> None:
    a, s = _synthetic(dyn, 200.0, 1200.0, 1)
    ident = identify_dynamics(a, s, 200.0)
    assert ident.identified and ident.fit_rms < 0.1
    got = ident.dynamics
    assert got.body_hz == pytest.approx(dyn.body_hz, rel=0.05)
    assert got.damping_ratio == pytest.approx(dyn.damping_ratio, rel=0.12)
    assert got.wheel_hz == pytest.approx(dyn.wheel_hz, rel=0.05)


def test_too_slow_or_too_short_gives_the_generic_car() -> None:
    a, s = _synthetic(GENERIC_CAR, 100.0, 600.0, 2)
    slow = identify_dynamics(a, s * 0.3, 100.0)  # 16 km/h throughout
    assert not slow.identified and slow.dynamics == GENERIC_CAR
    assert not identify_dynamics(a[:1000], s[:1000], 100.0).identified
