"""Bike Sharing's write transaction and the conditional statements every write of a bike or a dock shares.

:func:`run_write` is :func:`kotacerdas.core.db.run_write` (retries on serialization failures,
deadlocks and a busy SQLite database; a unique index refusing a racing write becomes a 409)
plus the invalidation of the system's cached GBFS feeds once the transaction has ended.
:func:`audited` runs an operator's write in it and records it in the city's audit log.

A dock is taken or freed only through the conditional ``docked`` updates of
:mod:`kotacerdas.bikes.store.ride_sql` (:func:`dock`, :func:`undock`), and a row count that is
not 1 means someone else changed the row first (:func:`changed`); the errors they answer are
built here once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import feed_cache
from kotacerdas.bikes.store import ride_sql as rs
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeSystem
from kotacerdas.core import accounts, db
from kotacerdas.core.db import utcnow
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_

T = TypeVar("T")
#: What a rider or operator is told when a unique index refused a write that raced another one.
BIKE_CONFLICT = N_("someone else changed this bike or account at the same moment; try again")


def run_write(engine: Engine, body: Callable[[Session], T], *, system_id: str | None = None) -> T:
    """:func:`kotacerdas.core.db.run_write` for Bike Sharing: a write changes the system's feeds, so their
    cache is invalidated once the transaction has ended."""
    return db.run_write(
        engine,
        body,
        after=(lambda: feed_cache.invalidate(system_id)) if system_id is not None else None,
        conflict=BIKE_CONFLICT,
    )


def audited(
    engine: Engine,
    system_id: str,
    user_id: int | None,
    action: str,
    target: str,
    fn: Callable[[Session, BikeSystem], T],
) -> T:
    """``fn(session, system)`` in one write transaction, recorded in the city's audit log as ``action`` on ``target``.

    The caller has checked the user's role in the system's city (the API and the pages do it once).
    """

    def body(s: Session) -> T:
        system = st.get_system(s, system_id)
        out = fn(s, system)
        accounts.audit(s, system.city_id, user_id, action, target)
        return out

    return run_write(engine, body, system_id=system_id)


def now_or(now: datetime | None) -> datetime:
    """``now``, or the current time (UTC) when the caller gave none."""
    return now or utcnow()


def changed(rowcount: int, error: KotacerdasError) -> None:
    """Raise ``error`` unless a conditional write changed exactly one row."""
    if rowcount != 1:
        raise error


def bike_gone(bike_id: str) -> BikesError:
    """The 409 of a bike that someone else took or changed a moment earlier."""
    return BikesError(N_("bike {bike} was just taken by someone else"), field="bike_id", status=409, bike=bike_id)


def docks_full(station_id: str) -> BikesError:
    """The 409 of a station whose docks are all taken."""
    return BikesError(N_("station {station} has no free dock"), field="station_id", status=409, station=station_id)


def no_bike_docked(station_id: str) -> BikesError:
    """The 409 of a station whose dock count says it holds no bike."""
    return BikesError(N_("station {station} has no bike in its docks"), status=409, station=station_id)


def undock(s: Session, station_pk: int, station_id: str) -> None:
    """Free one dock of the station (``docked - 1`` while it holds a bike)."""
    changed(s.connection().execute(rs.UNDOCK, {"s_id": station_pk}).rowcount, no_bike_docked(station_id))


def dock(s: Session, station_pk: int, *, returning: bool = True) -> bool:
    """Take one dock of the station if one is free (and, for a rider's return, it accepts returns)."""
    done = s.connection().execute(rs.DOCK_RETURN if returning else rs.DOCK_ANY, {"s_id": station_pk})
    return done.rowcount == 1
