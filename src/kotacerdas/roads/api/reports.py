"""The road condition report of a city as an Excel workbook (``roads.report``: any member of the city)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import DB_SESSION, authorize, language, optional_principal
from kotacerdas.http.schemas import problems
from kotacerdas.roads.services.report import report_workbook

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
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> Response:
    """The length per Bina Marga class and the *jalan mantap* share per kecamatan (with the city's total) and per
    road, and how they were measured, as an Excel workbook to download."""
    city = accounts.get_city(session, code)
    authorize(principal, "roads.report", city.id)
    data = report_workbook(session, city, language(request))
    name = f"kondisi-jalan-{city.code}.xlsx"
    return XLSXResponse(data, headers={"Content-Disposition": f'attachment; filename="{name}"'})
