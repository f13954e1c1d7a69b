"""Generated admin areas for the demo: Kabupaten Banyuwangi and Kota Makassar.

The kecamatan names and Kemendagri codes are real (:mod:`kotacerdas.core.wilayah_banyuwangi`,
:mod:`kotacerdas.core.wilayah_makassar`); their boundaries are NOT: each kecamatan is the union of the
Voronoi cells of its real villages (desa and kelurahan, at their approximate positions), clipped
to a rough outline around them, so a place lies in the kecamatan of its nearest village.
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
        "facts": wilayah_banyuwangi,
        "margin": 0.06,
    },
    "73.71": {
        "name": "Kota Makassar",
        "kind": "kota",
        "timezone": "Asia/Makassar",
        "center": (119.4327, -5.1477),
        "districts": MAKASSAR,
        "facts": wilayah_makassar,
        "margin": 0.02,
    },
}


def generated_districts(city_code: str) -> bytes:
    """A GeoJSON FeatureCollection of generated kecamatan for ``city_code``: each the union of its villages' cells."""
    spec = CITIES[city_code]
    villages = [(v[0].rsplit(".", 1)[0], Point(v[3], v[4])) for v in spec["facts"].VILLAGES]
    points = MultiPoint([pt for _code, pt in villages])
    outline = points.convex_hull.buffer(spec["margin"], join_style="mitre")
    cells = list(shapely.voronoi_polygons(points, extend_to=outline).geoms)
    tree = shapely.STRtree(cells)
    by_district: dict[str, list] = {}
    for code, pt in villages:
        cell = next(cells[i] for i in tree.query(pt) if cells[i].covers(pt))
        by_district.setdefault(code, []).append(cell)
    features = []
    for code, name, _lon, _lat in spec["districts"]:
        shape_ = shapely.union_all(by_district[code]).intersection(outline)
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
