"""Bike Sharing: systems, stations, bikes, riders, prices, rentals, ledger, payments, operations.

Revision ID: 0003_bikes
"""

import sqlalchemy as sa
from alembic import op

from kotacerdas.core.db import Geometry, UTCDateTime
from kotacerdas.core.spatial import create_spatial_index, drop_spatial_index

revision = "0003_bikes"
down_revision = "0001_core"
branch_labels = ("bikes",)
depends_on = None

ACTIVE = sa.text("status = 'active'")
TABLES = [
    "bike_systems",
    "bike_alerts",
    "bike_pricing_plans",
    "bike_regions",
    "bike_riders",
    "bike_stations",
    "bike_tasks",
    "bike_vehicle_types",
    "bike_zones",
    "bike_bikes",
    "bike_day_passes",
    "bike_payment_intents",
    "bike_transactions",
    "bike_postings",
    "bike_rentals",
    "bike_reports",
    "bike_reservations",
]


def bbox_columns() -> list[sa.Column]:
    return [sa.Column(n, sa.Float) for n in ("bbox_minx", "bbox_miny", "bbox_maxx", "bbox_maxy")]


def city_column() -> sa.Column:
    return sa.Column("city_id", sa.Integer, fk("cities", "CASCADE"), nullable=False, index=True)


def system_column() -> sa.Column:
    return sa.Column("system_pk", sa.Integer, fk("bike_systems", "CASCADE"), nullable=False, index=True)


def fk(table: str, ondelete: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "bike_systems",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        sa.Column("system_id", sa.String(64), nullable=False, unique=True, index=True),
        sa.Column("name", sa.JSON, nullable=False),
        sa.Column("short_name", sa.JSON),
        sa.Column("operator", sa.JSON, nullable=False),
        sa.Column("feed_contact_email", sa.String(200), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("languages", sa.JSON, nullable=False),
        sa.Column("opening_hours", sa.String(200), nullable=False),
        sa.Column("url", sa.String(300)),
        sa.Column("email", sa.String(200)),
        sa.Column("phone_number", sa.String(40)),
        sa.Column("start_date", sa.String(10)),
        sa.Column("license_url", sa.String(300)),
        sa.Column("is_demo", sa.Boolean, nullable=False),
        sa.Column("reserve_minutes", sa.Integer, nullable=False),
        sa.Column("redirect_credit_minutes", sa.Integer, nullable=False),
        sa.Column("payment_provider", sa.String(40), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "bike_alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        system_column(),
        sa.Column("alert_id", sa.String(64), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("description", sa.JSON),
        sa.Column("url", sa.JSON),
        sa.Column("times", sa.JSON, nullable=False),
        sa.Column("station_ids", sa.JSON, nullable=False),
        sa.Column("region_ids", sa.JSON, nullable=False),
        sa.Column("last_updated", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("system_pk", "alert_id", name="uq_bike_alert"),
    )
    op.create_table(
        "bike_pricing_plans",
        sa.Column("id", sa.Integer, primary_key=True),
        system_column(),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("name", sa.JSON, nullable=False),
        sa.Column("description", sa.JSON, nullable=False),
        sa.Column("unlock_fee", sa.Integer, nullable=False),
        sa.Column("per_minute", sa.Integer, nullable=False),
        sa.Column("free_minutes", sa.Integer, nullable=False),
        sa.Column("day_pass_price", sa.Integer),
        sa.Column("pass_valid_minutes", sa.Integer, nullable=False),
        sa.Column("vehicle_type_ids", sa.JSON, nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False),
        sa.CheckConstraint("unlock_fee >= 0 AND per_minute >= 0 AND free_minutes >= 0", name="ck_bike_plan_money"),
        sa.CheckConstraint("day_pass_price IS NULL OR day_pass_price >= 0", name="ck_bike_plan_pass"),
        sa.UniqueConstraint("system_pk", "plan_id", name="uq_bike_plan"),
    )
    op.create_table(
        "bike_regions",
        sa.Column("id", sa.Integer, primary_key=True),
        system_column(),
        sa.Column("region_id", sa.String(64), nullable=False),
        sa.Column("name", sa.JSON, nullable=False),
        sa.UniqueConstraint("system_pk", "region_id", name="uq_bike_region"),
    )
    op.create_table(
        "bike_riders",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        system_column(),
        sa.Column("rider_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, fk("users", "SET NULL"), index=True),
        sa.Column("phone", sa.String(20), index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("wallet", sa.BigInteger, nullable=False),
        sa.Column("debt", sa.BigInteger, nullable=False),
        sa.Column("is_demo", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("system_pk", "user_id", name="uq_bike_rider_user"),
        sa.CheckConstraint("debt >= 0", name="ck_bike_rider_debt"),
        sa.UniqueConstraint("system_pk", "rider_id", name="uq_bike_rider_id"),
        sa.CheckConstraint("wallet >= 0", name="ck_bike_rider_wallet"),
    )
    op.create_table(
        "bike_stations",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        system_column(),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("name", sa.JSON, nullable=False),
        sa.Column("short_name", sa.JSON),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("num_docks_disabled", sa.Integer, nullable=False),
        sa.Column("docked", sa.Integer, nullable=False),
        sa.Column("address", sa.String(300)),
        sa.Column("kecamatan_code", sa.String(32), index=True),
        sa.Column("kecamatan_name", sa.String(200)),
        sa.Column("region_id", sa.String(64)),
        sa.Column("nearby", sa.JSON, nullable=False),
        sa.Column("opening_hours", sa.String(200)),
        sa.Column("is_charging_station", sa.Boolean, nullable=False),
        sa.Column("is_installed", sa.Boolean, nullable=False),
        sa.Column("is_renting", sa.Boolean, nullable=False),
        sa.Column("is_returning", sa.Boolean, nullable=False),
        sa.Column("rental_methods", sa.JSON, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("geom", Geometry("Point"), nullable=False),
        *bbox_columns(),
        sa.UniqueConstraint("system_pk", "station_id", name="uq_bike_station"),
        sa.CheckConstraint("capacity >= 0", name="ck_bike_station_capacity"),
        sa.CheckConstraint(
            "num_docks_disabled >= 0 AND num_docks_disabled <= capacity", name="ck_bike_station_disabled"
        ),
        sa.CheckConstraint("docked >= 0 AND docked <= capacity", name="ck_bike_station_docked"),
    )
    op.create_table(
        "bike_tasks",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        system_column(),
        sa.Column("task_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("bike_id", sa.String(64)),
        sa.Column("station_id", sa.String(64)),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime()),
        sa.UniqueConstraint("system_pk", "task_id", name="uq_bike_task"),
    )
    create_spatial_index(op, "bike_stations")
    op.create_table(
        "bike_vehicle_types",
        sa.Column("id", sa.Integer, primary_key=True),
        system_column(),
        sa.Column("vehicle_type_id", sa.String(64), nullable=False),
        sa.Column("name", sa.JSON, nullable=False),
        sa.Column("propulsion_type", sa.String(32), nullable=False),
        sa.Column("form_factor", sa.String(32), nullable=False),
        sa.Column("max_range_meters", sa.Float),
        sa.Column("max_permitted_speed", sa.Integer),
        sa.Column("default_reserve_time", sa.Integer, nullable=False),
        sa.Column("default_pricing_plan_id", sa.String(64)),
        sa.Column("pricing_plan_ids", sa.JSON, nullable=False),
        sa.UniqueConstraint("system_pk", "vehicle_type_id", name="uq_bike_vehicle_type"),
    )
    op.create_table(
        "bike_zones",
        sa.Column("id", sa.Integer, primary_key=True),
        system_column(),
        sa.Column("zone_id", sa.String(64), nullable=False),
        sa.Column("name", sa.JSON, nullable=False),
        sa.Column("rules", sa.JSON, nullable=False),
        sa.Column("geom", Geometry("Geometry"), nullable=False),
        sa.UniqueConstraint("system_pk", "zone_id", name="uq_bike_zone"),
    )
    op.create_table(
        "bike_bikes",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        system_column(),
        sa.Column("bike_id", sa.String(64), nullable=False),
        sa.Column(
            "vehicle_type_pk",
            sa.Integer,
            fk("bike_vehicle_types", "RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("station_pk", sa.Integer, fk("bike_stations", "RESTRICT"), index=True),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("battery", sa.Float),
        sa.Column("last_reported", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status NOT IN ('available', 'reserved') OR station_pk IS NOT NULL",
            name="ck_bike_docked_when_available",
        ),
        sa.UniqueConstraint("system_pk", "bike_id", name="uq_bike_bike"),
        sa.CheckConstraint("battery IS NULL OR (battery >= 0 AND battery <= 1)", name="ck_bike_battery"),
        sa.CheckConstraint(
            "status IN ('available', 'reserved', 'rented', 'broken', 'maintenance', 'missing')",
            name="ck_bike_status",
        ),
        sa.CheckConstraint("status <> 'rented' OR station_pk IS NULL", name="ck_bike_rented_undocked"),
    )
    op.create_table(
        "bike_day_passes",
        sa.Column("id", sa.Integer, primary_key=True),
        system_column(),
        sa.Column("pass_id", sa.String(64), nullable=False),
        sa.Column("rider_pk", sa.Integer, fk("bike_riders", "CASCADE"), nullable=False, index=True),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("purchased_at", UTCDateTime(), nullable=False),
        sa.Column("valid_until", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("system_pk", "pass_id", name="uq_bike_pass"),
    )
    op.create_table(
        "bike_payment_intents",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        system_column(),
        sa.Column("intent_id", sa.String(64), nullable=False),
        sa.Column("provider", sa.String(40), nullable=False),
        sa.Column("rider_pk", sa.Integer, fk("bike_riders", "CASCADE"), nullable=False, index=True),
        sa.Column("amount", sa.Integer, nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("qr_payload", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("paid_txn_id", sa.String(64)),
        sa.UniqueConstraint("intent_id", name="uq_bike_intent"),
        sa.CheckConstraint("amount > 0", name="ck_bike_intent_amount"),
        sa.UniqueConstraint("rider_pk", "idempotency_key", name="uq_bike_intent_key"),
    )
    op.create_table(
        "bike_transactions",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        system_column(),
        sa.Column("txn_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("rider_pk", sa.Integer, fk("bike_riders", "SET NULL"), index=True),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("reference", sa.String(200)),
        sa.Column("memo", sa.String(300), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False, index=True),
        sa.UniqueConstraint("system_pk", "txn_id", name="uq_bike_txn"),
        sa.UniqueConstraint("system_pk", "idempotency_key", name="uq_bike_txn_key"),
    )
    op.create_table(
        "bike_postings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "transaction_pk",
            sa.Integer,
            fk("bike_transactions", "CASCADE"),
            nullable=False,
            index=True,
        ),
        system_column(),
        sa.Column("account", sa.String(120), nullable=False, index=True),
        sa.Column("amount", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "bike_rentals",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        system_column(),
        sa.Column("rental_id", sa.String(64), nullable=False),
        sa.Column("rider_pk", sa.Integer, fk("bike_riders", "SET NULL")),
        sa.Column("bike_pk", sa.Integer, fk("bike_bikes", "SET NULL")),
        sa.Column("bike_code", sa.String(64), nullable=False),
        sa.Column("vehicle_type_id", sa.String(64)),
        sa.Column("start_station_id", sa.String(64), nullable=False),
        sa.Column("end_station_id", sa.String(64)),
        sa.Column("start_time", UTCDateTime(), nullable=False),
        sa.Column("end_time", UTCDateTime()),
        sa.Column("plan_id", sa.String(64)),
        sa.Column("pass_id", sa.String(64)),
        sa.Column("fare", sa.Integer),
        sa.Column("credit_minutes", sa.Integer, nullable=False),
        sa.Column("redirected_from", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.CheckConstraint("fare IS NULL OR fare >= 0", name="ck_bike_rental_fare"),
        sa.UniqueConstraint("system_pk", "rental_id", name="uq_bike_rental"),
    )
    op.create_index("ix_bike_rental_system_start", "bike_rentals", ["system_pk", "start_time"])
    op.create_index(
        "ux_bike_rental_active_bike",
        "bike_rentals",
        ["bike_pk"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    op.create_index(
        "ux_bike_rental_active_rider",
        "bike_rentals",
        ["rider_pk"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    op.create_table(
        "bike_reports",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        system_column(),
        sa.Column("bike_pk", sa.Integer, fk("bike_bikes", "CASCADE"), nullable=False, index=True),
        sa.Column("rider_pk", sa.Integer, fk("bike_riders", "SET NULL")),
        sa.Column("user_id", sa.Integer, fk("users", "SET NULL")),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("task_id", sa.String(64)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "bike_reservations",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        system_column(),
        sa.Column("reservation_id", sa.String(64), nullable=False),
        sa.Column("rider_pk", sa.Integer, fk("bike_riders", "CASCADE"), nullable=False),
        sa.Column("bike_pk", sa.Integer, fk("bike_bikes", "CASCADE"), nullable=False),
        sa.Column("station_pk", sa.Integer, fk("bike_stations", "CASCADE"), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.UniqueConstraint("system_pk", "reservation_id", name="uq_bike_reservation"),
    )
    op.create_index(
        "ux_bike_reservation_active_bike",
        "bike_reservations",
        ["bike_pk"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    op.create_index(
        "ux_bike_reservation_active_rider",
        "bike_reservations",
        ["rider_pk"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )


def downgrade() -> None:
    for table in reversed(TABLES):
        if table == "bike_stations":
            drop_spatial_index(op, "bike_stations")
        op.drop_table(table)
