"""Road Manager plugged into the platform: tables, API, pages, CLI, home figures and demo data."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City
from kotacerdas.roads import tables  # noqa: F401  (registers the tables)
from kotacerdas.roads.api import router as api_router
from kotacerdas.roads.cli import cli
from kotacerdas.roads.pages import router as pages_router

home_link = "/roads"

__all__ = ["api_router", "cli", "home_figures", "home_link", "load_demo", "pages_router", "tables"]


def home_figures(session: Session, city: City) -> list[tuple[str, str]]:
    """Road network length, length surveyed and the jalan mantap share; nothing when no network is stored."""
    from kotacerdas.roads.condition import city_totals, surveyed_km

    totals = city_totals(session, city.id)
    if totals.segments == 0:
        return []
    share = totals.mantap
    return [
        (N_("Road network"), f"{totals.network_m / 1000:.1f} km"),
        (N_("Surveyed"), f"{surveyed_km(session, city.id):.1f} km"),
        (N_("Jalan mantap"), f"{share * 100:.1f} %" if share is not None else "–"),
    ]


def load_demo(session: Session) -> dict:
    """The Road Manager demo (see :mod:`kotacerdas.roads.demo`)."""
    from kotacerdas.roads.demo import load_demo as load

    return load(session)
