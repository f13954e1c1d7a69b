"""Road Manager: road segments, vehicles, surveys, interval results, events, coverage.

Revision ID: 0002_roads
"""

import sqlalchemy as sa
from alembic import op

from kotacerdas.core.db import Geometry, UTCDateTime
from kotacerdas.core.spatial import create_spatial_index, drop_spatial_index

revision = "0002_roads"
down_revision = "0001_core"
branch_labels = ("roads",)
depends_on = None


def bbox_columns() -> list[sa.Column]:
    return [sa.Column(n, sa.Float) for n in ("bbox_minx", "bbox_miny", "bbox_maxx", "bbox_maxy")]


def city_column() -> sa.Column:
    return sa.Column("city_id", sa.Integer, sa.ForeignKey("cities.id", ondelete="CASCADE"), nullable=False, index=True)


def upgrade() -> None:
    op.create_table(
        "road_segments",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        sa.Column("segment_key", sa.String(100), nullable=False),
        sa.Column("osm_way_id", sa.BigInteger, nullable=False),
        sa.Column("from_node", sa.BigInteger, nullable=False),
        sa.Column("to_node", sa.BigInteger, nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("road_key", sa.String(200), nullable=False, index=True),
        sa.Column("highway", sa.String(32), nullable=False),
        sa.Column("surface", sa.String(64)),
        sa.Column("lanes", sa.Integer),
        sa.Column("oneway", sa.Integer, nullable=False),
        sa.Column("oneway_bicycle", sa.Integer, nullable=False),
        sa.Column("motor_vehicle", sa.Boolean, nullable=False),
        sa.Column("bicycle", sa.Boolean, nullable=False),
        sa.Column("length_m", sa.Float, nullable=False),
        sa.Column("district_code", sa.String(32), index=True),
        sa.Column("village_code", sa.String(32)),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("latest_iri", sa.Float),
        sa.Column("latest_class", sa.String(16), index=True),
        sa.Column("latest_at", UTCDateTime(), index=True),
        sa.Column("latest_calibrated", sa.Boolean),
        sa.Column("surveys_count", sa.Integer, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("geom", Geometry("LineString"), nullable=False),
        *bbox_columns(),
        sa.UniqueConstraint("city_id", "segment_key", name="uq_road_segment_key"),
    )
    create_spatial_index(op, "road_segments")
    op.create_table(
        "road_vehicles",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("calibration", sa.JSON),
        sa.Column("calibrated", sa.Boolean, nullable=False),
        sa.Column("calibrated_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("city_id", "code", name="uq_road_vehicle_code"),
    )
    op.create_table(
        "road_surveys",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        sa.Column(
            "vehicle_id", sa.Integer, sa.ForeignKey("road_vehicles.id", ondelete="RESTRICT"), nullable=False, index=True
        ),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("raw_path", sa.String(500)),
        sa.Column("started_at", UTCDateTime(), nullable=False, index=True),
        sa.Column("ended_at", UTCDateTime(), nullable=False),
        sa.Column("length_m", sa.Float, nullable=False),
        sa.Column("measured_m", sa.Float, nullable=False),
        sa.Column("matched_fraction", sa.Float),
        sa.Column("calibrated", sa.Boolean, nullable=False),
        sa.Column("calibration", sa.JSON, nullable=False),
        sa.Column("report", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("geom", Geometry("LineString")),
        *bbox_columns(),
        sa.UniqueConstraint("city_id", "content_hash", name="uq_road_survey_hash"),
    )
    create_spatial_index(op, "road_surveys")
    op.create_table(
        "road_intervals",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        sa.Column(
            "survey_id", sa.Integer, sa.ForeignKey("road_surveys.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("segment_id", sa.Integer, sa.ForeignKey("road_segments.id", ondelete="SET NULL"), index=True),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("from_m", sa.Float, nullable=False),
        sa.Column("to_m", sa.Float, nullable=False),
        sa.Column("measured_at", UTCDateTime(), nullable=False, index=True),
        sa.Column("speed_kmh", sa.Float, nullable=False),
        sa.Column("iri", sa.Float),
        sa.Column("road_class", sa.String(16)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(32)),
        sa.Column("calibrated", sa.Boolean, nullable=False),
        sa.Column("geom", Geometry("LineString"), nullable=False),
        *bbox_columns(),
    )
    create_spatial_index(op, "road_intervals")
    op.create_table(
        "road_events",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        sa.Column(
            "survey_id", sa.Integer, sa.ForeignKey("road_surveys.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("segment_id", sa.Integer, sa.ForeignKey("road_segments.id", ondelete="SET NULL"), index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False, index=True),
        sa.Column("distance_m", sa.Float, nullable=False),
        sa.Column("strength_ms2", sa.Float, nullable=False),
        sa.Column("speed_kmh", sa.Float, nullable=False),
        sa.Column("geom", Geometry("Point"), nullable=False),
        *bbox_columns(),
    )
    create_spatial_index(op, "road_events")
    op.create_table(
        "road_segment_surveys",
        sa.Column("id", sa.Integer, primary_key=True),
        city_column(),
        sa.Column(
            "survey_id", sa.Integer, sa.ForeignKey("road_surveys.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column(
            "segment_id", sa.Integer, sa.ForeignKey("road_segments.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("driven_at", UTCDateTime(), nullable=False, index=True),
        sa.Column("forward", sa.Boolean),
        sa.Column("measured_m", sa.Float, nullable=False),
        sa.Column("iri", sa.Float),
        sa.Column("road_class", sa.String(16)),
        sa.Column("calibrated", sa.Boolean, nullable=False),
        sa.UniqueConstraint("survey_id", "segment_id", name="uq_road_segment_survey"),
    )


def downgrade() -> None:
    op.drop_table("road_segment_surveys")
    for table in ("road_events", "road_intervals", "road_surveys"):
        drop_spatial_index(op, table)
        op.drop_table(table)
    op.drop_table("road_vehicles")
    drop_spatial_index(op, "road_segments")
    op.drop_table("road_segments")
