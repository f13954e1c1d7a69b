"""Files in and out: spreadsheet imports, the yearly M&E reports (PDF and Excel) and the open exports (CSV, JSON,
FIWARE Smart Data Models)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kotacerdas.ascn import framework
from kotacerdas.ascn.api.deps import record_city_id
from kotacerdas.ascn.api.schemas import ImportOut
from kotacerdas.ascn.errors import AscnError
from kotacerdas.ascn.formats import exports, fiware, report_pdf, report_xlsx
from kotacerdas.ascn.services import access, imports, opendata, registry, reports
from kotacerdas.ascn.store import records
from kotacerdas.ascn.store.tables import AscnCity, AscnProject
from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.schemas import problems
from kotacerdas.http.uploads import read_upload

router = APIRouter(tags=["ascn"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LD_JSON = "application/ld+json"


@router.post(
    "/ascn/imports",
    response_model=ImportOut,
    summary="Import partners, projects and partnerships from a spreadsheet",
    responses=problems(400, 401, 403, 404, 413, 422),
)
async def import_spreadsheet(
    request: Request,
    file: UploadFile = File(..., description=".xlsx with sheets partners, projects, partnerships; or one .csv"),
    kind: str | None = Form(None, description="For a CSV file: partners, projects or partnerships"),
    city: str | None = Form(None, description="A city officer imports for their own member city (slug)"),
    skip_invalid: bool = Form(False, description="Import the valid rows and list the others"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Every bad cell is named (sheet, row, column, reason); by default nothing is written unless every row is
    valid. The same file twice is one import. New partners that look like existing ones are listed, not merged:
    the secretariat merges them (``/ascn/partners/duplicates``)."""
    if access.is_secretariat(principal):
        member = registry.get_city(session, city) if city else None
        scope = imports.Scope(cities=None, partners=True)
    else:
        if not city:
            access.require_secretariat(principal)
        member = registry.get_city(session, city)
        access.require_city_editor(principal, member)
        scope = imports.Scope(cities={member.slug}, partners=False)
    data = await read_upload(file, request)
    seat = record_city_id(session, principal, member)
    if seat is None:
        raise AscnError(N_("No platform city keeps the import record; create one first"), status=409)
    lang = language(request)

    def run() -> dict:
        result = imports.import_file(
            session, data, file.filename or "", scope=scope, record_city_id=seat, user_id=principal.user_id, kind=kind,
            skip_invalid=skip_invalid,
        )  # fmt: skip
        if not result.already_imported:
            accounts.audit(session, seat, principal.user_id, "ascn.import", file.filename or "", created=result.created)
        return result.as_dict(lang)

    return await run_in_threadpool(run)


def _report(session: Session, year: int, fmt: str, lang: str, city: AscnCity | None) -> Response:
    data = reports.report_data(session, year, lang, city)
    name = f"ascn-{data.scope}-{year}-{lang}"
    if fmt == "pdf":
        return Response(
            report_pdf.render(data),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
        )
    return Response(
        report_xlsx.render(data),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )


FORMAT = Path(..., pattern="^(pdf|xlsx)$", description="pdf or xlsx")
YEAR = Path(..., ge=2018, le=2100)
REPORT_RESPONSES = {**problems(401, 403, 404, 422), 200: {"content": {"application/pdf": {}, XLSX: {}}}}


@router.get(
    "/ascn/reports/{year}.{fmt}",
    summary="The network's yearly M&E report (secretariat)",
    response_class=Response,
    responses=REPORT_RESPONSES,
)
def network_report(
    request: Request,
    year: int = YEAR,
    fmt: str = FORMAT,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> Response:
    """Figures computed and published, projects, indicators and partnerships of the year, in the request's
    language. Generated in the thread pool, off the event loop."""
    access.require_secretariat(principal)
    return _report(session, year, fmt, language(request), None)


@router.get(
    "/ascn/cities/{slug}/reports/{year}.{fmt}",
    summary="A member city's yearly M&E report",
    response_class=Response,
    responses=REPORT_RESPONSES,
)
def city_report(
    slug: str,
    request: Request,
    year: int = YEAR,
    fmt: str = FORMAT,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> Response:
    """For the city's own officer and administrator, and the secretariat; with the city systems' live figures."""
    city = registry.get_city(session, slug)
    access.require_contacts_reader(principal, city)
    return _report(session, year, fmt, language(request), city)


@router.get(
    "/ascn/exports/{dataset}.{fmt}",
    summary="Open data export (public)",
    response_class=Response,
    responses={**problems(400, 422), 200: {"content": {"text/csv": {}, "application/json": {}}}},
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
    responses={200: {"content": {LD_JSON: {}}}},
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
    responses={200: {"content": {LD_JSON: {}}}},
)
def fiware_organizations(session: Session = DB_SESSION) -> Response:
    """NGSI-LD key-values entities of the Smart Data Models' Organization, public fields only."""
    import json

    body = [fiware.organization_entity(p) for p in records.partners(session)]
    return Response(json.dumps(body, ensure_ascii=False), media_type=LD_JSON)
