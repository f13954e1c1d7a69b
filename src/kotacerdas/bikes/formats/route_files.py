"""Route files for riders: GPX 1.1 (a track and waypoints), GeoJSON and KML 2.2, from a route or a tour plan.

The input is the JSON the routing service answers: a route (``geometry``, ``elevation``,
``instructions``) or one tour of a plan (``geometry``, ``stops``, ``elevation``). GPX: one ``trk``
with one ``trkseg`` (elevations as ``ele`` where the route has a profile) and a ``wpt`` per stop
(numbered, with its name and the planned times in the description); GeoJSON: a FeatureCollection
with the line and one Point per stop; KML: a ``Document`` with a ``LineString`` placemark and a
placemark per stop. Texts are in the language asked for. XML is written with ``xml.etree``.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

import numpy as np

GPX_NS = "http://www.topografix.com/GPX/1/1"
KML_NS = "http://www.opengis.net/kml/2.2"
FORMATS = {
    "gpx": "application/gpx+xml",
    "geojson": "application/geo+json",
    "kml": "application/vnd.google-earth.kml+xml",
}


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("id") or value.get("en") or "")
    return "" if value is None else str(value)


def _points(item: dict[str, Any]) -> list[tuple[float, float, float | None]]:
    """The line's (lon, lat, elevation) with elevations interpolated from the profile where there is one."""
    coords = item["geometry"]["coordinates"]
    profile = item.get("elevation")
    if not profile or len(coords) < 2:
        return [(c[0], c[1], None) for c in coords]
    from pyproj import Geod

    lon = np.array([c[0] for c in coords])
    lat = np.array([c[1] for c in coords])
    _, _, step = Geod(ellps="WGS84").inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    along = np.concatenate([[0.0], np.cumsum(step)])
    d = np.array([p[0] for p in profile])
    z = np.array([p[1] for p in profile])
    ele = np.interp(along, d, z)
    return [(float(a), float(b), float(e)) for a, b, e in zip(lon, lat, ele, strict=True)]


def _stops(item: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    out = []
    for s in item.get("stops", []):
        lon, lat = s.get("lon"), s.get("lat")
        if lon is None or lat is None:
            continue
        times = f"{s.get('arrive', '')}–{s.get('leave', '')}" if s.get("kind") == "destination" else s.get("arrive", "")
        out.append(
            {
                "number": s.get("number", 0),
                "name": _text(s.get("name"), lang) or s.get("key", ""),
                "lon": float(lon),
                "lat": float(lat),
                "times": times,
                "kind": s.get("kind"),
            }
        )
    return out


def to_gpx(item: dict[str, Any], name: str, lang: str = "id") -> bytes:
    """GPX 1.1: the route as one track, the stops as waypoints."""
    ET.register_namespace("", GPX_NS)
    gpx = ET.Element(f"{{{GPX_NS}}}gpx", {"version": "1.1", "creator": "kotacerdas"})
    meta = ET.SubElement(gpx, f"{{{GPX_NS}}}metadata")
    ET.SubElement(meta, f"{{{GPX_NS}}}name").text = name
    for s in _stops(item, lang):
        wpt = ET.SubElement(gpx, f"{{{GPX_NS}}}wpt", {"lat": f"{s['lat']:.7f}", "lon": f"{s['lon']:.7f}"})
        ET.SubElement(wpt, f"{{{GPX_NS}}}name").text = f"{s['number']}. {s['name']}"
        ET.SubElement(wpt, f"{{{GPX_NS}}}desc").text = s["times"]
        ET.SubElement(wpt, f"{{{GPX_NS}}}type").text = s["kind"]
    trk = ET.SubElement(gpx, f"{{{GPX_NS}}}trk")
    ET.SubElement(trk, f"{{{GPX_NS}}}name").text = name
    seg = ET.SubElement(trk, f"{{{GPX_NS}}}trkseg")
    for lon, lat, ele in _points(item):
        pt = ET.SubElement(seg, f"{{{GPX_NS}}}trkpt", {"lat": f"{lat:.7f}", "lon": f"{lon:.7f}"})
        if ele is not None:
            ET.SubElement(pt, f"{{{GPX_NS}}}ele").text = f"{ele:.1f}"
    return ET.tostring(gpx, encoding="utf-8", xml_declaration=True)


def to_geojson(item: dict[str, Any], name: str, lang: str = "id") -> bytes:
    """A FeatureCollection: the route line (with its distance and time) and a Point per stop."""
    props = {
        k: item.get(k) for k in ("distance_m", "duration_s", "riding_minutes", "climb_m", "descent_m") if k in item
    }
    features = [{"type": "Feature", "geometry": item["geometry"], "properties": {"name": name, **props}}]
    for s in _stops(item, lang):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [s["lon"], s["lat"]]},
                "properties": {"number": s["number"], "name": s["name"], "times": s["times"], "kind": s["kind"]},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


def to_kml(item: dict[str, Any], name: str, lang: str = "id") -> bytes:
    """KML 2.2: a Document with the route's LineString and a placemark per stop."""
    ET.register_namespace("", KML_NS)
    kml = ET.Element(f"{{{KML_NS}}}kml")
    doc = ET.SubElement(kml, f"{{{KML_NS}}}Document")
    ET.SubElement(doc, f"{{{KML_NS}}}name").text = name
    line_pm = ET.SubElement(doc, f"{{{KML_NS}}}Placemark")
    ET.SubElement(line_pm, f"{{{KML_NS}}}name").text = name
    line = ET.SubElement(line_pm, f"{{{KML_NS}}}LineString")
    ET.SubElement(line, f"{{{KML_NS}}}tessellate").text = "1"
    ET.SubElement(line, f"{{{KML_NS}}}coordinates").text = " ".join(
        f"{lon:.7f},{lat:.7f}" + (f",{ele:.1f}" if ele is not None else "") for lon, lat, ele in _points(item)
    )
    for s in _stops(item, lang):
        pm = ET.SubElement(doc, f"{{{KML_NS}}}Placemark")
        ET.SubElement(pm, f"{{{KML_NS}}}name").text = f"{s['number']}. {s['name']}"
        ET.SubElement(pm, f"{{{KML_NS}}}description").text = s["times"]
        pt = ET.SubElement(pm, f"{{{KML_NS}}}Point")
        ET.SubElement(pt, f"{{{KML_NS}}}coordinates").text = f"{s['lon']:.7f},{s['lat']:.7f}"
    return ET.tostring(kml, encoding="utf-8", xml_declaration=True)


def write_route(item: dict[str, Any], fmt: str, name: str, lang: str = "id") -> bytes:
    """The route or tour in ``fmt`` (``gpx``, ``geojson`` or ``kml``)."""
    return {"gpx": to_gpx, "geojson": to_geojson, "kml": to_kml}[fmt](item, name, lang)
