"""Bike Sharing plugged into the platform: tables, API, GBFS feeds, CLI, home figures and demo data."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.bikes import tables  # noqa: F401
from kotacerdas.bikes.api import router as api_router
from kotacerdas.bikes.cli import app as cli
from kotacerdas.bikes.gbfs_api import router as public_router
from kotacerdas.bikes.pages import router as pages_router  # noqa: F401  (web screens)
from kotacerdas.core.i18n import N_

__all__ = ["api_router", "cli", "home_figures", "home_link", "load_demo", "public_router", "tables"]

home_link = "/bikes"


def home_figures(session: Session, city) -> list[tuple[str, int]]:
    """Stations, bikes available and trips of the last 7 days over the city's systems."""
    from kotacerdas.bikes.tables import BikeRental, BikeRow, BikeStation, BikeSystem
    from kotacerdas.core.db import utcnow

    systems = select(BikeSystem.id).where(BikeSystem.city_id == city.id)
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


def load_demo(session: Session) -> dict:
    """The Banyuwangi demo bike-share system (``banyuwangi``, city 35.10)."""
    from kotacerdas.bikes import feed_cache, manage

    out = manage.load_demo(session)
    feed_cache.invalidate()
    return out
