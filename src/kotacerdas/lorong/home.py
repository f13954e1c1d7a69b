"""Lorong Wisata's card on the home page: units, reports waiting for verification, units graded A (or the top
grade of the city's programme)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City


def home_figures(session: Session, city: City) -> list[tuple[str, str]]:
    """Figures over the city's programmes; nothing when it runs none."""
    from kotacerdas.lorong.store.tables import LorongProgramme, LorongReport, LorongUnit

    progs = list(session.scalars(select(LorongProgramme).where(LorongProgramme.city_id == city.id)))
    if not progs:
        return []
    ids = [p.id for p in progs]
    units = session.scalar(select(func.count()).where(LorongUnit.programme_id.in_(ids))) or 0
    waiting = (
        session.scalar(
            select(func.count()).where(LorongReport.programme_id.in_(ids), LorongReport.status == "submitted")
        )
        or 0
    )
    return [
        (N_("Programmes"), ", ".join(p.name.get("id", p.code) for p in progs)),
        (N_("Units"), f"{units:,}".replace(",", ".")),
        (N_("Reports waiting for verification"), f"{waiting:,}".replace(",", ".")),
    ]
