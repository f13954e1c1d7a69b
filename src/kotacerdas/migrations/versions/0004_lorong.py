"""Lorong Wisata and the other neighbourhood programmes: programmes, themes, indicators, units, activities,
photos, reports with versions and roll-ups, the waste bank's ledger, food prices.

Revision ID: 0004_lorong
"""

import sqlalchemy as sa
from alembic import op

from kotacerdas.core.db import Geometry, UTCDateTime
from kotacerdas.core.spatial import create_spatial_index, drop_spatial_index

revision = "0004_lorong"
down_revision = "0001_core"
branch_labels = ("lorong",)
depends_on = None

TABLES = [
    "lorong_officers",
    "lorong_price_settings",
    "lorong_programmes",
    "lorong_themes",
    "lorong_units",
    "lorong_activities",
    "lorong_indicators",
    "lorong_markets",
    "lorong_reports",
    "lorong_unit_themes",
    "lorong_waste_banks",
    "lorong_photos",
    "lorong_prices",
    "lorong_report_values",
    "lorong_report_versions",
    "lorong_rollups",
    "lorong_period_counts",
    "lorong_city_rollups",
    "lorong_waste_accounts",
    "lorong_waste_prices",
    "lorong_waste_transactions",
    "lorong_waste_lines",
    "lorong_waste_postings",
]
SPATIAL = ("lorong_units", "lorong_activities", "lorong_markets")


def upgrade() -> None:
    op.create_table(
        "lorong_officers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("kelurahan_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "city_id", "kelurahan_code", name="uq_lorong_officer"),
    )
    op.create_index(op.f("ix_lorong_officers_city_id"), "lorong_officers", ["city_id"], unique=False)
    op.create_index(op.f("ix_lorong_officers_user_id"), "lorong_officers", ["user_id"], unique=False)
    op.create_table(
        "lorong_price_settings",
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("alert_share", sa.Float(), nullable=False),
        sa.Column("baseline_start", sa.Date(), nullable=True),
        sa.Column("baseline_end", sa.Date(), nullable=True),
        sa.CheckConstraint("alert_share > 0", name="ck_lorong_price_share"),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("city_id"),
    )
    op.create_table(
        "lorong_programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("unit_label", sa.JSON(), nullable=False),
        sa.Column("unit_level", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("grades", sa.JSON(), nullable=False),
        sa.Column("due_days", sa.Integer(), nullable=False),
        sa.Column("score_periods", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("period IN ('month', 'quarter')", name="ck_lorong_programme_period"),
        sa.CheckConstraint("unit_level IN ('lorong', 'village')", name="ck_lorong_programme_level"),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("city_id", "code", name="uq_lorong_programme"),
    )
    op.create_index(op.f("ix_lorong_programmes_city_id"), "lorong_programmes", ["city_id"], unique=False)
    op.create_table(
        "lorong_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("named_in_reports", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("weight >= 0", name="ck_lorong_theme_weight"),
        sa.ForeignKeyConstraint(["programme_id"], ["lorong_programmes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("programme_id", "code", name="uq_lorong_theme"),
    )
    op.create_index(op.f("ix_lorong_themes_programme_id"), "lorong_themes", ["programme_id"], unique=False)
    op.create_table(
        "lorong_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("kecamatan_code", sa.String(length=32), nullable=False),
        sa.Column("kelurahan_code", sa.String(length=32), nullable=False),
        sa.Column("rw", sa.String(length=8), nullable=False),
        sa.Column("rt", sa.String(length=8), nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=True),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("coordinator_user_id", sa.Integer(), nullable=True),
        sa.Column("coordinator_name", sa.String(length=200), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("contact_email", sa.String(length=200), nullable=False),
        sa.Column("public_contact", sa.String(length=200), nullable=False),
        sa.Column("is_published", sa.Boolean(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("suggested_grade", sa.String(length=16), nullable=True),
        sa.Column("score_period", sa.String(length=8), nullable=True),
        sa.Column("theme_scores", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("geom", Geometry("Geometry"), nullable=False),
        sa.Column("bbox_minx", sa.Float(), nullable=True),
        sa.Column("bbox_miny", sa.Float(), nullable=True),
        sa.Column("bbox_maxx", sa.Float(), nullable=True),
        sa.Column("bbox_maxy", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coordinator_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["programme_id"], ["lorong_programmes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("programme_id", "code", name="uq_lorong_unit_code"),
        sa.UniqueConstraint("programme_id", "slug", name="uq_lorong_unit_slug"),
    )
    create_spatial_index(op, "lorong_units")
    op.create_index(
        "ix_lorong_unit_areas", "lorong_units", ["programme_id", "kecamatan_code", "kelurahan_code"], unique=False
    )
    op.create_index(op.f("ix_lorong_units_city_id"), "lorong_units", ["city_id"], unique=False)
    op.create_index(op.f("ix_lorong_units_coordinator_user_id"), "lorong_units", ["coordinator_user_id"], unique=False)
    op.create_index(op.f("ix_lorong_units_kecamatan_code"), "lorong_units", ["kecamatan_code"], unique=False)
    op.create_index(op.f("ix_lorong_units_kelurahan_code"), "lorong_units", ["kelurahan_code"], unique=False)
    op.create_index(op.f("ix_lorong_units_programme_id"), "lorong_units", ["programme_id"], unique=False)
    op.create_table(
        "lorong_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("products", sa.JSON(), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("contact_public", sa.Boolean(), nullable=False),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("geom", Geometry("Point"), nullable=True),
        sa.Column("bbox_minx", sa.Float(), nullable=True),
        sa.Column("bbox_miny", sa.Float(), nullable=True),
        sa.Column("bbox_maxx", sa.Float(), nullable=True),
        sa.Column("bbox_maxy", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["theme_id"], ["lorong_themes.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["unit_id"], ["lorong_units.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "code", name="uq_lorong_activity"),
    )
    create_spatial_index(op, "lorong_activities")
    op.create_index(op.f("ix_lorong_activities_city_id"), "lorong_activities", ["city_id"], unique=False)
    op.create_index(op.f("ix_lorong_activities_theme_id"), "lorong_activities", ["theme_id"], unique=False)
    op.create_index(op.f("ix_lorong_activities_unit_id"), "lorong_activities", ["unit_id"], unique=False)
    op.create_table(
        "lorong_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("frequency", sa.String(length=8), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("time_agg", sa.String(length=8), nullable=False),
        sa.Column("area_agg", sa.String(length=8), nullable=False),
        sa.Column("higher_is_better", sa.Boolean(), nullable=False),
        sa.Column("evidence_required", sa.Boolean(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("area_agg IN ('sum', 'mean')", name="ck_lorong_indicator_area_agg"),
        sa.CheckConstraint("frequency IN ('month', 'quarter', 'year')", name="ck_lorong_indicator_frequency"),
        sa.CheckConstraint("time_agg IN ('sum', 'mean', 'last', 'max')", name="ck_lorong_indicator_time_agg"),
        sa.CheckConstraint("weight >= 0", name="ck_lorong_indicator_weight"),
        sa.ForeignKeyConstraint(["programme_id"], ["lorong_programmes.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["theme_id"], ["lorong_themes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("programme_id", "code", name="uq_lorong_indicator"),
    )
    op.create_index(op.f("ix_lorong_indicators_programme_id"), "lorong_indicators", ["programme_id"], unique=False)
    op.create_index(op.f("ix_lorong_indicators_theme_id"), "lorong_indicators", ["theme_id"], unique=False)
    op.create_table(
        "lorong_markets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("kecamatan_code", sa.String(length=32), nullable=False),
        sa.Column("kelurahan_code", sa.String(length=32), nullable=False),
        sa.Column("geom", Geometry("Point"), nullable=True),
        sa.Column("bbox_minx", sa.Float(), nullable=True),
        sa.Column("bbox_miny", sa.Float(), nullable=True),
        sa.Column("bbox_maxx", sa.Float(), nullable=True),
        sa.Column("bbox_maxy", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["lorong_units.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("city_id", "code", name="uq_lorong_market"),
    )
    create_spatial_index(op, "lorong_markets")
    op.create_index(op.f("ix_lorong_markets_city_id"), "lorong_markets", ["city_id"], unique=False)
    op.create_table(
        "lorong_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("submitted_by", sa.Integer(), nullable=True),
        sa.Column("submitted_at", UTCDateTime(), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("verified_by", sa.Integer(), nullable=True),
        sa.Column("verified_at", UTCDateTime(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'submitted', 'verified', 'returned')", name="ck_lorong_report_status"),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["programme_id"], ["lorong_programmes.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["submitted_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["unit_id"], ["lorong_units.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["verified_by"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "period", name="uq_lorong_report_period"),
    )
    op.create_index(
        "ix_lorong_report_programme_period",
        "lorong_reports",
        ["programme_id", "period", "status", "on_time"],
        unique=False,
    )
    op.create_index(op.f("ix_lorong_reports_city_id"), "lorong_reports", ["city_id"], unique=False)
    op.create_index(op.f("ix_lorong_reports_programme_id"), "lorong_reports", ["programme_id"], unique=False)
    op.create_index(op.f("ix_lorong_reports_unit_id"), "lorong_reports", ["unit_id"], unique=False)
    op.create_table(
        "lorong_unit_themes",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["theme_id"], ["lorong_themes.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["lorong_units.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("unit_id", "theme_id"),
    )
    op.create_index(op.f("ix_lorong_unit_themes_theme_id"), "lorong_unit_themes", ["theme_id"], unique=False)
    op.create_table(
        "lorong_waste_banks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("cash", sa.BigInteger(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("cash >= 0", name="ck_lorong_waste_bank_cash"),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["lorong_units.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("city_id", "code", name="uq_lorong_waste_bank"),
    )
    op.create_index(op.f("ix_lorong_waste_banks_city_id"), "lorong_waste_banks", ["city_id"], unique=False)
    op.create_index(op.f("ix_lorong_waste_banks_unit_id"), "lorong_waste_banks", ["unit_id"], unique=False)
    op.create_table(
        "lorong_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("caption", sa.String(length=300), nullable=False),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["lorong_activities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["indicator_id"], ["lorong_indicators.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["report_id"], ["lorong_reports.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["lorong_units.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_lorong_photos_activity_id"), "lorong_photos", ["activity_id"], unique=False)
    op.create_index(op.f("ix_lorong_photos_city_id"), "lorong_photos", ["city_id"], unique=False)
    op.create_index(op.f("ix_lorong_photos_report_id"), "lorong_photos", ["report_id"], unique=False)
    op.create_index(op.f("ix_lorong_photos_unit_id"), "lorong_photos", ["unit_id"], unique=False)
    op.create_table(
        "lorong_prices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("market_id", sa.Integer(), nullable=False),
        sa.Column("commodity", sa.String(length=32), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("reported_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("price > 0", name="ck_lorong_price"),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["market_id"], ["lorong_markets.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reported_by"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("market_id", "commodity", "week", name="uq_lorong_price"),
    )
    op.create_index("ix_lorong_price_city", "lorong_prices", ["city_id", "commodity", "week"], unique=False)
    op.create_index(op.f("ix_lorong_prices_city_id"), "lorong_prices", ["city_id"], unique=False)
    op.create_index(op.f("ix_lorong_prices_market_id"), "lorong_prices", ["market_id"], unique=False)
    op.create_table(
        "lorong_report_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["indicator_id"], ["lorong_indicators.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_id"], ["lorong_reports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("report_id", "indicator_id", name="uq_lorong_report_value"),
    )
    op.create_index(
        op.f("ix_lorong_report_values_indicator_id"), "lorong_report_values", ["indicator_id"], unique=False
    )
    op.create_index(op.f("ix_lorong_report_values_report_id"), "lorong_report_values", ["report_id"], unique=False)
    op.create_table(
        "lorong_report_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("client_key", sa.String(length=64), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["lorong_reports.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_lorong_report_versions_report_id"), "lorong_report_versions", ["report_id"], unique=False)
    op.create_table(
        "lorong_rollups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("kecamatan_code", sa.String(length=32), nullable=False),
        sa.Column("kelurahan_code", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("value_sum", sa.Float(), nullable=False),
        sa.Column("value_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["indicator_id"], ["lorong_indicators.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["programme_id"], ["lorong_programmes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("programme_id", "indicator_id", "kelurahan_code", "period", name="uq_lorong_rollup"),
    )
    op.create_index(
        "ix_lorong_rollup_period",
        "lorong_rollups",
        ["programme_id", "period", "indicator_id", "value_sum", "value_count"],
        unique=False,
    )
    op.create_index(op.f("ix_lorong_rollups_programme_id"), "lorong_rollups", ["programme_id"], unique=False)
    op.create_table(
        "lorong_waste_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("account_no", sa.String(length=32), nullable=False),
        sa.Column("holder_name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("balance", sa.BigInteger(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("balance >= 0", name="ck_lorong_waste_account_balance"),
        sa.ForeignKeyConstraint(["bank_id"], ["lorong_waste_banks.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bank_id", "account_no", name="uq_lorong_waste_account"),
    )
    op.create_index(op.f("ix_lorong_waste_accounts_bank_id"), "lorong_waste_accounts", ["bank_id"], unique=False)
    op.create_index(op.f("ix_lorong_waste_accounts_city_id"), "lorong_waste_accounts", ["city_id"], unique=False)
    op.create_table(
        "lorong_waste_prices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("material", sa.String(length=32), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("rupiah_per_kg", sa.Integer(), nullable=False),
        sa.CheckConstraint("rupiah_per_kg > 0", name="ck_lorong_waste_price"),
        sa.ForeignKeyConstraint(["bank_id"], ["lorong_waste_banks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bank_id", "material", "valid_from", name="uq_lorong_waste_price"),
    )
    op.create_index(op.f("ix_lorong_waste_prices_bank_id"), "lorong_waste_prices", ["bank_id"], unique=False)
    op.create_table(
        "lorong_waste_transactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("account_pk", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("idempotency_key", sa.String(length=120), nullable=False),
        sa.Column("memo", sa.String(length=300), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["account_pk"], ["lorong_waste_accounts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["bank_id"], ["lorong_waste_banks.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bank_id", "idempotency_key", name="uq_lorong_waste_txn_key"),
    )
    op.create_index(
        op.f("ix_lorong_waste_transactions_account_pk"), "lorong_waste_transactions", ["account_pk"], unique=False
    )
    op.create_index(op.f("ix_lorong_waste_transactions_at"), "lorong_waste_transactions", ["at"], unique=False)
    op.create_index(
        op.f("ix_lorong_waste_transactions_bank_id"), "lorong_waste_transactions", ["bank_id"], unique=False
    )
    op.create_index(
        op.f("ix_lorong_waste_transactions_city_id"), "lorong_waste_transactions", ["city_id"], unique=False
    )
    op.create_table(
        "lorong_waste_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_pk", sa.Integer(), nullable=False),
        sa.Column("material", sa.String(length=32), nullable=False),
        sa.Column("kg", sa.Float(), nullable=False),
        sa.Column("rupiah_per_kg", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["transaction_pk"], ["lorong_waste_transactions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_lorong_waste_lines_transaction_pk"), "lorong_waste_lines", ["transaction_pk"], unique=False
    )
    op.create_table(
        "lorong_waste_postings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_pk", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["bank_id"], ["lorong_waste_banks.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["transaction_pk"], ["lorong_waste_transactions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_lorong_waste_postings_bank_id"), "lorong_waste_postings", ["bank_id"], unique=False)
    op.create_index(
        op.f("ix_lorong_waste_postings_transaction_pk"), "lorong_waste_postings", ["transaction_pk"], unique=False
    )
    op.create_table(
        "lorong_period_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("kelurahan_code", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("submitted", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Integer(), nullable=False),
        sa.Column("verified", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["lorong_programmes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("programme_id", "kelurahan_code", "period", name="uq_lorong_period_count"),
    )
    op.create_index(
        op.f("ix_lorong_period_counts_programme_id"), "lorong_period_counts", ["programme_id"], unique=False
    )
    op.create_table(
        "lorong_city_rollups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("value_sum", sa.Float(), nullable=False),
        sa.Column("value_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["indicator_id"], ["lorong_indicators.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["programme_id"], ["lorong_programmes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("programme_id", "indicator_id", "period", name="uq_lorong_city_rollup"),
    )
    op.create_index(
        "ix_lorong_city_rollup_period",
        "lorong_city_rollups",
        ["programme_id", "period", "indicator_id", "value_sum", "value_count"],
        unique=False,
    )
    op.create_index(op.f("ix_lorong_city_rollups_programme_id"), "lorong_city_rollups", ["programme_id"], unique=False)


def downgrade() -> None:
    for table in reversed(TABLES):
        if table in SPATIAL:
            drop_spatial_index(op, table)
        op.drop_table(table)
