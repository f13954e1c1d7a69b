"""The platform's GeoJSON as other software reads it: valid (python-geojson), RFC 7946's right-hand rule on every
polygon (exterior rings counter-clockwise, holes clockwise), 6 decimals, ``links[].type`` of GeoJSON lists."""

from __future__ import annotations

import json

import geojson
from shapely.geometry import Polygon, mapping, shape

from kotacerdas.core.geometry import feature, to_geojson


def _decimals(obj) -> int:
    text = json.dumps(obj)
    parts = text.replace("[", " ").replace("]", " ").replace(",", " ").split()
    return max(
        (len(p.split(".")[1]) for p in parts if "." in p and p.replace(".", "").replace("-", "").isdigit()), default=0
    )


def _right_hand(geometry: dict) -> bool:
    geom = shape(geometry)
    polygons = [geom] if geom.geom_type == "Polygon" else list(geom.geoms)
    return all(p.exterior.is_ccw and all(not r.is_ccw for r in p.interiors) for p in polygons)


def test_to_geojson_winds_rings_and_rounds():
    clockwise = Polygon(
        [(114.0, -8.0), (114.1, -8.0), (114.1, -8.1), (114.0, -8.1)],
        holes=[[(114.02, -8.02), (114.02, -8.05), (114.05, -8.05), (114.05, -8.02)]],  # a counter-clockwise hole
    )
    assert not clockwise.exterior.is_ccw and clockwise.interiors[0].is_ccw
    out = to_geojson(
        Polygon([(x + 1e-9 / 3, y) for x, y in clockwise.exterior.coords], [clockwise.interiors[0].coords])
    )
    assert _right_hand(out) and _decimals(out) <= 6
    gj = geojson.loads(json.dumps(feature(clockwise, {"name": "x"})))
    assert gj.is_valid, gj.errors()
    assert mapping(clockwise)["type"] == out["type"] == "Polygon"


def test_every_admin_area_follows_the_right_hand_rule(client):
    fc = client.get("/api/v1/admin-areas?limit=1000").json()
    assert len(fc["features"]) >= 40
    assert geojson.loads(json.dumps({k: fc[k] for k in ("type", "features")})).is_valid
    for f in fc["features"]:
        assert _right_hand(f["geometry"]), f["properties"]["code"]
    assert _decimals(fc["features"]) <= 6
    one = client.get(f"/api/v1/admin-areas/{fc['features'][0]['id']}").json()
    assert _right_hand(one["geometry"])


def test_links_of_geojson_lists_say_geojson(client):
    """A GeoJSON list's links point at GeoJSON (``application/geo+json``), a JSON list's at JSON."""
    fc = client.get("/api/v1/admin-areas?city=35.10&limit=5").json()
    assert {link["rel"] for link in fc["links"]} >= {"self", "next"}
    assert all(link["type"] == "application/geo+json" for link in fc["links"])
    paged = client.get("/api/v1/cities/35.10/audit", headers={}).json()
    assert "links" not in paged or all(link["type"] == "application/json" for link in paged.get("links", []))
