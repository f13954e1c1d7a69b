"""Damage from the camera: import a video or photos, inspect them with a model, store one record per damage; the
repair workflow's status changes.

The input is read and its frames chosen by :mod:`kotacerdas.roads.services.captures_input` (a :class:`Prepared`);
:func:`import_capture` then, each step in its own transaction so that an interrupted import goes on where it
stopped:

1. finds the capture by the file's SHA-256 and the model (the same file and model twice are one capture; a capture
   left unfinished resumes after its last stored frame), or records a new one;
2. inspects the frames (:func:`kotacerdas.roads.inspection.inspect_drive`), storing them in batches of
   :data:`CHUNK`: each frame with its pose and segment, each placed damage as a sighting with its blurred crop,
   grouped with the stored damages (:func:`kotacerdas.roads.damage.group_sightings`);
3. finishes: the metres covered per segment, the stored damages this drive had in view and did not see (*not seen
   again*: only those of a code the capture's model can find, kept as ``codes`` in its report), the SDI of the
   segments touched, the capture's report.

:func:`import_captures` does the same for many drives, inspected on a process pool or a Ray cluster
(:mod:`kotacerdas.roads.executors`), each drive stored as it comes back; a file that cannot be read or a drive that
fails is reported and the others go on. An upload (a video, photos or a survey package) is
:mod:`kotacerdas.roads.services.uploads`; a damage's status changes are :mod:`kotacerdas.roads.services.repairs`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from shapely.geometry import Point
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope, utcnow
from kotacerdas.core.geometry import BBox, degrees_around
from kotacerdas.core.i18n import N_
from kotacerdas.core.imports import sha256_file
from kotacerdas.roads import damage as rules
from kotacerdas.roads.errors import RoadsError, stored_text
from kotacerdas.roads.inspection import (
    DriveOutcome,
    DriveTask,
    FrameDamage,
    FrameOutcome,
    inspect_drive,
    plain_params,
)
from kotacerdas.roads.models import ModelManifest
from kotacerdas.roads.placement import CameraModel
from kotacerdas.roads.services.captures_input import Prepared, prepare_photos, prepare_video, read_track
from kotacerdas.roads.services.models import plate_model
from kotacerdas.roads.services.vehicles import ensure_vehicle
from kotacerdas.roads.store import damage as store
from kotacerdas.roads.store.captures import drop_capture, sighting_figures
from kotacerdas.roads.store.damage_tables import (
    RoadCapture,
    RoadCaptureSegment,
    RoadDamage,
    RoadDamageSighting,
    RoadDamageStatus,
    RoadFrame,
)
from kotacerdas.roads.video import EVERY_M

CHUNK = 50
MAX_REPORTED = 50


@dataclass
class CaptureResult:
    """What an import of a video or photos did."""

    capture_id: int
    already_imported: bool
    kind: str
    model: str
    status: str = "done"
    resumed_from: int = 0
    frames_total: int = 0
    frames_done: int = 0
    frames_failed: int = 0
    damages_new: int = 0
    damages_seen_again: int = 0
    damages_not_seen_again: int = 0
    sightings: int = 0
    segments_covered: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    failed_frames: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    demo: bool = False
    filename: str = ""
    error: str = ""
    error_params: dict[str, Any] = field(default_factory=dict)
    offset_s: float = 0.0
    every_m: float = EVERY_M
    imported_at: str = ""
    replaced: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def error_text(self, lang: str | None) -> str:
        """Why the import failed, in ``lang`` (``error`` is a message id, ``error_params`` its parameters)."""
        return stored_text(self.error, self.error_params, lang) if self.error else ""


def content_sha256(path: str | Path) -> str:
    """The SHA-256 of a file, or of a folder's files (their names and contents, in order)."""
    import hashlib

    p = Path(path)
    if p.is_file():
        return sha256_file(p)
    h = hashlib.sha256()
    for f in sorted(q for q in p.rglob("*") if q.is_file()):
        h.update(f.relative_to(p).as_posix().encode() + b"\0" + bytes.fromhex(sha256_file(f)))
    return h.hexdigest()


def crops_folder(data_dir: str | Path, city_code: str) -> Path:
    """Where the blurred crops of a city's sightings are kept, under the data directory."""
    return Path(data_dir) / "roads" / "crops" / city_code


def frame_item(fo: FrameOutcome) -> dict[str, Any]:
    """A failed frame as the report keeps it: its number, its file, the message id and its parameters (shown
    localised, :func:`kotacerdas.roads.errors.stored_text`)."""
    return {"frame": fo.index, "source": fo.source, "message": fo.error, "params": fo.error_params}


# -- storing ---------------------------------------------------------------------------------------------------------
def _dt(epoch: float) -> datetime:
    return datetime.fromtimestamp(float(epoch), UTC)


def _stored_near(
    session: Session, city_id: int, sightings: list[rules.Sighting], *, codes: Iterable[str] | None = None
) -> list[RoadDamage]:
    """The stored damages of the city within 20 m of the box of ``sightings``, of ``codes`` (default: the
    sightings' codes)."""
    wanted = sorted({s.code for s in sightings} if codes is None else set(codes))
    if not sightings or not wanted:
        return []
    lons, lats = [s.lon for s in sightings], [s.lat for s in sightings]
    dlon, dlat = degrees_around(max(abs(v) for v in lats), 20.0)
    box = BBox(min(lons) - dlon, min(lats) - dlat, max(lons) + dlon, max(lats) + dlat)
    return list(session.execute(store.damages_query(session, city_id, bbox=box, codes=wanted)).scalars())


def _as_stored(d: RoadDamage) -> rules.StoredDamage:
    return rules.StoredDamage(d.id, d.code, d.segment_id, d.geom.x, d.geom.y, d.weight, d.status)


@dataclass
class CaptureContext:
    """What storing a capture's frames needs, read once."""

    capture_id: int
    city_id: int
    vehicle_id: int | None
    device: str
    model: str
    demo: bool
    crops: Path
    locator: store.SegmentLocator


def _store_frames(
    session: Session, ctx: CaptureContext, frames: list[FrameOutcome]
) -> tuple[list[rules.Sighting], int]:
    """Frame rows for ``frames`` and a sighting (crop written) for each damage placed; the failed count."""
    sightings: list[rules.Sighting] = []
    failed = 0
    folder = ctx.crops / str(ctx.capture_id)
    for fo in frames:
        p = fo.pose
        row = RoadFrame(
            city_id=ctx.city_id,
            capture_id=ctx.capture_id,
            idx=fo.index,
            at=_dt(p.t),
            lon=p.lon,
            lat=p.lat,
            heading_deg=p.heading_deg,
            speed_mps=p.speed_mps,
            distance_m=p.distance_m,
            segment_id=ctx.locator.nearest(p.lon, p.lat),
            source=fo.source[:300],
            detections=len(fo.damages),
            error=fo.error or None,
        )
        session.add(row)
        failed += 1 if fo.error else 0
        for k, d in enumerate(fo.damages):
            crop = None
            if d.crop:
                folder.mkdir(parents=True, exist_ok=True)
                crop = f"{ctx.capture_id}/{fo.index:06d}-{k}.jpg"
                (ctx.crops / crop).write_bytes(d.crop)
            seg = ctx.locator.nearest(d.lon, d.lat)
            sightings.append(rules.Sighting(d.code, d.lon, d.lat, p.t, d.confidence, d.area_m2, seg, (row, d, crop)))
    session.flush()
    return sightings, failed


def _apply_groups(
    session: Session, ctx: CaptureContext, groups: list[rules.Group], stored: dict[int, RoadDamage]
) -> Counter:
    """Create or extend damage records from ``groups`` and add their sightings."""
    counts: Counter[str] = Counter()
    for g in groups:
        d = stored.get(g.damage_id) if g.damage_id is not None else None
        first = min(s.t for s in g.sightings)
        last = max(s.t for s in g.sightings)
        if d is None:
            d = RoadDamage(
                city_id=ctx.city_id,
                segment_id=g.segment,
                code=g.code,
                status=rules.DETECTED,
                status_at=utcnow(),
                seen_state=rules.SEEN,
                first_seen=_dt(first),
                last_seen=_dt(last),
                sightings_count=0,
                confidence=0.0,
                model=ctx.model,
                demo=ctx.demo,
                geom=Point(g.lon, g.lat),
            )
            session.add(d)
            session.flush()
            session.add(
                RoadDamageStatus(city_id=ctx.city_id, damage_id=d.id, status=rules.DETECTED, previous=None, note="")
            )
            counts["new"] += 1
        else:
            if d.seen_state == rules.NOT_SEEN_AGAIN and rules.seen_again(d.missed_at, _dt(last)):
                counts["seen_again"] += 1
                d.seen_state = rules.SEEN
            d.first_seen = min(d.first_seen, _dt(first))
            d.last_seen = max(d.last_seen, _dt(last))
            d.geom = Point(g.lon, g.lat)
        d.weight = g.weight
        best = None
        for s in g.sightings:
            frame, fd, crop = cast(tuple[RoadFrame, FrameDamage, str | None], s.ref)
            row = RoadDamageSighting(
                city_id=ctx.city_id,
                damage_id=d.id,
                capture_id=ctx.capture_id,
                frame_id=frame.id,
                vehicle_id=ctx.vehicle_id,
                at=_dt(s.t),
                code=s.code,
                class_name=fd.class_name[:80],
                confidence=s.confidence,
                area_m2=s.area_m2,
                lon=s.lon,
                lat=s.lat,
                box=[round(v, 1) for v in fd.box],
                crop_path=crop,
                blurred=fd.blurred,
                device=ctx.device[:200],
                model=ctx.model,
            )
            session.add(row)
            counts["sightings"] += 1
            if crop and (best is None or s.confidence > best[0]):
                best = (s.confidence, row)
        session.flush()
        if best is not None and best[0] >= d.confidence:
            d.best_sighting_id = best[1].id
        d.confidence = max(d.confidence, max(s.confidence for s in g.sightings))
        sighting_figures(session, d)
    return counts


def store_frames(session: Session, ctx: CaptureContext, frames: list[FrameOutcome]) -> Counter:
    """Store a batch of inspected frames of a capture: frames, sightings, damage records (see the module docstring)."""
    capture = session.get(RoadCapture, ctx.capture_id)
    assert capture is not None
    sightings, failed = _store_frames(session, ctx, frames)
    near = _stored_near(session, ctx.city_id, sightings)
    groups = rules.group_sightings(sightings, [_as_stored(d) for d in near])
    counts = _apply_groups(session, ctx, groups, {d.id: d for d in near})
    capture.frames_done += len(frames)
    capture.frames_failed += failed
    errors = list((capture.report or {}).get("failed_frames", []))
    for fo in frames:
        if fo.error and len(errors) < MAX_REPORTED:
            errors.append(frame_item(fo))
    totals = dict((capture.report or {}).get("counts", {}))
    for k, v in counts.items():
        totals[k] = totals.get(k, 0) + v
    capture.report = {**(capture.report or {}), "failed_frames": errors, "counts": totals}
    session.flush()
    return counts


def _cover(session: Session, capture: RoadCapture, frames: list[RoadFrame], locator: store.SegmentLocator) -> list[int]:
    """Record the metres of each segment the capture's frames covered; the segment ids."""
    for old in session.scalars(select(RoadCaptureSegment).where(RoadCaptureSegment.capture_id == capture.id)):
        session.delete(old)
    session.flush()
    per: dict[int, list[RoadFrame]] = defaultdict(list)
    for f in frames:
        if f.segment_id is not None and not f.error:
            per[f.segment_id].append(f)
    step = capture.every_m or rules.VIEW_AHEAD_M[1]
    for sid, items in per.items():
        covered = min(locator.lengths.get(sid, 0.0), len(items) * step)
        session.add(
            RoadCaptureSegment(
                city_id=capture.city_id,
                capture_id=capture.id,
                segment_id=sid,
                covered_m=round(covered, 1),
                at=max(f.at for f in items),
            )
        )
    session.flush()
    return list(per)


def capture_codes(session: Session, capture: RoadCapture) -> list[str]:
    """The damage codes the capture's model can find (kept in its report when it began); for a capture begun
    without them, the codes it sighted."""
    codes = (capture.report or {}).get("codes")
    if codes is not None:
        return sorted(str(c) for c in codes)
    sighted = select(RoadDamageSighting.code).where(RoadDamageSighting.capture_id == capture.id).distinct()
    return sorted(session.scalars(sighted))


def finish_capture(session: Session, capture_id: int, locator: store.SegmentLocator) -> dict[str, int]:
    """Close a capture: coverage, damages not seen again, the SDI of the segments touched, status ``done``."""
    capture = session.get(RoadCapture, capture_id)
    assert capture is not None
    frames = list(session.scalars(select(RoadFrame).where(RoadFrame.capture_id == capture_id).order_by(RoadFrame.idx)))
    covered = _cover(session, capture, frames, locator)
    seen = set(session.scalars(select(RoadDamageSighting.damage_id).where(RoadDamageSighting.capture_id == capture_id)))
    ok = [f for f in frames if not f.error]
    missed: list[int] = []
    marked: list[int] = []  # kept in the report, so that a replacing import can undo them
    if ok:
        codes = capture_codes(session, capture)
        probes = [rules.Sighting("", f.lon, f.lat, 0.0, 0.0, 0.0, None) for f in ok]
        candidates = _stored_near(session, capture.city_id, probes, codes=codes)
        poses = [(f.lon, f.lat, f.heading_deg) for f in ok]
        missed = rules.missed([_as_stored(d) for d in candidates], poses, seen, codes)
        when = max(f.at for f in ok)
        for d in candidates:
            if d.id in missed and d.last_seen < when:
                d.seen_state = rules.NOT_SEEN_AGAIN
                d.missed_at = when if d.missed_at is None else max(d.missed_at, when)
                d.missed_count += 1
                marked.append(d.id)
    touched = set(covered) | set(
        session.scalars(
            select(RoadDamage.segment_id).where(
                RoadDamage.id.in_(list(seen) + missed), RoadDamage.segment_id.is_not(None)
            )
        )
    )
    store.refresh_distress(session, [int(s) for s in touched if s is not None])
    capture.status = "done"
    capture.finished_at = utcnow()
    capture.report = {
        **(capture.report or {}),
        "segments_covered": len(covered),
        "not_seen_again": len(missed),
        "missed_ids": marked,
    }
    session.flush()
    return {"segments_covered": len(covered), "not_seen_again": len(missed)}


def _frames_stored(session: Session, capture_id: int) -> int:
    n = session.scalar(select(func.max(RoadFrame.idx)).where(RoadFrame.capture_id == capture_id))
    return 0 if n is None else int(n) + 1


def find_capture(session: Session, city_id: int, sha256: str, model: str) -> RoadCapture | None:
    """The capture of the file ``sha256`` by ``model`` in a city (the same file and model are one capture)."""
    return session.scalar(
        select(RoadCapture).where(
            RoadCapture.city_id == city_id, RoadCapture.sha256 == sha256, RoadCapture.model == model
        )
    )


def begin_capture(
    session: Session,
    city_code: str,
    prepared: Prepared,
    vehicle_code: str,
    manifest: ModelManifest,
    *,
    sha256: str,
    filename: str,
    user_id: int | None = None,
    survey_id: int | None = None,
    device: str = "",
    demo: bool = False,
) -> tuple[RoadCapture, bool, int]:
    """The capture of this file and model: ``(capture, already done, first frame to inspect)``; a new one is
    recorded with the vehicle's camera model."""
    city = accounts.get_city(session, city_code)
    vehicle = ensure_vehicle(session, city.id, vehicle_code)
    model_sha = manifest.sha256.get(next(iter(manifest.files.values())), "") if manifest.files else ""
    found = find_capture(session, city.id, sha256, manifest.name)
    if found is not None:
        if "codes" not in (found.report or {}):
            found.report = {**(found.report or {}), "codes": manifest.codes}
        return found, found.status == "done", _frames_stored(session, found.id)
    capture = RoadCapture(
        city_id=city.id,
        vehicle_id=vehicle.id,
        survey_id=survey_id,
        user_id=user_id,
        kind=prepared.kind,
        filename=filename[:300],
        sha256=sha256,
        model=manifest.name,
        model_sha256=model_sha,
        device=device[:200],
        started_at=_dt(prepared.started) if prepared.started else None,
        ended_at=_dt(prepared.ended) if prepared.ended else None,
        offset_s=prepared.offset_s,
        every_m=prepared.every_m,
        status="processing",
        frames_total=len(prepared.poses),
        demo=demo,
        camera=CameraModel.from_dict(vehicle.camera).to_dict(),
        report={**prepared.report, "refused": prepared.refused, "codes": manifest.codes},
    )
    session.add(capture)
    session.flush()
    return capture, False, 0


def context_of(session: Session, capture: RoadCapture, data_dir: str | Path) -> CaptureContext:
    """What storing the frames of ``capture`` needs (its city's segments, where crops go)."""
    from kotacerdas.core.models import City

    city = session.get(City, capture.city_id)
    assert city is not None
    return CaptureContext(
        capture_id=capture.id,
        city_id=capture.city_id,
        vehicle_id=capture.vehicle_id,
        device=capture.device,
        model=capture.model,
        demo=capture.demo,
        crops=crops_folder(data_dir, city.code),
        locator=store.SegmentLocator.of_city(session, capture.city_id),
    )


def task_of(
    key: str,
    camera: dict[str, Any],
    prepared: Prepared,
    manifest: ModelManifest,
    start: int,
    *,
    threads: int = 1,
    plate: ModelManifest | None = None,
) -> DriveTask:
    """What a worker needs to inspect the frames of a capture (``key``: its id) from ``start`` on, with the
    ``camera`` model it was recorded with."""
    return DriveTask(
        key=key,
        kind=prepared.kind,
        path=str(prepared.path),
        poses=tuple(prepared.poses),
        model=manifest.as_dict() | {"folder": manifest.folder},
        camera=dict(camera or {}),
        plate_model=plate.as_dict() | {"folder": plate.folder} if plate else None,
        photo_files=tuple(prepared.photo_files),
        start_index=start,
        threads=threads,
    )


def _result(session: Session, capture: RoadCapture, *, already: bool, resumed: int, seconds=None) -> CaptureResult:
    counts = (capture.report or {}).get("counts", {})
    return CaptureResult(
        capture_id=capture.id,
        already_imported=already,
        kind=capture.kind,
        model=capture.model,
        status=capture.status,
        resumed_from=resumed,
        frames_total=capture.frames_total,
        frames_done=capture.frames_done,
        frames_failed=capture.frames_failed,
        damages_new=int(counts.get("new", 0)),
        damages_seen_again=int(counts.get("seen_again", 0)),
        damages_not_seen_again=int((capture.report or {}).get("not_seen_again", 0)),
        sightings=int(counts.get("sightings", 0)),
        segments_covered=int((capture.report or {}).get("segments_covered", 0)),
        seconds={k: round(v, 3) for k, v in (seconds or (capture.report or {}).get("seconds", {})).items()},
        failed_frames=list((capture.report or {}).get("failed_frames", [])),
        refused=list((capture.report or {}).get("refused", [])),
        demo=capture.demo,
        filename=capture.filename,
        error=str((capture.report or {}).get("error", "")),
        error_params=dict((capture.report or {}).get("error_params", {})),
        offset_s=capture.offset_s,
        every_m=capture.every_m,
        imported_at=capture.created_at.isoformat() if capture.created_at else "",
        replaced=(capture.report or {}).get("replaced"),
    )


def store_outcome(
    engine: Engine, capture_id: int, data_dir: str | Path, frames: Iterable[FrameOutcome], *, chunk: int = CHUNK
) -> dict[str, float]:
    """Store a drive's frames in batches of ``chunk`` (one transaction each); the seconds spent storing."""
    import time

    spent = 0.0
    batch: list[FrameOutcome] = []
    ctx = None

    def flush() -> None:
        nonlocal ctx, spent
        t = time.perf_counter()
        with session_scope(engine, write=True) as s:
            capture = s.get(RoadCapture, capture_id)
            assert capture is not None
            if ctx is None:
                ctx = context_of(s, capture, data_dir)
            store_frames(s, ctx, batch)
        spent += time.perf_counter() - t
        batch.clear()

    for fo in frames:
        batch.append(fo)
        if len(batch) >= chunk:
            flush()
    if batch:
        flush()
    return {"store": spent}


def _close(
    engine: Engine, capture_id: int, seconds: dict[str, float], error: str = "", params: dict[str, Any] | None = None
) -> None:
    import time

    t = time.perf_counter()
    with session_scope(engine, write=True) as s:
        capture = s.get(RoadCapture, capture_id)
        assert capture is not None
        if error:
            capture.status = "failed"
            capture.report = {**(capture.report or {}), "error": error, "error_params": params or {}}
            return
        finish_capture(s, capture_id, store.SegmentLocator.of_city(s, capture.city_id))
        seconds = {**seconds, "store": seconds.get("store", 0.0) + time.perf_counter() - t}
        capture.report = {**(capture.report or {}), "seconds": {k: round(v, 4) for k, v in seconds.items()}}


def import_capture(
    engine: Engine,
    city_code: str,
    prepared: Prepared,
    vehicle_code: str,
    manifest: ModelManifest,
    *,
    data_dir: str | Path,
    sha256: str | None = None,
    filename: str | None = None,
    user_id: int | None = None,
    survey_id: int | None = None,
    device: str = "",
    demo: bool = False,
    threads: int = 1,
    progress: Callable[[float, str], None] | None = None,
    inspector: Any = None,
    chunk: int = CHUNK,
    replace: bool = False,
) -> CaptureResult:
    """Inspect and store one video or photo set (see the module docstring); idempotent and resumable. Plates are
    blurred when a plate model is installed in ``data_dir`` (:func:`plate_model`), whichever way the drive came.

    ``replace``: an earlier capture of the same file and model (done or not) is replaced by this import, inspected
    anew with the settings given (offset, spacing, start, the vehicle's camera model now), in one transaction
    (:func:`store_replacement`); without an earlier capture it is a plain import."""
    step = progress or (lambda fraction, message: None)
    plate = plate_model(data_dir)
    digest = sha256 or content_sha256(prepared.path)
    name = filename or prepared.path.name
    if replace:
        found = replacement_task(
            engine, city_code, prepared, vehicle_code, manifest, digest, threads=threads, plate=plate
        )
        if found is not None:
            total = max(1, len(prepared.poses))
            step(0.05, N_("Inspecting the frames"))
            outcome = inspect_drive(
                found[1],
                inspector=inspector,
                on_frame=lambda fo: step(0.05 + 0.85 * (fo.index + 1) / total, N_("Inspecting the frames")),
            )
            step(0.92, N_("Storing the results"))
            return store_replacement(
                engine,
                found[0],
                outcome,
                city_code,
                prepared,
                vehicle_code,
                manifest,
                data_dir=data_dir,
                sha256=digest,
                filename=name,
                chunk=chunk,
                user_id=user_id,
                survey_id=survey_id,
                device=device,
                demo=demo,
            )
    with session_scope(engine, write=True) as s:
        capture, done, start = begin_capture(
            s,
            city_code,
            prepared,
            vehicle_code,
            manifest,
            sha256=digest,
            filename=name,
            user_id=user_id,
            survey_id=survey_id,
            device=device,
            demo=demo,
        )
        if done:
            return _result(s, capture, already=True, resumed=0)
        task = task_of(str(capture.id), capture.camera, prepared, manifest, start, threads=threads, plate=plate)
        capture_id = capture.id
    total = max(1, len(prepared.poses))
    step(0.05, N_("Inspecting the frames"))
    pending: list[FrameOutcome] = []
    seconds: dict[str, float] = {"store": 0.0}

    def on_frame(fo: FrameOutcome) -> None:
        pending.append(fo)
        if len(pending) >= chunk:
            seconds["store"] += store_outcome(engine, capture_id, data_dir, list(pending), chunk=chunk)["store"]
            pending.clear()
            step(0.05 + 0.9 * (fo.index + 1) / total, N_("Inspecting the frames"))

    outcome = inspect_drive(task, inspector=inspector, on_frame=on_frame)
    if pending:
        seconds["store"] += store_outcome(engine, capture_id, data_dir, pending, chunk=chunk)["store"]
    step(0.97, N_("Storing the results"))
    _close(engine, capture_id, {**outcome.seconds, **seconds}, outcome.error, outcome.error_params)
    with session_scope(engine) as s:
        done_capture = s.get(RoadCapture, capture_id)
        assert done_capture is not None
        return _result(s, done_capture, already=False, resumed=start)


# -- importing a file again (--replace) ------------------------------------------------------------------------------
def replacement_task(
    engine: Engine,
    city_code: str,
    prepared: Prepared,
    vehicle_code: str,
    manifest: ModelManifest,
    sha256: str,
    *,
    threads: int = 1,
    plate: ModelManifest | None = None,
) -> tuple[int, DriveTask] | None:
    """The earlier capture of this file and model (its id) and a task inspecting every frame again, with the
    vehicle's camera model as it is now; ``None`` when the file was not imported with this model."""
    with session_scope(engine, write=True) as s:
        city = accounts.get_city(s, city_code)
        old = find_capture(s, city.id, sha256, manifest.name)
        if old is None:
            return None
        camera = CameraModel.from_dict(ensure_vehicle(s, city.id, vehicle_code).camera).to_dict()
        return old.id, task_of(f"replace:{old.id}", camera, prepared, manifest, 0, threads=threads, plate=plate)


def store_replacement(
    engine: Engine,
    old_id: int,
    outcome: DriveOutcome,
    city_code: str,
    prepared: Prepared,
    vehicle_code: str,
    manifest: ModelManifest,
    *,
    data_dir: str | Path,
    sha256: str,
    filename: str,
    chunk: int = CHUNK,
    **begin: Any,
) -> CaptureResult:
    """Replace capture ``old_id`` by a new inspection of the same file, in one transaction: the earlier capture is
    dropped (:func:`kotacerdas.roads.store.captures.drop_capture`: its frames, sightings and coverage; the damages
    only it saw removed unless an officer reviewed them, the others re-figured), the new one is stored and finished.
    A drive whose inspection failed (the model could not be loaded) changes nothing. Crop files follow the
    transaction: the new ones are removed if it fails, the old ones once it is committed."""
    import shutil
    import time

    if outcome.error:
        return CaptureResult(
            old_id,
            False,
            prepared.kind,
            manifest.name,
            status="failed",
            filename=filename,
            error=outcome.error,
            error_params=outcome.error_params,
        )
    crops = crops_folder(data_dir, city_code)
    new_id: int | None = None
    t = time.perf_counter()
    try:
        with session_scope(engine, write=True) as s:
            # recorded first under a stand-in digest (the letters of "replacing" are not hex), so that its id is new
            # (SQLite would give a freed one again) and its crops never mix with the earlier capture's
            capture, _done, _start = begin_capture(
                s,
                city_code,
                prepared,
                vehicle_code,
                manifest,
                sha256="replacing" + sha256[9:],
                filename=filename,
                **begin,
            )
            new_id = capture.id
            old = s.get(RoadCapture, old_id)
            assert old is not None
            dropped = drop_capture(s, old)
            capture.sha256 = sha256
            s.flush()
            ctx = context_of(s, capture, data_dir)
            for k in range(0, len(outcome.frames), chunk):
                store_frames(s, ctx, outcome.frames[k : k + chunk])
            finish_capture(s, capture.id, ctx.locator)
            seconds = {**outcome.seconds, "store": time.perf_counter() - t}
            capture.report = {
                **(capture.report or {}),
                "seconds": {k: round(v, 4) for k, v in seconds.items()},
                "replaced": dropped.summary(),
            }
            s.flush()
            result = _result(s, capture, already=False, resumed=0)
    except BaseException:
        if new_id is not None:
            shutil.rmtree(crops / str(new_id), ignore_errors=True)
        raise
    shutil.rmtree(crops / str(old_id), ignore_errors=True)
    return result


@dataclass
class BatchItem:
    """One drive of a batch: the input (a video with its track, or photos), its vehicle, and for a video that does
    not say when it was recorded its ``start`` (epoch)."""

    path: Path
    vehicle: str
    track: Path | None = None
    offset_s: float = 0.0
    start: float | None = None


def _prepare_item(item: BatchItem, every_m: float) -> Prepared:
    from kotacerdas.roads.video import is_video

    if is_video(item.path):
        track = read_track(item.track) if item.track else None
        return prepare_video(item.path, track, offset_s=item.offset_s, every_m=every_m, start=item.start)
    return prepare_photos(item.path)


def import_captures(
    engine: Engine,
    city_code: str,
    items: Sequence[BatchItem],
    manifest: ModelManifest,
    *,
    data_dir: str | Path,
    executor: str = "process",
    workers: int = 2,
    address: str | None = None,
    every_m: float = EVERY_M,
    user_id: int | None = None,
    replace: bool = False,
) -> list[CaptureResult]:
    """Inspect many drives on ``executor`` (see :mod:`kotacerdas.roads.executors`) and store each as it comes back;
    plates are blurred when a plate model is installed (:func:`plate_model`).

    A file that cannot be read, or a drive that fails, is reported in its result (``status`` ``failed`` and the
    ``error``) and the others go on; drives already done are answered ``already_imported``; a rerun goes on with
    the unfinished ones from their last stored frame. With ``replace`` a drive imported before is inspected anew
    and replaces its earlier capture (:func:`store_replacement`).
    """
    from kotacerdas.roads.executors import run_drives

    results: list[CaptureResult] = []
    tasks: list[DriveTask] = []
    starts: dict[str, int] = {}
    replacing: dict[str, tuple[int, Prepared, BatchItem, str]] = {}
    plate = plate_model(data_dir)
    for item in items:
        try:
            prepared = _prepare_item(item, every_m)
            digest = content_sha256(item.path)
        except RoadsError as exc:
            results.append(
                CaptureResult(
                    0,
                    False,
                    "",
                    manifest.name,
                    status="failed",
                    filename=item.path.name,
                    error=exc.message,
                    error_params=plain_params(exc.params),
                )
            )
            continue
        found = (
            replacement_task(engine, city_code, prepared, item.vehicle, manifest, digest, plate=plate)
            if replace
            else None
        )
        if found is not None:
            tasks.append(found[1])
            replacing[found[1].key] = (found[0], prepared, item, digest)
            continue
        with session_scope(engine, write=True) as s:
            capture, done, start = begin_capture(
                s, city_code, prepared, item.vehicle, manifest, sha256=digest, filename=item.path.name, user_id=user_id
            )
            if done:
                results.append(_result(s, capture, already=True, resumed=0))
                continue
            tasks.append(task_of(str(capture.id), capture.camera, prepared, manifest, start, plate=plate))
            starts[str(capture.id)] = start
    for outcome in run_drives(tasks, executor=executor, workers=workers, address=address):
        if outcome.key in replacing:
            old_id, prepared, item, digest = replacing[outcome.key]
            results.append(
                store_replacement(
                    engine,
                    old_id,
                    outcome,
                    city_code,
                    prepared,
                    item.vehicle,
                    manifest,
                    data_dir=data_dir,
                    sha256=digest,
                    filename=item.path.name,
                    user_id=user_id,
                )
            )
            continue
        capture_id = int(outcome.key)
        seconds = store_outcome(engine, capture_id, data_dir, outcome.frames) if not outcome.error else {}
        _close(engine, capture_id, {**outcome.seconds, **seconds}, outcome.error, outcome.error_params)
        with session_scope(engine) as s:
            stored = s.get(RoadCapture, capture_id)
            assert stored is not None
            results.append(_result(s, stored, already=False, resumed=starts.get(outcome.key, 0)))
    return results
