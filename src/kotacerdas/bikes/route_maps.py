"""Printable route maps drawn from the stored road network, with no tile server: PNG (Pillow) and PDF (reportlab).

The picture is a plain projection of the route's surroundings (longitude scaled by the cosine of
the latitude, so distances look right near the equator): the network's ways in grey (main roads
thicker), the route in orange, a dashed line from the route to each stop off the network (from the
junction it is reached from, ``network_point``, when the stop is :data:`APPROACH_MIN_M` or more
away), the stations as blue squares, the stops as numbered circles, a scale bar and a title. The
PDF adds the time plan (arrive, visit, leave), the elevation profile and the stations on the way,
in the language asked for.
"""

from __future__ import annotations

import io
import math
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from kotacerdas.bikes.opening_hours import DAYTIME
from kotacerdas.bikes.tours import hhmm

MAIN_ROADS = {"trunk", "primary", "secondary", "motorway", "trunk_link", "primary_link"}
ROUTE = (230, 110, 20)
STATION = (25, 90, 200)
STOP = (200, 40, 40)
#: The dashed line from the route to a stop off the network.
APPROACH = (85, 85, 85)
#: A stop this far (metres) or farther from its junction is joined to it by a dashed line.
APPROACH_MIN_M = 20.0
LABELS = {
    "id": {
        "stop": "Pemberhentian",
        "arrive": "Tiba",
        "leave": "Berangkat",
        "visit": "Kunjungan",
        "km": "km",
        "plan": "Rencana waktu",
        "elevation": "Profil ketinggian",
        "stations": "Stasiun di perjalanan",
        "return": "Stasiun pengembalian",
        "distance": "Jarak",
        "riding": "Waktu bersepeda",
        "climb": "Tanjakan",
        "minutes": "menit",
        "demo": "data demo",
        "hours_unknown": "jam buka tidak diketahui, direncanakan {open}-{close}",
        "source": "Peta dari jaringan jalan kotacerdas (© kontributor OpenStreetMap)",
    },
    "en": {
        "stop": "Stop",
        "arrive": "Arrive",
        "leave": "Leave",
        "visit": "Visit",
        "km": "km",
        "plan": "Time plan",
        "elevation": "Elevation profile",
        "stations": "Stations on the way",
        "return": "Return station",
        "distance": "Distance",
        "riding": "Riding time",
        "climb": "Climb",
        "minutes": "min",
        "demo": "demo data",
        "hours_unknown": "opening hours unknown, planned {open}-{close}",
        "source": "Map from the kotacerdas road network (© OpenStreetMap contributors)",
    },
}


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("id") or value.get("en") or "")
    return "" if value is None else str(value)


def bounds(tour: dict[str, Any], margin: float = 0.12) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` around the route and its stops, with a margin."""
    pts = list(tour["geometry"]["coordinates"]) + [[s["lon"], s["lat"]] for s in tour["stops"] if "lon" in s]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    w, e, s, n = min(xs), max(xs), min(ys), max(ys)
    dx, dy = max(e - w, 0.004), max(n - s, 0.004)
    return w - dx * margin, s - dy * margin, e + dx * margin, n + dy * margin


class _Frame:
    """Lon/lat to pixels for a box drawn in a ``width x height`` area (aspect kept)."""

    def __init__(self, box: tuple[float, float, float, float], width: int, height: int, pad: int) -> None:
        w, s, e, n = box
        self.k = math.cos(math.radians((s + n) / 2))
        span_x, span_y = (e - w) * self.k, n - s
        self.scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
        self.ox = pad + ((width - 2 * pad) - span_x * self.scale) / 2
        self.oy = pad + ((height - 2 * pad) - span_y * self.scale) / 2
        self.w, self.n = w, n

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return self.ox + (lon - self.w) * self.k * self.scale, self.oy + (self.n - lat) * self.scale

    def metres_per_px(self) -> float:
        return 111_320.0 / self.scale


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # pragma: no cover - Pillow < 10.1
        return ImageFont.load_default()


def _dashed(
    draw: ImageDraw.ImageDraw, a: tuple[float, float], b: tuple[float, float], fill, width: int, dash: float = 9.0
) -> None:
    """A dashed line from ``a`` to ``b`` (dashes and gaps ``dash`` pixels long)."""
    length = math.hypot(b[0] - a[0], b[1] - a[1])
    if length < 1:
        return
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    at = 0.0
    while at < length:
        end = min(at + dash, length)
        draw.line([(a[0] + ux * at, a[1] + uy * at), (a[0] + ux * end, a[1] + uy * end)], fill=fill, width=width)
        at += 2 * dash


def _approaches(draw: ImageDraw.ImageDraw, frame: _Frame, stops: list[dict[str, Any]]) -> None:
    """The dashed lines from the network to the stops off it."""
    for s in stops:
        junction = s.get("network_point")
        if "lon" not in s or not junction or (s.get("off_network_m") or 0.0) < APPROACH_MIN_M:
            continue
        _dashed(draw, frame.xy(junction[0], junction[1]), frame.xy(s["lon"], s["lat"]), APPROACH, 3)


def draw_png(
    tour: dict[str, Any],
    lines: list[tuple[str, list[tuple[float, float]]]],
    title: str,
    lang: str = "id",
    size: tuple[int, int] = (1200, 900),
    stations: list[dict[str, Any]] | None = None,
) -> bytes:
    """The route map as PNG bytes."""
    width, height = size
    img = Image.new("RGB", size, (250, 250, 246))
    draw = ImageDraw.Draw(img)
    frame = _Frame(bounds(tour), width, height - 60, 30)
    for highway, coords in lines:
        pts = [frame.xy(x, y) for x, y in coords]
        if len(pts) > 1:
            main = highway in MAIN_ROADS
            draw.line(pts, fill=(170, 170, 170) if main else (205, 205, 205), width=4 if main else 2)
    route = [frame.xy(x, y) for x, y in tour["geometry"]["coordinates"]]
    if len(route) > 1:
        draw.line(route, fill=(255, 255, 255), width=11, joint="curve")
        draw.line(route, fill=ROUTE, width=6, joint="curve")
    _approaches(draw, frame, tour["stops"])
    small = _font(15)
    for st in stations or []:
        x, y = frame.xy(st["lon"], st["lat"])
        draw.rectangle([x - 6, y - 6, x + 6, y + 6], fill=STATION, outline=(255, 255, 255), width=2)
    big = _font(17)
    for s in tour["stops"]:
        if "lon" not in s:
            continue
        x, y = frame.xy(s["lon"], s["lat"])
        colour = STATION if s["kind"] != "destination" else STOP
        draw.ellipse([x - 14, y - 14, x + 14, y + 14], fill=colour, outline=(255, 255, 255), width=3)
        label = str(s["number"])
        tw = draw.textlength(label, font=big)
        draw.text((x - tw / 2, y - 10), label, fill=(255, 255, 255), font=big)
        draw.text(
            (x + 17, y - 9),
            _text(s.get("name"), lang),
            fill=(40, 40, 40),
            font=small,
            stroke_width=3,
            stroke_fill=(250, 250, 246),
        )
    # scale bar: a round number of metres about 150 px long
    target = frame.metres_per_px() * 150
    bar_m = 10 ** math.floor(math.log10(target))
    for f in (5, 2, 1):
        if f * bar_m <= target:
            bar_m *= f
            break
    px = bar_m / frame.metres_per_px()
    y0 = height - 45
    draw.rectangle([0, height - 60, width, height], fill=(255, 255, 255))
    draw.line([(30, y0), (30 + px, y0)], fill=(30, 30, 30), width=4)
    draw.text((30, y0 + 6), f"{bar_m / 1000:g} km" if bar_m >= 1000 else f"{bar_m:g} m", fill=(30, 30, 30), font=small)
    draw.text((220, height - 52), title, fill=(20, 20, 20), font=_font(20))
    draw.text((220, height - 26), LABELS[lang]["source"], fill=(90, 90, 90), font=_font(13))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def draw_pdf(
    tour: dict[str, Any],
    lines: list[tuple[str, list[tuple[float, float]]]],
    title: str,
    lang: str = "id",
    stations: list[dict[str, Any]] | None = None,
) -> bytes:
    """An A4 PDF: the map, the figures, the time plan, the elevation profile and the stations on the way."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    words = LABELS[lang]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(title)
    pw, ph = A4
    c.setFont("Helvetica-Bold", 15)
    c.drawString(15 * mm, ph - 18 * mm, title[:90])
    c.setFont("Helvetica", 9)
    summary = (
        f"{words['distance']}: {tour['distance_m'] / 1000:.1f} {words['km']}   "
        f"{words['riding']}: {tour.get('riding_minutes', tour.get('duration_s', 0) / 60):.0f} {words['minutes']}   "
        f"{words['climb']}: {tour.get('climb_m', 0):.0f} m"
    )
    c.drawString(15 * mm, ph - 24 * mm, summary)
    png = draw_png(tour, lines, title, lang, size=(1400, 1000), stations=stations)
    img_w = pw - 30 * mm
    img_h = img_w * 1000 / 1400
    c.drawImage(ImageReader(io.BytesIO(png)), 15 * mm, ph - 28 * mm - img_h, img_w, img_h)
    y = ph - 34 * mm - img_h
    c.setFont("Helvetica-Bold", 11)
    c.drawString(15 * mm, y, words["plan"])
    y -= 6 * mm
    c.setFont("Helvetica", 9)
    for s in tour["stops"]:
        name = _text(s.get("name"), lang) or s.get("key", "")
        if s["kind"] == "destination":
            line = (
                f"{s['number']}. {name}: {words['arrive']} {s['arrive']}, {words['visit']} {s.get('start', '')}"
                f" ({s.get('visit_minutes', 0)} {words['minutes']}), {words['leave']} {s['leave']}"
            )
            if s.get("hours_known") is False:
                line += " (" + words["hours_unknown"].format(open=hhmm(DAYTIME[0]), close=hhmm(DAYTIME[1])) + ")"
        else:
            line = f"{s['number']}. {name}: {s['arrive']}"
        c.drawString(18 * mm, y, line[:120])
        y -= 5 * mm
        if y < 60 * mm:
            break
    profile = tour.get("elevation")
    if profile and len(profile) > 1:
        y -= 4 * mm
        c.setFont("Helvetica-Bold", 11)
        c.drawString(15 * mm, y, words["elevation"])
        box_h, box_w = 30 * mm, pw - 30 * mm
        y0 = y - 4 * mm - box_h
        zs = [p[1] for p in profile]
        d_max = max(profile[-1][0], 1.0)
        z0, z1 = min(zs), max(max(zs), min(zs) + 10)
        c.setStrokeColorRGB(0.9, 0.43, 0.08)
        path = c.beginPath()
        for k, (d, z) in enumerate(profile):
            px = 15 * mm + d / d_max * box_w
            py = y0 + (z - z0) / (z1 - z0) * box_h
            (path.moveTo if k == 0 else path.lineTo)(px, py)
        c.drawPath(path)
        c.setFont("Helvetica", 8)
        c.setFillColorRGB(0.3, 0.3, 0.3)
        c.drawString(15 * mm, y0 - 4 * mm, f"{z0:.0f}–{z1:.0f} m, {d_max / 1000:.1f} {words['km']}")
        y = y0 - 10 * mm
    c.setFillColorRGB(0, 0, 0)
    ret = tour.get("return_station")
    if ret:
        c.setFont("Helvetica", 9)
        c.drawString(15 * mm, max(y, 20 * mm), f"{words['return']}: {_text(ret.get('name'), lang)}")
        y -= 5 * mm
    on_way = tour.get("stations_on_way") or []
    if on_way and y > 20 * mm:
        names = ", ".join(_text(s.get("name"), lang) for s in on_way)
        c.drawString(15 * mm, y, f"{words['stations']}: {names}"[:130])
    c.setFont("Helvetica", 7)
    c.drawString(15 * mm, 10 * mm, words["source"])
    c.showPage()
    c.save()
    return buf.getvalue()
