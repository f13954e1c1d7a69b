"""Survey vehicles and their calibration: register a vehicle, fit its coefficients from a drive over a
reference section, read the coefficients a survey is processed with; the camera model that places its damages.

:func:`calibrate_vehicle` fits a vehicle's coefficients from a drive over a reference
section (:func:`kotacerdas.roads.roughness.calibrate`) and stores them; a vehicle never
calibrated is processed with the flagged default (:func:`vehicle_calibration`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import limits
from kotacerdas.core.db import utcnow
from kotacerdas.core.errors import NotFound
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City
from kotacerdas.network.store import city_graph
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.survey import import_survey
from kotacerdas.roads.iri import LongitudinalProfile, read_profile
from kotacerdas.roads.map_matching import MapMatcher
from kotacerdas.roads.placement import CameraModel
from kotacerdas.roads.processing import INTERVAL_M
from kotacerdas.roads.roughness import (
    ReferenceIRI,
    VehicleCalibration,
    calibrate,
    default_calibration,
    parse_reference_csv,
    prepare_survey,
)
from kotacerdas.roads.services.extent import check_in_city
from kotacerdas.roads.store.tables import RoadVehicle


def get_vehicle(session: Session, city_id: int, code: str) -> RoadVehicle | None:
    """The vehicle ``code`` of a city, or ``None``."""
    return session.scalar(select(RoadVehicle).where(RoadVehicle.city_id == city_id, RoadVehicle.code == code))


def city_vehicle(session: Session, city_id: int, code: str) -> RoadVehicle:
    """The vehicle ``code`` of a city.

    Raises
    ------
    NotFound
        No such vehicle in the city.
    """
    v = get_vehicle(session, city_id, code)
    if v is None:
        raise NotFound(N_("No vehicle {id} in this city"), id=code)
    return v


def vehicle_camera(vehicle: RoadVehicle) -> CameraModel:
    """The vehicle's camera model (the default phone on a windscreen when none was set)."""
    return CameraModel.from_dict(vehicle.camera)


def set_camera(vehicle: RoadVehicle, **changes: float) -> CameraModel:
    """Change the vehicle's camera model: the settings given replace the stored ones, the others stay; checked
    against :data:`kotacerdas.roads.placement.CAMERA_LIMITS`. Captures imported after it use it, earlier ones keep
    theirs.

    Raises
    ------
    RoadsError
        A setting out of its range, naming it.
    """
    camera = replace(vehicle_camera(vehicle), **{k: float(v) for k, v in changes.items()})
    vehicle.camera = camera.to_dict()
    return camera


def ensure_vehicle(session: Session, city_id: int, code: str, name: str = "") -> RoadVehicle:
    """The vehicle ``code`` of a city, created (uncalibrated) when new."""
    code = (code or "").strip()
    if not code or len(code) > 80:
        raise RoadsError(N_("a vehicle id of 1 to 80 characters is needed"), field="vehicle")
    vehicle = get_vehicle(session, city_id, code)
    if vehicle is None:
        vehicle = RoadVehicle(city_id=city_id, code=code, name=name or code, calibrated=False)
        session.add(vehicle)
        session.flush()
    return vehicle


def vehicle_calibration(vehicle: RoadVehicle) -> VehicleCalibration:
    """The stored calibration of a vehicle, or the flagged default when it has none."""
    if vehicle.calibration and vehicle.calibrated:
        return VehicleCalibration.from_dict(vehicle.calibration)
    return default_calibration(vehicle.code)


def load_reference(path: str | Path) -> ReferenceIRI | LongitudinalProfile:
    """A calibration reference: CSV ``from_m,to_m,iri_m_per_km``, or a longitudinal profile (ERD or CSV)."""
    p = Path(path)
    if not p.is_file():
        raise RoadsError(N_("reference file {file} does not exist"), field="reference", file=p.name)
    if p.suffix.lower() == ".erd":
        return read_profile(p)
    text = limits.utf8(p.read_bytes(), p.name)
    head = text.splitlines()[0].lower() if text.strip() else ""
    if "from_m" in head or "iri" in head:
        return parse_reference_csv(text)
    return read_profile(p)


def calibrate_vehicle(
    session: Session,
    city: City,
    vehicle_code: str,
    survey_path: str | Path | Sequence[str | Path],
    reference: str | Path | Sequence[str | Path],
    *,
    interval_m: float = INTERVAL_M,
) -> VehicleCalibration:
    """Calibrate a vehicle from one or several drives over reference sections and store its coefficients.

    Several runs (one reference each) are fitted together; a run that does not follow its
    reference is left out with the reason (``calibration.runs``), and a calibration whose fit
    is too poor is refused with the reason (nothing is stored then). Each drive's distance
    comes from the odometer (Doppler speed, stops, dropouts: :mod:`kotacerdas.roads.odometer`),
    placed on the city's network when it has one.
    """
    paths = [survey_path] if isinstance(survey_path, (str, Path)) else list(survey_path)
    refs = [reference] if isinstance(reference, (str, Path)) else list(reference)
    if len(paths) != len(refs):
        raise RoadsError(N_("give one reference per calibration drive"), field="reference")
    loaded = [load_reference(r) for r in refs]  # cheap and strict: before any drive is processed
    graph = city_graph(session, city.id)
    matcher = MapMatcher(graph) if graph.segments else None
    preps = []
    for path in paths:
        streams = import_survey(path).streams
        check_in_city(session, city, streams.track, Path(path).name)
        tr = streams.track
        where = matcher.match(tr.lon, tr.lat, tr.t, tr.speed).path_positions() if matcher is not None else None
        preps.append(prepare_survey(streams, interval_m=interval_m, path=where))
    vehicle = ensure_vehicle(session, city.id, vehicle_code)
    cal = calibrate(preps, loaded, vehicle_id=vehicle.code, interval_m=interval_m)
    vehicle.calibration = cal.to_dict()
    vehicle.calibrated = True
    vehicle.calibrated_at = utcnow()
    session.flush()
    return cal


def vehicle_json(v: RoadVehicle) -> dict:
    return {
        "id": v.code,
        "name": v.name,
        "calibrated": v.calibrated,
        "calibrated_at": v.calibrated_at.isoformat() if v.calibrated_at else None,
        "calibration": v.calibration,
    }


def city_vehicles(session: Session, city_id: int) -> list[RoadVehicle]:
    """The survey vehicles of a city, by id."""
    return list(session.scalars(select(RoadVehicle).where(RoadVehicle.city_id == city_id).order_by(RoadVehicle.code)))


def register_vehicle(session: Session, city_id: int, code: str, name: str = "") -> RoadVehicle:
    """The vehicle ``code`` of a city, created when new; ``name`` (when given) becomes its name."""
    vehicle = ensure_vehicle(session, city_id, code, name)
    if name:
        vehicle.name = name
    return vehicle
