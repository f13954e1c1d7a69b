"""Cycling profiles: the cost of riding each way, as documented functions of its OpenStreetMap tags.

Every directed edge of the bicycle graph gets a **time** at the rider's speed ``v`` (m/s)::

    time(v) = riding_m / v + fixed_s
    riding_m = length_m / pace            (0 where the bicycle is pushed or on a ferry)
    fixed_s  = HILL_S_PER_M * climb_m + push and ferry time

``pace`` (0 < pace <= 1) is the lower of the surface's and the smoothness's factor
(:data:`SURFACE_PACE`, :data:`SMOOTHNESS_PACE`): gravel rides at 0.7 of the speed on asphalt.
``climb_m`` is the height gained along the edge's direction (from the DEM, 0 without one); each
metre climbed costs :data:`HILL_S_PER_M` seconds. Steps are carried at :data:`CARRY_MS`, ways tagged
``bicycle=dismount`` pushed at :data:`PUSH_MS`; a ferry crossing takes its length at
:data:`FERRY_MS` plus :data:`FERRY_WAIT_S` waiting.

The profiles route by a **cost**, the same in every city:

``shortest``
    ``length_m``: distance only, for checking.
``fast``
    ``time(REFERENCE_SPEED_MS)``: the quickest route at 15 km/h.
``quiet``
    ``time(REFERENCE_SPEED_MS) * stress / pace + HILL_EXTRA_S_PER_M * climb_m``: ``stress`` by road class
    (:data:`ROAD_STRESS`: cycleways 0.7, residential 0.9, primary 2.2, trunk 3.0), reduced by a
    cycle track (to at most 0.8), a lane (half the excess over 1) or a shared lane (a fifth off),
    times 1.05 on a way tagged ``lit=no``. Dividing once more by ``pace`` makes a rough surface cost
    twice what it slows; climbs cost extra. The route prefers residential streets, cycleways and
    good surfaces, and takes a trunk or primary road only where it saves a lot.

Routes are chosen at the reference speed; their times are then given at the rider's speed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kotacerdas.core.i18n import N_
from kotacerdas.network.elevation import smoothed_climb
from kotacerdas.network.errors import NetworkError
from kotacerdas.network.osm import FERRY, RoadSegment

PROFILES: tuple[str, ...] = ("quiet", "fast", "shortest")
#: Version of the cost functions: stored routing graphs built with another are rebuilt.
COST_VERSION = 1
#: The speed routes are chosen at (m/s; 15 km/h).
REFERENCE_SPEED_MS = 15.0 / 3.6
HILL_S_PER_M = 6.0
HILL_EXTRA_S_PER_M = 4.0
PUSH_MS = 1.1
CARRY_MS = 0.5
FERRY_MS = 15.0 / 3.6
FERRY_WAIT_S = 900.0

SURFACE_PACE: dict[str, float] = {
    "asphalt": 1.0,
    "paved": 1.0,
    "concrete": 1.0,
    "concrete:plates": 0.95,
    "concrete:lanes": 0.9,
    "paving_stones": 0.9,
    "metal": 0.9,
    "wood": 0.85,
    "compacted": 0.85,
    "fine_gravel": 0.8,
    "sett": 0.75,
    "unhewn_cobblestone": 0.6,
    "cobblestone": 0.7,
    "gravel": 0.7,
    "pebblestone": 0.65,
    "unpaved": 0.65,
    "ground": 0.65,
    "dirt": 0.6,
    "earth": 0.6,
    "grass_paver": 0.6,
    "grass": 0.5,
    "mud": 0.4,
    "sand": 0.35,
}
#: Pace where the surface is not tagged, by road class (tracks and paths are rarely paved).
UNTAGGED_PACE: dict[str, float] = {"track": 0.7, "path": 0.8, "bridleway": 0.65}
SMOOTHNESS_PACE: dict[str, float] = {
    "excellent": 1.0,
    "good": 1.0,
    "intermediate": 0.9,
    "bad": 0.75,
    "very_bad": 0.55,
    "horrible": 0.4,
    "very_horrible": 0.3,
    "impassable": 0.2,
}
ROAD_STRESS: dict[str, float] = {
    "trunk": 3.0,
    "primary": 2.2,
    "secondary": 1.5,
    "tertiary": 1.2,
    "unclassified": 1.0,
    "road": 1.2,
    "residential": 0.9,
    "living_street": 0.85,
    "service": 1.0,
    "track": 1.05,
    "cycleway": 0.7,
    "path": 0.85,
    "footway": 0.95,
    "pedestrian": 0.95,
    "bridleway": 1.0,
    "steps": 1.0,
    FERRY: 1.0,
}


@dataclass(frozen=True)
class EdgeCosts:
    """Per directed edge of a bicycle graph: the profile's cost and what time, length and climb add up from.

    ``aux`` columns: :data:`AUX_COLUMNS` (``length_m``, ``riding_m``, ``fixed_s``, ``climb_m``, ``descent_m``).
    """

    profile: str
    cost: np.ndarray
    aux: np.ndarray


AUX_COLUMNS = ("length_m", "riding_m", "fixed_s", "climb_m", "descent_m")


def check_profile(profile: str) -> str:
    """``profile`` if it is one of :data:`PROFILES` (a :class:`NetworkError` naming them otherwise)."""
    if profile not in PROFILES:
        raise NetworkError(
            N_("unknown cycling profile {profile}: use quiet, fast or shortest"), field="profile", profile=profile
        )
    return profile


def pace(segment: RoadSegment) -> float:
    """The fraction of the flat-asphalt speed a bicycle keeps on this way (surface and smoothness)."""
    surface = SURFACE_PACE.get((segment.surface or "").split(";")[0].strip().lower())
    if surface is None:
        surface = UNTAGGED_PACE.get(segment.highway, 1.0)
    smooth = SMOOTHNESS_PACE.get((segment.smoothness or "").strip().lower(), 1.0)
    return min(surface, smooth)


def stress(segment: RoadSegment) -> float:
    """How unpleasant the way is to ride, relative to a quiet street (the ``quiet`` profile's factor)."""
    base = ROAD_STRESS.get(segment.highway.removesuffix("_link"), 1.0)
    if segment.highway in ("path", "footway", "pedestrian") and segment.bicycle_access == "designated":
        base = 0.75
    if segment.cycleway == "track":
        base = min(base, 0.8)
    elif segment.cycleway == "lane":
        base = 1.0 + (base - 1.0) * 0.5 if base > 1.0 else base
    elif segment.cycleway == "shared_lane":
        base = 1.0 + (base - 1.0) * 0.8 if base > 1.0 else base
    if segment.lit is False:
        base *= 1.05
    return base


def climb_descent(elevation: Sequence[Sequence[float]] | None) -> tuple[float, float]:
    """Metres climbed and descended along a segment's ``((distance, elevation), ...)`` profile in its direction
    (:func:`kotacerdas.network.elevation.smoothed_climb`); zeros without one."""
    if not elevation or len(elevation) < 2:
        return 0.0, 0.0
    return smoothed_climb([z for _, z in elevation])


def segment_terms(segment: RoadSegment, forward: bool) -> tuple[float, float, float, float, float, float]:
    """``(length_m, riding_m, fixed_s, climb_m, descent_m, stress)`` of riding ``segment`` in one direction."""
    length = float(segment.length_m)
    up, down = climb_descent(segment.elevation)
    climb, descent = (up, down) if forward else (down, up)
    if segment.highway == FERRY:
        return length, 0.0, length / FERRY_MS + FERRY_WAIT_S, 0.0, 0.0, 1.0
    if segment.push:
        speed = CARRY_MS if segment.highway == "steps" else PUSH_MS
        return length, 0.0, length / speed + HILL_S_PER_M * climb, climb, descent, 1.0
    p = pace(segment)
    return length, length / p, HILL_S_PER_M * climb, climb, descent, stress(segment) / p


def edge_costs(
    segments: Sequence[RoadSegment], edge_segment: np.ndarray, edge_forward: np.ndarray, profile: str
) -> EdgeCosts:
    """The ``profile``'s cost and the auxiliary sums of each directed edge (given by segment index and direction)."""
    check_profile(profile)
    terms = np.array(
        [segment_terms(segments[int(k)], bool(f)) for k, f in zip(edge_segment, edge_forward, strict=True)],
        dtype=float,
    ).reshape(-1, 6)
    aux = terms[:, :5]
    time_ref = aux[:, 1] / REFERENCE_SPEED_MS + aux[:, 2]
    if profile == "shortest":
        cost = aux[:, 0].copy()
    elif profile == "fast":
        cost = time_ref
    else:
        cost = time_ref * terms[:, 5] + HILL_EXTRA_S_PER_M * aux[:, 3]
    return EdgeCosts(profile, np.maximum(cost, 1e-3), aux)


def travel_time_s(riding_m: float, fixed_s: float, speed_kmh: float) -> float:
    """Seconds to ride ``riding_m`` (pace-weighted metres) at ``speed_kmh`` plus the fixed seconds."""
    return riding_m / (speed_kmh / 3.6) + fixed_s
