"""Bike Sharing's cycling routes: destinations, saved routes (curated and shared) and the stations they link.

Revision ID: 0011_bikes_routes
"""

import sqlalchemy as sa
from alembic import op

from kotacerdas.core.db import Geometry, UTCDateTime
from kotacerdas.core.spatial import create_spatial_index, drop_spatial_index

revision = "0011_bikes_routes"
down_revision = "0003_bikes"
branch_labels = None
depends_on = None


def bbox_columns() -> list[sa.Column]:
    return [sa.Column(n, sa.Float) for n in ("bbox_minx", "bbox_miny", "bbox_maxx", "bbox_maxy")]


def fk(table: str, ondelete: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "bike_destinations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("city_id", sa.Integer, fk("cities", "CASCADE"), nullable=False, index=True),
        sa.Column("destination_id", sa.String(80), nullable=False),
        sa.Column("name", sa.JSON, nullable=False),
        sa.Column("category", sa.String(16), nullable=False, index=True),
        sa.Column("description", sa.JSON, nullable=False),
        sa.Column("photos", sa.JSON, nullable=False),
        sa.Column("opening_hours", sa.String(300)),
        sa.Column("visit_minutes", sa.Integer, nullable=False),
        sa.Column("fee", sa.Integer),
        sa.Column("source", sa.String(120), nullable=False),
        sa.Column("is_demo", sa.Boolean, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("geom", Geometry("Point"), nullable=False),
        *bbox_columns(),
        sa.UniqueConstraint("city_id", "destination_id", name="uq_bike_destination"),
        sa.CheckConstraint("visit_minutes >= 0", name="ck_bike_destination_visit"),
        sa.CheckConstraint("fee IS NULL OR fee >= 0", name="ck_bike_destination_fee"),
    )
    create_spatial_index(op, "bike_destinations")
    op.create_table(
        "bike_routes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("city_id", sa.Integer, fk("cities", "CASCADE"), nullable=False, index=True),
        sa.Column("system_pk", sa.Integer, fk("bike_systems", "CASCADE"), nullable=False, index=True),
        sa.Column("slug", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.JSON, nullable=False),
        sa.Column("description", sa.JSON, nullable=False),
        sa.Column("photos", sa.JSON, nullable=False),
        sa.Column("profile", sa.String(16), nullable=False),
        sa.Column("speed_kmh", sa.Float, nullable=False),
        sa.Column("distance_m", sa.Float, nullable=False),
        sa.Column("duration_s", sa.Float, nullable=False),
        sa.Column("climb_m", sa.Float, nullable=False),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.Column("is_published", sa.Boolean, nullable=False),
        sa.Column("is_demo", sa.Boolean, nullable=False),
        sa.Column("created_by", sa.Integer, fk("users", "SET NULL")),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("geom", Geometry("LineString"), nullable=False),
        *bbox_columns(),
        sa.UniqueConstraint("system_pk", "slug", name="uq_bike_route_slug"),
        sa.CheckConstraint("kind IN ('curated', 'shared')", name="ck_bike_route_kind"),
    )
    create_spatial_index(op, "bike_routes")
    op.create_table(
        "bike_route_stations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("route_pk", sa.Integer, fk("bike_routes", "CASCADE"), nullable=False, index=True),
        sa.Column("station_pk", sa.Integer, fk("bike_stations", "CASCADE"), nullable=False, index=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.UniqueConstraint("route_pk", "station_pk", "role", name="uq_bike_route_station"),
    )


def downgrade() -> None:
    op.drop_table("bike_route_stations")
    for table in ("bike_routes", "bike_destinations"):
        drop_spatial_index(op, table)
        op.drop_table(table)
