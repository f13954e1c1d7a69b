"""The tour planner: the most rewarding bicycle tour through destinations within a rider's time and opening hours.

:func:`plan_tour` turns a :class:`TourRequest` (start, day and start time, time budget, riding
speed, interests per category, must-visit places, the end station) and travel times between the
places (a many-to-many table on the bicycle network) into an orienteering problem with time windows
(:mod:`kotacerdas.bikes.orienteering`) and answers the best tour and up to two clearly different
alternatives (each shares at most half its visits with the others).

* **Value.** A destination is worth ``10 × weight`` of its category (weights from 0, not wanted, to 5;
  1 by default); a must-visit place is required instead.
* **Time.** Minutes from midnight of the tour's day, local time. The tour leaves the start at the start
  time and must reach the end station within the budget; a visit must start and *end* inside an
  opening window of that day (a place with a lunch break has two windows, of which one is used);
  arriving early means waiting. A place whose opening hours are not known (none given, or the
  source's value could not be read) is visited in the daytime only, 08:00-17:00
  (:data:`~kotacerdas.bikes.opening_hours.DAYTIME`), and the plan carries the note
  ``opening_hours_unknown`` when a tour visits one.
* **The same request, the same tours.** The search is bounded by rounds (:data:`PLAN_ROUNDS` for the
  best tour, :data:`ALTERNATIVE_ROUNDS` for each try at an alternative) with fixed seeds, not by the
  clock, so a shared link's page, PDF, PNG and files show the same tour. ``time_limit_s`` is only a
  safety cap, far above what the rounds take (about 0.2 s per end station on the demo).
* **Bad input.** A place the network does not reach, one closed all day or one that fits no tour is
  left out with its reason (and, where there is one, the nearest place that is reachable); a budget
  too short to reach the end, or a must-visit place that cannot be fitted, raises
  :class:`~kotacerdas.bikes.errors.BikesError` naming the least budget that would do or the place.
  A tour never breaks the budget or an opening hour: every returned schedule is checked again.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from kotacerdas.bikes import orienteering as op
from kotacerdas.bikes.destinations import CATEGORIES, Destination
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import LocalName
from kotacerdas.bikes.opening_hours import DAYTIME, Window, planning_hours
from kotacerdas.core.formats import Quantity
from kotacerdas.core.geometry import distance_m
from kotacerdas.core.i18n import N_

BASE_VALUE = 10.0
MAX_WEIGHT = 5.0
#: Perturbation rounds of the search for the best tour, per end station (about what 0.2 s allowed before).
PLAN_ROUNDS = 50
#: Perturbation rounds of each try at an alternative tour.
ALTERNATIVE_ROUNDS = 15
#: The wall-clock cap of a whole plan (seconds): a safety net only, never reached on a normal machine.
TIME_CAP_S = 10.0


@dataclass(frozen=True)
class TourRequest:
    """What the rider asks for (minutes from local midnight; speed km/h; weights 0-5 per category)."""

    day: date
    start_minute: int
    budget_minutes: int
    speed_kmh: float = 15.0
    interests: dict[str, float] = field(default_factory=dict)
    must_visit: tuple[str, ...] = ()
    alternatives: int = 2

    def weight(self, category: str) -> float:
        return float(self.interests.get(category, 1.0))


@dataclass(frozen=True)
class Visit:
    """One stop of a tour (times in minutes from local midnight)."""

    key: str
    kind: str  # "start", "destination" or "end"
    arrive: float
    start: float
    leave: float
    travel_min: float  # riding time from the previous stop
    distance_m: float  # riding distance from the previous stop


@dataclass(frozen=True)
class Tour:
    """A feasible tour: its visits in order, value, riding time and distance, and the end station."""

    visits: tuple[Visit, ...]
    value: float
    riding_min: float
    distance_m: float
    end_key: str
    finish: float

    @property
    def destinations(self) -> list[str]:
        return [v.key for v in self.visits if v.kind == "destination"]


@dataclass
class TourPlan:
    """The best tour, the alternatives, the places left out (with why) and notes for the rider."""

    tours: list[Tour]
    excluded: list[dict]
    notes: list[str] = field(default_factory=list)
    #: When no destination fits: the earliest start (day, minute) that day or the next at which one would.
    next_start: tuple[date, int] | None = None


def hhmm(minute: float) -> str:
    """``"08:05"`` for a minute of the day (24:00 and later run into the next day's hours)."""
    m = int(math.floor(minute + 1e-6))
    return f"{m // 60:02d}:{m % 60:02d}"


def visit_windows(d: Destination, day: date) -> tuple[Window, ...]:
    """The windows a visit of ``d`` may fall in on ``day``: its opening hours, or the daytime when unknown."""
    return planning_hours(d.opening_hours).windows(day)


def _check(request: TourRequest) -> None:
    if not 0 <= request.start_minute < 24 * 60:
        raise BikesError(N_("a start time is between 00:00 and 23:59"), field="start_time")
    if not 15 <= request.budget_minutes <= 24 * 60:
        raise BikesError(N_("a time budget is 15 minutes to 24 hours"), field="budget_minutes")
    for cat, w in request.interests.items():
        if cat not in CATEGORIES:
            raise BikesError(N_("unknown destination category {category}"), field="interests", category=cat)
        if not 0 <= w <= MAX_WEIGHT:
            raise BikesError(N_("an interest weight is between 0 and 5"), field="interests", category=cat)


@dataclass
class _Nodes:
    keys: list[str]  # per node: the place key (start, destination id, station key)
    point: list[int]  # per node: row/column of the travel table
    kind: list[str]
    score: list[float]
    service: list[float]
    open: list[float]
    close: list[float]
    group: list[int]


def _destination_nodes(
    request: TourRequest,
    destinations: Sequence[Destination],
    reachable: dict[str, str | None],
    nodes: _Nodes,
    excluded: list[dict],
) -> None:
    must = set(request.must_visit)
    for k, d in enumerate(destinations):
        if reachable.get(d.destination_id) is not None:
            continue
        weight = request.weight(d.category)
        if weight <= 0 and d.destination_id not in must:
            continue
        windows = visit_windows(d, request.day)
        usable = [(a, b) for a, b in windows if b - a >= d.visit_minutes]
        if not usable:
            excluded.append(
                {"destination_id": d.destination_id, "reason": "closed" if d.hours_known else "hours_unknown"}
            )
            continue
        for a, b in usable:
            nodes.keys.append(d.destination_id)
            nodes.point.append(1 + k)
            nodes.kind.append("destination")
            nodes.score.append(BASE_VALUE * max(weight, 0.0))
            nodes.service.append(float(d.visit_minutes))
            nodes.open.append(float(a))
            nodes.close.append(float(b))
            nodes.group.append(k)


def _problem(nodes: _Nodes, minutes: np.ndarray, request: TourRequest, end: int, required: tuple[int, ...]):
    pts = np.asarray(nodes.point)
    travel = minutes[np.ix_(pts, pts)]
    return op.Problem(
        travel=travel,
        score=np.asarray(nodes.score),
        start=0,
        end=end,
        budget=float(request.budget_minutes),
        service=np.asarray(nodes.service),
        open=np.asarray(nodes.open),
        close=np.asarray(nodes.close),
        t0=float(request.start_minute),
        close_is_end=True,
        group=np.asarray(nodes.group),
        required=required,
    )


def _tour(sol: op.Solution, nodes: _Nodes, minutes: np.ndarray, metres: np.ndarray, score_of) -> Tour:
    visits = []
    prev_point = None
    dist_total = 0.0
    riding = 0.0
    for stop in sol.stops:
        p = nodes.point[stop.node]
        leg_min = 0.0 if prev_point is None else float(minutes[prev_point, p])
        leg_m = 0.0 if prev_point is None else float(metres[prev_point, p])
        riding += leg_min
        dist_total += leg_m
        visits.append(
            Visit(nodes.keys[stop.node], nodes.kind[stop.node], stop.arrive, stop.start, stop.leave, leg_min, leg_m)
        )
        prev_point = p
    return Tour(tuple(visits), float(score_of(sol)), riding, dist_total, nodes.keys[sol.route[-1]], sol.finish)


def _verify(tour: Tour, request: TourRequest, by_id: dict[str, Destination]) -> None:
    """Never answer a tour that breaks the budget or an opening hour (a programming error otherwise)."""
    limit = request.start_minute + request.budget_minutes + 1e-6
    if tour.finish > limit:
        raise RuntimeError("a planned tour ends after its budget")
    for v in tour.visits:
        if v.kind != "destination":
            continue
        d = by_id[v.key]
        windows = visit_windows(d, request.day)
        if not any(a - 1e-6 <= v.start and v.start + d.visit_minutes <= b + 1e-6 for a, b in windows):
            raise RuntimeError(f"a planned visit of {v.key} falls outside its opening hours")


def plan_tour(
    request: TourRequest,
    destinations: Sequence[Destination],
    end_keys: Sequence[str],
    minutes: np.ndarray,
    metres: np.ndarray,
    *,
    unreachable: dict[str, str] | None = None,
    time_limit_s: float = TIME_CAP_S,
) -> TourPlan:
    """Plan the tour. The travel tables (minutes, metres) are indexed by point: 0 the start, ``1..D`` the
    destinations in order, then the candidate end stations (``end_keys``, best first).

    ``unreachable`` maps destination ids the network cannot reach (snapped too far) to the reason.
    The answer depends on the inputs only; ``time_limit_s`` caps the whole search as a safety net.
    """
    _check(request)
    by_id = {d.destination_id: d for d in destinations}
    unknown = [m for m in request.must_visit if m not in by_id]
    if unknown:
        raise BikesError(
            N_("unknown destination {destination}"), field="must_visit", destination=unknown[0], status=404
        )
    excluded: list[dict] = [{"destination_id": k, "reason": v} for k, v in (unreachable or {}).items()]
    reach = dict.fromkeys(by_id, None) | dict(unreachable or {})
    nodes = _Nodes(["start"], [0], ["start"], [0.0], [0.0], [-math.inf], [math.inf], [-1])
    _destination_nodes(request, destinations, reach, nodes, excluded)
    start_to = minutes[0]
    for d_i, d in enumerate(destinations):
        if reach.get(d.destination_id) is None and not np.isfinite(start_to[1 + d_i]):
            excluded.append({"destination_id": d.destination_id, "reason": "unreachable"})
    for m in request.must_visit:
        why = next((e["reason"] for e in excluded if e["destination_id"] == m), None)
        if why is not None:
            raise _must_visit_error(request, by_id[m], why, destinations, start_to)
    best_plan: tuple[float, list[Tour]] | None = None
    shortest_needed = math.inf
    deadline = time.perf_counter() + time_limit_s

    def left() -> float:
        return max(0.0, deadline - time.perf_counter())

    for e_i, end_key in enumerate(list(end_keys)[:3]):
        trial = _Nodes(
            [*nodes.keys, end_key],
            [*nodes.point, 1 + len(destinations) + e_i],
            [*nodes.kind, "end"],
            [*nodes.score, 0.0],
            [*nodes.service, 0.0],
            [*nodes.open, -math.inf],
            [*nodes.close, math.inf],
            [*nodes.group, -1],
        )
        end = len(trial.keys) - 1
        shortest_needed = min(shortest_needed, float(minutes[0, trial.point[end]]))
        required = tuple(i for i, k in enumerate(trial.keys) if k in set(request.must_visit) and i != end)
        # a must-visit place with several windows: require its first window's copy only
        first_copy = {trial.keys[i]: i for i in reversed(required)}
        required = tuple(i for i in required if first_copy[trial.keys[i]] == i)
        problem = _problem(trial, minutes, request, end, required)
        try:
            best = op.solve(problem, time_limit_s=left(), rounds=PLAN_ROUNDS, seed=0)
        except op.Infeasible as exc:
            if exc.reason == "required_unreachable" and exc.node is not None:
                place = by_id[trial.keys[exc.node]]
                raise BikesError(
                    N_("the must-visit place {name} does not fit into this tour's time and opening hours"),
                    field="must_visit",
                    destination=place.destination_id,
                    name=LocalName(place.name),
                    status=422,
                    extra={"destination_id": place.destination_id},
                ) from None
            continue
        others = op.alternatives(
            problem, best, count=request.alternatives, time_limit_s=left(), rounds=ALTERNATIVE_ROUNDS, seed=1
        )
        tours = [_tour(s, trial, minutes, metres, lambda s: s.score) for s in (best, *others)]
        if best_plan is None or tours[0].value > best_plan[0]:
            best_plan = (tours[0].value, tours)
    if best_plan is None:
        raise _no_tour(shortest_needed)
    tours = best_plan[1]
    for t in tours:
        _verify(t, request, by_id)
    notes = []
    next_start = None
    if any(not by_id[k].hours_known for t in tours for k in t.destinations):
        notes.append("opening_hours_unknown")
    if not tours[0].destinations:
        notes.append("no_destination_fits")
        end_point = 1 + len(destinations) + list(end_keys).index(tours[0].end_key)
        next_start = _next_start(request, destinations, minutes, end_point)
    return TourPlan(tours=tours, excluded=excluded, notes=notes, next_start=next_start)


def _no_tour(shortest_needed: float) -> BikesError:
    """No tour reaches an end station: none is joined to the start, or the budget is shorter than the ride."""
    if not math.isfinite(shortest_needed):
        return BikesError(N_("no bicycle path joins the start and the end station"), field="end", status=422)
    needed = int(math.ceil(shortest_needed))
    return BikesError(
        N_("the time budget is too short: riding to the end station alone takes {minutes} minutes"),
        field="budget_minutes",
        minutes=needed,
        status=422,
        needed_minutes=needed,
        extra={"needed_minutes": needed},
    )


def _must_visit_error(
    request: TourRequest, place: Destination, reason: str, destinations: Sequence[Destination], start_to: np.ndarray
) -> BikesError:
    """Why a must-visit place cannot be visited, in the reader's language, with the nearest feasible alternative:
    for a place closed that day the next day it can be visited (within a week), for one no bicycle path reaches
    the nearest place that one does (``extra``: ``destination_id``, ``next_open`` or ``nearest``)."""
    extra: dict[str, Any] = {"destination_id": place.destination_id}
    message: str
    params: dict[str, Any] = {"name": LocalName(place.name)}
    if reason in ("closed", "hours_unknown"):
        later = next(
            (
                request.day + timedelta(days=k)
                for k in range(1, 8)
                if any(b - a >= place.visit_minutes for a, b in visit_windows(place, request.day + timedelta(days=k)))
            ),
            None,
        )
        if later is not None:
            extra["next_open"] = later.isoformat()
        if reason == "hours_unknown":
            message = N_(
                "the must-visit place {name} cannot be visited: its opening hours are not known, so it is "
                "visited only between {open} and {close}"
            )
            params.update(open=hhmm(DAYTIME[0]), close=hhmm(DAYTIME[1]))
        elif later is None:
            message = N_("the must-visit place {name} is closed that day, or open too briefly for a visit")
        else:
            message = N_(
                "the must-visit place {name} is closed that day, or open too briefly for a visit; "
                "the next day it can be visited is {next_open}"
            )
            params["next_open"] = later.isoformat()
    else:
        reach = [d for k, d in enumerate(destinations) if np.isfinite(start_to[1 + k]) and d is not place]
        near = min(reach, key=lambda d: distance_m(place.lon, place.lat, d.lon, d.lat), default=None)
        if near is None:
            message = N_("the must-visit place {name} cannot be visited: no bicycle path reaches it")
        else:
            metres = distance_m(place.lon, place.lat, near.lon, near.lat)
            extra["nearest"] = {
                "destination_id": near.destination_id,
                "name": near.name,
                "distance_m": round(metres, 1),
            }
            message = N_(
                "the must-visit place {name} cannot be visited: no bicycle path reaches it; the nearest place one "
                "reaches is {nearest} ({km} away)"
            )
            params.update(nearest=LocalName(near.name), km=Quantity(metres / 1000.0, "km"))
    return BikesError(message, field="must_visit", status=422, destination=place.destination_id, extra=extra, **params)


def _next_start(
    request: TourRequest, destinations: Sequence[Destination], minutes: np.ndarray, end_point: int
) -> tuple[date, int] | None:
    """The earliest later start (that day, else the next) with the same budget at which at least one wanted
    destination can be visited in its opening hours, riding from the start and on to the end (5-minute steps)."""
    for offset in (0, 1):
        day = request.day + timedelta(days=offset)
        found: float | None = None
        for k, d in enumerate(destinations):
            go, back = float(minutes[0, 1 + k]), float(minutes[1 + k, end_point])
            if request.weight(d.category) <= 0 or not (math.isfinite(go) and math.isfinite(back)):
                continue
            if go + d.visit_minutes + back > request.budget_minutes:
                continue
            for lo, hi in visit_windows(d, day):
                start = 5 * math.ceil(max(lo - go, 0.0) / 5)
                if start + go + d.visit_minutes > hi or start >= 24 * 60:
                    continue
                if offset == 0 and start <= request.start_minute:
                    continue  # not a later start: the visit did not fit for another reason
                found = start if found is None else min(found, start)
        if found is not None:
            return day, int(found)
    return None
