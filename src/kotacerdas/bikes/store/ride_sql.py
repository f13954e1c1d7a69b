"""The rental hot path in SQLAlchemy Core: statements built once at import, rows read as plain tuples.

A ride is two transactions of :mod:`kotacerdas.bikes.services.rentals` (``rent``, ``end_rental``), each
a handful of statements whose compiled form SQLAlchemy caches and psycopg prepares:

* :func:`lock_rider` locks the rider joined with the system; :func:`active_ride` locks the rider
  and the active rental and reads the bike, the rental's plan and the return station with them;
* :func:`rental_candidates` reads the bikes to rent with their type, station and default plan
  and whether the rider rides, holds a reservation or owns a day pass;
* :func:`rent_writes_pg` and :func:`return_writes_pg` run the writes of a rent or a return on
  PostgreSQL as one statement of data-modifying CTEs, each step conditional on the one before;
  SQLite runs the same conditional statements (:data:`CLAIM_BIKE`, :data:`UNDOCK`,
  :data:`DOCK_RETURN`, ...) one by one.

No ORM objects are loaded on the way; every ``CHECK``, foreign key and partial unique index of
:mod:`kotacerdas.bikes.store.tables` applies to every step.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, and_, bindparam, case, exists, select, text, update
from sqlalchemy.engine import Connection

from kotacerdas.bikes import ledger as ledgers
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import Bike, BikeStatus, DayPass, Rental, Station
from kotacerdas.bikes.store.rows import new_id, rental_model, station_model
from kotacerdas.bikes.store.tables import (
    BikeDayPass,
    BikePricingPlan,
    BikeRental,
    BikeReservation,
    BikeRider,
    BikeRow,
    BikeStation,
    BikeSystem,
    BikeVehicleType,
)
from kotacerdas.core.db import UTCDateTime, utcnow
from kotacerdas.core.i18n import N_

_SYSTEMS = BikeSystem.__table__
_RIDERS = BikeRider.__table__
_BIKES = BikeRow.__table__
_STATIONS = BikeStation.__table__
_TYPES = BikeVehicleType.__table__
_PLANS = BikePricingPlan.__table__
_RENTALS = BikeRental.__table__
_RESERVATIONS = BikeReservation.__table__
_PASSES = BikeDayPass.__table__

_STATION_COLS = (
    "id", "station_id", "name", "short_name", "capacity", "num_docks_disabled", "docked", "address",
    "region_id", "is_charging_station", "is_installed", "is_renting", "is_returning", "rental_methods", "geom",
)  # fmt: skip
_TYPE_COLS = (
    "id", "vehicle_type_id", "name", "propulsion_type", "form_factor", "max_range_meters",
    "max_permitted_speed", "default_reserve_time", "default_pricing_plan_id", "pricing_plan_ids",
)  # fmt: skip
_PLAN_COLS = (
    "id", "plan_id", "name", "description", "unlock_fee", "per_minute", "free_minutes", "day_pass_price",
    "pass_valid_minutes", "vehicle_type_ids",
)  # fmt: skip
_BIKE_COLS = ("id", "bike_id", "status", "station_pk", "lat", "lon", "battery", "last_reported")


def _labelled(table, prefix: str, names: tuple[str, ...]) -> list:
    return [table.c[n].label(prefix + n) for n in names]


class Prefixed:
    """The columns ``<prefix><name>`` of a joined row, read as ``.name`` (for the ``*_model`` functions)."""

    __slots__ = ("_row", "_prefix")

    def __init__(self, row: Row, prefix: str) -> None:
        self._row = row
        self._prefix = prefix

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, self._prefix + name)


@dataclass(slots=True)
class RiderLock:
    """The rider row a transaction locked (``SELECT ... FOR UPDATE``) with its system's ids.

    Has the attributes :func:`rider_ledger` and :func:`store_transaction` read (``id``,
    ``rider_id``, ``wallet``, ``debt``), so it stands in for a :class:`BikeRider` there.
    """

    id: int
    rider_id: str
    wallet: int
    debt: int
    system_pk: int
    city_id: int
    system_id: str


_LOCK_RIDER = (
    select(_RIDERS.c.id, _RIDERS.c.rider_id, _RIDERS.c.wallet, _RIDERS.c.debt, _SYSTEMS.c.id, _SYSTEMS.c.city_id)
    .select_from(_RIDERS.join(_SYSTEMS, _SYSTEMS.c.id == _RIDERS.c.system_pk))
    .where(_SYSTEMS.c.system_id == bindparam("system_id"), _RIDERS.c.user_id == bindparam("user_id"))
    .with_for_update(of=_RIDERS)
)


_RIDING = (
    select(_RIDERS.c.rider_id)
    .select_from(
        _RIDERS.join(_SYSTEMS, _SYSTEMS.c.id == _RIDERS.c.system_pk).join(
            _RENTALS, and_(_RENTALS.c.rider_pk == _RIDERS.c.id, _RENTALS.c.status == "active")
        )
    )
    .where(_SYSTEMS.c.system_id == bindparam("system_id"), _RIDERS.c.user_id == bindparam("user_id"))
)


def refuse_if_riding(conn: Connection, system_id: str, user_id: int) -> None:
    """PostgreSQL: a 409 for a rider who already rides, read before (and without) the rider's lock.

    A burst of rents from one rider is then refused at once instead of queueing for the rider's lock
    one after the other; the check made under the lock (:mod:`kotacerdas.bikes.operations`) stays
    the rule, and SQLite's writes queue in the write gate anyway.
    """
    if conn.dialect.name != "postgresql":
        return
    rider_id = conn.execute(_RIDING, {"system_id": system_id, "user_id": user_id}).scalar()
    if rider_id is not None:
        raise BikesError(N_("rider {rider} already has a bike"), field="rider_id", status=409, rider=rider_id)


def lock_rider(conn: Connection, system_id: str, user_id: int) -> RiderLock:
    """Lock the rider account of ``user_id`` in ``system_id`` (one statement); 404 for either unknown."""
    row = conn.execute(_LOCK_RIDER, {"system_id": system_id, "user_id": user_id}).first()
    if row is None:
        if conn.execute(select(_SYSTEMS.c.id).where(_SYSTEMS.c.system_id == system_id)).first() is None:
            raise BikesError(N_("unknown bike-share system {system}"), field="system_id", status=404, system=system_id)
        raise BikesError(
            N_("you are not registered as a rider of {system}"), field="rider", status=404, system=system_id
        )
    pk, rider_id, wallet, debt, system_pk, city_id = row
    return RiderLock(pk, rider_id, int(wallet), int(debt), system_pk, city_id, system_id)


_RIDER = bindparam("rider_pk")
_RIDER_FLAGS = select(
    exists().where(_RENTALS.c.rider_pk == _RIDER, _RENTALS.c.status == "active"),
    exists().where(_RESERVATIONS.c.rider_pk == _RIDER, _RESERVATIONS.c.status == "active"),
    exists().where(_PASSES.c.rider_pk == _RIDER),
)


def rider_flags(conn: Connection, rider_pk: int) -> tuple[bool, bool, bool]:
    """Whether the rider has an active rental, an active reservation, any day pass (one statement).

    Read after the rider row is locked, so no other rider transaction changes them meanwhile.
    """
    has_rental, has_reservation, has_pass = conn.execute(_RIDER_FLAGS, {"rider_pk": rider_pk}).one()
    return bool(has_rental), bool(has_reservation), bool(has_pass)


_RIDER_PASSES = select(_PASSES.c.pass_id, _PASSES.c.plan_id, _PASSES.c.purchased_at, _PASSES.c.valid_until).where(
    _PASSES.c.rider_pk == _RIDER
)


def rider_passes(conn: Connection, rider_pk: int, rider_id: str) -> list[DayPass]:
    """Every day pass the rider bought."""
    return [DayPass(p, rider_id, plan, a, b) for p, plan, a, b in conn.execute(_RIDER_PASSES, {"rider_pk": rider_pk})]


_RIDER_RENTALS = select(_RENTALS).where(_RENTALS.c.rider_pk == _RIDER, _RENTALS.c.status == "active")


def rider_rentals(conn: Connection, rider_pk: int, rider_id: str) -> list[Rental]:
    """The rider's active rentals (at most one: a partial unique index)."""
    return [rental_model(r, rider_id) for r in conn.execute(_RIDER_RENTALS, {"rider_pk": rider_pk})]


_CANDIDATE_JOIN = (
    _BIKES.join(_TYPES, _TYPES.c.id == _BIKES.c.vehicle_type_pk)
    .outerjoin(_STATIONS, _STATIONS.c.id == _BIKES.c.station_pk)
    .outerjoin(
        _PLANS,
        and_(_PLANS.c.system_pk == _BIKES.c.system_pk, _PLANS.c.plan_id == _TYPES.c.default_pricing_plan_id),
    )
)
_FLAG_COLS = (
    exists().where(_RENTALS.c.rider_pk == _RIDER, _RENTALS.c.status == "active").label("has_rental"),
    exists().where(_RESERVATIONS.c.rider_pk == _RIDER, _RESERVATIONS.c.status == "active").label("has_reservation"),
    exists().where(_PASSES.c.rider_pk == _RIDER).label("has_pass"),
)
_CANDIDATE = select(
    *_labelled(_BIKES, "b_", _BIKE_COLS),
    *_labelled(_TYPES, "vt_", _TYPE_COLS),
    *_labelled(_STATIONS, "st_", _STATION_COLS),
    *_labelled(_PLANS, "pl_", _PLAN_COLS),
    *_FLAG_COLS,
).select_from(_CANDIDATE_JOIN)
_CANDIDATE_BY_ID = _CANDIDATE.where(
    _BIKES.c.system_pk == bindparam("system_pk"), _BIKES.c.bike_id == bindparam("bike_id")
)
_CANDIDATE_BY_PK = _CANDIDATE.where(_BIKES.c.id == bindparam("bike_pk"))
# the station is found by its unique key first, then its bikes by the station index (whatever the statistics)
_CANDIDATES_AT = _CANDIDATE.where(
    _BIKES.c.station_pk
    == select(_STATIONS.c.id)
    .where(_STATIONS.c.system_pk == bindparam("system_pk"), _STATIONS.c.station_id == bindparam("station_id"))
    .scalar_subquery(),
    _BIKES.c.status == "available",
).order_by(
    # a classic bike first (no battery: the cheaper plan), then the best charged e-bike; a rider who wants an
    # e-bike names the type (rentals.rent's vehicle_type_id)
    case((_BIKES.c.battery.is_(None), 0), else_=1),
    _BIKES.c.battery.desc(),
    _BIKES.c.bike_id,
)


# FOR NO KEY UPDATE: the lock the UPDATE of a station's dock count takes
_LOCK_STATION = select(_STATIONS.c.id).where(_STATIONS.c.id == bindparam("station_pk")).with_for_update(key_share=True)


def lock_station(conn: Connection, station_pk: int) -> None:
    """PostgreSQL: lock the station a bike is rented from before the bike (SQLite: its write lock does).

    Every rent and every return then locks the station first and the bike second (a return docks
    first), so they never deadlock; and concurrent rents at one station (locked before its bikes
    are read) queue on it and each reads the bikes the one before left, instead of all racing for
    the same best bike. Locking it again in the same transaction costs nothing.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(_LOCK_STATION, {"station_pk": station_pk})


def station_candidates(conn: Connection, system_pk: int, rider_pk: int, station_id: str) -> Iterator[Row]:
    """The available bikes at ``station_id`` (:func:`rental_candidates`), read after locking the station.

    On PostgreSQL a first read without the lock answers a station with no bike left at once (a
    refusal does not queue behind the rents); otherwise the station is locked (:func:`lock_station`)
    and its bikes read again, as the rent before left them.
    """
    rows = rental_candidates(conn, system_pk, rider_pk, station_id=station_id)
    if conn.dialect.name != "postgresql":
        return rows
    first = next(rows, None)
    if first is None:
        return iter(())
    lock_station(conn, first.st_id)
    return rental_candidates(conn, system_pk, rider_pk, station_id=station_id)


def rental_candidates(
    conn: Connection,
    system_pk: int,
    rider_pk: int,
    *,
    bike_id: str | None = None,
    bike_pk: int | None = None,
    station_id: str | None = None,
) -> Iterator[Row]:
    """Bikes to rent with their vehicle type, station and default plan, in one statement.

    By ``bike_id`` or ``bike_pk`` (whatever its status), or the available bikes at
    ``station_id``, best battery first. Columns are prefixed ``b_``, ``vt_``, ``st_``, ``pl_``
    (see :class:`Prefixed`); ``st_*`` are null for a bike off its dock, ``pl_*`` when the
    vehicle type names no default plan. Each row also says whether the rider (locked by the
    caller, so these cannot change meanwhile) has an active rental, an active reservation or
    any day pass (``has_rental``, ``has_reservation``, ``has_pass``). Rows are converted as
    they are read, so a rider who gets the first bike pays for one row only.
    """
    params = {"system_pk": system_pk, "rider_pk": rider_pk}
    if bike_id is not None:
        return iter(conn.execute(_CANDIDATE_BY_ID, {**params, "bike_id": bike_id}))
    if bike_pk is not None:
        return iter(conn.execute(_CANDIDATE_BY_PK, {**params, "bike_pk": bike_pk}))
    return iter(conn.execute(_CANDIDATES_AT, {**params, "station_id": station_id}))


_RENTAL_COLS = (
    "id", "rental_id", "bike_pk", "bike_code", "vehicle_type_id", "start_station_id", "end_station_id",
    "start_time", "end_time", "plan_id", "pass_id", "fare", "credit_minutes", "status",
)  # fmt: skip
_ACTIVE_RIDE = (
    select(
        _RIDERS.c.id.label("ri_id"),
        _RIDERS.c.rider_id.label("ri_rider_id"),
        _RIDERS.c.wallet.label("ri_wallet"),
        _RIDERS.c.debt.label("ri_debt"),
        _SYSTEMS.c.id.label("sy_id"),
        _SYSTEMS.c.city_id.label("sy_city_id"),
        *_labelled(_RENTALS, "r_", _RENTAL_COLS),
        *_labelled(_BIKES, "b_", _BIKE_COLS),
        _TYPES.c.vehicle_type_id.label("vt_vehicle_type_id"),
        *_labelled(_PLANS, "pl_", _PLAN_COLS),
        *_labelled(_STATIONS, "st_", _STATION_COLS),
        exists().where(_PASSES.c.rider_pk == _RIDERS.c.id).label("has_pass"),
    )
    .select_from(
        _RIDERS.join(_SYSTEMS, _SYSTEMS.c.id == _RIDERS.c.system_pk)
        .join(_RENTALS, and_(_RENTALS.c.rider_pk == _RIDERS.c.id, _RENTALS.c.status == "active"))
        .outerjoin(_BIKES, _BIKES.c.id == _RENTALS.c.bike_pk)
        .outerjoin(_TYPES, _TYPES.c.id == _BIKES.c.vehicle_type_pk)
        .outerjoin(_PLANS, and_(_PLANS.c.system_pk == _RENTALS.c.system_pk, _PLANS.c.plan_id == _RENTALS.c.plan_id))
        .outerjoin(
            _STATIONS,
            and_(_STATIONS.c.system_pk == _RENTALS.c.system_pk, _STATIONS.c.station_id == bindparam("station_id")),
        )
    )
    .where(_SYSTEMS.c.system_id == bindparam("system_id"), _RIDERS.c.user_id == bindparam("user_id"))
    .with_for_update(of=[_RIDERS, _RENTALS])
)


def active_ride(conn: Connection, system_id: str, user_id: int, station_id: str) -> tuple[RiderLock, Row]:
    """Lock the rider and their active rental, read with its bike, plan and the return station: one statement.

    Columns are prefixed ``r_`` (rental), ``b_`` (bike), ``vt_``, ``pl_`` (the rental's plan)
    and ``st_`` (the station ``station_id``; null when unknown), plus ``has_pass`` (the rider
    has bought a day pass; passes bought during the ride never cover it). Raises 404 for an
    unknown system or rider and 409 when the rider is not riding.
    """
    row = conn.execute(_ACTIVE_RIDE, {"system_id": system_id, "user_id": user_id, "station_id": station_id}).first()
    if row is None:
        lock_rider(conn, system_id, user_id)  # 404 for an unknown system or rider
        raise BikesError(N_("you have no active rental"), field="rental_id", status=409)
    rider = RiderLock(
        row.ri_id, row.ri_rider_id, int(row.ri_wallet), int(row.ri_debt), row.sy_id, row.sy_city_id, system_id
    )
    return rider, row


def station_of(row: Row) -> Station | None:
    """The ``st_`` station of a hot-path row as a record (``None`` when absent)."""
    return None if row.st_id is None else station_model(Prefixed(row, "st_"))


def bike_of(row: Row, vehicle_type_id: str, station_id: str | None) -> Bike:
    """The ``b_`` bike of a hot-path row as a record."""
    return Bike(
        row.b_bike_id,
        vehicle_type_id,
        BikeStatus(row.b_status),
        station_id,
        row.b_lat,
        row.b_lon,
        row.b_battery,
        row.b_last_reported,
    )


# PostgreSQL runs the writes of a rent or a return as one statement of data-modifying CTEs, each
# step conditional on the one before (``EXISTS (SELECT 1 FROM <previous step>)``) and every CHECK
# and unique index still in force; the counts it returns tell which condition failed. SQLite runs
# the same conditional statements one by one (:mod:`kotacerdas.bikes.services.rentals`).
_RENT_WRITES_PG = text(
    """
WITH b AS (
    UPDATE bike_bikes SET status = 'rented', station_pk = NULL, lat = :lat, lon = :lon, last_reported = :now
    WHERE id = :bike_pk AND status = :was AND station_pk = :station_pk
    RETURNING id
), s AS (
    UPDATE bike_stations SET docked = docked - 1, updated_at = :stamp
    WHERE id = :station_pk AND docked >= 1 AND EXISTS (SELECT 1 FROM b)
    RETURNING id
), r AS (
    INSERT INTO bike_rentals (city_id, system_pk, rental_id, rider_pk, bike_pk, bike_code, vehicle_type_id,
        start_station_id, start_time, plan_id, pass_id, credit_minutes, redirected_from, status, source)
    SELECT :city_id, :system_pk, :rental_id, :rider_pk, :bike_pk, :bike_code, :vehicle_type_id,
        :start_station_id, :now, :plan_id, :pass_id, 0, CAST('[]' AS json), 'active', 'app'
    WHERE EXISTS (SELECT 1 FROM s)
    RETURNING id
)
SELECT (SELECT count(*) FROM b) AS bikes, (SELECT count(*) FROM s) AS docks, (SELECT count(*) FROM r) AS rentals
"""
).bindparams(bindparam("now", type_=UTCDateTime()), bindparam("stamp", type_=UTCDateTime()))

_RETURN_WRITES_PG = text(
    """
WITH d AS (
    UPDATE bike_stations SET docked = docked + 1, updated_at = :stamp
    WHERE id = :station_pk AND docked < capacity - num_docks_disabled AND is_returning AND is_installed
    RETURNING id
), b AS (
    UPDATE bike_bikes SET status = :bike_status, station_pk = :station_pk, lat = :lat, lon = :lon,
        battery = :battery, last_reported = :now
    WHERE id = :bike_pk AND status = 'rented' AND EXISTS (SELECT 1 FROM d)
    RETURNING id
), r AS (
    UPDATE bike_rentals SET status = 'ended', end_station_id = :end_station_id, end_time = :now, fare = :fare,
        pass_id = :pass_id
    WHERE id = :rental_pk AND status = 'active' AND EXISTS (SELECT 1 FROM b)
    RETURNING id
), t AS (
    INSERT INTO bike_transactions (city_id, system_pk, txn_id, kind, rider_pk, idempotency_key, reference, memo,
        created_at)
    SELECT :city_id, :system_pk, :txn_id, :kind, :rider_pk, :idempotency_key, :reference, :memo, :txn_at
    WHERE CAST(:charge AS boolean) AND EXISTS (SELECT 1 FROM r)
    RETURNING id
), p AS (
    INSERT INTO bike_postings (transaction_pk, system_pk, account, amount)
    SELECT t.id, :system_pk, v.account, v.amount
    FROM t, unnest(CAST(:accounts AS varchar[]), CAST(:amounts AS bigint[])) AS v(account, amount)
    RETURNING amount
), w AS (
    UPDATE bike_riders SET wallet = wallet + :d_wallet, debt = debt + :d_debt
    WHERE id = :rider_pk AND wallet + :d_wallet >= 0 AND debt + :d_debt >= 0 AND EXISTS (SELECT 1 FROM t)
    RETURNING wallet, debt
)
SELECT (SELECT count(*) FROM d) AS docks, (SELECT count(*) FROM b) AS bikes, (SELECT count(*) FROM r) AS rentals,
    (SELECT count(*) FROM t) AS txns, (SELECT coalesce(sum(amount), 0) FROM p) AS posted,
    (SELECT count(*) FROM p) AS postings, (SELECT wallet FROM w) AS wallet, (SELECT debt FROM w) AS debt
"""
).bindparams(
    bindparam("now", type_=UTCDateTime()),
    bindparam("stamp", type_=UTCDateTime()),
    bindparam("txn_at", type_=UTCDateTime()),
)


def rent_writes_pg(conn: Connection, **values: Any) -> Row:
    """PostgreSQL: claim the bike, free its dock and insert the rental in one statement; the counts of each."""
    return conn.execute(_RENT_WRITES_PG, {"stamp": utcnow(), **values}).one()


def return_writes_pg(conn: Connection, rider: RiderLock, txn: ledgers.Transaction | None, **values: Any) -> Row:
    """PostgreSQL: dock, dock the bike, end the rental, post ``txn`` and move the balances in one statement.

    Every step runs only when the one before changed its row; returns the counts of each step,
    the sum and number of the stored postings and the new balances (null when no charge).
    """
    lines = txn.postings if txn is not None else ()
    if sum(p.amount for p in lines) != 0:
        raise BikesError(N_("transaction {txn} does not balance"), txn=txn.txn_id)
    return conn.execute(
        _RETURN_WRITES_PG,
        {
            "stamp": utcnow(),
            "city_id": rider.city_id,
            "system_pk": rider.system_pk,
            "rider_pk": rider.id,
            "charge": txn is not None,
            "txn_id": new_id("txn"),
            "kind": txn.kind if txn else "charge",
            "idempotency_key": txn.idempotency_key if txn else "",
            "reference": txn.reference if txn else None,
            "memo": txn.memo if txn else "",
            "txn_at": txn.at if txn else utcnow(),
            "accounts": [p.account for p in lines],
            "amounts": [p.amount for p in lines],
            "d_wallet": txn.amount_to(ledgers.wallet(rider.rider_id)) if txn else 0,
            "d_debt": -txn.amount_to(ledgers.receivable(rider.rider_id)) if txn else 0,
            **values,
        },
    ).one()


# -- the conditional writes, one statement each (SQLite; PostgreSQL for the operator's moves) -----

_NOW = bindparam("now", type_=UTCDateTime())
UNDOCK = (
    update(_STATIONS)
    .where(_STATIONS.c.id == bindparam("s_id"), _STATIONS.c.docked >= 1)
    .values(docked=_STATIONS.c.docked - 1)
)
DOCK_ANY = update(_STATIONS).where(
    _STATIONS.c.id == bindparam("s_id"),
    _STATIONS.c.docked < _STATIONS.c.capacity - _STATIONS.c.num_docks_disabled,
)
DOCK_RETURN = DOCK_ANY.where(_STATIONS.c.is_returning.is_(True), _STATIONS.c.is_installed.is_(True))
DOCK_ANY = DOCK_ANY.values(docked=_STATIONS.c.docked + 1)
DOCK_RETURN = DOCK_RETURN.values(docked=_STATIONS.c.docked + 1)
CLAIM_BIKE = (
    update(_BIKES)
    .where(
        _BIKES.c.id == bindparam("b_id"),
        _BIKES.c.status == bindparam("b_was"),
        _BIKES.c.station_pk == bindparam("b_station"),
    )
    .values(status="rented", station_pk=None, lat=bindparam("b_lat"), lon=bindparam("b_lon"), last_reported=_NOW)
)
CONVERT_RESERVATION = (
    update(_RESERVATIONS)
    .where(_RESERVATIONS.c.id == bindparam("res_id"), _RESERVATIONS.c.status == "active")
    .values(status="converted")
)
INSERT_RENTAL = _RENTALS.insert()
DOCK_BIKE = (
    update(_BIKES)
    .where(_BIKES.c.id == bindparam("b_id"), _BIKES.c.status == "rented")
    .values(
        status=bindparam("b_status"),
        station_pk=bindparam("b_station"),
        lat=bindparam("b_lat"),
        lon=bindparam("b_lon"),
        battery=bindparam("b_battery"),
        last_reported=_NOW,
    )
)
END_RENTAL = (
    update(_RENTALS)
    .where(_RENTALS.c.id == bindparam("r_id"), _RENTALS.c.status == "active")
    .values(
        status="ended",
        end_station_id=bindparam("r_end_station"),
        end_time=_NOW,
        fare=bindparam("r_fare"),
        pass_id=bindparam("r_pass"),
    )
)


RENT_KEYS = (
    "city_id", "system_pk", "rental_id", "rider_pk", "bike_pk", "bike_code", "vehicle_type_id",
    "start_station_id", "plan_id", "pass_id",
)  # fmt: skip
