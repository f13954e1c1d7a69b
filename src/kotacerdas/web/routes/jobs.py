"""Background jobs: their state, progress and result, visible to the user who started them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import jobs
from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import NotFound
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import Job
from kotacerdas.http.deps import DB_SESSION, current_principal, language
from kotacerdas.http.jobs import JobOut, job_out
from kotacerdas.http.pagination import Page, Paged, page_params, paginate
from kotacerdas.http.schemas import problems

router = APIRouter(tags=["jobs"])


def _visible(principal: Principal, row: Job) -> bool:
    if principal.is_superuser or row.user_id == principal.user_id:
        return True
    return row.city_id is not None and principal.can("city.read_private", row.city_id)


@router.get(
    "/jobs", response_model=Paged[JobOut[dict[str, Any]]], summary="The signed-in user's jobs", responses=problems(401)
)
def list_jobs(
    request: Request,
    status: str | None = Query(None, description="queued, running, done or failed"),
    page: Page = Depends(page_params),
    principal: Principal = Depends(current_principal),
    session: Session = DB_SESSION,
) -> dict:
    """The jobs this user started, newest first."""
    stmt = select(Job).where(Job.user_id == principal.user_id)
    if status:
        stmt = stmt.where(Job.status == status)
    lang = language(request)
    return paginate(
        session, stmt.order_by(Job.created_at.desc(), Job.id), page, request, lambda r: job_out(jobs.job_json(r, lang))
    )


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut[dict[str, Any]],
    summary="One job: status, progress, result",
    responses=problems(401, 404),
)
def get_job(
    job_id: str, request: Request, principal: Principal = Depends(current_principal), session: Session = DB_SESSION
) -> dict:
    """A job's status and progress while it runs, then its result or the reason it failed. Visible to the user who
    started it and to the staff of its city."""
    row = jobs.get_job(session, job_id)
    if not _visible(principal, row):
        raise NotFound(N_("No job with id {id}"), id=job_id)
    return job_out(jobs.job_json(row, language(request)))
