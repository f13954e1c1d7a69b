"""Road Manager's card on the home page: network length, length surveyed, jalan mantap."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kotacerdas.core.formats import Quantity
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City


def home_figures(session: Session, city: City) -> list[tuple[str, Quantity]]:
    """Road network length, length surveyed and the jalan mantap share; nothing when no network is stored."""
    from kotacerdas.roads.store.condition import city_totals, surveyed_km

    totals = city_totals(session, city.id)
    if totals.segments == 0:
        return []
    return [
        (N_("Road network"), Quantity(totals.network_m / 1000, "km")),
        (N_("Surveyed"), Quantity(surveyed_km(session, city.id), "km")),
        (N_("Jalan mantap"), Quantity(totals.mantap, "percent")),
    ]
