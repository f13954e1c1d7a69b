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
from kotacerdas.core.orphans import KeptUploads
from kotacerdas.network.store import city_graph, segment_ids_by_key
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.bina_marga import classify
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.reading import SurveyImport
from kotacerdas.roads.formats.survey import import_survey
from kotacerdas.roads.map_matching import MapMatcher, MatchResult
from kotacerdas.roads.processing import INTERVAL_M, SurveyResult, process_survey
from kotacerdas.roads.roughness import MEASURED, VehicleCalibration, default_calibration
from kotacerdas.roads.services.extent import check_in_city
from kotacerdas.roads.services.vehicles import ensure_vehicle, get_vehicle, vehicle_calibration
from kotacerdas.roads.store.tables import RoadEventRow, RoadInterval, RoadSegmentSurvey, RoadSurvey, RoadVehicle

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
    odometer: dict[str, object] = field(default_factory=dict)
    """How the drive's distance was found and its uncertainty."""
    requested_vehicle: str | None = None
    """With ``already_imported``: the vehicle the recording was given for this time."""
    replaced_survey: int | None = None
    """With ``--replace``: the id of the survey this import replaced."""

    def as_dict(self) -> dict:
        return asdict(self)


def raw_folder(data_dir: str | Path, city_code: str) -> Path:
    """Where the raw survey uploads of a city are kept (private), under the data directory."""
    return Path(data_dir) / "uploads" / "roads" / city_code


def kept_uploads(session: Session, data_dir: str | Path) -> KeptUploads:
    """The raw survey uploads of every city and those a survey references (the others are orphans)."""
    rows = session.execute(
        select(City.code, RoadSurvey.raw_path)
        .join(City, City.id == RoadSurvey.city_id)
        .where(RoadSurvey.raw_path.is_not(None))
    )
    referenced = frozenset(raw_folder(data_dir, code) / raw for code, raw in rows if raw)
    return KeptUploads(Path(data_dir) / "uploads" / "roads", referenced)


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


@dataclass
class ComputedSurvey:
    """A survey read and processed, not yet stored (the heavy part, done outside any write)."""

    path: Path
    read: SurveyImport
    vehicle_code: str
    calibration: VehicleCalibration
    result: SurveyResult | None
    match: MatchResult | None
    existing: RoadSurvey | None
    """The survey already holding the same recording (found by its content hash)."""


def compute_survey(
    session: Session,
    city: City,
    path: str | Path,
    vehicle_code: str,
    *,
    replace: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> ComputedSurvey:
    """Read and process a survey with the vehicle's calibration and the city's network; writes nothing.

    A recording already imported is not processed again unless ``replace``.
    """
    path = Path(path)
    step = progress or (lambda fraction, message: None)
    step(0.05, N_("Reading the survey"))
    read: SurveyImport = import_survey(path)
    streams = read.streams
    check_in_city(session, city, streams.track, path.name)
    vehicle_code = (vehicle_code or streams.vehicle_id or "").strip()
    if not vehicle_code:
        raise RoadsError(N_("say which vehicle drove this survey (--vehicle)"), field="vehicle")
    existing = session.scalar(
        select(RoadSurvey).where(RoadSurvey.city_id == city.id, RoadSurvey.content_hash == read.content_hash)
    )
    vehicle = get_vehicle(session, city.id, vehicle_code)
    cal = vehicle_calibration(vehicle) if vehicle is not None else default_calibration(vehicle_code)
    if existing is not None and not replace:
        return ComputedSurvey(path, read, vehicle_code, cal, None, None, existing)
    streams.vehicle_id = vehicle_code
    step(0.3, N_("Computing roughness and matching the drive onto the network"))
    result, match = _process(session, city, streams, cal)
    return ComputedSurvey(path, read, vehicle_code, cal, result, match, existing)


def _process(session: Session, city: City, streams, cal: VehicleCalibration) -> tuple[SurveyResult, MatchResult | None]:
    graph = city_graph(session, city.id)
    held: dict[str, MatchResult] = {}
    map_match = None
    if graph.segments:
        matcher = MapMatcher(graph)

        def map_match(track):  # noqa: ANN001, ANN202 - the processing callback
            held["match"] = matcher.match(track.lon, track.lat, track.t, track.speed)
            return held["match"]

    result = process_survey(streams, cal, interval_m=INTERVAL_M, map_match=map_match)
    return result, held.get("match")


def _already(existing: RoadSurvey, vehicle: str, session: Session) -> SurveyImportResult:
    owner = session.get(RoadVehicle, existing.vehicle_id)
    out = SurveyImportResult(**{**existing.summary, "survey_id": existing.id, "already_imported": True})
    out.vehicle = owner.code if owner else out.vehicle
    out.requested_vehicle = vehicle
    return out


def store_survey(
    session: Session,
    city: City,
    computed: ComputedSurvey,
    *,
    user_id: int | None = None,
    filename: str | None = None,
    raw_dir: Path | None = None,
    file_sha256: str = "",
    progress: Callable[[float, str], None] | None = None,
) -> SurveyImportResult:
    """Store what :func:`compute_survey` found, in the caller's (write) transaction."""
    if computed.result is None:
        assert computed.existing is not None
        return _already(computed.existing, computed.vehicle_code, session)
    step = progress or (lambda fraction, message: None)
    step(0.8, N_("Storing the results"))
    read, result, match = computed.read, computed.result, computed.match
    replaced = None
    if computed.existing is not None:
        replaced = computed.existing.id
        delete_survey(session, computed.existing)
        session.flush()
    vehicle = ensure_vehicle(session, city.id, computed.vehicle_code)
    cal = computed.calibration
    streams = read.streams
    fix_t = np.asarray(streams.track.t, dtype=float)
    track = LineString(np.column_stack([streams.track.lon, streams.track.lat])) if len(streams.track) > 1 else None
    if track is not None:
        track = track.simplify(0.00003)
    survey = RoadSurvey(
        city_id=city.id,
        vehicle_id=vehicle.id,
        user_id=user_id,
        content_hash=read.content_hash,
        file_sha256=file_sha256,
        filename=(filename or computed.path.name)[:300],
        format=read.report.format[:32],
        started_at=_dt(fix_t.min()),
        ended_at=_dt(fix_t.max()),
        length_m=0.0,
        measured_m=0.0,
        matched_fraction=None,
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
    survey.raw_path = _keep_raw(computed.path, raw_dir, read.content_hash)
    session.add(survey)
    session.flush()
    out = write_results(session, city, survey, result, match, fix_t)
    out.excluded = dict(read.report.excluded)
    out.rows = dict(read.report.rows)
    out.format = read.report.format
    out.vehicle = vehicle.code
    out.replaced_survey = replaced
    survey.summary = {k: v for k, v in out.as_dict().items() if k not in SUMMARY_SKIP}
    session.flush()
    return out


SUMMARY_SKIP = ("survey_id", "already_imported", "requested_vehicle", "replaced_survey")


def write_results(
    session: Session, city: City, survey: RoadSurvey, result: SurveyResult, match: MatchResult | None, fix_t
) -> SurveyImportResult:
    """Store a processed survey's intervals, events and per-segment measurement; refresh the segments touched.

    A segment's IRI for the survey is the distance-weighted mean over exactly the metres of it inside
    measured intervals (each interval split at the segment ends it crosses); ``measured_m`` keeps
    those metres and ``share`` their part of the segment's length.
    """
    keys = segment_ids_by_key(session, city.id)
    fallback = _interval_segments(result, fix_t, match)
    lengths = dict(
        session.execute(
            select(RoadSegmentRow.id, RoadSegmentRow.length_m).where(RoadSegmentRow.city_id == city.id)
        ).all()
    )
    per_segment: dict[int, list[tuple[float, float]]] = {}
    not_measured: Counter[str] = Counter()
    for r, old_key in zip(result.intervals, fallback, strict=True):
        key = r.segment_id or old_key
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
                iri_sd=_finite(r.iri_sd),
                road_class=r.road_class.value if r.road_class else None,
                status=r.status,
                reason=r.reason,
                calibrated=r.calibrated,
                geom=r.geometry,
            )
        )
        if r.status == MEASURED:
            if r.pieces:
                for piece in r.pieces:
                    pid = keys.get(piece.segment_id)
                    if pid is not None and piece.iri_m_per_km is not None:
                        per_segment.setdefault(pid, []).append((piece.length_m, piece.iri_m_per_km))
            elif seg_id is not None:
                per_segment.setdefault(seg_id, []).append((r.length_m, float(r.iri_m_per_km)))
        else:
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
        seg_len = float(lengths.get(seg_id) or 0.0)
        session.add(
            RoadSegmentSurvey(
                city_id=city.id,
                survey_id=survey.id,
                segment_id=seg_id,
                driven_at=when,
                forward=forward,
                measured_m=round(length, 2),
                share=round(min(1.0, length / seg_len), 4) if seg_len > 0 and length > 0 else None,
                iri=round(iri, 4) if iri is not None else None,
                road_class=classify(iri).value if iri is not None else None,
                calibrated=survey.calibrated,
            )
        )
    session.flush()
    refresh_segments(session, list(driven))
    measured_m = result.measured_length_m
    length_m = float(result.intervals[-1].to_m) if result.intervals else 0.0
    survey.length_m = length_m
    survey.measured_m = measured_m
    survey.matched_fraction = match.matched_fraction if match else None
    mantap = result.mantap_share
    return SurveyImportResult(
        survey_id=survey.id,
        already_imported=False,
        vehicle="",
        calibrated=survey.calibrated,
        started_at=survey.started_at.isoformat(),
        length_m=round(length_m, 1),
        measured_m=round(measured_m, 1),
        intervals=len(result.intervals),
        measured_intervals=sum(1 for r in result.intervals if r.status == MEASURED),
        not_measured=dict(not_measured),
        events=dict(kinds),
        segments_driven=len(driven),
        matched_fraction=round(match.matched_fraction, 4) if match else None,
        mantap_share=round(mantap, 4) if np.isfinite(mantap) else None,
        odometer=dict(result.odometer),
    )


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
    replace: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> SurveyImportResult:
    """Import, process and store one survey (see the module docstring); the caller commits.

    The same recording imported before is one survey: the answer names it and its vehicle
    (``already_imported``) and nothing changes, unless ``replace``: then it is imported again
    (for ``vehicle_code``) in place of the old one.
    ``progress(fraction, message)`` is told how far the import is (a job shows it to the user).

    Raises
    ------
    RoadsError
        An input the readers refuse (naming file, row and reason), or a survey with nothing to process.
    """
    computed = compute_survey(session, city, path, vehicle_code, replace=replace, progress=progress)
    return store_survey(
        session,
        city,
        computed,
        user_id=user_id,
        filename=filename,
        raw_dir=raw_dir,
        file_sha256=file_sha256,
        progress=progress,
    )


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
                RoadSegmentSurvey.measured_m,
                RoadSegmentSurvey.share,
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
            seg.latest_measured_m = latest.measured_m if latest else None
            seg.latest_share = latest.share if latest else None


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


def surveys_to_reprocess(
    session: Session, city: City, *, vehicle: str | None = None, survey_id: int | None = None, every: bool = False
) -> list[RoadSurvey]:
    """The surveys of a city a reprocess run covers: one survey, one vehicle's, or all (oldest drive first)."""
    if sum(x is not None and x is not False for x in (vehicle, survey_id, every or None)) != 1:
        raise RoadsError(N_("say which surveys to reprocess: --vehicle, --survey or --all"), field="surveys")
    stmt = select(RoadSurvey).where(RoadSurvey.city_id == city.id).order_by(RoadSurvey.started_at, RoadSurvey.id)
    if survey_id is not None:
        stmt = stmt.where(RoadSurvey.id == survey_id)
    if vehicle is not None:
        found = get_vehicle(session, city.id, vehicle)
        if found is None:
            raise RoadsError(N_("no vehicle {vehicle} in this city"), field="vehicle", vehicle=vehicle)
        stmt = stmt.where(RoadSurvey.vehicle_id == found.id)
    rows = list(session.scalars(stmt))
    if survey_id is not None and not rows:
        raise RoadsError(N_("no survey {id} in this city"), field="survey", id=survey_id)
    return rows


def _state(session: Session, survey: RoadSurvey) -> dict[str, object]:
    rows = session.execute(
        select(RoadInterval.iri, RoadInterval.from_m, RoadInterval.to_m).where(RoadInterval.survey_id == survey.id)
    ).all()
    measured = [(r.to_m - r.from_m, r.iri) for r in rows if r.iri is not None]
    length = sum(m for m, _ in measured)
    return {
        "calibrated": bool(survey.calibrated),
        "measured_m": round(length, 1),
        "measured_intervals": len(measured),
        "mean_iri": round(sum(m * v for m, v in measured) / length, 3) if length > 0 else None,
    }


def _segment_classes(session: Session, ids: list[int]) -> dict[int, str | None]:
    if not ids:
        return {}
    return dict(
        session.execute(select(RoadSegmentRow.id, RoadSegmentRow.latest_class).where(RoadSegmentRow.id.in_(ids))).all()
    )


def reprocess_survey(session: Session, city: City, survey: RoadSurvey, raw_dir: Path | None) -> dict[str, object]:
    """Process a stored survey again from its kept raw file, with its vehicle's calibration *now* and the
    network *now*; its results are replaced in place (same survey id). Returns what changed."""
    owner = session.get(RoadVehicle, survey.vehicle_id)
    code = owner.code if owner else ""
    out: dict[str, object] = {"survey_id": survey.id, "vehicle": code}
    raw = raw_dir / survey.raw_path if raw_dir is not None and survey.raw_path else None
    if raw is None or not raw.is_file():
        return {**out, "status": "skipped", "reason": "no_raw_file"}
    read = import_survey(raw)
    if read.content_hash != survey.content_hash:
        return {**out, "status": "skipped", "reason": "raw_file_differs"}
    cal = vehicle_calibration(owner) if owner is not None else default_calibration(code)
    read.streams.vehicle_id = code
    result, match = _process(session, city, read.streams, cal)
    before = _state(session, survey)
    touched = list(
        session.scalars(select(RoadSegmentSurvey.segment_id).where(RoadSegmentSurvey.survey_id == survey.id))
    )
    classes_before = _segment_classes(session, touched)
    for model in (RoadSegmentSurvey, RoadEventRow, RoadInterval):
        for row in session.scalars(select(model).where(model.survey_id == survey.id)):
            session.delete(row)
    session.flush()
    refresh_segments(session, touched)
    survey.calibrated = cal.calibrated
    survey.calibration = cal.to_dict()
    fix_t = np.asarray(read.streams.track.t, dtype=float)
    res = write_results(session, city, survey, result, match, fix_t)
    res.vehicle = code
    res.format = survey.format
    res.excluded = dict(read.report.excluded)
    res.rows = dict(read.report.rows)
    survey.summary = {k: v for k, v in res.as_dict().items() if k not in SUMMARY_SKIP}
    session.flush()
    now = list(session.scalars(select(RoadSegmentSurvey.segment_id).where(RoadSegmentSurvey.survey_id == survey.id)))
    classes_after = _segment_classes(session, sorted(set(touched) | set(now)))
    changed = sum(1 for k, v in classes_after.items() if classes_before.get(k) != v)
    return {
        **out,
        "status": "reprocessed",
        "before": before,
        "after": _state(session, survey),
        "segments": len(now),
        "segments_changed_class": changed,
    }
