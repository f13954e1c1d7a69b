"""The city dashboard, rankings, the choropleth per kelurahan, scoring runs, Excel/PDF exports, and the bulk
import and export of units, activities and report values (CSV/XLSX). All private to the city's staff."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.db import session_scope
from kotacerdas.core.i18n import N_
from kotacerdas.http.deps import DB_SESSION, authorize, language, optional_principal
from kotacerdas.http.jobs import JobOut, start_job
from kotacerdas.http.schemas import FeatureCollection, GeoJSONResponse, problems
from kotacerdas.http.uploads import received
from kotacerdas.lorong import jobs as lorong_jobs
from kotacerdas.lorong.api import schemas
from kotacerdas.lorong.api.programmes import programme_of
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.services import access, bulk, scores
from kotacerdas.lorong.services import dashboard as svc

router = APIRouter(tags=["lorong: dashboard and bulk data"])


def _staff(session: Session, principal, city: str, programme: str, permission: str = "lorong.read_private"):
    c, prog = programme_of(session, city, programme)
    p = authorize(principal, permission, c.id)
    return c, prog, p


@router.get(
    "/lorong/dashboard/{city}/{programme}",
    response_model=schemas.Dashboard,
    summary="The city dashboard's aggregates (staff)",
    responses=problems(400, 401, 403, 404),
)
def dashboard(
    city: str,
    programme: str,
    until: str | None = Query(None, description="The last period shown (default: the newest verified)"),
    periods: int = Query(24, ge=1, le=60),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Units and grades, units per theme, reports on time per period, each indicator's trend (verified values,
    summed or averaged over the city as the indicator says) and figures per kelurahan (``lorong.read_private``)."""
    _c, prog, _p = _staff(session, principal, city, programme)
    return svc.dashboard(session, prog, until=until, n=periods)


@router.get(
    "/lorong/rankings/{city}/{programme}",
    response_model=list[schemas.Ranked],
    summary="Units or areas ranked by score (staff)",
    responses=problems(400, 401, 403, 404),
)
def rankings(
    city: str,
    programme: str,
    level: str = Query("city", description="city (units), kecamatan or kelurahan (areas)"),
    area: str | None = Query(None, description="With level kecamatan/kelurahan: rank the units inside this area"),
    limit: int = Query(100, ge=1, le=10_000),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> list[dict]:
    """Ties share a rank (1, 2, 2, 4); areas rank by their units' mean score."""
    _c, prog, _p = _staff(session, principal, city, programme)
    return [r.__dict__ for r in scores.rankings(session, prog, level, area)[:limit]]


@router.get(
    "/lorong/choropleth/{city}/{programme}",
    response_model=FeatureCollection[schemas.ChoroplethProps],
    response_class=GeoJSONResponse,
    summary="Kelurahan as GeoJSON with the dashboard's figures, for a choropleth (staff)",
    responses=problems(400, 401, 403, 404),
)
def choropleth(
    city: str,
    programme: str,
    measure: str = Query("mean_score", description="mean_score, units or on_time_share"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Drawn on the city's stored village areas (real boundaries once imported; the demo's are generated)."""
    _c, prog, _p = _staff(session, principal, city, programme)
    return svc.choropleth(session, prog, svc.dashboard(session, prog, n=1), measure)


@router.post(
    "/lorong/scores/{city}/{programme}",
    response_model=schemas.ScoresRun,
    summary="Score every unit again (programme admin)",
    responses=problems(400, 401, 403, 404),
)
def run_scores(
    city: str,
    programme: str,
    until: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """After a change of weights, targets or grades (``lorong.configure``); verification scores its unit itself."""
    c, prog, p = _staff(session, principal, city, programme, "lorong.configure")
    out = scores.recompute(session, prog, until=until)
    accounts.audit(session, c.id, p.user_id, "lorong.scores.run", prog.code, until=out["until"])
    return out


@router.post(
    "/lorong/exports/{city}/{programme}/dashboard.{fmt}",
    status_code=202,
    response_model=JobOut[schemas.ExportFile],
    summary="Export the dashboard as Excel (xlsx) or PDF (pdf) for the mayor's office: a background job (staff)",
    responses=problems(400, 401, 403, 404),
)
async def dashboard_export(
    city: str,
    programme: str,
    fmt: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
):
    """Answers 202 with the job (``Location``: its URL); once done its result names the file to download from
    ``/api/v1/lorong/exports/files/{job}``: summary, reports, themes, kelurahan, ranking and trends, in the
    request's language (``lorong.read_private``)."""

    def start():
        with session_scope(request.app.state.engine) as session:
            c, _prog, p = _staff(session, principal, city, programme)
            city_id = c.id
        if fmt not in lorong_jobs.MEDIA:
            raise LorongError(N_("{name} must be one of: {allowed}"), field="fmt", name="format", allowed="xlsx, pdf")
        params = {"city": city, "programme": programme, "fmt": fmt, "lang": language(request)}
        return start_job(request, lorong_jobs.EXPORT, params, principal=p, city_id=city_id)

    return await run_in_threadpool(start)


@router.get(
    "/lorong/exports/files/{job_id}",
    response_class=Response,
    summary="Download the file a dashboard export job made (staff of its city)",
    responses={200: {"content": {bulk.XLSX: {}, "application/pdf": {}}}, **problems(401, 403, 404)},
)
def export_file(
    job_id: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> Response:
    """The workbook or PDF of a finished export (``lorong.read_private`` in the job's city)."""
    row = lorong_jobs.export_job(session, job_id)
    authorize(principal, "lorong.read_private", row.city_id)
    path = lorong_jobs.export_path(request.app.state.settings, job_id, row.result["format"])
    if not path.is_file():
        raise LorongError(N_("No export with id {id}"), field="job", status=404, id=job_id)
    return Response(
        path.read_bytes(),
        media_type=lorong_jobs.MEDIA[row.result["format"]],
        headers={"Content-Disposition": f'attachment; filename="{row.result["filename"]}"'},
    )


@router.get(
    "/lorong/templates/{kind}.{fmt}",
    response_class=Response,
    summary="An empty import template: units, activities or values, CSV or XLSX (public)",
    responses={200: {"content": {"text/csv": {}, bulk.XLSX: {}}}, **problems(400)},
)
def template(kind: str, fmt: str) -> Response:
    """The header row the importer expects."""
    body, media = bulk.template_file(kind, fmt)
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="lorong-{kind}.{fmt}"'}
    )


@router.get(
    "/lorong/exports/{city}/{programme}/{kind}.{fmt}",
    response_class=Response,
    summary="Export units, activities or report values as CSV or XLSX (staff, their own units)",
    responses={200: {"content": {"text/csv": {}, bulk.XLSX: {}}}, **problems(400, 401, 403, 404)},
)
def export(
    city: str,
    programme: str,
    kind: str,
    fmt: str,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> Response:
    """The template's columns, so the file imports again unchanged; a coordinator exports their own units."""
    c, prog, p = _staff(session, principal, city, programme)
    body, media = bulk.export_file(session, prog, kind, fmt, access.unit_condition(session, p, c.id))
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{prog.code}-{kind}.{fmt}"'}
    )


@router.post(
    "/lorong/imports/{city}/{programme}",
    status_code=202,
    response_model=JobOut[schemas.ImportResult],
    summary="Import units, activities or report values from CSV or XLSX: a background job (staff)",
    responses=problems(400, 401, 403, 404, 413),
)
async def import_sheet(
    city: str,
    programme: str,
    request: Request,
    file: UploadFile = File(..., description="A filled-in template (CSV or XLSX)"),
    kind: str | None = Query(None, description="units, activities or values (default: from the columns)"),
    principal: Principal | None = Depends(optional_principal),
):
    """Answers 202 with the job; its result lists every bad row (row, column, reason, in the request's language),
    every valid row is stored, and the same file twice changes nothing. Units are the admin's to add; coordinators
    import for their own units (``lorong.report``)."""

    def check():
        with session_scope(request.app.state.engine) as session:
            c, _prog, p = _staff(session, principal, city, programme, "lorong.report")
            return c.id, p

    city_id, p = await run_in_threadpool(check)
    async with received(file, request) as upload:
        params = {"city": city, "programme": programme, "kind": kind, "lang": language(request)}
        return await run_in_threadpool(
            start_job, request, lorong_jobs.IMPORT, params, principal=p, city_id=city_id, upload=upload
        )
