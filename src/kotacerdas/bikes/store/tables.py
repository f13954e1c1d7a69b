"""Bike Sharing tables: systems, stations, bikes, riders, prices, rentals, ledger, payments, operations.

Every row carries the ``city_id`` of its system. The invariants that must hold under any
concurrency are written into the schema, so that a bug in the application cannot break them:

* a bike has at most one active rental and one active reservation, a rider at most one of
  each (partial unique indexes ``WHERE status = 'active'``, on SQLite and PostgreSQL);
* a station never holds more bikes than docks (``docked`` is kept in step with every
  docking and undocking by conditional updates, and ``CHECK (docked <= capacity)``);
* a wallet never goes below zero and a debt never below zero (``CHECK`` on the rider row,
  updated in the same transaction as the postings);
* every posting row belongs to a transaction whose postings sum to zero (checked by
  :func:`kotacerdas.bikes.store.check_invariants`, which recomputes the balances).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kotacerdas.core.db import Base, Geometry, SpatialMixin, UTCDateTime, utcnow

BIKE_STATUSES = ("available", "reserved", "rented", "broken", "maintenance", "missing")
ACTIVE = text("status = 'active'")


def _city() -> Mapped[int]:
    return mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)


def _system() -> Mapped[int]:
    return mapped_column(ForeignKey("bike_systems.id", ondelete="CASCADE"), index=True)


class BikeSystem(Base):
    """One bike-share system (one GBFS data set) run in a city; ``system_id`` is global."""

    __tablename__ = "bike_systems"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    system_id: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    short_name: Mapped[dict[str, str] | None] = mapped_column(JSON)
    operator: Mapped[dict[str, str]] = mapped_column(JSON)
    feed_contact_email: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["id", "en"])
    opening_hours: Mapped[str] = mapped_column(String(200), default="Mo-Su 05:00-22:00")
    url: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(200))
    phone_number: Mapped[str | None] = mapped_column(String(40))
    start_date: Mapped[str | None] = mapped_column(String(10))
    license_url: Mapped[str | None] = mapped_column(String(300))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    reserve_minutes: Mapped[int] = mapped_column(Integer, default=15)
    redirect_credit_minutes: Mapped[int] = mapped_column(Integer, default=15)
    payment_provider: Mapped[str] = mapped_column(String(40), default="sandbox")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BikeRegion(Base):
    """A named part of a system (usually a kecamatan), GBFS ``system_regions``."""

    __tablename__ = "bike_regions"
    __table_args__ = (UniqueConstraint("system_pk", "region_id", name="uq_bike_region"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    system_pk: Mapped[int] = _system()
    region_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[dict[str, str]] = mapped_column(JSON)


class BikeStation(SpatialMixin, Base):
    """A docking station. ``docked`` counts the bikes standing in its docks (any status)."""

    __tablename__ = "bike_stations"
    __table_args__ = (
        UniqueConstraint("system_pk", "station_id", name="uq_bike_station"),
        CheckConstraint("capacity >= 0", name="ck_bike_station_capacity"),
        CheckConstraint("num_docks_disabled >= 0 AND num_docks_disabled <= capacity", name="ck_bike_station_disabled"),
        CheckConstraint("docked >= 0 AND docked <= capacity", name="ck_bike_station_docked"),
    )
    geom_type = "Point"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    system_pk: Mapped[int] = _system()
    station_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    short_name: Mapped[dict[str, str] | None] = mapped_column(JSON)
    capacity: Mapped[int] = mapped_column(Integer)
    num_docks_disabled: Mapped[int] = mapped_column(Integer, default=0)
    docked: Mapped[int] = mapped_column(Integer, default=0)
    address: Mapped[str | None] = mapped_column(String(300))
    kecamatan_code: Mapped[str | None] = mapped_column(String(32), index=True)
    kecamatan_name: Mapped[str | None] = mapped_column(String(200))
    region_id: Mapped[str | None] = mapped_column(String(64))
    nearby: Mapped[list[Any]] = mapped_column(JSON, default=list)
    opening_hours: Mapped[str | None] = mapped_column(String(200))
    is_charging_station: Mapped[bool] = mapped_column(Boolean, default=False)
    is_installed: Mapped[bool] = mapped_column(Boolean, default=True)
    is_renting: Mapped[bool] = mapped_column(Boolean, default=True)
    is_returning: Mapped[bool] = mapped_column(Boolean, default=True)
    rental_methods: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["key", "phone"])
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    geom: Mapped[BaseGeometry] = mapped_column(Geometry("Point"))


class BikeVehicleType(Base):
    """A kind of bike (classic or e-bike)."""

    __tablename__ = "bike_vehicle_types"
    __table_args__ = (UniqueConstraint("system_pk", "vehicle_type_id", name="uq_bike_vehicle_type"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    system_pk: Mapped[int] = _system()
    vehicle_type_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    propulsion_type: Mapped[str] = mapped_column(String(32), default="human")
    form_factor: Mapped[str] = mapped_column(String(32), default="bicycle")
    max_range_meters: Mapped[float | None] = mapped_column(Float)
    max_permitted_speed: Mapped[int | None] = mapped_column(Integer)
    default_reserve_time: Mapped[int] = mapped_column(Integer, default=15)
    default_pricing_plan_id: Mapped[str | None] = mapped_column(String(64))
    pricing_plan_ids: Mapped[list[str]] = mapped_column(JSON, default=list)


class BikeRow(Base):
    """One bike: status, the station whose dock holds it (if any), battery (e-bikes)."""

    __tablename__ = "bike_bikes"
    __table_args__ = (
        UniqueConstraint("system_pk", "bike_id", name="uq_bike_bike"),
        CheckConstraint("status IN ('" + "', '".join(BIKE_STATUSES) + "')", name="ck_bike_status"),
        CheckConstraint("battery IS NULL OR (battery >= 0 AND battery <= 1)", name="ck_bike_battery"),
        CheckConstraint(
            "status NOT IN ('available', 'reserved') OR station_pk IS NOT NULL",
            name="ck_bike_docked_when_available",
        ),
        CheckConstraint("status <> 'rented' OR station_pk IS NULL", name="ck_bike_rented_undocked"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    system_pk: Mapped[int] = _system()
    bike_id: Mapped[str] = mapped_column(String(64))
    vehicle_type_pk: Mapped[int] = mapped_column(ForeignKey("bike_vehicle_types.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="available", index=True)
    station_pk: Mapped[int | None] = mapped_column(ForeignKey("bike_stations.id", ondelete="RESTRICT"), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    battery: Mapped[float | None] = mapped_column(Float)
    last_reported: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BikeRider(Base):
    """A rider of a system, signed in as a platform user (username = phone number).

    ``wallet`` and ``debt`` (rupiah) are the balances of ``wallet:<rider>`` and minus
    ``receivable:<rider>``; both are updated with the postings, in the same transaction.
    """

    __tablename__ = "bike_riders"
    __table_args__ = (
        UniqueConstraint("system_pk", "user_id", name="uq_bike_rider_user"),
        UniqueConstraint("system_pk", "rider_id", name="uq_bike_rider_id"),
        CheckConstraint("wallet >= 0", name="ck_bike_rider_wallet"),
        CheckConstraint("debt >= 0", name="ck_bike_rider_debt"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    system_pk: Mapped[int] = _system()
    rider_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="id")
    wallet: Mapped[int] = mapped_column(BigInteger, default=0)
    debt: Mapped[int] = mapped_column(BigInteger, default=0)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BikePricingPlan(Base):
    """A price list in integer rupiah (per ride, or a day pass)."""

    __tablename__ = "bike_pricing_plans"
    __table_args__ = (
        UniqueConstraint("system_pk", "plan_id", name="uq_bike_plan"),
        CheckConstraint("unlock_fee >= 0 AND per_minute >= 0 AND free_minutes >= 0", name="ck_bike_plan_money"),
        CheckConstraint("day_pass_price IS NULL OR day_pass_price >= 0", name="ck_bike_plan_pass"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    system_pk: Mapped[int] = _system()
    plan_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[dict[str, str]] = mapped_column(JSON)
    unlock_fee: Mapped[int] = mapped_column(Integer, default=0)
    per_minute: Mapped[int] = mapped_column(Integer, default=0)
    free_minutes: Mapped[int] = mapped_column(Integer, default=0)
    day_pass_price: Mapped[int | None] = mapped_column(Integer)
    pass_valid_minutes: Mapped[int] = mapped_column(Integer, default=24 * 60)
    vehicle_type_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class BikeDayPass(Base):
    """A day pass a rider bought."""

    __tablename__ = "bike_day_passes"
    __table_args__ = (UniqueConstraint("system_pk", "pass_id", name="uq_bike_pass"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    system_pk: Mapped[int] = _system()
    pass_id: Mapped[str] = mapped_column(String(64))
    rider_pk: Mapped[int] = mapped_column(ForeignKey("bike_riders.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[str] = mapped_column(String(64))
    purchased_at: Mapped[datetime] = mapped_column(UTCDateTime())
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime())


class BikeReservation(Base):
    """A bike held for a rider until ``expires_at``: ``active``, ``converted``, ``cancelled``, ``expired``."""

    __tablename__ = "bike_reservations"
    __table_args__ = (
        UniqueConstraint("system_pk", "reservation_id", name="uq_bike_reservation"),
        Index(
            "ux_bike_reservation_active_bike",
            "bike_pk",
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        ),
        Index(
            "ux_bike_reservation_active_rider",
            "rider_pk",
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    system_pk: Mapped[int] = _system()
    reservation_id: Mapped[str] = mapped_column(String(64))
    rider_pk: Mapped[int] = mapped_column(ForeignKey("bike_riders.id", ondelete="CASCADE"))
    bike_pk: Mapped[int] = mapped_column(ForeignKey("bike_bikes.id", ondelete="CASCADE"))
    station_pk: Mapped[int] = mapped_column(ForeignKey("bike_stations.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active")


class BikeRental(Base):
    """A ride (``active`` or ``ended``); imported trip history is stored here too (``source='import'``)."""

    __tablename__ = "bike_rentals"
    __table_args__ = (
        UniqueConstraint("system_pk", "rental_id", name="uq_bike_rental"),
        Index("ux_bike_rental_active_bike", "bike_pk", unique=True, sqlite_where=ACTIVE, postgresql_where=ACTIVE),
        Index(
            "ux_bike_rental_active_rider",
            "rider_pk",
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        ),
        Index("ix_bike_rental_system_start", "system_pk", "start_time"),
        CheckConstraint("fare IS NULL OR fare >= 0", name="ck_bike_rental_fare"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    system_pk: Mapped[int] = _system()
    rental_id: Mapped[str] = mapped_column(String(64))
    rider_pk: Mapped[int | None] = mapped_column(ForeignKey("bike_riders.id", ondelete="SET NULL"))
    bike_pk: Mapped[int | None] = mapped_column(ForeignKey("bike_bikes.id", ondelete="SET NULL"))
    bike_code: Mapped[str] = mapped_column(String(64))
    vehicle_type_id: Mapped[str | None] = mapped_column(String(64))
    start_station_id: Mapped[str] = mapped_column(String(64))
    end_station_id: Mapped[str | None] = mapped_column(String(64))
    start_time: Mapped[datetime] = mapped_column(UTCDateTime())
    end_time: Mapped[datetime | None] = mapped_column(UTCDateTime())
    plan_id: Mapped[str | None] = mapped_column(String(64))
    pass_id: Mapped[str | None] = mapped_column(String(64))
    fare: Mapped[int | None] = mapped_column(Integer)
    credit_minutes: Mapped[int] = mapped_column(Integer, default=0)
    redirected_from: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="active")
    source: Mapped[str] = mapped_column(String(16), default="app")


class BikeReport(Base):
    """A broken-bike report by a rider or the staff."""

    __tablename__ = "bike_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    system_pk: Mapped[int] = _system()
    bike_pk: Mapped[int] = mapped_column(ForeignKey("bike_bikes.id", ondelete="CASCADE"), index=True)
    rider_pk: Mapped[int | None] = mapped_column(ForeignKey("bike_riders.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    task_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BikeTask(Base):
    """Work for the field team: ``repair``, ``recover``, ``rebalance``, ``charge``."""

    __tablename__ = "bike_tasks"
    __table_args__ = (UniqueConstraint("system_pk", "task_id", name="uq_bike_task"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    system_pk: Mapped[int] = _system()
    task_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    bike_id: Mapped[str | None] = mapped_column(String(64))
    station_id: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    priority: Mapped[int] = mapped_column(Integer, default=2)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BikeAlert(Base):
    """A notice to riders (GBFS ``system_alerts``); ``times``: a list of ``[start, end|null]`` ISO strings."""

    __tablename__ = "bike_alerts"
    __table_args__ = (UniqueConstraint("system_pk", "alert_id", name="uq_bike_alert"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    system_pk: Mapped[int] = _system()
    alert_id: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(32))
    summary: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[dict[str, str] | None] = mapped_column(JSON)
    url: Mapped[dict[str, str] | None] = mapped_column(JSON)
    times: Mapped[list[list[str | None]]] = mapped_column(JSON, default=list)
    station_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    region_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    last_updated: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BikeZone(Base):
    """A geofencing zone with its rules (GBFS ``geofencing_zones``)."""

    __tablename__ = "bike_zones"
    __table_args__ = (UniqueConstraint("system_pk", "zone_id", name="uq_bike_zone"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    system_pk: Mapped[int] = _system()
    zone_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    rules: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    geom: Mapped[BaseGeometry] = mapped_column(Geometry("Geometry"))


class BikeTransaction(Base):
    """A ledger transaction; its postings (one row each) sum to zero."""

    __tablename__ = "bike_transactions"
    __table_args__ = (
        UniqueConstraint("system_pk", "txn_id", name="uq_bike_txn"),
        UniqueConstraint("system_pk", "idempotency_key", name="uq_bike_txn_key"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    system_pk: Mapped[int] = _system()
    txn_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    rider_pk: Mapped[int | None] = mapped_column(ForeignKey("bike_riders.id", ondelete="SET NULL"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str | None] = mapped_column(String(200))
    memo: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class BikePosting(Base):
    """One line of a transaction: ``amount`` rupiah into ``account`` (negative: out of it)."""

    __tablename__ = "bike_postings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transaction_pk: Mapped[int] = mapped_column(ForeignKey("bike_transactions.id", ondelete="CASCADE"), index=True)
    system_pk: Mapped[int] = _system()
    account: Mapped[str] = mapped_column(String(120), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)


class BikePaymentIntent(Base):
    """A top-up waiting for payment (``pending``, ``paid``, ``expired``, ``failed``)."""

    __tablename__ = "bike_payment_intents"
    __table_args__ = (
        UniqueConstraint("intent_id", name="uq_bike_intent"),
        UniqueConstraint("rider_pk", "idempotency_key", name="uq_bike_intent_key"),
        CheckConstraint("amount > 0", name="ck_bike_intent_amount"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    system_pk: Mapped[int] = _system()
    intent_id: Mapped[str] = mapped_column(String(64))
    provider: Mapped[str] = mapped_column(String(40))
    rider_pk: Mapped[int] = mapped_column(ForeignKey("bike_riders.id", ondelete="CASCADE"), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    qr_payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    paid_txn_id: Mapped[str | None] = mapped_column(String(64))
