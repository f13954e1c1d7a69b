"""Reading and writing bike-share rows: conversions to the domain records, state for the feeds, ledger rows.

Functions here work inside a session the caller opened (and commits); the
transactions with their locking and retries are in :mod:`kotacerdas.bikes.services`; the rows and
records the rider flows need are built here (:func:`bike_context`, :func:`rider_records`).

* ``*_model(row)`` turn rows into the frozen records of :mod:`kotacerdas.bikes.model`;
* :func:`load_state` gathers a :class:`~kotacerdas.bikes.model.SystemState` for the GBFS builders;
* :func:`post_transaction` stores a ledger transaction computed by
  :class:`kotacerdas.bikes.ledger.Ledger` (one row per posting) and moves the rider's stored
  balances with a conditional update in the same transaction;
* :func:`check_invariants` recomputes everything that must always hold and lists what does not.

Ledger rows are written with SQLAlchemy Core statements built once at import
(:func:`store_transaction`); the rest of the rental hot path is in :mod:`kotacerdas.bikes.store.ride_sql`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from shapely.geometry import Point
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from kotacerdas.bikes import ledger as ledgers
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import (
    Alert,
    AlertTime,
    Bike,
    BikeStatus,
    DayPass,
    GeofencingRule,
    GeofencingZone,
    PricingPlan,
    Region,
    Rental,
    Reservation,
    Station,
    System,
    SystemState,
    VehicleType,
    coordinate,
)
from kotacerdas.bikes.store.tables import (
    BikeAlert,
    BikeDayPass,
    BikePosting,
    BikePricingPlan,
    BikeRegion,
    BikeRental,
    BikeReservation,
    BikeRider,
    BikeRow,
    BikeStation,
    BikeSystem,
    BikeTransaction,
    BikeVehicleType,
    BikeZone,
)
from kotacerdas.core import spatial
from kotacerdas.core.db import utcnow
from kotacerdas.core.formats import Quantity
from kotacerdas.core.geometry import distance_m
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import AdminArea, City


def new_id(prefix: str) -> str:
    """A fresh random identifier such as ``rent-3f9c2a7d1b04``."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


# -- look-ups ------------------------------------------------------------------------


def get_system(session: Session, system_id: str) -> BikeSystem:
    """The system ``system_id`` or a 404 error."""
    row = session.scalar(select(BikeSystem).where(BikeSystem.system_id == system_id))
    if row is None:
        raise BikesError(N_("unknown bike-share system {system}"), field="system_id", status=404, system=system_id)
    return row


def get_station(session: Session, system: BikeSystem, station_id: str) -> BikeStation:
    """A station of ``system`` or a 404 error."""
    row = session.scalar(
        select(BikeStation).where(BikeStation.system_pk == system.id, BikeStation.station_id == station_id)
    )
    if row is None:
        raise BikesError(N_("unknown station {station}"), field="station_id", status=404, station=station_id)
    return row


def get_bike(session: Session, system: BikeSystem, bike_id: str, *, lock: bool = False) -> BikeRow:
    """A bike of ``system`` (row-locked on PostgreSQL when ``lock``) or a 404 error."""
    stmt = select(BikeRow).where(BikeRow.system_pk == system.id, BikeRow.bike_id == bike_id)
    row = session.scalar(stmt.with_for_update() if lock else stmt)
    if row is None:
        raise BikesError(N_("unknown bike {bike}"), field="bike_id", status=404, bike=bike_id)
    return row


def get_plan(session: Session, system: BikeSystem, plan_id: str) -> BikePricingPlan:
    row = session.scalar(
        select(BikePricingPlan).where(BikePricingPlan.system_pk == system.id, BikePricingPlan.plan_id == plan_id)
    )
    if row is None:
        raise BikesError(N_("unknown pricing plan {plan}"), field="plan_id", status=404, plan=plan_id)
    return row


def rider_of_user(session: Session, system: BikeSystem, user_id: int, *, lock: bool = False) -> BikeRider:
    """The rider account of a signed-in user in ``system`` (404 when they have not registered)."""
    stmt = select(BikeRider).where(BikeRider.system_pk == system.id, BikeRider.user_id == user_id)
    row = session.scalar(stmt.with_for_update() if lock else stmt)
    if row is None:
        raise BikesError(
            N_("you are not registered as a rider of {system}"),
            field="rider",
            status=404,
            system=system.system_id,
        )
    return row


def station_ids(session: Session, system: BikeSystem) -> dict[int, str]:
    """Station row id -> station id of a system."""
    return dict(
        session.execute(select(BikeStation.id, BikeStation.station_id).where(BikeStation.system_pk == system.id)).all()
    )


def vehicle_type_ids(session: Session, system: BikeSystem) -> dict[int, str]:
    return dict(
        session.execute(
            select(BikeVehicleType.id, BikeVehicleType.vehicle_type_id).where(BikeVehicleType.system_pk == system.id)
        ).all()
    )


def available_by_station(session: Session, system: BikeSystem) -> dict[int, dict[str, int]]:
    """Available bikes per station row id and vehicle type."""
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for spk, vtype, n in session.execute(
        select(BikeRow.station_pk, BikeVehicleType.vehicle_type_id, func.count())
        .join(BikeVehicleType, BikeVehicleType.id == BikeRow.vehicle_type_pk)
        .where(BikeRow.system_pk == system.id, BikeRow.status == "available")
        .group_by(BikeRow.station_pk, BikeVehicleType.vehicle_type_id)
    ):
        out[spk][vtype] = int(n)
    return out


def kecamatan_at(session: Session, city_id: int, lon: float, lat: float) -> tuple[str | None, str | None]:
    """Code and name of the city's kecamatan (admin area level ``district``) holding a point."""
    stmt = select(AdminArea).where(AdminArea.city_id == city_id, AdminArea.level == "district")
    hits = spatial.intersecting(session, stmt, AdminArea, Point(lon, lat))
    return (hits[0].code, hits[0].name) if hits else (None, None)


#: Without stored admin areas, a station must lie within this distance of the city's centre.
CITY_RADIUS_M = 50_000.0


def check_in_city(session: Session, city_id: int, lon: float, lat: float, *, record: Any = None) -> None:
    """Refuse (400) a point outside the city: outside all its stored admin areas or, when it has none,
    farther than :data:`CITY_RADIUS_M` from its centre."""
    area = select(AdminArea).where(AdminArea.city_id == city_id)
    has_areas = session.scalar(select(func.count()).select_from(area.subquery())) or 0
    city = session.get(City, city_id)
    name = city.name if city else str(city_id)
    if has_areas:
        if spatial.intersecting(session, area, AdminArea, Point(lon, lat)):
            return
        raise BikesError(
            N_("The point {lat}, {lon} lies outside {city}: a station must stand within the city's admin areas"),
            field="lat",
            record=record,
            lat=coordinate(lat),
            lon=coordinate(lon),
            city=name,
        )
    if city is None or city.center_lon is None or city.center_lat is None:
        return
    if distance_m(city.center_lon, city.center_lat, lon, lat) > CITY_RADIUS_M:
        raise BikesError(
            N_("The point {lat}, {lon} lies more than {km} km from the centre of {city}"),
            field="lat",
            record=record,
            lat=coordinate(lat),
            lon=coordinate(lon),
            km=int(CITY_RADIUS_M / 1000),
            city=name,
        )


# -- rows -> records -------------------------------------------------------------------


def system_model(row: BikeSystem) -> System:
    return System(
        system_id=row.system_id,
        name=row.name,
        operator=row.operator,
        feed_contact_email=row.feed_contact_email,
        short_name=row.short_name,
        timezone=row.timezone,
        languages=tuple(row.languages or ("id", "en")),
        opening_hours=row.opening_hours,
        url=row.url,
        email=row.email,
        phone_number=row.phone_number,
        start_date=row.start_date,
        license_url=row.license_url,
        is_demo=row.is_demo,
    )


def station_model(row: BikeStation) -> Station:
    return Station(
        row.station_id,
        row.name,
        float(row.geom.y),
        float(row.geom.x),
        row.capacity,
        region_id=row.region_id,
        address=row.address,
        short_name=row.short_name,
        is_charging_station=row.is_charging_station,
        is_installed=row.is_installed,
        is_renting=row.is_renting,
        is_returning=row.is_returning,
        num_docks_disabled=row.num_docks_disabled,
        rental_methods=tuple(row.rental_methods or ("key", "phone")),
    )


def vehicle_type_model(row: BikeVehicleType) -> VehicleType:
    return VehicleType(
        row.vehicle_type_id,
        row.name,
        row.propulsion_type,
        row.form_factor,
        row.max_range_meters,
        max_permitted_speed=row.max_permitted_speed,
        default_reserve_time=row.default_reserve_time,
        default_pricing_plan_id=row.default_pricing_plan_id,
        pricing_plan_ids=tuple(row.pricing_plan_ids or ()),
    )


def bike_model(row: BikeRow, stations: dict[int, str], types: dict[int, str]) -> Bike:
    return Bike(
        row.bike_id,
        types[row.vehicle_type_pk],
        BikeStatus(row.status),
        stations.get(row.station_pk) if row.station_pk is not None else None,
        row.lat,
        row.lon,
        row.battery,
        row.last_reported,
    )


def plan_model(row: BikePricingPlan) -> PricingPlan:
    return PricingPlan(
        row.plan_id,
        row.name,
        row.description,
        unlock_fee=int(row.unlock_fee),
        per_minute=int(row.per_minute),
        free_minutes=int(row.free_minutes),
        day_pass_price=None if row.day_pass_price is None else int(row.day_pass_price),
        pass_valid_minutes=int(row.pass_valid_minutes),
        vehicle_type_ids=tuple(row.vehicle_type_ids or ()),
    )


def alert_model(row: BikeAlert) -> Alert:
    def aware(text: str) -> datetime:  # alerts stored before times were checked may lack their offset: UTC
        when = datetime.fromisoformat(text)
        return when if when.utcoffset() is not None else when.replace(tzinfo=UTC)

    times = []
    for a, b in row.times or ():
        try:
            times.append(AlertTime(aware(a), aware(b) if b else None))
        except (BikesError, ValueError, TypeError):
            continue  # a time stored before it was checked, unreadable: the alert stays, that time is left out
    return Alert(
        row.alert_id,
        row.type,
        row.summary,
        description=row.description,
        url=row.url,
        times=tuple(times),
        station_ids=tuple(row.station_ids or ()),
        region_ids=tuple(row.region_ids or ()),
        last_updated=row.last_updated,
    )


def zone_model(row: BikeZone) -> GeofencingZone:
    rules = tuple(
        GeofencingRule(**{**r, "vehicle_type_ids": tuple(r.get("vehicle_type_ids", ()))}) for r in row.rules or ()
    )
    return GeofencingZone(row.zone_id, row.name, row.geom, rules)


def rental_model(row: BikeRental, rider_id: str | None = None) -> Rental:
    return Rental(
        row.rental_id,
        rider_id or "",
        row.bike_code,
        row.start_station_id,
        row.start_time,
        row.plan_id or "",
        end_station_id=row.end_station_id,
        end_time=row.end_time,
        pass_id=row.pass_id,
        fare=row.fare,
        status=row.status,
        credit_minutes=row.credit_minutes,
    )


def reservation_model(row: BikeReservation, rider_id: str, bike_id: str, station_id: str) -> Reservation:
    return Reservation(row.reservation_id, rider_id, bike_id, station_id, row.created_at, row.expires_at, row.status)


def pass_model(row: BikeDayPass, rider_id: str) -> DayPass:
    return DayPass(row.pass_id, rider_id, row.plan_id, row.purchased_at, row.valid_until)


def bike_context(session: Session, bike: BikeRow) -> tuple[Bike, BikeStation | None, BikeVehicleType]:
    """A bike row as a record, with the row of the station it stands in (``None`` off a dock) and of its type."""
    station = session.get(BikeStation, bike.station_pk) if bike.station_pk is not None else None
    vt = session.get(BikeVehicleType, bike.vehicle_type_pk)
    sid = {station.id: station.station_id} if station else {}
    model = bike_model(bike, sid, {vt.id: vt.vehicle_type_id})
    return model, station, vt


def rider_records(
    session: Session, rider: Any
) -> tuple[list[Rental], list[Reservation], dict[str, BikeReservation], list[DayPass]]:
    """The rider's active rentals, active reservations (as records, and their rows by reservation id) and day passes.

    ``rider`` is a :class:`BikeRider` row or a :class:`~kotacerdas.bikes.store.ride_sql.RiderLock`.
    """
    rentals = [
        rental_model(r, rider.rider_id)
        for r in session.scalars(
            select(BikeRental).where(BikeRental.rider_pk == rider.id, BikeRental.status == "active")
        )
    ]
    ids = {}
    reservations = []
    for r in session.scalars(
        select(BikeReservation).where(BikeReservation.rider_pk == rider.id, BikeReservation.status == "active")
    ):
        bike = session.get(BikeRow, r.bike_pk)
        station = session.get(BikeStation, r.station_pk)
        model = reservation_model(r, rider.rider_id, bike.bike_id, station.station_id)
        ids[model.reservation_id] = r
        reservations.append(model)
    passes = [
        pass_model(p, rider.rider_id)
        for p in session.scalars(select(BikeDayPass).where(BikeDayPass.rider_pk == rider.id))
    ]
    return rentals, reservations, ids, passes


def load_state(session: Session, system: BikeSystem) -> SystemState:
    """Everything the GBFS feeds of ``system`` describe, read in one go."""
    stations = list(
        session.scalars(select(BikeStation).where(BikeStation.system_pk == system.id).order_by(BikeStation.station_id))
    )
    types = list(
        session.scalars(
            select(BikeVehicleType).where(BikeVehicleType.system_pk == system.id).order_by(BikeVehicleType.id)
        )
    )
    sid = {s.id: s.station_id for s in stations}
    tid = {t.id: t.vehicle_type_id for t in types}
    bikes = [
        bike_model(b, sid, tid)
        for b in session.scalars(select(BikeRow).where(BikeRow.system_pk == system.id).order_by(BikeRow.bike_id))
    ]
    plans = [
        plan_model(p)
        for p in session.scalars(
            select(BikePricingPlan)
            .where(BikePricingPlan.system_pk == system.id, BikePricingPlan.is_active.is_(True))
            .order_by(BikePricingPlan.id)
        )
    ]
    alerts = [
        alert_model(a)
        for a in session.scalars(select(BikeAlert).where(BikeAlert.system_pk == system.id).order_by(BikeAlert.id))
    ]
    zones = [
        zone_model(z)
        for z in session.scalars(select(BikeZone).where(BikeZone.system_pk == system.id).order_by(BikeZone.id))
    ]
    regions = [
        Region(r.region_id, r.name)
        for r in session.scalars(
            select(BikeRegion).where(BikeRegion.system_pk == system.id).order_by(BikeRegion.region_id)
        )
    ]
    return SystemState(
        system=system_model(system),
        stations=[station_model(s) for s in stations],
        bikes=bikes,
        vehicle_types=[vehicle_type_model(t) for t in types],
        plans=plans,
        alerts=alerts,
        zones=zones,
        regions=regions,
        reported={s.station_id: s.updated_at for s in stations if s.updated_at is not None},
    )


# -- ledger rows -------------------------------------------------------------------------


def rider_ledger(rider: BikeRider) -> ledgers.Ledger:
    """A ledger holding only the rider's current balances, to compute the next transaction's postings.

    The domain :class:`~kotacerdas.bikes.ledger.Ledger` decides the postings (debt first on
    top-ups, debt on unpaid fares, no pass on credit); an opening transaction reproduces the
    stored wallet and debt, balanced against a technical opening account.
    """
    wallet, debt = int(rider.wallet), int(rider.debt)
    lines = [
        ledgers.Posting(ledgers.wallet(rider.rider_id), wallet),
        ledgers.Posting(ledgers.receivable(rider.rider_id), -debt),
    ]
    net = wallet - debt
    if net > 0:
        lines.append(ledgers.Posting(ledgers.external("_opening"), -net))
    elif net < 0:
        lines.append(ledgers.Posting("revenue:_opening", -net))
    opening = ledgers.Transaction("opening", "opening", tuple(lines), utcnow(), "opening")
    return ledgers.Ledger([opening])


def find_transaction(session: Session, system: BikeSystem, idempotency_key: str) -> BikeTransaction | None:
    return session.scalar(
        select(BikeTransaction).where(
            BikeTransaction.system_pk == system.id, BikeTransaction.idempotency_key == idempotency_key
        )
    )


def postings_of(session: Session, txn: BikeTransaction) -> dict[str, int]:
    return {
        a: int(v)
        for a, v in session.execute(
            select(BikePosting.account, BikePosting.amount).where(BikePosting.transaction_pk == txn.id)
        )
    }


def post_transaction(session: Session, system: BikeSystem, rider: BikeRider, txn: ledgers.Transaction) -> int:
    """Store ``txn`` (one row per posting) and move the rider's stored wallet and debt with it.

    The rider row must be locked by the caller's transaction. The balance update is
    conditional (``wallet + change >= 0``) and backed by ``CHECK`` constraints, so a
    wallet can never be stored below zero whatever runs concurrently. Returns the
    transaction's row id; ``rider.wallet`` and ``rider.debt`` hold the new balances.
    """
    pk, wallet, debt = store_transaction(session.connection(), system.id, system.city_id, rider, txn)
    set_committed_value(rider, "wallet", wallet)
    set_committed_value(rider, "debt", debt)
    return pk


# -- ledger rows (SQLAlchemy Core) --------------------------------------------------

_RIDERS = BikeRider.__table__
_TXNS = BikeTransaction.__table__
_POSTINGS = BikePosting.__table__
_INSERT_TXN = insert(_TXNS).returning(_TXNS.c.id)
_INSERT_POSTING = insert(_POSTINGS)
_MOVE_BALANCES = (
    update(_RIDERS)
    .where(
        _RIDERS.c.id == bindparam("r_id"),
        _RIDERS.c.wallet + bindparam("d_wallet") >= 0,
        _RIDERS.c.debt + bindparam("d_debt") >= 0,
    )
    .values(wallet=_RIDERS.c.wallet + bindparam("d_wallet"), debt=_RIDERS.c.debt + bindparam("d_debt"))
    .returning(_RIDERS.c.wallet, _RIDERS.c.debt)
)


def insufficient(balance: int, txn: ledgers.Transaction, rider_id: str) -> BikesError:
    """The 402 error of a transaction that would take a wallet below zero."""
    return BikesError(
        N_("Not enough balance: {balance} available, {amount} needed. Top up first."),
        field="amount",
        status=402,
        balance=Quantity(balance, "rupiah"),
        amount=Quantity(-txn.amount_to(ledgers.wallet(rider_id)), "rupiah"),
    )


def store_transaction(
    conn: Connection, system_pk: int, city_id: int, rider: Any, txn: ledgers.Transaction
) -> tuple[int, int, int]:
    """Insert ``txn`` and its postings and move the rider's balances; returns (row id, wallet, debt).

    ``rider`` is a locked :class:`BikeRider` or :class:`RiderLock` (``id``, ``rider_id``,
    ``wallet``, ``debt``). The postings must sum to zero; the balance update is conditional and
    answers 402 (nothing stored: the caller's transaction rolls back) when a wallet would go
    below zero.
    """
    if sum(p.amount for p in txn.postings) != 0:
        raise BikesError(N_("transaction {txn} does not balance"), txn=txn.txn_id)
    pk = conn.execute(
        _INSERT_TXN,
        {
            "city_id": city_id,
            "system_pk": system_pk,
            "txn_id": new_id("txn"),
            "kind": txn.kind,
            "rider_pk": rider.id,
            "idempotency_key": txn.idempotency_key,
            "reference": txn.reference,
            "memo": txn.memo,
            "created_at": txn.at,
        },
    ).scalar_one()
    conn.execute(
        _INSERT_POSTING,
        [
            {"transaction_pk": pk, "system_pk": system_pk, "account": p.account, "amount": p.amount}
            for p in txn.postings
        ],
    )
    d_wallet = txn.amount_to(ledgers.wallet(rider.rider_id))
    d_debt = -txn.amount_to(ledgers.receivable(rider.rider_id))
    wallet, debt = int(rider.wallet), int(rider.debt)
    if d_wallet or d_debt:
        moved = conn.execute(_MOVE_BALANCES, {"r_id": rider.id, "d_wallet": d_wallet, "d_debt": d_debt}).first()
        if moved is None:
            raise insufficient(wallet, txn, rider.rider_id)
        wallet, debt = int(moved[0]), int(moved[1])
    return pk, wallet, debt


# -- invariants ----------------------------------------------------------------------------


def check_invariants(session: Session, system: BikeSystem) -> list[str]:
    """Recompute every invariant of ``system`` from the rows; return the broken ones (empty: all hold).

    * each transaction's postings sum to zero and all postings sum to zero;
    * each rider's stored wallet and debt equal the sums of their postings, never below zero;
    * the whole ledger replays through :class:`~kotacerdas.bikes.ledger.Ledger` (sign rules);
    * a bike has at most one active rental or reservation, matching its status;
    * each station's ``docked`` equals the bikes in its docks and never exceeds its capacity.
    """
    problems: list[str] = []
    sums = session.execute(
        select(BikePosting.transaction_pk, func.sum(BikePosting.amount))
        .where(BikePosting.system_pk == system.id)
        .group_by(BikePosting.transaction_pk)
    ).all()
    problems += [f"transaction {pk} sums to {total}" for pk, total in sums if int(total) != 0]
    balances: dict[str, int] = defaultdict(int)
    for account, amount in session.execute(
        select(BikePosting.account, func.sum(BikePosting.amount))
        .where(BikePosting.system_pk == system.id)
        .group_by(BikePosting.account)
    ):
        balances[account] = int(amount)
    if sum(balances.values()) != 0:
        problems.append(f"postings sum to {sum(balances.values())}")
    for rider in session.scalars(select(BikeRider).where(BikeRider.system_pk == system.id)):
        w = balances.get(ledgers.wallet(rider.rider_id), 0)
        d = -balances.get(ledgers.receivable(rider.rider_id), 0)
        if (w, d) != (int(rider.wallet), int(rider.debt)):
            problems.append(f"rider {rider.rider_id}: stored {rider.wallet}/{rider.debt}, postings {w}/{d}")
        if rider.wallet < 0 or rider.debt < 0:
            problems.append(f"rider {rider.rider_id} has a negative balance")
    txns: dict[int, BikeTransaction] = {
        t.id: t
        for t in session.scalars(
            select(BikeTransaction).where(BikeTransaction.system_pk == system.id).order_by(BikeTransaction.id)
        )
    }
    lines: dict[int, list[ledgers.Posting]] = defaultdict(list)
    for pk, account, amount in session.execute(
        select(BikePosting.transaction_pk, BikePosting.account, BikePosting.amount)
        .where(BikePosting.system_pk == system.id)
        .order_by(BikePosting.id)
    ):
        lines[pk].append(ledgers.Posting(account, int(amount)))
    try:
        ledgers.Ledger(
            ledgers.Transaction(t.txn_id, t.kind, tuple(lines[pk]), t.created_at, t.idempotency_key, t.reference)
            for pk, t in txns.items()
        ).check()
    except BikesError as exc:
        problems.append(f"ledger: {exc}")
    for model, label in ((BikeRental, "rentals"), (BikeReservation, "reservations")):
        dup = session.execute(
            select(model.bike_pk, func.count())
            .where(model.system_pk == system.id, model.status == "active")
            .group_by(model.bike_pk)
            .having(func.count() > 1)
        ).all()
        problems += [f"bike {pk} has {n} active {label}" for pk, n in dup]
    rented = set(session.scalars(select(BikeRow.id).where(BikeRow.system_pk == system.id, BikeRow.status == "rented")))
    active = set(
        session.scalars(
            select(BikeRental.bike_pk).where(BikeRental.system_pk == system.id, BikeRental.status == "active")
        )
    )
    if rented != active:
        problems.append(f"rented bikes {sorted(rented ^ active)} do not match active rentals")
    counts = dict(
        session.execute(
            select(BikeRow.station_pk, func.count())
            .where(BikeRow.system_pk == system.id, BikeRow.station_pk.is_not(None))
            .group_by(BikeRow.station_pk)
        ).all()
    )
    for st in session.scalars(select(BikeStation).where(BikeStation.system_pk == system.id)):
        n = int(counts.get(st.id, 0))
        if n != st.docked:
            problems.append(f"station {st.station_id}: docked {st.docked} but {n} bikes")
        if n > st.capacity:
            problems.append(f"station {st.station_id}: {n} bikes in {st.capacity} docks")
    return problems
