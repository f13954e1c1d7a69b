"""Bike Sharing tables of the cycling routes: destinations, saved routes (curated or shared) and their stations.

Destinations belong to a city (any system of the city may route through them); routes to a system.
A *curated* route is saved by an operator with a name, description and photos and, once published,
listed in the system's public catalogue; a *shared* route is a planned tour saved so its link can be
passed on (public to whoever has the link, never listed). ``plan`` holds the whole planned tour as
the API answers it (stops, schedule, legs); ``geom`` its line for the map and spatial queries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kotacerdas.core.db import Base, Geometry, SpatialMixin, UTCDateTime, utcnow

ROUTE_KINDS = ("curated", "shared")


class BikeDestination(SpatialMixin, Base):
    """A point of interest a tour may visit (``destination_id`` unique in its city)."""

    __tablename__ = "bike_destinations"
    __table_args__ = (
        UniqueConstraint("city_id", "destination_id", name="uq_bike_destination"),
        CheckConstraint("visit_minutes >= 0", name="ck_bike_destination_visit"),
        CheckConstraint("fee IS NULL OR fee >= 0", name="ck_bike_destination_fee"),
    )
    geom_type = "Point"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    destination_id: Mapped[str] = mapped_column(String(80))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    category: Mapped[str] = mapped_column(String(16), index=True)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)
    opening_hours: Mapped[str | None] = mapped_column(String(300))
    #: The source's opening hours as found when they could not be read (``opening_hours`` is then null).
    opening_hours_raw: Mapped[str | None] = mapped_column(String(300))
    visit_minutes: Mapped[int] = mapped_column(Integer, default=45)
    fee: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(120), default="operator")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    geom: Mapped[BaseGeometry] = mapped_column(Geometry("Point"))


class BikeRoute(SpatialMixin, Base):
    """A saved cycling route of a system: curated (catalogue) or shared (by link)."""

    __tablename__ = "bike_routes"
    __table_args__ = (
        UniqueConstraint("system_pk", "slug", name="uq_bike_route_slug"),
        CheckConstraint("kind IN ('curated', 'shared')", name="ck_bike_route_kind"),
    )
    geom_type = "LineString"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    system_pk: Mapped[int] = mapped_column(ForeignKey("bike_systems.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16), default="curated")
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)
    profile: Mapped[str] = mapped_column(String(16), default="quiet")
    speed_kmh: Mapped[float] = mapped_column(Float, default=15.0)
    distance_m: Mapped[float] = mapped_column(Float, default=0.0)
    duration_s: Mapped[float] = mapped_column(Float, default=0.0)
    climb_m: Mapped[float] = mapped_column(Float, default=0.0)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    is_published: Mapped[bool] = mapped_column(Boolean, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    geom: Mapped[BaseGeometry] = mapped_column(Geometry("LineString"))


class BikeRouteStation(Base):
    """A station a saved route starts at, ends at or passes (``role``: ``start``, ``end``, ``on_way``)."""

    __tablename__ = "bike_route_stations"
    __table_args__ = (UniqueConstraint("route_pk", "station_pk", "role", name="uq_bike_route_station"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    route_pk: Mapped[int] = mapped_column(ForeignKey("bike_routes.id", ondelete="CASCADE"), index=True)
    station_pk: Mapped[int] = mapped_column(ForeignKey("bike_stations.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
