"""The four systems on the home page, each with its live figures for the chosen city.

A domain names its figures function as ``home`` in its description (see
:mod:`kotacerdas.core.registry`); a system that has nothing stored yet says so
instead of showing invented numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.core.i18n import N_
from kotacerdas.core.models import AdminArea, City


@dataclass
class Card:
    key: str
    title: str
    subtitle: str
    figures: list[tuple[str, str]] = field(default_factory=list)
    link: str | None = None


FigureFn = Callable[[Session, City], list[tuple[str, str]]]


def system_cards(session: Session, city: City) -> list[Card]:
    """One card per system, with the figures its domain gives for ``city`` (imported only now)."""
    from kotacerdas.core.registry import domains

    cards = []
    for d in domains():
        fn: FigureFn | None = d.load("home")
        link = d.home_link
        cards.append(
            Card(
                key=d.name,
                title=d.title,
                subtitle=d.summary,
                figures=fn(session, city) if fn else [],
                link=f"{link}?city={city.code}" if link else None,
            )
        )
    return cards


def area_figures(session: Session, city: City) -> list[tuple[str, str]]:
    counts = dict(
        session.execute(
            select(AdminArea.level, func.count()).where(AdminArea.city_id == city.id).group_by(AdminArea.level)
        ).all()
    )
    return [(N_("Kecamatan"), str(counts.get("district", 0))), (N_("Desa / kelurahan"), str(counts.get("village", 0)))]
