"""The stored road network of a city: one row per road segment (a way between two junctions).

Shared by every domain that needs streets (Road Manager, Bike Sharing, tours, lorong). The
table keeps its historical name ``road_segments``. Segments are keyed by their stable OSM id
(``segment_key``, e.g. ``w123:n45-n67``) so a newer extract updates them in place. The
``latest_*`` and ``surveys_count`` columns are the condition summary that Road Manager keeps
on each segment (public: the published road condition). Geometries are WGS84 (lon, lat).
"""

from __future__ import annotations

from datetime import datetime

from shapely.geometry.base import BaseGeometry
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from kotacerdas.core.db import Base, Geometry, SpatialMixin, UTCDateTime, utcnow


class RoadSegmentRow(SpatialMixin, Base):
    """One piece of road between two junctions, with its latest measured condition."""

    __tablename__ = "road_segments"
    __table_args__ = (UniqueConstraint("city_id", "segment_key", name="uq_road_segment_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    segment_key: Mapped[str] = mapped_column(String(100))
    osm_way_id: Mapped[int] = mapped_column(BigInteger)
    from_node: Mapped[int] = mapped_column(BigInteger)
    to_node: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str | None] = mapped_column(String(200))
    road_key: Mapped[str] = mapped_column(String(200), index=True)
    highway: Mapped[str] = mapped_column(String(32))
    surface: Mapped[str | None] = mapped_column(String(64))
    lanes: Mapped[int | None] = mapped_column(Integer)
    oneway: Mapped[int] = mapped_column(Integer, default=0)
    oneway_bicycle: Mapped[int] = mapped_column(Integer, default=0)
    motor_vehicle: Mapped[bool] = mapped_column(Boolean, default=True)
    bicycle: Mapped[bool] = mapped_column(Boolean, default=True)
    length_m: Mapped[float] = mapped_column(Float)
    district_code: Mapped[str | None] = mapped_column(String(32), index=True)
    village_code: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    latest_iri: Mapped[float | None] = mapped_column(Float)
    latest_class: Mapped[str | None] = mapped_column(String(16), index=True)
    latest_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    latest_calibrated: Mapped[bool | None] = mapped_column(Boolean)
    latest_measured_m: Mapped[float | None] = mapped_column(Float)
    """Metres of the segment the latest measurement rests on (``None`` before it was kept)."""
    latest_share: Mapped[float | None] = mapped_column(Float)
    """Those metres over the segment's length (at most 1)."""
    surveys_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    geom: Mapped[BaseGeometry] = mapped_column(Geometry("LineString"))
    # the bicycle network (revision 0010_network_bicycle)
    smoothness: Mapped[str | None] = mapped_column(String(32))
    lit: Mapped[bool | None] = mapped_column(Boolean)
    cycleway: Mapped[str | None] = mapped_column(String(32))
    bicycle_access: Mapped[str | None] = mapped_column(String(32))
    access: Mapped[str | None] = mapped_column(String(32))
    push: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    elevation: Mapped[list | None] = mapped_column(JSON)
    climb_m: Mapped[float | None] = mapped_column(Float)
    descent_m: Mapped[float | None] = mapped_column(Float)
    # OSM width, for the carriageway of Road Manager's SDI (revision 0013_roads_damage_width)
    width_m: Mapped[float | None] = mapped_column(Float)


class NetworkGraphRow(Base):
    """The routing graph of a city for one profile, built once per network import (see ``network.routing``).

    ``state_key`` names the network state it was built from (segments, their tags and elevations);
    ``data`` is the preprocessed graph (:meth:`kotacerdas.network.hierarchy.Hierarchy.to_bytes`).
    """

    __tablename__ = "network_graphs"
    __table_args__ = (UniqueConstraint("city_id", "profile", name="uq_network_graph_profile"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    profile: Mapped[str] = mapped_column(String(16))
    state_key: Mapped[str] = mapped_column(String(64))
    engine: Mapped[str] = mapped_column(String(32))
    nodes: Mapped[int] = mapped_column(Integer)
    edges: Mapped[int] = mapped_column(Integer)
    build_s: Mapped[float] = mapped_column(Float)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
