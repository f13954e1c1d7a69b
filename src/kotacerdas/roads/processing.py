"""One survey end to end: streams (and a vehicle calibration) to interval results and events.

:func:`process_survey` runs :func:`kotacerdas.roads.roughness.prepare_survey`
(alignment, vertical acceleration, distance, interval cutting and quality
checks), the response model (:func:`~kotacerdas.roads.roughness.estimate_iri`),
the Bina Marga classification (:func:`kotacerdas.roads.bina_marga.classify`) and
the event detector (:func:`kotacerdas.roads.events.detect_events`).

Map matching is optional and external: pass ``map_match``, a callable that takes
the survey's :class:`~kotacerdas.roads.streams.Track` and returns the same fixes
snapped onto the road network (an object with ``lat`` and ``lon`` arrays of the same
length). When it also gives ``path_positions()`` and ``pieces`` (as
:class:`~kotacerdas.roads.map_matching.MatchResult` does), the odometer anchors the
distance on the matched path and bridges GPS dropouts along it
(:mod:`kotacerdas.roads.odometer`), and every interval is split at the segment ends
it crosses (:attr:`IntervalResult.pieces`): a segment's roughness is then the
distance-weighted IRI of exactly the metres driven on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from shapely.geometry import LineString

from kotacerdas.core.i18n import N_
from kotacerdas.roads.bina_marga import RoadClass, classify, mantap_share
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.events import RoadEvent, detect_events
from kotacerdas.roads.roughness import (
    MEASURED,
    NOT_MEASURED,
    REASONS,
    IriEstimate,
    PreparedSurvey,
    VehicleCalibration,
    default_calibration,
    estimate,
    prepare_survey,
)
from kotacerdas.roads.streams import SurveyStreams, Track

INTERVAL_M = 100.0
"""Length (m) of the intervals a survey is reported in (Bina Marga's 100 m)."""

MapMatcher = Callable[[Track], Any]
"""A map-matching callback: survey track in, snapped fixes (``.lat``, ``.lon``) out."""


@dataclass(frozen=True)
class SegmentPiece:
    """The part ``[from_m, to_m)`` (drive metres) of an interval that lies on one segment, and its IRI there."""

    segment_id: str
    from_m: float
    to_m: float
    iri_m_per_km: float | None

    @property
    def length_m(self) -> float:
        """Metres of the interval on the segment."""
        return self.to_m - self.from_m


@dataclass
class IntervalResult:
    """Roughness of one interval of a survey drive."""

    index: int
    from_m: float
    to_m: float
    t_start: float
    t_end: float
    start_lat: float
    start_lon: float
    end_lat: float
    end_lon: float
    geometry: LineString
    """The interval's path in lon/lat (smoothed or map-matched fixes)."""
    speed_kmh: float
    iri_m_per_km: float | None
    road_class: RoadClass | None
    status: str
    """``"measured"`` or ``"not_measured"``."""
    reason: str | None
    """Why not measured: a key of :data:`kotacerdas.roads.roughness.REASONS`."""
    calibrated: bool
    iri_sd: float | None = None
    """Standard deviation of :attr:`iri_m_per_km` (m/km)."""
    placement_sd_m: float = 0.0
    """Standard deviation of where the interval starts along the drive (the odometer's, m)."""
    pieces: list[SegmentPiece] = field(default_factory=list)
    """The interval split at the segment ends it crosses (empty without a matched path)."""

    @property
    def segment_id(self) -> str | None:
        """The segment holding most of the interval's metres (``None`` without a matched path)."""
        if not self.pieces:
            return None
        return max(self.pieces, key=lambda p: p.length_m).segment_id

    @property
    def length_m(self) -> float:
        """Interval length (m)."""
        return self.to_m - self.from_m

    @property
    def reason_message(self) -> str | None:
        """The English message id of :attr:`reason` (translate with ``gettext``)."""
        return REASONS.get(self.reason) if self.reason else None


@dataclass
class SurveyResult:
    """Everything one survey yields."""

    intervals: list[IntervalResult]
    events: list[RoadEvent]
    calibration: VehicleCalibration
    speed_source: str
    metadata: dict[str, str] = field(default_factory=dict)
    odometer: dict[str, object] = field(default_factory=dict)
    """How the drive's distance was found and its uncertainty (:meth:`~kotacerdas.roads.odometer.Odometer.summary`)."""

    @property
    def measured_length_m(self) -> float:
        """Length of the measured intervals (m)."""
        return float(sum(r.length_m for r in self.intervals if r.status == MEASURED))

    @property
    def mantap_share(self) -> float:
        """Share of measured length that is *jalan mantap* (Baik + Sedang)."""
        return mantap_share([r.length_m for r in self.intervals], [r.road_class for r in self.intervals])


def _snap(prep: PreparedSurvey, streams: SurveyStreams, matched: Any) -> PreparedSurvey:
    lat = np.asarray(getattr(matched, "lat", None), dtype=float)
    lon = np.asarray(getattr(matched, "lon", None), dtype=float)
    if lat.shape != streams.track.t.shape or lon.shape != lat.shape:
        raise RoadsError(N_("map matching returned {n} positions for {m} fixes"), n=int(lat.size), m=len(streams.track))
    ok = np.isfinite(lat) & np.isfinite(lon)
    if ok.sum() < 2:
        return prep
    t = np.asarray(streams.track.t, dtype=float)[ok]
    order = np.argsort(t)
    return replace(
        prep,
        fix_lat=np.interp(prep.fix_t, t[order], lat[ok][order]),
        fix_lon=np.interp(prep.fix_t, t[order], lon[ok][order]),
    )


def process_survey(
    streams: SurveyStreams,
    calibration: VehicleCalibration | None = None,
    *,
    interval_m: float = INTERVAL_M,
    min_speed_kmh: float = 20.0,
    map_match: MapMatcher | None = None,
    detect: bool = True,
) -> SurveyResult:
    """Process one survey drive.

    Parameters
    ----------
    streams:
        The drive.
    calibration:
        The vehicle's calibration; the default coefficients (results flagged
        ``calibrated=False``) when ``None``.
    interval_m:
        Interval length (m).
    min_speed_kmh:
        Intervals driven slower are not measured.
    map_match:
        Optional map-matching callback (see the module docstring).
    detect:
        Whether to detect potholes and bumps.

    Returns
    -------
    SurveyResult
        One :class:`IntervalResult` per interval (measured or not) and the events.
    """
    cal = calibration or default_calibration(streams.vehicle_id)
    matched = map_match(streams.track) if map_match is not None else None
    path_of = getattr(matched, "path_positions", None)
    path = path_of() if callable(path_of) else None
    prep = prepare_survey(streams, interval_m=interval_m, min_speed_kmh=min_speed_kmh, path=path)
    if matched is not None:
        prep = _snap(prep, streams, matched)
    est = estimate(prep, cal)
    iri = est.iri
    cuts = _segment_cuts(prep, matched)
    lat_a, lon_a = prep.position_at(prep.t_start)
    lat_b, lon_b = prep.position_at(prep.t_end)
    place_sd = prep.odometer.sigma_at(prep.t_start) if prep.odometer is not None else np.zeros(prep.from_m.size)
    results: list[IntervalResult] = []
    for j in range(prep.from_m.size):
        inner = (prep.fix_t > prep.t_start[j]) & (prep.fix_t < prep.t_end[j])
        coords = [(lon_a[j], lat_a[j])]
        coords += list(zip(prep.fix_lon[inner], prep.fix_lat[inner], strict=True))
        coords.append((lon_b[j], lat_b[j]))
        if len(coords) == 2 and coords[0] == coords[1]:
            coords[1] = (coords[1][0] + 1e-9, coords[1][1])
        reason = prep.reason[j]
        value = float(iri[j]) if reason is None and np.isfinite(iri[j]) else None
        if reason is None and value is None:
            reason = "too_short"
        results.append(
            IntervalResult(
                index=j,
                from_m=float(prep.from_m[j]),
                to_m=float(prep.to_m[j]),
                t_start=float(prep.t_start[j]),
                t_end=float(prep.t_end[j]),
                start_lat=float(lat_a[j]),
                start_lon=float(lon_a[j]),
                end_lat=float(lat_b[j]),
                end_lon=float(lon_b[j]),
                geometry=LineString(coords),
                speed_kmh=float(prep.speed_ms[j] * 3.6),
                iri_m_per_km=value,
                road_class=classify(value) if value is not None else None,
                status=MEASURED if value is not None else NOT_MEASURED,
                reason=reason,
                calibrated=cal.calibrated,
                iri_sd=float(est.sd[j]) if value is not None and np.isfinite(est.sd[j]) else None,
                placement_sd_m=float(place_sd[j]),
                pieces=_pieces(j, float(prep.from_m[j]), float(prep.to_m[j]), cuts, est if value is not None else None),
            )
        )
    events = detect_events(prep) if detect else []
    return SurveyResult(
        intervals=results,
        events=events,
        calibration=cal,
        speed_source=prep.speed_source,
        metadata={"fs_hz": f"{prep.fs:g}", "interval_m": f"{interval_m:g}"},
        odometer=prep.odometer.summary() if prep.odometer is not None else {},
    )


def _segment_cuts(prep: PreparedSurvey, matched: Any) -> list[tuple[float, float, str]]:
    """Where each matched segment lies along the drive: ``(from_m, to_m, segment id)``, in drive metres.

    Each stretch of matched path maps path metres to drive metres through its fixes
    (both non-decreasing; each fix where the odometer placed it on the path); a segment end
    between two fixes is placed by linear interpolation, beyond the stretch's first or last
    fix by the path metres themselves.
    """
    pieces = getattr(matched, "pieces", None)
    path_m = getattr(matched, "path_m", None)
    stretch = getattr(matched, "path_stretch", None)
    if not pieces or path_m is None or stretch is None or prep.fix_index.size != prep.fix_t.size:
        return []
    p = np.asarray(path_m, dtype=float)[prep.fix_index]
    odo = prep.odometer
    if odo is not None and odo.path_offset is not None and odo.path_offset.size == p.size:
        # where the odometer placed each fix on the path (turns, speeds and positions together), not the
        # matcher's own positions, which carry the GPS's error along the road
        placed = prep.fix_s + odo.path_offset
        p = np.where(np.isfinite(placed) & np.isfinite(p), placed, p)
    st = np.asarray(stretch)[prep.fix_index]
    out: list[tuple[float, float, str]] = []
    for k in np.unique(st[st >= 0]):
        rows = np.flatnonzero((st == k) & np.isfinite(p))
        if rows.size < 2:
            continue
        pk = np.maximum.accumulate(p[rows])
        sk = prep.fix_s[rows]
        lo, hi = float(sk[0]), float(sk[-1])

        def drive_m(x: float, pk: np.ndarray = pk, sk: np.ndarray = sk) -> float:
            if x <= pk[0]:
                return float(sk[0] - (pk[0] - x))
            if x >= pk[-1]:
                return float(sk[-1] + (x - pk[-1]))
            return float(np.interp(x, pk, sk))

        for piece in pieces:
            if piece.stretch != k:
                continue
            a, b = max(drive_m(piece.start_m), lo), min(drive_m(piece.end_m), hi)
            if b > a:
                out.append((a, b, piece.segment_id))
    out.sort()
    return out


def _pieces(
    j: int, a: float, b: float, cuts: list[tuple[float, float, str]], est: IriEstimate | None
) -> list[SegmentPiece]:
    out: list[SegmentPiece] = []
    for lo, hi, sid in cuts:
        if hi <= a or lo >= b:
            continue
        f, t = max(lo, a), min(hi, b)
        if t - f < 0.01:
            continue
        value = None
        if est is not None:
            v, _m = est.between(j, f, t)
            value = v if np.isfinite(v) else None
        out.append(SegmentPiece(sid, f, t, value))
    return out
