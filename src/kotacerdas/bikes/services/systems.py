"""Bike-share systems: creating and changing one (operators), reading them (everyone), the systems of a city.

A system is one GBFS data set in one city (``system_id`` unique over the platform). Writes run in
one transaction each (:func:`~kotacerdas.bikes.services.writes.run_write`), are audited in the
city's log and refresh the GBFS manifest; the caller has checked the operator's role.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import local_text
from kotacerdas.bikes.services import feed_cache
from kotacerdas.bikes.services.writes import audited, run_write
from kotacerdas.bikes.store import queries
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeRow, BikeStation, BikeSystem
from kotacerdas.core import accounts
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City

SYSTEM_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


def get_system(session: Session, system_id: str) -> BikeSystem:
    """The system ``system_id`` or a 404 error."""
    return st.get_system(session, system_id)


def city_of(session: Session, code: str) -> City:
    """The city with this code, or a 404 error."""
    return accounts.get_city(session, code)


def create_system(session: Session, city: City, data: dict[str, Any]) -> BikeSystem:
    """A new system in ``city`` (``system_id`` lower-case letters, digits, ``-`` and ``_``; unique)."""
    sid = str(data.get("system_id", "")).strip()
    if not sid or not set(sid) <= SYSTEM_ID_CHARS or len(sid) > 64:
        raise BikesError(
            N_("{value} is not a valid system id (lower-case letters, digits, - and _)"),
            field="system_id",
            value=sid,
        )
    if session.scalar(select(BikeSystem.id).where(BikeSystem.system_id == sid)):
        raise BikesError(N_("the system id {value} is taken"), field="system_id", status=409, value=sid)
    row = BikeSystem(
        city_id=city.id,
        system_id=sid,
        name=local_text(data.get("name"), "name"),
        short_name=data.get("short_name"),
        operator=local_text(data.get("operator") or city.name, "operator"),
        feed_contact_email=data.get("feed_contact_email") or "gbfs@kotacerdas.example",
        timezone=data.get("timezone") or city.timezone,
        languages=["id", "en"],
        opening_hours=data.get("opening_hours") or "Mo-Su 05:00-22:00",
        url=data.get("url"),
        email=data.get("email"),
        phone_number=data.get("phone_number"),
        start_date=data.get("start_date"),
        license_url=data.get("license_url"),
        is_demo=bool(data.get("is_demo", False)),
        reserve_minutes=int(data.get("reserve_minutes", 15)),
        redirect_credit_minutes=int(data.get("redirect_credit_minutes", 15)),
    )
    session.add(row)
    session.flush()
    return row


def update_system(session: Session, system: BikeSystem, data: dict[str, Any]) -> BikeSystem:
    """Set the fields given in ``data`` (names, operator, contacts, reservation and redirect minutes)."""
    for key in ("name", "operator", "short_name"):
        if key in data and data[key] is not None:
            setattr(system, key, local_text(data[key], key))
    for key in (
        "feed_contact_email",
        "opening_hours",
        "url",
        "email",
        "phone_number",
        "license_url",
        "reserve_minutes",
        "redirect_credit_minutes",
    ):
        if key in data and data[key] is not None:
            setattr(system, key, data[key])
    return system


def system_json(system: BikeSystem, city_code: str) -> dict[str, Any]:
    """A system as JSON: names, contacts, time zone, rules, and its GBFS discovery URLs."""
    return {
        "system_id": system.system_id,
        "city": city_code,
        "name": system.name,
        "short_name": system.short_name,
        "operator": system.operator,
        "timezone": system.timezone,
        "opening_hours": system.opening_hours,
        "feed_contact_email": system.feed_contact_email,
        "url": system.url,
        "is_demo": system.is_demo,
        "reserve_minutes": system.reserve_minutes,
        "redirect_credit_minutes": system.redirect_credit_minutes,
        "gbfs": {
            "v3": f"/gbfs/v3/{system.system_id}/gbfs.json",
            "v2": f"/gbfs/v2/{system.system_id}/gbfs.json",
        },
    }


def systems(session: Session, city: str | None = None) -> list[dict[str, Any]]:
    """Every system (of the city with code ``city``), by system id."""
    return [system_json(s, code) for s, code in session.execute(queries.systems(city))]


def system_detail(session: Session, system: BikeSystem) -> dict[str, Any]:
    """A system with its live totals (stations, bikes available) and its vehicle types."""
    out = system_json(system, session.scalar(select(City.code).where(City.id == system.city_id)))
    out["stations"] = session.scalar(select(func.count()).where(BikeStation.system_pk == system.id))
    out["bikes_available"] = session.scalar(
        select(func.count()).where(BikeRow.system_pk == system.id, BikeRow.status == "available")
    )
    out["vehicle_types"] = [
        st.vehicle_type_model(v).__dict__ | {"name": v.name} for v in session.scalars(queries.vehicle_types(system))
    ]
    return out


def cities_with_systems(session: Session) -> set[int]:
    """The ids of the cities that run a bike-share system: where the operator screens have something to open."""
    return set(session.scalars(select(BikeSystem.city_id).distinct()))


def city_systems(session: Session, city: City) -> list[dict[str, Any]]:
    """The systems of a city with their station count and bikes available (the Bike Sharing index page)."""
    out = []
    for row in session.scalars(select(BikeSystem).where(BikeSystem.city_id == city.id).order_by(BikeSystem.system_id)):
        avail = st.available_by_station(session, row)
        out.append(
            {
                "system_id": row.system_id,
                "city_id": row.city_id,
                "name": row.name,
                "operator": row.operator,
                "is_demo": row.is_demo,
                "stations": session.scalar(select(func.count()).where(BikeStation.system_pk == row.id)),
                "bikes_available": sum(sum(v.values()) for v in avail.values()),
            }
        )
    return out


def create(engine: Engine, city_code: str, data: dict[str, Any], *, user_id: int | None) -> dict[str, Any]:
    """Create a system in the city ``city_code`` (audited); the GBFS manifest lists it at once."""

    def body(s: Session) -> dict[str, Any]:
        city = city_of(s, city_code)
        row = create_system(s, city, data)
        accounts.audit(s, city.id, user_id, "bikes.system.create", row.system_id)
        return system_json(row, city.code)

    out = run_write(engine, body, system_id=str(data.get("system_id", "")))
    feed_cache.invalidate(feed_cache.MANIFEST)
    return out


def change(engine: Engine, system_id: str, data: dict[str, Any], *, user_id: int | None) -> dict[str, Any]:
    """Change a system's fields (those given; audited)."""

    def fn(s: Session, system: BikeSystem) -> dict[str, Any]:
        code = s.scalar(select(City.code).where(City.id == system.city_id))
        return system_json(update_system(s, system, data), code)

    out = audited(engine, system_id, user_id, "bikes.system.update", system_id, fn)
    feed_cache.invalidate(feed_cache.MANIFEST)
    return out


def station_counts(session: Session) -> dict[str, int]:
    """Stations per system id."""
    return dict(
        session.execute(
            select(BikeSystem.system_id, func.count(BikeStation.id))
            .outerjoin(BikeStation, BikeStation.system_pk == BikeSystem.id)
            .group_by(BikeSystem.system_id)
        ).all()
    )
