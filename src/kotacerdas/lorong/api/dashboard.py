"""The city dashboard, rankings, the choropleth per kelurahan, scoring runs, Excel/PDF exports, and the bulk
import and export of units, activities and report values (CSV/XLSX). All private to the city's staff."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.i18n import gettext
from kotacerdas.http.deps import DB_SESSION, authorize, language, optional_principal
from kotacerdas.http.schemas import FeatureCollection, GeoJSONResponse, problems
from kotacerdas.http.uploads import received
from kotacerdas.lorong.api import schemas
from kotacerdas.lorong.api.programmes import programme_of
from kotacerdas.lorong.formats import dashboard_files
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


def _export(session, request, principal, city, programme, fmt: str) -> Response:
    _c, prog, _p = _staff(session, principal, city, programme)
    lang = language(request)
    data = svc.dashboard(session, prog)
    ranking = scores.rankings(session, prog, "city")
    t = lambda m: gettext(m, lang)  # noqa: E731
    name = prog.name.get(lang) or prog.name.get("id")
    filename = f"{prog.code}-{city}-{data['periods'][-1]}"
    if fmt == "xlsx":
        body, media = dashboard_files.workbook(data, ranking, t, lang), bulk.XLSX
    else:
        body, media = dashboard_files.pdf(data, ranking, t, lang, f"{name} · {city}"), "application/pdf"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'})


@router.get(
    "/lorong/exports/{city}/{programme}/dashboard.xlsx",
    response_class=Response,
    summary="The dashboard as an Excel workbook (staff)",
    responses={200: {"content": {bulk.XLSX: {}}}, **problems(401, 403, 404)},
)
async def dashboard_xlsx(
    city: str,
    programme: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Summary, reports, themes, kelurahan, ranking and trends, one sheet each, in the request's language."""
    return await run_in_threadpool(_export, session, request, principal, city, programme, "xlsx")


@router.get(
    "/lorong/exports/{city}/{programme}/dashboard.pdf",
    response_class=Response,
    summary="The dashboard as a PDF for the mayor's office (staff)",
    responses={200: {"content": {"application/pdf": {}}}, **problems(401, 403, 404)},
)
async def dashboard_pdf(
    city: str,
    programme: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The same tables as the workbook, A4 landscape."""
    return await run_in_threadpool(_export, session, request, principal, city, programme, "pdf")


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
    response_model=schemas.ImportResult,
    summary="Import units, activities or report values from CSV or XLSX (staff)",
    responses=problems(400, 401, 403, 404, 413),
)
async def import_sheet(
    city: str,
    programme: str,
    request: Request,
    file: UploadFile = File(..., description="A filled-in template (CSV or XLSX)"),
    kind: str | None = Query(None, description="units, activities or values (default: from the columns)"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Every bad row is listed (row, column, reason) and skipped; every valid row is stored; the same file twice
    changes nothing. Units are the admin's to add; coordinators import for their own units (``lorong.report``)."""
    c, prog, p = _staff(session, principal, city, programme, "lorong.report")
    async with received(file, request) as got:
        data = got.read_bytes()
        name = got.filename

    def run() -> dict:
        result = bulk.import_sheet(
            session,
            prog,
            data,
            filename=name,
            kind=kind,
            user_id=p.user_id,
            may_write=lambda u: access.sees_all(p, c.id) or u.coordinator_user_id == p.user_id,
            may_configure=p.can("lorong.configure", c.id),
        )
        if not result.already_imported:
            accounts.audit(session, c.id, p.user_id, "lorong.import", name, kind=result.kind, errors=len(result.errors))
        out = result.as_dict()
        lang = language(request)
        out["errors"] = [
            {"row": e["row"], "column": e["column"], "reason": e["error"].render(lang)} for e in result.errors
        ]
        return out

    return await run_in_threadpool(run)
