"""Rentals and trip history for operators: every rental of a system, and trip history CSV imports."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kotacerdas.bikes.api import schemas as sc
from kotacerdas.bikes.api.deps import PRIVATE, engine, manager, page_of, system_for
from kotacerdas.bikes.services import trips
from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import READ_SESSION, optional_principal
from kotacerdas.http.pagination import Page, Paged, page_params
from kotacerdas.http.uploads import read_upload

router = APIRouter()


@router.get(
    "/systems/{system_id}/rentals",
    response_model=Paged[sc.Rental],
    summary="Every rental and imported trip (operator)",
    responses=sc.OPERATOR_READ,
)
def list_rentals(
    system_id: str,
    request: Request,
    status: str | None = Query(None, description="Only rentals with this status (active, ended)"),
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """The system's rentals, imported trips and demo trips, the latest first (``bikes.read_private``)."""
    system = system_for(session, system_id, principal, PRIVATE)
    return page_of(session, trips.rentals(session, system, status=status), page, request)


@router.post(
    "/systems/{system_id}/trips/import",
    response_model=sc.TripsImported,
    summary="Import a trip history CSV (operator, idempotent)",
    responses=sc.OPERATOR_UPLOAD,
)
async def import_trips(
    system_id: str,
    request: Request,
    file: UploadFile = File(
        ..., description="CSV: trip_id,bike_id,start_station_id,end_station_id,start_time,end_time"
    ),
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """Store past trips as ended rentals (``bikes.manage``): the same file twice is one import (its SHA-256),
    a trip id already stored is skipped, a bad row refuses the file naming the row and the field; audited."""
    user = await run_in_threadpool(manager, session, system_id, principal)
    data = await read_upload(file, request)
    name = file.filename or ""
    return await run_in_threadpool(trips.import_file, engine(request), system_id, data, name, user_id=user.user_id)
