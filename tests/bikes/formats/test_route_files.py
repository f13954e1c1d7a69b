"""Route files: GPX 1.1 read back with gpxpy, KML parsed as XML, GeoJSON as JSON; the stops and the line survive."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import gpxpy

from kotacerdas.bikes.formats.route_files import KML_NS, write_route

TOUR = {
    "geometry": {"type": "LineString", "coordinates": [[114.36, -8.22], [114.37, -8.22], [114.37, -8.21]]},
    "elevation": [[0.0, 10.0], [1100.0, 21.0], [2200.0, 40.0]],
    "distance_m": 2200.0,
    "riding_minutes": 9.0,
    "stops": [
        {
            "number": 0,
            "kind": "start",
            "key": "a",
            "name": {"id": "Stasiun A", "en": "Station A"},
            "lon": 114.36,
            "lat": -8.22,
            "arrive": "08:00",
            "leave": "08:00",
        },
        {
            "number": 1,
            "kind": "destination",
            "key": "b",
            "name": {"id": "Pantai B", "en": "B Beach"},
            "lon": 114.37,
            "lat": -8.22,
            "arrive": "08:05",
            "leave": "08:50",
        },
        {
            "number": 2,
            "kind": "end",
            "key": "c",
            "name": {"id": "Stasiun C", "en": "Station C"},
            "lon": 114.37,
            "lat": -8.21,
            "arrive": "08:55",
            "leave": "08:55",
        },
    ],
}


def test_gpx_round_trips_through_gpxpy():
    gpx = gpxpy.parse(write_route(TOUR, "gpx", "Tur B", "id").decode())
    assert gpx.version == "1.1" and gpx.name == "Tur B"
    points = gpx.tracks[0].segments[0].points
    assert [(p.longitude, p.latitude) for p in points] == [tuple(c) for c in TOUR["geometry"]["coordinates"]]
    assert points[0].elevation == 10.0 and points[-1].elevation > 30
    assert [w.name for w in gpx.waypoints] == ["0. Stasiun A", "1. Pantai B", "2. Stasiun C"]
    assert gpx.waypoints[1].description == "08:05–08:50"
    assert 2000 < gpx.length_2d() < 2400
    # written again by gpxpy and read again: the same track
    again = gpxpy.parse(gpx.to_xml(version="1.1"))
    assert len(again.tracks[0].segments[0].points) == 3


def test_geojson_and_kml():
    fc = json.loads(write_route(TOUR, "geojson", "Tour B", "en"))
    assert fc["type"] == "FeatureCollection" and fc["features"][0]["geometry"]["type"] == "LineString"
    assert [f["properties"]["name"] for f in fc["features"][1:]] == ["Station A", "B Beach", "Station C"]
    root = ET.fromstring(write_route(TOUR, "kml", "Tour B", "en"))
    marks = root.findall(f".//{{{KML_NS}}}Placemark")
    assert len(marks) == 4
    coords = marks[0].find(f".//{{{KML_NS}}}coordinates").text.split()
    assert coords[0].startswith("114.3600000,-8.2200000,10.0")
