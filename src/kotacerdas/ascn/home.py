"""The ASCN card on the home page: the chosen city's membership of the network and its projects."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City


def home_figures(session: Session, city: City) -> list[tuple[str, object]]:
    """Year joined, projects and partnerships of the member city linked to ``city``; nothing when not a member."""
    from kotacerdas.ascn.store.tables import AscnCity, AscnPartnership, AscnProject

    member = session.scalar(select(AscnCity).where(AscnCity.city_id == city.id))
    if member is None:
        return []
    projects = session.scalar(select(func.count()).where(AscnProject.city_pk == member.id)) or 0
    partnerships = session.scalar(select(func.count()).where(AscnPartnership.city_pk == member.id)) or 0
    return [
        (N_("ASCN member since"), str(member.year_joined)),
        (N_("Projects"), int(projects)),
        (N_("Partnerships"), int(partnerships)),
    ]
