"""The links of a signed-in user's own screens: what the navigation bar and the account page offer them.

Each domain names its staff screens in ``DOMAIN.staff`` (permission, label, URL with ``{city}``);
the platform adds its city administration. A link appears when the user holds the permission,
in the page's city when they hold it there (else the screen picks their own city), and, for a
domain that says where its screens have something to open (``DOMAIN.staff_cities``: the bike
operator screens in cities with a bike-share system), only for those cities.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kotacerdas.core.auth import Principal
from kotacerdas.core.i18n import N_, gettext

#: The platform's own staff screens.
PLATFORM_STAFF: tuple[tuple[str, str, str], ...] = (
    ("city.read_private", N_("City administration"), "/admin?city={city}"),
)


@dataclass(frozen=True)
class StaffLink:
    label: str
    url: str
    permission: str


def staff_entries() -> list[tuple[str, str, str, str | None]]:
    """Every staff screen: (permission, label, URL, the dotted name of its cities or ``None``: every city)."""
    from kotacerdas.core.registry import domains

    out: list[tuple[str, str, str, str | None]] = []
    for d in domains():
        out.extend((permission, label, url, d.staff_cities) for permission, label, url in d.staff)
    return out + [(permission, label, url, None) for permission, label, url in PLATFORM_STAFF]


def staff_links(principal: Principal | None, city: Any, lang: str, session: Session | None = None) -> list[StaffLink]:
    """The staff screens ``principal`` may open, for the page's ``city`` (a City or ``None``); with ``session``,
    a screen only where it has something to open (``DOMAIN.staff_cities``)."""
    from kotacerdas.core.registry import resolve

    if principal is None:
        return []
    found: dict[str, set[int]] = {}

    def where(dotted: str | None) -> set[int] | None:
        if dotted is None or session is None:
            return None
        if dotted not in found:
            found[dotted] = set(resolve(dotted)(session))
        return found[dotted]

    out = []
    for permission, label, url, cities in staff_entries():
        allowed = where(cities)
        mine = principal.cities_with(permission) if allowed is None else principal.cities_with(permission) & allowed
        if city is not None and principal.can(permission, city.id) and (allowed is None or city.id in allowed):
            href = url.format(city=city.code)
        elif (principal.is_superuser and (allowed is None or bool(allowed))) or mine:
            href = url.split("?", 1)[0]
        else:
            continue
        out.append(StaffLink(gettext(label, lang), href, permission))
    return out
