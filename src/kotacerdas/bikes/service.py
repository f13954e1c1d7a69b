"""Rider flows as database transactions that stay correct under any concurrency.

Each function runs in its own write transaction (:func:`run_write`):
``session_scope(engine, write=True)`` (``BEGIN IMMEDIATE`` on SQLite, so writers queue)
and, on PostgreSQL, row locks (``SELECT ... FOR UPDATE`` on the rider) plus conditional
updates whose row counts are checked:

* a bike leaves ``available`` only through ``UPDATE ... WHERE status = 'available'``: of
  two racing riders exactly one gets row count 1, the other a 409;
* a station's ``docked`` count moves with ``docked = docked + 1 WHERE docked < usable docks``,
  so a return to a station filled a moment ago is refused (409 naming the nearest station
  with space) instead of overfilling it;
* partial unique indexes refuse a second active rental or reservation of a bike or rider;
* wallets move with the postings in the same transaction (see
  :func:`kotacerdas.bikes.store.post_transaction`).

Serialization failures and deadlocks (PostgreSQL) and a busy database (SQLite) are retried
a bounded number of times. The rules themselves (what may be rented, fares, postings) are
those of :mod:`~kotacerdas.bikes.operations`, :mod:`~kotacerdas.bikes.pricing` and
:mod:`~kotacerdas.bikes.ledger`.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from kotacerdas.bikes import feed_cache, operations
from kotacerdas.bikes import store as st
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.tables import (
    BikeDayPass,
    BikePricingPlan,
    BikeRental,
    BikeReport,
    BikeReservation,
    BikeRider,
    BikeRow,
    BikeStation,
    BikeSystem,
    BikeTask,
    BikeVehicleType,
)
from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope, utcnow
from kotacerdas.core.errors import Conflict, KotacerdasError
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import User

T = TypeVar("T")
RETRIES = 10
_RETRY_CODES = {"40001", "40P01", "55P03"}


class Deferred(Exception):
    """Raised by a transaction body that wants its changes committed and an error answered."""

    def __init__(self, error: KotacerdasError) -> None:
        super().__init__(str(error))
        self.error = error


def _retryable(exc: DBAPIError) -> bool:
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code in _RETRY_CODES:
        return True
    text = str(orig or exc).lower()
    return "database is locked" in text or "deadlock" in text or "could not serialize" in text


def run_write(engine: Engine, body: Callable[[Session], T], *, system_id: str | None = None) -> T:
    """Run ``body(session)`` in a write transaction, retrying serialization failures and deadlocks.

    A :class:`Deferred` raised by ``body`` commits what was written and then raises its error.
    A unique index refusing an insert (two requests racing for the same bike) becomes a 409.
    """
    deferred: KotacerdasError | None = None
    for attempt in range(RETRIES):
        try:
            with session_scope(engine, write=True) as session:
                try:
                    result = body(session)
                except Deferred as d:
                    deferred, result = d.error, None
            break
        except IntegrityError as exc:
            raise Conflict(
                N_("someone else changed this bike or account at the same moment; try again")
            ) from exc
        except (OperationalError, DBAPIError) as exc:
            if not _retryable(exc) or attempt == RETRIES - 1:
                raise
            time.sleep(random.uniform(0.001, 0.01) * (attempt + 1))
    if system_id is not None:
        feed_cache.invalidate(system_id)
    if deferred is not None:
        raise deferred
    return result  # type: ignore[return-value]


def _now(now: datetime | None) -> datetime:
    return now or utcnow()


def _changed(rowcount: int, error: KotacerdasError) -> None:
    if rowcount != 1:
        raise error


# -- riders ------------------------------------------------------------------------------

PHONE = re.compile(r"^62\d{7,13}$")


def normalise_phone(phone: str) -> str:
    """An Indonesian mobile number as digits with country code: ``0812-3456-789`` -> ``628123456789``."""
    digits = re.sub(r"[\s\-().]", "", phone or "")
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if not PHONE.match(digits):
        raise BikesError(
            N_("{phone} is not a mobile phone number (like 0812 3456 7890)"), field="phone", phone=phone
        )
    return digits


def rider_json(rider: BikeRider) -> dict[str, Any]:
    return {
        "rider_id": rider.rider_id,
        "name": rider.name,
        "phone": rider.phone,
        "language": rider.language,
        "balance": int(rider.wallet),
        "debt": int(rider.debt),
    }


def register_rider(
    engine: Engine,
    system_id: str,
    *,
    phone: str | None,
    password: str | None,
    name: str = "",
    language: str = "id",
    user_id: int | None = None,
) -> tuple[dict[str, Any], str | None]:
    """Open a rider account: a new user named by the phone number, or the signed-in ``user_id``.

    Returns the rider and, for a new user, a bearer token.
    """

    def body(s: Session) -> tuple[dict[str, Any], str | None]:
        system = st.get_system(s, system_id)
        token = None
        number = normalise_phone(phone) if phone else None
        if user_id is not None:
            user = s.get(User, user_id)
        else:
            if not number or not password:
                raise BikesError(N_("a phone number and a password are needed"), field="phone")
            user = s.scalar(select(User).where(User.username == number))
            if user is None:
                user = accounts.create_user(s, number, password, full_name=name, language=language)
            else:
                user = accounts.authenticate(s, number, password)
            token = accounts.issue_token(s, user, label="bikes rider")
        if s.scalar(
            select(BikeRider.id).where(BikeRider.system_pk == system.id, BikeRider.user_id == user.id)
        ):
            raise Conflict(
                N_("you are already registered as a rider of {system}"), field="phone", system=system_id
            )
        rider = BikeRider(
            city_id=system.city_id,
            system_pk=system.id,
            rider_id=st.new_id("rider"),
            user_id=user.id,
            phone=number,
            name=name or user.full_name,
            language=language,
            wallet=0,
            debt=0,
        )
        s.add(rider)
        s.flush()
        return rider_json(rider), token

    return run_write(engine, body)


def rider_login(engine: Engine, phone: str, password: str) -> str:
    """A bearer token for the rider with this phone number and password."""
    with session_scope(engine) as s:
        user = accounts.authenticate(s, normalise_phone(phone), password)
        return accounts.issue_token(s, user, label="bikes rider")


# -- shared pieces of the rider transactions -------------------------------------------


def _expire_due(s: Session, system: BikeSystem, now: datetime, **where: int) -> int:
    """Expire the active reservations past their time (of one bike or rider, or all); free their bikes."""
    stmt = select(BikeReservation).where(
        BikeReservation.system_pk == system.id,
        BikeReservation.status == "active",
        BikeReservation.expires_at <= now,
    )
    for key, value in where.items():
        stmt = stmt.where(getattr(BikeReservation, key) == value)
    n = 0
    for res in s.scalars(stmt):
        done = s.execute(
            update(BikeReservation)
            .where(BikeReservation.id == res.id, BikeReservation.status == "active")
            .values(status="expired")
            .execution_options(synchronize_session=False)
        ).rowcount
        if done:
            s.execute(
                update(BikeRow)
                .where(BikeRow.id == res.bike_pk, BikeRow.status == "reserved")
                .values(status="available", last_reported=now)
                .execution_options(synchronize_session=False)
            )
            n += 1
    return n


def expire_reservations(engine: Engine, system_id: str, now: datetime | None = None) -> int:
    """Expire every overdue reservation of a system; returns how many."""

    def body(s: Session) -> int:
        return _expire_due(s, st.get_system(s, system_id), _now(now))

    return run_write(engine, body, system_id=system_id)


def _rider_records(s: Session, system: BikeSystem, rider: BikeRider):
    rentals = [
        st.rental_model(r, rider.rider_id)
        for r in s.scalars(
            select(BikeRental).where(BikeRental.rider_pk == rider.id, BikeRental.status == "active")
        )
    ]
    ids = {}
    reservations = []
    for r in s.scalars(
        select(BikeReservation).where(
            BikeReservation.rider_pk == rider.id, BikeReservation.status == "active"
        )
    ):
        bike = s.get(BikeRow, r.bike_pk)
        station = s.get(BikeStation, r.station_pk)
        model = st.reservation_model(r, rider.rider_id, bike.bike_id, station.station_id)
        ids[model.reservation_id] = r
        reservations.append(model)
    passes = [
        st.pass_model(p, rider.rider_id)
        for p in s.scalars(select(BikeDayPass).where(BikeDayPass.rider_pk == rider.id))
    ]
    return rentals, reservations, ids, passes


def _bike_context(s: Session, system: BikeSystem, bike: BikeRow):
    station = s.get(BikeStation, bike.station_pk) if bike.station_pk is not None else None
    vt = s.get(BikeVehicleType, bike.vehicle_type_pk)
    sid = {station.id: station.station_id} if station else {}
    model = st.bike_model(bike, sid, {vt.id: vt.vehicle_type_id})
    return model, station, vt


def _bike_gone(bike_id: str) -> BikesError:
    return BikesError(
        N_("bike {bike} was just taken by someone else"), field="bike_id", status=409, bike=bike_id
    )


def _docks_full(station_id: str) -> BikesError:
    return BikesError(
        N_("station {station} has no free dock"), field="station_id", status=409, station=station_id
    )


def _undock(s: Session, station_pk: int, station_id: str) -> None:
    _changed(
        s.execute(
            update(BikeStation)
            .where(BikeStation.id == station_pk, BikeStation.docked >= 1)
            .values(docked=BikeStation.docked - 1)
            .execution_options(synchronize_session=False)
        ).rowcount,
        BikesError(N_("station {station} has no bike in its docks"), status=409, station=station_id),
    )


def _dock(s: Session, station: BikeStation, *, returning: bool = True) -> bool:
    stmt = update(BikeStation).where(
        BikeStation.id == station.id,
        BikeStation.docked < BikeStation.capacity - BikeStation.num_docks_disabled,
    )
    if returning:
        stmt = stmt.where(BikeStation.is_returning.is_(True), BikeStation.is_installed.is_(True))
    done = s.execute(stmt.values(docked=BikeStation.docked + 1).execution_options(synchronize_session=False))
    return done.rowcount == 1


def _plan_for(s: Session, system: BikeSystem, vt: BikeVehicleType) -> BikePricingPlan:
    plan_id = vt.default_pricing_plan_id
    if plan_id is None:
        plan_id = next(iter(vt.pricing_plan_ids or ()), None)
    if plan_id is None:
        row = s.scalar(
            select(BikePricingPlan)
            .where(
                BikePricingPlan.system_pk == system.id,
                BikePricingPlan.day_pass_price.is_(None),
                BikePricingPlan.is_active.is_(True),
            )
            .order_by(BikePricingPlan.id)
        )
        if row is None:
            raise BikesError(
                N_("no pricing plan for {type}"), field="plan_id", status=409, type=vt.vehicle_type_id
            )
        return row
    return st.get_plan(s, system, plan_id)


# -- reservations ---------------------------------------------------------------------------


def reserve(engine: Engine, system_id: str, user_id: int, bike_id: str, now: datetime | None = None) -> dict:
    """Hold a docked bike for the rider for the system's reservation time (15 minutes by default)."""
    now = _now(now)

    def body(s: Session) -> dict:
        system = st.get_system(s, system_id)
        rider = st.rider_of_user(s, system, user_id, lock=True)
        bike = st.get_bike(s, system, bike_id)
        _expire_due(s, system, now, rider_pk=rider.id)
        _expire_due(s, system, now, bike_pk=bike.id)
        s.refresh(bike)
        model, station, vt = _bike_context(s, system, bike)
        if station is None:
            raise BikesError(
                N_("bike {bike} is not available (it is {current})"),
                field="bike_id",
                status=409,
                bike=bike_id,
                current=bike.status,
            )
        rentals, reservations, _ids, _p = _rider_records(s, system, rider)
        _b, res = operations.reserve(
            model,
            rider.rider_id,
            st.new_id("res"),
            now,
            station=st.station_model(station),
            rider_rentals=rentals,
            rider_reservations=reservations,
            vehicle_type=st.vehicle_type_model(vt),
            hold_minutes=system.reserve_minutes,
        )
        _changed(
            s.execute(
                update(BikeRow)
                .where(BikeRow.id == bike.id, BikeRow.status == "available")
                .values(status="reserved", last_reported=now)
                .execution_options(synchronize_session=False)
            ).rowcount,
            _bike_gone(bike_id),
        )
        row = BikeReservation(
            city_id=system.city_id,
            system_pk=system.id,
            reservation_id=res.reservation_id,
            rider_pk=rider.id,
            bike_pk=bike.id,
            station_pk=station.id,
            created_at=now,
            expires_at=res.expires_at,
            status="active",
        )
        s.add(row)
        s.flush()
        return reservation_json(res)

    return run_write(engine, body, system_id=system_id)


def reservation_json(res) -> dict:
    return {
        "reservation_id": res.reservation_id,
        "bike_id": res.bike_id,
        "station_id": res.station_id,
        "created_at": res.created_at.isoformat(),
        "expires_at": res.expires_at.isoformat(),
        "status": res.status,
    }


def cancel_reservation(engine: Engine, system_id: str, user_id: int, now: datetime | None = None) -> dict:
    """Cancel the rider's active reservation and free the bike."""
    now = _now(now)

    def body(s: Session) -> dict:
        system = st.get_system(s, system_id)
        rider = st.rider_of_user(s, system, user_id, lock=True)
        row = s.scalar(
            select(BikeReservation)
            .where(BikeReservation.rider_pk == rider.id, BikeReservation.status == "active")
            .with_for_update()
        )
        if row is None:
            raise BikesError(N_("you hold no reservation"), field="reservation_id", status=404)
        bike = s.get(BikeRow, row.bike_pk)
        station = s.get(BikeStation, row.station_pk)
        model, _station, _vt = _bike_context(s, system, bike)
        res = st.reservation_model(row, rider.rider_id, bike.bike_id, station.station_id)
        cancelled, freed = operations.cancel_reservation(res, model, now)
        row.status = cancelled.status
        if freed.status != model.status:
            s.execute(
                update(BikeRow)
                .where(BikeRow.id == bike.id, BikeRow.status == "reserved")
                .values(status="available", last_reported=now)
                .execution_options(synchronize_session=False)
            )
        return reservation_json(cancelled)

    return run_write(engine, body, system_id=system_id)


# -- rentals -----------------------------------------------------------------------------------


def rental_json(row: BikeRental) -> dict:
    return {
        "rental_id": row.rental_id,
        "bike_id": row.bike_code,
        "vehicle_type_id": row.vehicle_type_id,
        "start_station_id": row.start_station_id,
        "end_station_id": row.end_station_id,
        "start_time": row.start_time.isoformat(),
        "end_time": row.end_time.isoformat() if row.end_time else None,
        "plan_id": row.plan_id,
        "pass_id": row.pass_id,
        "fare": row.fare,
        "credit_minutes": row.credit_minutes,
        "status": row.status,
    }


def rent(
    engine: Engine,
    system_id: str,
    user_id: int,
    *,
    bike_id: str | None = None,
    station_id: str | None = None,
    now: datetime | None = None,
) -> dict:
    """Unlock a bike: the one named, the rider's reserved one, or any available bike at ``station_id``.

    Raises 409 when the bike was taken a moment earlier (or no bike is left at the station),
    402 when the wallet cannot pay the unlock fee or the rider has debt.
    """
    now = _now(now)

    def body(s: Session) -> dict:
        system = st.get_system(s, system_id)
        rider = st.rider_of_user(s, system, user_id, lock=True)
        _expire_due(s, system, now, rider_pk=rider.id)
        rentals, reservations, res_rows, passes = _rider_records(s, system, rider)
        if bike_id is not None:
            candidates = [st.get_bike(s, system, bike_id)]
        elif reservations:
            candidates = [s.get(BikeRow, res_rows[reservations[0].reservation_id].bike_pk)]
        elif station_id is not None:
            station = st.get_station(s, system, station_id)
            candidates = list(
                s.scalars(
                    select(BikeRow)
                    .where(BikeRow.station_pk == station.id, BikeRow.status == "available")
                    .order_by(BikeRow.battery.desc().nulls_last(), BikeRow.bike_id)
                )
            )
            if not candidates:
                raise BikesError(
                    N_("no bike is available at station {station}"),
                    field="station_id",
                    status=409,
                    station=station_id,
                )
        else:
            raise BikesError(N_("name a bike or a station"), field="bike_id")
        last: BikesError | None = None
        for bike in candidates:
            if bike_id is not None:
                _expire_due(s, system, now, bike_pk=bike.id)
                s.refresh(bike)
            try:
                return _rent_one(s, system, rider, bike, rentals, reservations, res_rows, passes, now)
            except BikesError as exc:
                if exc.status != 409 or bike_id is not None:
                    raise
                last = exc
        raise last or _bike_gone(bike_id or "")

    return run_write(engine, body, system_id=system_id)


def _rent_one(s, system, rider, bike, rentals, reservations, res_rows, passes, now) -> dict:
    model, station, vt = _bike_context(s, system, bike)
    if station is None:
        raise BikesError(
            N_("bike {bike} is not available (it is {current})"),
            field="bike_id",
            status=409,
            bike=bike.bike_id,
            current=bike.status,
        )
    plan = _plan_for(s, system, vt)
    mine = next((r for r in reservations if r.bike_id == bike.bike_id), None)
    rented, rental, converted = operations.start_rental(
        model,
        rider.rider_id,
        st.new_id("rent"),
        now,
        station=st.station_model(station),
        plan=st.plan_model(plan),
        balance=int(rider.wallet),
        debt=int(rider.debt),
        rider_rentals=rentals,
        rider_reservations=reservations,
        reservation=mine,
        passes=passes,
        vehicle_type=st.vehicle_type_model(vt),
    )
    _changed(
        s.execute(
            update(BikeRow)
            .where(
                BikeRow.id == bike.id, BikeRow.status == str(model.status), BikeRow.station_pk == station.id
            )
            .values(status="rented", station_pk=None, lat=rented.lat, lon=rented.lon, last_reported=now)
            .execution_options(synchronize_session=False)
        ).rowcount,
        _bike_gone(bike.bike_id),
    )
    _undock(s, station.id, station.station_id)
    if converted is not None:
        _changed(
            s.execute(
                update(BikeReservation)
                .where(
                    BikeReservation.id == res_rows[converted.reservation_id].id,
                    BikeReservation.status == "active",
                )
                .values(status="converted")
                .execution_options(synchronize_session=False)
            ).rowcount,
            _bike_gone(bike.bike_id),
        )
    row = BikeRental(
        city_id=system.city_id,
        system_pk=system.id,
        rental_id=rental.rental_id,
        rider_pk=rider.id,
        bike_pk=bike.id,
        bike_code=bike.bike_id,
        vehicle_type_id=vt.vehicle_type_id,
        start_station_id=station.station_id,
        start_time=now,
        plan_id=rental.plan_id,
        pass_id=rental.pass_id,
        status="active",
        source="app",
        credit_minutes=0,
        redirected_from=[],
    )
    s.add(row)
    s.flush()
    return rental_json(row)


def end_rental(
    engine: Engine,
    system_id: str,
    user_id: int,
    station_id: str,
    *,
    broken: bool = False,
    battery: float | None = None,
    note: str = "",
    now: datetime | None = None,
) -> dict:
    """Dock the rider's bike at ``station_id``, price the ride and charge the wallet (debt if short).

    A full or closed station refuses the return: the error (409) names the nearest station
    with a free dock in ``params["nearest"]`` and the ride is credited the system's redirect
    minutes (once per station), committed before the error is answered.
    """
    now = _now(now)

    def body(s: Session) -> dict:
        system = st.get_system(s, system_id)
        rider = st.rider_of_user(s, system, user_id, lock=True)
        row = s.scalar(
            select(BikeRental)
            .where(BikeRental.rider_pk == rider.id, BikeRental.status == "active")
            .with_for_update()
        )
        if row is None:
            raise BikesError(N_("you have no active rental"), field="rental_id", status=409)
        bike = s.get(BikeRow, row.bike_pk)
        model, _none, vt = _bike_context(s, system, bike)
        stations = {
            x.station_id: x for x in s.scalars(select(BikeStation).where(BikeStation.system_pk == system.id))
        }
        if station_id not in stations:
            raise BikesError(
                N_("unknown station {station}"), field="station_id", status=404, station=station_id
            )
        models = {k: st.station_model(v) for k, v in stations.items()}
        occupied = {k: v.docked for k, v in stations.items()}
        plans = {
            p.plan_id: st.plan_model(p)
            for p in s.scalars(select(BikePricingPlan).where(BikePricingPlan.system_pk == system.id))
        }
        _r, _res, _ids, passes = _rider_records(s, system, rider)
        rental = st.rental_model(row, rider.rider_id)
        target = stations[station_id]
        try:
            ended, docked, fare = operations.end_rental(
                rental,
                model,
                station_id,
                now,
                stations=models,
                occupied=occupied,
                plans=plans,
                passes=passes,
                broken=broken,
                battery=battery,
            )
            if not _dock(s, target):
                raise BikesError(
                    N_("station {station} has no free dock"), status=409, station=station_id, nearest=None
                )
        except BikesError as exc:
            if exc.status != 409 or "nearest" not in exc.params:
                raise
            raise Deferred(_redirect(s, system, row, rental, target, models, occupied)) from exc
        _changed(
            s.execute(
                update(BikeRow)
                .where(BikeRow.id == bike.id, BikeRow.status == "rented")
                .values(
                    status=str(docked.status),
                    station_pk=target.id,
                    lat=docked.lat,
                    lon=docked.lon,
                    battery=docked.battery,
                    last_reported=now,
                )
                .execution_options(synchronize_session=False)
            ).rowcount,
            BikesError(N_("rental {rental} is not active"), status=409, rental=row.rental_id),
        )
        _changed(
            s.execute(
                update(BikeRental)
                .where(BikeRental.id == row.id, BikeRental.status == "active")
                .values(
                    status="ended",
                    end_station_id=station_id,
                    end_time=now,
                    fare=fare.total,
                    pass_id=fare.pass_id,
                )
                .execution_options(synchronize_session=False)
            ).rowcount,
            BikesError(N_("rental {rental} is not active"), status=409, rental=row.rental_id),
        )
        if fare.total > 0:
            txn = st.rider_ledger(rider).charge(
                rider.rider_id,
                fare.total,
                idempotency_key=f"fare:{row.rental_id}",
                at=now,
                reference=row.rental_id,
                allow_debt=True,
            )
            st.post_transaction(s, system, rider, txn)
        if broken:
            _open_repair(s, system, bike, docked, now, note=note, rider_pk=rider.id, user_id=user_id)
        s.refresh(row)
        out = rental_json(row)
        out["fare_detail"] = {
            "minutes": fare.minutes,
            "billable_minutes": fare.billable_minutes,
            "unlock_fee": fare.unlock_fee,
            "time_charge": fare.time_charge,
            "total": fare.total,
        }
        out["balance"], out["debt"] = int(rider.wallet), int(rider.debt)
        return out

    return run_write(engine, body, system_id=system_id)


def _redirect(s, system, row, rental, target, models, occupied) -> BikesError:
    """Credit the ride for the detour from a full station (once per station) and build the 409 error."""
    try:
        credited, alt, distance = operations.redirect_return(
            rental,
            models[target.station_id],
            models.values(),
            occupied,
            credit_minutes=system.redirect_credit_minutes,
        )
    except BikesError as exc:
        return exc
    granted = 0
    if target.station_id not in (row.redirected_from or []):
        granted = credited.credit_minutes - rental.credit_minutes
        row.credit_minutes = credited.credit_minutes
        row.redirected_from = [*(row.redirected_from or []), target.station_id]
    return BikesError(
        N_("station {station} is full; the nearest station with a free dock is {nearest} ({distance} m)"),
        field="station_id",
        status=409,
        station=target.station_id,
        nearest=alt.station_id,
        distance=round(distance),
        credit_minutes=granted,
        total_credit_minutes=row.credit_minutes,
    )


def _open_repair(s, system, bike: BikeRow, model, now, *, note: str, rider_pk=None, user_id=None) -> str:
    _b, task = operations.report_broken(model, st.new_id("task"), now, note=note)
    station = s.get(BikeStation, bike.station_pk) if bike.station_pk else None
    s.add(
        BikeTask(
            city_id=system.city_id,
            system_pk=system.id,
            task_id=task.task_id,
            kind=task.kind,
            bike_id=bike.bike_id,
            station_id=station.station_id if station else None,
            note=note,
            status="open",
            priority=task.priority,
            created_at=now,
        )
    )
    s.add(
        BikeReport(
            city_id=system.city_id,
            system_pk=system.id,
            bike_pk=bike.id,
            rider_pk=rider_pk,
            user_id=user_id,
            note=note,
            task_id=task.task_id,
            created_at=now,
        )
    )
    return task.task_id


def report_broken(
    engine: Engine,
    system_id: str,
    bike_id: str,
    *,
    user_id: int | None,
    note: str = "",
    now: datetime | None = None,
) -> dict:
    """Report a docked bike broken: it is taken out of service and a priority-1 repair task opens."""
    now = _now(now)

    def body(s: Session) -> dict:
        system = st.get_system(s, system_id)
        rider = (
            s.scalar(select(BikeRider).where(BikeRider.system_pk == system.id, BikeRider.user_id == user_id))
            if user_id is not None
            else None
        )
        bike = st.get_bike(s, system, bike_id, lock=True)
        model, _station, _vt = _bike_context(s, system, bike)
        broken, _task = operations.report_broken(model, "check", now, note=note)
        if broken.status != model.status:
            _changed(
                s.execute(
                    update(BikeRow)
                    .where(BikeRow.id == bike.id, BikeRow.status == str(model.status))
                    .values(status="broken", last_reported=now)
                    .execution_options(synchronize_session=False)
                ).rowcount,
                _bike_gone(bike_id),
            )
            s.execute(
                update(BikeReservation)
                .where(BikeReservation.bike_pk == bike.id, BikeReservation.status == "active")
                .values(status="cancelled")
                .execution_options(synchronize_session=False)
            )
        task_id = _open_repair(
            s, system, bike, model, now, note=note, rider_pk=rider.id if rider else None, user_id=user_id
        )
        return {"bike_id": bike_id, "status": "broken", "task_id": task_id}

    return run_write(engine, body, system_id=system_id)
