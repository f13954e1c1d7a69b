"""The links of a signed-in user's own screens: what the navigation bar and the account page offer them.

Each domain names its staff screens in ``DOMAIN.staff`` (permission, label, URL with ``{city}``);
the platform adds its city administration. A link appears when the user holds the permission,
in the page's city when they hold it there (else the screen picks their own city).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


def staff_entries() -> list[tuple[str, str, str]]:
    from kotacerdas.core.registry import domains

    out: list[tuple[str, str, str]] = []
    for d in domains():
        out.extend(d.staff)
    return out + list(PLATFORM_STAFF)


def staff_links(principal: Principal | None, city: Any, lang: str) -> list[StaffLink]:
    """The staff screens ``principal`` may open, for the page's ``city`` (a City or ``None``)."""
    if principal is None:
        return []
    out = []
    for permission, label, url in staff_entries():
        if city is not None and principal.can(permission, city.id):
            href = url.format(city=city.code)
        elif principal.is_superuser or principal.cities_with(permission):
            href = url.split("?", 1)[0]
        else:
            continue
        out.append(StaffLink(gettext(label, lang), href, permission))
    return out
