"""The ``select()`` of every Bike Sharing list: its filters and order, counted and sliced by the caller in SQL.

A service hands a :class:`Listing` (the statement and how one row becomes a JSON item) to the
API, which pages it with :func:`kotacerdas.http.pagination.paginate`; nothing here loads every
row to page in Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from kotacerdas.bikes import ledger as ledgers
from kotacerdas.bikes.store.tables import (
    BikeAlert,
    BikePosting,
    BikePricingPlan,
    BikeRental,
    BikeReport,
    BikeRider,
    BikeRow,
    BikeStation,
    BikeSystem,
    BikeTask,
    BikeTransaction,
    BikeVehicleType,
)
from kotacerdas.core.models import City


@dataclass(frozen=True)
class Listing:
    """A list to page: the statement (filters and order), the JSON item of one row, ORM objects or row tuples."""

    statement: Select
    item: Callable[[Any], Any]
    scalars: bool = True


def systems(city: str | None = None) -> Select:
    """``(BikeSystem, city code)`` of every system (of one city), by system id."""
    stmt = select(BikeSystem, City.code).join(City, City.id == BikeSystem.city_id).order_by(BikeSystem.system_id)
    return stmt.where(City.code == city) if city else stmt


def stations(system: BikeSystem) -> Select:
    """The system's stations, by station id."""
    return select(BikeStation).where(BikeStation.system_pk == system.id).order_by(BikeStation.station_id)


def vehicle_types(system: BikeSystem) -> Select:
    """The system's vehicle types, in the order they were added."""
    return select(BikeVehicleType).where(BikeVehicleType.system_pk == system.id).order_by(BikeVehicleType.id)


def plans(system: BikeSystem, *, active_only: bool = False) -> Select:
    """The system's pricing plans (only the active ones), in the order they were added."""
    stmt = select(BikePricingPlan).where(BikePricingPlan.system_pk == system.id)
    if active_only:
        stmt = stmt.where(BikePricingPlan.is_active.is_(True))
    return stmt.order_by(BikePricingPlan.id)


def alerts(system: BikeSystem) -> Select:
    """The system's alerts, in the order they were published."""
    return select(BikeAlert).where(BikeAlert.system_pk == system.id).order_by(BikeAlert.id)


def available_bikes_at(station: BikeStation) -> Select:
    """``(BikeRow, vehicle type id)`` of the bikes available at a station, by bike id."""
    return (
        select(BikeRow, BikeVehicleType.vehicle_type_id)
        .join(BikeVehicleType, BikeVehicleType.id == BikeRow.vehicle_type_pk)
        .where(BikeRow.station_pk == station.id, BikeRow.status == "available")
        .order_by(BikeRow.bike_id)
    )


def bikes(system: BikeSystem, *, status: str | None = None, station: BikeStation | None = None) -> Select:
    """``(BikeRow, vehicle type id, station id)`` of the system's bikes (by status, at a station), by bike id."""
    stmt = (
        select(BikeRow, BikeVehicleType.vehicle_type_id, BikeStation.station_id)
        .join(BikeVehicleType, BikeVehicleType.id == BikeRow.vehicle_type_pk)
        .outerjoin(BikeStation, BikeStation.id == BikeRow.station_pk)
        .where(BikeRow.system_pk == system.id)
    )
    if status:
        stmt = stmt.where(BikeRow.status == status)
    if station is not None:
        stmt = stmt.where(BikeRow.station_pk == station.id)
    return stmt.order_by(BikeRow.bike_id)


def tasks(system: BikeSystem, *, status: str | None = None, open_only: bool = False) -> Select:
    """The system's tasks (of one status, or not done), by status, priority and age."""
    stmt = select(BikeTask).where(BikeTask.system_pk == system.id)
    if status:
        stmt = stmt.where(BikeTask.status == status)
    if open_only:
        stmt = stmt.where(BikeTask.status != "done")
        return stmt.order_by(BikeTask.priority, BikeTask.created_at)
    return stmt.order_by(BikeTask.status, BikeTask.priority, BikeTask.created_at)


def reports(system: BikeSystem) -> Select:
    """``(BikeReport, bike id)`` of the system's broken-bike reports, the latest first."""
    return (
        select(BikeReport, BikeRow.bike_id)
        .join(BikeRow, BikeRow.id == BikeReport.bike_pk)
        .where(BikeReport.system_pk == system.id)
        .order_by(BikeReport.id.desc())
    )


def rentals(system: BikeSystem, *, status: str | None = None) -> Select:
    """The system's rentals and imported trips (of one status), the latest first."""
    stmt = select(BikeRental).where(BikeRental.system_pk == system.id)
    if status:
        stmt = stmt.where(BikeRental.status == status)
    return stmt.order_by(BikeRental.start_time.desc(), BikeRental.id.desc())


def rider_rentals(rider: BikeRider) -> Select:
    """A rider's rentals, the latest first."""
    return (
        select(BikeRental)
        .where(BikeRental.rider_pk == rider.id)
        .order_by(BikeRental.start_time.desc(), BikeRental.id.desc())
    )


def wallet_statement(rider: BikeRider) -> Select:
    """``(BikeTransaction, amount)`` of every movement of a rider's wallet, the latest first."""
    return (
        select(BikeTransaction, BikePosting.amount)
        .join(BikePosting, BikePosting.transaction_pk == BikeTransaction.id)
        .where(BikeTransaction.rider_pk == rider.id, BikePosting.account == ledgers.wallet(rider.rider_id))
        .order_by(BikeTransaction.id.desc())
    )
