"""Road Manager's card on the home page: network length, length surveyed, jalan mantap."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City


def home_figures(session: Session, city: City) -> list[tuple[str, str]]:
    """Road network length, length surveyed and the jalan mantap share; nothing when no network is stored."""
    from kotacerdas.roads.store.condition import city_totals, surveyed_km

    totals = city_totals(session, city.id)
    if totals.segments == 0:
        return []
    share = totals.mantap
    return [
        (N_("Road network"), f"{totals.network_m / 1000:.1f} km"),
        (N_("Surveyed"), f"{surveyed_km(session, city.id):.1f} km"),
        (N_("Jalan mantap"), f"{share * 100:.1f} %" if share is not None else "–"),
    ]
