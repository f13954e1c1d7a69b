"""Spatial queries that give the same answer on SQLite and on PostGIS.

Filters that narrow a ``select()`` of any table using
:class:`~kotacerdas.core.db.SpatialMixin` (so callers add their own filters, such as the
city, and count, order and page in SQL):

* :func:`where_in_bbox` / :func:`where_intersects` — geometries that intersect a box or any geometry;
* :func:`where_within` — geometries within N metres of a point (geodesic, WGS84), nearest first;
* :func:`distance_expr` — metres from a point, as a column.

and four queries over them that return ORM objects: :func:`in_bbox`, :func:`intersecting`,
:func:`within_distance` and :func:`nearest` (the N nearest, with their distance).

PostGIS answers with its GiST index and ``ST_Intersects`` / ``ST_DWithin`` on geography;
SQLite narrows with its R*Tree index on the bounding box and decides exactly with the SQL
functions of :mod:`kotacerdas.core.sqlite_spatial` (the same GEOS predicates through Shapely, and
an azimuthal equidistant projection for metres).

:func:`create_spatial_index` and :func:`drop_spatial_index` are used by the
migrations to build the index of each backend.
"""

from __future__ import annotations

from typing import Any, TypeVar

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Numeric, Select, cast, column, func, literal, select, table
from sqlalchemy.orm import Session

from kotacerdas.core.db import SRID
from kotacerdas.core.geometry import BBox, degrees_around

T = TypeVar("T")


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _rtree(table_name: str) -> str:
    return f"rtree_{table_name}"


def _ewkb(geom: BaseGeometry):
    return func.ST_GeomFromEWKB(
        func.decode(literal(shapely.to_wkb(shapely.set_srid(geom, SRID), hex=True, include_srid=True)), "hex")
    )


def _bbox_candidates(stmt: Select, model: Any, bounds: tuple[float, float, float, float]) -> Select:
    minx, miny, maxx, maxy = bounds
    rt = table(
        _rtree(model.__tablename__), column("id"), column("minx"), column("maxx"), column("miny"), column("maxy")
    )
    ids = select(rt.c.id).where(rt.c.minx <= maxx, rt.c.maxx >= minx, rt.c.miny <= maxy, rt.c.maxy >= miny)
    return stmt.where(model.id.in_(ids))


def where_intersects(session: Session, stmt: Select, model: Any, geom: BaseGeometry) -> Select:
    """``stmt`` narrowed to rows whose geometry intersects ``geom`` (plain SQL on both backends)."""
    if _is_pg(session):
        return stmt.where(func.ST_Intersects(model.geom, _ewkb(geom)))
    narrowed = _bbox_candidates(stmt, model, geom.bounds)
    return narrowed.where(func.kc_intersects(model.geom, literal(shapely.to_wkb(geom))) == 1)


def where_in_bbox(session: Session, stmt: Select, model: Any, bbox: BBox) -> Select:
    """``stmt`` narrowed to rows whose geometry intersects ``bbox``."""
    return where_intersects(session, stmt, model, bbox.polygon)


def distance_expr(session: Session, model: Any, point: BaseGeometry):
    """A SQL expression: metres (geodesic, WGS84) from ``point`` to each row's geometry."""
    if _is_pg(session):
        return func.ST_Distance(func.geography(model.geom), func.geography(_ewkb(point)))
    return func.kc_distance_m(model.geom, point.x, point.y)


def where_within(session: Session, stmt: Select, model: Any, point: BaseGeometry, meters: float) -> Select:
    """``stmt`` narrowed to rows within ``meters`` of ``point``, ordered nearest first (ties by id)."""
    dlon, dlat = degrees_around(point.y, meters)
    window = (point.x - dlon, point.y - dlat, point.x + dlon, point.y + dlat)
    dist = distance_expr(session, model, point)
    if _is_pg(session):
        narrowed = stmt.where(model.geom.op("&&")(func.ST_MakeEnvelope(*window, SRID))).where(
            func.ST_DWithin(func.geography(model.geom), func.geography(_ewkb(point)), meters)
        )
    else:
        narrowed = _bbox_candidates(stmt, model, window).where(dist <= meters)
    rounded = func.round(cast(dist, Numeric) if _is_pg(session) else dist, 3)
    return narrowed.order_by(None).order_by(rounded, model.id)


def intersecting(session: Session, stmt: Select, model: type[T], geom: BaseGeometry) -> list[T]:
    """Rows of ``stmt`` whose geometry intersects ``geom``, ordered by id."""
    return list(session.scalars(where_intersects(session, stmt, model, geom).order_by(model.id)))


def in_bbox(session: Session, stmt: Select, model: type[T], bbox: BBox) -> list[T]:
    """Rows of ``stmt`` whose geometry intersects ``bbox``, ordered by id."""
    return intersecting(session, stmt, model, bbox.polygon)


def within_distance(session: Session, stmt: Select, model: type[T], point: BaseGeometry, meters: float) -> list[T]:
    """Rows of ``stmt`` within ``meters`` (geodesic) of ``point``, nearest first, ties by id."""
    return list(session.scalars(where_within(session, stmt, model, point, meters)))


def nearest(
    session: Session, stmt: Select, model: type[T], point: BaseGeometry, n: int, *, max_meters: float = 50_000.0
) -> list[tuple[T, float]]:
    """The ``n`` rows of ``stmt`` nearest ``point`` with their distance in metres.

    Searches outwards in doubling radii from 100 m up to ``max_meters``; ties are
    broken by id so that both backends return the same list.
    """
    radius = 100.0
    dist = distance_expr(session, model, point)
    while True:
        q = where_within(session, stmt, model, point, radius).add_columns(dist).limit(n)
        pairs = [(row[0], float(row[1])) for row in session.execute(q)]
        if len(pairs) >= n or radius >= max_meters:
            return pairs
        radius = min(radius * 2, max_meters)


def create_spatial_index(op: Any, table: str, column: str = "geom") -> None:
    """Create the spatial index of ``table`` for the current backend (used in migrations)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_{table}_{column}_gist ON {table} USING GIST ({column})")
        return
    rt = _rtree(table)
    op.execute(f"CREATE VIRTUAL TABLE {rt} USING rtree(id, minx, maxx, miny, maxy)")
    cols = "bbox_minx IS NOT NULL"
    values = "NEW.id, NEW.bbox_minx, NEW.bbox_maxx, NEW.bbox_miny, NEW.bbox_maxy"
    op.execute(
        f"CREATE TRIGGER {rt}_ins AFTER INSERT ON {table} WHEN NEW.{cols} BEGIN INSERT INTO {rt} VALUES ({values}); END"
    )
    op.execute(
        f"CREATE TRIGGER {rt}_upd AFTER UPDATE ON {table} "
        f"BEGIN DELETE FROM {rt} WHERE id = OLD.id; "
        f"INSERT INTO {rt} SELECT {values} WHERE NEW.{cols}; END"
    )
    op.execute(f"CREATE TRIGGER {rt}_del AFTER DELETE ON {table} BEGIN DELETE FROM {rt} WHERE id = OLD.id; END")


def drop_spatial_index(op: Any, table: str, column: str = "geom") -> None:
    """Drop what :func:`create_spatial_index` made."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}_gist")
        return
    rt = _rtree(table)
    for suffix in ("ins", "upd", "del"):
        op.execute(f"DROP TRIGGER IF EXISTS {rt}_{suffix}")
    op.execute(f"DROP TABLE IF EXISTS {rt}")


def select_of(model: type[T]) -> Select:
    """A plain ``select(model)`` for callers with no filter of their own."""
    return select(model)
