"""Neighbourhood-programme tables: programmes, themes, indicators, units, activities, photos, reports and their
versions, roll-ups, the waste bank's ledger, food prices, and who coordinates or verifies what.

Every row carries the ``city_id`` of its programme. Invariants the database keeps whatever the
application does: one report per unit and period; a report's status is one of four; a waste-bank
savings balance and cash box never go below zero (``CHECK``, updated in the same transaction as
the postings); prices and weights are positive or zero.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kotacerdas.core.db import Base, Geometry, SpatialMixin, UTCDateTime, utcnow

REPORT_STATUSES = ("draft", "submitted", "verified", "returned")
UNIT_LEVELS = ("lorong", "village")


def _city() -> Mapped[int]:
    return mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)


def _programme() -> Mapped[int]:
    return mapped_column(ForeignKey("lorong_programmes.id", ondelete="CASCADE"), index=True)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class LorongProgramme(Base):
    """A neighbourhood programme of a city (Lorong Wisata, Smart Kampung ...): its units, period and grades."""

    __tablename__ = "lorong_programmes"
    __table_args__ = (
        UniqueConstraint("city_id", "code", name="uq_lorong_programme"),
        CheckConstraint(_in("unit_level", UNIT_LEVELS), name="ck_lorong_programme_level"),
        CheckConstraint(_in("period", ("month", "quarter")), name="ck_lorong_programme_period"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    unit_label: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    unit_level: Mapped[str] = mapped_column(String(16), default="lorong")
    period: Mapped[str] = mapped_column(String(8), default="month")
    grades: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)
    due_days: Mapped[int] = mapped_column(Integer, default=10)
    score_periods: Mapped[int] = mapped_column(Integer, default=12)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class LorongTheme(Base):
    """A content theme (Lorong Wisata) or evaluation dimension (Smart Kampung), in both languages."""

    __tablename__ = "lorong_themes"
    __table_args__ = (
        UniqueConstraint("programme_id", "code", name="uq_lorong_theme"),
        CheckConstraint("weight >= 0", name="ck_lorong_theme_weight"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = _programme()
    code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    named_in_reports: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class LorongIndicator(Base):
    """What a unit reports under a theme: unit, frequency, target, aggregation, direction, evidence, weight."""

    __tablename__ = "lorong_indicators"
    __table_args__ = (
        UniqueConstraint("programme_id", "code", name="uq_lorong_indicator"),
        CheckConstraint(_in("frequency", ("month", "quarter", "year")), name="ck_lorong_indicator_frequency"),
        CheckConstraint(_in("time_agg", ("sum", "mean", "last", "max")), name="ck_lorong_indicator_time_agg"),
        CheckConstraint(_in("area_agg", ("sum", "mean")), name="ck_lorong_indicator_area_agg"),
        CheckConstraint("weight >= 0", name="ck_lorong_indicator_weight"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = _programme()
    theme_id: Mapped[int] = mapped_column(ForeignKey("lorong_themes.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    unit: Mapped[str] = mapped_column(String(32), default="")
    frequency: Mapped[str] = mapped_column(String(8), default="month")
    target: Mapped[float] = mapped_column(Float, default=0.0)
    time_agg: Mapped[str] = mapped_column(String(8), default="sum")
    area_agg: Mapped[str] = mapped_column(String(8), default="sum")
    higher_is_better: Mapped[bool] = mapped_column(Boolean, default=True)
    evidence_required: Mapped[bool] = mapped_column(Boolean, default=False)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class LorongUnit(SpatialMixin, Base):
    """A unit of a programme (a lorong; a desa for Smart Kampung) with its line or polygon and its admin areas.

    Public: name, address, areas, grade, description, themes, photos, ``public_contact``.
    Private: the coordinator and the contacts (``coordinator_name``, ``contact_phone``, ``contact_email``).
    """

    __tablename__ = "lorong_units"
    __table_args__ = (
        UniqueConstraint("programme_id", "code", name="uq_lorong_unit_code"),
        UniqueConstraint("programme_id", "slug", name="uq_lorong_unit_slug"),
        Index("ix_lorong_unit_areas", "programme_id", "kecamatan_code", "kelurahan_code"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    programme_id: Mapped[int] = _programme()
    code: Mapped[str] = mapped_column(String(64))
    slug: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    kecamatan_code: Mapped[str] = mapped_column(String(32), index=True)
    kelurahan_code: Mapped[str] = mapped_column(String(32), index=True)
    rw: Mapped[str] = mapped_column(String(8), default="")
    rt: Mapped[str] = mapped_column(String(8), default="")
    grade: Mapped[str | None] = mapped_column(String(16))
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    coordinator_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    coordinator_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    public_contact: Mapped[str] = mapped_column(String(200), default="")
    is_published: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)
    suggested_grade: Mapped[str | None] = mapped_column(String(16))
    score_period: Mapped[str | None] = mapped_column(String(8))
    theme_scores: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    geom: Mapped[BaseGeometry] = mapped_column(Geometry("Geometry"))


class LorongUnitTheme(Base):
    """A theme a unit takes part in."""

    __tablename__ = "lorong_unit_themes"
    unit_id: Mapped[int] = mapped_column(ForeignKey("lorong_units.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("lorong_themes.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class LorongOfficer(Base):
    """A lurah's kelurahan: the reports of the units there are theirs to verify."""

    __tablename__ = "lorong_officers"
    __table_args__ = (UniqueConstraint("user_id", "city_id", "kelurahan_code", name="uq_lorong_officer"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    city_id: Mapped[int] = _city()
    kelurahan_code: Mapped[str] = mapped_column(String(32))


class LorongActivity(SpatialMixin, Base):
    """Something a unit runs under a theme (an urban farm plot, a waste bank, a UMKM, a mural, a CCTV point ...)."""

    __tablename__ = "lorong_activities"
    __table_args__ = (UniqueConstraint("unit_id", "code", name="uq_lorong_activity"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    unit_id: Mapped[int] = mapped_column(ForeignKey("lorong_units.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("lorong_themes.id", ondelete="SET NULL"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    #: ``{"id": ..., "en": ...}`` (:mod:`kotacerdas.lorong.texts`): Bahasa Indonesia always, English when given
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    #: ``[{"name": {"id", "en"}, "price": rupiah, "unit": ...}]``
    products: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    contact: Mapped[str] = mapped_column(String(200), default="")
    contact_public: Mapped[bool] = mapped_column(Boolean, default=False)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    geom: Mapped[BaseGeometry | None] = mapped_column(Geometry("Point"))


class LorongPhoto(Base):
    """A photo of a unit, an activity or a report (evidence). Report photos are private to the city's staff."""

    __tablename__ = "lorong_photos"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    unit_id: Mapped[int] = mapped_column(ForeignKey("lorong_units.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("lorong_activities.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("lorong_reports.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("lorong_indicators.id", ondelete="SET NULL"))
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    caption: Mapped[str] = mapped_column(String(300), default="")
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LorongReport(Base):
    """A unit's report for one period: its status, version, who submitted and who verified it."""

    __tablename__ = "lorong_reports"
    __table_args__ = (
        UniqueConstraint("unit_id", "period", name="uq_lorong_report_period"),
        CheckConstraint(_in("status", REPORT_STATUSES), name="ck_lorong_report_status"),
        # Covers the dashboard's reports-on-time count (no table read for 100,000 reports).
        Index("ix_lorong_report_programme_period", "programme_id", "period", "status", "on_time"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    programme_id: Mapped[int] = _programme()
    unit_id: Mapped[int] = mapped_column(ForeignKey("lorong_units.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(8))
    period_start: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    verified_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class LorongReportValue(Base):
    """One indicator value of a report."""

    __tablename__ = "lorong_report_values"
    __table_args__ = (UniqueConstraint("report_id", "indicator_id", name="uq_lorong_report_value"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("lorong_reports.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("lorong_indicators.id", ondelete="CASCADE"), index=True)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(300), default="")


class LorongReportVersion(Base):
    """Each step of a report's life (saved, submitted, returned, verified) with the values as they were then."""

    __tablename__ = "lorong_report_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("lorong_reports.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12))
    values: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    client_key: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LorongRollup(Base):
    """Verified values summed per indicator, kelurahan and period: what the dashboards read.

    Kept by :func:`kotacerdas.lorong.store.rollups.refresh` in the transaction that verifies
    or reopens a report, so it always equals the aggregate of the verified report values.
    """

    __tablename__ = "lorong_rollups"
    __table_args__ = (
        UniqueConstraint("programme_id", "indicator_id", "kelurahan_code", "period", name="uq_lorong_rollup"),
        # Covers the dashboard's trend query (index only).
        Index("ix_lorong_rollup_period", "programme_id", "period", "indicator_id", "value_sum", "value_count"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = _programme()
    indicator_id: Mapped[int] = mapped_column(ForeignKey("lorong_indicators.id", ondelete="CASCADE"))
    kecamatan_code: Mapped[str] = mapped_column(String(32))
    kelurahan_code: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(8))
    value_sum: Mapped[float] = mapped_column(Float, default=0.0)
    value_count: Mapped[int] = mapped_column(Integer, default=0)


class LorongCityRollup(Base):
    """Verified values summed per indicator and period over the whole city (the sum of :class:`LorongRollup`)."""

    __tablename__ = "lorong_city_rollups"
    __table_args__ = (
        UniqueConstraint("programme_id", "indicator_id", "period", name="uq_lorong_city_rollup"),
        Index("ix_lorong_city_rollup_period", "programme_id", "period", "indicator_id", "value_sum", "value_count"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = _programme()
    indicator_id: Mapped[int] = mapped_column(ForeignKey("lorong_indicators.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(8))
    value_sum: Mapped[float] = mapped_column(Float, default=0.0)
    value_count: Mapped[int] = mapped_column(Integer, default=0)


class LorongPeriodCount(Base):
    """Reports per kelurahan and period: submitted (or verified), on time, verified. Kept with every status change."""

    __tablename__ = "lorong_period_counts"
    __table_args__ = (UniqueConstraint("programme_id", "kelurahan_code", "period", name="uq_lorong_period_count"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = _programme()
    kelurahan_code: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(8))
    submitted: Mapped[int] = mapped_column(Integer, default=0)
    on_time: Mapped[int] = mapped_column(Integer, default=0)
    verified: Mapped[int] = mapped_column(Integer, default=0)


# -- waste bank --------------------------------------------------------------------------------------


class LorongWasteBank(Base):
    """A waste bank run by a unit. ``cash`` is the money in its cash box (minus the ``cash`` ledger account)."""

    __tablename__ = "lorong_waste_banks"
    __table_args__ = (
        UniqueConstraint("city_id", "code", name="uq_lorong_waste_bank"),
        CheckConstraint("cash >= 0", name="ck_lorong_waste_bank_cash"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    unit_id: Mapped[int] = mapped_column(ForeignKey("lorong_units.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    cash: Mapped[int] = mapped_column(BigInteger, default=0)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LorongWastePrice(Base):
    """A waste bank's price of a material per kg from a day on."""

    __tablename__ = "lorong_waste_prices"
    __table_args__ = (
        UniqueConstraint("bank_id", "material", "valid_from", name="uq_lorong_waste_price"),
        CheckConstraint("rupiah_per_kg > 0", name="ck_lorong_waste_price"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("lorong_waste_banks.id", ondelete="CASCADE"), index=True)
    material: Mapped[str] = mapped_column(String(32))
    valid_from: Mapped[date] = mapped_column(Date)
    rupiah_per_kg: Mapped[int] = mapped_column(Integer)


class LorongWasteAccount(Base):
    """A resident's savings account. Holder and phone are private; ``balance`` is the savings ledger account's."""

    __tablename__ = "lorong_waste_accounts"
    __table_args__ = (
        UniqueConstraint("bank_id", "account_no", name="uq_lorong_waste_account"),
        CheckConstraint("balance >= 0", name="ck_lorong_waste_account_balance"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    bank_id: Mapped[int] = mapped_column(ForeignKey("lorong_waste_banks.id", ondelete="CASCADE"), index=True)
    account_no: Mapped[str] = mapped_column(String(32))
    holder_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40), default="")
    balance: Mapped[int] = mapped_column(BigInteger, default=0)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LorongWasteTransaction(Base):
    """A waste-bank ledger transaction (deposit, withdrawal, sale, capital); its postings sum to zero."""

    __tablename__ = "lorong_waste_transactions"
    __table_args__ = (UniqueConstraint("bank_id", "idempotency_key", name="uq_lorong_waste_txn_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    bank_id: Mapped[int] = mapped_column(ForeignKey("lorong_waste_banks.id", ondelete="CASCADE"), index=True)
    account_pk: Mapped[int | None] = mapped_column(
        ForeignKey("lorong_waste_accounts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    idempotency_key: Mapped[str] = mapped_column(String(120))
    memo: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class LorongWastePosting(Base):
    """One posting of a waste-bank transaction: ``amount`` rupiah into ``account``."""

    __tablename__ = "lorong_waste_postings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transaction_pk: Mapped[int] = mapped_column(
        ForeignKey("lorong_waste_transactions.id", ondelete="CASCADE"), index=True
    )
    bank_id: Mapped[int] = mapped_column(ForeignKey("lorong_waste_banks.id", ondelete="CASCADE"), index=True)
    account: Mapped[str] = mapped_column(String(64))
    amount: Mapped[int] = mapped_column(BigInteger)


class LorongWasteLine(Base):
    """One material of a deposit: kilograms, the price it was valued at, and the rupiah it earned."""

    __tablename__ = "lorong_waste_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transaction_pk: Mapped[int] = mapped_column(
        ForeignKey("lorong_waste_transactions.id", ondelete="CASCADE"), index=True
    )
    material: Mapped[str] = mapped_column(String(32))
    kg: Mapped[float] = mapped_column(Float)
    rupiah_per_kg: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(BigInteger)


# -- food prices -------------------------------------------------------------------------------------


class LorongMarket(SpatialMixin, Base):
    """A place where staple prices are watched: a market, or a lorong that reports its own."""

    __tablename__ = "lorong_markets"
    __table_args__ = (UniqueConstraint("city_id", "code", name="uq_lorong_market"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="market")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("lorong_units.id", ondelete="SET NULL"))
    kecamatan_code: Mapped[str] = mapped_column(String(32), default="")
    kelurahan_code: Mapped[str] = mapped_column(String(32), default="")
    geom: Mapped[BaseGeometry | None] = mapped_column(Geometry("Point"))


class LorongPrice(Base):
    """A weekly price of a commodity at a market, whole rupiah per the commodity's unit."""

    __tablename__ = "lorong_prices"
    __table_args__ = (
        UniqueConstraint("market_id", "commodity", "week", name="uq_lorong_price"),
        CheckConstraint("price > 0", name="ck_lorong_price"),
        Index("ix_lorong_price_city", "city_id", "commodity", "week"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = _city()
    market_id: Mapped[int] = mapped_column(ForeignKey("lorong_markets.id", ondelete="CASCADE"), index=True)
    commodity: Mapped[str] = mapped_column(String(32))
    week: Mapped[date] = mapped_column(Date)
    price: Mapped[int] = mapped_column(Integer)
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LorongPriceSettings(Base):
    """A city's food-price settings: the baseline period of the index and the share of a rise that alerts."""

    __tablename__ = "lorong_price_settings"
    __table_args__ = (CheckConstraint("alert_share > 0", name="ck_lorong_price_share"),)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), primary_key=True)
    alert_share: Mapped[float] = mapped_column(Float, default=0.10)
    baseline_start: Mapped[date | None] = mapped_column(Date)
    baseline_end: Mapped[date | None] = mapped_column(Date)
