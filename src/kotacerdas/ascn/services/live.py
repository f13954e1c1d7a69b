"""Live indicators: a member city's own city systems on this server (Road Manager, Bike Sharing, Lorong Wisata)
give their figures to the projects that name them, through the platform's registry and never by importing them.

Each domain names a ``home`` figures function in its description; ``domain(name).load("home")``
gives it, and it answers ``[(label, value)]`` for a platform city. A member city that runs no
kotacerdas here, or a system with nothing recorded, gives no figures (never invented ones).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from kotacerdas.ascn.store.tables import AscnCity
from kotacerdas.core.models import City
from kotacerdas.core.registry import domain


def live_figures(session: Session, city: AscnCity, systems: Sequence[str]) -> list[dict]:
    """``[{"system", "title", "link", "figures": [(label, value)]}]`` for the systems this city runs here."""
    if city.city_id is None:
        return []
    platform_city = session.get(City, city.city_id)
    out = []
    for name in systems:
        d = domain(name)
        home = d.load("home") if d is not None else None
        if home is None:
            continue
        figures = [(str(label), str(value)) for label, value in home(session, platform_city)]
        if figures:
            link = f"{d.home_link}?city={platform_city.code}" if d.home_link else None
            out.append({"system": name, "title": d.title, "link": link, "figures": figures})
    return out
