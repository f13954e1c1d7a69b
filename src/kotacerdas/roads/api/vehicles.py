"""A city's survey vehicles (private, ``roads.read_private``): the list with their calibration; registering one
and calibrating it from a drive over a reference section (``roads.manage``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, UploadFile
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.http.deps import DB_SESSION, authorize, optional_principal
from kotacerdas.http.schemas import problems
from kotacerdas.http.uploads import read_upload
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
    response_model=Calibration,
    summary="Calibrate a vehicle from a drive over a reference section (roads.manage)",
    responses=problems(400, 401, 403, 404, 413, 422),
)
async def calibrate_vehicle(
    code: str,
    vehicle_id: str,
    survey: UploadFile = File(..., description="the calibration drive (a survey file)"),
    reference: UploadFile = File(..., description="CSV from_m,to_m,iri_m_per_km, or a profile (ERD or CSV)"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """Fit and store a vehicle's coefficients from a drive over a section of known IRI (a reference CSV per
    interval, or a longitudinal profile); the vehicle is registered when new."""
    city = accounts.get_city(session, code)
    principal = authorize(principal, "roads.manage", city.id)
    drive, ref = await read_upload(survey), await read_upload(reference)
    with tempfile.TemporaryDirectory(prefix="kc-cal-") as tmp:
        dp = Path(tmp) / (Path(survey.filename or "drive.zip").name or "drive.zip")
        rp = Path(tmp) / ("ref-" + (Path(reference.filename or "reference.csv").name or "reference.csv"))
        dp.write_bytes(drive)
        rp.write_bytes(ref)
        cal = vehicles.calibrate_vehicle(session, city, vehicle_id, dp, rp)
    accounts.audit(
        session,
        city.id,
        principal.user_id,
        "roads.vehicle.calibrate",
        vehicle_id,
        rmse=cal.to_dict()["fit_rmse_m_per_km"],
        intervals=cal.n_intervals,
    )
    return cal.to_dict()
