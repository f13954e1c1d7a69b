"""Road Manager tables: vehicles, surveys, interval results, events, coverage (segments live in the network).

Every row belongs to a city (``city_id``). Segments keep the stable OSM-based id
(``segment_key``, e.g. ``w123:n45-n67``) so a newer extract updates them in place and
their survey history stays linked. Geometries are WGS84 (lon, lat).

Public: segments with their latest condition, interval results along them, events and
coverage (the *published road conditions*). Private to the city (``roads.read_private``):
vehicles and their calibration, surveys, their import report and the raw upload.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kotacerdas.core.db import Base, Geometry, SpatialMixin, UTCDateTime, utcnow


class RoadVehicle(Base):
    """A survey vehicle (with its phone mount) and its calibration coefficients. Private."""

    __tablename__ = "road_vehicles"
    __table_args__ = (UniqueConstraint("city_id", "code", name="uq_road_vehicle_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200), default="")
    calibration: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    calibrated: Mapped[bool] = mapped_column(Boolean, default=False)
    calibrated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    camera: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # placement.CameraModel.to_dict(); None: default
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RoadSurvey(SpatialMixin, Base):
    """One imported survey drive (the same streams twice are one survey). Private."""

    __tablename__ = "road_surveys"
    __table_args__ = (UniqueConstraint("city_id", "content_hash", name="uq_road_survey_hash"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("road_vehicles.id", ondelete="RESTRICT"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    content_hash: Mapped[str] = mapped_column(String(64))
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    filename: Mapped[str] = mapped_column(String(300), default="")
    format: Mapped[str] = mapped_column(String(32), default="")
    raw_path: Mapped[str | None] = mapped_column(String(500))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime())
    length_m: Mapped[float] = mapped_column(Float, default=0.0)
    measured_m: Mapped[float] = mapped_column(Float, default=0.0)
    matched_fraction: Mapped[float | None] = mapped_column(Float)
    calibrated: Mapped[bool] = mapped_column(Boolean, default=False)
    calibration: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    geom: Mapped[BaseGeometry | None] = mapped_column(Geometry("LineString"), nullable=True)


class RoadInterval(SpatialMixin, Base):
    """The roughness of one interval (100 m by default) of a survey, on the segment it lies on."""

    __tablename__ = "road_intervals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("road_surveys.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("road_segments.id", ondelete="SET NULL"), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    from_m: Mapped[float] = mapped_column(Float)
    to_m: Mapped[float] = mapped_column(Float)
    measured_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    speed_kmh: Mapped[float] = mapped_column(Float)
    iri: Mapped[float | None] = mapped_column(Float)
    iri_sd: Mapped[float | None] = mapped_column(Float)
    """Standard deviation of ``iri`` (m/km)."""
    road_class: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(32))
    calibrated: Mapped[bool] = mapped_column(Boolean, default=False)
    geom: Mapped[BaseGeometry] = mapped_column(Geometry("LineString"))


class RoadEventRow(SpatialMixin, Base):
    """A pothole or bump found by a survey, with its position and strength."""

    __tablename__ = "road_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("road_surveys.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("road_segments.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    distance_m: Mapped[float] = mapped_column(Float)
    strength_ms2: Mapped[float] = mapped_column(Float)
    speed_kmh: Mapped[float] = mapped_column(Float)
    geom: Mapped[BaseGeometry] = mapped_column(Geometry("Point"))


class RoadSegmentSurvey(Base):
    """A segment driven by a survey (coverage) and what that survey measured on it (history)."""

    __tablename__ = "road_segment_surveys"
    __table_args__ = (UniqueConstraint("survey_id", "segment_id", name="uq_road_segment_survey"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("road_surveys.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("road_segments.id", ondelete="CASCADE"), index=True)
    driven_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    forward: Mapped[bool | None] = mapped_column(Boolean)
    measured_m: Mapped[float] = mapped_column(Float, default=0.0)
    """Metres of the segment inside measured intervals (the IRI is their distance-weighted mean)."""
    share: Mapped[float | None] = mapped_column(Float)
    """``measured_m`` over the segment's length (at most 1)."""
    iri: Mapped[float | None] = mapped_column(Float)
    road_class: Mapped[str | None] = mapped_column(String(16))
    calibrated: Mapped[bool] = mapped_column(Boolean, default=False)
