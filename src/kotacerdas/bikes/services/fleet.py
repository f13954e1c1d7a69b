"""Operator changes to the fleet as database transactions: bike status and moves, new bikes, tasks.

Same locking as :mod:`kotacerdas.bikes.services.rentals`: the bike row is locked, its status changes
only through a conditional update, and docks move with the conditional ``docked`` updates.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.bikes import operations
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import BikeStatus, OperatorTask
from kotacerdas.bikes.services.rentals import (
    _bike_context,
    _bike_gone,
    _changed,
    _dock,
    _docks_full,
    _now,
    _undock,
    run_write,
)
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeReservation, BikeRow, BikeTask, BikeVehicleType
from kotacerdas.core.errors import Conflict
from kotacerdas.core.i18n import N_


def set_bike(
    engine: Engine,
    system_id: str,
    bike_id: str,
    *,
    status: str | None = None,
    station_id: str | None = None,
    battery: float | None = None,
    now: datetime | None = None,
) -> dict:
    """Change a bike's status (state machine of :mod:`operations`), its station, or its battery reading.

    A rented bike changes only by ending its rental. Moving a bike to a station needs a free dock;
    ``missing`` and ``maintenance`` without a station take it off its dock.
    """
    now = _now(now)

    def body(s: Session) -> dict:
        system = st.get_system(s, system_id)
        bike = st.get_bike(s, system, bike_id, lock=True)
        model, station, _vt = _bike_context(s, system, bike)
        if bike.status == "rented":
            raise BikesError(
                N_("end the rental of bike {bike} before reporting it"),
                field="status",
                status=409,
                bike=bike_id,
            )
        target_status = BikeStatus(status) if status else model.status
        if target_status == BikeStatus.RENTED:
            raise BikesError(
                N_("bike {bike} cannot go from {current} to {target}"),
                field="status",
                status=409,
                bike=bike_id,
                current=bike.status,
                target="rented",
            )
        if target_status != model.status:
            operations.transition(model, target_status, now)
        new_station = st.get_station(s, system, station_id) if station_id else station
        if target_status == BikeStatus.MISSING or (station_id == "" and target_status == BikeStatus.MAINTENANCE):
            new_station = None
        if new_station is None and target_status in (BikeStatus.AVAILABLE, BikeStatus.RESERVED):
            raise BikesError(
                N_("bike {bike} needs a station to be available"),
                field="station_id",
                status=409,
                bike=bike_id,
            )
        if (new_station.id if new_station else None) != bike.station_pk:
            if bike.station_pk is not None:
                _undock(s, bike.station_pk, station.station_id)
            if new_station is not None and not _dock(s, new_station.id, returning=False):
                raise _docks_full(new_station.station_id)
        if model.status == BikeStatus.RESERVED and target_status != BikeStatus.RESERVED:
            s.execute(
                update(BikeReservation)
                .where(BikeReservation.bike_pk == bike.id, BikeReservation.status == "active")
                .values(status="cancelled")
                .execution_options(synchronize_session=False)
            )
        values: dict[str, Any] = {
            "status": str(target_status),
            "last_reported": now,
            "station_pk": new_station.id if new_station else None,
        }
        if new_station is not None:
            values.update(lat=float(new_station.geom.y), lon=float(new_station.geom.x))
        if battery is not None:
            values["battery"] = battery
        _changed(
            s.execute(
                update(BikeRow)
                .where(BikeRow.id == bike.id, BikeRow.status == bike.status)
                .values(**values)
                .execution_options(synchronize_session=False)
            ).rowcount,
            _bike_gone(bike_id),
        )
        return {
            "bike_id": bike_id,
            "status": str(target_status),
            "station_id": new_station.station_id if new_station else None,
        }

    return run_write(engine, body, system_id=system_id)


def add_bike(
    engine: Engine,
    system_id: str,
    bike_id: str,
    vehicle_type_id: str,
    station_id: str,
    *,
    battery: float | None = None,
    now: datetime | None = None,
) -> dict:
    """Put a new bike into service at a station with a free dock."""
    now = _now(now)

    def body(s: Session) -> dict:
        system = st.get_system(s, system_id)
        vt = s.scalar(
            select(BikeVehicleType).where(
                BikeVehicleType.system_pk == system.id, BikeVehicleType.vehicle_type_id == vehicle_type_id
            )
        )
        if vt is None:
            raise BikesError(
                N_("unknown vehicle type {type}"), field="vehicle_type_id", status=404, type=vehicle_type_id
            )
        station = st.get_station(s, system, station_id)
        if s.scalar(select(BikeRow.id).where(BikeRow.system_pk == system.id, BikeRow.bike_id == bike_id)):
            raise Conflict(N_("bike {bike} already exists"), field="bike_id", bike=bike_id)
        if not _dock(s, station.id, returning=False):
            raise _docks_full(station_id)
        s.add(
            BikeRow(
                city_id=system.city_id,
                system_pk=system.id,
                bike_id=bike_id,
                vehicle_type_pk=vt.id,
                status="available",
                station_pk=station.id,
                lat=float(station.geom.y),
                lon=float(station.geom.x),
                battery=battery if vt.propulsion_type != "human" else None,
                last_reported=now,
            )
        )
        s.flush()
        return {"bike_id": bike_id, "status": "available", "station_id": station_id}

    return run_write(engine, body, system_id=system_id)


def update_task(engine: Engine, system_id: str, task_id: str, status: str, now: datetime | None = None) -> dict:
    """Move a task to ``in_progress`` or ``done``."""
    now = _now(now)

    def body(s: Session) -> dict:
        system = st.get_system(s, system_id)
        row = s.scalar(
            select(BikeTask).where(BikeTask.system_pk == system.id, BikeTask.task_id == task_id).with_for_update()
        )
        if row is None:
            raise BikesError(N_("unknown task {task}"), field="task_id", status=404, task=task_id)
        if status == "done":
            model = OperatorTask(
                row.task_id,
                row.kind,
                row.created_at,
                row.bike_id,
                row.station_id,
                row.note,
                row.status,
                row.priority,
            )
            done = operations.close_task(model, now)
            row.status, row.closed_at = done.status, done.closed_at
        elif status in ("open", "in_progress"):
            row.status = status
        else:
            raise BikesError(N_("unknown task status {value}"), field="status", value=status)
        return task_json(row)

    return run_write(engine, body, system_id=system_id)


def task_json(row: BikeTask) -> dict:
    return {
        "task_id": row.task_id,
        "kind": row.kind,
        "bike_id": row.bike_id,
        "station_id": row.station_id,
        "note": row.note,
        "status": row.status,
        "priority": row.priority,
        "created_at": row.created_at.isoformat(),
        "closed_at": row.closed_at.isoformat() if row.closed_at else None,
    }


def create_task(
    engine: Engine,
    system_id: str,
    kind: str,
    *,
    bike_id: str | None = None,
    station_id: str | None = None,
    note: str = "",
    priority: int = 2,
    now: datetime | None = None,
) -> dict:
    now = _now(now)

    def body(s: Session) -> dict:
        system = st.get_system(s, system_id)
        if bike_id:
            st.get_bike(s, system, bike_id)
        if station_id:
            st.get_station(s, system, station_id)
        task = operations.open_task(
            kind, st.new_id("task"), now, bike_id=bike_id, station_id=station_id, note=note, priority=priority
        )
        row = BikeTask(
            city_id=system.city_id,
            system_pk=system.id,
            task_id=task.task_id,
            kind=task.kind,
            bike_id=bike_id,
            station_id=station_id,
            note=note,
            status="open",
            priority=priority,
            created_at=now,
        )
        s.add(row)
        s.flush()
        return task_json(row)

    return run_write(engine, body, system_id=system_id)
