"""Surveys: import a survey drive, process it, match it onto the network, store the results; delete one.

:func:`import_survey_file` reads a survey (any format of
:mod:`kotacerdas.roads.formats.survey`), refuses it with a clear error or counts what it
left out (the reader's ``ImportReport``), and, in the caller's transaction:

1. finds the survey by its content hash (the same drive twice is one survey);
2. runs :func:`kotacerdas.roads.processing.process_survey` with the vehicle's
   calibration (the default one, flagged ``calibrated=False``, when it has none) and the
   HMM map matcher of :mod:`kotacerdas.roads.map_matching` on the city's stored network;
3. stores the 100 m interval results with the segment each lies on, the events, and per
   driven segment what the survey measured there (coverage and history);
4. refreshes the latest condition of every segment it touched.

:func:`delete_survey` removes a survey and what it stored; :func:`survey_json` and
:func:`track_of` give what the API shows of one.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City
from kotacerdas.network.store import city_graph, segment_ids_by_key
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.bina_marga import classify
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.reading import SurveyImport
from kotacerdas.roads.formats.survey import import_survey
from kotacerdas.roads.map_matching import MapMatcher, MatchResult
from kotacerdas.roads.processing import INTERVAL_M, SurveyResult, process_survey
from kotacerdas.roads.roughness import MEASURED
from kotacerdas.roads.services.vehicles import ensure_vehicle, vehicle_calibration
from kotacerdas.roads.store.tables import RoadEventRow, RoadInterval, RoadSegmentSurvey, RoadSurvey

_REFRESH_BATCH = 500  # segment ids per IN (...) query of refresh_segments


@dataclass
class SurveyImportResult:
    """What a survey import did."""

    survey_id: int
    already_imported: bool
    vehicle: str
    calibrated: bool
    format: str = ""
    started_at: str = ""
    length_m: float = 0.0
    measured_m: float = 0.0
    intervals: int = 0
    measured_intervals: int = 0
    not_measured: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    segments_driven: int = 0
    matched_fraction: float | None = None
    mantap_share: float | None = None
    excluded: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def raw_folder(data_dir: str | Path, city_code: str) -> Path:
    """Where the raw survey uploads of a city are kept (private), under the data directory."""
    return Path(data_dir) / "uploads" / "roads" / city_code


def _dt(epoch: float) -> datetime:
    return datetime.fromtimestamp(float(epoch), UTC)


def _finite(v: float | None) -> float | None:
    return None if v is None or not np.isfinite(v) else float(v)


def _interval_segments(result: SurveyResult, fix_t: np.ndarray, match: MatchResult | None) -> list[str | None]:
    """The segment key of each interval: the segment most of its matched fixes lie on."""
    out: list[str | None] = []
    if match is None:
        return [None] * len(result.intervals)
    ids = match.segment_id
    for r in result.intervals:
        inside = np.flatnonzero((fix_t >= r.t_start) & (fix_t <= r.t_end))
        keys = [ids[i] for i in inside if ids[i] is not None]
        if not keys:
            mid = 0.5 * (r.t_start + r.t_end)
            i = int(np.argmin(np.abs(fix_t - mid)))
            keys = [ids[i]] if ids[i] is not None and abs(fix_t[i] - mid) <= 5.0 else []
        out.append(Counter(keys).most_common(1)[0][0] if keys else None)
    return out


def _nearest_fix_segment(t: float, fix_t: np.ndarray, match: MatchResult | None) -> str | None:
    if match is None or fix_t.size == 0:
        return None
    i = int(np.argmin(np.abs(fix_t - t)))
    return match.segment_id[i] if abs(fix_t[i] - t) <= 5.0 else None


def _keep_raw(path: Path, raw_dir: Path | None, digest: str) -> str | None:
    if raw_dir is None:
        return None
    raw_dir.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        target = raw_dir / f"{digest}.zip"
        if not target.exists():
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                for p in sorted(path.rglob("*")):
                    if p.is_file():
                        zf.write(p, p.relative_to(path).as_posix())
            target.write_bytes(buf.getvalue())
    else:
        suffix = "".join(path.suffixes[-2:]) or ".bin"
        target = raw_dir / f"{digest}{suffix}"
        if not target.exists():
            shutil.copyfile(path, target)
    return target.name


def raw_download_name(filename: str | None, raw_path: str) -> str:
    """The file name a raw survey downloads under: the uploaded name, with the kept file's extension when the
    name lacks it (a folder is kept zipped: ``gpxsurvey`` downloads as ``gpxsurvey.zip``)."""
    kept = Path(raw_path)
    suffix = "".join(kept.suffixes[-2:])
    name = (filename or "").strip().rstrip("/").split("/")[-1] or kept.stem
    return name if not suffix or name.lower().endswith(suffix.lower()) else name + suffix


def import_survey_file(
    session: Session,
    city: City,
    path: str | Path,
    vehicle_code: str,
    *,
    user_id: int | None = None,
    filename: str | None = None,
    raw_dir: Path | None = None,
    file_sha256: str = "",
    progress: Callable[[float, str], None] | None = None,
) -> SurveyImportResult:
    """Import, process and store one survey (see the module docstring); the caller commits.

    ``progress(fraction, message)`` is told how far the import is (a job shows it to the user).

    Raises
    ------
    RoadsError
        An input the readers refuse (naming file, row and reason), or a survey with nothing to process.
    """
    path = Path(path)
    step = progress or (lambda fraction, message: None)
    step(0.05, N_("Reading the survey"))
    read: SurveyImport = import_survey(path)
    streams = read.streams
    vehicle_code = vehicle_code or streams.vehicle_id or ""
    if not vehicle_code:
        raise RoadsError(N_("say which vehicle drove this survey (--vehicle)"), field="vehicle")
    existing = session.scalar(
        select(RoadSurvey).where(RoadSurvey.city_id == city.id, RoadSurvey.content_hash == read.content_hash)
    )
    if existing is not None:
        out = SurveyImportResult(**{**existing.summary, "survey_id": existing.id, "already_imported": True})
        return out
    vehicle = ensure_vehicle(session, city.id, vehicle_code)
    cal = vehicle_calibration(vehicle)
    streams.vehicle_id = vehicle.code

    graph = city_graph(session, city.id)
    held: dict[str, MatchResult] = {}
    map_match = None
    if graph.segments:
        matcher = MapMatcher(graph)

        def map_match(track):  # noqa: ANN001, ANN202 - the processing callback
            held["match"] = matcher.match(track.lon, track.lat, track.t, track.speed)
            return held["match"]

    step(0.3, N_("Computing roughness and matching the drive onto the network"))
    result = process_survey(streams, cal, interval_m=INTERVAL_M, map_match=map_match)
    step(0.8, N_("Storing the results"))
    match = held.get("match")
    fix_t = np.asarray(streams.track.t, dtype=float)
    keys = segment_ids_by_key(session, city.id)
    seg_keys = _interval_segments(result, fix_t, match)

    track = LineString(np.column_stack([streams.track.lon, streams.track.lat])) if len(streams.track) > 1 else None
    if track is not None:
        track = track.simplify(0.00003)
    survey = RoadSurvey(
        city_id=city.id,
        vehicle_id=vehicle.id,
        user_id=user_id,
        content_hash=read.content_hash,
        file_sha256=file_sha256,
        filename=(filename or path.name)[:300],
        format=read.report.format[:32],
        started_at=_dt(fix_t.min()),
        ended_at=_dt(fix_t.max()),
        length_m=float(result.intervals[-1].to_m) if result.intervals else 0.0,
        measured_m=result.measured_length_m,
        matched_fraction=match.matched_fraction if match else None,
        calibrated=cal.calibrated,
        calibration=cal.to_dict(),
        report={
            "source": read.report.source,
            "format": read.report.format,
            "rows": read.report.rows,
            "excluded": read.report.excluded,
            "examples": [list(e) for e in read.report.examples],
        },
        summary={},
        geom=track,
    )
    survey.raw_path = _keep_raw(path, raw_dir, read.content_hash)
    session.add(survey)
    session.flush()

    per_segment: dict[int, list[tuple[float, float]]] = {}
    not_measured: Counter[str] = Counter()
    for r, key in zip(result.intervals, seg_keys, strict=True):
        seg_id = keys.get(key) if key else None
        session.add(
            RoadInterval(
                city_id=city.id,
                survey_id=survey.id,
                segment_id=seg_id,
                idx=r.index,
                from_m=r.from_m,
                to_m=r.to_m,
                measured_at=_dt(r.t_start),
                speed_kmh=round(r.speed_kmh, 2),
                iri=_finite(r.iri_m_per_km),
                road_class=r.road_class.value if r.road_class else None,
                status=r.status,
                reason=r.reason,
                calibrated=r.calibrated,
                geom=r.geometry,
            )
        )
        if r.status == MEASURED and seg_id is not None:
            per_segment.setdefault(seg_id, []).append((r.length_m, float(r.iri_m_per_km)))
        if r.status != MEASURED:
            not_measured[r.reason or "unknown"] += 1
    kinds: Counter[str] = Counter()
    for ev in result.events:
        key = _nearest_fix_segment(ev.time, fix_t, match)
        session.add(
            RoadEventRow(
                city_id=city.id,
                survey_id=survey.id,
                segment_id=keys.get(key) if key else None,
                kind=ev.kind,
                at=_dt(ev.time),
                distance_m=round(ev.distance_m, 2),
                strength_ms2=round(ev.strength_ms2, 3),
                speed_kmh=round(ev.speed_kmh, 2),
                geom=Point(ev.lon, ev.lat),
            )
        )
        kinds[ev.kind] += 1

    driven: dict[int, tuple[datetime, bool | None]] = {}
    if match is not None:
        for d in match.driven:
            seg_id = keys.get(d.segment_id)
            if seg_id is None or seg_id in driven:
                continue
            when = fix_t[d.first_fix] if d.first_fix is not None else fix_t.min()
            driven[seg_id] = (_dt(when), d.forward)
    for seg_id in per_segment:
        driven.setdefault(seg_id, (survey.started_at, None))
    for seg_id, (when, forward) in driven.items():
        parts = per_segment.get(seg_id, [])
        length = sum(p[0] for p in parts)
        iri = sum(p[0] * p[1] for p in parts) / length if length > 0 else None
        session.add(
            RoadSegmentSurvey(
                city_id=city.id,
                survey_id=survey.id,
                segment_id=seg_id,
                driven_at=when,
                forward=forward,
                measured_m=round(length, 2),
                iri=round(iri, 4) if iri is not None else None,
                road_class=classify(iri).value if iri is not None else None,
                calibrated=cal.calibrated,
            )
        )
    session.flush()
    refresh_segments(session, list(driven))

    mantap = result.mantap_share
    out = SurveyImportResult(
        survey_id=survey.id,
        already_imported=False,
        vehicle=vehicle.code,
        calibrated=cal.calibrated,
        format=read.report.format,
        started_at=survey.started_at.isoformat(),
        length_m=round(survey.length_m, 1),
        measured_m=round(result.measured_length_m, 1),
        intervals=len(result.intervals),
        measured_intervals=sum(1 for r in result.intervals if r.status == MEASURED),
        not_measured=dict(not_measured),
        events=dict(kinds),
        segments_driven=len(driven),
        matched_fraction=round(match.matched_fraction, 4) if match else None,
        mantap_share=round(mantap, 4) if np.isfinite(mantap) else None,
        excluded=dict(read.report.excluded),
        rows=dict(read.report.rows),
    )
    survey.summary = {k: v for k, v in out.as_dict().items() if k not in ("survey_id", "already_imported")}
    session.flush()
    return out


def import_survey_bytes(
    session: Session,
    city: City,
    data: bytes,
    filename: str,
    vehicle_code: str,
    *,
    user_id: int | None = None,
    raw_dir: Path | None = None,
) -> SurveyImportResult:
    """:func:`import_survey_file` for uploaded bytes (a zip package or a single file)."""
    import hashlib

    safe = Path(filename or "survey.zip").name or "survey.zip"
    with tempfile.TemporaryDirectory(prefix="kc-survey-") as tmp:
        target = Path(tmp) / safe
        target.write_bytes(data)
        return import_survey_file(
            session,
            city,
            target,
            vehicle_code,
            user_id=user_id,
            filename=safe,
            raw_dir=raw_dir,
            file_sha256=hashlib.sha256(data).hexdigest(),
        )


def refresh_segments(session: Session, segment_ids: list[int]) -> None:
    """Recompute the latest condition and survey count of segments from their stored history.

    The latest condition is what the most recent survey that *measured* the segment found.
    Segments and their history are read in a few batched queries (not one per segment).
    """
    ids = sorted(set(segment_ids))
    for k in range(0, len(ids), _REFRESH_BATCH):
        chunk = ids[k : k + _REFRESH_BATCH]
        segs = list(session.scalars(select(RoadSegmentRow).where(RoadSegmentRow.id.in_(chunk))))
        history: dict[int, list] = {}
        for row in session.execute(
            select(
                RoadSegmentSurvey.segment_id,
                RoadSegmentSurvey.iri,
                RoadSegmentSurvey.road_class,
                RoadSegmentSurvey.driven_at,
                RoadSegmentSurvey.calibrated,
            )
            .where(RoadSegmentSurvey.segment_id.in_(chunk))
            .order_by(RoadSegmentSurvey.segment_id, RoadSegmentSurvey.driven_at.desc(), RoadSegmentSurvey.id.desc())
        ):
            history.setdefault(row.segment_id, []).append(row)
        for seg in segs:
            rows = history.get(seg.id, [])
            seg.surveys_count = len(rows)
            latest = next((r for r in rows if r.iri is not None), None)
            seg.latest_iri = latest.iri if latest else None
            seg.latest_class = latest.road_class if latest else None
            seg.latest_at = latest.driven_at if latest else None
            seg.latest_calibrated = latest.calibrated if latest else None


def delete_survey(session: Session, survey: RoadSurvey) -> None:
    """Delete a survey and everything it stored, then refresh the segments it touched."""
    touched = list(
        session.scalars(select(RoadSegmentSurvey.segment_id).where(RoadSegmentSurvey.survey_id == survey.id))
    )
    for model in (RoadSegmentSurvey, RoadEventRow, RoadInterval):
        for row in session.scalars(select(model).where(model.survey_id == survey.id)):
            session.delete(row)
    session.delete(survey)
    session.flush()
    refresh_segments(session, touched)


def survey_json(s: RoadSurvey, vehicle_code: str) -> dict:
    return {
        "id": s.id,
        "vehicle": vehicle_code,
        "filename": s.filename,
        "format": s.format,
        "started_at": s.started_at.isoformat(),
        "ended_at": s.ended_at.isoformat(),
        "length_m": round(s.length_m, 1),
        "measured_m": round(s.measured_m, 1),
        "matched_fraction": s.matched_fraction,
        "calibrated": s.calibrated,
        "content_hash": s.content_hash,
        "report": s.report,
        "summary": s.summary,
        "has_raw": bool(s.raw_path),
        "imported_at": s.created_at.isoformat(),
    }


def track_of(s: RoadSurvey) -> LineString | None:
    """The survey's (simplified) GPS track."""
    return s.geom if s.geom is not None and not shapely.is_empty(s.geom) else None
