"""The operator's CSV exports of a system: stations, bikes, trips and tasks (:mod:`kotacerdas.core.csvfile`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import fleet, stations, trips
from kotacerdas.bikes.store.tables import BikeSystem
from kotacerdas.core.csvfile import csv_text
from kotacerdas.core.i18n import N_

EXPORTS = ("stations", "bikes", "trips", "tasks")
BIKE_COLUMNS = ["bike_id", "vehicle_type_id", "status", "station_id", "battery", "lat", "lon", "last_reported"]
TRIP_COLUMNS = [
    "rental_id",
    "bike_id",
    "vehicle_type_id",
    "start_station_id",
    "end_station_id",
    "start_time",
    "end_time",
    "minutes",
    "plan_id",
    "pass_id",
    "fare",
    "credit_minutes",
    "status",
]
TASK_COLUMNS = ["task_id", "kind", "bike_id", "station_id", "note", "status", "priority", "created_at", "closed_at"]


def _rows(session: Session, listing) -> list:
    result = session.scalars(listing.statement) if listing.scalars else session.execute(listing.statement)
    return [listing.item(r) for r in result]


def _minutes(trip: dict) -> int | None:
    from datetime import datetime

    if not trip["end_time"]:
        return None
    seconds = (datetime.fromisoformat(trip["end_time"]) - datetime.fromisoformat(trip["start_time"])).total_seconds()
    return max(1, -int(-seconds // 60))


def export_csv(session: Session, system: BikeSystem, what: str) -> str:
    """The CSV text of one export (``stations``, ``bikes``, ``trips``, ``tasks``; 404 for another)."""
    if what == "stations":
        return stations.stations_csv(session, system)
    if what == "bikes":
        return csv_text(
            BIKE_COLUMNS, ([b[c] for c in BIKE_COLUMNS] for b in _rows(session, fleet.bikes(session, system)))
        )
    if what == "trips":
        rows = []
        for r in _rows(session, trips.rentals(session, system)):
            rows.append([_minutes(r) if c == "minutes" else r[c] for c in TRIP_COLUMNS])
        return csv_text(TRIP_COLUMNS, rows)
    if what == "tasks":
        return csv_text(
            TASK_COLUMNS, ([t[c] for c in TASK_COLUMNS] for t in _rows(session, fleet.tasks(session, system)))
        )
    raise BikesError(N_("No export {name}; exports are: {names}"), status=404, name=what, names=", ".join(EXPORTS))
