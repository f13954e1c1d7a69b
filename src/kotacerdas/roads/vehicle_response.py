"""Quarter-car frequency responses and the identification of a vehicle's dynamics from its own survey.

A phone fixed in a vehicle measures the body's vertical acceleration. For a
quarter car (per unit sprung mass: tyre stiffness ``k1``, suspension stiffness
``k2``, damping ``c``, unsprung/sprung mass ratio ``mu``) the response from road
elevation to body acceleration is

``H(s) = k1 (c s + k2) s² / P(s)``, ``P(s) = (s² + c s + k2)(mu s² + c s + k1 + k2) - (c s + k2)²``.

At low frequency ``|H| -> (2 pi f)²`` with unit gain: once the dynamics are known
there is no free gain left, and the road can be reconstructed from the
acceleration in absolute terms.

**Identification** (:func:`identify_dynamics`): the dynamics are estimated from the
survey's own acceleration, without any reference. A road whose displacement PSD
follows ISO 8608 with waviness ``w = 2`` (``Gd(n) ∝ n⁻²``), driven at speed ``v``,
has a temporal elevation PSD ``∝ v / f²``: its *shape* does not depend on the
speed, only its level does (roughness × speed). The acceleration PSD is then
``level × |H(f)|² / f²``, so its shape across frequencies, once each stretch's
level is divided out, is the vehicle's ``|H(f)|² / f²``. The steps:

1. the vertical acceleration is cut into windows (8 s, half overlapping); windows
   driven slower than 20 km/h and windows with a crest factor above 5.5
   (potholes, bumps and other transients, whose spectra are not ISO 8608) are
   left out;
2. Hann-windowed periodograms are averaged into log-spaced bands (0.5 Hz to
   ``min(25 Hz, 0.4 fs)``); each window is divided by its own level (median over
   bands) and the bands are averaged over windows (10 % trimmed mean);
3. the model shape ``|H(f)|² / f²`` includes what the processing and the sensor do
   to the spectrum: the Hann window's leakage (the model is convolved with the
   window's spectral kernel), the 0.25 Hz high-pass of the preparation and a
   sample-averaging anti-alias filter (``sinc²(f / fs)``);
4. body frequency, damping ratio, wheel-hop frequency and mass ratio are fitted by
   least squares on the log shape (the level is free), with a weak prior on a
   generic passenger car.

The assumption that matters is the road's spectral slope (``w = 2``); a road with
another waviness tilts the measured shape and biases the identified damping, so
the bench reports that case separately.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from kotacerdas.roads.iri import BASE_LENGTH_M, GOLDEN_CAR, REFERENCE_SPEED_MS

HIGH_PASS_HZ = 0.25
"""Corner of the high-pass (2nd-order Butterworth, applied forward and backward) of the preparation."""


# --------------------------------------------------------------------------- frequency responses


def _char_poly(s: np.ndarray, k1: float, k2: float, c: float, mu: float) -> np.ndarray:
    return (s**2 + c * s + k2) * (mu * s**2 + c * s + k1 + k2) - (c * s + k2) ** 2


def body_acceleration_response(f_hz: np.ndarray, k1: float, k2: float, c: float, mu: float) -> np.ndarray:
    """Quarter car, road elevation (m) to body acceleration (m/s²), at temporal frequencies ``f_hz``."""
    s = 2j * np.pi * np.asarray(f_hz, dtype=float)
    return k1 * (c * s + k2) * s**2 / _char_poly(s, k1, k2, c, mu)


def golden_slope_response(n_cpm: np.ndarray) -> np.ndarray:
    """Golden car at 80 km/h, road elevation (m) to suspension slope (m/m), 250 mm average included.

    ``n_cpm`` are spatial frequencies (cycles/m).
    """
    n = np.asarray(n_cpm, dtype=float)
    s = 2j * np.pi * n * REFERENCE_SPEED_MS
    g = GOLDEN_CAR
    h = g["k1"] * s**3 / _char_poly(s, g["k1"], g["k2"], g["c"], g["mu"]) / REFERENCE_SPEED_MS
    return h * np.sinc(n * BASE_LENGTH_M)


# --------------------------------------------------------------------------- dynamics


@dataclass(frozen=True)
class VehicleDynamics:
    """A quarter car described by its modes (per unit sprung mass).

    ``body_hz`` body bounce frequency ``sqrt(k2) / 2 pi``, ``damping_ratio``
    ``c / (2 sqrt(k2))``, ``wheel_hz`` wheel-hop frequency
    ``sqrt((k1 + k2) / mu) / 2 pi`` and ``mass_ratio`` ``mu``.
    """

    body_hz: float
    damping_ratio: float
    wheel_hz: float
    mass_ratio: float

    @property
    def params(self) -> tuple[float, float, float, float]:
        """``(k1, k2, c, mu)``."""
        wb = 2 * math.pi * self.body_hz
        ww = 2 * math.pi * self.wheel_hz
        return (self.mass_ratio * ww**2 - wb**2, wb**2, 2 * self.damping_ratio * wb, self.mass_ratio)

    @classmethod
    def from_params(cls, k1: float, k2: float, c: float, mu: float) -> VehicleDynamics:
        """The modes of a quarter car ``(k1, k2, c, mu)``."""
        wb = math.sqrt(k2)
        return cls(wb / (2 * math.pi), c / (2 * wb), math.sqrt((k1 + k2) / mu) / (2 * math.pi), mu)


GENERIC_CAR = VehicleDynamics(body_hz=1.3, damping_ratio=0.3, wheel_hz=11.0, mass_ratio=0.15)
"""A generic passenger car: the starting point and weak prior of the identification."""

_LOWER = np.log([0.5, 0.05, 4.0, 0.03])
_UPPER = np.log([4.0, 1.5, 30.0, 0.6])


@dataclass(frozen=True)
class IdentifiedDynamics:
    """The result of :func:`identify_dynamics`."""

    dynamics: VehicleDynamics
    n_windows: int
    """Windows used (after the speed and crest-factor checks)."""
    fit_rms: float
    """RMS misfit of the log shape (natural log units); ~0.1 for a good fit."""
    identified: bool
    """False when too little driving was available and the generic car was returned."""
    holder: tuple[float, float] | None = None
    """The phone holder's resonance ``(Hz, damping ratio)`` when one was found, else ``None``."""


def holder_response(f_hz: np.ndarray, hz: float, damping: float) -> np.ndarray:
    """A phone holder's base-excitation transmissibility at ``f_hz`` (body to phone)."""
    s = 2j * np.pi * np.asarray(f_hz, dtype=float)
    w = 2 * np.pi * hz
    return (2 * damping * w * s + w * w) / (s * s + 2 * damping * w * s + w * w)


def _holder_fit(freq: np.ndarray, spectrum: np.ndarray, fs: float) -> tuple[float, float] | None:
    """A lightly damped resonance standing out of the mean normalised spectrum (8 Hz to 0.45 fs).

    The road's content moves with the speed while a holder's resonance stays at one
    frequency, so over windows at many speeds it stands out as a narrow peak above the
    spectrum's broad shape (a running median over +-25 % in frequency). Its frequency and
    damping are fitted (log least squares, a local power-law background); kept when the peak
    is at least 3 times the background and its damping below 0.2.
    """
    top = min(40.0, 0.45 * fs)
    band = (freq >= 6.0) & (freq <= top)
    if band.sum() < 20:
        return None
    f, sp = freq[band], np.maximum(spectrum[band], 1e-300)
    logs = np.log(sp)
    lf = np.log(f)
    background = np.array([np.median(logs[np.abs(lf - x) < 0.25]) for x in lf])
    excess = logs - background
    inner = (f >= 8.0) & (f <= top / 1.15)
    if not inner.any():
        return None
    k = int(np.argmax(np.where(inner, excess, -np.inf)))
    if excess[k] < np.log(3.0):
        return None
    f0 = float(f[k])
    win = (f >= 0.7 * f0) & (f <= min(1.4 * f0, top))

    def residuals(theta: np.ndarray) -> np.ndarray:
        hz, zeta, level, slope = float(np.exp(theta[0])), float(np.exp(theta[1])), theta[2], theta[3]
        model = level + slope * (lf[win] - np.log(f0)) + np.log(np.abs(holder_response(f[win], hz, zeta)) ** 2)
        return logs[win] - model

    theta0 = np.array([np.log(f0), np.log(0.05), float(np.median(background[win])), 0.0])
    lower = [np.log(0.8 * f0), np.log(0.005), -np.inf, -10.0]
    upper = [np.log(1.25 * f0), np.log(0.5), np.inf, 10.0]
    sol = least_squares(residuals, theta0, bounds=(lower, upper))
    hz, zeta = float(np.exp(sol.x[0])), float(np.exp(sol.x[1]))
    if zeta >= 0.2:
        return None
    return hz, zeta


def _shape_model(
    theta: np.ndarray,
    fine: np.ndarray,
    kernel: np.ndarray,
    up: int,
    n_bins: int,
    bands: list[np.ndarray],
    fs: float,
) -> np.ndarray:
    """Log band shape of ``|H|²/f²`` for log-modes ``theta``, as the processing would measure it."""
    dyn = VehicleDynamics(*np.exp(theta[:4]))
    f = np.maximum(np.abs(fine), 1e-3)
    w = theta[4] if theta.size > 4 else 2.0
    h = np.abs(body_acceleration_response(f, *dyn.params)) ** 2 / f**w
    h *= (1.0 / (1.0 + (HIGH_PASS_HZ / f) ** 4)) ** 2 * np.sinc(f / fs) ** 2
    smeared = np.convolve(h, kernel, mode="same")
    at_bins = smeared[kernel.size // 2 + np.arange(n_bins) * up]
    return np.log(np.array([at_bins[ix].mean() for ix in bands]))


def identify_dynamics(
    a_vert: np.ndarray,
    distance_m: np.ndarray,
    fs: float,
    *,
    window_s: float = 8.0,
    min_speed_kmh: float = 20.0,
    max_crest: float = 5.5,
    f_min_hz: float = 0.5,
    f_max_hz: float = 25.0,
    n_bands: int = 28,
    prior_weight: float = 0.05,
    min_windows: int = 8,
    waviness_weight: float | None = None,
    find_holder: bool = True,
) -> IdentifiedDynamics:
    """Identify a vehicle's quarter-car dynamics from its own vertical acceleration.

    Parameters
    ----------
    a_vert:
        Vertical acceleration (m/s²) on a uniform clock, high-passed at 0.25 Hz
        (as :func:`kotacerdas.roads.roughness.prepare_survey` gives it).
    distance_m:
        Along-drive distance (m) of every sample (gives each window's speed).
    fs:
        Sampling rate (Hz).
    window_s:
        Window length (s).
    min_speed_kmh:
        Windows driven slower on average are left out.
    max_crest:
        Windows whose peak |a| exceeds this many standard deviations are left out.
    f_min_hz, f_max_hz:
        Frequency band of the fit (the top is also limited to ``0.4 fs``).
    n_bands:
        Number of log-spaced bands.
    prior_weight:
        Weight of the prior on :data:`GENERIC_CAR` (per log-parameter).
    min_windows:
        Fewest usable windows; with fewer the generic car is returned
        (``identified=False``).
    waviness_weight:
        ``None`` (default): the road's waviness is taken as 2. A number: the
        waviness is fitted too, with this weight on a prior at 2 (more robust on
        roads of another waviness, less accurate on ISO 8608 roads; see the bench).
    find_holder:
        Look for a phone holder's resonance (a narrow peak that stays at one frequency
        whatever the speed, :func:`_holder_fit`) and divide it out before fitting.

    Returns
    -------
    IdentifiedDynamics
    """
    a = np.asarray(a_vert, dtype=float)
    dist = np.asarray(distance_m, dtype=float)
    n = int(round(window_s * fs))
    g = GENERIC_CAR
    theta0 = np.log([g.body_hz, g.damping_ratio, g.wheel_hz, g.mass_ratio])
    fallback = IdentifiedDynamics(GENERIC_CAR, 0, float("nan"), False)
    if a.size < 2 * n or n < 16:
        return fallback
    starts = np.arange(0, a.size - n, n // 2)
    speed = (dist[starts + n - 1] - dist[starts]) / (n / fs)
    starts = starts[speed * 3.6 >= min_speed_kmh]
    if starts.size < min_windows:
        return fallback
    raw = a[starts[:, None] + np.arange(n)[None, :]]
    sd = raw.std(axis=1)
    crest = np.abs(raw).max(axis=1) / np.maximum(sd, 1e-12)
    keep = (crest <= max_crest) & (sd > 0)
    if keep.sum() < min_windows:
        keep = (crest <= np.sort(crest)[min_windows - 1]) & (sd > 0)
    if keep.sum() < min_windows:
        return fallback
    window = np.hanning(n)
    power = np.abs(np.fft.rfft(raw[keep] * window, axis=1)) ** 2
    freq = np.fft.rfftfreq(n, 1.0 / fs)
    wide = (freq >= 2.0) & (freq <= 0.45 * fs)
    norm = power / np.maximum(np.median(power[:, wide], axis=1), 1e-300)[:, None]
    srt = np.sort(norm, axis=0)
    trim = int(0.1 * srt.shape[0])
    holder = _holder_fit(freq, srt[trim : srt.shape[0] - trim].mean(axis=0), fs) if find_holder else None
    if holder is not None:
        power = power / np.maximum(np.abs(holder_response(freq, *holder)) ** 2, 1e-6)[None, :]
    edges = np.geomspace(f_min_hz, min(f_max_hz, 0.4 * fs), n_bands + 1)
    which = np.digitize(freq, edges) - 1
    bands = [np.flatnonzero(which == b) for b in range(n_bands)]
    bands = [ix for ix in bands if ix.size]
    band_power = np.stack([power[:, ix].mean(axis=1) for ix in bands], axis=1)
    log_bp = np.log(np.maximum(band_power, 1e-300))
    level = np.exp(np.median(log_bp - np.median(log_bp, axis=0), axis=1))
    ratio = np.sort(band_power / level[:, None], axis=0)
    cut = int(0.1 * ratio.shape[0])
    shape = np.log(ratio[cut : ratio.shape[0] - cut].mean(axis=0))

    up = 8
    half = 4 * up
    spec = np.abs(np.fft.fft(window, n * up)) ** 2
    kernel = np.concatenate([spec[-half:], spec[: half + 1]])
    kernel /= kernel.sum()
    fine = (np.arange(freq.size * up + 2 * half) - half) * (fs / n) / up

    lower, upper = _LOWER, _UPPER
    weights = np.full(4, prior_weight)
    if waviness_weight is not None:
        theta0 = np.append(theta0, 2.0)
        lower, upper = np.append(lower, 1.0), np.append(upper, 3.5)
        weights = np.append(weights, waviness_weight)

    def residuals(theta: np.ndarray) -> np.ndarray:
        r = shape - _shape_model(theta, fine, kernel, up, freq.size, bands, fs)
        return np.concatenate([r - r.mean(), weights * (theta - theta0)])

    sol = least_squares(residuals, theta0, bounds=(lower, upper))
    misfit = sol.fun[: len(bands)]
    dyn = VehicleDynamics(*(float(x) for x in np.exp(sol.x[:4])))
    return IdentifiedDynamics(dyn, int(keep.sum()), float(np.sqrt(np.mean(misfit**2))), True, holder)
