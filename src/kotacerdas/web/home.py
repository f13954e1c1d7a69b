"""The four systems on the home page, each with its live figures for the chosen city.

A domain gives its figures through ``home_figures`` in its plugin (see
:mod:`kotacerdas.domains`); a system that has nothing stored yet says so
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

SYSTEMS = [
    ("roads", N_("Road Manager"), N_("Road roughness, damage and repairs from patrol-vehicle smartphones")),
    ("bikes", N_("Bike Sharing"), N_("Docked bike share between destinations, with an open GBFS feed")),
    ("lorong", N_("Lorong Wisata"), N_("Alleys turned into community spaces, with activities and indicators")),
    ("ascn", N_("ASCN network"), N_("ASEAN Smart Cities Network: projects, partners and good practices")),
]


def system_cards(session: Session, city: City) -> list[Card]:
    """One card per system, with the figures its plugin gives for ``city``."""
    from kotacerdas.domains import plugin

    cards = []
    for key, title, subtitle in SYSTEMS:
        mod = plugin(key)
        fn: FigureFn | None = getattr(mod, "home_figures", None)
        link = getattr(mod, "home_link", None)
        cards.append(
            Card(
                key=key,
                title=title,
                subtitle=subtitle,
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
