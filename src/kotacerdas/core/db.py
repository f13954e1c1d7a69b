"""Storage: the SQLAlchemy engine, sessions, the base of every table and the geometry column.

SQLite is the default (WAL journal, foreign keys on); PostgreSQL 15 + PostGIS 3 is
used when the database URL points to one. Geometries are Shapely objects in
Python. SQLite stores them as WKB with an R*Tree index on their bounding box;
PostGIS stores them as ``geometry(<type>, 4326)`` with a GiST index.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import DateTime, Float, LargeBinary, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator, UserDefinedType

from kotacerdas.core.errors import Conflict, KotacerdasError, ServiceBusy
from kotacerdas.core.i18n import N_

SRID = 4326
log = logging.getLogger("kotacerdas.db")


def utcnow() -> datetime:
    """Timezone-aware current time in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class _PostGISGeometry(UserDefinedType):
    cache_ok = True

    def __init__(self, geometry_type: str = "Geometry") -> None:
        self.geometry_type = geometry_type

    def get_col_spec(self, **kw) -> str:
        return f"geometry({self.geometry_type},{SRID})"


class Geometry(TypeDecorator):
    """A Shapely geometry column in WGS84 (EPSG:4326) on SQLite and PostGIS alike."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, geometry_type: str = "Geometry") -> None:
        super().__init__()
        self.geometry_type = geometry_type

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(_PostGISGeometry(self.geometry_type))
        return dialect.type_descriptor(LargeBinary())

    def process_bind_param(self, value: BaseGeometry | None, dialect):
        if value is None:
            return None
        if dialect.name == "postgresql":
            return shapely.to_wkb(shapely.set_srid(value, SRID), hex=True, include_srid=True)
        return shapely.to_wkb(value)

    def process_result_value(self, value, dialect) -> BaseGeometry | None:
        if value is None:
            return None
        if isinstance(value, memoryview):
            value = bytes(value)
        geom = shapely.from_wkb(value)
        return shapely.set_srid(geom, 0)


class Base(DeclarativeBase):
    """The declarative base of every table of every domain."""


class SpatialMixin:
    """A table with one geometry ``geom`` and its bounding box, kept in step on every write.

    The bounding box columns feed the R*Tree index on SQLite; on PostGIS the GiST
    index on ``geom`` is used instead (see :mod:`kotacerdas.core.spatial`).
    """

    geom_type: str = "Geometry"
    bbox_minx: Mapped[float | None] = mapped_column(Float)
    bbox_miny: Mapped[float | None] = mapped_column(Float)
    bbox_maxx: Mapped[float | None] = mapped_column(Float)
    bbox_maxy: Mapped[float | None] = mapped_column(Float)

    def set_bbox(self) -> None:
        geom = getattr(self, "geom", None)
        if geom is None or geom.is_empty:
            self.bbox_minx = self.bbox_miny = self.bbox_maxx = self.bbox_maxy = None
        else:
            self.bbox_minx, self.bbox_miny, self.bbox_maxx, self.bbox_maxy = (float(v) for v in geom.bounds)


@event.listens_for(Session, "before_flush")
def _keep_bboxes(session: Session, flush_context, instances) -> None:
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, SpatialMixin):
            obj.set_bbox()
        _check_lengths(obj)


_LENGTHS: dict[type, tuple[tuple[str, int], ...]] = {}


def _bounded_strings(cls: type) -> tuple[tuple[str, int], ...]:
    """(attribute, length) of every ``String(length)`` column of a mapped class."""
    known = _LENGTHS.get(cls)
    if known is None:
        from sqlalchemy import String, inspect

        found: list[tuple[str, int]] = []
        prop: Any
        for prop in inspect(cls).column_attrs:
            kind = prop.columns[0].type
            if isinstance(kind, String) and kind.length:
                found.append((prop.key, kind.length))
        known = _LENGTHS[cls] = tuple(found)
    return known


def _check_lengths(obj: object) -> None:
    """A text longer than its column holds is a 400 naming the field, on every database alike (PostgreSQL
    refuses it with an internal error, SQLite keeps it whole)."""
    for key, length in _bounded_strings(type(obj)):
        value = obj.__dict__.get(key)
        if isinstance(value, str) and len(value) > length:
            raise KotacerdasError(
                N_("{name} is too long: at most {count} characters"), field=key, name=key, count=length
            )


#: Seconds a write waits for SQLite's single writer slot before the request is answered 503 (Retry-After): under
#: the 5 s in which every request is to be answered, with room for the answer itself.
WRITE_WAIT_S = 4.5


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    # Writers of this process queue in the write gate (fair, bounded); the busy timeout only covers
    # writers of other processes (a second server or worker on the same file).
    cur.execute(f"PRAGMA busy_timeout={int(WRITE_WAIT_S * 1000)}")
    cur.close()
    from kotacerdas.core import sqlite_spatial

    sqlite_spatial.register(dbapi_conn)


def _sqlite_begin(conn) -> None:
    # A write transaction first takes this process's write gate (fair, bounded: 503 past the wait),
    # then SQLite's write lock at once (BEGIN IMMEDIATE), so writers queue instead of failing when a
    # read lock cannot be upgraded, and never hold a pooled connection while they wait.
    options = conn.get_execution_options()
    if not options.get("write", False):
        conn.exec_driver_sql("BEGIN")
        return
    if options.get("gate_held", False):  # session_scope took the gate before it checked out this connection
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        return
    gate = gate_for(conn.engine)
    gate.acquire_or_busy()
    conn.info["kc_gate"] = gate
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        conn.info.pop("kc_gate").release()
        raise


def _sqlite_end(conn) -> None:
    gate = conn.info.pop("kc_gate", None)
    if gate is not None:
        gate.release()


_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def _forget_connections_in_child() -> None:
    # A forked process (a job worker) must not use the connections it inherited from its parent:
    # drop them from every pool without closing them (the parent still uses them).
    for engine in list(_ENGINES):
        engine.dispose(close=False)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_connections_in_child)


def make_engine(url: str, **kwargs) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    engine = _make_engine(url, **kwargs)
    _ENGINES.add(engine)
    return engine


def _make_engine(url: str, **kwargs) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Readers never wait for each other (WAL) and writers wait in the gate without a connection, so
        # the pool may hold one connection per server thread (anyio's default threadpool has 40).
        kwargs.setdefault("pool_size", 20)
        kwargs.setdefault("max_overflow", 40)
        kwargs.setdefault("pool_timeout", WRITE_WAIT_S)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": WRITE_WAIT_S}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        # Let SQLAlchemy own transactions (BEGIN IMMEDIATE for writes, see below).
        event.listen(engine, "connect", lambda conn, _r: setattr(conn, "isolation_level", None))
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "commit", _sqlite_end)
        event.listen(engine, "rollback", _sqlite_end)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 30)
    kwargs.setdefault("pool_timeout", WRITE_WAIT_S)
    return create_engine(url, pool_pre_ping=True, **kwargs)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine per database URL per process."""
    return make_engine(url)


def get_engine() -> Engine:
    """The engine of the configured database."""
    from kotacerdas.core.config import get_settings

    return engine_for(get_settings().database_url)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None, *, write: bool = False) -> Iterator[Session]:
    """A session that commits on success and rolls everything back on any error.

    ``write=True`` marks a transaction that will write under contention (rentals,
    payments): on SQLite it begins with ``BEGIN IMMEDIATE`` so concurrent writers
    wait for each other instead of failing; PostgreSQL is unaffected.
    """
    engine = engine or get_engine()
    if not write:
        with transaction(session_factory(engine)()) as session:
            yield session
        return
    if engine.dialect.name != "sqlite":
        with transaction(session_factory(engine.execution_options(write=True))()) as session:
            yield session
        return
    # SQLite: the write gate first, then a pooled connection, so a writer waiting for its turn holds none
    gate = gate_for(engine)
    gate.acquire_or_busy()
    try:
        with transaction(session_factory(engine.execution_options(write=True, gate_held=True))()) as session:
            yield session
    finally:
        gate.release()


class WriteGate:
    """SQLite's one writer slot in this process, handed over in arrival order, given up after a timeout.

    ``threading.Lock`` is neither fair nor bounded. Writers wait here *without* a database connection,
    so a burst of writes never exhausts the pool; past :data:`WRITE_WAIT_S` the request is answered
    503 with ``Retry-After`` (:class:`ServiceBusy`) instead of failing later with a 500.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiting: deque[threading.Event] = deque()
        self._held = False
        self.holder: int | None = None

    def acquire(self, timeout: float) -> bool:
        me = threading.get_ident()
        with self._mutex:
            if self._held and self.holder == me:
                raise RuntimeError(
                    "a second write transaction in the thread that already holds SQLite's write slot "
                    "(a route writes through the request session and through run_write: use one of them)"
                )
            if not self._held and not self._waiting:
                self._held, self.holder = True, me
                return True
            turn = threading.Event()
            self._waiting.append(turn)
        if not turn.wait(timeout):
            with self._mutex:
                if not turn.is_set():
                    self._waiting.remove(turn)
                    return False
        with self._mutex:
            self.holder = me
        return True

    def held_here(self) -> bool:
        """True when the current thread holds the slot (a write transaction of its own is open)."""
        return self._held and self.holder == threading.get_ident()

    def acquire_or_busy(self, timeout: float | None = None) -> None:
        if not self.acquire(WRITE_WAIT_S if timeout is None else timeout):
            raise ServiceBusy(N_("The server is busy with other changes; try again in a moment"))

    def release(self) -> None:
        with self._mutex:
            self.holder = None
            if self._waiting:
                self._waiting.popleft().set()  # the next in line holds it now
            else:
                self._held = False


_GATES: weakref.WeakKeyDictionary[object, WriteGate] = weakref.WeakKeyDictionary()
_GATES_LOCK = threading.Lock()


def gate_for(engine: Engine) -> WriteGate:
    """The write gate of an SQLite engine: one per connection pool, whatever the engine's execution options."""
    root = engine.pool
    with _GATES_LOCK:
        gate = _GATES.get(root)
        if gate is None:
            gate = _GATES[root] = WriteGate()
        return gate


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Commit ``session`` on success, roll everything back on any error, close it always."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def created_column() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), default=utcnow, nullable=False)


# -- write transactions with retry --------------------------------------------------------------------

T = TypeVar("T")
RETRIES = 10
_RETRY_CODES = {"40001", "40P01", "55P03"}
#: The 409 answered when a unique index refuses a write that raced another one.
CONFLICT_MESSAGE = N_("someone else changed this record at the same moment; try again")


class Deferred(Exception):
    """Raised by a transaction body that wants its changes committed and an error answered."""

    def __init__(self, error: KotacerdasError) -> None:
        super().__init__(str(error))
        self.error = error


def retryable(exc: DBAPIError) -> bool:
    """True for a serialization failure, a deadlock or a lock timeout (PostgreSQL), or a busy SQLite."""
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code in _RETRY_CODES:
        return True
    text = str(orig or exc).lower()
    return "database is locked" in text or "deadlock" in text or "could not serialize" in text


def run_write(
    engine: Engine,
    body: Callable[[Session], T],
    *,
    after: Callable[[], None] | None = None,
    conflict: str = CONFLICT_MESSAGE,
) -> T:
    """Run ``body(session)`` in a write transaction, retrying serialization failures and deadlocks.

    The one write-transaction helper of the platform: ``session_scope(engine, write=True)``
    (``BEGIN IMMEDIATE`` on SQLite, so writers queue) around ``body``, retried a bounded number
    of times with a growing random pause when the database says the transaction may succeed if
    run again. A :class:`Deferred` raised by ``body`` commits what was written and then raises
    its error. A unique index refusing a write (two requests racing for the same row) becomes a
    409 with ``conflict``. ``after`` runs once the transaction has ended (cache invalidation).
    """
    deferred: KotacerdasError | None = None
    for attempt in range(RETRIES):
        try:
            with session_scope(engine, write=True) as session:
                try:
                    result = body(session)
                except Deferred as d:
                    deferred, result = d.error, None
            break
        except IntegrityError as exc:
            raise Conflict(conflict) from exc
        except (OperationalError, DBAPIError) as exc:
            if not retryable(exc):
                raise
            # a deadlock or a lock timeout is worth knowing about (two writes taking rows in different
            # orders): the storm tests assert that none happens
            log.warning("write transaction retried (attempt %d): %s", attempt + 1, str(exc.orig or exc).splitlines()[0])
            if attempt == RETRIES - 1:
                raise ServiceBusy(N_("The server is busy with other changes; try again in a moment")) from exc
            time.sleep(random.uniform(0.001, 0.01) * (attempt + 1))
    if after is not None:
        after()
    if deferred is not None:
        raise deferred
    return result  # type: ignore[return-value]
