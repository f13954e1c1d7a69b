"""A city's survey vehicles (private, ``roads.read_private``): the list with their calibration; registering one
and calibrating it from a drive over a reference section (``roads.manage``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.jobs import job_folder, new_id
from kotacerdas.http.deps import DB_SESSION, authorize, city_id_of, optional_principal
from kotacerdas.http.jobs import JobOut, start_job
from kotacerdas.http.schemas import problems
from kotacerdas.http.uploads import received
from kotacerdas.roads.api.schemas import Calibration, Vehicle, VehicleCreate
from kotacerdas.roads.services import vehicles

router = APIRouter()


@router.get(
    "/cities/{code}/vehicles",
    response_model=list[Vehicle],
    summary="Survey vehicles and their calibration (private)",
    responses=problems(401, 403, 404, 422),
)
def list_vehicles(
    code: str, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> list[dict[str, Any]]:
    """The survey vehicles of a city, by id, with their calibration (``null``: surveys use the flagged default)."""
    city = accounts.get_city(session, code)
    authorize(principal, "roads.read_private", city.id)
    return [vehicles.vehicle_json(v) for v in vehicles.city_vehicles(session, city.id)]


@router.post(
    "/cities/{code}/vehicles",
    status_code=201,
    response_model=Vehicle,
    summary="Register a survey vehicle (roads.manage)",
    responses=problems(400, 401, 403, 404, 422),
)
def create_vehicle(
    code: str,
    body: VehicleCreate,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """Register a survey vehicle (uncalibrated), or rename one already registered."""
    city = accounts.get_city(session, code)
    principal = authorize(principal, "roads.manage", city.id)
    v = vehicles.register_vehicle(session, city.id, body.id, body.name)
    accounts.audit(session, city.id, principal.user_id, "roads.vehicle.create", v.code)
    return vehicles.vehicle_json(v)


@router.post(
    "/cities/{code}/vehicles/{vehicle_id}/calibration",
    status_code=202,
    response_model=JobOut[Calibration],
    summary="Calibrate a vehicle from a drive over a reference section (roads.manage): a background job",
    responses=problems(400, 401, 403, 404, 413, 422),
)
async def calibrate_vehicle(
    code: str,
    vehicle_id: str,
    request: Request,
    survey: UploadFile = File(..., description="the calibration drive (a survey file)"),
    reference: UploadFile = File(..., description="CSV from_m,to_m,iri_m_per_km, or a profile (ERD or CSV)"),
    principal: Principal | None = Depends(optional_principal),
) -> JSONResponse:
    """Fit and store a vehicle's coefficients from a drive over a section of known IRI (a reference CSV per
    interval, or a longitudinal profile), as a background job answering 202; the vehicle is registered when new.
    The job's result is a `Calibration`."""
    city_id = await run_in_threadpool(city_id_of, request, code)
    who = authorize(principal, "roads.manage", city_id)
    job_id = new_id()
    folder = job_folder(request.app.state.settings, job_id)
    async with received(reference, request) as ref:
        ref_path = ref.keep(folder / "reference")
        async with received(survey, request) as drive:
            return await run_in_threadpool(
                start_job,
                request,
                "roads.calibrate",
                {"city": code, "vehicle": vehicle_id, "reference": str(ref_path)},
                principal=who,
                city_id=city_id,
                upload=drive,
                job_id=job_id,
            )
