"""The platform's one geometry type: Shapely 2 geometries in WGS84 (longitude, latitude).

Parsing and validating GeoJSON, bounding boxes and geodesic measures live here so
that every domain rejects a bad coordinate the same way and measures metres the
same way on every storage backend.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_

WGS84 = Geod(ellps="WGS84")
GEOMETRY_TYPES = (
    "Point",
    "LineString",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
)


class GeometryError(KotacerdasError):
    """A geometry or coordinate that the platform cannot store."""


@dataclass(frozen=True)
class BBox:
    """A longitude/latitude bounding box (west, south, east, north)."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def __post_init__(self) -> None:
        for lon in (self.min_lon, self.max_lon):
            if not -180 <= lon <= 180:
                raise GeometryError(N_("Longitude {value} is outside -180..180"), field="bbox", value=lon)
        for lat in (self.min_lat, self.max_lat):
            if not -90 <= lat <= 90:
                raise GeometryError(N_("Latitude {value} is outside -90..90"), field="bbox", value=lat)
        if self.min_lon > self.max_lon or self.min_lat > self.max_lat:
            raise GeometryError(N_("The bounding box must be west,south,east,north"), field="bbox")

    @classmethod
    def parse(cls, text: str) -> BBox:
        """Read ``"west,south,east,north"`` (the order of GeoJSON and OGC API)."""
        parts = [p.strip() for p in text.split(",")]
        try:
            values = [float(p) for p in parts]
        except ValueError:
            values = []
        if len(values) != 4 or not all(math.isfinite(v) for v in values):
            raise GeometryError(N_("The bounding box must be four numbers: west,south,east,north"), field="bbox")
        return cls(*values)

    @property
    def polygon(self) -> BaseGeometry:
        return shapely.box(self.min_lon, self.min_lat, self.max_lon, self.max_lat)

    def as_list(self) -> list[float]:
        return [self.min_lon, self.min_lat, self.max_lon, self.max_lat]


def check_coordinates(geom: BaseGeometry, *, record: Any = None) -> None:
    """Reject empty geometries, non-finite and out-of-range WGS84 coordinates."""
    if geom.is_empty:
        raise GeometryError(N_("The geometry is empty"), field="geometry", record=record)
    coords = shapely.get_coordinates(geom)
    if not coords.size or not bool(shapely.is_valid_input(geom)):
        raise GeometryError(N_("The geometry has no coordinates"), field="geometry", record=record)
    import numpy as np

    if not np.isfinite(coords).all():
        raise GeometryError(N_("The geometry has a coordinate that is not a number"), field="geometry", record=record)
    bad_lon = np.abs(coords[:, 0]) > 180
    bad_lat = np.abs(coords[:, 1]) > 90
    if bad_lon.any() or bad_lat.any():
        i = int(np.argmax(bad_lon | bad_lat))
        raise GeometryError(
            N_("Coordinate ({lon}, {lat}) is outside WGS84 longitude/latitude range"),
            field="geometry",
            record=record,
            lon=float(coords[i, 0]),
            lat=float(coords[i, 1]),
        )


def validate(geom: BaseGeometry, *, record: Any = None, allowed: Sequence[str] | None = None) -> BaseGeometry:
    """Return ``geom`` if it is storable, else raise :class:`GeometryError` naming the reason."""
    check_coordinates(geom, record=record)
    if allowed and geom.geom_type not in allowed:
        raise GeometryError(
            N_("Expected a geometry of type {expected}, got {actual}"),
            field="geometry",
            record=record,
            expected=" / ".join(allowed),
            actual=geom.geom_type,
        )
    if not geom.is_valid:
        raise GeometryError(
            N_("The geometry is invalid: {reason}"), field="geometry", record=record, reason=explain_validity(geom)
        )
    return geom


def from_geojson(obj: dict[str, Any] | str, *, record: Any = None) -> BaseGeometry:
    """A validated Shapely geometry from a GeoJSON geometry object (dict or text)."""
    if isinstance(obj, str):
        try:
            obj = json.loads(obj)
        except json.JSONDecodeError as exc:
            raise GeometryError(N_("The geometry is not valid JSON: {reason}"), record=record, reason=exc.msg) from exc
    if not isinstance(obj, dict) or obj.get("type") not in GEOMETRY_TYPES:
        raise GeometryError(N_("Not a GeoJSON geometry"), field="geometry", record=record)
    try:
        geom = shape(obj)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise GeometryError(
            N_("The geometry's coordinates are malformed: {reason}"), field="geometry", record=record, reason=str(exc)
        ) from exc
    return validate(geom, record=record)


#: Decimals of a published coordinate: 6 is about 0.1 m, finer than any position the platform measures.
COORDINATE_DECIMALS = 6


def rfc7946(geom: BaseGeometry, decimals: int = COORDINATE_DECIMALS) -> BaseGeometry:
    """``geom`` as RFC 7946 §3.1.6 writes it: exterior rings counter-clockwise, holes clockwise (the
    right-hand rule), coordinates rounded to ``decimals``."""
    rounded = shapely.transform(geom, lambda xy: np.round(xy, decimals))
    return shapely.orient_polygons(rounded, exterior_cw=False)


def _lists(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _lists(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_lists(x) for x in obj]
    return obj


def to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    """A GeoJSON geometry object as RFC 7946 asks (right-hand rule, 6 decimals), in plain lists."""
    return _lists(mapping(rfc7946(geom)))


def feature(geom: BaseGeometry | None, properties: dict[str, Any], fid: Any = None) -> dict[str, Any]:
    """A GeoJSON Feature."""
    out: dict[str, Any] = {"type": "Feature", "geometry": to_geojson(geom) if geom is not None else None}
    if fid is not None:
        out["id"] = fid
    out["properties"] = properties
    return out


def feature_collection(features: list[dict[str, Any]], **members: Any) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (extra foreign members such as ``numberMatched`` allowed)."""
    return {"type": "FeatureCollection", "features": features, **members}


def iter_features(collection: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(index, feature)`` from a parsed FeatureCollection, rejecting other shapes."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise GeometryError(N_("The file is not a GeoJSON FeatureCollection"))
    features = collection.get("features")
    if not isinstance(features, list):
        raise GeometryError(N_("The FeatureCollection has no list of features"))
    for i, feat in enumerate(features):
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raise GeometryError(N_("Not a GeoJSON Feature"), record=i)
        yield i, feat


def geodesic_length(geom: BaseGeometry) -> float:
    """Length in metres on the WGS84 ellipsoid."""
    return float(WGS84.geometry_length(geom))


def distance_m(lon1, lat1, lon2, lat2):
    """The one distance function: metres between points on the WGS84 ellipsoid, arguments in (lon, lat) order.

    Takes numbers (returns a float) or NumPy arrays of equal shape (returns an array).
    """
    d = WGS84.inv(lon1, lat1, lon2, lat2)[2]
    return float(d) if np.ndim(d) == 0 else np.asarray(d, dtype=float)


def distance_to(point: BaseGeometry, geom: BaseGeometry) -> float:
    """Metres from ``point`` to the nearest part of ``geom``.

    Measured in an azimuthal equidistant projection centred on ``point``, which keeps
    every distance from its centre true; inside a polygon the distance is 0.
    """
    if point.geom_type == "Point" and geom.geom_type == "Point":
        return distance_m(point.x, point.y, geom.x, geom.y)
    projected = shapely.transform(geom, _aeqd(point.x, point.y))
    return float(projected.distance(shapely.Point(0.0, 0.0)))


def _aeqd(lon: float, lat: float):
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    tr = Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    def fn(coords):
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return fn


def degrees_around(lat: float, meters: float) -> tuple[float, float]:
    """A conservative (longitude, latitude) span in degrees that covers ``meters`` at ``lat``."""
    dlat = meters / 110_574.0 * 1.01 + 1e-9
    coslat = max(math.cos(math.radians(min(abs(lat) + dlat, 89.9))), 1e-6)
    dlon = meters / (111_320.0 * coslat) * 1.01 + 1e-9
    return dlon, dlat


#: The names of WGS84 longitude/latitude a (pre-2016) GeoJSON ``crs`` may give.
WGS84_NAMES = frozenset(
    {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"}
)


def check_crs(collection: Any) -> None:
    """Refuse a GeoJSON document whose ``crs`` is not a named-CRS object naming WGS84 (no ``crs``: WGS84)."""
    if not isinstance(collection, dict) or collection.get("crs") is None:
        return
    crs = collection["crs"]
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if not isinstance(name, str):
        raise GeometryError(
            N_("crs must be an object naming a coordinate system (or be left out: GeoJSON is WGS84)"), field="crs"
        )
    if name not in WGS84_NAMES:
        raise GeometryError(N_("Coordinates must be WGS84 longitude/latitude, not {crs}"), field="crs", crs=name)
