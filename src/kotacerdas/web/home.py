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
    figures: list[tuple[str, object]] = field(default_factory=list)
    link: str | None = None
    empty: str = N_("Nothing recorded yet for this city.")


#: ``(label, value)``: the value a :class:`kotacerdas.core.formats.Quantity`, a count or text (formatted by the page).
FigureFn = Callable[[Session, City], list[tuple[str, object]]]


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
                empty=d.home_empty or Card.empty,
            )
        )
    return cards


def area_counts(session: Session, city: City) -> dict[str, int]:
    """How many admin areas of each level the city has stored."""
    return dict(
        session.execute(
            select(AdminArea.level, func.count()).where(AdminArea.city_id == city.id).group_by(AdminArea.level)
        ).all()
    )


def area_figures(session: Session, city: City) -> list[tuple[str, object]]:
    counts = area_counts(session, city)
    return [(N_("Kecamatan"), counts.get("district", 0)), (N_("Desa / kelurahan"), counts.get("village", 0))]


def area_map_context(session: Session, city: City) -> dict[str, object]:
    """What the admin-area map says beside the boundaries: counts per level, whether any is generated."""
    from kotacerdas.core.admin_areas import is_generated

    areas = session.scalars(select(AdminArea).where(AdminArea.city_id == city.id))
    return {"area_counts": area_counts(session, city), "areas_generated": any(is_generated(a) for a in areas)}
