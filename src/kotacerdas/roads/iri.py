"""The International Roughness Index (IRI) of a longitudinal profile, by ASTM E1926.

The IRI is the accumulated suspension stroke of the *golden quarter car*
(tyre stiffness ``k1 = 653``, suspension stiffness ``k2 = 63.3``, damping
``c = 6.0``, unsprung/sprung mass ratio ``mu = 0.15``, all per unit sprung mass)
driven over the profile at 80 km/h, divided by the distance travelled. This
module computes it exactly as the standard prescribes:

1. the profile is smoothed by a 250 mm moving average, applied as the slope over a
   250 mm base (when the sample interval is shorter than 250 mm);
2. the car starts with both masses moving along the average slope of the first
   11 m of profile;
3. the car's four states are advanced sample by sample with the state-transition
   matrix of the continuous model for a step of ``dx / 80 km/h``, the slope held
   constant across each step;
4. the IRI is the mean of ``|body slope - axle slope|`` (m/m, reported in m/km
   and in/mi).

The recursion is evaluated with the model's modes (one complex first-order
filter per eigenvalue of the transition matrix), so a profile of millions of
points takes milliseconds. It also holds the profile readers: ERD files (the
UMTRI/ProVAL text format) and CSV of distance and one or two elevation columns.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.linalg import expm
from scipy.signal import lfilter

from kotacerdas.core import limits
from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError

GOLDEN_CAR: dict[str, float] = {"k1": 653.0, "k2": 63.3, "c": 6.0, "mu": 0.15}
"""Golden quarter-car parameters of ASTM E1926 (per unit sprung mass)."""
REFERENCE_SPEED_MS = 80.0 / 3.6
"""The simulation speed of the IRI, 80 km/h in m/s."""
BASE_LENGTH_M = 0.25
"""Length of the moving average that smooths the profile (tyre enveloping)."""
INIT_LENGTH_M = 11.0
"""Length over which the initial slope is taken."""
IN_PER_MI_PER_M_PER_KM = 63.36
"""1 m/km equals 63.36 in/mi."""

_LENGTH_UNITS = {
    "m": 1.0,
    "meter": 1.0,
    "meters": 1.0,
    "metre": 1.0,
    "mm": 0.001,
    "cm": 0.01,
    "km": 1000.0,
    "ft": 0.3048,
    "feet": 0.3048,
    "foot": 0.3048,
    "in": 0.0254,
    "inch": 0.0254,
    "inches": 0.0254,
    "mi": 1609.344,
}


# --------------------------------------------------------------------------- model


def quarter_car_matrices(k1: float, k2: float, c: float, mu: float) -> tuple[np.ndarray, np.ndarray]:
    """Continuous state matrices of a quarter car, per unit sprung mass.

    Parameters
    ----------
    k1, k2, c, mu:
        Tyre stiffness, suspension stiffness, suspension damping and the
        unsprung/sprung mass ratio, each divided by the sprung mass.

    Returns
    -------
    (A, B):
        ``x' = A x + B y`` with states ``[z_s, z_s', z_u, z_u']`` (body and axle
        displacement and velocity) and input ``y`` the road elevation.
    """
    a = np.array(
        [
            [0.0, 1.0, 0.0, 0.0],
            [-k2, -c, k2, c],
            [0.0, 0.0, 0.0, 1.0],
            [k2 / mu, c / mu, -(k1 + k2) / mu, -c / mu],
        ]
    )
    b = np.array([0.0, 0.0, 0.0, k1 / mu])
    return a, b


def transition_matrices(a: np.ndarray, b: np.ndarray, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """Discrete state-transition matrix and input vector for a step ``dt``, input held constant.

    Returns ``(ST, PR)`` with ``x[i+1] = ST @ x[i] + PR * u[i]``.
    """
    st = expm(a * dt)
    pr = np.linalg.solve(a, (st - np.eye(a.shape[0])) @ b)
    return st, pr


def modal_response(st: np.ndarray, pr: np.ndarray, u: np.ndarray, x0: np.ndarray, outputs: np.ndarray) -> np.ndarray:
    """Run ``x[i+1] = ST x[i] + PR u[i]`` from ``x0`` and return ``outputs @ x[i+1]`` for every step.

    The system is split into its modes (eigenvectors of ``ST``); each mode is a
    first-order complex recursion run by :func:`scipy.signal.lfilter`.

    Parameters
    ----------
    st, pr:
        Transition matrix ``(n, n)`` and input vector ``(n,)``.
    u:
        Input sequence ``(m,)``.
    x0:
        Initial state ``(n,)``.
    outputs:
        Output rows ``(k, n)`` (or one row ``(n,)``).

    Returns
    -------
    numpy.ndarray
        ``(k, m)`` (or ``(m,)`` for one row) outputs after each step.
    """
    lam, vec = np.linalg.eig(st)
    inv = np.linalg.inv(vec)
    bm = inv @ pr
    q0 = inv @ np.asarray(x0, dtype=float)
    rows = np.atleast_2d(np.asarray(outputs, dtype=float))
    cv = rows @ vec
    u = np.asarray(u, dtype=float)
    out = np.zeros((rows.shape[0], u.size), dtype=complex)
    for m in range(lam.size):
        q, _ = lfilter([bm[m]], [1.0, -lam[m]], u.astype(complex), zi=[lam[m] * q0[m]])
        out += np.outer(cv[:, m], q)
    res = out.real
    return res[0] if np.ndim(outputs) == 1 else res


def smoothed_slope(elevation: np.ndarray, dx: float) -> tuple[np.ndarray, int]:
    """Profile slope over the 250 mm base (the moving average of E1926).

    Returns the slopes (one per step, ``n - base`` of them) and the base in samples.
    """
    base = max(1, int(round(BASE_LENGTH_M / dx)))
    y = np.asarray(elevation, dtype=float)
    return (y[base:] - y[:-base]) / (base * dx), base


def rectified_slope(elevation: np.ndarray, dx: float) -> tuple[np.ndarray, np.ndarray]:
    """The golden car's rectified suspension slope ``|z_s' - z_u'| / V`` along the profile.

    Parameters
    ----------
    elevation:
        Elevations (m), equally spaced, NaN-free.
    dx:
        Sample interval (m).

    Returns
    -------
    (position, rs):
        Position of each step (m from the first sample, at the centre of the
        smoothing base) and the rectified slope (m/m) of that step. The IRI of
        any stretch is the mean of ``rs`` over it.
    """
    y = np.asarray(elevation, dtype=float)
    if dx <= 0 or not math.isfinite(dx):
        raise RoadsError(N_("profile sample interval {dx} must be positive"), field="dx", dx=dx)
    if y.size < 3 or not np.all(np.isfinite(y)):
        raise RoadsError(N_("profile needs at least 3 finite elevations, got {n}"), field="elevation", n=int(y.size))
    slope, base = smoothed_slope(y, dx)
    if slope.size == 0:
        raise RoadsError(N_("profile of {length} m is shorter than the 250 mm base"), length=y.size * dx)
    i11 = min(int(round(INIT_LENGTH_M / dx)), y.size - 1)
    s0 = (y[i11] - y[0]) / (i11 * dx)
    a, b = quarter_car_matrices(**GOLDEN_CAR)
    st, pr = transition_matrices(a, b, dx / REFERENCE_SPEED_MS)
    x0 = np.array([s0, 0.0, s0, 0.0])
    rs = np.abs(modal_response(st, pr, slope, x0, np.array([1.0, 0.0, -1.0, 0.0])))
    position = (np.arange(slope.size) + 0.5 * base) * dx
    return position, rs


def iri(elevation: np.ndarray, dx: float) -> float:
    """IRI (m/km) of a whole profile.

    Parameters
    ----------
    elevation:
        Elevations (m), equally spaced by ``dx`` metres.
    dx:
        Sample interval (m).
    """
    _, rs = rectified_slope(elevation, dx)
    return float(rs.mean() * 1000.0)


@dataclass
class IriIntervals:
    """IRI per fixed-length interval of one wheel track."""

    from_m: np.ndarray
    to_m: np.ndarray
    iri: np.ndarray
    """m/km; NaN where the interval holds no profile."""

    @property
    def iri_in_per_mi(self) -> np.ndarray:
        """The IRI in in/mi."""
        return self.iri * IN_PER_MI_PER_M_PER_KM

    def __len__(self) -> int:
        return int(self.iri.size)


def iri_intervals(elevation: np.ndarray, dx: float, interval_m: float = 100.0, start_m: float = 0.0) -> IriIntervals:
    """IRI (m/km) of each ``interval_m`` stretch of a profile.

    The golden car runs continuously along the whole profile and its rectified
    slope is averaged within each interval (the last interval may be shorter).

    Parameters
    ----------
    elevation:
        Elevations (m).
    dx:
        Sample interval (m).
    interval_m:
        Interval length (m), 100 by default.
    start_m:
        Distance of the first sample (m); intervals are counted from it.
    """
    if interval_m <= 0:
        raise RoadsError(N_("interval length {length} must be positive"), field="interval_m", length=interval_m)
    pos, rs = rectified_slope(elevation, dx)
    total = (np.asarray(elevation).size - 1) * dx
    n_int = max(1, int(math.ceil(total / interval_m - 1e-9)))
    idx = np.minimum((pos // interval_m).astype(int), n_int - 1)
    sums = np.bincount(idx, weights=rs, minlength=n_int)
    counts = np.bincount(idx, minlength=n_int)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(counts > 0, sums / np.maximum(counts, 1) * 1000.0, np.nan)
    frm = start_m + np.arange(n_int) * interval_m
    to = np.minimum(frm + interval_m, start_m + total)
    return IriIntervals(from_m=frm, to_m=to, iri=values)


def iri_between(position: np.ndarray, rs: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Mean IRI (m/km) of arbitrary stretches ``[start, end)`` from a :func:`rectified_slope` result.

    NaN where a stretch holds no step.
    """
    csum = np.concatenate([[0.0], np.cumsum(rs)])
    i0 = np.searchsorted(position, np.asarray(start, dtype=float), side="left")
    i1 = np.searchsorted(position, np.asarray(end, dtype=float), side="left")
    n = i1 - i0
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, (csum[i1] - csum[i0]) / np.maximum(n, 1) * 1000.0, np.nan)


# --------------------------------------------------------------------------- profiles and readers


@dataclass
class LongitudinalProfile:
    """Elevations of one or more wheel tracks, equally spaced along the road.

    ``elevations`` has shape ``(n, tracks)`` in metres; ``dx`` is the spacing in
    metres and ``start_m`` the distance of the first sample.
    """

    dx: float
    elevations: np.ndarray
    tracks: tuple[str, ...] = ("left",)
    start_m: float = 0.0
    header: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        e = np.asarray(self.elevations, dtype=float)
        if e.ndim == 1:
            e = e[:, None]
        self.elevations = e
        if len(self.tracks) != e.shape[1]:
            self.tracks = tuple(["left", "right", *[f"track{i}" for i in range(3, e.shape[1] + 1)]][: e.shape[1]])

    @property
    def length_m(self) -> float:
        """Profile length (m)."""
        return (self.elevations.shape[0] - 1) * self.dx

    @property
    def distance(self) -> np.ndarray:
        """Distance of every sample (m)."""
        return self.start_m + np.arange(self.elevations.shape[0]) * self.dx

    def track(self, name: str | int) -> np.ndarray:
        """Elevations of one track, by name or index."""
        i = self.tracks.index(name) if isinstance(name, str) else int(name)
        return self.elevations[:, i]

    def iri(self) -> dict[str, float]:
        """IRI (m/km) of each track over the whole profile."""
        return {name: iri(self.elevations[:, i], self.dx) for i, name in enumerate(self.tracks)}

    def iri_intervals(self, interval_m: float = 100.0) -> dict[str, IriIntervals]:
        """IRI per interval of each track."""
        return {
            name: iri_intervals(self.elevations[:, i], self.dx, interval_m, self.start_m)
            for i, name in enumerate(self.tracks)
        }

    def mean_iri_intervals(self, interval_m: float = 100.0) -> IriIntervals:
        """Per-interval IRI averaged over the tracks (the mean roughness index)."""
        per = list(self.iri_intervals(interval_m).values())
        return IriIntervals(per[0].from_m, per[0].to_m, np.mean([p.iri for p in per], axis=0))


def _unit_factor(unit: str, *, field_name: str) -> float:
    key = unit.strip().lower().rstrip(".")
    if key not in _LENGTH_UNITS:
        raise RoadsError(N_("unknown length unit {unit}"), field=field_name, unit=unit)
    return _LENGTH_UNITS[key]


#: Most channels (wheel tracks) an ERD file may declare; real profilers write 1 to 4.
MAX_ERD_CHANNELS = 16
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eEdD][-+]?\d+)?")


def parse_erd(text: str) -> LongitudinalProfile:  # noqa: C901 (complexity baseline: split when next changed)
    """Parse an ERD profile file (text variant).

    The file opens with ``ERDFILEV2.00``, then a line of numbers: channel count,
    scan count, format flag, ... and the sample interval (the number written with
    a decimal point). Keyword lines follow (an 8-character key, then the value:
    ``TITLE``, ``SHORTNAM``, ``UNITSNAM`` with one 8-character field per channel,
    ``XUNITS`` ...) up to ``END`` or ``ENDHEADER``; then the samples, one scan of
    all channels after the other. Elevations and the interval are converted to
    metres from ``UNITSNAM`` and ``XUNITS`` (metres when absent).
    """
    lines = text.splitlines()
    if not lines or not lines[0].strip().upper().startswith("ERDFILE"):
        raise RoadsError(N_("not an ERD file: the first line must start with ERDFILE"), record=1)
    if len(lines) < 2:
        raise RoadsError(N_("ERD file ends before its parameter line"), record=2)
    nums = _NUMBER.findall(lines[1])
    if len(nums) < 2:
        raise RoadsError(N_("ERD parameter line has no channel and scan counts"), record=2)
    nchan = int(float(nums[0]))
    nscan = int(float(nums[1]))
    limits.check_count(nchan, MAX_ERD_CHANNELS, "channels", "ERD", record=2)
    if nscan > len(lines):  # every scan takes at least a line
        raise RoadsError(
            N_("ERD file holds {n} lines, its header promises {nscan} scans"), record=2, n=len(lines), nscan=nscan
        )
    dx_raw = next((float(v.replace("d", "e").replace("D", "e")) for v in nums[2:] if "." in v), None)
    header: dict[str, str] = {}
    body_start = None
    for i in range(2, len(lines)):
        raw = lines[i]
        key = raw[:8].strip().upper()
        if key in ("END", "ENDHEADER") or raw.strip().upper() in ("END", "ENDHEADER"):
            body_start = i + 1
            break
        if key:
            header[key] = raw[8:].rstrip()
    if body_start is None:
        raise RoadsError(N_("ERD file has no END line closing its header"))
    if "DX" in header and dx_raw is None:
        dx_raw = float(header["DX"].split()[0])
    if dx_raw is None or dx_raw <= 0:
        raise RoadsError(N_("ERD file gives no positive sample interval"), record=2)
    x_unit = header.get("XUNITS", "m").split()[0] if header.get("XUNITS", "").strip() else "m"
    dx = dx_raw * _unit_factor(x_unit, field_name="XUNITS")
    units_field = header.get("UNITSNAM", "")
    y_units = [units_field[8 * k : 8 * k + 8].strip() for k in range(nchan)]
    if not all(y_units):
        y_units = units_field.split() or ["m"] * nchan
        y_units = (y_units * nchan)[:nchan]
    factors = np.array([_unit_factor(u, field_name="UNITSNAM") for u in y_units])
    values: list[float] = []
    for j, raw in enumerate(lines[body_start:], start=body_start + 1):
        for tok in raw.replace(",", " ").split():
            try:
                values.append(float(tok.replace("d", "e").replace("D", "e")))
            except ValueError as exc:
                raise RoadsError(N_("ERD sample {value} is not a number"), record=j, value=tok) from exc
    data = np.asarray(values, dtype=float)
    bad = np.flatnonzero(~np.isfinite(data))
    if bad.size:
        raise RoadsError(
            N_("ERD sample {value} is not a finite number"), record=body_start + 1, value=str(data[bad[0]])
        )
    if data.size % nchan:
        raise RoadsError(
            N_("ERD file holds {n} samples, not a multiple of {nchan} channels"),
            n=int(data.size),
            nchan=nchan,
        )
    data = data.reshape(-1, nchan)
    if nscan > 0 and data.shape[0] < nscan:
        raise RoadsError(N_("ERD file holds {n} scans, its header promises {nscan}"), n=int(data.shape[0]), nscan=nscan)
    if nscan > 0:
        data = data[:nscan]
    names = header.get("SHORTNAM", "")
    tracks = tuple(names[8 * k : 8 * k + 8].strip() or f"track{k + 1}" for k in range(nchan))
    return LongitudinalProfile(dx=dx, elevations=data * factors, tracks=tracks, header=header)


def read_erd(path: str | Path) -> LongitudinalProfile:
    """Read an ERD profile file (see :func:`parse_erd`)."""
    return parse_erd(Path(path).read_text(encoding="latin-1"))


def parse_profile_csv(
    text: str, *, distance_unit: str = "m", elevation_unit: str = "m", tracks: Sequence[str] | None = None
) -> LongitudinalProfile:
    """Parse a CSV profile: a distance column, then one or two elevation columns.

    A header row is optional (any first row that is not numeric). Columns:
    ``distance, elevation`` or ``distance, left, right`` (comma, semicolon or
    tab separated). Distances must be equally spaced (within 1 %).
    """
    sample = text[:2048]
    delim = ";" if sample.count(";") > sample.count(",") else ("\t" if "\t" in sample and "," not in sample else ",")
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    rows = [r for r in limits.csv_rows(reader, "profile") if any(c.strip() for c in r)]
    if not rows:
        raise RoadsError(N_("profile CSV is empty"))
    names: list[str] | None = None
    try:
        float(rows[0][0])
    except ValueError:
        names = [c.strip() for c in rows[0]]
        rows = rows[1:]
    ncol = len(rows[0]) if rows else 0
    if ncol < 2 or ncol > 3:
        raise RoadsError(N_("profile CSV needs 2 or 3 columns, got {n}"), record=1, n=ncol)
    data = np.empty((len(rows), ncol))
    for i, r in enumerate(rows):
        if len(r) != ncol:
            raise RoadsError(N_("row has {n} columns, expected {expected}"), record=i + 2, n=len(r), expected=ncol)
        try:
            data[i] = [float(c) for c in r]
        except ValueError as exc:
            raise RoadsError(N_("row holds a value that is not a number"), record=i + 2) from exc
        if not np.isfinite(data[i]).all():
            raise RoadsError(N_("row holds a value that is not a number"), record=i + 2)
    if data.shape[0] < 3:
        raise RoadsError(N_("profile needs at least 3 finite elevations, got {n}"), n=int(data.shape[0]))
    dist = data[:, 0] * _unit_factor(distance_unit, field_name="distance_unit")
    steps = np.diff(dist)
    dx = float(np.median(steps))
    if dx <= 0 or np.any(np.abs(steps - dx) > 0.01 * dx):
        raise RoadsError(N_("profile distances must increase in equal steps"), field="distance")
    elev = data[:, 1:] * _unit_factor(elevation_unit, field_name="elevation_unit")
    if tracks is None:
        tracks = tuple(names[1:]) if names else (("left",) if elev.shape[1] == 1 else ("left", "right"))
    return LongitudinalProfile(dx=dx, elevations=elev, tracks=tuple(tracks), start_m=float(dist[0]))


def read_profile_csv(path: str | Path, **kwargs: object) -> LongitudinalProfile:
    """Read a CSV profile file (see :func:`parse_profile_csv`)."""
    p = Path(path)
    return parse_profile_csv(limits.utf8(p.read_bytes(), p.name), **kwargs)  # type: ignore[arg-type]


def read_profile(path: str | Path) -> LongitudinalProfile:
    """Read a profile by extension: ``.erd`` or ``.csv``."""
    p = Path(path)
    if p.suffix.lower() == ".erd":
        return read_erd(p)
    if p.suffix.lower() in (".csv", ".txt"):
        return read_profile_csv(p)
    raise RoadsError(N_("unknown profile file type {suffix}"), field="path", suffix=p.suffix)
