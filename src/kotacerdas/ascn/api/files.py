"""Files in and out: spreadsheet imports, the yearly M&E reports (PDF and Excel) and the open exports (CSV, JSON,
FIWARE Smart Data Models)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kotacerdas.ascn import framework
from kotacerdas.ascn.api.deps import record_city_id
from kotacerdas.ascn.api.schemas import ImportOut, ReportFile, ReportIn
from kotacerdas.ascn.errors import AscnError
from kotacerdas.ascn.formats import exports, fiware
from kotacerdas.ascn.services import access, opendata, registry
from kotacerdas.ascn.store import records
from kotacerdas.ascn.store.tables import AscnProject
from kotacerdas.core.auth import Principal
from kotacerdas.core.db import session_scope
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.jobs import JobOut, start_job
from kotacerdas.http.schemas import problems
from kotacerdas.http.uploads import received

router = APIRouter(tags=["ascn"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LD_JSON = "application/ld+json"


@router.post(
    "/ascn/imports",
    status_code=202,
    response_model=JobOut[ImportOut],
    summary="Import partners, projects and partnerships from a spreadsheet: a background job",
    responses=problems(400, 401, 403, 404, 413, 422),
)
async def import_spreadsheet(
    request: Request,
    file: UploadFile = File(..., description=".xlsx with sheets partners, projects, partnerships; or one .csv"),
    kind: str | None = Form(None, description="For a CSV file: partners, projects or partnerships"),
    city: str | None = Form(None, description="A city officer imports for their own member city (slug)"),
    skip_invalid: bool = Form(False, description="Import the valid rows and list the others"),
    principal: Principal | None = Depends(optional_principal),
) -> JSONResponse:
    """Answers 202 with the job (``Location``: its URL). Every bad cell is named in the failed job's ``errors``
    (sheet and row, column, reason); by default nothing is written unless every row is valid. The same file twice
    is one import. New partners that look like existing ones are listed, not merged: the secretariat merges them
    (``/ascn/partners/duplicates``)."""

    def prepare() -> tuple[dict, int | None]:
        with session_scope(request.app.state.engine) as session:
            if access.is_secretariat(principal):
                member = registry.get_city(session, city) if city else None
                scope: dict = {"cities": None, "partners": True}
            else:
                if not city:
                    access.require_secretariat(principal)
                member = registry.get_city(session, city)
                access.require_city_editor(session, principal, member)
                scope = {"cities": [member.slug], "partners": False}
            seat = record_city_id(session, principal, member)
        if seat is None:
            raise AscnError(N_("No platform city keeps the import record; create one first"), status=409)
        return scope, seat

    scope, seat = await run_in_threadpool(prepare)
    lang = language(request)
    async with received(file, request) as upload:
        params = {**scope, "seat": seat, "kind": kind, "skip_invalid": skip_invalid, "lang": lang}
        return await run_in_threadpool(
            start_job, request, "ascn.import", params, principal=principal, city_id=seat, upload=upload
        )


@router.post(
    "/ascn/reports",
    status_code=202,
    response_model=JobOut[ReportFile],
    summary="Write a yearly M&E report (PDF or Excel): a background job",
    responses=problems(400, 401, 403, 404, 422),
)
def request_report(
    body: ReportIn, request: Request, principal: Principal | None = Depends(optional_principal)
) -> JSONResponse:
    """The network's report (the secretariat) or a member city's (its officer and administrator, and the
    secretariat), in the request's language: figures computed and published, projects, indicators and partnerships
    of the year, and the city systems' live figures. Answers 202 with the job; its result names the download."""
    with session_scope(request.app.state.engine) as session:
        if body.city:
            member = registry.get_city(session, body.city)
            access.require_contacts_reader(session, principal, member)
        else:
            member = None
            access.require_secretariat(principal)
        seat = record_city_id(session, principal, member)
    params = {"year": body.year, "fmt": body.format, "lang": language(request), "city": body.city}
    return start_job(request, "ascn.report", params, principal=principal, city_id=seat)


@router.get(
    "/ascn/reports/files/{job_id}",
    summary="Download a finished report",
    response_class=FileResponse,
    responses={**problems(401, 403, 404), 200: {"content": {"application/pdf": {}, XLSX: {}}}},
)
def download_report(
    job_id: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> FileResponse:
    """The report a finished job wrote, for the user who asked for it (and the secretariat)."""
    from kotacerdas.ascn.jobs import reports_dir
    from kotacerdas.core import jobs
    from kotacerdas.core.errors import NotAuthenticated, NotFound, PermissionDenied

    if principal is None:
        raise NotAuthenticated(N_("Sign in to do this"))
    row = jobs.get_job(session, job_id)
    if row.kind != "ascn.report" or row.status != jobs.DONE or not row.result:
        raise NotFound(N_("No report from job {id}"), id=job_id)
    if not (principal.is_superuser or row.user_id == principal.user_id or access.is_secretariat(principal)):
        raise PermissionDenied(N_("You do not have the role needed for this in this city"))
    path = reports_dir(request.app.state.settings.data_dir) / f"{job_id}-{row.result['filename']}"
    if not path.is_file():
        raise NotFound(N_("No report from job {id}"), id=job_id)
    return FileResponse(path, media_type=row.result["media_type"], filename=row.result["filename"])


ROWS = {"type": "array", "items": {"type": "object"}}
DATASET = {
    "type": "object",
    "required": ["dataset", "licence", "count", "items"],
    "properties": {
        "dataset": {"type": "string"},
        "licence": {"type": "string"},
        "count": {"type": "integer"},
        "items": ROWS,
    },
}


@router.get(
    "/ascn/exports/{dataset}.{fmt}",
    summary="Open data export (public)",
    response_class=Response,
    responses={
        **problems(400, 422),
        200: {"content": {"text/csv": {"schema": {"type": "string"}}, "application/json": {"schema": DATASET}}},
    },
)
def export(
    dataset: str = Path(..., description=", ".join(exports.DATASETS)),
    fmt: str = Path(..., pattern="^(csv|json)$"),
    session: Session = DB_SESSION,
) -> Response:
    """Cities, projects, partners, programmes, partnerships, indicator values or practices, public fields only,
    as CSV (UTF-8 with BOM) or JSON."""
    rows = opendata.dataset_rows(session, dataset)
    if fmt == "csv":
        return Response(
            exports.to_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="ascn-{dataset}.csv"'},
        )
    return Response(exports.to_json(rows, dataset), media_type="application/json")


@router.get(
    "/ascn/exports/fiware/key-performance-indicators",
    summary="Project indicators as FIWARE KeyPerformanceIndicator entities (public)",
    response_class=Response,
    responses={200: {"content": {LD_JSON: {"schema": ROWS}}}},
)
def fiware_kpis(request: Request, session: Session = DB_SESSION) -> Response:
    """NGSI-LD key-values entities of the Smart Data Models' KeyPerformanceIndicator, one per measured value."""
    import json

    lang = language(request)
    out = []
    for pr in records.projects(session, select(AscnProject).order_by(AscnProject.id)):
        country = gettext(framework.ASEAN_COUNTRIES.get(pr["country"], pr["country"]), lang)
        for ind in records.indicators(session, pr["id"]):
            out.extend(fiware.kpi_entities(pr, ind, country))
    return Response(json.dumps(out, ensure_ascii=False), media_type=LD_JSON)


@router.get(
    "/ascn/exports/fiware/organizations",
    summary="Partners as FIWARE Organization entities (public)",
    response_class=Response,
    responses={200: {"content": {LD_JSON: {"schema": ROWS}}}},
)
def fiware_organizations(session: Session = DB_SESSION) -> Response:
    """NGSI-LD key-values entities of the Smart Data Models' Organization, public fields only."""
    import json

    body = [fiware.organization_entity(p) for p in records.partners(session)]
    return Response(json.dumps(body, ensure_ascii=False), media_type=LD_JSON)
