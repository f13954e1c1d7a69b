"""Road Manager, the camera half: captures, frames, damage records with sightings and status history, covered
segments, segment surface distress (SDI); a vehicle's camera model.

Revision ID: 0008_roads_damage
Revises: 0007_roads_exact_condition
"""

import sqlalchemy as sa
from alembic import op

from kotacerdas.core.db import Geometry, UTCDateTime
from kotacerdas.core.spatial import create_spatial_index, drop_spatial_index

revision = "0008_roads_damage"
down_revision = "0007_roads_exact_condition"
branch_labels = None
depends_on = None

TABLES = (
    "road_damage_sightings",
    "road_frames",
    "road_capture_segments",
    "road_damage_status",
    "road_captures",
    "road_segment_distress",
    "road_damages",
)


def upgrade() -> None:
    op.create_table(
        "road_damages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("segment_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_at", UTCDateTime(), nullable=False),
        sa.Column("seen_state", sa.String(length=16), nullable=False),
        sa.Column("first_seen", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.Column("missed_at", UTCDateTime(), nullable=True),
        sa.Column("missed_count", sa.Integer(), nullable=False),
        sa.Column("sightings_count", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("area_m2", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("best_sighting_id", sa.Integer(), nullable=True),
        sa.Column("model", sa.String(length=80), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("geom", Geometry("Point"), nullable=False),
        sa.Column("bbox_minx", sa.Float(), nullable=True),
        sa.Column("bbox_miny", sa.Float(), nullable=True),
        sa.Column("bbox_maxx", sa.Float(), nullable=True),
        sa.Column("bbox_maxy", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["segment_id"], ["road_segments.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_road_damages_city_id"), "road_damages", ["city_id"], unique=False)
    op.create_index(op.f("ix_road_damages_code"), "road_damages", ["code"], unique=False)
    op.create_index(op.f("ix_road_damages_confidence"), "road_damages", ["confidence"], unique=False)
    op.create_index(op.f("ix_road_damages_first_seen"), "road_damages", ["first_seen"], unique=False)
    op.create_index(op.f("ix_road_damages_last_seen"), "road_damages", ["last_seen"], unique=False)
    op.create_index(op.f("ix_road_damages_segment_id"), "road_damages", ["segment_id"], unique=False)
    op.create_index(op.f("ix_road_damages_status"), "road_damages", ["status"], unique=False)
    create_spatial_index(op, "road_damages")
    op.create_table(
        "road_segment_distress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("crack_width_mm", sa.Float(), nullable=True),
        sa.Column("rut_depth_mm", sa.Float(), nullable=True),
        sa.Column("width_m", sa.Float(), nullable=True),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.Column("entered_at", UTCDateTime(), nullable=True),
        sa.Column("sdi", sa.Float(), nullable=True),
        sa.Column("sdi_class", sa.String(length=16), nullable=True),
        sa.Column("sdi_at", UTCDateTime(), nullable=True),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entered_by"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["segment_id"], ["road_segments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("segment_id", name="uq_road_segment_distress"),
    )
    op.create_index(op.f("ix_road_segment_distress_city_id"), "road_segment_distress", ["city_id"], unique=False)
    op.create_index(op.f("ix_road_segment_distress_sdi_class"), "road_segment_distress", ["sdi_class"], unique=False)
    op.create_table(
        "road_captures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=True),
        sa.Column("survey_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("model", sa.String(length=80), nullable=False),
        sa.Column("model_sha256", sa.String(length=64), nullable=False),
        sa.Column("device", sa.String(length=200), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("offset_s", sa.Float(), nullable=False),
        sa.Column("every_m", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("frames_total", sa.Integer(), nullable=False),
        sa.Column("frames_done", sa.Integer(), nullable=False),
        sa.Column("frames_failed", sa.Integer(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("camera", sa.JSON(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["survey_id"], ["road_surveys.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["vehicle_id"], ["road_vehicles.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("city_id", "sha256", "model", name="uq_road_capture_file_model"),
    )
    op.create_index(op.f("ix_road_captures_city_id"), "road_captures", ["city_id"], unique=False)
    op.create_index(op.f("ix_road_captures_started_at"), "road_captures", ["started_at"], unique=False)
    op.create_index(op.f("ix_road_captures_survey_id"), "road_captures", ["survey_id"], unique=False)
    op.create_index(op.f("ix_road_captures_vehicle_id"), "road_captures", ["vehicle_id"], unique=False)
    op.create_table(
        "road_damage_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("damage_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("previous", sa.String(length=16), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["damage_id"], ["road_damages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_road_damage_status_city_id"), "road_damage_status", ["city_id"], unique=False)
    op.create_index(op.f("ix_road_damage_status_damage_id"), "road_damage_status", ["damage_id"], unique=False)
    op.create_table(
        "road_capture_segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("covered_m", sa.Float(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["capture_id"], ["road_captures.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["segment_id"], ["road_segments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("capture_id", "segment_id", name="uq_road_capture_segment"),
    )
    op.create_index(op.f("ix_road_capture_segments_capture_id"), "road_capture_segments", ["capture_id"], unique=False)
    op.create_index(op.f("ix_road_capture_segments_city_id"), "road_capture_segments", ["city_id"], unique=False)
    op.create_index(op.f("ix_road_capture_segments_segment_id"), "road_capture_segments", ["segment_id"], unique=False)
    op.create_table(
        "road_frames",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("heading_deg", sa.Float(), nullable=False),
        sa.Column("speed_mps", sa.Float(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("segment_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("detections", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["capture_id"], ["road_captures.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["segment_id"], ["road_segments.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("capture_id", "idx", name="uq_road_frame_idx"),
    )
    op.create_index(op.f("ix_road_frames_capture_id"), "road_frames", ["capture_id"], unique=False)
    op.create_index(op.f("ix_road_frames_city_id"), "road_frames", ["city_id"], unique=False)
    op.create_table(
        "road_damage_sightings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("damage_id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("frame_id", sa.Integer(), nullable=True),
        sa.Column("vehicle_id", sa.Integer(), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("class_name", sa.String(length=80), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("area_m2", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("box", sa.JSON(), nullable=False),
        sa.Column("crop_path", sa.String(length=300), nullable=True),
        sa.Column("blurred", sa.Integer(), nullable=False),
        sa.Column("device", sa.String(length=200), nullable=False),
        sa.Column("model", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["capture_id"], ["road_captures.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["damage_id"], ["road_damages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["frame_id"], ["road_frames.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["vehicle_id"], ["road_vehicles.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_road_damage_sightings_at"), "road_damage_sightings", ["at"], unique=False)
    op.create_index(op.f("ix_road_damage_sightings_capture_id"), "road_damage_sightings", ["capture_id"], unique=False)
    op.create_index(op.f("ix_road_damage_sightings_city_id"), "road_damage_sightings", ["city_id"], unique=False)
    op.create_index(op.f("ix_road_damage_sightings_damage_id"), "road_damage_sightings", ["damage_id"], unique=False)
    op.add_column("road_vehicles", sa.Column("camera", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("road_vehicles", "camera")
    drop_spatial_index(op, "road_damages")
    for table in TABLES:
        op.drop_table(table)
