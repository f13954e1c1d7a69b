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
   over a long drive. Those positions carry the GPS's error, correlated over tens of
   seconds; its size and correlation time come from the same fixes' error across the road
   (:func:`lateral_error_model`) and the solve carries it as a state. A place where the
   path disagrees with the speeds (a detour into a side street and back, a wrong branch)
   starts a new stretch of path rather than bending the distance, and positions far from
   the rest of the evidence are left out (:func:`_robust_solve`). **GPS dropouts** (no fix
   for longer than :data:`GAP_S`) are bridged by the speed at both ends, the speed in
   between following the accelerometer's acceleration along the direction of travel
   (:func:`along_track_acceleration`); where the matched path's length between the fixes on
   either side clearly disagrees (a stop inside the dropout), by the path; without either,
   by the straight line between the fixes. A gap longer than :data:`MAX_SPEED_BRIDGE_S` is
   never bridged by the speeds (the car may have parked).
4. **Turns** of the matched path found in the gyroscope (:func:`turn_observations`) pin
   where on the path the car was, free of the GPS's error; two turns whose distance along
   the path disagrees with the speeds mark a path that is not the road driven
   (:func:`_breaks_between_turns`).
5. **Positions** (smoothed fixes) only when the phone gives no speed and there is no path.

The estimate is one least-squares solve over all fixes: distance steps from the speeds (or
the bridge over a gap) each with its standard deviation, the path positions and turns with
theirs (a Kalman filter and smoother over distance, path offset and path error). Its
uncertainty (:attr:`Odometer.sigma_m`) is the posterior standard deviation of the distance
of every fix from the first, taken from the same solve.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "DEFAULT_PATH_ERROR",
    "GAP_S",
    "STILL_SPEED_MS",
    "Odometer",
    "PathError",
    "PathPositions",
    "along_track_acceleration",
    "lateral_error_model",
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
SPEED_SCALE_SD = 0.005
"""Relative uncertainty of the Doppler speed's scale (the phone's antenna path against the road's centre line)."""
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
    bends: np.ndarray | None = None
    """Where each stretch's heading changes: rows ``(stretch, path metres, radians, left positive)``
    (the turns that :func:`turn_observations` finds in the gyroscope)."""
    lateral_m: np.ndarray | None = None
    """Each fix's signed distance across the path (m): how the GPS errs (:func:`lateral_error_model`)."""


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
    turns: list[TurnMatch] = field(default_factory=list)
    """The path's turns found in the gyroscope, each pinning the distance where it is."""
    gyroscope: bool = False
    """Whether the recording had a gyroscope (without one no turn can be found)."""
    path_offset: np.ndarray | None = None
    """Per fix, path metres minus distance as the solve found it (NaN off the path): where on its stretch of
    matched path each fix lies is ``s + path_offset``, free of the GPS's error."""
    path_outliers: int = 0
    """Path positions left out because they lay too far from the rest of the evidence (:func:`_robust_solve`)."""

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
            "turns_matched": len(self.turns) if self.gyroscope else None,
            "path_outliers": self.path_outliers,
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


def _integrate(steps: np.ndarray, step_sd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distance from the steps alone (``s_0 = 0``) and its standard deviation (a random walk)."""
    s = np.concatenate([[0.0], np.cumsum(steps)])
    return s, np.sqrt(np.concatenate([[0.0], np.cumsum(np.maximum(step_sd, 1e-6) ** 2)]))


@dataclass(frozen=True)
class PathError:
    """How the matched path's along-path positions err, estimated from the drive (:func:`path_error_model`).

    The GPS error is correlated over tens of seconds (the same satellites, the same
    multipath): ``sigma_m`` is the standard deviation of that slowly varying part, ``tau_s``
    its correlation time and ``white_m`` the part independent from fix to fix.
    """

    sigma_m: float
    tau_s: float
    white_m: float


DEFAULT_PATH_ERROR = PathError(PATH_SD_M, 20.0, 1.0)
PATH_SCALE_SD = 0.02
"""How fast the offset between path metres and the distance may drift (m per square root of metre driven:
0.2 m over 100 m, 0.6 m over a kilometre): the map's roads are not drawn exactly as long as they are driven."""
_BIG = 1.0e6


def lateral_error_model(t: np.ndarray, lateral: np.ndarray | None, stretch: np.ndarray) -> PathError:
    """How the path's positions err along the road, from how the fixes err across it.

    A fix's error has no preferred direction, so its part across the road (the signed
    distance from the smoothed path, each stretch's median removed: the lane driven) shows
    how large the part along it is and how long it lasts: ``sigma_m`` is its robust
    standard deviation, ``tau_s`` the lag at which its autocorrelation (fixes about a second
    apart) falls below 1/e, between 3 and 300 s. Too few fixes give :data:`DEFAULT_PATH_ERROR`.
    """
    if lateral is None:
        return DEFAULT_PATH_ERROR
    d = np.asarray(lateral, dtype=float).copy()
    ok = np.isfinite(d) & (stretch >= 0)
    if ok.sum() < 60:
        return DEFAULT_PATH_ERROR
    for k in np.unique(stretch[ok]):
        rows = ok & (stretch == k)
        d[rows] -= np.median(d[rows])
    d[~ok] = np.nan
    sigma = float(np.clip(1.4826 * np.median(np.abs(d[ok])), 0.5, 50.0))
    span = np.concatenate([[0.0], np.cumsum(np.diff(t))])
    tau = 300.0
    var = float(np.nanmean(d[ok] ** 2))
    for lag in range(1, 301):
        if lag >= d.size:
            break
        pair = np.isfinite(d[lag:]) & np.isfinite(d[:-lag]) & (stretch[lag:] == stretch[:-lag])
        pair &= np.abs((span[lag:] - span[:-lag]) - lag) <= 0.5 * lag
        if pair.sum() < 30:
            break
        acf = float(np.mean(d[lag:][pair] * d[:-lag][pair])) / max(var, 1e-9)
        if acf < math.exp(-1.0):
            tau = float(lag)
            break
    return PathError(sigma_m=sigma, tau_s=float(np.clip(tau, 3.0, 300.0)), white_m=1.0)


def _solve_with_path(
    t: np.ndarray,
    steps: np.ndarray,
    step_sd: np.ndarray,
    path: np.ndarray,
    stretch: np.ndarray,
    error: PathError,
    turns: list[TurnMatch] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Least squares distance from the steps and the path positions, the path's error modelled.

    State per fix: the distance ``s``, the offset ``c`` between path metres and the
    distance (unknown at the start of a stretch of path, then drifting slowly as the
    drawn roads' lengths differ from the driven ones: :data:`PATH_SCALE_SD`) and the path's
    correlated error ``e`` (first-order Gauss-Markov, :class:`PathError`). The path
    position is ``s + c + e`` plus white noise; a turn found in the gyroscope
    (:func:`turn_observations`) gives ``s + c`` without the GPS's error. Forward Kalman
    filter and Rauch-Tung-Striebel smoother; returns the distance, its standard deviation
    and the offset ``c`` at every fix.
    """
    n = t.size
    q = np.maximum(np.asarray(step_sd, dtype=float), 1e-6) ** 2
    dt = np.diff(t)
    rho = np.exp(-np.maximum(dt, 0.0) / error.tau_s)
    sig2 = error.sigma_m**2
    r = error.white_m**2
    has = np.isfinite(path) & (stretch >= 0)
    started = np.zeros(n, dtype=bool)
    last = -1
    for i in range(n):
        if stretch[i] >= 0 and stretch[i] != last:
            started[i] = True
            last = stretch[i]
    xf = np.zeros((n, 3))
    pf = np.zeros((n, 3, 3))
    xp = np.zeros((n, 3))
    pp = np.zeros((n, 3, 3))
    fs = np.zeros((n, 3, 3))
    h = np.ones(3)
    h_turn = np.array([1.0, 1.0, 0.0])
    at_fix: dict[int, list[TurnMatch]] = {}
    for m in turns or []:
        at_fix.setdefault(m.fix, []).append(m)
    x = np.zeros(3)
    pm = np.diag([0.0, _BIG, sig2])
    for i in range(n):
        if i > 0:
            f = np.diag([1.0, 0.0 if started[i] else 1.0, rho[i - 1]])
            qc = _BIG if started[i] else (PATH_SCALE_SD * PATH_SCALE_SD) * abs(steps[i - 1])
            qm = np.diag([q[i - 1], qc, sig2 * (1.0 - rho[i - 1] ** 2)])
            x = f @ x + np.array([steps[i - 1], 0.0, 0.0])
            pm = f @ pm @ f.T + qm
            fs[i - 1] = f
        xp[i], pp[i] = x, pm
        if has[i]:
            ph = pm @ h
            k = ph / (h @ ph + r)
            x = x + k * (path[i] - h @ x)
            pm = pm - np.outer(k, ph)
            pm = 0.5 * (pm + pm.T)
        for m in at_fix.get(i, ()):
            ph = pm @ h_turn
            k = ph / (h_turn @ ph + m.sd_m**2)
            x = x + k * (m.path_m - h_turn @ x)
            pm = pm - np.outer(k, ph)
            pm = 0.5 * (pm + pm.T)
        xf[i], pf[i] = x, pm
    xs = xf.copy()
    ps = pf.copy()
    for i in range(n - 2, -1, -1):
        c = np.linalg.solve(pp[i + 1].T, (pf[i] @ fs[i].T).T).T
        xs[i] = xf[i] + c @ (xs[i + 1] - xp[i + 1])
        ps[i] = pf[i] + c @ (ps[i + 1] - pp[i + 1]) @ c.T
    return xs[:, 0], np.sqrt(np.maximum(ps[:, 0, 0], 0.0)), xs[:, 1]


TURN_MIN_RAD = math.radians(30.0)
"""A turn of the path is used when its heading changes by at least this much."""
TURN_GROUP_M = 20.0
"""Heading changes of the path closer than this (m) belong to one turn (a corner drawn with several nodes)."""
TURN_WINDOW_M = 40.0
"""Half the stretch of path (m) around a turn compared with the gyroscope's heading."""
TURN_SEARCH_M = 25.0
"""Largest correction (m) a turn may make to the distance."""
TURN_SD_M = 1.5
"""Standard deviation (m) of the distance at a turn matched in the gyroscope: the drawn corner's position and a
car's arc through it, whose middle lies where the corner is (the turns' residuals on the real-street bench have
about 1 m; a car that cuts corners asymmetrically would need more)."""


@dataclass(frozen=True)
class TurnMatch:
    """A turn of the matched path found in the gyroscope: at fix ``fix`` the path coordinate is ``path_m``."""

    fix: int
    path_m: float
    sd_m: float
    shift_m: float
    """How far the turn moved the estimate before it was used (m)."""
    r2: float
    """Share of the heading's variation around the turn the fit explains."""


def _turned_off_path(
    yaw: tuple[np.ndarray, np.ndarray] | None, path: PathPositions, i: int, t: np.ndarray, p: np.ndarray
) -> bool:
    """Whether the path across the dropout after fix ``i`` cannot say how far the car drove there.

    A path much shorter than the speeds across a dropout may be a stop inside it, or a loop
    or a turn back placed wrongly: the path turns back inside the dropout (the matcher puts
    a U-turn where it costs least, not where the car turned), or the gyroscope turned more
    than :data:`TURN_MIN_RAD` beyond the path's own bends (a car that stopped does not turn,
    a car that drove a loop does).
    """
    if path.bends is None:
        return False
    k = np.asarray(path.stretch)[i]
    own = (path.bends[:, 0] == k) & (path.bends[:, 1] >= p[i]) & (path.bends[:, 1] <= p[i + 1])
    if (np.abs(path.bends[own, 2]) > math.radians(150.0)).any():
        return True  # the matcher turns back where it costs least, not where the car did
    if yaw is None:
        return False
    ty, wy = yaw
    inside = (ty >= t[i]) & (ty <= t[i + 1])
    if inside.sum() < 5:
        return False
    rate = np.abs(wy - float(np.median(wy)))[inside]
    turned = float(np.sum(0.5 * (rate[1:] + rate[:-1]) * np.diff(ty[inside])))
    return turned > float(np.sum(np.abs(path.bends[own, 2]))) + TURN_MIN_RAD


def _path_off_the_road(
    path: np.ndarray,
    stretch: np.ndarray,
    steps: np.ndarray,
    step_sd: np.ndarray,
    error: PathError,
    dropout: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stretches of path whose length disagrees with the speeds over 5-40 fixes, beyond what the GPS's error allows.

    The path's change over a window of fixes and the integrated speeds' must agree within
    four standard deviations of the path's error at both ends and of the speeds (twice the
    steps' variance: neighbouring trapezoid steps share a speed) plus 3 m. The positions of
    the shortest windows that do not are not used, and where the path's level against the
    speeds differs after them from before, a new stretch begins: the path there is not the
    road driven (a loop it left out, a side street it added), and with good GPS its
    positions would otherwise be trusted over the speeds. Windows across a GPS dropout are
    not judged (its bridge may be what is wrong). Returns the stretch ids, the positions to
    use and the fixes of each stretch found off the road after which a new stretch began.
    """
    n = path.size
    s0 = np.concatenate([[0.0], np.cumsum(steps)])
    var = np.concatenate([[0.0], np.cumsum(2.0 * np.asarray(step_sd, dtype=float) ** 2)])
    ends = 2.0 * (error.sigma_m**2 + error.white_m**2)
    crossed = np.concatenate([[0], np.cumsum(dropout.astype(np.int64))])
    off = np.zeros(n, dtype=bool)
    for k in (5, 10, 20, 40):
        if k >= n:
            break
        a = np.arange(n - k)
        b = a + k
        ok = np.isfinite(path[a]) & np.isfinite(path[b]) & (stretch[a] == stretch[b]) & (stretch[a] >= 0)
        ok &= crossed[b] == crossed[a]
        d = np.abs((path[b] - path[a]) - (s0[b] - s0[a]))
        bad = ok & (d > 4.0 * np.sqrt(ends + var[b] - var[a]) + 3.0)
        # the shortest windows that show it: a longer one that holds a window already found is explained
        seen = np.concatenate([[0], np.cumsum(off.astype(np.int64))])
        for first in np.flatnonzero(bad & (seen[b + 1] == seen[a])):
            off[first : first + k + 1] = True
    cut_runs = np.zeros(n, dtype=bool)
    if not off.any():
        return stretch, path, cut_runs
    out = stretch.copy()
    top = int(out.max()) + 1
    resid = path - s0
    run_start = np.flatnonzero(np.concatenate([[off[0]], off[1:] & ~off[:-1]]))
    run_end = np.flatnonzero(off[:-1] & ~off[1:]) + 1  # the first fix after each run of bad windows
    for end in run_end[::-1]:
        j = int(end)
        i = int(run_start[run_start < j][-1])
        before = resid[max(0, i - 10) : i]
        after = resid[j : j + 10]
        before, after = before[np.isfinite(before)], after[np.isfinite(after)]
        if before.size < 3 or after.size < 3:
            continue
        # positions that went wrong and came back (a stop, a bad fix) are only left out; a path that is
        # longer or shorter than the road from there on starts a new stretch
        level = abs(float(np.median(after) - np.median(before)))
        if level <= 4.0 * math.sqrt(ends + var[j] - var[i]) + 3.0:
            continue
        if out[j] >= 0 and out[j] == out[j - 1]:
            same = np.flatnonzero(out == out[j])
            out[same[same >= j]] = top
            top += 1
            cut_runs[i:j] = True
    return out, np.where(off, np.nan, path), cut_runs


OUTLIER_SIGMAS = 4.0
"""A path position farther than this many of the path's standard deviations (plus 5 m) from the estimate is left
out (the matcher's smoothed positions lag behind a car that turned back on a dead end, or jump at a stop)."""


def _robust_solve(
    t: np.ndarray,
    steps: np.ndarray,
    step_sd: np.ndarray,
    path: np.ndarray,
    stretch: np.ndarray,
    error: PathError,
    turns: list[TurnMatch],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """:func:`_solve_with_path`, leaving out the path positions that lie too far from the estimate, until none does.

    Returns the distance, its standard deviation, the offset, the path positions used and how many were left out.
    """
    path = path.copy()
    dropped = 0
    limit = OUTLIER_SIGMAS * math.hypot(error.sigma_m, error.white_m) + 5.0
    for _ in range(4):
        s, sig, offset = _solve_with_path(t, steps, step_sd, path, stretch, error, turns)
        resid = np.abs(path - (s + offset))
        bad = np.isfinite(resid) & (resid > limit)
        if not bad.any():
            break
        # the worst first: one bad stretch of positions drags its neighbours' estimate with it
        bad &= resid > max(limit, 0.5 * float(np.nanmax(resid)))
        path[bad] = np.nan
        dropped += int(bad.sum())
    return s, sig, offset, path, dropped


def _breaks_between_turns(
    turns: list[TurnMatch],
    stretch: np.ndarray,
    path_stretch: np.ndarray,
    steps: np.ndarray,
    step_sd: np.ndarray,
    path: np.ndarray,
    kept: np.ndarray,
) -> tuple[np.ndarray, int, np.ndarray]:
    """The stretches of path as the matched turns see them: cut where they disagree, joined where they agree.

    Between consecutive turns of one stretch of the matcher's path the path metres and
    the integrated speeds must agree (within four standard deviations of the speeds, the
    turns and the map's drift, plus 3 m). Where they do not, the matched path between them is
    another route than the one driven (a corner cut, a loop left out) and a new stretch
    begins where the path's positions part most from the speeds; where they do but a new
    stretch began between them (a few bad positions at a stop), the two are one again,
    unless either turn lies on a stretch of path that :func:`_path_off_the_road` found off the
    road (``kept``): two turns on it agree with each other but say nothing about it.
    Returns the new stretch ids, the number of cuts and the fixes whose path positions are
    not to be used (those between two turns that disagree: the path there is not the road
    driven, and it would bend the distance before the cut).
    """
    s0 = np.concatenate([[0.0], np.cumsum(steps)])
    var = np.concatenate([[0.0], np.cumsum(np.asarray(step_sd, dtype=float) ** 2)])
    out = stretch.copy()
    cuts: list[int] = []
    unused = np.zeros(stretch.size, dtype=bool)
    ordered = sorted(turns, key=lambda m: m.fix)
    for a, b in zip(ordered[:-1], ordered[1:], strict=True):
        i, j = a.fix, b.fix
        if j - i < 3 or path_stretch[i] < 0 or path_stretch[i] != path_stretch[j] or stretch[i] < 0 or stretch[j] < 0:
            continue
        driven = s0[j] - s0[i]
        # the trapezoid's neighbouring steps share a speed: their sum varies twice as much as the steps say
        spread = 2.0 * (var[j] - var[i]) + a.sd_m**2 + b.sd_m**2 + PATH_SCALE_SD**2 * abs(driven)
        tol = 4.0 * math.sqrt(spread) + 3.0
        agree = abs((b.path_m - a.path_m) - driven) <= tol
        if agree and out[i] != out[j] and not (kept[i] or kept[j]):
            merged = np.isin(out, np.unique(out[i + 1 : j + 1][out[i + 1 : j + 1] >= 0]))
            out[merged & (out >= 0)] = out[i]
            continue
        if agree:
            continue
        unused[i + 1 : j] = True
        if out[i] != out[j]:
            continue
        r = path[i : j + 1] - s0[i : j + 1]
        ok = np.flatnonzero(np.isfinite(r))
        if ok.size < 3:
            continue
        jump = np.abs(np.diff(r[ok]))
        cuts.append(i + int(ok[int(np.argmax(jump)) + 1]))
    top = int(out.max()) + 1
    for cut in sorted(cuts, reverse=True):
        same = np.flatnonzero(out == out[cut])
        out[same[same >= cut]] = top
        top += 1
    return out, len(cuts), unused


def path_turns(bends: np.ndarray) -> list[tuple[int, float, float]]:
    """The path's turns: ``(stretch, path metres, radians)``, heading changes grouped into corners."""
    out: list[tuple[int, float, float]] = []
    if bends is None or bends.size == 0:
        return out
    for k in np.unique(bends[:, 0]).astype(int):
        rows = bends[bends[:, 0] == k]
        rows = rows[np.argsort(rows[:, 1])]
        rows = rows[np.abs(rows[:, 2]) >= math.radians(2.0)]
        start = 0
        for i in range(1, rows.shape[0] + 1):
            close = i < rows.shape[0] and rows[i, 1] - rows[i - 1, 1] <= TURN_GROUP_M
            if close and np.sign(rows[i, 2]) == np.sign(rows[start, 2]):
                continue
            group = rows[start:i]
            total = float(group[:, 2].sum())
            if abs(total) >= TURN_MIN_RAD and group[-1, 1] - group[0, 1] <= 2 * TURN_GROUP_M:
                w = np.abs(group[:, 2])
                out.append((int(k), float(np.sum(w * group[:, 1]) / np.sum(w)), total))
            start = i
    return out


def turn_observations(
    t: np.ndarray,
    s: np.ndarray,
    c: np.ndarray,
    odo_stretch: np.ndarray,
    path: PathPositions,
    yaw: tuple[np.ndarray, np.ndarray],
) -> list[TurnMatch]:
    """Where the gyroscope says the car turned at each of the path's turns (:data:`TURN_SD_M`).

    The gyroscope's heading (its rate about gravity, integrated; bias removed as the
    drive's median) is compared with the path's heading over :data:`TURN_WINDOW_M` either
    side of the turn, the gyroscope's samples placed by the current estimate (``s + c`` in
    path metres) shifted by up to :data:`TURN_SEARCH_M`; the best shift is kept when the
    fit explains at least 85 % of the heading's variation, the gyroscope turned by 70-130 %
    of the path's angle and the best shift is not at the edge of the search. The sign of
    the gyroscope's axis is taken from the turns themselves.
    """
    if path.bends is None or path.bends.size == 0 or yaw[0].size < 20:
        return []
    ty, wy = yaw
    wy = wy - float(np.median(wy))
    heading = np.concatenate([[0.0], np.cumsum(0.5 * (wy[1:] + wy[:-1]) * np.diff(ty))])
    coord = np.interp(ty, t, s + c)
    candidates = _turn_candidates(t, s, c, odo_stretch, path, ty, coord)
    # the gyroscope's sign: its heading change across the turns against the path's
    agree = sum(turn.angle * (heading[turn.samples[-1]] - heading[turn.samples[0]]) for turn in candidates)
    sign = -1.0 if agree < 0 else 1.0
    out: list[TurnMatch] = []
    for turn in candidates:
        fit = _fit_turn(turn, sign * heading[turn.samples], coord[turn.samples])
        if fit is not None:
            shift, r2 = fit
            at = float(s[turn.fix] + c[turn.fix] + shift)
            out.append(TurnMatch(fix=turn.fix, path_m=at, sd_m=TURN_SD_M, shift_m=shift, r2=r2))
    return out


@dataclass(frozen=True)
class _TurnCandidate:
    fix: int
    """The fix nearest to the turn by the current estimate."""
    angle: float
    samples: np.ndarray
    """The gyroscope's samples within :data:`TURN_WINDOW_M` of the turn."""
    bend_m: np.ndarray
    heading: np.ndarray
    """The path's heading after each of its bends (cumulative, from the stretch's start)."""


def _turn_candidates(
    t: np.ndarray,
    s: np.ndarray,
    c: np.ndarray,
    odo_stretch: np.ndarray,
    path: PathPositions,
    ty: np.ndarray,
    coord: np.ndarray,
) -> list[_TurnCandidate]:
    """The path's turns whose whole window (and search) the estimate covers, with the gyroscope's samples there."""
    assert path.bends is not None
    pstretch = np.asarray(path.stretch)
    out: list[_TurnCandidate] = []
    for k, at, angle in path_turns(path.bends):
        rows = np.flatnonzero((pstretch == k) & (odo_stretch >= 0))
        if rows.size < 5:
            continue
        u = s[rows] + c[rows]
        reach = TURN_WINDOW_M + TURN_SEARCH_M
        if u.min() > at - reach or u.max() < at + reach:
            continue
        inside = (ty >= t[rows[0]]) & (ty <= t[rows[-1]])
        samples = np.flatnonzero(inside & (np.abs(coord - at) <= TURN_WINDOW_M))
        if samples.size < 10:
            continue
        own = path.bends[path.bends[:, 0] == k]
        own = own[np.argsort(own[:, 1])]
        near = int(rows[int(np.argmin(np.abs(u - at)))])
        out.append(_TurnCandidate(near, angle, samples, own[:, 1], np.cumsum(own[:, 2])))
    return out


def _fit_turn(turn: _TurnCandidate, psi: np.ndarray, x: np.ndarray) -> tuple[float, float] | None:
    """The shift (m) that lines the gyroscope's heading ``psi`` at path metres ``x`` up with the path's, and its R²."""
    w = np.maximum(np.gradient(x), 0.0)  # by distance: standing at the corner weighs nothing
    if w.sum() <= 0 or not 0.7 <= (psi[-1] - psi[0]) / turn.angle <= 1.3:
        return None

    def misfit(shift: float) -> float:
        j = np.searchsorted(turn.bend_m, x + shift, side="right") - 1
        r = psi - np.where(j >= 0, turn.heading[np.maximum(j, 0)], 0.0)
        r = r - np.sum(w * r) / w.sum()
        return float(np.sum(w * r * r))

    shifts = np.arange(-TURN_SEARCH_M, TURN_SEARCH_M + 0.01, 0.5)
    cost = np.array([misfit(d) for d in shifts])
    j = int(np.argmin(cost))
    if j == 0 or j == shifts.size - 1:
        return None
    spread = psi - np.sum(w * psi) / w.sum()
    r2 = 1.0 - cost[j] / max(float(np.sum(w * spread * spread)), 1e-12)
    if r2 < 0.85:
        return None
    a, b, cc = cost[j - 1], cost[j], cost[j + 1]
    den = a - 2 * b + cc
    return float(shifts[j] + (0.25 * (a - cc) / den if den > 0 else 0.0)), float(r2)


def _still(v: np.ndarray, ft: np.ndarray, quiet: tuple[np.ndarray, np.ndarray] | None, t0: float) -> np.ndarray:
    slow = np.isfinite(v) & (v < STILL_SPEED_MS)
    if quiet is None or quiet[0].size == 0:
        return slow & (v < 0.5 * STILL_SPEED_MS)
    centre, flag = quiet
    idx = np.clip(np.searchsorted(centre, ft - t0), 0, centre.size - 1)
    near = flag[idx] | flag[np.maximum(idx - 1, 0)]
    return slow & near


BRAKE_MS2 = 3.0
"""Braking and accelerating harder than this (m/s²) is not what a patrol car does: it bounds how short a stop
inside a GPS dropout can make the distance across it."""


def _shortest_stop(va: float, vb: float, dt: float) -> float:
    """The least distance (m) a car at ``va`` can cover in ``dt`` seconds and leave at ``vb`` (braking, maybe
    standing, accelerating, at most :data:`BRAKE_MS2`)."""
    va, vb = max(va, 0.0), max(vb, 0.0)
    if dt * BRAKE_MS2 >= va + vb:
        return (va * va + vb * vb) / (2.0 * BRAKE_MS2)
    # no time to stop: slow down to the lowest speed that still makes vb in time
    low = max(0.0, 0.5 * (va + vb - BRAKE_MS2 * dt))
    return (va * va - low * low + vb * vb - low * low) / (2.0 * BRAKE_MS2) + low * max(
        0.0, dt - (va - low + vb - low) / BRAKE_MS2
    )


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
    yaw: tuple[np.ndarray, np.ndarray] | None = None,
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
    yaw:
        Times (s, as ``t``) and the vehicle's yaw rate (rad/s, any sign): the path's turns
        found in it pin the distance where they are (:func:`turn_observations`).
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
        step_sd = sd_v * dt / math.sqrt(2.0) + SPEED_SCALE_SD * steps
        source = "gps_speed"
    else:
        steps = _chord(*smoothed) if smoothed is not None else chord.copy()
        step_sd = np.full(n - 1, position_sd_m)
        source = "gps_positions"
    steps = np.where(both_still & ~gap, 0.0, steps)
    step_sd = np.where(both_still & ~gap, 0.02, step_sd)
    gaps: list[tuple[float, float, str]] = []
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
        # gaps inside one stretch of path: without speeds the path's length between the fixes on either
        # side; with speeds the bridge, unless the path clearly disagrees in a way only a stop inside the
        # dropout explains (see _shortest_stop and _turned_off_path); both ends of the path are a fix's
        # error off
        for i in np.flatnonzero(gap):
            if stretch[i] >= 0 and stretch[i] == stretch[i + 1] and p[i + 1] >= p[i]:
                along = p[i + 1] - p[i]
                est = _bridge(t[i], t[i + 1], v[i], v[i + 1], along_accel) if use_speed else along
                est_sd = max(0.05 * est, sd_v * dt[i])
                # with the accelerometer the bridge already follows a stop inside the dropout; the path's
                # length is then taken only across a gap too long for the speeds (it may skip a loop driven)
                disagree = abs(along - est) > 3.0 * math.hypot(est_sd, 2.0 * PATH_SD_M)
                possible = along >= _shortest_stop(v[i], v[i + 1], dt[i]) - 2.0 * PATH_SD_M
                possible = possible and not _turned_off_path(yaw, path, int(i), t, p)
                by_path = dt[i] > MAX_SPEED_BRIDGE_S or (along_accel is None and disagree and possible)
                steps[i] = along if (by_path or not use_speed) else est
                step_sd[i] = 2.0 * PATH_SD_M if (by_path or not use_speed) else est_sd
                gaps.append((float(t[i]), float(t[i + 1]), "path" if (by_path or not use_speed) else "speed"))
                gap[i] = False
                if use_speed and disagree and not by_path:
                    # the path's metres across the dropout are not the road driven: they do not carry over
                    same = np.flatnonzero(stretch == stretch[i + 1])
                    stretch[same[same > i]] = int(stretch.max()) + 1
                    breaks += 1
        if use_speed and ANCHOR_ON_PATH:
            anchor = np.where(stretch >= 0, p, np.nan)
            path_used = bool(np.isfinite(anchor).sum() >= 5)
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
    turns: list[TurnMatch] = []
    dropped = 0
    if path_used and path is not None:
        error = lateral_error_model(t, path.lateral_m, np.asarray(path.stretch))
        stretch, anchor, kept = _path_off_the_road(anchor, stretch, steps, step_sd, error, dt > gap_s)
        breaks += int(np.sum(kept[1:] & ~kept[:-1]) + kept[0])
        s, sig, offset, anchor, dropped = _robust_solve(t, steps, step_sd, anchor, stretch, error, [])
        if yaw is not None:
            turns = turn_observations(t, s, offset, stretch, path, yaw)
            if turns:
                stretch, more, unused = _breaks_between_turns(
                    turns, stretch, np.asarray(path.stretch), steps, step_sd, anchor, kept
                )
                breaks += more
                anchor = np.where(unused, np.nan, anchor)
                s, sig, offset, anchor, more_dropped = _robust_solve(t, steps, step_sd, anchor, stretch, error, turns)
                dropped += more_dropped
    else:
        s, sig = _integrate(steps, step_sd)
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
        turns=turns,
        path_outliers=dropped,
        gyroscope=yaw is not None,
        path_offset=np.where(stretch >= 0, offset, np.nan) if path_used and path is not None else None,
    )
