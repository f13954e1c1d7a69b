"""Truck routes that move bikes from stations about to fill to stations about to empty.

Method
------
1. **Needs** (:func:`station_needs`): for each station, the forecast net flow
   (returns minus pickups) of the coming hours gives the range of starting
   stock that keeps the station neither empty nor full over the window:
   ``low = max(0, -min(cumulative net flow))`` and
   ``high = capacity - max(0, max(cumulative net flow))``. A station below
   ``low`` needs bikes, one above ``high`` has bikes to spare; the target is
   the nearest bound moved ``slack`` bikes inside the range (the middle when
   the range is empty).
2. **Routes** (:func:`plan_routes`): a capacitated vehicle routing problem
   with pickups as positive and deliveries as negative demands, solved with
   OR-Tools. Each need is split into chunks of at most ``chunk`` bikes, every
   chunk is an optional node whose penalty for being skipped is worth
   ``penalty_m_per_bike`` metres per bike, so the solver serves as many bikes
   as the trucks can within their shift and only skips what does not pay.
   The load dimension (start = the truck's initial load, bounds ``[0,
   capacity]`` at every stop) keeps a truck from delivering bikes it does not
   carry; the time dimension (travel at ``speed_kmh`` plus
   ``handling_min_per_bike`` per bike) keeps every route, back to the depot,
   within the shift.
3. Distances come from the caller: a matrix over named locations (road
   distances from the shared road graph) or a function ``(from, to) -> m``;
   :func:`straight_line_matrix` gives a straight-line stand-in.

Without OR-Tools (an optional dependency) a greedy nearest-feasible-stop
heuristic serves the same needs; :func:`check_plan` verifies any plan.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kotacerdas.bikes.demand_sim import Move
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import Station
from kotacerdas.core.geometry import distance_m
from kotacerdas.core.i18n import N_

Distance = np.ndarray | Callable[[str, str], float]


@dataclass(frozen=True)
class StationNeed:
    """What a station should get (``delta > 0``) or give (``delta < 0``) to reach ``target``."""

    station_id: str
    current: int
    low: int
    high: int
    target: int

    @property
    def delta(self) -> int:
        """Bikes to deliver (positive) or pick up (negative)."""
        return self.target - self.current


@dataclass(frozen=True)
class Truck:
    """A rebalancing van: capacity in bikes, shift in minutes, bikes on board at the start."""

    truck_id: str
    capacity: int
    shift_minutes: int
    initial_load: int = 0


@dataclass(frozen=True)
class Stop:
    """One stop: bikes dropped (``delta`` > 0) or taken (< 0), minutes after the shift start, load after."""

    station_id: str
    delta: int
    arrival_minute: float
    load_after: int


@dataclass(frozen=True)
class Route:
    """A truck's stops from and back to the depot, with length (m) and duration (min)."""

    truck_id: str
    stops: tuple[Stop, ...]
    distance_m: float
    duration_minutes: float


@dataclass(frozen=True)
class RebalancingPlan:
    """Routes for every truck and the part of each need left unserved."""

    routes: tuple[Route, ...]
    unserved: dict[str, int]
    solver: str

    @property
    def bikes_moved(self) -> int:
        """Bikes picked up over all routes."""
        return sum(-s.delta for r in self.routes for s in r.stops if s.delta < 0)

    def moves(self, start_minute: int) -> list[Move]:
        """The stops as simulator moves (minute of the day = ``start_minute`` + arrival)."""
        return [
            Move(start_minute + int(math.ceil(s.arrival_minute)), s.station_id, s.delta, r.truck_id)
            for r in self.routes
            for s in r.stops
        ]


def safe_range(capacity: int, net_flow: Sequence[float]) -> tuple[int, int]:
    """Starting stock range keeping a station between empty and full under a net flow path.

    Parameters
    ----------
    capacity:
        Usable docks.
    net_flow:
        Expected returns minus pickups per period of the window.

    Returns
    -------
    (int, int)
        ``(low, high)``; ``low > high`` when no stock survives the whole window.
    """
    cum = np.cumsum(np.asarray(net_flow, dtype=float))
    lowest = float(cum.min()) if len(cum) else 0.0
    highest = float(cum.max()) if len(cum) else 0.0
    low = max(0, math.ceil(-lowest - 1e-9))
    high = min(capacity, math.floor(capacity - max(0.0, highest) + 1e-9))
    return low, high


def station_needs(
    stations: Sequence[Station],
    inventory: Mapping[str, int],
    net_flow: np.ndarray,
    *,
    slack: int = 1,
) -> list[StationNeed]:
    """Targets per station from a forecast window.

    Parameters
    ----------
    stations:
        Station order matches the columns of ``net_flow``.
    inventory:
        Bikes docked now.
    net_flow:
        ``[periods, S]`` forecast returns minus pickups over the window.
    slack:
        Bikes the target keeps inside the safe range.
    """
    if net_flow.shape[1] != len(stations):
        raise BikesError(N_("demand arrays do not match {n} stations"), field="net_flow", n=len(stations))
    needs = []
    for j, st in enumerate(stations):
        cap = st.usable_docks
        cur = int(inventory.get(st.station_id, 0))
        low, high = safe_range(cap, net_flow[:, j])
        if low > high:
            target = int(round((low + high) / 2))
        elif cur < low:
            target = min(high, low + slack)
        elif cur > high:
            target = max(low, high - slack)
        else:
            target = cur
        needs.append(StationNeed(st.station_id, cur, low, high, max(0, min(cap, target))))
    return needs


def straight_line_matrix(
    points: Mapping[str, tuple[float, float]], detour: float = 1.3
) -> tuple[list[str], np.ndarray]:
    """Straight-line (geodesic) distances (m) times a detour factor between named ``(lon, lat)`` points."""
    ids = list(points)
    if not ids:
        return ids, np.zeros((0, 0))
    lon = np.array([points[k][0] for k in ids], dtype=float)
    lat = np.array([points[k][1] for k in ids], dtype=float)
    n = len(ids)
    a, b = np.repeat(np.arange(n), n), np.tile(np.arange(n), n)
    return ids, detour * np.asarray(distance_m(lon[a], lat[a], lon[b], lat[b])).reshape(n, n)


def _distance_fn(distance: Distance, location_ids: Sequence[str] | None) -> Callable[[str, str], float]:
    if callable(distance):
        return distance
    matrix = np.asarray(distance, dtype=float)
    if location_ids is None or matrix.shape != (len(location_ids), len(location_ids)):
        raise BikesError(N_("the distance matrix does not match the location ids"), field="distance")
    pos = {k: i for i, k in enumerate(location_ids)}

    def lookup(a: str, b: str) -> float:
        if a not in pos or b not in pos:
            raise BikesError(
                N_("no distance for location {location}"), field="distance", location=a if a not in pos else b
            )
        return float(matrix[pos[a], pos[b]])

    return lookup


def plan_routes(
    needs: Sequence[StationNeed],
    trucks: Sequence[Truck],
    distance: Distance,
    *,
    depot: str = "depot",
    location_ids: Sequence[str] | None = None,
    speed_kmh: float = 20.0,
    handling_min_per_bike: float = 1.0,
    chunk: int = 4,
    penalty_m_per_bike: float = 50_000.0,
    time_limit_s: float = 3.0,
    solver: str = "ortools",
) -> RebalancingPlan:
    """Route the trucks to serve the needs.

    Parameters
    ----------
    needs:
        From :func:`station_needs`; stations with ``delta == 0`` are ignored.
    trucks:
        The vans; all start and end at ``depot``.
    distance:
        Square matrix over ``location_ids`` (metres) or a function ``(from, to) -> metres``;
        must cover ``depot`` and every station with a need.
    speed_kmh, handling_min_per_bike:
        Driving speed and loading time per bike.
    chunk:
        Largest number of bikes one optional node stands for.
    penalty_m_per_bike:
        Detour (m) the solver accepts to move one more bike.
    time_limit_s:
        OR-Tools search time.
    solver:
        ``"ortools"`` or ``"greedy"``; falls back to greedy when OR-Tools is not installed.

    Returns
    -------
    RebalancingPlan
    """
    if not trucks:
        raise BikesError(N_("at least one truck is needed"), field="trucks")
    dist = _distance_fn(distance, location_ids)
    nodes: list[tuple[str, int]] = [(depot, 0)]
    for need in needs:
        left = -need.delta  # load change: pickups add to the truck
        sign = 1 if left > 0 else -1
        left = abs(left)
        while left > 0:
            q = min(chunk, left)
            nodes.append((need.station_id, sign * q))
            left -= q
    metres_per_min = speed_kmh * 1000.0 / 60.0
    n = len(nodes)
    dm = np.zeros((n, n))
    cache: dict[tuple[str, str], float] = {}
    for i, (a, _) in enumerate(nodes):
        for j, (b, _) in enumerate(nodes):
            if a != b:
                if (a, b) not in cache:
                    cache[(a, b)] = dist(a, b)
                dm[i, j] = cache[(a, b)]
    service = np.array([abs(q) * handling_min_per_bike for _, q in nodes])
    travel = dm / metres_per_min
    used = "greedy"
    sequences = None
    if solver == "ortools" and n > 1:
        try:
            sequences = _solve_ortools(nodes, dm, travel, service, trucks, penalty_m_per_bike, time_limit_s)
            used = "ortools"
        except ImportError:
            sequences = None
    if sequences is None:
        sequences = _solve_greedy(nodes, dm, travel, service, trucks, penalty_m_per_bike)
    return _assemble(nodes, sequences, dm, travel, service, trucks, needs, used)


def _solve_ortools(nodes, dm, travel, service, trucks, penalty, time_limit_s) -> list[list[int]]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n = len(nodes)
    manager = pywrapcp.RoutingIndexManager(n, len(trucks), 0)
    routing = pywrapcp.RoutingModel(manager)
    dist_int = np.rint(dm).astype(int)
    time_int = np.rint((travel + service[:, None]) * 60).astype(int)  # seconds, service at the origin

    def arc(i: int, j: int) -> int:
        return int(dist_int[manager.IndexToNode(i), manager.IndexToNode(j)])

    def elapsed(i: int, j: int) -> int:
        return int(time_int[manager.IndexToNode(i), manager.IndexToNode(j)])

    def demand(i: int) -> int:
        return int(nodes[manager.IndexToNode(i)][1])

    arc_cb = routing.RegisterTransitCallback(arc)
    routing.SetArcCostEvaluatorOfAllVehicles(arc_cb)
    demand_cb = routing.RegisterUnaryTransitCallback(demand)
    routing.AddDimensionWithVehicleCapacity(demand_cb, 0, [t.capacity for t in trucks], False, "load")
    load = routing.GetDimensionOrDie("load")
    time_cb = routing.RegisterTransitCallback(elapsed)
    routing.AddDimensionWithVehicleCapacity(time_cb, 0, [t.shift_minutes * 60 for t in trucks], True, "time")
    for v, t in enumerate(trucks):
        if not 0 <= t.initial_load <= t.capacity:
            raise BikesError(
                N_("truck {truck} starts with more bikes than it holds"),
                field="initial_load",
                truck=t.truck_id,
            )
        load.CumulVar(routing.Start(v)).SetValue(t.initial_load)
    for node in range(1, n):
        routing.AddDisjunction([manager.NodeToIndex(node)], int(penalty * abs(nodes[node][1])))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(time_limit_s * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return [[] for _ in trucks]
    out = []
    for v in range(len(trucks)):
        idx = routing.Start(v)
        seq = []
        while not routing.IsEnd(idx):
            node = manager.IndexToNode(idx)
            if node:
                seq.append(node)
            idx = solution.Value(routing.NextVar(idx))
        out.append(seq)
    return out


def _solve_greedy(nodes, dm, travel, service, trucks, penalty) -> list[list[int]]:
    left = set(range(1, len(nodes)))
    out = []
    for t in trucks:
        seq: list[int] = []
        here, load, clock = 0, t.initial_load, 0.0
        while True:
            best = None
            for j in left:
                q = nodes[j][1]
                if not 0 <= load + q <= t.capacity:
                    continue
                finish = clock + service[here] + travel[here, j] + service[j] + travel[j, 0]
                if finish > t.shift_minutes or dm[here, j] > penalty * abs(q):
                    continue
                score = dm[here, j] / abs(q)
                if best is None or (score, j) < best[:2]:
                    best = (score, j)
            if best is None:
                break
            j = best[1]
            clock += service[here] + travel[here, j]
            load += nodes[j][1]
            here = j
            seq.append(j)
            left.discard(j)
        out.append(seq)
    return out


def _assemble(nodes, sequences, dm, travel, service, trucks, needs, used) -> RebalancingPlan:
    routes = []
    served: dict[str, int] = {}
    for t, seq in zip(trucks, sequences, strict=True):
        stops: list[Stop] = []
        here, clock, load, length = 0, 0.0, t.initial_load, 0.0
        for j in seq:
            clock += service[here] + travel[here, j]
            length += dm[here, j]
            load += nodes[j][1]
            sid, q = nodes[j]
            served[sid] = served.get(sid, 0) - q
            if stops and stops[-1].station_id == sid and (stops[-1].delta < 0) == (q > 0):
                prev = stops[-1]
                stops[-1] = Stop(sid, prev.delta - q, prev.arrival_minute, load)
            else:
                stops.append(Stop(sid, -q, round(float(clock), 2), load))
            here = j
        if seq:
            clock += service[here] + travel[here, 0]
            length += dm[here, 0]
        routes.append(Route(t.truck_id, tuple(stops), round(float(length), 1), round(float(clock) if seq else 0.0, 2)))
    unserved = {
        nd.station_id: nd.delta - served.get(nd.station_id, 0)
        for nd in needs
        if nd.delta - served.get(nd.station_id, 0) != 0
    }
    return RebalancingPlan(tuple(routes), unserved, used)


def check_plan(
    plan: RebalancingPlan,
    trucks: Sequence[Truck],
    needs: Sequence[StationNeed],
    distance: Distance,
    *,
    depot: str = "depot",
    location_ids: Sequence[str] | None = None,
    speed_kmh: float = 20.0,
    handling_min_per_bike: float = 1.0,
) -> list[str]:
    """Problems of a plan (empty list: feasible).

    Checks, recomputed from the distances: load within ``[0, capacity]`` after
    every stop, route duration back to the depot within the shift, and every
    station moved in the direction of its need and not beyond it.
    """
    dist = _distance_fn(distance, location_ids)
    by_truck = {t.truck_id: t for t in trucks}
    want = {nd.station_id: nd.delta for nd in needs}
    moved: dict[str, int] = {}
    problems = []
    per_min = speed_kmh * 1000.0 / 60.0
    for route in plan.routes:
        t = by_truck[route.truck_id]
        load, clock, here, handled = t.initial_load, 0.0, depot, 0
        for s in route.stops:
            clock += handling_min_per_bike * handled + dist(here, s.station_id) / per_min
            load -= s.delta
            handled = abs(s.delta)
            here = s.station_id
            if not 0 <= load <= t.capacity:
                problems.append(f"{t.truck_id}: load {load} at {s.station_id}")
            moved[s.station_id] = moved.get(s.station_id, 0) + s.delta
        if route.stops:
            clock += handling_min_per_bike * handled + dist(here, depot) / per_min
        if clock > t.shift_minutes + 1e-6:
            problems.append(f"{t.truck_id}: {clock:.1f} min exceeds the {t.shift_minutes} min shift")
    for sid, total in moved.items():
        need = want.get(sid, 0)
        if total * need < 0 or abs(total) > abs(need):
            problems.append(f"{sid}: moved {total} for a need of {need}")
    return problems
