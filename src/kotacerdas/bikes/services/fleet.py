"""The operator's fleet as database transactions: bike status and moves, new bikes, field team tasks; their lists.

The rules are those of :mod:`kotacerdas.bikes.operations` (:func:`~kotacerdas.bikes.operations.move_bike`,
:func:`~kotacerdas.bikes.operations.new_bike`, :func:`~kotacerdas.bikes.operations.open_task`,
:func:`~kotacerdas.bikes.operations.update_task`); this module loads the rows, calls them and
stores what they return. Same locking as :mod:`kotacerdas.bikes.services.rentals`: the bike
row is locked, its status changes only through a conditional update, and docks move with the
conditional ``docked`` updates (:func:`~kotacerdas.bikes.services.writes.dock`), so two
operators (or an operator and a rider) racing for a bike or a dock cannot both win.
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
from kotacerdas.bikes.services.writes import bike_gone, changed, dock, docks_full, now_or, run_write, undock
from kotacerdas.bikes.store import queries
from kotacerdas.bikes.store import ride_sql as rs
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeReservation, BikeRow, BikeSystem, BikeTask, BikeVehicleType
from kotacerdas.core import accounts
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
    user_id: int | None = None,
    now: datetime | None = None,
) -> dict:
    """Change a bike's status, its station or its battery reading (:func:`kotacerdas.bikes.operations.move_bike`).

    ``station_id`` names the station to move it into (``""`` with ``maintenance``: off its dock,
    to the workshop). A reserved bike that changes loses its reservation. The change is recorded
    in the city's audit log (by ``user_id``).
    """
    now = now_or(now)

    def body(s: Session) -> dict:
        system = st.get_system(s, system_id)
        at = s.scalar(select(BikeRow.station_pk).where(BikeRow.system_pk == system.id, BikeRow.bike_id == bike_id))
        if at is not None:  # the bike's station before the bike, as rents and returns lock them
            rs.lock_station(s.connection(), at)
        bike = st.get_bike(s, system, bike_id, lock=True)
        model, station, _vt = st.bike_context(s, bike)
        target = st.get_station(s, system, station_id) if station_id else None
        moved = operations.move_bike(
            model,
            now,
            status=status,
            station=st.station_model(target) if target is not None else None,
            off_dock=station_id == "",
            occupied={target.station_id: target.docked} if target is not None else {},
            battery=battery,
        )
        rows = {r.station_id: r for r in (station, target) if r is not None}
        docked_at = rows.get(moved.station_id) if moved.station_id is not None else None
        if (docked_at.id if docked_at else None) != bike.station_pk:
            if station is not None:
                undock(s, station.id, station.station_id)
            if docked_at is not None and not dock(s, docked_at.id, returning=False):
                raise docks_full(docked_at.station_id)
        if model.status == BikeStatus.RESERVED and moved.status != BikeStatus.RESERVED:
            s.execute(
                update(BikeReservation)
                .where(BikeReservation.bike_pk == bike.id, BikeReservation.status == "active")
                .values(status="cancelled")
                .execution_options(synchronize_session=False)
            )
        values: dict[str, Any] = {
            "status": str(moved.status),
            "last_reported": moved.last_reported,
            "station_pk": docked_at.id if docked_at else None,
            "lat": moved.lat,
            "lon": moved.lon,
            "battery": moved.battery,
        }
        changed(
            s.execute(
                update(BikeRow)
                .where(BikeRow.id == bike.id, BikeRow.status == bike.status)
                .values(**values)
                .execution_options(synchronize_session=False)
            ).rowcount,
            bike_gone(bike_id),
        )
        asked = {"status": status, "station_id": station_id, "battery": battery}
        accounts.audit(
            s,
            system.city_id,
            user_id,
            "bikes.bike.update",
            bike_id,
            **{k: v for k, v in asked.items() if v is not None},
        )
        return {"bike_id": bike_id, "status": str(moved.status), "station_id": moved.station_id}

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
    user_id: int | None = None,
) -> dict:
    """Put a new bike into service at a station with a free dock (:func:`kotacerdas.bikes.operations.new_bike`);
    audited (``user_id``: who did it, ``None`` for the demo and the command line)."""
    now = now_or(now)

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
        bike = operations.new_bike(
            bike_id,
            st.vehicle_type_model(vt),
            st.station_model(station),
            now,
            occupied={station_id: station.docked},
            battery=battery,
        )
        if not dock(s, station.id, returning=False):
            raise docks_full(station_id)
        s.add(
            BikeRow(
                city_id=system.city_id,
                system_pk=system.id,
                bike_id=bike.bike_id,
                vehicle_type_pk=vt.id,
                status=str(bike.status),
                station_pk=station.id,
                lat=bike.lat,
                lon=bike.lon,
                battery=bike.battery,
                last_reported=bike.last_reported,
            )
        )
        s.flush()
        accounts.audit(s, system.city_id, user_id, "bikes.bike.create", bike.bike_id, station_id=station_id)
        return {"bike_id": bike.bike_id, "status": str(bike.status), "station_id": bike.station_id}

    return run_write(engine, body, system_id=system_id)


def task_model(row: BikeTask) -> OperatorTask:
    """A task row as a record."""
    return OperatorTask(
        row.task_id,
        row.kind,
        row.created_at,
        row.bike_id,
        row.station_id,
        row.note,
        row.status,
        row.priority,
        row.closed_at,
    )


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


def update_task(
    engine: Engine,
    system_id: str,
    task_id: str,
    status: str,
    now: datetime | None = None,
    *,
    user_id: int | None = None,
) -> dict:
    """Move a task to ``open``, ``in_progress`` or ``done`` (:func:`kotacerdas.bikes.operations.update_task`);
    audited."""
    now = now_or(now)

    def body(s: Session) -> dict:
        system = st.get_system(s, system_id)
        row = s.scalar(
            select(BikeTask).where(BikeTask.system_pk == system.id, BikeTask.task_id == task_id).with_for_update()
        )
        if row is None:
            raise BikesError(N_("unknown task {task}"), field="task_id", status=404, task=task_id)
        task = operations.update_task(task_model(row), status, now)
        row.status, row.closed_at = task.status, task.closed_at
        accounts.audit(s, system.city_id, user_id, "bikes.task.update", task_id, status=task.status)
        return task_json(row)

    return run_write(engine, body, system_id=system_id)


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
    user_id: int | None = None,
) -> dict:
    """Open a task for the field team (:func:`kotacerdas.bikes.operations.open_task`) on a bike or a station;
    audited."""
    now = now_or(now)

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
            bike_id=task.bike_id,
            station_id=task.station_id,
            note=task.note,
            status=task.status,
            priority=task.priority,
            created_at=task.created_at,
        )
        s.add(row)
        s.flush()
        accounts.audit(s, system.city_id, user_id, "bikes.task.create", task.task_id, kind=task.kind)
        return task_json(row)

    return run_write(engine, body, system_id=system_id)


# -- lists (paged by the API) --------------------------------------------------------------------


def bike_json(row: Any) -> dict:
    """One bike of the operator's list: a ``(BikeRow, vehicle type id, station id)`` row."""
    b, vt, sid = row
    return {
        "bike_id": b.bike_id,
        "vehicle_type_id": vt,
        "status": b.status,
        "station_id": sid,
        "battery": b.battery,
        "lat": b.lat,
        "lon": b.lon,
        "last_reported": b.last_reported.isoformat(),
    }


def bikes(
    session: Session, system: BikeSystem, *, status: str | None = None, station_id: str | None = None
) -> queries.Listing:
    """The system's bikes (by status, or at a station), by bike id."""
    station = st.get_station(session, system, station_id) if station_id else None
    return queries.Listing(queries.bikes(system, status=status, station=station), bike_json, scalars=False)


def tasks(session: Session, system: BikeSystem, *, status: str | None = None) -> queries.Listing:
    """The field team's tasks (by status), open ones first and the most urgent first."""
    return queries.Listing(queries.tasks(system, status=status), task_json)


def report_json(row: Any) -> dict:
    """One broken-bike report: a ``(BikeReport, bike id)`` row."""
    r, bike_id = row
    return {"bike_id": bike_id, "note": r.note, "task_id": r.task_id, "at": r.created_at.isoformat()}


def reports(session: Session, system: BikeSystem) -> queries.Listing:
    """Broken-bike reports, the latest first."""
    return queries.Listing(queries.reports(system), report_json, scalars=False)


def open_tasks(session: Session, system: BikeSystem, *, limit: int = 50) -> list[dict]:
    """The tasks not done yet, the most urgent and oldest first (the operator's screen)."""
    return [task_json(t) for t in session.scalars(queries.tasks(system, open_only=True).limit(limit))]


def latest_reports(session: Session, system: BikeSystem, *, limit: int = 20) -> list[dict]:
    """The latest broken-bike reports, ``at`` as a date and time (the operator's screen)."""
    return [
        {**report_json((r, bike_id)), "at": r.created_at}
        for r, bike_id in session.execute(queries.reports(system).limit(limit))
    ]
