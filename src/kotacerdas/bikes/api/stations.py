"""Docking stations: the public map data and one station (public), saving, importing and removing (operators)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Request, Response, UploadFile
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kotacerdas.bikes.api import schemas as sc
from kotacerdas.bikes.api.deps import PRIVATE, engine, manager, system_for
from kotacerdas.bikes.services import stations
from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import READ_SESSION, optional_principal
from kotacerdas.http.downloads import csv_response, filename
from kotacerdas.http.schemas import FeatureCollection, GeoJSONResponse, problems
from kotacerdas.http.uploads import read_upload

router = APIRouter()


@router.get(
    "/systems/{system_id}/stations",
    response_model=FeatureCollection[sc.StationLive],
    response_model_exclude_unset=True,
    response_class=GeoJSONResponse,
    summary="Stations with live counts as GeoJSON (public map data)",
    responses=sc.PUBLIC,
)
def list_stations(system_id: str, session: Session = READ_SESSION) -> dict:
    """Every station of the system as a Point feature (id: the station id) with its bikes available per
    vehicle type, free docks, kecamatan and nearby destinations."""
    return stations.station_features(session, system_for(session, system_id))


@router.get(
    "/systems/{system_id}/stations.csv",
    response_class=Response,
    summary="Stations with live counts as CSV (public download)",
    responses={
        200: {
            "description": "One row per station (CRLF line ends, booleans true/false, coordinates with 6 decimals)",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        **sc.PUBLIC,
    },
)
def stations_download(system_id: str, session: Session = READ_SESSION) -> Response:
    """Every station of the system with its capacity, free docks, bikes available, kecamatan and GBFS region,
    as a CSV file to download (the columns the station import reads, and the live counts)."""
    system = system_for(session, system_id)
    return csv_response(stations.stations_csv(session, system), filename("stations", system_id, ext="csv"))


@router.get(
    "/systems/{system_id}/stations/{station_id}",
    response_model=sc.StationDetail,
    summary="One station with live counts (public)",
    responses=sc.PUBLIC,
)
def get_station(
    system_id: str,
    station_id: str,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """A station with its live counts and the bikes available in it. The public sees each bike by its rotating
    GBFS ``vehicle_id`` (new after every trip); the system's staff (``bikes.read_private``) see its ``bike_id``."""
    system = system_for(session, system_id)
    staff = principal is not None and principal.can(PRIVATE, system.city_id)
    return stations.station_detail(session, system, station_id, staff=staff)


@router.post(
    "/systems/{system_id}/stations",
    status_code=201,
    response_model=sc.Station,
    summary="Create a station (operator; 409 when its id is in use)",
    responses=sc.OPERATOR_WRITE,
)
def post_station(
    system_id: str,
    body: sc.StationBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """Create the station ``station_id`` (``bikes.manage``). An id already in use is refused (409: change that
    station with PATCH instead), so a reused code never overwrites a station; the point must lie in the city
    (its admin areas, or near its centre when it has none: 400 otherwise). Its kecamatan comes from the
    city's admin areas; audited with the station as created (undoable)."""
    user = manager(session, system_id, principal)
    return stations.create(engine(request), system_id, body.model_dump(exclude_unset=True), user_id=user.user_id)


@router.patch(
    "/systems/{system_id}/stations/{station_id}",
    response_model=sc.Station,
    summary="Change a station (operator)",
    responses=sc.OPERATOR_WRITE,
)
def patch_station(
    system_id: str,
    station_id: str,
    body: sc.StationBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """Change the fields given of an existing station (``bikes.manage``; 404 for an unknown one; a capacity
    below the bikes standing there is 409; a point outside the city 400); audited with the station before and
    after (undoable)."""
    user = manager(session, system_id, principal)
    data = body.model_dump(exclude_unset=True)
    return stations.change(engine(request), system_id, station_id, data, user_id=user.user_id)


@router.delete(
    "/systems/{system_id}/stations/{station_id}",
    status_code=204,
    response_class=Response,
    summary="Remove an empty station (operator)",
    responses=problems(401, 403, 404, 409, 422),
)
def delete_station(
    system_id: str,
    station_id: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> Response:
    """Remove a station that holds no bike (``bikes.manage``; 409 while bikes stand in it); audited. Answers
    204 with no body."""
    user = manager(session, system_id, principal)
    stations.delete(engine(request), system_id, station_id, user_id=user.user_id)
    return Response(status_code=204)


@router.post(
    "/systems/{system_id}/station-changes/{change_id}/undo",
    response_model=sc.ChangeUndone,
    summary="Undo a recorded change of stations (operator)",
    responses=sc.OPERATOR_WRITE,
)
def undo_station_change(
    system_id: str,
    change_id: int,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """Put the stations of a recorded change (creating, changing, removing or importing stations: an entry of
    the city's audit log) back as they were before it (``bikes.manage``); 409 when a station was changed
    again since or the change was undone already. The undo is audited itself."""
    user = manager(session, system_id, principal)
    return stations.undo(engine(request), system_id, change_id, user_id=user.user_id)


@router.post(
    "/systems/{system_id}/stations/import",
    response_model=sc.StationsImported,
    summary="Import stations from CSV or GeoJSON (operator)",
    responses=sc.OPERATOR_UPLOAD,
)
async def import_stations(
    system_id: str,
    request: Request,
    file: UploadFile = File(..., description="CSV (station_id,name,lat,lon,capacity,...) or GeoJSON Points"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """Create or update the stations of a file, all or none (``bikes.manage``): a bad row refuses the file,
    naming the row and the field; audited."""
    user = await run_in_threadpool(manager, session, system_id, principal)
    data = await read_upload(file, request)
    name = file.filename or ""
    return await run_in_threadpool(stations.import_file, engine(request), system_id, data, name, user_id=user.user_id)
