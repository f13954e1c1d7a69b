"""Road damage in the demo: the real detector over real road images when a model and images are at hand, else
generated records, clearly labelled as demo.

* **Real** (:func:`real_drive`): when a damage model is installed in the data dir, or a known one is found in the
  test data's ``models/`` (``../shared`` beside the project, or ``KOTACERDAS_SHARED_DIR``), and real road images are
  there (the RDD2022 samples, ``data/roads/rdd2022-samples/images``, or ``KOTACERDAS_DEMO_IMAGES``), the images
  become the frames of a demo drive along the demo's arterial road, one every :data:`REAL_SPACING_M` metres, and go
  through the real pipeline (detector, placement, face blurring, de-duplication, SDI). Its capture and records are
  marked ``demo`` (the positions are made up; the detections are the model's own).
* **Generated** (:func:`generated_damage`): without a model, every pothole the demo surveys' accelerometers found
  becomes a D40 record, and the roughest segments get cracks (D00, D10, D20) drawn from their ids, so the damage
  layer and the SDI have something to show. These records say ``model = "demo"`` and ``demo = true``.

The summary's ``damage.source`` says which of the two it did, and ``damage.note`` says it in words.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from shapely.geometry import LineString, Point
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.models import ModelManifest, list_models, shared_models
from kotacerdas.roads.store import damage as store
from kotacerdas.roads.store.damage_tables import (
    RoadCapture,
    RoadCaptureSegment,
    RoadDamage,
    RoadDamageSighting,
    RoadDamageStatus,
)
from kotacerdas.roads.store.tables import RoadEventRow, RoadSegmentSurvey, RoadSurvey, RoadVehicle
from kotacerdas.roads.video import FramePose

DEMO_VEHICLE = "BWI-PATROL-01"
DEMO_ROAD = "Jl. Demo Raya 1"
REAL_SPACING_M = 40.0
REAL_DATE = datetime(2025, 11, 3, 1, 0, tzinfo=UTC)
SAMPLES = Path("data") / "roads" / "rdd2022-samples" / "images"
CRACKS = ("D00", "D10", "D20")


def shared_dir() -> Path | None:
    """The test data folder: ``KOTACERDAS_SHARED_DIR``, else ``../shared`` beside the working directory or the
    project."""
    candidates = [os.environ.get("KOTACERDAS_SHARED_DIR"), Path.cwd().parent / "shared"]
    candidates.append(
        Path(__file__).resolve().parents[4] / "shared" if len(Path(__file__).resolve().parents) > 4 else None
    )
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    return None


def demo_model(data_dir: Path) -> ModelManifest | None:
    """An installed damage model, else a known one found in the test data."""
    installed = [m for m in list_models(data_dir) if m.purpose == "damage"]
    if installed:
        return installed[0]
    shared = shared_dir()
    found = shared_models(shared / "models") if shared else []
    # the multi-class model first: it finds cracks as well as potholes
    found.sort(key=lambda m: -len(m.codes))
    return found[0] if found else None


def demo_images() -> list[Path]:
    folder = os.environ.get("KOTACERDAS_DEMO_IMAGES")
    shared = shared_dir()
    path = Path(folder) if folder else (shared / SAMPLES if shared else None)
    if path is None or not path.is_dir():
        return []
    return sorted(p for p in path.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))


def _route(session: Session, city_id: int) -> LineString | None:
    rows = list(
        session.scalars(
            select(RoadSegmentRow)
            .where(RoadSegmentRow.city_id == city_id, RoadSegmentRow.road_key == DEMO_ROAD)
            .order_by(RoadSegmentRow.id)
        )
    )
    if not rows:
        return None
    from shapely.ops import linemerge

    merged = linemerge([r.geom for r in rows])
    return merged if isinstance(merged, LineString) else max(merged.geoms, key=lambda g: g.length)


def _poses(line: LineString, n: int, start: datetime) -> list[FramePose]:
    from kotacerdas.core.geometry import WGS84, geodesic_length

    length = geodesic_length(line)
    out = []
    for k in range(n):
        at = min(length - 1.0, 30.0 + k * REAL_SPACING_M)
        p = line.interpolate(at / length, normalized=True)
        q = line.interpolate(min(at + 5.0, length) / length, normalized=True)
        heading = float(WGS84.inv(p.x, p.y, q.x, q.y)[0] % 360.0)
        t = (start + timedelta(seconds=k * 4)).timestamp()
        out.append(FramePose(k, t, 0.0, p.x, p.y, heading, 10.0, round(at - 30.0, 1)))
    return out


def real_drive(session: Session, city: City, data_dir: Path, model: ModelManifest, images: list[Path]) -> dict | None:
    """Run the real detector over ``images`` as the frames of a demo drive (see the module docstring)."""
    from kotacerdas.roads.inspection import inspect_drive
    from kotacerdas.roads.services import damage as service
    from kotacerdas.roads.services.captures_input import Prepared
    from kotacerdas.roads.services.models import plate_model

    line = _route(session, city.id)
    if line is None:
        return None
    poses = _poses(line, len(images), REAL_DATE)
    digest = hashlib.sha256(b"".join(hashlib.sha256(p.read_bytes()).digest() for p in images)).hexdigest()
    prepared = Prepared(
        "photos",
        images[0].parent,
        poses,
        poses[0].t,
        poses[-1].t,
        photo_files=[p.name for p in images],
        report={"photos": len(images), "demo": "real road images (RDD2022) on a made-up route"},
        every_m=REAL_SPACING_M,
    )
    capture, done, _start = service.begin_capture(
        session,
        city.code,
        prepared,
        DEMO_VEHICLE,
        model,
        sha256=digest,
        filename="demo: RDD2022 samples",
        device="demo drive",
        demo=True,
    )
    if not done:
        task = service.task_of(str(capture.id), capture.camera, prepared, model, 0, plate=plate_model(data_dir))
        outcome = inspect_drive(task)
        if outcome.error:
            capture.status = "failed"
            capture.report = {**(capture.report or {}), "error": outcome.error, "error_params": outcome.error_params}
            return None
        ctx = service.context_of(session, capture, data_dir)
        service.store_frames(session, ctx, outcome.frames)
        service.finish_capture(session, capture.id, ctx.locator)
    n = session.scalar(select(RoadDamage.id).where(RoadDamage.city_id == city.id).limit(1))
    return {"source": "model", "model": model.name, "capture": capture.id, "images": len(images), "any": n is not None}


def _hash01(*parts: object) -> float:
    h = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2.0**64


def _demo_capture(session: Session, city_id: int, survey: RoadSurvey) -> RoadCapture:
    key = f"demo:{survey.content_hash}"[:64]
    cap = session.scalar(select(RoadCapture).where(RoadCapture.city_id == city_id, RoadCapture.sha256 == key))
    if cap is None:
        cap = RoadCapture(
            city_id=city_id,
            vehicle_id=survey.vehicle_id,
            survey_id=survey.id,
            kind="demo",
            filename="demo (generated)",
            sha256=key,
            model="demo",
            device="demo",
            started_at=survey.started_at,
            ended_at=survey.ended_at,
            status="done",
            demo=True,
            camera={},
            report={"generated": True},
            finished_at=survey.ended_at,
        )
        session.add(cap)
        session.flush()
    return cap


def _add(
    session: Session,
    city_id: int,
    cap: RoadCapture,
    code: str,
    seg: int | None,
    lon: float,
    lat: float,
    at: datetime,
    conf: float,
    area: float,
) -> None:
    d = RoadDamage(
        city_id=city_id,
        segment_id=seg,
        code=code,
        status="detected",
        status_at=at,
        seen_state="seen",
        first_seen=at,
        last_seen=at,
        sightings_count=1,
        confidence=conf,
        area_m2=area,
        weight=conf,
        model="demo",
        demo=True,
        geom=Point(lon, lat),
    )
    session.add(d)
    session.flush()
    session.add(RoadDamageStatus(city_id=city_id, damage_id=d.id, status="detected", previous=None, at=at, note=""))
    session.add(
        RoadDamageSighting(
            city_id=city_id,
            damage_id=d.id,
            capture_id=cap.id,
            vehicle_id=cap.vehicle_id,
            at=at,
            code=code,
            class_name=code,
            confidence=conf,
            area_m2=area,
            lon=lon,
            lat=lat,
            box=[],
            crop_path=None,
            device="demo",
            model="demo",
        )
    )


def generated_damage(session: Session, city: City) -> dict:
    """Generated damage records from the demo surveys (see the module docstring)."""
    surveys = list(
        session.scalars(select(RoadSurvey).where(RoadSurvey.city_id == city.id).order_by(RoadSurvey.started_at))
    )
    made = 0
    touched: set[int] = set()
    for survey in surveys:
        cap = _demo_capture(session, city.id, survey)
        if session.scalar(select(RoadDamageSighting.id).where(RoadDamageSighting.capture_id == cap.id).limit(1)):
            continue
        for ev in session.scalars(
            select(RoadEventRow).where(RoadEventRow.survey_id == survey.id, RoadEventRow.kind == "pothole")
        ):
            u = _hash01(ev.id, "area")
            _add(
                session, city.id, cap, "D40", ev.segment_id, ev.geom.x, ev.geom.y, ev.at, 0.5 + 0.45 * u, 0.1 + 0.6 * u
            )
            made += 1
        for rss in session.scalars(select(RoadSegmentSurvey).where(RoadSegmentSurvey.survey_id == survey.id)):
            seg = session.get(RoadSegmentRow, rss.segment_id)
            if seg is None:
                continue
            if not session.scalar(
                select(RoadCaptureSegment.id).where(
                    RoadCaptureSegment.capture_id == cap.id, RoadCaptureSegment.segment_id == seg.id
                )
            ):
                session.add(
                    RoadCaptureSegment(
                        city_id=city.id, capture_id=cap.id, segment_id=seg.id, covered_m=seg.length_m, at=rss.driven_at
                    )
                )
            touched.add(seg.id)
            rough = (rss.iri or 0.0) / 4.0  # about one crack per 4 m/km of IRI
            n = int(rough + _hash01(seg.id, survey.id))
            for k in range(min(n, 6)):
                u = _hash01(seg.id, "crack", k)
                p = seg.geom.interpolate(u, normalized=True)
                code = CRACKS[int(_hash01(seg.id, "code", k) * 3)]
                area = {"D00": 0.6, "D10": 0.9, "D20": 6.0}[code] * (0.5 + u)
                _add(session, city.id, cap, code, seg.id, p.x, p.y, rss.driven_at, 0.4 + 0.5 * u, area)
                made += 1
    session.flush()
    store.refresh_distress(session, sorted(touched))
    total = len(
        list(session.scalars(select(RoadDamage.id).where(RoadDamage.city_id == city.id, RoadDamage.demo.is_(True))))
    )
    return {"source": "generated", "created": made, "records": total}


def load_damage_demo(session: Session, city: City, data_dir: Path | None = None) -> dict[str, Any]:
    """The demo's road damage: real detections when a model and images are at hand, else generated (say which)."""
    if data_dir is None:
        from kotacerdas.core.config import get_settings

        data_dir = Path(get_settings().data_dir)
    if not session.scalar(
        select(RoadVehicle.id).where(RoadVehicle.city_id == city.id, RoadVehicle.code == DEMO_VEHICLE)
    ):
        return {"source": "none"}
    model, images = demo_model(data_dir), demo_images()
    out = real_drive(session, city, data_dir, model, images) if model is not None and images else None
    if out is not None:
        out["note"] = N_("Road damage: the real detector {model} ran over {n} real road images (a demo drive)")
        out["note_params"] = {"model": model.name if model else "", "n": len(images)}
        return out
    out = generated_damage(session, city)
    out["note"] = N_("Road damage: generated demo records (no detection model installed)")
    out["note_params"] = {}
    return out
