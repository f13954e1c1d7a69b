"""Spatial queries that give the same answer on SQLite and on PostGIS.

Four queries, one signature each, over any table that uses
:class:`~kotacerdas.core.db.SpatialMixin`:

* :func:`in_bbox` — geometries that intersect a bounding box;
* :func:`intersecting` — geometries that intersect a polygon (or any geometry);
* :func:`within_distance` — geometries within N metres of a point (geodesic, WGS84);
* :func:`nearest` — the N geometries nearest a point, with their distance in metres.

Each takes a ``select()`` of the mapped class (so callers add their own filters,
such as the city) and returns ORM objects. PostGIS answers with its GiST index
and ``ST_Intersects`` / ``ST_DWithin`` on geography; SQLite narrows with its
R*Tree index on the bounding box and decides exactly with Shapely (the same GEOS
predicates) and an azimuthal equidistant projection for metres.

:func:`create_spatial_index` and :func:`drop_spatial_index` are used by the
migrations to build the index of each backend.
"""

from __future__ import annotations

from typing import Any, TypeVar

import shapely
from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep
from sqlalchemy import Select, column, func, literal, select, table
from sqlalchemy.orm import Session

from kotacerdas.core.db import SRID
from kotacerdas.core.geometry import BBox, degrees_around, distance_to

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


def intersecting(session: Session, stmt: Select, model: type[T], geom: BaseGeometry) -> list[T]:
    """Rows of ``stmt`` whose geometry intersects ``geom``, ordered by id."""
    if _is_pg(session):
        q = stmt.where(func.ST_Intersects(model.geom, _ewkb(geom))).order_by(model.id)
        return list(session.scalars(q))
    q = _bbox_candidates(stmt, model, geom.bounds).order_by(model.id)
    prepared = prep(geom)
    return [row for row in session.scalars(q) if prepared.intersects(row.geom)]


def in_bbox(session: Session, stmt: Select, model: type[T], bbox: BBox) -> list[T]:
    """Rows of ``stmt`` whose geometry intersects ``bbox``, ordered by id."""
    return intersecting(session, stmt, model, bbox.polygon)


def _distances(
    session: Session, stmt: Select, model: Any, point: BaseGeometry, meters: float
) -> list[tuple[Any, float]]:
    dlon, dlat = degrees_around(point.y, meters)
    window = (point.x - dlon, point.y - dlat, point.x + dlon, point.y + dlat)
    if _is_pg(session):
        pt = _ewkb(point)
        geog_pt = func.geography(pt)
        dist = func.ST_Distance(func.geography(model.geom), geog_pt)
        q = (
            stmt.add_columns(dist)
            .where(model.geom.op("&&")(func.ST_MakeEnvelope(*window, SRID)))
            .where(func.ST_DWithin(func.geography(model.geom), geog_pt, meters))
        )
        return [(row[0], float(row[1])) for row in session.execute(q)]
    out = []
    for row in session.scalars(_bbox_candidates(stmt, model, window)):
        d = distance_to(point, row.geom)
        if d <= meters:
            out.append((row, d))
    return out


def within_distance(session: Session, stmt: Select, model: type[T], point: BaseGeometry, meters: float) -> list[T]:
    """Rows of ``stmt`` within ``meters`` (geodesic) of ``point``, nearest first, ties by id."""
    pairs = _distances(session, stmt, model, point, meters)
    return [row for row, _d in sorted(pairs, key=lambda p: (round(p[1], 3), p[0].id))]


def nearest(
    session: Session, stmt: Select, model: type[T], point: BaseGeometry, n: int, *, max_meters: float = 50_000.0
) -> list[tuple[T, float]]:
    """The ``n`` rows of ``stmt`` nearest ``point`` with their distance in metres.

    Searches outwards in doubling radii from 100 m up to ``max_meters``; ties are
    broken by id so that both backends return the same list.
    """
    radius = 100.0
    while True:
        pairs = _distances(session, stmt, model, point, radius)
        if len(pairs) >= n or radius >= max_meters:
            pairs.sort(key=lambda p: (round(p[1], 3), p[0].id))
            return pairs[:n]
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
