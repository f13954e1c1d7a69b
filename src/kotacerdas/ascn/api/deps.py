"""What the ASCN routers share: where a network-wide change is recorded (audit log, import record)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.ascn.services.access import seat
from kotacerdas.ascn.store.tables import AscnCity
from kotacerdas.core.auth import Principal
from kotacerdas.core.models import City


def record_city_id(session: Session, principal: Principal | None, city: AscnCity | None = None) -> int | None:
    """The platform city whose audit log keeps a change: the member city's own, else the secretariat's seat.

    A superuser with no seat writes to the first platform city; with no platform city at all, ``None``.
    """
    if city is not None and city.city_id is not None:
        return city.city_id
    held = seat(principal, "ascn.administer")
    if held is not None:
        return held
    return session.scalar(select(City.id).order_by(City.id).limit(1))
