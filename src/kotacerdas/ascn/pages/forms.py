"""The editors' forms: a city's officer edits the city and its projects and attaches documents; a partner's
editors change its profile and offers; the secretariat merges duplicate partners and imports spreadsheets.

Every form carries the CSRF token (:func:`kotacerdas.http.csrf.form_ok`) and every write checks the role
once through :mod:`kotacerdas.ascn.services.access`; a refused or bad form is shown again with the reason.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from kotacerdas.ascn.pages.portal import page
from kotacerdas.ascn.services import access, documents, partners, registry
from kotacerdas.ascn.store import records
from kotacerdas.ascn.store.tables import AscnCity, AscnPartner
from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.db import transaction
from kotacerdas.core.errors import KotacerdasError, NotAuthenticated
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.core.imports import sha256_bytes
from kotacerdas.core.models import City
from kotacerdas.http.csrf import form_ok
from kotacerdas.http.deps import DB_SESSION, language, optional_principal

router = APIRouter()


def _login(request: Request) -> RedirectResponse:
    return RedirectResponse("/login?next=" + quote(request.url.path), status_code=303)


def _seat(session: Session, principal: Principal, city: AscnCity | None = None) -> int | None:
    if city is not None and city.city_id is not None:
        return city.city_id
    held = access.seat(principal, "ascn.administer")
    return held if held is not None else session.scalar(select(City.id).order_by(City.id).limit(1))


async def _form(request: Request) -> dict:
    form = await request.form()
    out: dict = {}
    for key in form:
        values = form.getlist(key)
        out[key] = values if len(values) > 1 or key in ("focus_areas", "offers", "systems") else values[0]
    return out


def _refused(request: Request, principal, template: str, exc: KotacerdasError, **ctx) -> HTMLResponse:
    lang = language(request)
    response = page(request, template, principal, error=exc.render(lang), **ctx)
    response.status_code = exc.status
    return response


# -- a member city ---------------------------------------------------------------------------------------------


@router.get("/ascn/cities/{slug}/edit", response_class=HTMLResponse)
def city_form(
    slug: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    if principal is None:
        return _login(request)
    city = registry.get_city(session, slug)
    ctx = {"city": records.city(city), "contacts": records.contacts(city), "page_id": "cities"}
    if not access.can_edit_city(session, principal, city):
        return _refused(request, principal, "ascn/city_form.html", access_error(), **ctx)
    return page(request, "ascn/city_form.html", principal, **ctx)


def access_error() -> KotacerdasError:
    from kotacerdas.core.errors import PermissionDenied

    return PermissionDenied(N_("You do not have the role needed for this in this city"))


@router.post("/ascn/cities/{slug}/edit", response_class=HTMLResponse)
async def city_save(slug: str, request: Request, principal: Principal | None = Depends(optional_principal)):
    form = await _form(request)
    from starlette.concurrency import run_in_threadpool

    def run():
        with transaction(request.app.state.sessions()) as session:
            city = registry.get_city(session, slug)
            ctx = {"city": records.city(city), "contacts": records.contacts(city), "page_id": "cities"}
            if principal is None:
                return _login(request)
            if not form_ok(request, form.get("csrf")):
                return _refused(request, principal, "ascn/city_form.html", access_error(), **ctx)
            try:
                access.require_city_editor(session, principal, city)
                changes = {k: form.get(k) for k in registry.CITY_FIELDS + registry.CITY_PRIVATE if k in form}
                with session.begin_nested():  # numbers as typed: 1.749.773 on an Indonesian form
                    registry.update_city(session, city, changes, language(request))
                accounts.audit(session, _seat(session, principal, city), principal.user_id, "ascn.city.update", slug)
            except KotacerdasError as exc:
                ctx["city"] = {**ctx["city"], **{k: v for k, v in form.items() if k in registry.CITY_FIELDS}}
                ctx["contacts"] = {**ctx["contacts"], **{k: v for k, v in form.items() if k in registry.CITY_PRIVATE}}
                return _refused(request, principal, "ascn/city_form.html", exc, **ctx)
            return RedirectResponse(f"/ascn/cities/{slug}", status_code=303)

    return await run_in_threadpool(run)


# -- a project ---------------------------------------------------------------------------------------------------


@router.get("/ascn/projects/{project_id}/edit", response_class=HTMLResponse)
def project_form(
    project_id: int,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    if principal is None:
        return _login(request)
    project = registry.get_project(session, project_id)
    city = session.get(AscnCity, project.city_pk)
    ctx = {"project": records.project(project, city), "page_id": "cities"}
    if not access.can_edit_city(session, principal, city):
        return _refused(request, principal, "ascn/project_form.html", access_error(), **ctx)
    return page(request, "ascn/project_form.html", principal, **ctx)


@router.post("/ascn/projects/{project_id}/edit", response_class=HTMLResponse)
async def project_save(project_id: int, request: Request, principal: Principal | None = Depends(optional_principal)):
    form = await _form(request)
    from starlette.concurrency import run_in_threadpool

    def run():
        with transaction(request.app.state.sessions()) as session:
            project = registry.get_project(session, project_id)
            city = session.get(AscnCity, project.city_pk)
            ctx = {"project": records.project(project, city), "page_id": "cities"}
            if principal is None:
                return _login(request)
            if not form_ok(request, form.get("csrf")):
                return _refused(request, principal, "ascn/project_form.html", access_error(), **ctx)
            try:
                access.require_city_editor(session, principal, city)
                fields = ("title", "summary", "local_lang", "local_title", "local_summary", "status", "start_date",
                          "end_date", "budget", "currency", "lead_agency")  # fmt: skip
                changes = {k: form.get(k) for k in fields if k in form}
                changes["focus_areas"] = form.get("focus_areas", []) if isinstance(form.get("focus_areas"), list) else (
                    [form["focus_areas"]] if form.get("focus_areas") else []
                )  # fmt: skip
                with session.begin_nested():
                    registry.update_project(session, project, changes, language(request))
                accounts.audit(
                    session, _seat(session, principal, city), principal.user_id, "ascn.project.update", str(project_id)
                )
            except KotacerdasError as exc:
                ctx["project"] = {**ctx["project"], **{k: v for k, v in form.items() if k != "csrf"}}
                return _refused(request, principal, "ascn/project_form.html", exc, **ctx)
            session.commit()
            _embed_later(request, principal, city.city_id)
            return RedirectResponse(f"/ascn/projects/{project_id}", status_code=303)

    return await run_in_threadpool(run)


@router.post("/ascn/projects/{project_id}/documents", response_class=HTMLResponse)
async def project_document(
    project_id: int, request: Request, principal: Principal | None = Depends(optional_principal)
):
    """The upload form of a project page: the size and the real type are checked before anything is kept."""
    import tempfile
    from pathlib import Path

    from starlette.concurrency import run_in_threadpool

    from kotacerdas.http.uploads import read_upload

    form = await request.form()
    upload = form.get("file")
    lang = language(request)
    if principal is None:
        return _login(request)
    error = None
    data = b""
    if not form_ok(request, form.get("csrf")):
        error = access_error()
    elif not isinstance(upload, UploadFile) or not upload.filename:
        error = KotacerdasError(N_("Choose a file to upload"), field="file")
    else:
        try:
            data = await read_upload(upload, request)
        except KotacerdasError as exc:
            error = exc

    def run():
        with transaction(request.app.state.sessions()) as session:
            project = registry.get_project(session, project_id)
            city = session.get(AscnCity, project.city_pk)
            problem = error
            if problem is None:
                try:
                    access.require_city_editor(session, principal, city)
                    with tempfile.TemporaryDirectory() as tmp:
                        path = Path(tmp) / "upload"
                        path.write_bytes(data)
                        from kotacerdas.http.uploads import safe_name

                        with session.begin_nested():
                            documents.store(
                                session, request.app.state.settings.data_dir, path, filename=safe_name(upload.filename),
                                size=len(data), sha256=sha256_bytes(data), title=str(form.get("title") or ""),
                                user_id=principal.user_id, project_id=project.id,
                            )  # fmt: skip
                    accounts.audit(
                        session,
                        _seat(session, principal, city),
                        principal.user_id,
                        "ascn.document.add",
                        upload.filename,
                    )
                    return RedirectResponse(f"/ascn/projects/{project_id}#documents", status_code=303)
                except KotacerdasError as exc:
                    problem = exc
            return RedirectResponse(
                f"/ascn/projects/{project_id}?upload_error={quote(problem.render(lang))}#documents", status_code=303
            )

    return await run_in_threadpool(run)


# -- a partner's own profile -------------------------------------------------------------------------------------


@router.post("/ascn/partners/{slug}", response_class=HTMLResponse)
async def partner_save(slug: str, request: Request, principal: Principal | None = Depends(optional_principal)):
    form = await _form(request)
    from starlette.concurrency import run_in_threadpool

    def run():
        with transaction(request.app.state.sessions()) as session:
            partner = registry.get_partner(session, slug, follow=False)
            ctx = {
                "partner": records.partner(partner, partners.aliases(session, partner.id)),
                "partnerships": [],
                "can_edit": True,
                "page_id": "partners",
            }
            if principal is None:
                return _login(request)
            if not form_ok(request, form.get("csrf")):
                return _refused(request, principal, "ascn/partner.html", access_error(), **ctx)
            try:
                access.require_partner_editor(session, principal, partner)
                changes = {k: form.get(k, "") for k in ("name", "website", "description") if k in form}
                for key in ("offers", "focus_areas"):
                    value = form.get(key, [])
                    changes[key] = value if isinstance(value, list) else [value]
                with session.begin_nested():
                    partners.update_partner(session, partner, changes)
                accounts.audit(session, _seat(session, principal), principal.user_id, "ascn.partner.update", slug)
            except KotacerdasError as exc:
                ctx["can_edit"] = access.can_edit_partner(session, principal, partner)
                return _refused(request, principal, "ascn/partner.html", exc, **ctx)
            return RedirectResponse(f"/ascn/partners/{slug}?saved=1", status_code=303)

    return await run_in_threadpool(run)


# -- the secretariat ----------------------------------------------------------------------------------------------


@router.get("/ascn/admin", response_class=HTMLResponse)
def admin_page(
    request: Request, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
):
    if principal is None:
        return _login(request)
    lang = language(request)
    if not access.is_secretariat(principal):
        return _refused(request, principal, "ascn/admin.html", access_error(), duplicates=[], page_id="admin")
    slugs = dict(session.execute(select(AscnPartner.id, AscnPartner.slug)).all())
    dups = [
        {
            "a": slugs[c.a],
            "b": slugs[c.b],
            "names": c.names,
            "score": c.score,
            "reasons": [gettext(r, lang) for r in c.reasons],
        }
        for c in partners.duplicates(session)
    ]
    return page(
        request,
        "ascn/admin.html",
        principal,
        duplicates=dups,
        message=request.query_params.get("message"),
        page_id="admin",
    )


@router.post("/ascn/admin/duplicates", response_class=HTMLResponse)
async def admin_duplicates(request: Request, principal: Principal | None = Depends(optional_principal)):
    form = await _form(request)
    lang = language(request)
    from starlette.concurrency import run_in_threadpool

    def run():
        if principal is None:
            raise NotAuthenticated(N_("Sign in to do this"))
        with transaction(request.app.state.sessions()) as session:
            if not form_ok(request, form.get("csrf")):
                raise access_error()
            access.require_secretariat(principal)
            a = registry.get_partner(session, form.get("a", ""), follow=False)
            b = registry.get_partner(session, form.get("b", ""), follow=False)
            if form.get("decision") == "merge":
                out = partners.merge(session, a, b, principal.user_id)
                accounts.audit(
                    session, _seat(session, principal), principal.user_id, "ascn.partner.merge", b.slug, into=a.slug
                )
                text = gettext("{merged} merged into {kept}", lang).format(**out)
            else:
                partners.dismiss(session, a, b, principal.user_id)
                accounts.audit(
                    session, _seat(session, principal), principal.user_id, "ascn.partner.dismiss", a.slug, other=b.slug
                )
                text = gettext("Kept apart: {a} and {b}", lang).format(a=a.name, b=b.name)
        return RedirectResponse("/ascn/admin?message=" + quote(text), status_code=303)

    try:
        return await run_in_threadpool(run)
    except KotacerdasError as exc:
        response = page(request, "ascn/admin.html", principal, duplicates=[], error=exc.render(lang), page_id="admin")
        response.status_code = exc.status
        return response


@router.post("/ascn/admin/import", response_class=HTMLResponse)
async def admin_import(request: Request, principal: Principal | None = Depends(optional_principal)):
    """The secretariat's import form: the file goes to a background job, the page follows it."""
    from starlette.concurrency import run_in_threadpool

    from kotacerdas.http.jobs import start_job
    from kotacerdas.http.uploads import received

    lang = language(request)
    form = await request.form()
    upload = form.get("file")
    try:
        if principal is None:
            raise NotAuthenticated(N_("Sign in to do this"))
        if not form_ok(request, form.get("csrf")):
            raise access_error()
        access.require_secretariat(principal)
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise KotacerdasError(N_("Choose a file to upload"), field="file")
        with transaction(request.app.state.sessions()) as session:
            seat = _seat(session, principal)
        params = {"cities": None, "partners": True, "seat": seat, "skip_invalid": form.get("skip_invalid") == "1",
                  "lang": lang}  # fmt: skip
        async with received(upload, request) as got:
            answer = await run_in_threadpool(
                start_job, request, "ascn.import", params, principal=principal, city_id=seat, upload=got
            )
        return RedirectResponse(answer.headers["Location"].replace("/api/v1/jobs/", "/ascn/jobs/"), status_code=303)
    except KotacerdasError as exc:
        response = page(request, "ascn/admin.html", principal, duplicates=[], error=exc.render(lang), page_id="admin")
        response.status_code = exc.status
        return response


@router.post("/ascn/reports", response_class=HTMLResponse)
async def report_request(request: Request, principal: Principal | None = Depends(optional_principal)):
    """A report form (the secretariat's page, a city's page): the report is written by a job the page follows."""
    from starlette.concurrency import run_in_threadpool

    from kotacerdas.http.jobs import start_job

    lang = language(request)
    form = await _form(request)
    if principal is None:
        return _login(request)

    def run():
        if not form_ok(request, form.get("csrf")):
            raise access_error()
        city = form.get("city") or None
        with transaction(request.app.state.sessions()) as session:
            member = registry.get_city(session, city) if city else None
            if member is not None:
                access.require_contacts_reader(session, principal, member)
            else:
                access.require_secretariat(principal)
            seat = _seat(session, principal, member)
        fmt = form.get("format") if form.get("format") in ("pdf", "xlsx") else "pdf"
        params = {"year": int(form.get("year") or 0), "fmt": fmt, "lang": lang, "city": city}
        if not 2018 <= params["year"] <= 2100:
            raise KotacerdasError(N_("{value} is not a number"), field="year", value=form.get("year"))
        return start_job(request, "ascn.report", params, principal=principal, city_id=seat)

    try:
        answer = await run_in_threadpool(run)
    except KotacerdasError as exc:
        response = page(request, "ascn/job.html", principal, job=None, error=exc.render(lang), page_id="admin")
        response.status_code = exc.status
        return response
    return RedirectResponse(answer.headers["Location"].replace("/api/v1/jobs/", "/ascn/jobs/"), status_code=303)


@router.get("/ascn/jobs/{job_id}", response_class=HTMLResponse)
def job_page(
    job_id: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """A report or an import followed until it is done: the download, the counts, or every bad row."""
    from kotacerdas.core import jobs

    if principal is None:
        return _login(request)
    lang = language(request)
    try:
        row = jobs.get_job(session, job_id)
        if not row.kind.startswith("ascn.") or not (
            principal.is_superuser or row.user_id == principal.user_id or access.is_secretariat(principal)
        ):
            raise access_error()
    except KotacerdasError as exc:
        return _refused(request, principal, "ascn/job.html", exc, job=None, page_id="admin")
    title = jobs.kind(row.kind).title
    return page(request, "ascn/job.html", principal, job=jobs.job_json(row, lang), job_title=title, page_id="admin")


def _embed_later(request: Request, principal: Principal | None, city_id: int | None) -> None:
    from kotacerdas.core import jobs

    jobs.submit(
        request.app.state.engine,
        "ascn.embed",
        city_id=city_id,
        user_id=principal.user_id if principal else None,
        settings=request.app.state.settings,
    )
