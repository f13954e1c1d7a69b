"""IRI from a phone's accelerometer: preparation, the vehicle response model, calibration.

The chain, for one survey (a :class:`~kotacerdas.roads.streams.SurveyStreams`):

1. **Align**: the accelerometer is sorted, de-duplicated and resampled onto a
   uniform clock; GPS fixes are sorted and cleaned.
2. **Vertical**: gravity in phone axes (the phone's own gravity stream, or the
   accelerometer low-passed at 0.02 Hz, slow enough that cornering and braking
   do not tilt it) gives the vertical direction whatever the mount; the vertical
   acceleration is the specific force minus gravity, projected on it, high-passed
   at 0.25 Hz.
3. **Distance**: along-drive distance integrates the GPS (Doppler) speed;
   without speed, it comes from smoothed positions. Every accelerometer sample
   gets a distance, and the drive is cut into intervals (100 m by default).
4. **Quality**: an interval driven below 20 km/h, across a GPS gap, with poor GPS
   accuracy or with accelerometer gaps is *not measured* (status and reason) and
   never guessed.
5. **Response model**: for a measured interval at speed ``v`` the acceleration
   (with 2 s of context each side) is transformed to the frequency domain and
   multiplied by ``H_g(f/v) / H_v(f)`` (regularised), where ``H_v`` is the survey
   vehicle's response (road elevation to body acceleration, a quarter car) and
   ``H_g`` the golden car's (road elevation to suspension slope at 80 km/h, 250 mm
   average included), band-limited to wavelengths of 0.33-40 m. The inverse
   transform reconstructs the golden car's suspension slope along the interval;
   the speed enters through ``f/v``. The IRI is ``gain * mean|slope|`` in m/km.
6. **Vehicle response**, two methods (:class:`VehicleCalibration` ``method``):

   * ``identified`` (default, and for every vehicle never calibrated): ``H_v`` is
     identified from the survey's own acceleration spectrum
     (:func:`kotacerdas.roads.vehicle_response.identify_dynamics`); a quarter car
     has unit gain at low frequency, so only a correction common to all vehicles
     remains (the two-wheel-track ratio, :data:`DEFAULT_GAIN`), which
     :func:`calibrate` with ``method="identified"`` fits on any set of
     calibration vehicles;
   * ``fitted``: :func:`calibrate` fits the vehicle's four quarter-car parameters
     and the gain to reference IRI (log-parameters, robust least squares, weak
     prior on a generic car); specific to that vehicle model and mount.

   References: a CSV of ``from_m,to_m,iri_m_per_km`` or a longitudinal profile.
   Results of the default coefficients carry ``calibrated=False``.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares
from scipy.signal import butter, sosfiltfilt

from kotacerdas.core import limits
from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.iri import LongitudinalProfile, iri_between, rectified_slope
from kotacerdas.roads.odometer import Odometer, PathPositions, along_track_acceleration, quiet_mask, run_odometer
from kotacerdas.roads.streams import SurveyStreams
from kotacerdas.roads.vehicle_response import (
    GENERIC_CAR,
    IdentifiedDynamics,
    body_acceleration_response,
    golden_slope_response,
    holder_response,
    identify_dynamics,
)

__all__ = [
    "FITTED",
    "IDENTIFIED",
    "MEASURED",
    "NOT_MEASURED",
    "REASONS",
    "PreparedSurvey",
    "ReferenceIRI",
    "VehicleCalibration",
    "body_acceleration_response",
    "calibrate",
    "default_calibration",
    "estimate_iri",
    "golden_slope_response",
    "parse_reference_csv",
    "prepare_survey",
    "read_reference_csv",
    "reconstruct",
    "survey_dynamics",
]

REFERENCE_KMH_MS = 40.0 / 3.6
"""Speed (m/s) at which a calibration's speed dependence is 1."""
MIN_ACCEL_HZ = 40.0
"""Slowest accelerometer rate accepted (Hz)."""
EARTH_RADIUS_M = 6_371_008.8

# status and reasons of an interval
MEASURED = "measured"
NOT_MEASURED = "not_measured"
REASONS: dict[str, str] = {
    "speed_below_minimum": N_("driven below the minimum speed"),
    "gps_gap": N_("GPS fixes missing"),
    "gps_accuracy": N_("GPS accuracy too poor"),
    "accel_gap": N_("accelerometer samples missing"),
    "too_short": N_("interval too short to measure"),
    "speed_variable": N_("speed changed too much within the interval"),
    "mount_loose": N_("phone holder loose: the phone moved in its holder"),
}
"""Reason codes of a not-measured interval and their message ids."""


# --------------------------------------------------------------------------- calibration record


FITTED = "fitted"
"""Calibration method: the vehicle's own quarter car fitted to reference IRI."""
IDENTIFIED = "identified"
"""Calibration method: dynamics identified from each survey's own acceleration, gain fitted on a fleet."""
DEFAULT_GAIN = 1.15
"""Gain of the uncalibrated default: mean IRI of the two wheel tracks over the IRI of their mean profile.

The body moves with the mean of the two tracks; for tracks correlated about 0.5
over the IRI wavebands the mean profile's IRI is ``sqrt(0.75)`` of the tracks'
(the half-car / mean roughness index ratio, typically 0.85-0.9 on real roads).
"""


@dataclass
class VehicleCalibration:
    """Response-model coefficients of one vehicle (with its phone mount), or of a fleet.

    ``method`` says how the vehicle's response is obtained:

    * ``"fitted"``: ``k1, k2, c, mu`` are the vehicle's quarter car (per unit
      sprung mass) fitted to reference IRI and ``gain`` the overall scale; valid
      for that vehicle model and mount.
    * ``"identified"``: the dynamics are identified from each survey's own
      acceleration (:func:`kotacerdas.roads.vehicle_response.identify_dynamics`)
      and ``gain`` is a correction common to all vehicles (fitted on calibration
      vehicles, or :data:`DEFAULT_GAIN`); ``k1, k2, c, mu`` are only the fallback
      for a survey too short to identify. It applies to vehicles never calibrated.

    ``calibrated`` is false for the default coefficients of an unknown vehicle.
    """

    vehicle_id: str | None
    k1: float
    k2: float
    c: float
    mu: float
    gain: float = 1.0
    calibrated: bool = False
    n_intervals: int = 0
    fit_rmse_m_per_km: float = float("nan")
    fit_r2: float = float("nan")
    method: str = FITTED
    n_vehicles: int = 0
    """Calibration drives (vehicles) the gain was fitted on (``identified`` only)."""
    speed_exponent: float = 0.0
    """Speed dependence left after the model: the IRI is multiplied by ``(v / 40 km/h) ** speed_exponent``."""
    fit_rel_rmse: float = float("nan")
    """RMSE of the fit relative to the reference IRI (log units: 0.1 is about 10 %)."""
    n_runs: int = 0
    """Calibration runs (drives over a reference) the fit combines."""
    runs: list[dict[str, object]] = field(default_factory=list)
    """Each run's quality: intervals used, RMSE, R², and whether and why it was left out."""

    def to_dict(self) -> dict[str, object]:
        """Plain dict for storage (JSON-safe; NaN as ``None``)."""
        d = asdict(self)
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in d.items()}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> VehicleCalibration:
        """Inverse of :meth:`to_dict` (dicts stored before ``method`` existed read as ``fitted``)."""
        kw = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        for k in ("fit_rmse_m_per_km", "fit_r2", "fit_rel_rmse"):
            if kw.get(k) is None:
                kw[k] = float("nan")
        if kw.get("method") not in (FITTED, IDENTIFIED):
            kw["method"] = FITTED
        return cls(**kw)  # type: ignore[arg-type]

    @property
    def params(self) -> tuple[float, float, float, float]:
        """``(k1, k2, c, mu)``."""
        return (self.k1, self.k2, self.c, self.mu)


def default_calibration(vehicle_id: str | None = None) -> VehicleCalibration:
    """Coefficients for a vehicle never calibrated (``calibrated=False``).

    The vehicle's dynamics are identified from each survey itself and the gain is
    the physical :data:`DEFAULT_GAIN`; nothing is fitted to reference IRI.
    """
    k1, k2, c, mu = GENERIC_CAR.params
    return VehicleCalibration(vehicle_id, k1=k1, k2=k2, c=c, mu=mu, gain=DEFAULT_GAIN, method=IDENTIFIED)


# --------------------------------------------------------------------------- preparation


@dataclass
class PreparedSurvey:
    """A survey aligned, verticalised and cut into intervals, ready for the response model."""

    fs: float
    t: np.ndarray
    """Uniform accelerometer times (s, epoch)."""
    a_vert: np.ndarray
    """Vertical acceleration without gravity (m/s²), high-passed."""
    s: np.ndarray
    """Along-drive distance of each accelerometer sample (m)."""
    fix_t: np.ndarray
    fix_s: np.ndarray
    fix_lat: np.ndarray
    fix_lon: np.ndarray
    """GPS fixes (positions smoothed) with their distance."""
    speed_source: str
    interval_m: float
    from_m: np.ndarray
    to_m: np.ndarray
    t_start: np.ndarray
    t_end: np.ndarray
    speed_ms: np.ndarray
    reason: list[str | None]
    """``None`` for a measured interval, else a key of :data:`REASONS`."""
    groups: list[_Group] = field(repr=False, default_factory=list)
    """Spectra of the measured intervals, grouped by FFT length."""
    rms: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))
    dynamics: IdentifiedDynamics | None = field(repr=False, default=None)
    """The vehicle dynamics identified from this survey (filled by :func:`survey_dynamics`)."""
    odometer: Odometer | None = field(repr=False, default=None)
    """How the distance was found, and its uncertainty (:mod:`kotacerdas.roads.odometer`)."""
    fix_index: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Index in the track as given of each (cleaned, sorted) fix of :attr:`fix_t`."""

    @property
    def measured(self) -> np.ndarray:
        """Boolean mask of measured intervals."""
        return np.array([r is None for r in self.reason], dtype=bool)

    def position_at(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lat and lon (smoothed GPS) at times ``t``."""
        t = np.asarray(t, dtype=float)
        return np.interp(t, self.fix_t, self.fix_lat), np.interp(t, self.fix_t, self.fix_lon)

    def distance_at(self, t: np.ndarray) -> np.ndarray:
        """Along-drive distance (m) at times ``t``."""
        return np.interp(np.asarray(t, dtype=float), self.fix_t, self.fix_s)


def _clean_times(t: np.ndarray, what: str) -> np.ndarray:
    t = np.asarray(t, dtype=float)
    if t.size and not np.all(np.isfinite(t)):
        bad = int(np.flatnonzero(~np.isfinite(t))[0])
        raise RoadsError(N_("timestamp is not a number"), field=what, record=bad + 1)
    order = np.argsort(t, kind="stable")
    ts = t[order]
    keep = np.concatenate([[True], np.diff(ts) > 0])
    return order[keep]


def _local_xy(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat0 = math.radians(float(np.mean(lat)))
    x = np.radians(lon - lon[0]) * EARTH_RADIUS_M * math.cos(lat0)
    y = np.radians(lat - lat[0]) * EARTH_RADIUS_M
    return x, y


def _smooth(values: np.ndarray, t: np.ndarray, sigma_s: float) -> np.ndarray:
    """Gaussian smoothing of irregular samples (kernel over time), vectorised by banding."""
    if values.size < 3:
        return values.copy()
    half = int(math.ceil(3 * sigma_s)) + 1
    out_num = np.zeros_like(values)
    out_den = np.zeros_like(values)
    for k in range(-half, half + 1):
        idx = np.clip(np.arange(values.size) + k, 0, values.size - 1)
        valid = (np.arange(values.size) + k >= 0) & (np.arange(values.size) + k < values.size)
        w = np.exp(-0.5 * ((t[idx] - t) / sigma_s) ** 2) * valid
        out_num += w * values[idx]
        out_den += w
    return out_num / out_den


@dataclass
class _Vertical:
    fs: float
    t: np.ndarray
    a_vert: np.ndarray
    accel_gaps: np.ndarray
    wobble: tuple[np.ndarray, np.ndarray] | None
    """Times and the phone's wobble in its holder (gyroscope rad/s, or gravity tilt rad), band 2-12 Hz."""
    horizontal: np.ndarray | None = None
    """Specific force minus gravity, its vertical part removed, low-passed at 2 Hz (phone axes)."""
    yaw: tuple[np.ndarray, np.ndarray] | None = None
    """Times (10 Hz) and the vehicle's yaw rate (rad/s, the gyroscope about gravity, low-passed at 1 Hz)."""


def _vertical(streams: SurveyStreams, gravity_hz: float) -> _Vertical:
    """Steps 1-2: the accelerometer on a uniform clock and its vertical component (gravity removed)."""
    acc = streams.accel
    if len(acc) < 10:
        raise RoadsError(N_("survey holds only {n} accelerometer samples"), field="accel", n=len(acc))
    ia = _clean_times(acc.t, "accel")
    t_raw = acc.t[ia]
    f_raw = acc.as_array()[ia]
    dt_med = float(np.median(np.diff(t_raw)))
    fs = 1.0 / dt_med
    if fs < MIN_ACCEL_HZ * 0.95:
        raise RoadsError(
            N_("accelerometer rate {fs} Hz is below the {minimum} Hz roughness needs"),
            field="accel",
            fs=round(fs, 1),
            minimum=MIN_ACCEL_HZ,
        )
    fs = float(round(fs))
    t = np.arange(t_raw[0], t_raw[-1], 1.0 / fs)
    f = np.column_stack([np.interp(t, t_raw, f_raw[:, k]) for k in range(3)])
    gap_idx = np.flatnonzero(np.diff(t_raw) > 0.25)
    accel_gaps = np.column_stack([t_raw[gap_idx], t_raw[gap_idx + 1]]) if gap_idx.size else np.zeros((0, 2))
    phone_gravity = streams.gravity is not None and len(streams.gravity) >= 2
    if phone_gravity:
        assert streams.gravity is not None
        ig = _clean_times(streams.gravity.t, "gravity")
        g_arr = streams.gravity.as_array()[ig]
        g = np.column_stack([np.interp(t, streams.gravity.t[ig], g_arr[:, k]) for k in range(3)])
    else:
        sos = butter(2, gravity_hz, btype="low", fs=fs, output="sos")
        g = sosfiltfilt(sos, f, axis=0) if t.size > 30 else np.repeat(f.mean(axis=0)[None], t.size, 0)
    g_norm = np.linalg.norm(g, axis=1)
    if not np.all(g_norm > 1.0):
        raise RoadsError(N_("accelerometer shows no gravity; is it in m/s²?"), field="accel")
    a_v = np.einsum("ij,ij->i", f - g, g / g_norm[:, None])
    if t.size > 30:
        a_v = sosfiltfilt(butter(2, 0.25, btype="high", fs=fs, output="sos"), a_v)
    horizontal = None
    if t.size > 30:
        unit = g / g_norm[:, None]
        d = f - g
        h = d - np.einsum("ij,ij->i", d, unit)[:, None] * unit
        horizontal = sosfiltfilt(butter(2, min(2.0, 0.4 * fs), btype="low", fs=fs, output="sos"), h, axis=0)
    rate = _gyro_on(streams, t)
    wobble = _wobble(streams, t, g, g_norm, fs, phone_gravity, rate)
    return _Vertical(fs, t, a_v, accel_gaps, wobble, horizontal, _yaw(rate, t, g / g_norm[:, None], fs))


def _gyro_on(streams: SurveyStreams, t: np.ndarray) -> np.ndarray | None:
    """The gyroscope (rad/s, phone axes) on the accelerometer's clock ``t``; ``None`` without one."""
    if streams.gyro is None or len(streams.gyro) < 10:
        return None
    ig = _clean_times(streams.gyro.t, "gyroscope")
    w = streams.gyro.as_array()[ig]
    return np.column_stack([np.interp(t, streams.gyro.t[ig], w[:, k]) for k in range(3)])


def _yaw(rate: np.ndarray | None, t: np.ndarray, up: np.ndarray, fs: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The gyroscope's rate about gravity (the vehicle turning), low-passed at 1 Hz, at 10 Hz; ``None`` without one."""
    if rate is None or t.size < 5 * fs:
        return None
    yaw = sosfiltfilt(butter(2, min(1.0, 0.4 * fs), btype="low", fs=fs, output="sos"), np.einsum("ij,ij->i", rate, up))
    step = max(1, int(round(fs / 10.0)))
    return t[::step], yaw[::step]


def _wobble(
    streams: SurveyStreams,
    t: np.ndarray,
    g: np.ndarray,
    g_norm: np.ndarray,
    fs: float,
    phone_gravity: bool,
    rate: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """How much the phone turns in its holder at 2-12 Hz (a rigid mount turns only with the body)."""
    if t.size < 5 * fs or fs < 30:
        return None
    sos = butter(2, [2.0, min(12.0, 0.45 * fs)], btype="band", fs=fs, output="sos")
    if rate is not None:
        return t, np.linalg.norm(sosfiltfilt(sos, rate, axis=0), axis=1)
    if phone_gravity:
        unit = g / g_norm[:, None]
        return t, np.linalg.norm(sosfiltfilt(sos, unit, axis=0), axis=1) * 2 * np.pi * 5.0
    return None


@dataclass
class _Fixes:
    t: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    speed: np.ndarray
    accuracy: np.ndarray
    index: np.ndarray
    """Index of each cleaned fix in the track as given."""


def _fixes(streams: SurveyStreams) -> _Fixes:
    tr = streams.track
    if len(tr) < 2:
        raise RoadsError(N_("survey holds only {n} GPS fixes"), field="track", n=len(tr))
    ig = _clean_times(tr.t, "track")
    ok = np.isfinite(tr.lat[ig]) & np.isfinite(tr.lon[ig])
    ig = ig[ok]
    if ig.size < 2:
        raise RoadsError(N_("survey holds only {n} GPS fixes"), field="track", n=int(ig.size))
    return _Fixes(
        tr.t[ig],
        tr.lat[ig],
        tr.lon[ig],
        np.asarray(tr.speed, dtype=float)[ig],
        np.asarray(tr.accuracy, dtype=float)[ig],
        ig,
    )


def _interval_reasons(
    prep: PreparedSurvey,
    fx: _Fixes,
    vert: _Vertical,
    *,
    min_speed_kmh: float,
    max_gps_gap_s: float,
    max_accuracy_m: float,
    max_speed_spread: float,
    max_wobble: float,
) -> list[str | None]:
    """Step 4: why each interval cannot be measured (``None``: it can)."""
    ft, t = fx.t, vert.t
    dtf = np.diff(ft)
    gaps_t0 = ft[:-1][dtf > max_gps_gap_s]
    gaps_t1 = ft[1:][dtf > max_gps_gap_s]
    gaps = vert.accel_gaps
    odo = prep.odometer
    reasons: list[str | None] = []
    for j in range(prep.from_m.size):
        a, b = prep.t_start[j], prep.t_end[j]
        r: str | None = None
        inside = (ft >= a) & (ft <= b)
        v_in = odo.speed[inside] if odo is not None else np.zeros(0)
        if np.any((gaps_t1 > a) & (gaps_t0 < b)):
            r = "gps_gap"
        elif a < t[0] - 0.5 or b > t[-1] + 0.5 or (gaps.size and np.any((gaps[:, 1] > a) & (gaps[:, 0] < b))):
            r = "accel_gap"
        elif prep.speed_ms[j] * 3.6 < min_speed_kmh:
            r = "speed_below_minimum"
        elif v_in.size >= 2 and (v_in.max() - v_in.min()) > max_speed_spread * max(prep.speed_ms[j], 1e-6):
            r = "speed_variable"
        else:
            sel = (ft >= a - 1.0) & (ft <= b + 1.0)
            accs = fx.accuracy[sel]
            accs = accs[np.isfinite(accs)]
            if accs.size and float(np.median(accs)) > max_accuracy_m:
                r = "gps_accuracy"
            elif vert.wobble is not None:
                wt, wv = vert.wobble
                i0, i1 = np.searchsorted(wt, [a, b])
                if i1 > i0 and float(np.sqrt(np.mean(wv[i0:i1] ** 2))) > max_wobble:
                    r = "mount_loose"
        reasons.append(r)
    return reasons


def prepare_survey(
    streams: SurveyStreams,
    *,
    interval_m: float = 100.0,
    min_speed_kmh: float = 20.0,
    max_gps_gap_s: float = 3.0,
    max_accuracy_m: float = 20.0,
    max_speed_spread: float = 0.8,
    max_wobble: float = 0.5,
    n_band: tuple[float, float] = (0.025, 3.0),
    f_min_hz: float = 0.3,
    gravity_hz: float = 0.02,
    path: PathPositions | None = None,
) -> PreparedSurvey:
    """Align, verticalise, measure the distance and cut a survey into intervals (steps 1-4 of the module docstring).

    Parameters
    ----------
    streams:
        The survey.
    interval_m:
        Interval length (m).
    min_speed_kmh:
        Intervals driven slower (on average) are not measured.
    max_gps_gap_s:
        Intervals containing a longer gap between fixes are not measured.
    max_accuracy_m:
        Intervals whose median reported GPS accuracy is worse are not measured.
    max_speed_spread:
        Intervals whose speed varies by more than this share of their mean are not measured.
    max_wobble:
        Intervals where the phone turns in its holder faster than this (rad/s RMS at 2-12 Hz)
        are not measured (a loose holder).
    n_band:
        Spatial-frequency band (cycles/m) kept in the spectra.
    f_min_hz:
        Lowest temporal frequency kept (Hz).
    path:
        Where each fix of ``streams.track`` lies along the map-matched path (the odometer
        uses it: :mod:`kotacerdas.roads.odometer`).
    """
    vert = _vertical(streams, gravity_hz)
    fx = _fixes(streams)
    x, y = _local_xy(fx.lat, fx.lon)
    xs, ys = _smooth(x, fx.t, 2.0), _smooth(y, fx.t, 2.0)
    fixpath = None
    if path is not None:
        fixpath = PathPositions(
            np.asarray(path.position_m, dtype=float)[fx.index],
            np.asarray(path.stretch)[fx.index],
            path.bends,
            None if path.lateral_m is None else np.asarray(path.lateral_m, dtype=float)[fx.index],
        )
    if np.isfinite(fx.speed).mean() < 0.5 and fixpath is None:
        xs, ys = _smooth(x, fx.t, 4.0), _smooth(y, fx.t, 4.0)
    quiet = quiet_mask(vert.a_vert, vert.fs)
    along = along_track_acceleration(vert.t, vert.horizontal, fx.t, fx.speed) if vert.horizontal is not None else None
    odo = run_odometer(
        fx.t,
        x,
        y,
        fx.speed,
        path=fixpath,
        smoothed=(xs, ys),
        quiet=quiet,
        accel_t0=float(vert.t[0]),
        along_accel=along,
        yaw=vert.yaw,
        gap_s=max_gps_gap_s,
    )
    fix_s = odo.s
    lat0 = math.radians(float(np.mean(fx.lat)))
    slat = fx.lat[0] + np.degrees(ys / EARTH_RADIUS_M)
    slon = fx.lon[0] + np.degrees(xs / (EARTH_RADIUS_M * math.cos(lat0)))
    s = np.interp(vert.t, fx.t, fix_s)

    # intervals
    total = float(fix_s[-1])
    n_int = int(math.floor(total / interval_m))
    if total - n_int * interval_m >= 0.5 * interval_m:
        n_int += 1
    frm = np.arange(n_int) * interval_m
    to = np.minimum(frm + interval_m, total)
    s_strict = fix_s + np.arange(fix_s.size) * 1e-9
    t_a = np.interp(frm, s_strict, fx.t)
    t_b = np.interp(to, s_strict, fx.t)
    dur = np.maximum(t_b - t_a, 1e-9)
    speed = (to - frm) / dur
    prep = PreparedSurvey(
        fs=vert.fs,
        t=vert.t,
        a_vert=vert.a_vert,
        s=s,
        fix_t=fx.t,
        fix_s=fix_s,
        fix_lat=slat,
        fix_lon=slon,
        speed_source=odo.source,
        interval_m=interval_m,
        from_m=frm,
        to_m=to,
        t_start=t_a,
        t_end=t_b,
        speed_ms=speed,
        reason=[],
        odometer=odo,
        fix_index=fx.index,
    )
    prep.reason = _interval_reasons(
        prep,
        fx,
        vert,
        min_speed_kmh=min_speed_kmh,
        max_gps_gap_s=max_gps_gap_s,
        max_accuracy_m=max_accuracy_m,
        max_speed_spread=max_speed_spread,
        max_wobble=max_wobble,
    )
    _spectra(prep, n_band, f_min_hz)
    return prep


@dataclass
class _Group:
    """Intervals whose padded segments share one FFT length."""

    rows: np.ndarray
    spectra: np.ndarray
    freq: np.ndarray
    golden: np.ndarray
    centre: np.ndarray


def _spectra(prep: PreparedSurvey, n_band: tuple[float, float], f_min_hz: float, margin_s: float = 2.0) -> None:
    """FFT of each measured interval's acceleration (``margin_s`` of context each side), grouped by length."""
    fs = prep.fs
    i_a = np.searchsorted(prep.t, prep.t_start)
    i_b = np.searchsorted(prep.t, prep.t_end)
    m = int(round(margin_s * fs))
    rms = np.full(prep.from_m.size, np.nan)
    by_len: dict[int, list[int]] = {}
    for j in np.flatnonzero(prep.measured):
        n = int(i_b[j] - i_a[j])
        if n < max(16, int(fs)):
            prep.reason[j] = "too_short"
            continue
        rms[j] = float(np.sqrt(np.mean(prep.a_vert[i_a[j] : i_b[j]] ** 2)))
        nfft = 1 << int(math.ceil(math.log2(n + 2 * m)))
        by_len.setdefault(nfft, []).append(int(j))
    groups = []
    for nfft, rows in sorted(by_len.items()):
        r = np.asarray(rows)
        seg = np.zeros((r.size, nfft))
        centre = np.zeros((r.size, nfft), dtype=bool)
        for k, j in enumerate(r):
            lo = max(0, i_a[j] - m)
            hi = min(prep.t.size, i_b[j] + m)
            x = prep.a_vert[lo:hi]
            taper = np.ones(x.size)
            ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(m) / max(m, 1))
            if i_a[j] - lo >= m and m:
                taper[:m] = ramp
            if hi - i_b[j] >= m and m:
                taper[-m:] = ramp[::-1]
            seg[k, : x.size] = x * taper
            centre[k, i_a[j] - lo : i_b[j] - lo] = True
        spec = np.fft.rfft(seg, axis=1)
        freq = np.fft.rfftfreq(nfft, 1.0 / fs)
        v = prep.speed_ms[r][:, None]
        band = (freq[None, :] >= np.maximum(f_min_hz, v * n_band[0])) & (
            freq[None, :] <= np.minimum(0.45 * fs, v * n_band[1])
        )
        golden = np.where(band, golden_slope_response(freq[None, :] / v), 0.0)
        groups.append(_Group(r, spec, freq, golden, centre))
    prep.groups = groups
    prep.rms = rms


# --------------------------------------------------------------------------- the response model


def reconstruct(prep: PreparedSurvey, params: Sequence[float]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The golden car's suspension slope (m/m) reconstructed from the acceleration, per measured interval.

    For each group of intervals: ``(rows, slope, centre)`` with the interval indices,
    the reconstructed slope signal of each padded segment and the mask of samples
    inside the interval.
    """
    k1, k2, c, mu = params
    grid = np.geomspace(0.3, 50.0, 200)
    eps = 1e-4 * float(np.max(np.abs(body_acceleration_response(grid, k1, k2, c, mu)) ** 2))
    holder = survey_dynamics(prep).holder
    out = []
    for g in prep.groups:
        hv = body_acceleration_response(g.freq, k1, k2, c, mu)
        if holder is not None:
            hv = hv * holder_response(g.freq, *holder)
        inv = np.conj(hv) / (np.abs(hv) ** 2 + eps)
        slope = np.fft.irfft(g.spectra * g.golden * inv[None, :], n=g.centre.shape[1], axis=1)
        out.append((g.rows, slope, g.centre))
    return out


def _feature(prep: PreparedSurvey, params: Sequence[float]) -> np.ndarray:
    """Mean reconstructed ``|RS|`` (m/m) per interval of vehicle ``(k1, k2, c, mu)``; NaN if not measured."""
    out = np.full(prep.from_m.size, np.nan)
    for rows, slope, centre in reconstruct(prep, params):
        out[rows] = (np.abs(slope) * centre).sum(axis=1) / centre.sum(axis=1)
    return out


def survey_dynamics(prep: PreparedSurvey) -> IdentifiedDynamics:
    """The vehicle's dynamics identified from the survey's own acceleration (computed once, then cached)."""
    if prep.dynamics is None:
        prep.dynamics = identify_dynamics(prep.a_vert, prep.s, prep.fs)
    return prep.dynamics


def _response_params(prep: PreparedSurvey, calibration: VehicleCalibration) -> tuple[float, float, float, float]:
    if calibration.method == IDENTIFIED:
        ident = survey_dynamics(prep)
        if ident.identified:
            return ident.dynamics.params
    return calibration.params


def estimate_iri(prep: PreparedSurvey, calibration: VehicleCalibration) -> np.ndarray:
    """IRI (m/km) of every interval of a prepared survey; NaN where not measured.

    With an ``identified`` calibration the vehicle's response comes from the
    survey itself (:func:`survey_dynamics`) and only the gain from the calibration.
    """
    return estimate(prep, calibration).iri


UNCALIBRATED_REL_SD = 0.15
"""Relative model uncertainty of an uncalibrated estimate (from ``bench/roughness_real_streets.py``)."""


@dataclass
class IriEstimate:
    """The IRI of every interval with its uncertainty, and the roughness of every sample along the drive.

    ``samples[j]`` holds, for the measured interval ``j``, the distance (m) of each
    accelerometer sample inside it and the IRI contribution (m/km) of that sample: the
    IRI of any stretch is their distance-weighted mean over it (:meth:`between`).
    """

    iri: np.ndarray
    sd: np.ndarray
    samples: dict[int, tuple[np.ndarray, np.ndarray]]

    def between(self, j: int, from_m: float, to_m: float) -> tuple[float, float]:
        """IRI (m/km) of ``[from_m, to_m)`` inside interval ``j`` and the metres it rests on (NaN, 0 if none)."""
        if j not in self.samples:
            return float("nan"), 0.0
        s, c = self.samples[j]
        ds = np.gradient(s) if s.size > 1 else np.ones(1)
        sel = (s >= from_m) & (s < to_m)
        w = ds[sel]
        if sel.sum() == 0 or w.sum() <= 0:
            return float("nan"), 0.0
        return float(np.sum(w * c[sel]) / np.sum(w)), float(to_m - from_m)


def estimate(prep: PreparedSurvey, calibration: VehicleCalibration) -> IriEstimate:
    """IRI, its standard deviation and the per-sample roughness of every measured interval.

    The uncertainty combines the spread within the interval (five blocks: the standard
    error of their mean) with the model's own: the calibration fit's relative RMSE, or
    :data:`UNCALIBRATED_REL_SD` for a vehicle never calibrated.
    """
    params = _response_params(prep, calibration)
    n = prep.from_m.size
    iri = np.full(n, np.nan)
    sd = np.full(n, np.nan)
    samples: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    scale = calibration.gain * 1000.0
    rel_model = _model_rel_sd(calibration)
    i_a = np.searchsorted(prep.t, prep.t_start)
    m = int(round(2.0 * prep.fs))
    for rows, slope, centre in reconstruct(prep, params):
        for k, j in enumerate(rows):
            inside = np.flatnonzero(centre[k])
            if inside.size == 0:
                continue
            lo = max(0, i_a[j] - m)
            idx = lo + inside
            idx = idx[idx < prep.s.size]
            c = scale * _speed_factor(calibration, prep.speed_ms[j]) * np.abs(slope[k, inside[: idx.size]])
            dist = prep.s[idx]
            ds = np.gradient(dist) if dist.size > 1 else np.ones(1)
            if ds.sum() <= 0:
                ds = np.ones(dist.size)
            value = float(np.sum(ds * c) / np.sum(ds))
            blocks = np.array_split(c, 5)
            means = np.array([b.mean() for b in blocks if b.size])
            rel_stat = (
                float(np.std(means, ddof=1) / np.sqrt(means.size) / value) if means.size > 1 and value > 0 else 0.0
            )
            iri[j] = value
            sd[j] = value * math.hypot(rel_stat, rel_model)
            samples[int(j)] = (dist, c)
    return IriEstimate(iri, sd, samples)


def _model_rel_sd(calibration: VehicleCalibration) -> float:
    if not calibration.calibrated:
        return UNCALIBRATED_REL_SD
    rel = calibration.fit_rel_rmse
    return float(rel) if math.isfinite(rel) and rel > 0 else UNCALIBRATED_REL_SD


def _speed_factor(calibration: VehicleCalibration, speed_ms: float) -> float:
    """The calibration's speed dependence ``(v / 40 km/h) ** speed_exponent``."""
    if not calibration.speed_exponent:
        return 1.0
    return float((max(speed_ms, 1.0) / REFERENCE_KMH_MS) ** calibration.speed_exponent)


# --------------------------------------------------------------------------- references and calibration


#: Highest reference IRI accepted (m/km): the roughest unpaved roads measure about 20.
MAX_REFERENCE_IRI = 50.0


class ReferenceIRI:
    """Reference roughness along a calibration drive, queried over any stretch."""

    def __init__(
        self,
        from_m: np.ndarray | None = None,
        to_m: np.ndarray | None = None,
        iri_m_per_km: np.ndarray | None = None,
        *,
        profile: LongitudinalProfile | None = None,
        offset_m: float = 0.0,
    ) -> None:
        self.offset_m = offset_m
        self._rs: list[tuple[np.ndarray, np.ndarray]] = []
        if profile is not None:
            self._rs = [
                (pos + profile.start_m, rs)
                for pos, rs in (
                    rectified_slope(profile.elevations[:, k], profile.dx) for k in range(len(profile.tracks))
                )
            ]
        elif from_m is not None and to_m is not None and iri_m_per_km is not None:
            self.from_m = np.asarray(from_m, dtype=float)
            self.to_m = np.asarray(to_m, dtype=float)
            self.iri = np.asarray(iri_m_per_km, dtype=float)
            if np.any(self.to_m <= self.from_m):
                raise RoadsError(N_("reference interval ends before it starts"), field="to_m")
        else:
            raise RoadsError(N_("a reference needs intervals or a profile"), field="reference")

    def between(self, from_m: np.ndarray, to_m: np.ndarray, min_cover: float = 0.8) -> np.ndarray:
        """Reference IRI (m/km) over stretches of the drive; NaN where covered less than ``min_cover``."""
        a = np.asarray(from_m, dtype=float) + self.offset_m
        b = np.asarray(to_m, dtype=float) + self.offset_m
        if self._rs:
            return np.mean([iri_between(pos, rs, a, b) for pos, rs in self._rs], axis=0)
        lo = np.maximum(a[:, None], self.from_m[None, :])
        hi = np.minimum(b[:, None], self.to_m[None, :])
        ov = np.clip(hi - lo, 0, None) * np.isfinite(self.iri)[None, :]
        cover = ov.sum(axis=1)
        val = (ov * np.nan_to_num(self.iri)[None, :]).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(cover >= min_cover * (b - a), val / cover, np.nan)


def parse_reference_csv(text: str) -> ReferenceIRI:
    """Parse a reference CSV with columns ``from_m,to_m,iri_m_per_km`` (header required).

    Every value must be a finite number; an IRI must lie between 0 and :data:`MAX_REFERENCE_IRI` m/km.
    """
    reader = csv.DictReader(io.StringIO(text))
    need = ("from_m", "to_m", "iri_m_per_km")
    header = limits.csv_header(reader, "reference")
    if any(k not in [f.strip() for f in header] for k in need):
        raise RoadsError(N_("reference CSV needs the columns from_m, to_m, iri_m_per_km"), field="header")
    rows = []
    for i, row in enumerate(limits.csv_rows(reader, "reference"), start=2):
        try:
            values = tuple(float(row[k]) for k in need)
        except (TypeError, ValueError) as exc:
            raise RoadsError(N_("row holds a value that is not a number"), record=i) from exc
        for k, v in zip(need, values, strict=True):
            limits.finite(v, k, "reference", record=i, low=0.0, high=MAX_REFERENCE_IRI if k == need[2] else 1e7)
        rows.append(values)
    if not rows:
        raise RoadsError(N_("reference CSV has no rows"))
    arr = np.asarray(rows)
    return ReferenceIRI(arr[:, 0], arr[:, 1], arr[:, 2])


def read_reference_csv(path: str | Path) -> ReferenceIRI:
    """Read a reference CSV file (see :func:`parse_reference_csv`)."""
    p = Path(path)
    return parse_reference_csv(limits.utf8(p.read_bytes(), p.name))


def _as_reference(reference: ReferenceIRI | LongitudinalProfile | str | Path) -> ReferenceIRI:
    if isinstance(reference, ReferenceIRI):
        return reference
    if isinstance(reference, LongitudinalProfile):
        return ReferenceIRI(profile=reference)
    p = Path(reference)
    if p.suffix.lower() == ".erd":
        from kotacerdas.roads.iri import read_erd

        return ReferenceIRI(profile=read_erd(p))
    return read_reference_csv(p)


def _fit_stats(est: np.ndarray, ref: np.ndarray) -> tuple[float, float]:
    rmse = float(np.sqrt(np.mean((est - ref) ** 2)))
    r2 = float(1 - np.sum((est - ref) ** 2) / np.sum((ref - ref.mean()) ** 2)) if ref.size > 1 else float("nan")
    return rmse, r2


def calibrate(
    streams: SurveyStreams | PreparedSurvey | Sequence[SurveyStreams | PreparedSurvey],
    reference: ReferenceIRI | LongitudinalProfile | str | Path | Sequence[ReferenceIRI | LongitudinalProfile],
    *,
    vehicle_id: str | None = None,
    interval_m: float = 100.0,
    prior: VehicleCalibration | None = None,
    min_intervals: int = 10,
    method: str = FITTED,
) -> VehicleCalibration:
    """Fit a vehicle's (or a fleet's) response model to reference IRI along calibration drives.

    Parameters
    ----------
    streams:
        The calibration drive(s) (streams, or already prepared).
    reference:
        Reference IRI along each drive: a :class:`ReferenceIRI`, a CSV path
        (``from_m,to_m,iri_m_per_km``), an ERD path or a
        :class:`~kotacerdas.roads.iri.LongitudinalProfile` (its distances are the
        drive's distances from the first fix). One per drive.
    vehicle_id:
        Stored on the result (defaults to the streams' ``vehicle_id``).
    prior:
        Starting point and weak prior of a ``fitted`` calibration (the generic car by default).
    min_intervals:
        Fewest measured intervals with a reference needed.
    method:
        ``"fitted"``: one quarter car and gain fitted to all drives (one vehicle
        model and mount). ``"identified"``: every drive's dynamics are identified
        from its own acceleration and only a common gain is fitted; the drives may
        come from different vehicles and the result applies to vehicles that were
        never calibrated.

    Returns
    -------
    VehicleCalibration
        ``calibrated=True``, with the fit's RMSE (m/km) and R² on the drives.
    """
    if method not in (FITTED, IDENTIFIED):
        raise RoadsError(N_("unknown calibration method {method}"), field="method", method=method)
    drives = list(streams) if isinstance(streams, (list, tuple)) else [streams]
    refs = list(reference) if isinstance(reference, (list, tuple)) else [reference]
    if len(refs) != len(drives):
        raise RoadsError(N_("give one reference per calibration drive"), field="reference")
    preps: list[PreparedSurvey] = []
    targets: list[np.ndarray] = []
    for d, r in zip(drives, refs, strict=True):
        prep = d if isinstance(d, PreparedSurvey) else prepare_survey(d, interval_m=interval_m)
        ref = _as_reference(r).between(prep.from_m, prep.to_m)
        ref = np.where(prep.measured, ref, np.nan)
        preps.append(prep)
        targets.append(ref)
        if vehicle_id is None and isinstance(d, SurveyStreams):
            vehicle_id = d.vehicle_id
    masks = [np.isfinite(tg) & (tg > 0.3) & prep.measured for tg, prep in zip(targets, preps, strict=True)]
    runs = [{"run": k + 1, "intervals": int(m.sum()), "used": True, "reason": None} for k, m in enumerate(masks)]
    for run, m in zip(runs, masks, strict=True):
        if len(masks) > 1 and m.sum() < max(3, min_intervals // 2):
            run.update(used=False, reason="too_few_intervals")
            m[:] = False
    n_used = int(sum(m.sum() for m in masks))
    if n_used < min_intervals:
        raise RoadsError(
            N_("only {n} measured intervals have a reference; calibration needs {minimum}"),
            field="reference",
            n=n_used,
            minimum=min_intervals,
        )
    ref_all = np.concatenate([tg[m] for tg, m in zip(targets, masks, strict=True)])
    spread = float(np.std(np.log(ref_all)))
    if spread < MIN_REFERENCE_SPREAD:
        raise RoadsError(
            N_(
                "the reference IRI varies too little ({low}-{high} m/km) to fit the vehicle: drive roads of "
                "different roughness"
            ),
            field="reference",
            low=round(float(np.min(ref_all)), 1),
            high=round(float(np.max(ref_all)), 1),
        )
    if method == IDENTIFIED:
        cal = _calibrate_identified(preps, masks, ref_all, vehicle_id, n_used)
    else:
        cal = _calibrate_fitted(preps, targets, masks, vehicle_id, prior)
        for _ in range(2):  # leave out runs that do not follow their reference, refit on the others
            bad = [k for k, st in enumerate(_run_stats(preps, targets, masks, cal)) if st[1] < MIN_RUN_R2]
            bad = [k for k in bad if runs[k]["used"]]
            if not bad or len(bad) == sum(1 for r in runs if r["used"]):
                break
            for k in bad:
                runs[k].update(used=False, reason="does_not_follow_reference")
                masks[k][:] = False
            cal = _calibrate_fitted(preps, targets, masks, vehicle_id, prior)
    for run, (rmse_k, r2_k, n_k) in zip(runs, _run_stats(preps, targets, masks, cal, all_rows=True), strict=True):
        run.update(rmse_m_per_km=_round(rmse_k), r2=_round(r2_k, 3), intervals=n_k if run["used"] else run["intervals"])
    cal.runs = runs
    cal.n_runs = sum(1 for r in runs if r["used"])
    if not math.isfinite(cal.fit_r2) or cal.fit_r2 < MIN_FIT_R2 or cal.fit_rel_rmse > MAX_FIT_REL_RMSE:
        raise RoadsError(
            N_(
                "the calibration drive does not follow its reference (R² {r2}, error {rel} %): check that the drive "
                "starts where the reference starts and covers it"
            ),
            field="reference",
            r2=_round(cal.fit_r2, 2),
            rel=_round(100.0 * cal.fit_rel_rmse, 0),
        )
    return cal


MIN_REFERENCE_SPREAD = 0.15
"""Least spread (sd of log IRI) of the reference over the calibration intervals."""
MIN_FIT_R2 = 0.6
"""A calibration fitting its reference worse than this is refused."""
MAX_FIT_REL_RMSE = 0.35
"""... or with a relative RMSE above this."""
MIN_RUN_R2 = 0.5
"""A run of several whose own R² under the joint fit is below this is left out."""


def _round(v: float, nd: int = 2) -> float | None:
    return round(float(v), nd) if v is not None and math.isfinite(v) else None


def _run_stats(
    preps: list[PreparedSurvey],
    targets: list[np.ndarray],
    masks: list[np.ndarray],
    cal: VehicleCalibration,
    *,
    all_rows: bool = False,
) -> list[tuple[float, float, int]]:
    """RMSE, R² and intervals of each run under the calibration ``cal``."""
    out = []
    for p, tg, m in zip(preps, targets, masks, strict=True):
        rows = (np.isfinite(tg) & (tg > 0.3) & p.measured) if all_rows else m
        est = estimate_iri(p, cal)[rows]
        ok = np.isfinite(est)
        if ok.sum() < 3:
            out.append((float("nan"), float("nan"), int(ok.sum())))
            continue
        rmse, r2 = _fit_stats(est[ok], tg[rows][ok])
        out.append((rmse, r2, int(ok.sum())))
    return out


def _calibrate_fitted(
    preps: list[PreparedSurvey],
    targets: list[np.ndarray],
    masks: list[np.ndarray],
    vehicle_id: str | None,
    prior: VehicleCalibration | None,
) -> VehicleCalibration:
    """One quarter car, gain and speed dependence fitted to all runs (robust, log units, weak prior)."""
    start = prior or VehicleCalibration(vehicle_id, *GENERIC_CAR.params)
    theta0 = np.append(np.log([start.k1, start.k2, start.c, start.mu, start.gain]), 0.0)
    lower = np.append(np.log([20.0, 5.0, 0.3, 0.02, 0.02]), -1.0)
    upper = np.append(np.log([5000.0, 400.0, 40.0, 1.0, 50.0]), 1.0)
    theta0 = np.clip(theta0, lower + 1e-6, upper - 1e-6)
    prior_w = np.array([0.3, 0.3, 0.3, 0.3, 0.0, 1.0])
    speeds = [np.log(np.maximum(p.speed_ms, 1.0) / REFERENCE_KMH_MS) for p in preps]

    def predict(theta: np.ndarray) -> list[np.ndarray]:
        k1, k2, c, mu, gain = np.exp(theta[:5])
        return [
            gain * 1000.0 * _feature(p, (k1, k2, c, mu)) * np.exp(theta[5] * lv)
            for p, lv in zip(preps, speeds, strict=True)
        ]

    def residuals(theta: np.ndarray) -> np.ndarray:
        est = predict(theta)
        r = [np.log(np.maximum(e[m], 1e-3)) - np.log(tg[m]) for e, tg, m in zip(est, targets, masks, strict=True)]
        return np.concatenate([*r, prior_w * (theta - theta0)])

    sol = least_squares(residuals, theta0, bounds=(lower, upper), loss="soft_l1", f_scale=0.2, x_scale=1.0)
    k1, k2, c, mu, gain = np.exp(sol.x[:5])
    est = np.concatenate([e[m] for e, m in zip(predict(sol.x), masks, strict=True)])
    ref = np.concatenate([tg[m] for tg, m in zip(targets, masks, strict=True)])
    rmse, r2 = _fit_stats(est, ref)
    rel = float(np.sqrt(np.mean((np.log(np.maximum(est, 1e-3)) - np.log(ref)) ** 2)))
    return VehicleCalibration(
        vehicle_id=vehicle_id,
        k1=float(k1),
        k2=float(k2),
        c=float(c),
        mu=float(mu),
        gain=float(gain),
        calibrated=True,
        n_intervals=int(ref.size),
        fit_rmse_m_per_km=rmse,
        fit_r2=r2,
        method=FITTED,
        speed_exponent=float(sol.x[5]),
        fit_rel_rmse=rel,
    )


def _calibrate_identified(
    preps: list[PreparedSurvey],
    masks: list[np.ndarray],
    ref: np.ndarray,
    vehicle_id: str | None,
    n_used: int,
) -> VehicleCalibration:
    """The common gain over drives whose dynamics are each identified from the drive itself."""
    probe = default_calibration(vehicle_id)
    feat = np.concatenate(
        [1000.0 * _feature(p, _response_params(p, probe))[m] for p, m in zip(preps, masks, strict=True)]
    )
    ok = np.isfinite(feat) & (feat > 0)
    log_ratio = np.log(ref[ok]) - np.log(feat[ok])

    def residuals(theta: np.ndarray) -> np.ndarray:
        return log_ratio - theta[0]

    sol = least_squares(residuals, [float(np.median(log_ratio))], loss="soft_l1", f_scale=0.2)
    gain = float(np.exp(sol.x[0]))
    rmse, r2 = _fit_stats(gain * feat[ok], ref[ok])
    rel = float(np.sqrt(np.mean((np.log(gain * feat[ok]) - np.log(ref[ok])) ** 2)))
    k1, k2, c, mu = GENERIC_CAR.params
    return VehicleCalibration(
        vehicle_id=vehicle_id,
        k1=k1,
        k2=k2,
        c=c,
        mu=mu,
        gain=gain,
        calibrated=True,
        n_intervals=n_used,
        fit_rmse_m_per_km=rmse,
        fit_r2=r2,
        method=IDENTIFIED,
        n_vehicles=len(preps),
        fit_rel_rmse=rel,
    )
