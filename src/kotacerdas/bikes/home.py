"""Bike Sharing's card on the home page: stations, bikes available and recent trips of a city."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.core.i18n import N_


def home_figures(session: Session, city) -> list[tuple[str, int]]:
    """Stations, bikes available and trips of the last 7 days over the city's systems; nothing without a system."""
    from kotacerdas.bikes.store.tables import BikeRental, BikeRow, BikeStation, BikeSystem
    from kotacerdas.core.db import utcnow

    systems = select(BikeSystem.id).where(BikeSystem.city_id == city.id)
    if session.scalar(select(func.count()).select_from(systems.subquery())) == 0:
        return []
    stations = session.scalar(select(func.count()).where(BikeStation.system_pk.in_(systems))) or 0
    available = (
        session.scalar(select(func.count()).where(BikeRow.system_pk.in_(systems), BikeRow.status == "available")) or 0
    )
    trips = (
        session.scalar(
            select(func.count()).where(
                BikeRental.system_pk.in_(systems), BikeRental.start_time >= utcnow() - timedelta(days=7)
            )
        )
        or 0
    )
    return [
        (N_("Bike stations"), stations),
        (N_("Bikes available"), available),
        (N_("Bike trips, last 7 days"), trips),
    ]
