"""Spatial SQL functions for SQLite (which cannot load SpatiaLite here), registered on every connection.

``kc_intersects(wkb_a, wkb_b)`` and ``kc_distance_m(wkb, lon, lat)`` let a spatial filter be
plain SQL on SQLite as it is on PostGIS, so that counting, ordering and paging stay in the
database (see :mod:`kotacerdas.core.spatial`). They use the same GEOS predicates (Shapely) and the
same metres (:func:`kotacerdas.core.geometry.distance_to`) as the rest of the platform. The query
geometry of a statement is the same on every row, so its parsed and prepared form is cached.
"""

from __future__ import annotations

from functools import lru_cache

import shapely
from shapely.prepared import prep

from kotacerdas.core.geometry import distance_to


@lru_cache(maxsize=64)
def _prepared(wkb: bytes):
    return prep(shapely.from_wkb(wkb))


@lru_cache(maxsize=64)
def _point(lon: float, lat: float):
    return shapely.Point(lon, lat)


def kc_intersects(row_wkb: bytes | None, query_wkb: bytes | None) -> int | None:
    if row_wkb is None or query_wkb is None:
        return None
    return int(_prepared(bytes(query_wkb)).intersects(shapely.from_wkb(bytes(row_wkb))))


def kc_distance_m(row_wkb: bytes | None, lon: float | None, lat: float | None) -> float | None:
    if row_wkb is None or lon is None or lat is None:
        return None
    return distance_to(_point(float(lon), float(lat)), shapely.from_wkb(bytes(row_wkb)))


def register(dbapi_connection) -> None:
    """Add the functions to one SQLite DB-API connection."""
    dbapi_connection.create_function("kc_intersects", 2, kc_intersects, deterministic=True)
    dbapi_connection.create_function("kc_distance_m", 3, kc_distance_m, deterministic=True)
