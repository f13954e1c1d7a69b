"""The import page of the staff: upload a filled-in template (units, activities or report values, CSV or XLSX),
then follow the import job until it lists what it stored and every bad row (row, column, reason).

The form posts to the same job as ``POST /api/v1/lorong/imports/{city}/{programme}`` (:mod:`kotacerdas.lorong.jobs`)
after the same check (``lorong.report`` in the city: coordinators import for their own units, units are the
programme administrator's to add) and the CSRF check of every form.
"""

from __future__ import annotations

from typing import Any, cast

import fastapi
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kotacerdas.core import jobs
from kotacerdas.core.auth import Principal
from kotacerdas.core.db import session_scope
from kotacerdas.core.errors import KotacerdasError, NotFound, PermissionDenied
from kotacerdas.core.i18n import N_
from kotacerdas.http.csrf import form_ok
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.jobs import start_job
from kotacerdas.http.pages import cities_and_current, render
from kotacerdas.http.uploads import received
from kotacerdas.lorong import jobs as lorong_jobs
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.pages import forms
from kotacerdas.lorong.pages.directory import programme_context
from kotacerdas.lorong.services import bulk

router = APIRouter(include_in_schema=False)
PERMISSION = "lorong.report"


def _context(session: Session, principal: Principal, lang: str, city: str | None, programme: str | None):
    """The page's cities, city and programme; a refusal when the user may not import in that city."""
    cities, current = cities_and_current(session, city or "73.71")
    if current is None or not principal.can(PERMISSION, current.id):
        raise PermissionDenied(N_("You do not have the role needed for this in this city"))
    progs, prog = programme_context(session, current, programme)
    return {
        "cities": cities,
        "city": current,
        "programmes": progs,
        "programme": prog,
        "kinds": bulk.KINDS,
        "kind_names": bulk.KIND_NAMES,
        "columns": bulk.COLUMNS,
        "may_add_units": principal.can("lorong.configure", current.id),
    }


def _job(session: Session, principal: Principal, job_id: str, city_id: int, lang: str) -> dict[str, Any]:
    """An import job of this city that the user started (or any, for a superuser), as the page shows it."""
    row = jobs.get_job(session, job_id)
    if (
        row.kind != lorong_jobs.IMPORT
        or row.city_id != city_id
        or not (principal.is_superuser or row.user_id == principal.user_id)
    ):
        raise NotFound(N_("No job with id {id}"), id=job_id)
    return jobs.job_json(row, lang)


@router.get("/lorong/import", response_class=HTMLResponse)
def import_page(
    request: Request,
    city: str | None = None,
    programme: str | None = None,
    job: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The upload form, the templates, and (``job``) the import the user just sent."""
    lang = language(request)
    if principal is None:
        return forms.login("/lorong/import" + (f"?city={city}" if city else ""))
    try:
        ctx = _context(session, principal, lang, city, programme)
        if job:
            ctx["job"] = _job(session, principal, job, ctx["city"].id, lang)
    except KotacerdasError as exc:
        return forms.forbidden(request, principal, lang, exc)
    return render(request, "lorong/import.html", principal, **ctx)


@router.post("/lorong/import", response_class=HTMLResponse)
async def import_post(request: Request, principal: Principal | None = Depends(optional_principal)):
    """Hand the file to the import job and follow it on the page; a bad form shows the page again, saying why."""
    lang = language(request)
    form = await request.form()
    city, programme = forms.text(form, "city"), forms.text(form, "programme")
    if principal is None:
        return forms.login("/lorong/import" + (f"?city={city}" if city else ""))
    if not form_ok(request, str(form.get("csrf") or "")):
        return forms.expired(request, principal, lang)

    def check() -> dict[str, Any]:
        with session_scope(request.app.state.engine) as session:
            ctx = _context(session, principal, lang, city, programme)
            ctx["city_id"] = ctx["city"].id
            return ctx

    try:
        ctx = await run_in_threadpool(check)
    except KotacerdasError as exc:
        return forms.forbidden(request, principal, lang, exc)
    upload = form.get("file")
    kind = forms.text(form, "kind") or None
    try:
        if ctx["programme"] is None:
            raise LorongError(N_("This city runs no neighbourhood programme yet."), field="programme")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise LorongError(N_("Choose a file to upload"), field="file")
        if kind is not None and kind not in bulk.KINDS:
            raise LorongError(
                N_("{name} must be one of: {allowed}"), field="kind", name="kind", allowed=", ".join(bulk.KINDS)
            )
        params = {"city": ctx["city"].code, "programme": ctx["programme"].code, "kind": kind, "lang": lang}
        async with received(cast(fastapi.UploadFile, upload), request) as got:  # the same object, typed
            answer = await run_in_threadpool(
                start_job, request, lorong_jobs.IMPORT, params, principal=principal, city_id=ctx["city_id"], upload=got
            )
    except KotacerdasError as exc:
        ctx.update(error=exc.render(lang), error_field=exc.field, typed_kind=kind or "")
        return render(request, "lorong/import.html", principal, status=exc.status, **ctx)
    job_id = answer.headers["Location"].rsplit("/", 1)[-1]
    target = f"/lorong/import?city={ctx['city'].code}&programme={ctx['programme'].code}&job={job_id}"
    return RedirectResponse(target, status_code=303)
