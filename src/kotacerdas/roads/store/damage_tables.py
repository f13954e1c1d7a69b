"""Road Manager's camera tables: captures (a video or photo set inspected by a model), their frames, damage records
with their sightings and status history, the segments a capture covered, and each segment's surface distress (SDI).

Public: damage records (code, position, size, confidence, status, when seen; ``road_damages``), their sightings'
blurred crops and times (``road_damage_sightings``, without the device and vehicle) and the SDI of segments
(``road_segment_distress``). Private to the city (``roads.read_private``): captures, frames, the device and vehicle
of a sighting, and who changed a status.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kotacerdas.core.db import Base, Geometry, SpatialMixin, UTCDateTime, utcnow


class RoadCapture(Base):
    """A video or a set of photos of one drive, inspected by one model (the same file and model twice are one)."""

    __tablename__ = "road_captures"
    __table_args__ = (UniqueConstraint("city_id", "sha256", "model", name="uq_road_capture_file_model"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("road_vehicles.id", ondelete="SET NULL"), index=True)
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("road_surveys.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(300), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(80))
    model_sha256: Mapped[str] = mapped_column(String(64), default="")
    device: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    offset_s: Mapped[float] = mapped_column(Float, default=0.0)
    every_m: Mapped[float] = mapped_column(Float, default=5.0)
    status: Mapped[str] = mapped_column(String(16), default="processing")
    frames_total: Mapped[int] = mapped_column(Integer, default=0)
    frames_done: Mapped[int] = mapped_column(Integer, default=0)
    frames_failed: Mapped[int] = mapped_column(Integer, default=0)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    camera: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RoadFrame(Base):
    """A frame of a capture: when and where it was taken, what was found, or why it failed."""

    __tablename__ = "road_frames"
    __table_args__ = (UniqueConstraint("capture_id", "idx", name="uq_road_frame_idx"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("road_captures.id", ondelete="CASCADE"), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    heading_deg: Mapped[float] = mapped_column(Float)
    speed_mps: Mapped[float] = mapped_column(Float)
    distance_m: Mapped[float] = mapped_column(Float)
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("road_segments.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(300), default="")
    detections: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class RoadDamage(SpatialMixin, Base):
    """One damage on the road, however many frames and drives saw it; its status in the repair workflow."""

    __tablename__ = "road_damages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("road_segments.id", ondelete="SET NULL"), index=True)
    code: Mapped[str] = mapped_column(String(8), index=True)
    status: Mapped[str] = mapped_column(String(16), default="detected", index=True)
    status_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seen_state: Mapped[str] = mapped_column(String(16), default="seen")
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    missed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    missed_count: Mapped[int] = mapped_column(Integer, default=0)
    sightings_count: Mapped[int] = mapped_column(Integer, default=0)
    confidence: Mapped[float] = mapped_column(Float, default=0.0, index=True)
    area_m2: Mapped[float] = mapped_column(Float, default=0.0)
    weight: Mapped[float] = mapped_column(Float, default=0.0)
    best_sighting_id: Mapped[int | None] = mapped_column(Integer)
    model: Mapped[str] = mapped_column(String(80), default="")
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    geom: Mapped[BaseGeometry] = mapped_column(Geometry("Point"))


class RoadDamageSighting(Base):
    """One time a damage was seen: in which frame of which capture, with its blurred crop and confidence."""

    __tablename__ = "road_damage_sightings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    damage_id: Mapped[int] = mapped_column(ForeignKey("road_damages.id", ondelete="CASCADE"), index=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("road_captures.id", ondelete="CASCADE"), index=True)
    frame_id: Mapped[int | None] = mapped_column(ForeignKey("road_frames.id", ondelete="SET NULL"))
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("road_vehicles.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    code: Mapped[str] = mapped_column(String(8))
    class_name: Mapped[str] = mapped_column(String(80), default="")
    confidence: Mapped[float] = mapped_column(Float)
    area_m2: Mapped[float] = mapped_column(Float, default=0.0)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    box: Mapped[list[float]] = mapped_column(JSON, default=list)
    crop_path: Mapped[str | None] = mapped_column(String(300))
    blurred: Mapped[int] = mapped_column(Integer, default=0)
    device: Mapped[str] = mapped_column(String(200), default="")
    model: Mapped[str] = mapped_column(String(80), default="")


class RoadDamageStatus(Base):
    """One change of a damage's status: from, to, who, when, and the officer's note."""

    __tablename__ = "road_damage_status"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    damage_id: Mapped[int] = mapped_column(ForeignKey("road_damages.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    previous: Mapped[str | None] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")


class RoadCaptureSegment(Base):
    """A segment a capture's frames covered, and how many metres of it (what the SDI of the segment rests on)."""

    __tablename__ = "road_capture_segments"
    __table_args__ = (UniqueConstraint("capture_id", "segment_id", name="uq_road_capture_segment"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("road_captures.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("road_segments.id", ondelete="CASCADE"), index=True)
    covered_m: Mapped[float] = mapped_column(Float, default=0.0)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class RoadSegmentDistress(Base):
    """The surface distress of a segment: the SDI from its damages, and what an officer entered (crack width, rut
    depth, carriageway width)."""

    __tablename__ = "road_segment_distress"
    __table_args__ = (UniqueConstraint("segment_id", name="uq_road_segment_distress"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("road_segments.id", ondelete="CASCADE"))
    crack_width_mm: Mapped[float | None] = mapped_column(Float)
    rut_depth_mm: Mapped[float | None] = mapped_column(Float)
    width_m: Mapped[float | None] = mapped_column(Float)
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sdi: Mapped[float | None] = mapped_column(Float)
    sdi_class: Mapped[str | None] = mapped_column(String(16), index=True)
    sdi_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
