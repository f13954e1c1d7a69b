"""Load the demo: two cities, their generated kecamatan, and one user per role.

Idempotent: loading twice changes nothing. Every domain adds its own demo set
through the ``demo`` loader it names (see :mod:`kotacerdas.core.registry`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.admin_areas import import_areas
from kotacerdas.core.auth import ROLE_LABELS, Role
from kotacerdas.core.i18n import gettext
from kotacerdas.core.models import User
from kotacerdas.demo.areas import CITIES, generated_districts

DEMO_PASSWORD = "demo-kotacerdas"
#: (username, city code, role): one user per role in Banyuwangi, and a few in Makassar.
DEMO_USERS = [
    ("admin.bwi", "35.10", Role.CITY_ADMIN),
    ("jalan.bwi", "35.10", Role.ROAD_OFFICER),
    ("surveyor.bwi", "35.10", Role.FIELD_SURVEYOR),
    ("sepeda.bwi", "35.10", Role.BIKE_OPERATOR),
    ("lorong.bwi", "35.10", Role.LORONG_COORDINATOR),
    ("ascn.bwi", "35.10", Role.ASCN_SECRETARIAT),
    ("smartcity.bwi", "35.10", Role.ASCN_OFFICER),
    ("mitra.demo", "35.10", Role.ASCN_PARTNER),
    ("warga.bwi", "35.10", Role.PUBLIC),
    ("admin.mks", "73.71", Role.CITY_ADMIN),
    ("lorong.mks", "73.71", Role.LORONG_COORDINATOR),
    ("lurah.mks", "73.71", Role.LURAH),
    ("program.mks", "73.71", Role.LORONG_ADMIN),
    ("program.bwi", "35.10", Role.LORONG_ADMIN),
    ("jalan.mks", "73.71", Role.ROAD_OFFICER),
    ("smartcity.mks", "73.71", Role.ASCN_OFFICER),
]


def load_demo(session: Session) -> dict:
    """Create (or refresh) the demo cities, areas and users; return what was done."""
    summary: dict = {"cities": [], "users": []}
    for code, spec in CITIES.items():
        lon, lat = spec["center"]
        city = accounts.ensure_city(
            session,
            code,
            spec["name"],
            kind=spec["kind"],
            timezone=spec["timezone"],
            country="ID",
            center_lon=lon,
            center_lat=lat,
            is_demo=True,
        )
        result = import_areas(session, city, generated_districts(code), filename=f"demo-{code}-kecamatan.geojson")
        summary["cities"].append({"code": code, "name": spec["name"], "areas": result.as_dict()})
    if session.scalar(select(User).where(User.username == "admin")) is None:
        accounts.create_user(session, "admin", DEMO_PASSWORD, full_name="Platform admin (demo)", superuser=True)
        summary["users"].append("admin")
    for username, code, role in DEMO_USERS:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            # a person's name, not a role code: the role as the platform's first language says it
            name = f"{gettext(ROLE_LABELS[role], 'id')} (demo)"
            user = accounts.create_user(session, username, DEMO_PASSWORD, full_name=name)
            summary["users"].append(username)
        accounts.grant(session, user, code, role.value)
    from kotacerdas.core.registry import domains
    from kotacerdas.network.demo import CITY as NETWORK_CITY
    from kotacerdas.network.demo import load_network

    summary["network"] = load_network(session, accounts.get_city(session, NETWORK_CITY))

    for d in domains():
        loader = d.load("demo")
        if loader is not None:
            summary[d.name] = loader(session)
    return summary
