"""The orienteering problem with time windows: the most valuable tour that fits a time budget and opening hours.

Given travel times between places, a score, a visit duration and an opening window per place, a
start, an end and a budget, find the route from start to end that collects the most score while
every visit starts (and, for tourist destinations, ends) within its window and the end is reached
within the budget. The plain orienteering problem is the special case with no windows.

The method is an iterated local search in the manner of Vansteenwegen, Souffriau, Vanden Berghe and
Van Oudheusden (2009, "Iterated local search for the team orienteering problem with time windows"):

* **Insertion.** Each place not yet visited is tried at every position of the route; a position
  is feasible when the place's visit starts within its window and the delay it causes (its
  *shift*) fits the slack downstream (``max_shift``: what each later visit can absorb by waiting
  less or starting later within its window). Of the feasible insertions the one with the best
  ``score² / shift`` is made, until none fits. Computed for all places and positions at once
  with numpy.
* **Improvement.** 2-opt (reversing a stretch of the route) where it shortens the route and keeps
  every window, then insertion again into the time saved; and *replace*: swapping a visited place
  for a better unvisited one when the route stays feasible.
* **Perturbation.** Remove ``r`` consecutive visits from position ``p`` (``p`` advances by ``r``,
  ``r`` grows by one each round, both wrap), insert and improve again; the best route is kept.
  A search stops after :data:`DEFAULT_ITERATIONS` rounds without improvement; then a fresh
  randomised start (``restarts`` of them at most) follows.

**Limits.** ``rounds`` bounds the perturbation rounds of all searches together and ``restarts`` the
fresh starts: with both, the answer depends only on the problem and the ``seed`` (the tour planner
solves this way, so the same request always gives the same tour). ``time_limit_s`` stops the
search wherever it is when it runs out: the benchmark's way (the best found in a given time), and a
safety cap for the planner, set far above what its rounds take.

Places may have several windows in a day (a lunch break): each window is a copy of the place with
the same *group*, and a route visits at most one copy of a group. Required places are inserted first
(cheapest shift); one that cannot be fitted makes the problem infeasible.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

DEFAULT_ITERATIONS = 150
#: Fresh randomised starts after a search goes stale, while the time limit allows.
MAX_RESTARTS = 50
_EPS = 1e-9


@dataclass(frozen=True)
class Problem:
    """An orienteering problem with time windows.

    ``travel[i, j]`` is the time (or distance) from ``i`` to ``j`` (``inf``: no way); ``service[i]``
    the visit duration; ``open[i]`` / ``close[i]`` the window of node ``i``; ``close_is_end``: a visit
    must end by ``close`` (tourist places) rather than start by it (the benchmark convention).
    ``start`` and ``end`` are node indices (they may be equal: a round trip); the tour leaves at
    ``t0`` and must reach ``end`` by ``t0 + budget``. ``group[i]``: at most one node of a group is
    visited (``-1``: no group); ``required``: nodes every tour must visit.
    """

    travel: np.ndarray
    score: np.ndarray
    start: int
    end: int
    budget: float
    service: np.ndarray | None = None
    open: np.ndarray | None = None
    close: np.ndarray | None = None
    t0: float = 0.0
    close_is_end: bool = False
    group: np.ndarray | None = None
    required: tuple[int, ...] = ()

    @property
    def n(self) -> int:
        return int(self.score.size)


@dataclass(frozen=True)
class Stop:
    """One visit of a solution: arrival, start of the visit (after any wait) and departure."""

    node: int
    arrive: float
    start: float
    leave: float


@dataclass(frozen=True)
class Solution:
    """A feasible route from start to end with its score, travel and schedule."""

    route: tuple[int, ...]
    score: float
    travel: float
    stops: tuple[Stop, ...]
    finish: float

    @property
    def visits(self) -> tuple[int, ...]:
        """The nodes visited between start and end."""
        return self.route[1:-1]


@dataclass
class _Arrays:
    travel: np.ndarray
    score: np.ndarray
    service: np.ndarray
    open: np.ndarray
    latest: np.ndarray  # latest start of service
    group: np.ndarray
    deadline: float
    t0: float
    start: int
    end: int
    candidates: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    windows: bool = True


def _arrays(p: Problem) -> _Arrays:
    n = p.n
    service = np.zeros(n) if p.service is None else np.asarray(p.service, dtype=float)
    open_ = np.full(n, -np.inf) if p.open is None else np.asarray(p.open, dtype=float)
    close = np.full(n, np.inf) if p.close is None else np.asarray(p.close, dtype=float)
    latest = close - service if p.close_is_end else close.copy()
    group = np.full(n, -1, dtype=np.int64) if p.group is None else np.asarray(p.group, dtype=np.int64)
    deadline = p.t0 + p.budget
    a = _Arrays(
        np.asarray(p.travel, dtype=float),
        np.asarray(p.score, dtype=float),
        service,
        open_,
        latest,
        group,
        deadline,
        p.t0,
        p.start,
        p.end,
    )
    a.windows = bool(np.isfinite(open_).any() or np.isfinite(latest).any())
    reach = (a.travel[p.start] + a.travel[:, p.end]) <= p.budget + _EPS
    mask = np.ones(n, dtype=bool)
    mask[[p.start, p.end]] = False
    a.candidates = np.flatnonzero(mask & reach & (a.score > 0) & (open_ <= latest))
    return a


class _Route:
    """A route with its schedule: arrival, start, wait and the slack each visit leaves downstream."""

    def __init__(self, a: _Arrays, nodes: list[int]) -> None:
        self.a = a
        self.nodes = nodes
        self.update()

    def update(self) -> None:
        if not self.a.windows:
            self._update_plain()
            return
        a, nodes = self.a, self.nodes
        m = len(nodes)
        arrive = np.empty(m)
        begin = np.empty(m)
        t = a.t0
        arrive[0] = begin[0] = t
        leave = t + a.service[nodes[0]] if nodes[0] != a.start else t
        for i in range(1, m):
            t = leave + a.travel[nodes[i - 1], nodes[i]]
            arrive[i] = t
            s = max(t, a.open[nodes[i]]) if i < m - 1 else t
            begin[i] = s
            leave = s + (a.service[nodes[i]] if i < m - 1 else 0.0)
        self.arrive, self.begin = arrive, begin
        self.wait = begin - arrive
        latest = a.latest[nodes].copy()
        latest[-1] = a.deadline
        latest[0] = a.t0
        slack = np.empty(m)
        slack[-1] = latest[-1] - begin[-1]
        for i in range(m - 2, 0, -1):
            slack[i] = min(latest[i] - begin[i], self.wait[i + 1] + slack[i + 1])
        slack[0] = self.wait[1] + slack[1] if m > 1 else 0.0
        self.max_shift = slack
        self.leave = begin + np.where(np.arange(m) < m - 1, a.service[nodes], 0.0)
        self.leave[0] = a.t0

    def _update_plain(self) -> None:
        """The schedule without windows: no waiting, so it is a running sum (vectorised)."""
        a = self.a
        r = np.asarray(self.nodes)
        m = r.size
        service = a.service[r].copy()
        service[0] = service[-1] = 0.0
        legs = a.travel[r[:-1], r[1:]]
        leave = a.t0 + np.concatenate([[0.0], np.cumsum(legs + service[1:])])
        arrive = leave - service
        self.arrive = arrive
        self.begin = arrive.copy()
        self.wait = np.zeros(m)
        self.leave = leave
        self.max_shift = np.full(m, a.deadline - arrive[-1])

    def feasible(self) -> bool:
        a = self.a
        inner = self.nodes[1:-1]
        ok_windows = np.all(self.begin[1:-1] <= a.latest[inner] + _EPS) if inner else True
        return bool(ok_windows and self.arrive[-1] <= a.deadline + _EPS and np.isfinite(self.arrive[-1]))

    def travel(self) -> float:
        return float(sum(self.a.travel[u, v] for u, v in zip(self.nodes[:-1], self.nodes[1:], strict=True)))

    def score(self) -> float:
        return float(self.a.score[self.nodes[1:-1]].sum())

    def insertions(self, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Shift of inserting each candidate after each position (``inf`` where infeasible)."""
        a = self.a
        nodes = np.asarray(self.nodes)
        prev, nxt = nodes[:-1], nodes[1:]
        c = candidates[:, None]
        arrive = self.leave[None, :-1] + a.travel[prev[None, :], c]
        begin = np.maximum(arrive, a.open[c])
        leave = begin + a.service[c]
        shift = leave + a.travel[c, nxt[None, :]] - self.arrive[None, 1:]
        ok = (begin <= a.latest[c] + _EPS) & (shift <= self.wait[None, 1:] + self.max_shift[None, 1:] + _EPS)
        return np.where(ok, np.maximum(shift, _EPS), np.inf), ok


def _unvisited(route: _Route, a: _Arrays) -> np.ndarray:
    used = set(route.nodes)
    groups = {int(a.group[v]) for v in route.nodes if a.group[v] >= 0}
    keep = [c for c in a.candidates.tolist() if c not in used and (a.group[c] < 0 or int(a.group[c]) not in groups)]
    return np.array(keep, dtype=np.int64)


def _insert_all(route: _Route, a: _Arrays, rng: np.random.Generator | None = None) -> None:
    while True:
        free = _unvisited(route, a)
        if free.size == 0:
            return
        shift, ok = route.insertions(free)
        if not ok.any():
            return
        ratio = np.where(ok, (a.score[free][:, None] ** 2) / shift, -np.inf)
        flat = np.argsort(ratio, axis=None)[::-1]
        pick = 0
        if rng is not None:
            top = int(min(3, np.isfinite(ratio).sum()))
            pick = int(rng.integers(0, max(top, 1)))
        k, pos = np.unravel_index(flat[pick], ratio.shape)
        route.nodes.insert(int(pos) + 1, int(free[k]))
        route.update()


def _two_opt(route: _Route) -> bool:
    """Reverse stretches of the route while that shortens it and keeps every window (all moves scored at once)."""
    improved = False
    a = route.a
    for _ in range(200):
        r = np.asarray(route.nodes)
        m = r.size
        if m < 4:
            break
        fwd = np.concatenate([[0.0], np.cumsum(a.travel[r[:-1], r[1:]])])
        rev = np.concatenate([[0.0], np.cumsum(a.travel[r[1:], r[:-1]])])
        i = np.arange(1, m - 1)[:, None]
        j = np.arange(1, m - 1)[None, :]
        valid = j > i
        ii, jj = np.broadcast_to(i, valid.shape), np.broadcast_to(j, valid.shape)
        jn = np.minimum(jj + 1, m - 1)
        delta = (
            a.travel[r[ii - 1], r[jj]]
            + a.travel[r[ii], r[jn]]
            - a.travel[r[ii - 1], r[ii]]
            - a.travel[r[jj], r[jn]]
            + (rev[jj] - rev[ii])
            - (fwd[jj] - fwd[ii])
        )
        delta = np.where(valid, delta, np.inf)
        order = np.argsort(delta, axis=None)
        moved = False
        for flat in order[:8]:
            if not delta.flat[flat] < -1e-7:
                break
            x, y = np.unravel_index(flat, delta.shape)
            lo, hi = int(x) + 1, int(y) + 1
            nodes = route.nodes
            trial = _Route(a, nodes[:lo] + nodes[lo : hi + 1][::-1] + nodes[hi + 1 :])
            if trial.feasible():
                route.nodes = trial.nodes
                route.update()
                moved = improved = True
                break
        if not moved:
            break
    return improved


def _replace(route: _Route, a: _Arrays) -> bool:
    """Swap a visited place for a better unvisited one where the route stays feasible (all swaps scored at once)."""
    free = _unvisited(route, a)
    r = np.asarray(route.nodes)
    if free.size == 0 or r.size < 3:
        return False
    prev, old, nxt = r[:-2], r[1:-1], r[2:]
    c = free[:, None]
    gain = a.score[c] - a.score[old][None, :]
    delta = (
        a.travel[prev[None, :], c]
        + a.travel[c, nxt[None, :]]
        + a.service[c]
        - a.travel[prev, old][None, :]
        - a.travel[old, nxt][None, :]
        - a.service[old][None, :]
    )
    same_group = (a.group[c] >= 0) & (a.group[c] == a.group[old][None, :])
    ok = (gain > _EPS) & ~same_group
    if not a.windows:
        ok &= route.arrive[-1] + delta <= a.deadline + _EPS
    if not ok.any():
        return False
    score = np.where(ok, gain * 1e6 - delta, -np.inf)
    for flat in np.argsort(score, axis=None)[::-1][:10]:
        if not np.isfinite(score.flat[flat]):
            break
        k, i = np.unravel_index(flat, score.shape)
        nodes = list(route.nodes)
        nodes[int(i) + 1] = int(free[k])
        trial = _Route(a, nodes)
        if trial.feasible():
            route.nodes = trial.nodes
            route.update()
            return True
    return False


def _improve(route: _Route, a: _Arrays, rng: np.random.Generator | None = None) -> None:
    _insert_all(route, a, rng)
    for _ in range(20):
        changed = _two_opt(route)
        if changed:
            _insert_all(route, a)
        if _replace(route, a):
            _insert_all(route, a)
            changed = True
        if not changed:
            break


def _solution(route: _Route) -> Solution:
    nodes = route.nodes
    stops = tuple(
        Stop(int(v), float(route.arrive[i]), float(route.begin[i]), float(route.leave[i])) for i, v in enumerate(nodes)
    )
    return Solution(tuple(int(v) for v in nodes), route.score(), route.travel(), stops, float(route.arrive[-1]))


class Infeasible(Exception):
    """No tour fits: the end cannot be reached in time, or a required place cannot be fitted."""

    def __init__(self, reason: str, node: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.node = node


def _with_required(a: _Arrays, required: Sequence[int]) -> _Route:
    route = _Route(a, [a.start, a.end])
    if not route.feasible():
        raise Infeasible("end_unreachable")
    left = [int(r) for r in required]
    while left:
        shift, ok = route.insertions(np.array(left, dtype=np.int64))
        if not ok.any():
            raise Infeasible("required_unreachable", left[0])
        k, pos = np.unravel_index(int(np.argmin(shift)), shift.shape)
        route.nodes.insert(int(pos) + 1, left.pop(int(k)))
        route.update()
    return route


@dataclass
class _Limits:
    """When a search stops: the wall-clock deadline and the perturbation rounds left (``inf``: no bound)."""

    deadline: float
    rounds: float = math.inf

    def spent(self) -> bool:
        return self.rounds <= 0 or time.perf_counter() >= self.deadline


def solve(
    problem: Problem,
    *,
    iterations: int = DEFAULT_ITERATIONS,
    time_limit_s: float = 1.0,
    seed: int = 0,
    forbidden: Sequence[int] = (),
    restarts: int = MAX_RESTARTS,
    rounds: int | None = None,
) -> Solution:
    """The best tour found (:class:`Infeasible` when the end or a required place cannot be reached in time).

    ``forbidden`` nodes are never visited (used for alternative tours). ``rounds`` (perturbation rounds of all
    searches together) and ``restarts`` bound the search so that it is deterministic; ``time_limit_s`` stops it
    wherever it is (see the module's *Limits*).
    """
    a = _arrays(problem)
    if forbidden:
        a.candidates = np.setdiff1d(a.candidates, np.asarray(forbidden, dtype=np.int64))
    required = [r for r in problem.required if r not in (problem.start, problem.end)]
    a.candidates = np.union1d(a.candidates, np.asarray(required, dtype=np.int64)).astype(np.int64)
    limits = _Limits(time.perf_counter() + time_limit_s, math.inf if rounds is None else float(rounds))
    rng = np.random.default_rng(seed)
    fixed = set(required)
    base = _with_required(a, required)
    route = _Route(a, list(base.nodes))
    _improve(route, a)
    best = _solution(route)
    restart = 0
    while True:
        best = _search(a, base, route, best, fixed, rng, iterations, limits)
        if limits.spent() or restart >= restarts:
            break
        restart += 1  # a fresh randomised start while time is left
        route = _Route(a, list(base.nodes))
        _improve(route, a, rng)
    return best


def _search(
    a: _Arrays,
    base: _Route,
    route: _Route,
    best: Solution,
    fixed: set[int],
    rng: np.random.Generator,
    iterations: int,
    limits: _Limits,
) -> Solution:
    """One iterated local search from ``route``: perturb, improve, keep the best, until it goes stale."""
    current = _solution(route)
    if _better(current, best):
        best = current
    pos, size, stale = 1, 1, 0
    while stale < iterations and not limits.spent():
        limits.rounds -= 1
        inner = list(route.nodes[1:-1])
        if not inner:
            route = _Route(a, list(base.nodes))
            _improve(route, a, rng)
        else:
            if pos > len(inner):
                pos = 1
            drop = {inner[(pos - 1 + k) % len(inner)] for k in range(min(size, len(inner)))} - fixed
            route = _Route(a, [v for v in route.nodes if v not in drop])
            _improve(route, a, rng if stale % 3 == 2 else None)
            pos += size
            size = size + 1 if size < max(2, len(inner) // 2) else 1
        current = _solution(route)
        if _better(current, best):
            best, stale = current, 0
        else:
            stale += 1
            if stale % 25 == 0:  # back to the best
                route = _Route(a, list(best.route))
    return best


def _better(x: Solution, y: Solution) -> bool:
    return x.score > y.score + _EPS or (abs(x.score - y.score) <= _EPS and x.travel < y.travel - 1e-7)


def jaccard_distance(a: Sequence[int], b: Sequence[int]) -> float:
    """1 - |A ∩ B| / |A ∪ B| of two sets of visits (1: nothing shared)."""
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 0.0
    return 1.0 - len(sa & sb) / len(sa | sb)


def alternatives(
    problem: Problem,
    best: Solution,
    *,
    count: int = 2,
    min_distance: float = 0.5,
    time_limit_s: float = 0.3,
    seed: int = 1,
    restarts: int = MAX_RESTARTS,
    rounds: int | None = None,
) -> list[Solution]:
    """Up to ``count`` other good tours, each sharing at most half its visits with every tour before it.

    Each alternative is solved again with the most valuable visits of the earlier tours forbidden in
    turn (required places stay); only a tour at Jaccard distance ``min_distance`` or more from all
    earlier ones is kept. ``time_limit_s``, ``restarts`` and ``rounds`` bound each of those solves
    (:func:`solve`).
    """
    found: list[Solution] = []
    kept = [best]
    required = set(problem.required)
    for k in range(count * 3):
        if len(found) >= count:
            break
        pool = [v for s in kept for v in s.visits if v not in required]
        if not pool:
            break
        ranked = sorted(set(pool), key=lambda v: -float(problem.score[v]))
        ban = ranked[: max(1, math.ceil(len(ranked) * (0.35 + 0.15 * k)))]
        try:
            cand = solve(
                problem,
                time_limit_s=time_limit_s,
                seed=seed + k,
                forbidden=ban,
                iterations=40,
                restarts=restarts,
                rounds=rounds,
            )
        except Infeasible:
            break
        if cand.visits and all(jaccard_distance(cand.visits, s.visits) >= min_distance for s in kept):
            found.append(cand)
            kept.append(cand)
    return found
