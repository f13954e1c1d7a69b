"""Rider flows as database transactions that stay correct under any concurrency.

Each function runs in its own write transaction (:func:`~kotacerdas.bikes.services.writes.run_write`):
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
  :func:`kotacerdas.bikes.store.rows.post_transaction`).

Serialization failures and deadlocks (PostgreSQL) and a busy database (SQLite) are retried
a bounded number of times. The rules themselves (what may be rented, fares, postings) are
those of :mod:`~kotacerdas.bikes.operations`, :mod:`~kotacerdas.bikes.pricing` and
:mod:`~kotacerdas.bikes.ledger`.
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.bikes import operations
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services.stations import public_vehicle_id
from kotacerdas.bikes.services.writes import bike_gone, changed, dock, now_or, run_write
from kotacerdas.bikes.store import queries
from kotacerdas.bikes.store import ride_sql as rs
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import (
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
from kotacerdas.core.auth import hash_password
from kotacerdas.core.db import Deferred, session_scope
from kotacerdas.core.errors import Conflict, NotAuthenticated
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import User

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
        raise BikesError(N_("{phone} is not a mobile phone number (like 0812 3456 7890)"), field="phone", phone=phone)
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
    address: str | None = None,
) -> tuple[dict[str, Any], str | None]:
    """Open a rider account: a new user named by the phone number, or the signed-in ``user_id``.

    Returns the rider and, for a new user, a bearer token. The password is hashed (a new user) or checked (an
    existing one, rate limited per number and ``address`` like every sign-in) before the write transaction, so
    a burst of sign-ups never holds the database's writers while argon2 works.
    """
    number = normalise_phone(phone) if phone else None
    known: int | None = None
    new_hash: str | None = None
    if user_id is None:
        if not number or not password:
            raise BikesError(N_("a phone number and a password are needed"), field="phone")
        with session_scope(engine) as s:
            taken = s.scalar(select(User.id).where(User.username == number)) is not None
        if taken:
            known = accounts.check_sign_in(engine, number, password, address=address)
        else:
            new_hash = hash_password(password)

    def body(s: Session) -> tuple[dict[str, Any], str | None]:
        system = st.get_system(s, system_id)
        token = None
        if user_id is not None or known is not None:
            user = s.get(User, user_id if user_id is not None else known)
        else:
            # a new user (another request taking the number meanwhile is a 409 from the unique username)
            user = accounts.create_user(
                s, number, password or "", full_name=name, language=language, password_hash=new_hash
            )
        if user_id is None:
            token = accounts.issue_token(s, user, label="bikes rider")
        if s.scalar(select(BikeRider.id).where(BikeRider.system_pk == system.id, BikeRider.user_id == user.id)):
            raise Conflict(N_("you are already registered as a rider of {system}"), field="phone", system=system_id)
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


def rider_login(engine: Engine, phone: str, password: str, *, address: str | None = None) -> str:
    """A bearer token for the rider with this phone number and password (rate limited like every sign-in; 401
    naming the number, not a username)."""
    try:
        return accounts.sign_in(engine, normalise_phone(phone), password, address=address, label="bikes rider").token
    except NotAuthenticated as exc:
        raise NotAuthenticated(N_("Wrong mobile number or password"), field="password") from exc


# -- shared pieces of the rider transactions -------------------------------------------


def _expire_due(s: Session, system_pk: int, now: datetime, **where: int) -> int:
    """Expire the active reservations past their time (of one bike or rider, or all); free their bikes."""
    stmt = select(BikeReservation).where(
        BikeReservation.system_pk == system_pk,
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
        return _expire_due(s, st.get_system(s, system_id).id, now_or(now))

    return run_write(engine, body, system_id=system_id)


def _torn() -> Conflict:
    """A write that found its row changed after an earlier write of the same transaction: roll back."""
    return Conflict(N_("someone else changed this bike or account at the same moment; try again"))


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
            raise BikesError(N_("no pricing plan for {type}"), field="plan_id", status=409, type=vt.vehicle_type_id)
        return row
    return st.get_plan(s, system, plan_id)


def _plan_of(s: Session, system_pk: int, cand) -> BikePricingPlan | rs.Prefixed:
    """The plan of a rental candidate: its type's default plan (joined in the row) or :func:`_plan_for`."""
    if cand.pl_id is not None:
        return rs.Prefixed(cand, "pl_")
    vt = SimpleNamespace(
        vehicle_type_id=cand.vt_vehicle_type_id,
        default_pricing_plan_id=cand.vt_default_pricing_plan_id,
        pricing_plan_ids=cand.vt_pricing_plan_ids,
    )
    return _plan_for(s, SimpleNamespace(id=system_pk), vt)


# -- reservations ---------------------------------------------------------------------------


def _bike_by_vehicle_id(s: Session, system: BikeSystem, vehicle_id: str) -> BikeRow:
    """The docked bike the public knows as ``vehicle_id`` (its rotating GBFS id), or a 404."""
    docked = select(BikeRow).where(BikeRow.system_pk == system.id, BikeRow.station_pk.is_not(None))
    for bike in s.scalars(docked):
        if public_vehicle_id(system, bike) == vehicle_id:
            return bike
    raise BikesError(N_("unknown bike {bike}"), field="vehicle_id", status=404, bike=vehicle_id)


def bike_of_vehicle(engine: Engine, system_id: str, vehicle_id: str) -> str:
    """The ``bike_id`` of the docked bike the public knows as ``vehicle_id`` (to rent the bike a rider saw)."""
    with session_scope(engine) as s:
        return _bike_by_vehicle_id(s, st.get_system(s, system_id), vehicle_id).bike_id


def reserve(
    engine: Engine,
    system_id: str,
    user_id: int,
    bike_id: str | None,
    now: datetime | None = None,
    *,
    vehicle_id: str | None = None,
) -> dict:
    """Hold a docked bike for the rider for the system's reservation time (15 minutes by default).

    The bike is named by its ``bike_id``, or by the rotating ``vehicle_id`` the public sees at its station.
    """
    now = now_or(now)

    def body(s: Session) -> dict:
        system = st.get_system(s, system_id)
        rider = st.rider_of_user(s, system, user_id, lock=True)
        bike = st.get_bike(s, system, bike_id) if bike_id else _bike_by_vehicle_id(s, system, vehicle_id or "")
        bike_code = bike.bike_id
        _expire_due(s, system.id, now, rider_pk=rider.id)
        _expire_due(s, system.id, now, bike_pk=bike.id)
        s.refresh(bike)
        model, station, vt = st.bike_context(s, bike)
        if station is None:
            raise BikesError(
                N_("bike {bike} is not available (it is {current})"),
                field="bike_id",
                status=409,
                bike=bike_code,
                current=bike.status,
            )
        rentals, reservations, _ids, _p = st.rider_records(s, rider)
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
        changed(
            s.execute(
                update(BikeRow)
                .where(BikeRow.id == bike.id, BikeRow.status == "available")
                .values(status="reserved", last_reported=now)
                .execution_options(synchronize_session=False)
            ).rowcount,
            bike_gone(bike_code),
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
    now = now_or(now)

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
        model, _station, _vt = st.bike_context(s, bike)
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


def rent(  # noqa: C901 (complexity baseline: split when next changed)
    engine: Engine,
    system_id: str,
    user_id: int,
    *,
    bike_id: str | None = None,
    station_id: str | None = None,
    vehicle_type_id: str | None = None,
    now: datetime | None = None,
) -> dict:
    """Unlock a bike: the one named, the rider's reserved one, or an available bike at ``station_id``: of
    ``vehicle_type_id`` when given, else a classic bike before an e-bike (the rider is never handed the dearer
    type unasked).

    Raises 409 when the bike was taken a moment earlier (or no bike is left at the station),
    402 when the wallet cannot pay the unlock fee or the rider has debt.

    One transaction on PostgreSQL: lock the rider (joined with the system); read the candidate
    bikes with their type, station and plan and whether the rider rides, holds a reservation or
    owns a day pass (at a station with a bike left: lock the station, then read them again);
    then claim the bike, free its dock and insert the rental, each conditional on the one
    before (SQLite: three statements). The station is locked before the bike, as a return does.
    Reservations and passes are read only when the rider has some.
    """
    now = now_or(now)

    def body(s: Session) -> dict:
        try:
            return rent_body(s)
        except BikesError as exc:
            # a refusal (404, 402, 409) comes before anything is written (or after the expiry of
            # overdue reservations only): commit the read-only transaction instead of rolling it
            # back, which would also drop the connection's prepared statements (psycopg)
            raise Deferred(exc) from exc

    def rent_body(s: Session) -> dict:
        conn = s.connection()
        rs.refuse_if_riding(conn, system_id, user_id)
        rider = rs.lock_rider(conn, system_id, user_id)
        if bike_id is not None:
            rows = rs.rental_candidates(conn, rider.system_pk, rider.id, bike_id=bike_id)
        elif station_id is not None:
            rows = rs.station_candidates(conn, rider.system_pk, rider.id, station_id)
        else:
            rows = iter(())
        first = next(rows, None)
        if first is not None:
            flags = (first.has_rental, first.has_reservation, first.has_pass)
        else:
            flags = rs.rider_flags(conn, rider.id)
        has_rental, has_reservation, has_pass = flags
        reservations: list = []
        res_rows: dict = {}
        if has_reservation:
            _expire_due(s, rider.system_pk, now, rider_pk=rider.id)
            rentals, reservations, res_rows, passes = st.rider_records(s, rider)
        else:
            rentals = rs.rider_rentals(conn, rider.id, rider.rider_id) if has_rental else []
            passes = rs.rider_passes(conn, rider.id, rider.rider_id) if has_pass else []
        records = (rentals, reservations, res_rows, passes, now)
        if bike_id is not None:
            if first is None:
                raise BikesError(N_("unknown bike {bike}"), field="bike_id", status=404, bike=bike_id)
            if first.b_status == "reserved" and _expire_due(s, rider.system_pk, now, bike_pk=first.b_id):
                first = next(rs.rental_candidates(conn, rider.system_pk, rider.id, bike_id=bike_id))
            return _rent_one(s, rider, first, *records)
        if reservations:
            bike_pk = res_rows[reservations[0].reservation_id].bike_pk
            cand = next(rs.rental_candidates(conn, rider.system_pk, rider.id, bike_pk=bike_pk))
            return _rent_one(s, rider, cand, *records)
        if station_id is None:
            raise BikesError(N_("name a bike or a station"), field="bike_id")
        if has_reservation:  # an overdue reservation was just expired: its bike may be back at the station
            rows = rs.rental_candidates(conn, rider.system_pk, rider.id, station_id=station_id)
            first = next(rows, None)
        return _rent_at_station(s, rider, first, rows, records, station_id, vehicle_type_id)

    return run_write(engine, body, system_id=system_id)


def _rent_at_station(s: Session, rider, first, rows, records, station_id: str, vehicle_type_id: str | None) -> dict:
    """Rent the first candidate at the station that can be rented (of ``vehicle_type_id`` when given)."""
    last: BikesError | None = None
    for cand in itertools.chain((first,) if first is not None else (), rows):
        if vehicle_type_id is not None and cand.vt_vehicle_type_id != vehicle_type_id:
            continue
        try:
            return _rent_one(s, rider, cand, *records)
        except BikesError as exc:
            if exc.status != 409:
                raise
            last = exc  # taken a moment ago, or not rentable: try the next bike
    if last is not None:
        raise last
    st.get_station(s, SimpleNamespace(id=rider.system_pk), station_id)  # 404 if unknown
    if vehicle_type_id is not None:
        raise BikesError(
            N_("no bike of type {type} is available at station {station}"),
            field="vehicle_type_id",
            status=409,
            type=vehicle_type_id,
            station=station_id,
        )
    raise BikesError(
        N_("no bike is available at station {station}"), field="station_id", status=409, station=station_id
    )


def _rent_one(s: Session, rider: rs.RiderLock, cand, rentals, reservations, res_rows, passes, now) -> dict:
    """Rent the candidate bike ``cand`` (a row of :func:`.ride_sql.rental_candidates`) to the locked rider."""
    station = rs.station_of(cand)
    if station is None:
        raise BikesError(
            N_("bike {bike} is not available (it is {current})"),
            field="bike_id",
            status=409,
            bike=cand.b_bike_id,
            current=cand.b_status,
        )
    vt = st.vehicle_type_model(rs.Prefixed(cand, "vt_"))
    plan = st.plan_model(_plan_of(s, rider.system_pk, cand))
    model = rs.bike_of(cand, vt.vehicle_type_id, station.station_id)
    mine = next((r for r in reservations if r.bike_id == model.bike_id), None)
    rented, rental, converted = operations.start_rental(
        model,
        rider.rider_id,
        st.new_id("rent"),
        now,
        station=station,
        plan=plan,
        balance=rider.wallet,
        debt=rider.debt,
        rider_rentals=rentals,
        rider_reservations=reservations,
        reservation=mine,
        passes=passes,
        vehicle_type=vt,
    )
    conn = s.connection()
    row = SimpleNamespace(
        city_id=rider.city_id,
        system_pk=rider.system_pk,
        rental_id=rental.rental_id,
        rider_pk=rider.id,
        bike_pk=cand.b_id,
        bike_code=model.bike_id,
        vehicle_type_id=vt.vehicle_type_id,
        start_station_id=station.station_id,
        end_station_id=None,
        start_time=now,
        end_time=None,
        plan_id=rental.plan_id,
        pass_id=rental.pass_id,
        fare=None,
        status="active",
        source="app",
        credit_minutes=0,
        redirected_from=[],
    )
    if converted is not None:
        changed(
            conn.execute(rs.CONVERT_RESERVATION, {"res_id": res_rows[converted.reservation_id].id}).rowcount,
            bike_gone(model.bike_id),
        )
    if conn.dialect.name == "postgresql":
        rs.lock_station(conn, cand.st_id)  # the station before the bike, as every return does
        done = rs.rent_writes_pg(
            conn,
            was=str(model.status),
            lat=rented.lat,
            lon=rented.lon,
            now=now,
            station_pk=cand.st_id,
            **{k: getattr(row, k) for k in rs.RENT_KEYS},
        )
        changed(done.bikes, bike_gone(model.bike_id))
        if done.docks != 1 or done.rentals != 1:  # the bike was claimed: roll back, do not try another
            raise _torn()
        return rental_json(row)
    claim = {
        "b_id": cand.b_id,
        "b_was": str(model.status),
        "b_station": cand.st_id,
        "b_lat": rented.lat,
        "b_lon": rented.lon,
        "now": now,
    }
    changed(conn.execute(rs.CLAIM_BIKE, claim).rowcount, bike_gone(model.bike_id))
    if conn.execute(rs.UNDOCK, {"s_id": cand.st_id}).rowcount != 1:  # claimed: roll back, do not try another
        raise _torn()
    conn.execute(rs.INSERT_RENTAL, vars(row))
    return rental_json(row)


def end_rental(  # noqa: C901 (complexity baseline: split when next changed)
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

    One transaction: one statement locks the rider and the active rental and reads them with
    the bike, the plan and the return station; then a dock is taken with a conditional update,
    the bike docked, the rental ended and the fare posted (transaction, postings, balances),
    each conditional on the one before (on PostgreSQL all in one statement). The other
    stations are read only when the return station is full.
    """
    now = now_or(now)

    def checks(conn, s: Session):
        """Everything before the first write: the locked ride, the fare, or whether the station is full."""
        rider, ride = rs.active_ride(conn, system_id, user_id, station_id)
        if ride.st_id is None:
            raise BikesError(N_("unknown station {station}"), field="station_id", status=404, station=station_id)
        if ride.b_id is None:
            raise BikesError(N_("rental {rental} is not active"), status=409, rental=ride.r_rental_id)
        rental = st.rental_model(rs.Prefixed(ride, "r_"), rider.rider_id)
        target = rs.station_of(ride)
        plans = {} if ride.pl_id is None else {ride.pl_plan_id: st.plan_model(rs.Prefixed(ride, "pl_"))}
        passes = []
        if ride.has_pass:
            passes = rs.rider_passes(conn, rider.id, rider.rider_id)
            plans = {
                p.plan_id: st.plan_model(p)
                for p in s.scalars(select(BikePricingPlan).where(BikePricingPlan.system_pk == rider.system_pk))
            }
        model = rs.bike_of(ride, ride.vt_vehicle_type_id or ride.r_vehicle_type_id or "", None)
        try:
            ended, docked, fare = operations.end_rental(
                rental,
                model,
                station_id,
                now,
                stations={station_id: target},
                occupied={station_id: ride.st_docked},
                plans=plans,
                passes=passes,
                broken=broken,
                battery=battery,
            )
        except BikesError as exc:
            if exc.status != 409 or "nearest" not in exc.params:
                raise
            return rider, ride, rental, model, None
        return rider, ride, rental, model, (ended, docked, fare)

    def body(s: Session) -> dict:
        conn = s.connection()
        try:
            rider, ride, rental, model, priced = checks(conn, s)
        except BikesError as exc:
            # refused before any write: commit the read-only transaction instead of rolling it back,
            # which would also drop the connection's prepared statements (psycopg)
            raise Deferred(exc) from exc
        if priced is None:  # the station is full or closed: send the rider on
            raise Deferred(_full_station(s, rider, ride.r_id, rental, station_id))
        ended, docked, fare = priced
        not_active = BikesError(N_("rental {rental} is not active"), status=409, rental=rental.rental_id)
        txn = None
        if fare.total > 0:
            txn = st.rider_ledger(rider).charge(
                rider.rider_id,
                fare.total,
                idempotency_key=f"fare:{rental.rental_id}",
                at=now,
                reference=rental.rental_id,
                allow_debt=True,
            )
        balance, debt = rider.wallet, rider.debt
        if conn.dialect.name == "postgresql":
            done = rs.return_writes_pg(
                conn,
                rider,
                txn,
                station_pk=ride.st_id,
                bike_pk=ride.b_id,
                bike_status=str(docked.status),
                lat=docked.lat,
                lon=docked.lon,
                battery=docked.battery,
                now=now,
                rental_pk=ride.r_id,
                end_station_id=station_id,
                fare=fare.total,
                pass_id=fare.pass_id,
            )
            if done.docks == 0:  # filled a moment ago (nothing was written): send the rider on
                raise Deferred(_full_station(s, rider, ride.r_id, rental, station_id))
            changed(done.bikes, not_active)
            changed(done.rentals, not_active)
            if txn is not None:
                if done.wallet is None:
                    raise st.insufficient(balance, txn, rider.rider_id)
                if done.txns != 1 or done.postings != len(txn.postings) or done.posted != 0:
                    raise BikesError(N_("transaction {txn} does not balance"), txn=txn.txn_id)
                balance, debt = int(done.wallet), int(done.debt)
        else:
            if not dock(s, ride.st_id):  # filled a moment ago: send the rider on
                raise Deferred(_full_station(s, rider, ride.r_id, rental, station_id))
            values = {
                "b_id": ride.b_id,
                "b_status": str(docked.status),
                "b_station": ride.st_id,
                "b_lat": docked.lat,
                "b_lon": docked.lon,
                "b_battery": docked.battery,
                "now": now,
            }
            changed(conn.execute(rs.DOCK_BIKE, values).rowcount, not_active)
            values = {"r_id": ride.r_id, "r_end_station": station_id, "now": now, "r_fare": fare.total}
            values["r_pass"] = fare.pass_id
            changed(conn.execute(rs.END_RENTAL, values).rowcount, not_active)
            if txn is not None:
                _pk, balance, debt = st.store_transaction(conn, rider.system_pk, rider.city_id, rider, txn)
        if broken:
            _open_repair(
                s,
                SimpleNamespace(id=rider.system_pk, city_id=rider.city_id),
                ride.b_id,
                model.bike_id,
                station_id,
                docked,
                now,
                note=note,
                rider_pk=rider.id,
                user_id=user_id,
            )
        out = rental_json(
            SimpleNamespace(
                rental_id=ended.rental_id,
                bike_code=ride.r_bike_code,
                vehicle_type_id=ride.r_vehicle_type_id,
                start_station_id=ended.start_station_id,
                end_station_id=ended.end_station_id,
                start_time=ended.start_time,
                end_time=ended.end_time,
                plan_id=ride.r_plan_id,
                pass_id=ended.pass_id,
                fare=ended.fare,
                credit_minutes=ended.credit_minutes,
                status=ended.status,
            )
        )
        out["fare_detail"] = {
            "minutes": fare.minutes,
            "billable_minutes": fare.billable_minutes,
            "unlock_fee": fare.unlock_fee,
            "time_charge": fare.time_charge,
            "total": fare.total,
        }
        out["balance"], out["debt"] = balance, debt
        return out

    return run_write(engine, body, system_id=system_id)


def _full_station(s: Session, rider: rs.RiderLock, rental_pk: int, rental, station_id: str) -> BikesError:
    """The return station is full: read every station and answer with the nearest one with space."""
    system = s.get(BikeSystem, rider.system_pk)
    row = s.get(BikeRental, rental_pk)
    stations = {x.station_id: x for x in s.scalars(select(BikeStation).where(BikeStation.system_pk == system.id))}
    models = {k: st.station_model(v) for k, v in stations.items()}
    occupied = {k: v.docked for k, v in stations.items()}
    return _redirect(s, system, row, rental, stations[station_id], models, occupied)


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


def _open_repair(
    s, system, bike_pk: int, bike_id: str, station_id: str | None, model, now, *, note: str, rider_pk=None, user_id=None
) -> str:
    """Open a priority-1 repair task for a bike (at ``station_id``, if docked) and store the report."""
    _b, task = operations.report_broken(model, st.new_id("task"), now, note=note)
    s.add(
        BikeTask(
            city_id=system.city_id,
            system_pk=system.id,
            task_id=task.task_id,
            kind=task.kind,
            bike_id=bike_id,
            station_id=station_id,
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
            bike_pk=bike_pk,
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
    now = now_or(now)

    def body(s: Session) -> dict:
        system = st.get_system(s, system_id)
        rider = (
            s.scalar(select(BikeRider).where(BikeRider.system_pk == system.id, BikeRider.user_id == user_id))
            if user_id is not None
            else None
        )
        bike = st.get_bike(s, system, bike_id, lock=True)
        model, station, _vt = st.bike_context(s, bike)
        broken, _task = operations.report_broken(model, "check", now, note=note)
        if broken.status != model.status:
            changed(
                s.execute(
                    update(BikeRow)
                    .where(BikeRow.id == bike.id, BikeRow.status == str(model.status))
                    .values(status=str(broken.status), last_reported=now)
                    .execution_options(synchronize_session=False)
                ).rowcount,
                bike_gone(bike_id),
            )
            s.execute(
                update(BikeReservation)
                .where(BikeReservation.bike_pk == bike.id, BikeReservation.status == "active")
                .values(status="cancelled")
                .execution_options(synchronize_session=False)
            )
        task_id = _open_repair(
            s,
            system,
            bike.id,
            bike.bike_id,
            station.station_id if station else None,
            model,
            now,
            note=note,
            rider_pk=rider.id if rider else None,
            user_id=user_id,
        )
        return {"bike_id": bike_id, "status": str(broken.status), "task_id": task_id}

    return run_write(engine, body, system_id=system_id)


# -- the rider's own records (read) -----------------------------------------------------------


def rider_account(session: Session, system: BikeSystem, user_id: int, now: datetime | None = None) -> dict:
    """The signed-in user's rider account: balance, debt, the active rental, a live reservation, a valid day pass."""
    now = now or datetime.now().astimezone()
    rider = st.rider_of_user(session, system, user_id)
    out = rider_json(rider)
    active = session.scalar(select(BikeRental).where(BikeRental.rider_pk == rider.id, BikeRental.status == "active"))
    out["active_rental"] = rental_json(active) if active else None
    _rentals, reservations, _ids, passes = st.rider_records(session, rider)
    live = [r for r in reservations if r.expires_at > now]
    out["reservation"] = reservation_json(live[0]) if live else None
    valid = [p for p in passes if p.covers(now)]
    out["day_pass"] = (
        {"pass_id": valid[0].pass_id, "plan_id": valid[0].plan_id, "valid_until": valid[0].valid_until.isoformat()}
        if valid
        else None
    )
    return out


def rider_rentals(session: Session, system: BikeSystem, user_id: int) -> queries.Listing:
    """The signed-in rider's trips, the latest first (404 for a user who is not a rider of the system)."""
    return queries.Listing(queries.rider_rentals(st.rider_of_user(session, system, user_id)), rental_json)
