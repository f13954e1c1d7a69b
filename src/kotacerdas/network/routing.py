"""Bicycle routing: point-to-point routes and travel-time tables on a city's bicycle network.

A :class:`BikeRouter` holds the bicycle graph (:class:`kotacerdas.network.graph.RoadGraph` in
``bike`` mode), one profile's edge costs (:mod:`kotacerdas.network.profiles`) and the contraction
hierarchy built on them (:mod:`kotacerdas.network.hierarchy`). Points are snapped to the nearest
junction the bicycle graph reaches; one farther than :data:`MAX_SNAP_M` is outside the network.

**Off the network.** The stretch between a point and its junction is ridden too: its straight-line
length is added, at the rider's speed (:func:`off_network_s`), to a route's distance and time and
to every pair of a travel table (both ends, so two places that share a junction are the sum of
their two stretches apart, not 0). A route's geometry is its part on the network; ``snapped_m``
says how long each end's stretch is.

A :class:`BikeRoute` has the distance, the time at the rider's speed, climb and descent, the
geometry (GeoJSON LineString), the share of each road class and surface, the elevation profile
and turn-by-turn instructions in both languages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

from kotacerdas.core.i18n import N_
from kotacerdas.network.errors import NetworkError
from kotacerdas.network.graph import RoadGraph
from kotacerdas.network.hierarchy import Hierarchy, build_hierarchy
from kotacerdas.network.instructions import instructions
from kotacerdas.network.osm import RoadSegment
from kotacerdas.network.profiles import EdgeCosts, check_profile, edge_costs, travel_time_s

#: A point farther than this from every junction of the bicycle network is outside it (metres).
MAX_SNAP_M = 1000.0
DEFAULT_SPEED_KMH = 15.0


def check_speed(speed_kmh: float) -> float:
    """A riding speed between 4 and 40 km/h (a :class:`NetworkError` otherwise)."""
    if not (4.0 <= float(speed_kmh) <= 40.0):
        raise NetworkError(N_("a riding speed must be between 4 and 40 km/h"), field="speed_kmh", speed=speed_kmh)
    return float(speed_kmh)


def off_network_s(metres: float | np.ndarray, speed_kmh: float) -> float | np.ndarray:
    """Seconds to ride ``metres`` off the network (to or from a junction) at the rider's speed."""
    return metres / (float(speed_kmh) / 3.6)


@dataclass(frozen=True)
class Snap:
    """A point on the network: the graph node and how far the point was from it."""

    node: int
    distance_m: float


@dataclass
class BikeRoute:
    """A route between two points; see :meth:`as_dict` for the JSON the CLI, API and pages answer."""

    profile: str
    speed_kmh: float
    distance_m: float
    duration_s: float
    climb_m: float
    descent_m: float
    coordinates: list[tuple[float, float]]
    steps: list[tuple[RoadSegment, bool]] = field(repr=False)
    road_types: dict[str, float] = field(default_factory=dict)
    surfaces: dict[str, float] = field(default_factory=dict)
    elevation: list[tuple[float, float]] | None = None
    instructions: list = field(default_factory=list)
    snapped_m: tuple[float, float] = (0.0, 0.0)

    @property
    def geometry(self) -> dict:
        """The route as a GeoJSON LineString."""
        return {"type": "LineString", "coordinates": [[round(x, 7), round(y, 7)] for x, y in self.coordinates]}

    def as_dict(self) -> dict:
        return {
            "profile": self.profile,
            "speed_kmh": self.speed_kmh,
            "distance_m": round(self.distance_m, 1),
            "duration_s": round(self.duration_s, 1),
            "climb_m": round(self.climb_m, 1),
            "descent_m": round(self.descent_m, 1),
            "geometry": self.geometry,
            "road_types": {k: round(v, 4) for k, v in self.road_types.items()},
            "surfaces": {k: round(v, 4) for k, v in self.surfaces.items()},
            "elevation": [[round(d, 1), round(z, 1)] for d, z in self.elevation] if self.elevation else None,
            "instructions": [i.as_dict() for i in self.instructions],
            "snapped_m": [round(self.snapped_m[0], 1), round(self.snapped_m[1], 1)],
        }


@dataclass(frozen=True)
class TravelTable:
    """Many-to-many: seconds and metres from each origin to each destination (``inf`` where unreachable)."""

    duration_s: np.ndarray
    distance_m: np.ndarray
    climb_m: np.ndarray
    snaps: tuple[Snap, ...]


class BikeRouter:
    """Routes of one profile on one bicycle graph; build with :func:`build_router` or from a stored hierarchy."""

    def __init__(self, graph: RoadGraph, costs: EdgeCosts, hierarchy: Hierarchy) -> None:
        if graph.mode != "bike":
            raise NetworkError(N_("unknown travel mode {mode}"), field="mode", mode=graph.mode)
        self.graph = graph
        self.costs = costs
        self.profile = costs.profile
        self.hierarchy = hierarchy
        used = np.zeros(graph.n_nodes, dtype=bool)
        used[graph.edge_from] = True
        used[graph.edge_to] = True
        self._nodes = np.flatnonzero(used)
        self._tree = (
            cKDTree(np.column_stack([graph.x[self._nodes], graph.y[self._nodes]])) if self._nodes.size else None
        )

    # -- points ----------------------------------------------------------------------------------------
    def snap(self, lon: float, lat: float) -> Snap:
        """The nearest junction of the bicycle network (:class:`NetworkError` when none within :data:`MAX_SNAP_M`)."""
        return self.snap_many([lon], [lat])[0]

    def snap_many(self, lons: Sequence[float], lats: Sequence[float]) -> list[Snap]:
        if self._tree is None:
            raise NetworkError(N_("the city has no bicycle network"), field="network", status=404)
        lon = np.asarray(lons, dtype=float)
        lat = np.asarray(lats, dtype=float)
        if not (np.all(np.isfinite(lon)) and np.all(np.abs(lon) <= 180) and np.all(np.abs(lat) <= 90)):
            raise NetworkError(N_("a point needs a longitude and a latitude in degrees"), field="point")
        px, py = self.graph.transformer.transform(lon, lat)
        d, i = self._tree.query(np.column_stack([px, py]))
        out = []
        for k in range(lon.size):
            if d[k] > MAX_SNAP_M:
                raise NetworkError(
                    N_("the point {lon}, {lat} is {km} km from the nearest road a bicycle may use"),
                    field="point",
                    lon=round(float(lon[k]), 5),
                    lat=round(float(lat[k]), 5),
                    km=round(float(d[k]) / 1000.0, 1),
                    distance_m=round(float(d[k])),
                )
            out.append(Snap(int(self._nodes[i[k]]), float(d[k])))
        return out

    # -- queries ---------------------------------------------------------------------------------------
    def route_nodes(self, source: int, target: int, speed_kmh: float = DEFAULT_SPEED_KMH) -> BikeRoute | None:
        """The route between two graph node indices, ``None`` when no bicycle path joins them."""
        found = self.hierarchy.query(source, target)
        if found is None:
            return None
        return self._route(list(found.edges), check_speed(speed_kmh), source)

    def route(
        self, origin: tuple[float, float], destination: tuple[float, float], speed_kmh: float = DEFAULT_SPEED_KMH
    ) -> BikeRoute:
        """The route from ``origin`` to ``destination`` (lon, lat): :class:`NetworkError` when outside the network
        or when no bicycle path joins them."""
        check_speed(speed_kmh)
        a, b = self.snap_many([origin[0], destination[0]], [origin[1], destination[1]])
        found = self.route_nodes(a.node, b.node, speed_kmh)
        if found is None:
            raise NetworkError(
                N_("no bicycle path joins these two points"), field="to", status=422, reason="unreachable"
            )
        found.snapped_m = (a.distance_m, b.distance_m)
        found.distance_m += a.distance_m + b.distance_m
        found.duration_s += float(off_network_s(a.distance_m + b.distance_m, speed_kmh))
        return found

    def table(self, points: Sequence[tuple[float, float]], speed_kmh: float = DEFAULT_SPEED_KMH) -> TravelTable:
        """Seconds, metres and climb between every pair of ``points`` (lon, lat), in one many-to-many call; the
        off-network stretches of both points are included (0 from a point to itself)."""
        check_speed(speed_kmh)
        snaps = self.snap_many([p[0] for p in points], [p[1] for p in points])
        nodes = [s.node for s in snaps]
        unique = sorted(set(nodes))
        cost, aux = self.hierarchy.many_to_many(unique, unique)
        pos = np.array([unique.index(n) for n in nodes])
        aux = aux[np.ix_(pos, pos)]
        ok = np.isfinite(cost[np.ix_(pos, pos)])
        off = np.array([s.distance_m for s in snaps], dtype=float)
        approach = off[:, None] + off[None, :]
        np.fill_diagonal(approach, 0.0)
        seconds = np.where(
            ok, aux[..., 1] / (speed_kmh / 3.6) + aux[..., 2] + off_network_s(approach, speed_kmh), np.inf
        )
        metres = np.where(ok, aux[..., 0] + approach, np.inf)
        climb = np.where(ok, aux[..., 3], np.inf)
        return TravelTable(seconds, metres, climb, tuple(snaps))

    # -- shaping ---------------------------------------------------------------------------------------
    def _route(self, edges: list[int], speed_kmh: float, source: int) -> BikeRoute:
        g = self.graph
        aux = self.costs.aux[edges].sum(axis=0) if edges else np.zeros(5)
        steps = [(g.segments[int(g.edge_segment[e])], bool(g.edge_forward[e])) for e in edges]
        coords: list[tuple[float, float]] = []
        for seg, fwd in steps:
            c = list(seg.geometry.coords)
            if not fwd:
                c.reverse()
            coords.extend(c if not coords else c[1:])
        if not coords:
            coords = [(float(g.lon[source]), float(g.lat[source]))] * 2
        length = float(aux[0])
        road_types: dict[str, float] = {}
        surfaces: dict[str, float] = {}
        for seg, _ in steps:
            road_types[seg.highway] = road_types.get(seg.highway, 0.0) + seg.length_m
            key = seg.surface or "unknown"
            surfaces[key] = surfaces.get(key, 0.0) + seg.length_m
        if length > 0:
            road_types = {k: v / length for k, v in sorted(road_types.items(), key=lambda kv: -kv[1])}
            surfaces = {k: v / length for k, v in sorted(surfaces.items(), key=lambda kv: -kv[1])}
        return BikeRoute(
            profile=self.profile,
            speed_kmh=speed_kmh,
            distance_m=length,
            duration_s=travel_time_s(float(aux[1]), float(aux[2]), speed_kmh),
            climb_m=float(aux[3]),
            descent_m=float(aux[4]),
            coordinates=coords,
            steps=steps,
            road_types=road_types,
            surfaces=surfaces,
            elevation=_elevation(steps),
            instructions=instructions(steps),
        )


def _elevation(steps: list[tuple[RoadSegment, bool]]) -> list[tuple[float, float]] | None:
    """The route's ``(distance, elevation)`` profile, ``None`` unless every segment has one."""
    out: list[tuple[float, float]] = []
    offset = 0.0
    for seg, fwd in steps:
        if not seg.elevation:
            return None
        pts = [(float(d), float(z)) for d, z in seg.elevation]
        if not fwd:
            total = pts[-1][0]
            pts = [(total - d, z) for d, z in reversed(pts)]
        out.extend((offset + d, z) for d, z in (pts if not out else pts[1:]))
        offset += seg.length_m
    return out or None


def router_inputs(graph: RoadGraph, profile: str) -> tuple[EdgeCosts, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The profile's edge costs and the ``(tails, heads, costs)`` the hierarchy is built on."""
    costs = edge_costs(graph.segments, graph.edge_segment, graph.edge_forward, check_profile(profile))
    return costs, (graph.edge_from, graph.edge_to, costs.cost)


def build_router(graph: RoadGraph, profile: str) -> BikeRouter:
    """Preprocess ``graph`` (bike mode) for ``profile``: the contraction hierarchy over its edge costs."""
    costs, (tails, heads, cost) = router_inputs(graph, profile)
    return BikeRouter(graph, costs, build_hierarchy(graph.n_nodes, tails, heads, cost, costs.aux))
