"""The platform's own tables: cities, admin areas, users, roles, tokens, audit, imports and jobs.

Each domain keeps its tables in its own ``<domain>/tables.py``; all share :class:`Base`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kotacerdas.core.db import Base, Geometry, SpatialMixin, UTCDateTime, utcnow


class City(Base):
    """A city or regency running kotacerdas: the owner of every record.

    ``code`` is the Kemendagri area code (``35.10`` Kabupaten Banyuwangi, ``73.71``
    Kota Makassar) or, outside Indonesia, an ISO 3166-2 based code (``SG``, ``TH-10``).
    """

    __tablename__ = "cities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), default="ID")
    kind: Mapped[str] = mapped_column(String(32), default="kota")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    center_lon: Mapped[float | None]
    center_lat: Mapped[float | None]
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AdminArea(SpatialMixin, Base):
    """An administrative area: province, regency/city, kecamatan (district) or desa/kelurahan (village)."""

    __tablename__ = "admin_areas"
    __table_args__ = (UniqueConstraint("city_id", "code", name="uq_admin_area_city_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32), index=True)
    code_scheme: Mapped[str] = mapped_column(String(16), default="kemendagri")
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16), index=True)
    parent_code: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(200), default="")
    properties: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    geom: Mapped[BaseGeometry] = mapped_column(Geometry("MultiPolygon"))
    city: Mapped[City] = relationship()


class User(Base):
    """A person who signs in. ``is_superuser`` is the platform operator, above every city."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(8))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_superuser: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")


class Membership(Base):
    """One role of one user in one city."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "city_id", "role", name="uq_membership"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    user: Mapped[User] = relationship(back_populates="memberships")
    city: Mapped[City] = relationship()


class ApiToken(Base):
    """A bearer token for the API (and the web session's server side). Only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    kind: Mapped[str] = mapped_column(String(16), default="api")
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    user: Mapped[User] = relationship()


class AuditEvent(Base):
    """Who changed what, when, in which city. Private to that city."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class ImportBatch(Base):
    """One imported file: its checksum makes the import idempotent. Private to its city."""

    __tablename__ = "import_batches"
    __table_args__ = (UniqueConstraint("city_id", "kind", "sha256", name="uq_import_batch"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(300), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Job(Base):
    """A background job (an import, a report, a detection run): who started it, its progress and its result.

    The work itself runs on the task queue (:mod:`kotacerdas.core.jobs`); this row is what the
    user who started it sees. Private to that user (and the city's staff).
    """

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(String(500), default="")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: ``host:pid`` of the worker running it, and when that worker last said so (see ``core.jobs.recover_lost``)
    worker: Mapped[str] = mapped_column(String(128), default="", server_default="")
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SignInFailure(Base):
    """A refused sign-in: the name tried and the address it came from, kept for the sign-in rate limit.

    In the database, so every server process and worker of a deployment counts the same failures
    (:func:`kotacerdas.core.accounts.check_sign_in`); rows older than the limit's window are removed.
    """

    __tablename__ = "sign_in_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
