"""Random road profiles after ISO 8608, with potholes and bumps, for tests and simulation.

ISO 8608 describes road roughness by the one-sided displacement power spectral
density ``Gd(n) = Gd(n0) * (n / n0) ** -w`` with the reference spatial frequency
``n0 = 0.1`` cycles/m and waviness ``w = 2``. Classes A (very good) to H (very
poor) have geometric-mean ``Gd(n0)`` of 16e-6 m³ and four times more per class.

Profiles are synthesised from that spectrum either by inverse FFT of random-phase
amplitudes ``sqrt(2 Gd(n) dn)`` or by an explicit sum of sinusoids, from a seed.
A road whose roughness changes section by section is built by scaling the slope of
a unit-spectrum profile section by section (with short ramps) and integrating it
back, so the elevation stays continuous. Potholes and bumps are added as shaped
dips and humps and recorded as :class:`Feature` for ground truth.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.iri import LongitudinalProfile

N0 = 0.1
"""Reference spatial frequency of ISO 8608 (cycles/m)."""
ISO_CLASSES: dict[str, float] = {c: 16e-6 * 4.0**i for i, c in enumerate("ABCDEFGH")}
"""Geometric-mean ``Gd(n0)`` (m³) of each ISO 8608 class."""
N_MIN = 0.011
"""Lowest spatial frequency synthesised (cycles/m), as in ISO 8608."""


def gd_n0(road_class: str | float) -> float:
    """``Gd(n0)`` (m³) of an ISO 8608 class letter, or the number itself."""
    if isinstance(road_class, str):
        key = road_class.strip().upper()
        if key not in ISO_CLASSES:
            raise RoadsError(N_("unknown ISO 8608 road class {road_class}"), field="road_class", road_class=road_class)
        return ISO_CLASSES[key]
    value = float(road_class)
    if not value > 0:
        raise RoadsError(N_("roughness Gd(n0) {value} must be positive"), field="gd_n0", value=value)
    return value


def displacement_psd(n: np.ndarray, gd0: float, waviness: float = 2.0) -> np.ndarray:
    """ISO 8608 displacement PSD ``Gd(n)`` (m³) at spatial frequencies ``n`` (cycles/m)."""
    return gd0 * (np.asarray(n, dtype=float) / N0) ** (-waviness)


def _fft_tracks(npts: int, dx: float, gd0: float, waviness: float, rng: np.random.Generator, k: int) -> np.ndarray:
    nfft = int(2 ** np.ceil(np.log2(max(npts, 16))))
    dn = 1.0 / (nfft * dx)
    n = np.arange(nfft // 2 + 1) * dn
    amp = np.zeros_like(n)
    band = n >= N_MIN
    amp[band] = np.sqrt(2.0 * displacement_psd(n[band], gd0, waviness) * dn)
    amp[-1] = 0.0
    phase = rng.uniform(0.0, 2 * np.pi, size=(k, n.size))
    spec = amp * np.exp(1j * phase) * (nfft / 2.0)
    return np.fft.irfft(spec, nfft, axis=1)[:, :npts].T


def _sine_tracks(
    npts: int, dx: float, gd0: float, waviness: float, rng: np.random.Generator, k: int, n_waves: int
) -> np.ndarray:
    n_max = 0.5 / dx
    edges = np.geomspace(N_MIN, n_max, n_waves + 1)
    x = np.arange(npts) * dx
    out = np.zeros((npts, k))
    for j in range(k):
        n = rng.uniform(edges[:-1], edges[1:])
        amp = np.sqrt(2.0 * displacement_psd(n, gd0, waviness) * np.diff(edges))
        phase = rng.uniform(0, 2 * np.pi, n_waves)
        for i in range(n_waves):
            out[:, j] += amp[i] * np.cos(2 * np.pi * n[i] * x + phase[i])
    return out


def iso8608_profile(
    length_m: float,
    road_class: str | float = "C",
    *,
    dx: float = 0.05,
    waviness: float = 2.0,
    tracks: int = 2,
    correlation: float = 0.5,
    method: str = "fft",
    n_waves: int = 400,
    seed: int | None = None,
) -> LongitudinalProfile:
    """A random profile of one ISO 8608 roughness.

    Parameters
    ----------
    length_m:
        Profile length (m).
    road_class:
        Class letter ``"A"`` ... ``"H"`` or ``Gd(n0)`` in m³.
    dx:
        Sample interval (m).
    waviness:
        Exponent ``w`` of the spectrum (2 in ISO 8608).
    tracks:
        Number of wheel tracks (1 or 2).
    correlation:
        Correlation between the two tracks (same spectrum each).
    method:
        ``"fft"`` (inverse FFT, fast) or ``"sines"`` (sum of ``n_waves`` sinusoids,
        log-spaced frequency bands).
    seed:
        Random seed; the same seed gives the same profile.
    """
    if length_m <= 0 or dx <= 0:
        raise RoadsError(N_("profile length {length} and interval {dx} must be positive"), length=length_m, dx=dx)
    if tracks not in (1, 2):
        raise RoadsError(N_("a profile has 1 or 2 wheel tracks, not {tracks}"), field="tracks", tracks=tracks)
    gd0 = gd_n0(road_class)
    rng = np.random.default_rng(seed)
    npts = int(round(length_m / dx)) + 1
    if method == "fft":
        base = _fft_tracks(npts, dx, gd0, waviness, rng, tracks)
    elif method == "sines":
        base = _sine_tracks(npts, dx, gd0, waviness, rng, tracks, n_waves)
    else:
        raise RoadsError(N_("unknown profile method {method}"), field="method", method=method)
    if tracks == 2:
        rho = float(np.clip(correlation, -1, 1))
        base[:, 1] = rho * base[:, 0] + np.sqrt(1 - rho**2) * base[:, 1]
    names = ("left", "right")[:tracks]
    return LongitudinalProfile(dx=dx, elevations=base, tracks=names)


@dataclass(frozen=True)
class Section:
    """A stretch of road with one roughness: ``[from_m, to_m)``, its ``Gd(n0)`` (m³) and its waviness."""

    from_m: float
    to_m: float
    gd_n0: float
    waviness: float | None = None
    """Exponent ``w`` of this stretch's spectrum; ``None``: the profile's own (2 in ISO 8608)."""


def random_sections(
    length_m: float,
    *,
    section_m: tuple[float, float] = (100.0, 400.0),
    classes: tuple[str | float, str | float] = ("A", "D"),
    waviness: tuple[float, float] | None = None,
    seed: int | None = None,
) -> list[Section]:
    """Random sections whose ``Gd(n0)`` is log-uniform between two ISO classes (letters or m³ values).

    ``waviness`` (a range, e.g. ``(1.8, 2.6)``) draws each section's spectral exponent
    uniformly in it; ``None`` leaves it to the profile (2 in ISO 8608). The draws of the
    sections and their roughness are the same with or without it.
    """
    rng = np.random.default_rng(seed)
    wrng = np.random.default_rng(None if seed is None else seed + 7919)
    lo, hi = np.log(gd_n0(classes[0])), np.log(gd_n0(classes[1]))
    out: list[Section] = []
    pos = 0.0
    while pos < length_m:
        end = min(length_m, pos + rng.uniform(*section_m))
        w = float(wrng.uniform(*waviness)) if waviness is not None else None
        out.append(Section(pos, end, float(np.exp(rng.uniform(lo, hi))), w))
        pos = end
    return out


def sectioned_profile(
    sections: Sequence[Section],
    *,
    dx: float = 0.05,
    waviness: float = 2.0,
    tracks: int = 2,
    correlation: float = 0.5,
    ramp_m: float = 5.0,
    seed: int | None = None,
) -> LongitudinalProfile:
    """A continuous profile whose roughness changes section by section.

    A unit-spectrum profile is differentiated, its slope multiplied by
    ``sqrt(Gd(n0))`` of each section (ramped over ``ramp_m``), and integrated back.
    Sections with their own ``waviness`` take their slope from a unit profile of that
    waviness drawn with the same seed (the same random phases, so the road stays
    continuous in character; waviness rounded to 0.05 to bound the work).
    """
    if not sections:
        raise RoadsError(N_("a sectioned profile needs at least one section"), field="sections")
    length = max(s.to_m for s in sections)

    def unit_slope(w: float) -> tuple[LongitudinalProfile, np.ndarray]:
        unit = iso8608_profile(length, 1.0, dx=dx, waviness=w, tracks=tracks, correlation=correlation, seed=seed)
        return unit, np.diff(unit.elevations, axis=0)

    unit, base = unit_slope(waviness)
    x = unit.distance
    k = max(1, int(round(ramp_m / dx)))

    def ramped(values: np.ndarray) -> np.ndarray:
        if k > 1 and x.size > k:
            return np.convolve(np.pad(values, (k // 2, k - 1 - k // 2), mode="edge"), np.ones(k) / k, mode="valid")
        return values

    scale = np.full(x.size, np.sqrt(sections[0].gd_n0))
    for s in sections:
        scale[(x >= s.from_m) & (x < s.to_m)] = np.sqrt(s.gd_n0)
    scale = ramped(scale)
    waves = sorted({round(s.waviness / 0.05) * 0.05 for s in sections if s.waviness is not None})
    if waves:
        mixed = np.zeros_like(base)
        weight_left = np.ones(x.size)
        for w in waves:
            member = np.zeros(x.size)
            for s in sections:
                if s.waviness is not None and abs(round(s.waviness / 0.05) * 0.05 - w) < 1e-9:
                    member[(x >= s.from_m) & (x < s.to_m)] = 1.0
            member = ramped(member)
            mixed += member[:-1, None] * unit_slope(w)[1]
            weight_left -= member
        base = mixed + np.clip(weight_left, 0.0, 1.0)[:-1, None] * base
    slope = base * scale[:-1, None]
    elev = np.vstack([np.zeros((1, unit.elevations.shape[1])), np.cumsum(slope, axis=0)])
    return replace(unit, elevations=elev)


# --------------------------------------------------------------------------- potholes and bumps


@dataclass(frozen=True)
class Feature:
    """A pothole or a bump placed on a profile (ground truth for event detection).

    ``kind`` is ``"pothole"`` or ``"bump"``; ``position_m`` the centre; ``length_m``
    the length along the road; ``size_m`` the depth (pothole) or height (bump);
    ``tracks`` the wheel tracks it lies on.
    """

    kind: str
    position_m: float
    length_m: float
    size_m: float
    tracks: tuple[str, ...]


def add_features(profile: LongitudinalProfile, features: Sequence[Feature]) -> LongitudinalProfile:
    """A copy of ``profile`` with the potholes and bumps cut into / laid onto it.

    A pothole is a flat-bottomed dip with steep edges (10 % of its length each
    side); a bump is a raised-cosine hump.
    """
    elev = profile.elevations.copy()
    x = profile.distance
    for f in features:
        if f.kind not in ("pothole", "bump"):
            raise RoadsError(N_("unknown road feature kind {kind}"), field="kind", kind=f.kind)
        u = (x - (f.position_m - f.length_m / 2)) / f.length_m
        inside = (u >= 0) & (u <= 1)
        if not inside.any():
            continue
        if f.kind == "pothole":
            edge = 0.1
            shape = np.clip(np.minimum(u[inside], 1 - u[inside]) / edge, 0, 1)
            delta = -f.size_m * shape
        else:
            delta = f.size_m * 0.5 * (1 - np.cos(2 * np.pi * u[inside]))
        for t in f.tracks:
            elev[inside, profile.tracks.index(t)] += delta
    return replace(profile, elevations=elev)


def random_features(
    length_m: float,
    *,
    potholes_per_km: float = 4.0,
    bumps_per_km: float = 1.0,
    tracks: tuple[str, ...] = ("left", "right"),
    min_gap_m: float = 30.0,
    seed: int | None = None,
) -> list[Feature]:
    """Random potholes (one track, 3-10 cm deep, 0.3-1.2 m long) and speed bumps (both tracks).

    Features are at least ``min_gap_m`` apart and clear of the first and last 20 m.
    """
    rng = np.random.default_rng(seed)
    n_pot = rng.poisson(potholes_per_km * length_m / 1000.0)
    n_bump = rng.poisson(bumps_per_km * length_m / 1000.0)
    kinds = ["pothole"] * n_pot + ["bump"] * n_bump
    rng.shuffle(kinds)
    out: list[Feature] = []
    taken: list[float] = []
    for kind in kinds:
        for _ in range(20):
            pos = float(rng.uniform(20.0, max(20.0, length_m - 20.0)))
            if all(abs(pos - p) >= min_gap_m for p in taken):
                break
        else:
            continue
        taken.append(pos)
        if kind == "pothole":
            track = (tracks[int(rng.integers(len(tracks)))],)
            out.append(Feature("pothole", pos, float(rng.uniform(0.3, 1.2)), float(rng.uniform(0.03, 0.10)), track))
        else:
            out.append(Feature("bump", pos, float(rng.uniform(0.5, 3.0)), float(rng.uniform(0.05, 0.10)), tracks))
    return sorted(out, key=lambda f: f.position_m)
