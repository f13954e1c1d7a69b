"""Generated admin areas for the demo: Kabupaten Banyuwangi and Kota Makassar.

The kecamatan names and Kemendagri codes are real (:mod:`kotacerdas.core.wilayah_banyuwangi`,
:mod:`kotacerdas.core.wilayah_makassar`); their boundaries are NOT: each kecamatan is the Voronoi
cell of the mean position of its real villages, clipped to a rough outline around the centres.
Every feature is labelled ``source = "generated"``. Import real boundaries with
``kotacerdas admin import-areas FILE``.
"""

from __future__ import annotations

import json

import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Point, mapping

from kotacerdas.core import wilayah_banyuwangi, wilayah_makassar


def _centres(facts) -> list[tuple[str, str, float, float]]:
    """(code, name, lon, lat) of each kecamatan: the mean position of its real desa and kelurahan."""
    out = []
    for code, name, _bps in facts.KECAMATAN:
        pts = [(v[3], v[4]) for v in facts.VILLAGES if v[0].startswith(code + ".")]
        lon = sum(p[0] for p in pts) / len(pts)
        lat = sum(p[1] for p in pts) / len(pts)
        out.append((code, name, round(lon, 4), round(lat, 4)))
    return out


# (code, name, lon, lat): the real kecamatan with their Kemendagri codes (core.wilayah_*), centred on their villages.
BANYUWANGI = _centres(wilayah_banyuwangi)
MAKASSAR = _centres(wilayah_makassar)

CITIES = {
    "35.10": {
        "name": "Kabupaten Banyuwangi",
        "kind": "kabupaten",
        "timezone": "Asia/Jakarta",
        "center": (114.3689, -8.2192),
        "districts": BANYUWANGI,
        "margin": 0.06,
    },
    "73.71": {
        "name": "Kota Makassar",
        "kind": "kota",
        "timezone": "Asia/Makassar",
        "center": (119.4327, -5.1477),
        "districts": MAKASSAR,
        "margin": 0.02,
    },
}


def generated_districts(city_code: str) -> bytes:
    """A GeoJSON FeatureCollection of generated kecamatan cells for ``city_code``."""
    spec = CITIES[city_code]
    pts = [Point(lon, lat) for _c, _n, lon, lat in spec["districts"]]
    outline = MultiPoint(pts).convex_hull.buffer(spec["margin"], join_style="mitre")
    cells = shapely.voronoi_polygons(MultiPoint(pts), extend_to=outline)
    features = []
    for (code, name, _lon, _lat), pt in zip(spec["districts"], pts, strict=True):
        cell = next(c for c in cells.geoms if c.contains(pt))
        shape_ = cell.intersection(outline)
        geom = shape_ if isinstance(shape_, MultiPolygon) else MultiPolygon([shape_])
        geom = shapely.set_precision(geom, 1e-6)
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name, "level": "district", "source": "generated"},
                "geometry": mapping(geom),
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()
