"""Printable route maps: a stop off the network is joined to the route by a dashed line, on the PNG and the PDF."""

from __future__ import annotations

import io

from PIL import Image

from kotacerdas.bikes.route_maps import APPROACH, _Frame, bounds, draw_pdf, draw_png


def tour(off_m: float) -> dict:
    """A short route along a street, and a temple 500 m north of the junction it is reached from."""
    line = [[114.370, -8.210], [114.375, -8.210], [114.380, -8.210]]
    temple = {"number": 1, "kind": "destination", "key": "klenteng", "name": {"id": "Klenteng", "en": "Temple"},
              "lon": 114.375, "lat": -8.2055, "network_point": [114.375, -8.210], "off_network_m": off_m,
              "arrive": "08:10", "leave": "08:40", "start": "08:10", "visit_minutes": 30}  # fmt: skip
    return {
        "geometry": {"type": "LineString", "coordinates": line},
        "stops": [
            {
                "number": 0,
                "kind": "start",
                "key": "a",
                "lon": 114.370,
                "lat": -8.210,
                "arrive": "08:00",
                "leave": "08:00",
            },
            temple,
            {
                "number": 2,
                "kind": "end",
                "key": "b",
                "lon": 114.380,
                "lat": -8.210,
                "arrive": "08:55",
                "leave": "08:55",
            },
        ],
        "distance_m": 2100.0,
        "riding_minutes": 9.0,
        "climb_m": 0.0,
    }


def dashes(png: bytes, t: dict) -> int:
    """How many pixels of the approach's colour lie on the segment from the junction to the temple."""
    img = Image.open(io.BytesIO(png)).convert("RGB")
    frame = _Frame(bounds(t), 1200, 900 - 60, 30)
    (x0, y0), (x1, y1) = frame.xy(114.375, -8.210), frame.xy(114.375, -8.2055)
    hits = 0
    for k in range(20, 80):  # the middle of the segment: away from the route and the stop's circle
        x, y = x0 + (x1 - x0) * k / 100, y0 + (y1 - y0) * k / 100
        hits += img.getpixel((round(x), round(y))) == APPROACH
    return hits


def test_a_stop_off_the_network_is_joined_to_the_route_by_a_dashed_line():
    off = tour(500.0)
    png = draw_png(off, [], "Tur")
    hits = dashes(png, off)
    assert 15 < hits < 45  # dashes and gaps, not a solid line
    assert dashes(draw_png(tour(5.0), [], "Tur"), tour(5.0)) == 0  # on the network: nothing drawn
    pdf = draw_pdf(off, [], "Tur", "en")
    assert pdf.startswith(b"%PDF")
