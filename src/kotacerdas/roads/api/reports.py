"""The road condition report of a city as an Excel workbook (``roads.report``: any member of the city)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import DB_SESSION, authorize, language, optional_principal
from kotacerdas.http.downloads import attachment, filename
from kotacerdas.http.schemas import problems
from kotacerdas.roads.api.schemas import ReportFilters
from kotacerdas.roads.services.report import report_workbook
from kotacerdas.roads.store.features import parse_filters

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class XLSXResponse(Response):
    """An Excel workbook."""

    media_type = XLSX


@router.get(
    "/cities/{code}/report.xlsx",
    response_class=XLSXResponse,
    summary="Excel report per kecamatan and road (roads.report)",
    responses={
        200: {
            "description": "The workbook (sheets Kecamatan, Jalan, Info), headers in the request's language",
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        },
        **problems(401, 403, 404, 422),
    },
)
def report(
    code: str,
    request: Request,
    filters: Annotated[ReportFilters, Query()],
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> Response:
    """The length per Bina Marga class and the *jalan mantap* share per kecamatan (with the city's total) and per
    road, and how they were measured, as an Excel workbook to download. The map's filters (``since``,
    ``until``, ``class``, ``district``) select what it counts, as they select the map and its figures."""
    city = accounts.get_city(session, code)
    authorize(principal, "roads.report", city.id)
    given = {"since": filters.since, "until": filters.until, "class": filters.road_class, "district": filters.district}
    data = report_workbook(session, city, language(request), parse_filters(given))
    return XLSXResponse(data, headers=attachment(filename("kondisi-jalan", city.code, ext="xlsx")))
