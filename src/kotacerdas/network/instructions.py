"""Turn-by-turn instructions for a route, in Bahasa Indonesia and English.

A route is a sequence of directed segments. Consecutive segments of the same way name (or, where
unnamed, the same kind of way) form one *leg*; each leg starts with an instruction. The turn is
the change of bearing between the last 20 m before the junction and the first 20 m after it
(initial bearings on the WGS84 ellipsoid): within 20° *continue*, 20-45° *slight*, 45-135°
*turn*, 135-170° *sharp*, beyond that a *U-turn*; left is a change to the left (counter-clockwise).
Steps (push the bicycle) and ferries get their own wording; the last instruction is the arrival.
The texts are message ids of ``locale/id/LC_MESSAGES/network.po``, rendered in both languages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pyproj import Geod

from kotacerdas.core.i18n import N_, gettext
from kotacerdas.network.osm import FERRY, RoadSegment

_GEOD = Geod(ellps="WGS84")
LOOK_M = 20.0

#: How an unnamed way is called in an instruction, by its class.
WAY_KINDS: dict[str, str] = {
    "cycleway": N_("the cycleway"),
    "path": N_("the path"),
    "footway": N_("the footpath"),
    "pedestrian": N_("the pedestrian street"),
    "bridleway": N_("the path"),
    "track": N_("the track"),
    "steps": N_("the steps"),
    "living_street": N_("the living street"),
    "service": N_("the service road"),
    FERRY: N_("the ferry"),
}
UNNAMED = N_("the road")
TEXTS = {
    "depart": N_("Head {direction} on {way}"),
    "continue": N_("Continue on {way}"),
    "slight_left": N_("Bear left onto {way}"),
    "slight_right": N_("Bear right onto {way}"),
    "left": N_("Turn left onto {way}"),
    "right": N_("Turn right onto {way}"),
    "sharp_left": N_("Turn sharp left onto {way}"),
    "sharp_right": N_("Turn sharp right onto {way}"),
    "uturn": N_("Make a U-turn onto {way}"),
    "steps": N_("Push your bicycle along {way}"),
    "ferry": N_("Take {way}"),
    "arrive": N_("Arrive at your destination"),
}
DIRECTIONS = (
    N_("north"),
    N_("northeast"),
    N_("east"),
    N_("southeast"),
    N_("south"),
    N_("southwest"),
    N_("west"),
    N_("northwest"),
)


@dataclass(frozen=True)
class Instruction:
    """One step: what to do where, the way taken and how far it runs before the next step."""

    kind: str
    way: str | None
    lon: float
    lat: float
    distance_m: float
    text: dict[str, str]

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "way": self.way,
            "lon": round(self.lon, 6),
            "lat": round(self.lat, 6),
            "distance_m": round(self.distance_m, 1),
            "text": self.text,
        }


def _coords(segment: RoadSegment, forward: bool) -> np.ndarray:
    c = np.asarray(segment.geometry.coords, dtype=float)
    return c if forward else c[::-1]


def _bearing_out(coords: np.ndarray) -> float:
    """Bearing from the first point to the point about LOOK_M along the line (or its last point)."""
    x0, y0 = coords[0]
    for i in range(1, len(coords)):
        az, _, dist = _GEOD.inv(x0, y0, coords[i][0], coords[i][1])
        if dist >= LOOK_M or i == len(coords) - 1:
            return float(az)
    return 0.0


def _bearing_in(coords: np.ndarray) -> float:
    """Bearing of travel arriving at the last point (from about LOOK_M before it, or the first point)."""
    x1, y1 = coords[-1]
    for i in range(len(coords) - 2, -1, -1):
        az, _, dist = _GEOD.inv(coords[i][0], coords[i][1], x1, y1)
        if dist >= LOOK_M or i == 0:
            return float(az)
    return 0.0


def turn_kind(bearing_in: float, bearing_out: float) -> str:
    """``continue``, ``slight_left`` ... ``uturn`` for a change of bearing (degrees, clockwise from north)."""
    delta = (bearing_out - bearing_in + 540.0) % 360.0 - 180.0  # -180..180, positive = to the right
    a = abs(delta)
    if a < 20:
        return "continue"
    side = "right" if delta > 0 else "left"
    if a < 45:
        return f"slight_{side}"
    if a < 135:
        return side
    if a < 170:
        return f"sharp_{side}"
    return "uturn"


def _way_label(segment: RoadSegment) -> tuple[str | None, str]:
    """The way's name (``None`` when unnamed) and the message id naming it in a sentence."""
    name = (segment.name or "").strip() or None
    return name, WAY_KINDS.get(segment.highway, UNNAMED)


def _leg_key(segment: RoadSegment) -> tuple:
    name, kind = _way_label(segment)
    return (name or kind, segment.highway == FERRY, segment.push)


def _render(kind: str, way_name: str | None, way_kind: str, direction: str | None = None) -> dict[str, str]:
    out = {}
    for lang in ("id", "en"):
        way = way_name if way_name else gettext(way_kind, lang)
        params = {"way": way, "direction": gettext(direction, lang) if direction else ""}
        out[lang] = gettext(TEXTS[kind], lang).format(**params)
    return out


def instructions(steps: Sequence[tuple[RoadSegment, bool]]) -> list[Instruction]:
    """The instructions along ``steps`` (each a segment and whether it is ridden along its geometry)."""
    if not steps:
        return []
    legs: list[list[tuple[RoadSegment, bool]]] = []
    for seg, fwd in steps:
        if legs and _leg_key(legs[-1][-1][0]) == _leg_key(seg):
            legs[-1].append((seg, fwd))
        else:
            legs.append([(seg, fwd)])
    out: list[Instruction] = []
    previous_end: np.ndarray | None = None
    for leg in legs:
        first_seg, first_fwd = leg[0]
        coords = _coords(first_seg, first_fwd)
        name, way_kind = _way_label(first_seg)
        length = float(sum(s.length_m for s, _ in leg))
        bearing = _bearing_out(coords)
        if previous_end is None:
            direction = DIRECTIONS[int(((bearing % 360.0) + 22.5) // 45.0) % 8]
            kind = "depart"
            text = _render(kind, name, way_kind, direction)
        else:
            kind = turn_kind(_bearing_in(previous_end), bearing)
            if first_seg.highway == FERRY:
                kind = "ferry"
            elif first_seg.push:
                kind = "steps"
            text = _render(kind, name, way_kind)
        out.append(Instruction(kind, name, float(coords[0][0]), float(coords[0][1]), length, text))
        last_seg, last_fwd = leg[-1]
        previous_end = _coords(last_seg, last_fwd)
    end = previous_end[-1] if previous_end is not None else (0.0, 0.0)
    out.append(Instruction("arrive", None, float(end[0]), float(end[1]), 0.0, _render("arrive", None, UNNAMED)))
    return out
