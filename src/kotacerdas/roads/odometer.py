"""The distance along a survey drive from the best evidence the phone gives, with its own uncertainty.

Roughness is a mean over distance and every interval is placed by distance, so the
odometer decides where each 100 m interval lies. It uses, in this order of trust:

1. **Doppler speed** (the GPS speed phones report with each fix), integrated over time
   (trapezoid between fixes). Its noise is white, so the integral drifts only as a random
   walk (about 0.3 m/s x sqrt(t)); its noise level is estimated from the drive itself.
2. **Standing still adds nothing.** A phone standing still still reports a small positive
   speed (the noise is clipped at zero) and jittering positions. A fix is *stationary*
   when its speed is below :data:`STILL_SPEED_MS` and the accelerometer is quiet around it
   (the vertical vibration at the drive's floor); steps between stationary fixes add no
   distance.
3. **The map-matched path** where the network is known: the along-path position of each
   fix (from the map matcher's smoother) anchors the integral, so its drift does not grow
   over a long drive; a place where the path disagrees with the speeds (a detour into a
   side street and back, a wrong branch) starts a new stretch of path rather than bending
   the distance. **GPS dropouts** (no fix for longer than :data:`GAP_S`) are bridged by the
   speed at both ends, the speed in between following the accelerometer's acceleration along
   the direction of travel (:func:`along_track_acceleration`); where the matched path's
   length between the fixes on either side clearly disagrees (a stop inside the dropout),
   by the path; without either, by the straight line between the fixes. A gap longer than
   :data:`MAX_SPEED_BRIDGE_S` is never bridged by the speeds (the car may have parked).
4. **Positions** (smoothed fixes) only when the phone gives no speed and there is no path.

The estimate is one least-squares solve over all fixes (a tridiagonal system): distance
steps from the speeds (or the bridge over a gap) each with its standard deviation, and
the path positions with theirs. Its uncertainty (:attr:`Odometer.sigma_m`) is the
posterior standard deviation of the distance of every fix from the first, taken from the
same system (forward and backward passes of the equivalent Kalman filter).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "GAP_S",
    "STILL_SPEED_MS",
    "Odometer",
    "PathPositions",
    "along_track_acceleration",
    "quiet_mask",
    "run_odometer",
]

GAP_S = 3.0
"""A time step between fixes longer than this (s) is a GPS gap: bridged, never integrated."""
MAX_SPEED_BRIDGE_S = 60.0
"""Longest gap (s) the speeds at its ends may bridge; across a longer one the car may have parked, so the
matched path (or, without one, the straight line between the fixes) gives the distance: a parked hour is
never counted as an hour of driving."""
STILL_SPEED_MS = 0.6
"""Reported speed below which a fix may be standing still (m/s)."""
SPEED_SD_MS = 0.3
"""Doppler speed noise assumed when the drive is too short to estimate it (m/s)."""
ANCHOR_ON_PATH = True
"""Whether the matched path's positions anchor the integrated speed (see the module docstring)."""
PATH_SD_M = 4.0
"""Standard deviation of one fix's along-path position from the map matcher (m)."""


@dataclass(frozen=True)
class PathPositions:
    """Where each fix lies along the map-matched path: metres along its stretch, NaN where unmatched.

    ``stretch`` numbers the continuous stretches of path (a new one where the matcher's
    chain restarts); ``-1`` where unmatched.
    """

    position_m: np.ndarray
    stretch: np.ndarray


@dataclass
class Odometer:
    """The distance of every fix from the first, how it was found and how sure it is."""

    t: np.ndarray
    s: np.ndarray
    """Distance of each fix from the first (m), non-decreasing."""
    sigma_m: np.ndarray
    """Standard deviation of :attr:`s` (m)."""
    speed: np.ndarray
    """Speed at each fix used by the odometer (m/s; 0 where standing still)."""
    still: np.ndarray
    """Fixes judged standing still."""
    source: str
    """``gps_speed`` (Doppler), ``map_path`` (matched path, no speed) or ``gps_positions``."""
    gaps: list[tuple[float, float, str]] = field(default_factory=list)
    """GPS gaps ``(t_from, t_to, bridged by)``: ``path``, ``speed`` or ``chord``."""
    speed_sd_ms: float = SPEED_SD_MS
    path_used: bool = False
    path_breaks: int = 0
    """Places where the matched path disagreed with the speeds (a new stretch began)."""

    @property
    def length_m(self) -> float:
        """Distance of the whole drive (m)."""
        return float(self.s[-1]) if self.s.size else 0.0

    @property
    def length_sd_m(self) -> float:
        """Standard deviation of :attr:`length_m` (m)."""
        return float(self.sigma_m[-1]) if self.sigma_m.size else 0.0

    @property
    def stopped_s(self) -> float:
        """Time spent standing still (s)."""
        if self.t.size < 2:
            return 0.0
        both = self.still[1:] & self.still[:-1]
        return float(np.sum(np.diff(self.t)[both]))

    def at(self, t: np.ndarray) -> np.ndarray:
        """Distance (m) at times ``t`` (linear between fixes)."""
        return np.interp(np.asarray(t, dtype=float), self.t, self.s)

    def sigma_at(self, t: np.ndarray) -> np.ndarray:
        """Standard deviation of the distance (m) at times ``t``."""
        return np.interp(np.asarray(t, dtype=float), self.t, self.sigma_m)

    def summary(self) -> dict[str, object]:
        """JSON-safe summary (stored with a survey)."""
        return {
            "source": self.source,
            "length_m": round(self.length_m, 1),
            "length_sd_m": round(self.length_sd_m, 1),
            "stopped_s": round(self.stopped_s, 1),
            "gaps": len(self.gaps),
            "gaps_bridged_by": {k: sum(1 for g in self.gaps if g[2] == k) for k in ("path", "speed", "chord")},
            "speed_sd_ms": round(self.speed_sd_ms, 3),
            "path_used": self.path_used,
            "path_breaks": self.path_breaks,
        }


def quiet_mask(a_vert: np.ndarray, fs: float, window_s: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Window centre times (s from the first sample) and whether the vertical vibration is at the drive's floor.

    A standing vehicle shows only the sensor's noise (and engine idle); driving adds the
    road's input. Quiet: the window's RMS below 2.5 times the drive's 5th percentile
    (and below 0.15 m/s², so a smooth road at speed is never quiet).
    """
    n = max(4, int(round(window_s * fs)))
    k = a_vert.size // n
    if k < 1:
        return np.zeros(0), np.zeros(0, dtype=bool)
    rms = np.sqrt(np.mean(a_vert[: k * n].reshape(k, n) ** 2, axis=1))
    floor = float(np.percentile(rms, 5))
    centre = (np.arange(k) + 0.5) * n / fs
    return centre, rms < min(2.5 * floor + 1e-3, 0.15)


def _speed_noise(v: np.ndarray, dt: np.ndarray) -> float:
    """Doppler noise from the second differences of the speed where driving steadily at 1 Hz."""
    ok = np.isfinite(v)
    if v.size < 20 or ok.mean() < 0.5:
        return SPEED_SD_MS
    d2 = v[2:] - 2 * v[1:-1] + v[:-2]
    steady = ok[2:] & ok[1:-1] & ok[:-2] & (np.abs(dt[1:] - 1.0) < 0.2) & (np.abs(dt[:-1] - 1.0) < 0.2)
    steady &= (v[1:-1] > 2.0) & np.isfinite(d2)
    if steady.sum() < 20:
        return SPEED_SD_MS
    return float(np.clip(1.4826 * np.median(np.abs(d2[steady])) / math.sqrt(6.0), 0.05, 2.0))


def _stretches(path: PathPositions, steps: np.ndarray, known: np.ndarray, tol: np.ndarray) -> tuple[np.ndarray, int]:
    """Stretch ids where consecutive path positions agree with the distance steps; new id where they do not."""
    p = path.position_m
    ids = np.where(np.isfinite(p), path.stretch, -1).astype(np.int64)
    out = np.full(p.size, -1, dtype=np.int64)
    current = -1
    breaks = 0
    for i in range(p.size):
        if ids[i] < 0:
            continue
        new = current < 0 or i == 0 or ids[i - 1] != ids[i] or out[i - 1] < 0
        if not new and known[i - 1] and abs((p[i] - p[i - 1]) - steps[i - 1]) > tol[i - 1]:
            new = True
            breaks += 1
        if new:
            current += 1
        out[i] = current
    return out, breaks


def _solve(
    steps: np.ndarray, step_sd: np.ndarray, obs: np.ndarray, obs_sd: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Least squares ``s`` (``s_0 = 0``) from steps ``s_{i+1} - s_i`` and observations ``s_i`` (NaN: none).

    Returns the estimate and its posterior standard deviation (random walk with
    measurements: forward and backward Kalman passes, combined).
    """
    n = steps.size + 1
    q = np.maximum(step_sd, 1e-6) ** 2
    has = np.isfinite(obs)
    r = np.where(has, np.maximum(obs_sd, 1e-6) ** 2, np.inf)
    z = np.where(has, obs, 0.0)
    # forward filter (s_0 = 0 known exactly)
    mf = np.zeros(n)
    pf = np.zeros(n)
    for i in range(1, n):
        m_pred = mf[i - 1] + steps[i - 1]
        p_pred = pf[i - 1] + q[i - 1]
        if has[i]:
            k = p_pred / (p_pred + r[i])
            mf[i] = m_pred + k * (z[i] - m_pred)
            pf[i] = (1 - k) * p_pred
        else:
            mf[i], pf[i] = m_pred, p_pred
    # backward (Rauch-Tung-Striebel) pass
    ms = mf.copy()
    ps = pf.copy()
    for i in range(n - 2, -1, -1):
        p_pred = pf[i] + q[i]
        c = pf[i] / p_pred if p_pred > 0 else 0.0
        ms[i] = mf[i] + c * (ms[i + 1] - (mf[i] + steps[i]))
        ps[i] = pf[i] + c * c * (ps[i + 1] - p_pred)
    return ms, np.sqrt(np.maximum(ps, 0.0))


def _still(v: np.ndarray, ft: np.ndarray, quiet: tuple[np.ndarray, np.ndarray] | None, t0: float) -> np.ndarray:
    slow = np.isfinite(v) & (v < STILL_SPEED_MS)
    if quiet is None or quiet[0].size == 0:
        return slow & (v < 0.5 * STILL_SPEED_MS)
    centre, flag = quiet
    idx = np.clip(np.searchsorted(centre, ft - t0), 0, centre.size - 1)
    near = flag[idx] | flag[np.maximum(idx - 1, 0)]
    return slow & near


def _bridge(ta: float, tb: float, va: float, vb: float, along: tuple[np.ndarray, np.ndarray] | None) -> float:
    """Distance across a dropout: the speed from ``va`` follows the along-track acceleration, corrected
    linearly in time to end at ``vb``; without it the mean of the two speeds."""
    if along is None:
        return 0.5 * (va + vb) * (tb - ta)
    at, aa = along
    i0, i1 = np.searchsorted(at, [ta, tb])
    if i1 - i0 < 10:
        return 0.5 * (va + vb) * (tb - ta)
    tt = at[i0:i1]
    dts = np.diff(tt, prepend=ta)
    v = va + np.cumsum(aa[i0:i1] * dts)
    v = v + (vb - (v[-1] if v.size else va)) * (tt - ta) / (tb - ta)
    return float(np.sum(np.maximum(v, 0.0) * dts) + max(v[-1], 0.0) * (tb - tt[-1]))


def along_track_acceleration(
    t: np.ndarray, horizontal: np.ndarray, fix_t: np.ndarray, speed: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """The acceleration along the direction of travel, from the accelerometer's horizontal part.

    ``horizontal`` (``(n, 3)``, phone axes, low-passed) is regressed on the change of the
    Doppler speed between fixes, which finds the phone's forward axis whatever the mount;
    ``None`` when the two do not agree (R² below 0.5) or there is too little driving.
    """
    ok = np.isfinite(speed)
    if ok.sum() < 30:
        return None
    ft, v = fix_t[ok], speed[ok]
    dv = np.diff(v) / np.maximum(np.diff(ft), 1e-6)
    keep = (np.diff(ft) <= 1.5) & (v[1:] > 1.0) & (v[:-1] > 1.0)
    if keep.sum() < 30:
        return None
    idx = np.searchsorted(t, ft)
    csum = np.vstack([np.zeros((1, 3)), np.cumsum(horizontal, axis=0)])
    lo, hi = np.clip(idx[:-1], 0, t.size), np.clip(idx[1:], 0, t.size)
    mean_h = (csum[hi] - csum[lo]) / np.maximum(hi - lo, 1)[:, None]
    h, y = mean_h[keep], dv[keep]
    u, *_ = np.linalg.lstsq(h, y, rcond=None)
    pred = h @ u
    r2 = 1.0 - float(np.sum((y - pred) ** 2)) / max(float(np.sum((y - y.mean()) ** 2)), 1e-12)
    if r2 < 0.5:
        return None
    return t, horizontal @ u


def _chord(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.hypot(np.diff(x), np.diff(y))


def run_odometer(
    t: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    speed: np.ndarray,
    *,
    path: PathPositions | None = None,
    smoothed: tuple[np.ndarray, np.ndarray] | None = None,
    quiet: tuple[np.ndarray, np.ndarray] | None = None,
    accel_t0: float = 0.0,
    along_accel: tuple[np.ndarray, np.ndarray] | None = None,
    gap_s: float = GAP_S,
    position_sd_m: float = 8.0,
) -> Odometer:
    """The distance of every fix from the first (see the module docstring).

    Parameters
    ----------
    t:
        Fix times (s), increasing.
    x, y:
        Fix positions in local metres (east, north), as measured (the straight line across
        a gap is taken between them: smoothing would pull both ends back into the gap).
    smoothed:
        The same positions smoothed; their steps are the distance when there is no speed.
    speed:
        Doppler speed per fix (m/s), NaN where unknown.
    path:
        Along-path positions from the map matcher, when the network is known.
    quiet:
        :func:`quiet_mask` of the accelerometer (times from ``accel_t0``).
    along_accel:
        Times (s, as ``t``) and the acceleration along the direction of travel (m/s²):
        across a dropout the speed between its two ends follows it (:func:`along_track_acceleration`).
    gap_s:
        Longest step integrated from the speeds; longer ones are gaps and bridged.
    position_sd_m:
        Standard deviation of a step between smoothed positions (no speed, no path).
    """
    t = np.asarray(t, dtype=float)
    v = np.asarray(speed, dtype=float).copy()
    n = t.size
    dt = np.diff(t)
    known_v = np.isfinite(v)
    use_speed = known_v.mean() >= 0.5 if n else False
    sd_v = _speed_noise(v, dt) if use_speed else SPEED_SD_MS
    still = _still(v, t, quiet, accel_t0) if use_speed else _still(np.full(n, np.nan), t, None, 0.0)
    if use_speed and not known_v.all():
        v[~known_v] = np.interp(t[~known_v], t[known_v], v[known_v])
    chord = _chord(x, y)
    gap = dt > gap_s
    both_still = still[1:] & still[:-1]
    if use_speed:
        v = np.where(still, 0.0, v)
        steps = 0.5 * (v[1:] + v[:-1]) * dt
        step_sd = sd_v * dt / math.sqrt(2.0) + 0.02 * steps
        source = "gps_speed"
    else:
        steps = _chord(*smoothed) if smoothed is not None else chord.copy()
        step_sd = np.full(n - 1, position_sd_m)
        source = "gps_positions"
    steps = np.where(both_still & ~gap, 0.0, steps)
    step_sd = np.where(both_still & ~gap, 0.02, step_sd)
    gaps: list[tuple[float, float, str]] = []
    obs = np.full(n, np.nan)
    obs_sd = np.full(n, np.inf)
    path_used = False
    breaks = 0
    if path is not None and np.isfinite(path.position_m).sum() >= 2:
        p = np.asarray(path.position_m, dtype=float)
        tol = np.maximum(8.0, 4.0 * step_sd + 0.05 * np.abs(steps))
        stretch, breaks = _stretches(path, steps, (~gap) & (use_speed or np.ones(n - 1, bool)), tol)
        if not use_speed:
            same = (stretch[1:] == stretch[:-1]) & (stretch[1:] >= 0)
            dp = np.diff(p)
            ok = same & np.isfinite(dp) & (dp >= -2.0)
            steps = np.where(ok, np.maximum(dp, 0.0), steps)
            step_sd = np.where(ok, PATH_SD_M * math.sqrt(2.0) * 0.5, step_sd)
            steps = np.where(both_still & ~gap, 0.0, steps)
            source = "map_path"
        # gaps inside one stretch of path: the path's length between the fixes on either side; with
        # speeds at both ends those give the distance unless the path clearly disagrees (a stop
        # or a turn back inside the dropout): both ends of the path are a fix's error off
        for i in np.flatnonzero(gap):
            if stretch[i] >= 0 and stretch[i] == stretch[i + 1] and p[i + 1] >= p[i]:
                along = p[i + 1] - p[i]
                est = _bridge(t[i], t[i + 1], v[i], v[i + 1], along_accel) if use_speed else along
                est_sd = max(0.05 * est, sd_v * dt[i])
                by_path = dt[i] > MAX_SPEED_BRIDGE_S or abs(along - est) > 3.0 * math.hypot(est_sd, 2.0 * PATH_SD_M)
                steps[i] = along if (by_path or not use_speed) else est
                step_sd[i] = 2.0 * PATH_SD_M if (by_path or not use_speed) else est_sd
                gaps.append((float(t[i]), float(t[i + 1]), "path" if (by_path or not use_speed) else "speed"))
                gap[i] = False
        if use_speed and ANCHOR_ON_PATH:
            s0 = np.concatenate([[0.0], np.cumsum(steps)])
            for _ in range(2):
                for c in np.unique(stretch[stretch >= 0]):
                    rows = np.flatnonzero(stretch == c)
                    if rows.size < 5:
                        continue
                    offset = float(np.median(s0[rows] - p[rows]))
                    obs[rows] = p[rows] + offset
                    obs_sd[rows] = PATH_SD_M * 2.0
                s0, _ = _solve(steps, step_sd, obs, obs_sd)
            path_used = bool(np.isfinite(obs).any())
    for i in np.flatnonzero(gap):
        if use_speed:
            # the speeds at both ends, unless the straight line (noisy by ~2 fixes' error) is clearly longer
            est = _bridge(t[i], t[i + 1], v[i], v[i + 1], along_accel)
            by_chord = dt[i] > MAX_SPEED_BRIDGE_S or chord[i] > est + 3.0 * position_sd_m
            steps[i] = chord[i] if by_chord else est
            step_sd[i] = max(0.05 * steps[i], sd_v * dt[i]) if not by_chord else position_sd_m
            gaps.append((float(t[i]), float(t[i + 1]), "chord" if by_chord else "speed"))
        else:
            steps[i] = chord[i]
            step_sd[i] = max(0.15 * chord[i], position_sd_m)
            gaps.append((float(t[i]), float(t[i + 1]), "chord"))
    gaps.sort()
    s, sig = _solve(steps, step_sd, obs, obs_sd)
    s = np.maximum.accumulate(np.maximum(s, 0.0)) if s.size else s
    return Odometer(
        t=t,
        s=s,
        sigma_m=sig,
        speed=np.where(still, 0.0, v) if use_speed else np.concatenate([[0.0], steps / np.maximum(dt, 1e-9)]),
        still=still,
        source=source,
        gaps=gaps,
        speed_sd_ms=sd_v,
        path_used=path_used,
        path_breaks=breaks,
    )
