"""Road Manager's background jobs: importing a survey drive, reprocessing stored surveys and calibrating a vehicle,
off the web server. Each computes first (read sessions only, so its progress shows) and writes last."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.core.i18n import N_
from kotacerdas.core.jobs import JobContext, job
from kotacerdas.roads.services import surveys, vehicles


@job("roads.survey_import", title=N_("Survey import"))
def survey_import(
    ctx: JobContext,
    *,
    city: str,
    vehicle: str,
    path: str,
    filename: str,
    sha256: str = "",
    keep_raw: bool = True,
    replace: bool = False,
) -> dict[str, Any]:
    """Import, process, match and store one uploaded survey; audited. The result is a ``SurveyImport``.

    Reading and processing run in a read session; only storing takes the write transaction."""
    with session_scope(ctx.engine) as session:
        target = accounts.get_city(session, city)
        computed = surveys.compute_survey(session, target, Path(path), vehicle, replace=replace, progress=ctx.progress)
    with session_scope(ctx.engine, write=True) as session:
        target = accounts.get_city(session, city)
        if computed.existing is not None:
            computed.existing = session.get(type(computed.existing), computed.existing.id)
        raw = surveys.raw_folder(ctx.settings.data_dir, target.code) if keep_raw else None
        result = surveys.store_survey(
            session,
            target,
            computed,
            user_id=ctx.user_id,
            filename=filename,
            raw_dir=raw,
            file_sha256=sha256,
            progress=ctx.progress,
        )
        if not result.already_imported:
            accounts.audit(
                session,
                target.id,
                ctx.user_id,
                "roads.survey.import",
                filename,
                survey=result.survey_id,
                vehicle=result.vehicle,
            )
        return result.as_dict()


@job("roads.calibrate", title=N_("Vehicle calibration"))
def calibrate(
    ctx: JobContext, *, city: str, vehicle: str, path: str, filename: str, reference: str, sha256: str = ""
) -> dict[str, Any]:
    """Fit and store a vehicle's coefficients from a drive over a reference section; audited."""
    ctx.progress(0.1, N_("Reading the calibration drive"), force=True)
    with session_scope(ctx.engine, write=True) as session:
        target = accounts.get_city(session, city)
        cal = vehicles.calibrate_vehicle(session, target, vehicle, Path(path), Path(reference))
        out = cal.to_dict()
        accounts.audit(
            session,
            target.id,
            ctx.user_id,
            "roads.vehicle.calibrate",
            vehicle,
            rmse=out["fit_rmse_m_per_km"],
            intervals=cal.n_intervals,
        )
        return out


@job("roads.survey_reprocess", title=N_("Survey reprocessing"))
def survey_reprocess(
    ctx: JobContext, *, city: str, vehicle: str | None = None, survey: int | None = None, every: bool = False
) -> dict[str, Any]:
    """Reprocess stored surveys from their kept raw files (one survey, one vehicle's, or all); audited.

    One survey at a time, each in its own short write transaction, so progress shows between them."""
    with session_scope(ctx.engine) as session:
        target = accounts.get_city(session, city)
        ids = [
            s.id for s in surveys.surveys_to_reprocess(session, target, vehicle=vehicle, survey_id=survey, every=every)
        ]
    raw = surveys.raw_folder(ctx.settings.data_dir, city)
    done: list[dict[str, Any]] = []
    for k, sid in enumerate(ids):
        ctx.progress(k / max(len(ids), 1), N_("Reprocessing the surveys"), force=True)
        with session_scope(ctx.engine, write=True) as session:
            target = accounts.get_city(session, city)
            row = session.get(surveys.RoadSurvey, sid)
            if row is None:
                continue
            change = surveys.reprocess_survey(session, target, row, raw)
            if change["status"] == "reprocessed":
                accounts.audit(session, target.id, ctx.user_id, "roads.survey.reprocess", str(sid), survey=sid)
            done.append(change)
    return {"surveys": done}


@job("roads.capture_import", title=N_("Camera drive import"))
def capture_import(
    ctx: JobContext,
    *,
    city: str,
    vehicle: str,
    path: str,
    filename: str,
    sha256: str = "",
    model: str = "",
    track: str = "",
    offset_s: float = 0.0,
    every_m: float = 5.0,
    start: str = "",
    replace: bool = False,
) -> dict[str, Any]:
    """Inspect an uploaded video, photo set or survey package with media for road damage; audited. The result is
    one ``CaptureResult`` per video or photo set (``captures``). ``start``: the video's start (ISO 8601 with its
    zone) when it does not say. ``replace``: a file imported before with this model replaces its earlier capture
    (audited as ``roads.capture.replace``)."""
    from kotacerdas.roads.services import uploads
    from kotacerdas.roads.video import parse_start

    ctx.progress(0.02, N_("Reading the video or photos"), force=True)
    results = uploads.import_upload(
        ctx.engine,
        ctx.settings.data_dir,
        city=city,
        vehicle=vehicle,
        path=path,
        filename=filename,
        sha256=sha256,
        model=model or None,
        track=track or None,
        offset_s=offset_s,
        every_m=every_m,
        start=parse_start(start),
        user_id=ctx.user_id,
        progress=ctx.progress,
        replace=replace,
    )
    with session_scope(ctx.engine, write=True) as session:
        target = accounts.get_city(session, city)
        for r in results:
            if not r.already_imported:
                accounts.audit(
                    session,
                    target.id,
                    ctx.user_id,
                    "roads.capture.replace" if r.replaced else "roads.capture.import",
                    filename,
                    capture=r.capture_id,
                    model=r.model,
                    status=r.status,
                    **({"replaced": r.replaced["capture_id"]} if r.replaced else {}),
                )
    return {"captures": [r.as_dict() for r in results]}
