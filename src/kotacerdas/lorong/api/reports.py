"""Periodic reports: the coordinator saves or submits (from a phone, also after being offline), adds evidence
photos; the lurah verifies or returns; everyone in scope reads the versions."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Depends, File, Form, Query, Request, UploadFile
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.models import User
from kotacerdas.http.deps import DB_SESSION, authorize, optional_principal
from kotacerdas.http.pagination import Page, Paged, page_params, paginate
from kotacerdas.http.schemas import problems
from kotacerdas.http.uploads import read_upload
from kotacerdas.lorong import jobs as lorong_jobs
from kotacerdas.lorong.api import schemas
from kotacerdas.lorong.services import access
from kotacerdas.lorong.services import reports as svc
from kotacerdas.lorong.services import units as unit_service
from kotacerdas.lorong.services.programmes import get_indicator
from kotacerdas.lorong.store.rows import must_get
from kotacerdas.lorong.store.tables import LorongProgramme, LorongReport, LorongUnit

router = APIRouter(tags=["lorong: reports"])


@router.post(
    "/lorong/units/{unit_id}/reports",
    response_model=schemas.ReportSaved,
    summary="Save or submit a unit's report for a period (its coordinator)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
def save_report(
    unit_id: int,
    body: schemas.ReportSave,
    request: Request,
    background: BackgroundTasks,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Indicator values for one period; ``submit=false`` keeps a draft. A phone that kept the report offline
    sends it with the ``client_key`` it made: sending it again changes nothing. Correcting a verified report
    reopens it for verification. Versioned and audited."""
    unit = unit_service.get_unit(session, unit_id)
    principal = access.write_unit(session, principal, unit)
    report, changed = svc.save(
        session,
        unit,
        body.period,
        body.values,
        user_id=principal.user_id,
        submit=body.submit,
        client_key=body.client_key,
    )
    lorong_jobs.rescore_later(background, request, session, principal.user_id)
    return svc.report_fields(session, report, unit) | {"changed": changed}


@router.get(
    "/lorong/reports",
    response_model=Paged[schemas.Report],
    summary="Reports of the units in the caller's scope (staff)",
    responses=problems(400, 401, 403, 404),
)
def list_reports(
    request: Request,
    city: str = Query(...),
    programme: str = Query("lorong-wisata"),
    status: str | None = Query(None, description="draft, submitted, verified or returned"),
    period: str | None = None,
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """A coordinator sees their units' reports, a lurah those of their kelurahan, an admin all
    (``lorong.read_private``)."""
    c = accounts.get_city(session, city)
    principal = authorize(principal, "lorong.read_private", c.id)
    prog = session.scalar(
        select(LorongProgramme).where(LorongProgramme.city_id == c.id, LorongProgramme.code == programme)
    )
    stmt = (
        select(LorongReport, LorongUnit)
        .join(LorongUnit, LorongUnit.id == LorongReport.unit_id)
        .where(LorongReport.programme_id == (prog.id if prog else -1), access.unit_condition(session, principal, c.id))
        .order_by(LorongReport.period_start.desc(), LorongUnit.name)
    )
    if status:
        stmt = stmt.where(LorongReport.status == status)
    if period:
        stmt = stmt.where(LorongReport.period == period)
    return paginate(session, stmt, page, request, lambda row: svc.report_fields(session, row[0], row[1]), scalars=False)


def _report_in_scope(session: Session, report_id: int, principal: Principal | None):
    report = svc.get_report(session, report_id)
    unit = must_get(session, LorongUnit, report.unit_id)
    return report, unit


@router.get(
    "/lorong/reports/{report_id}",
    response_model=schemas.ReportDetail,
    summary="A report with every version (staff in scope)",
    responses=problems(401, 403, 404),
)
def get_report(
    report_id: int, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> dict:
    """The report's values, status, comment and its history: who saved, submitted, returned or verified what."""
    report, unit = _report_in_scope(session, report_id, principal)
    access.read_private(session, principal, unit)
    users = dict(session.execute(select(User.id, User.username)).all())
    out = svc.report_fields(session, report, unit)
    out["versions"] = [
        {
            "version": v.version,
            "action": v.action,
            "status": v.status,
            "values": v.values,
            "comment": v.comment,
            "user": users.get(v.user_id or 0),
            "at": v.at,
        }
        for v in svc.versions(session, report.id)
    ]
    return out


@router.post(
    "/lorong/reports/{report_id}/verify",
    response_model=schemas.Report,
    summary="Verify a submitted report (the lurah of its kelurahan)",
    responses=problems(401, 403, 404, 409),
)
def verify_report(
    report_id: int,
    body: schemas.Decision,
    request: Request,
    background: BackgroundTasks,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Its values count in dashboards and scores from now on; refused while a required photo is missing. The unit is
    scored again; when this is the first verified report of a new period, every unit of the programme is (a
    background job for a large programme), so rankings compare units over the same window."""
    report, unit = _report_in_scope(session, report_id, principal)
    principal = access.verify_unit(session, principal, unit)
    svc.verify(session, report, user_id=principal.user_id, comment=body.comment)
    lorong_jobs.rescore_later(background, request, session, principal.user_id)
    return svc.report_fields(session, report, unit)


@router.post(
    "/lorong/reports/{report_id}/return",
    response_model=schemas.Report,
    summary="Return a submitted report to its coordinator with a comment (the lurah)",
    responses=problems(400, 401, 403, 404, 409),
)
def return_report(
    report_id: int,
    body: schemas.Decision,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """The coordinator sees the comment, corrects and submits again."""
    report, unit = _report_in_scope(session, report_id, principal)
    principal = access.verify_unit(session, principal, unit)
    svc.return_report(session, report, user_id=principal.user_id, comment=body.comment)
    return svc.report_fields(session, report, unit)


@router.post(
    "/lorong/reports/{report_id}/photos",
    status_code=201,
    response_model=schemas.PhotoSaved,
    summary="Add an evidence photo to a report (its coordinator)",
    responses=problems(400, 401, 403, 404, 413),
)
async def upload_report_photo(
    report_id: int,
    request: Request,
    file: UploadFile = File(..., description="JPEG or PNG, at most 5 MB"),
    indicator: str | None = Form(None, description="The indicator it backs; none: the whole report"),
    caption: str = Form(""),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Evidence stays private to the city's staff; the same image sent twice is one photo."""
    from starlette.concurrency import run_in_threadpool

    data = await read_upload(file, request)

    def run() -> dict:
        report, unit = _report_in_scope(session, report_id, principal)
        p = access.write_unit(session, principal, unit)
        ind = get_indicator(session, report.programme_id, indicator) if indicator else None
        photo = unit_service.add_photo(
            session,
            unit,
            data,
            user_id=p.user_id,
            caption=caption,
            report_id=report.id,
            indicator_id=ind.id if ind else None,
        )
        accounts.audit(session, unit.city_id, p.user_id, "lorong.report.photo", f"{unit.code}/{report.period}")
        return {"id": photo.id, "sha256": photo.sha256, "size": photo.size}

    return await run_in_threadpool(run)
