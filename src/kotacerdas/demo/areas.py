"""Generated admin areas for the demo: Kabupaten Banyuwangi and Kota Makassar.

The kecamatan names and Kemendagri codes are real; their boundaries are NOT: each
kecamatan is the Voronoi cell of an approximate centre point, clipped to a rough
outline around the centres. Every feature is labelled ``source = "generated"``.
Import real boundaries with ``kotacerdas admin import-areas FILE``.
"""

from __future__ import annotations

import json

import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Point, mapping

# (code, name, lon, lat) — approximate centres of the kecamatan.
BANYUWANGI = [
    ("35.10.01", "Pesanggaran", 114.06, -8.58),
    ("35.10.02", "Bangorejo", 114.17, -8.48),
    ("35.10.03", "Purwoharjo", 114.24, -8.50),
    ("35.10.04", "Tegaldlimo", 114.36, -8.60),
    ("35.10.05", "Muncar", 114.33, -8.44),
    ("35.10.06", "Cluring", 114.24, -8.41),
    ("35.10.07", "Gambiran", 114.17, -8.40),
    ("35.10.08", "Glenmore", 114.05, -8.36),
    ("35.10.09", "Kalibaru", 113.97, -8.29),
    ("35.10.10", "Genteng", 114.15, -8.36),
    ("35.10.11", "Srono", 114.27, -8.38),
    ("35.10.12", "Rogojampi", 114.28, -8.31),
    ("35.10.13", "Kabat", 114.32, -8.27),
    ("35.10.14", "Singojuruh", 114.23, -8.30),
    ("35.10.15", "Sempu", 114.16, -8.31),
    ("35.10.16", "Songgon", 114.16, -8.23),
    ("35.10.17", "Glagah", 114.32, -8.22),
    ("35.10.18", "Banyuwangi", 114.37, -8.21),
    ("35.10.19", "Giri", 114.34, -8.19),
    ("35.10.20", "Kalipuro", 114.37, -8.14),
    ("35.10.21", "Wongsorejo", 114.40, -7.99),
    ("35.10.22", "Licin", 114.25, -8.19),
    ("35.10.23", "Tegalsari", 114.12, -8.42),
    ("35.10.24", "Siliragung", 114.10, -8.52),
    ("35.10.25", "Blimbingsari", 114.36, -8.30),
]
MAKASSAR = [
    ("73.71.01", "Mariso", 119.405, -5.155),
    ("73.71.02", "Mamajang", 119.418, -5.165),
    ("73.71.03", "Makassar", 119.428, -5.143),
    ("73.71.04", "Ujung Pandang", 119.412, -5.137),
    ("73.71.05", "Wajo", 119.413, -5.127),
    ("73.71.06", "Bontoala", 119.424, -5.125),
    ("73.71.07", "Tallo", 119.440, -5.112),
    ("73.71.08", "Ujung Tanah", 119.415, -5.112),
    ("73.71.09", "Panakkukang", 119.450, -5.150),
    ("73.71.10", "Tamalate", 119.415, -5.190),
    ("73.71.11", "Biringkanaya", 119.510, -5.090),
    ("73.71.12", "Manggala", 119.490, -5.170),
    ("73.71.13", "Rappocini", 119.440, -5.170),
    ("73.71.14", "Tamalanrea", 119.490, -5.125),
    ("73.71.15", "Kepulauan Sangkarrang", 119.330, -5.050),
]

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
