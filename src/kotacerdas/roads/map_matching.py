"""Map matching: GPS fixes onto road segments with a hidden Markov model (Viterbi).

The method follows Newson & Krumm (2009, "Hidden Markov map matching through noise
and sparseness"):

* **States.** Each fix is projected once to the local UTM zone (the graph's
  transformer); the ``max_candidates`` nearest segments within ``radius_m`` are found
  with a Shapely ``STRtree``. Every candidate segment gives two hidden states, driving
  it forward or backward (only the direction a one-way street allows is kept), each
  placed at the closest point of the segment to the fix.
* **Emission.** Gaussian in the distance ``d`` from the fix to the candidate point:
  ``log p = -(d / sigma)^2 / 2``. ``sigma`` (m) is given, or estimated from the data
  as ``1.4826 * median`` of the nearest-candidate distances, clipped to 3..15 m.
* **Transition.** Exponential in ``|great-circle distance - route distance|`` between
  consecutive fixes, scale ``beta_m`` (default ``sigma``). The route goes along the
  same segment in the state's direction (moving backwards counts as a negative
  distance, so it is penalised by twice the distance moved: this keeps fixes on the
  right carriageway of a dual road while a stopped car's jitter costs almost
  nothing), or out of the end the state drives towards, along the directed graph's
  shortest path, into the start of the next state's segment. A U-turn on a segment
  costs ``u_turn_m`` more. Shortest paths come from one bounded Dijkstra run
  (:func:`scipy.sparse.csgraph.dijkstra` with a ``limit``) from all exit junctions
  of the drive at once; the transition arrays and Viterbi steps are numpy-vectorised.
* **Breaks.** When no state of a fix is reachable from any state of the previous one
  (a dropout, a gap off the network), the chain restarts at that fix; fixes with no
  segment within ``radius_m`` stay unmatched (segment index ``-1``).
* **Pre-smoothing** (``presmooth=True``). Candidates and emissions use the track
  smoothed in x and y with a loose acceleration bound (``presmooth_accel``, m/s^2)
  that still follows turns; this removes most short detours into side links at
  junctions. Fixes far from the smoothed track (outliers) keep their raw position.
* **Noise estimate.** Without ``sigma_m``, the noise for the along-path smoother is
  re-estimated after Viterbi as ``1.4826 * median`` of the raw fixes' distances to
  their matched segments (cross-track misfit, ``|N(0, sigma)|`` on the right path).
* **Along-path smoothing** (``smooth=True``). The Viterbi path of a chain, with the
  segments passed between fixes filled in, is one polyline. The position along it is
  the MAP estimate of a constant-velocity motion driven by white acceleration noise
  (``accel_sd``), using the fix times: penalised least squares solved as one banded
  system, the same estimate a Kalman filter with an RTS smoother gives. It starts
  from each fix located near its Viterbi piece, then ``iterations`` Gauss-Newton
  steps linearise the path at the estimate and keep only the fix's misfit along the
  path's direction there (right at turns); the positions are then made
  non-decreasing (the path is driven forwards). Each fix sits on the segment its
  smoothed position falls in, which decides the side of a junction it lands on.
* **Speed** (optional ``speed`` per fix, m/s, NaN where unknown: the GPS Doppler speed
  phones report). Three uses, each only where speeds are known:
  the transition adds ``|route - (v_a + v_b) / 2 * dt| / (speed_beta_m * dt)`` (in
  units of ``beta``), so the route between consecutive states must match the distance
  driven, which rules out short detours into side links and picks the branch at a
  junction; the pre-smoothing adds the speed along the smoothed heading as a velocity
  measurement per axis; and the along-path smoother becomes a constant-velocity
  Kalman/RTS smoother on the path coordinate with position (projected fix) and speed
  measurements (``speed_sd``, ``speed_accel_sd``), solved as one banded system. Without
  speeds every step is the position-only one above.

The result gives per fix the segment, the offset along it (m from its first node,
geodesic scale), the matched point and its distance from the fix, plus the ordered
list of segments driven, including those between fixes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.linalg import solveh_banded
from scipy.sparse.csgraph import dijkstra

from kotacerdas.core.i18n import N_
from kotacerdas.network.graph import RoadGraph
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.odometer import PathPositions

#: longest time step (s) over which the speeds predict the distance driven
MAX_SPEED_GAP_S = 30.0


@dataclass
class DrivenSegment:
    """A segment the vehicle drove: direction (``None`` when unknown) and fixes on it.

    ``first_fix``/``last_fix`` are fix indices, ``None`` for a segment only passed
    between two fixes (inferred from the route).
    """

    segment_id: str
    forward: bool | None
    first_fix: int | None
    last_fix: int | None


@dataclass(frozen=True)
class PathPiece:
    """One segment of a stretch of matched path: ``[start_m, end_m)`` metres along the stretch."""

    stretch: int
    segment_id: str
    forward: bool
    start_m: float
    end_m: float


@dataclass
class MatchResult:
    """Per-fix match arrays (length = number of fixes) and the segments driven.

    ``segment_index`` indexes ``graph.segments`` (``-1``: unmatched); ``segment_id`` is
    ``None`` where unmatched; ``offset_m`` is the distance along the segment from its
    ``from_node``; ``lon``/``lat`` the matched point; ``distance_m`` from fix to point;
    ``chain_start`` marks fixes where the HMM chain (re)started.
    """

    segment_index: np.ndarray
    segment_id: list[str | None]
    offset_m: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    distance_m: np.ndarray
    chain_start: np.ndarray
    driven: list[DrivenSegment]
    sigma_m: float
    path_m: np.ndarray | None = None
    """Each fix's position along its stretch of smoothed path (geodesic m; NaN where none)."""
    path_stretch: np.ndarray | None = None
    """The stretch (smoothed chain) of each fix (``-1``: none)."""
    pieces: list[PathPiece] | None = None
    """The segments of every stretch in path metres (where segment ends fall along it)."""
    path_bends: np.ndarray | None = None
    """Where each stretch's heading changes: rows ``(stretch, path metres, radians, left positive)``."""
    lateral_m: np.ndarray | None = None
    """Each fix's signed distance (m, left positive) from the smoothed path: the GPS's error across the road."""

    def path_positions(self) -> PathPositions | None:
        """Along-path positions for the odometer (:mod:`kotacerdas.roads.odometer`), or ``None``."""
        if self.path_m is None or self.path_stretch is None:
            return None
        return PathPositions(self.path_m, self.path_stretch, self.path_bends, self.lateral_m)

    def __len__(self) -> int:
        return int(self.segment_index.size)

    @property
    def matched_fraction(self) -> float:
        """Share of fixes matched to a segment."""
        return float((self.segment_index >= 0).mean()) if len(self) else 0.0


class MapMatcher:
    """HMM map matcher over a :class:`~kotacerdas.network.graph.RoadGraph`.

    Parameters
    ----------
    graph:
        The road graph; its travel mode decides which segments are candidates.
    radius_m:
        Search radius for candidate segments around each fix.
    max_candidates:
        Candidates kept per fix (nearest first).
    sigma_m:
        GPS noise (m) for the emission; ``None`` estimates it per drive.
    beta_m:
        Scale (m) of the transition's exponential; ``None`` uses ``sigma``.
    max_route_m:
        Longest route searched between consecutive fixes.
    smooth:
        Re-place the fixes along the decoded path with the along-path smoother.
    accel_sd:
        Acceleration scale (m/s^2) of the along-path smoother.
    u_turn_m:
        Extra route length charged for a U-turn on a segment.
    iterations:
        Gauss-Newton steps of the along-path smoother.
    presmooth:
        Pick candidates from the track smoothed in x and y.
    presmooth_accel:
        Acceleration scale (m/s^2) of that pre-smoothing.
    speed_sd:
        Noise (m/s) of the fix speeds given to :meth:`match`.
    speed_accel_sd:
        Acceleration noise (m/s^2 per sqrt(s)) of the along-path smoother with speeds.
    speed_beta_m:
        Scale (m per second of time step) of the transition term comparing the route
        with the distance driven from the speeds; ``None`` leaves speeds out of the
        transition.
    presmooth_speed:
        Heading error (rad) of the speed measurements in the pre-smoothing; ``0``
        leaves speeds out of it.
    """

    def __init__(
        self,
        graph: RoadGraph,
        *,
        radius_m: float = 50.0,
        max_candidates: int = 6,
        sigma_m: float | None = None,
        beta_m: float | None = None,
        max_route_m: float = 2000.0,
        smooth: bool = True,
        accel_sd: float = 2.5,
        u_turn_m: float = 50.0,
        iterations: int = 2,
        presmooth: bool = True,
        presmooth_accel: float = 3.0,
        speed_sd: float = 0.5,
        speed_accel_sd: float = 2.0,
        speed_beta_m: float | None = 1.0,
        presmooth_speed: float = 0.2,
    ) -> None:
        self.graph = graph
        self.radius_m = float(radius_m)
        self.max_candidates = int(max_candidates)
        self.sigma_m = sigma_m
        self.beta_m = beta_m
        self.max_route_m = float(max_route_m)
        segs = graph.segments
        car = graph.mode == "car"
        usable = np.array([(s.motor_vehicle if car else s.bicycle) for s in segs], dtype=bool)
        oneway = np.array([(s.oneway if car else s.oneway_bicycle) for s in segs], dtype=np.int64)
        self.seg_ids = np.flatnonzero(usable)  # tree index -> graph segment index
        self.fwd = oneway >= 0
        self.bwd = oneway <= 0
        geoms = np.array([segs[k].geometry for k in self.seg_ids], dtype=object)
        coords, index = shapely.get_coordinates(geoms, return_index=True)
        x, y = graph.transformer.transform(coords[:, 0], coords[:, 1])
        self.proj = shapely.linestrings(np.column_stack([x, y]), indices=index)
        self._coords = np.column_stack([x, y])
        self._coord_start = np.searchsorted(index, np.arange(self.seg_ids.size + 1))
        self.tree = shapely.STRtree(self.proj)
        plen = shapely.length(self.proj)
        self.plen = plen
        geo = np.array([segs[k].length_m for k in self.seg_ids])
        self.scale = np.where(plen > 0, geo / np.where(plen > 0, plen, 1.0), 1.0)
        self._back = graph.transformer  # used with direction="INVERSE"
        self._tree_index: dict[int, int] | None = None
        self.smooth = smooth
        self.accel_sd = float(accel_sd)
        self.u_turn_m = float(u_turn_m)
        self.iterations = int(iterations)
        self.presmooth = bool(presmooth)
        self.presmooth_accel = float(presmooth_accel)
        self.speed_sd = float(speed_sd)
        self.speed_accel_sd = float(speed_accel_sd)
        self.speed_beta_m = speed_beta_m
        self.presmooth_speed = float(presmooth_speed)

    # -- candidates ----------------------------------------------------------------------
    def _candidates(self, px: np.ndarray, py: np.ndarray):
        """States per fix: the ``K`` nearest segments, each travelled forward (states
        ``0..K-1``) and backward (``K..2K-1``); a direction a one-way forbids is invalid."""
        n, k = px.size, self.max_candidates
        pts = shapely.points(px, py)
        fix, cand = self.tree.query(pts, predicate="dwithin", distance=self.radius_m)
        dist = shapely.distance(self.proj[cand], pts[fix])
        order = np.lexsort((dist, fix))
        fix, cand, dist = fix[order], cand[order], dist[order]
        first = np.searchsorted(fix, fix, side="left")
        rank = np.arange(fix.size) - first
        sel = rank < k
        fix, cand, dist, rank = fix[sel], cand[sel], dist[sel], rank[sel]
        off = shapely.line_locate_point(self.proj[cand], pts[fix])
        C = np.full((n, 2 * k), -1, dtype=np.int64)
        D = np.full((n, 2 * k), np.inf)
        Off = np.zeros((n, 2 * k))
        seg = self.seg_ids[cand]
        for half, allowed in ((0, self.fwd[seg]), (k, self.bwd[seg])):
            C[fix, rank + half] = np.where(allowed, cand, -1)
            D[fix, rank + half] = np.where(allowed, dist, np.inf)
            Off[fix, rank + half] = off
        F = np.zeros(2 * k, dtype=bool)
        F[:k] = True
        return C, F, D, Off

    def _presmoothed(self, px, py, t, speed=None):
        """The track smoothed in x and y; fixes far from it (outliers) are left out of
        the fit and keep their raw position."""
        nominal = self.sigma_m if self.sigma_m is not None else 10.0
        x0, y0 = px.mean(), py.mean()
        w = np.ones(px.size)
        for _ in range(2):
            qx = _whittaker(px - x0, t, nominal, self.presmooth_accel, w) + x0
            qy = _whittaker(py - y0, t, nominal, self.presmooth_accel, w) + y0
            out = np.hypot(qx - px, qy - py) > 4.0 * nominal
            if not out.any() or (~out).sum() < 2:
                break
            w = np.where(out, 0.0, 1.0)
        if speed is not None and self.presmooth_speed > 0:
            # the speeds as velocity measurements along the smoothed track's heading, whose
            # error (presmooth_speed, rad) adds to the speed noise; none where nearly stopped
            tt = np.arange(px.size, dtype=float) if t is None else t
            hx, hy = np.gradient(qx, tt), np.gradient(qy, tt)
            norm = np.hypot(hx, hy)
            moving = norm > 1.0
            v = np.where(moving, speed, np.nan) / np.where(moving, norm, 1.0)
            vsd = np.hypot(self.speed_sd, self.presmooth_speed * np.nan_to_num(speed))
            qx = _cv_smooth(px - x0, tt, nominal, self.presmooth_accel, v * hx, vsd, w)[0] + x0
            qy = _cv_smooth(py - y0, tt, nominal, self.presmooth_accel, v * hy, vsd, w)[0] + y0
        return np.where(out, px, qx), np.where(out, py, qy)

    # -- transitions ---------------------------------------------------------------------
    def _route_costs(self, C, F, Off, gc, beta, pred=None, pred_scale=None):
        """Log transition matrices ``(n-1, S, S)`` and whether the route stays on the segment.

        ``pred`` (m, NaN where unknown) is the distance driven between consecutive fixes
        from their speeds; a route that differs from it costs ``|pred - route| / pred_scale``
        more (in units of ``beta``)."""
        g = self.graph
        Ca, Cb = C[:-1, :, None], C[1:, None, :]
        Oa, Ob = Off[:-1, :, None], Off[1:, None, :]
        Fa, Fb = F[None, :, None], F[None, None, :]
        valid = (Ca >= 0) & (Cb >= 0)
        ca, cb = np.where(Ca >= 0, Ca, 0), np.where(Cb >= 0, Cb, 0)
        sa, sb = self.seg_ids[ca], self.seg_ids[cb]
        gcs = gc[:, None, None]
        same = (ca == cb) & (Fa == Fb)
        # along the same segment in the same direction; moving backwards is a negative route
        route0 = np.where(Fa, Ob - Oa, Oa - Ob)
        cost = np.where(same, np.abs(gcs - route0), np.inf)
        if pred is not None:
            known = np.isfinite(pred)
            pr = np.where(known, pred, 0.0)[:, None, None]
            k = np.where(known, beta / pred_scale, 0.0)[:, None, None]
            cost = cost + k * np.abs(pr - route0)
        # out of the end the state drives to, along the graph, into the start of the next
        exit_node = np.where(Fa, g.seg_to[sa], g.seg_from[sa])
        remaining = np.where(Fa, self.plen[ca] - Oa, Oa)
        entry_node = np.where(Fb, g.seg_from[sb], g.seg_to[sb])
        into = np.where(Fb, Ob, self.plen[cb] - Ob)
        limit = min(self.max_route_m, float(np.max(gc, initial=0.0)) * 2.0 + 2.0 * self.radius_m + 100.0)
        src = np.unique(exit_node[np.broadcast_to(Ca >= 0, exit_node.shape)])
        d = self._node_distances(src, exit_node, entry_node, limit)
        route = remaining + d + into
        u_turn = (ca == cb) & (Fa != Fb)
        cost1 = np.abs(gcs - route) + np.where(u_turn, self.u_turn_m, 0.0)
        if pred is not None:
            # (where the route is unreachable cost1 is already infinite)
            cost1 = cost1 + k * np.abs(pr - np.where(np.isfinite(route), route, 0.0))
        via_graph = cost1 < cost
        cost = np.where(via_graph, cost1, cost)
        logt = np.where(valid & np.isfinite(cost), -cost / beta, -np.inf)
        return logt, via_graph

    def _node_distances(self, src_nodes, exit_node, entry_node, limit):
        """Graph distance from each exit node to the matching entry node (``inf`` past ``limit``)."""
        g = self.graph
        matrix = g.weighted("length").matrix
        shape = np.broadcast_shapes(exit_node.shape, entry_node.shape)
        out = np.full(shape, np.inf)
        if src_nodes.size == 0:
            return out
        row_of = np.full(g.n_nodes, -1, dtype=np.int64)
        row_of[src_nodes] = np.arange(src_nodes.size)
        rows, ent = np.broadcast_arrays(row_of[exit_node], entry_node)
        chunk = max(1, int(2e7 // max(g.n_nodes, 1)))
        for a in range(0, src_nodes.size, chunk):
            dm = dijkstra(matrix, indices=src_nodes[a : a + chunk], limit=limit)
            m = (rows >= a) & (rows < a + dm.shape[0])
            out[m] = dm[rows[m] - a, ent[m]]
        return out

    # -- matching ------------------------------------------------------------------------
    def match(  # noqa: C901 (complexity baseline: split when next changed)
        self, lon: np.ndarray, lat: np.ndarray, t: np.ndarray | None = None, speed: np.ndarray | None = None
    ) -> MatchResult:
        """Match a sequence of fixes (WGS84 degrees, in time order).

        ``t`` (seconds) spaces the fixes for the along-path smoothing; without it the
        fixes are taken as equally spaced. ``speed`` (m/s per fix, NaN or negative where
        unknown) is the GPS (Doppler) speed; with it the transitions, the pre-smoothing
        and the along-path smoother use the distance driven (see the module doc).

        Raises
        ------
        RoadsError
            Coordinates of different lengths, not finite, times not increasing, speeds
            not one per fix, or an empty network.
        """
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        if lon.shape != lat.shape or lon.ndim != 1:
            raise RoadsError(N_("longitudes and latitudes must be two lists of the same length"), field="track")
        if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
            raise RoadsError(N_("the track has a position that is not a number"), field="track")
        if self.seg_ids.size == 0:
            raise RoadsError(N_("the road network has no segments to match onto"), field="network")
        if t is not None:
            t = np.asarray(t, dtype=float)
            if t.shape != lon.shape or (t.size > 1 and not (np.diff(t) > 0).all()):
                raise RoadsError(N_("fix times must be one increasing time per fix"), field="time")
        if speed is not None:
            speed = np.asarray(speed, dtype=float)
            if speed.shape != lon.shape:
                raise RoadsError(N_("fix speeds must be one speed per fix"), field="speed")
            speed = np.where(speed >= 0, speed, np.nan)  # negative or NaN: unknown
            if not np.isfinite(speed).any():
                speed = None
        n = lon.size
        px, py = self.graph.transformer.transform(lon, lat)
        px, py = np.atleast_1d(np.asarray(px, dtype=float)), np.atleast_1d(np.asarray(py, dtype=float))
        if self.presmooth and n >= 5:
            # candidates and emissions from the track smoothed in x and y (a loose
            # acceleration bound that still follows turns); the raw fixes are used again
            # for sigma and the along-path smoothing
            C, F, D, Off = self._candidates(*self._presmoothed(px, py, t, speed))
        else:
            C, F, D, Off = self._candidates(px, py)
        S = C.shape[1]
        has = (C >= 0).any(axis=1)
        sigma = self.sigma_m
        if sigma is None:
            sigma = float(np.clip(1.4826 * np.median(D[has].min(axis=1)), 3.0, 15.0)) if has.any() else 10.0
        beta = self.beta_m if self.beta_m is not None else sigma
        emis = np.where(C >= 0, -0.5 * (D / sigma) ** 2, -np.inf)
        if n > 1:
            pred = scale = None
            if speed is not None and self.speed_beta_m is not None:
                # distance driven between consecutive fixes from their Doppler speeds
                # (trapezoid); its error grows with the time step, unknown past 30 s
                dt = np.diff(t) if t is not None else np.ones(n - 1)
                pred = np.where(dt <= MAX_SPEED_GAP_S, 0.5 * (speed[1:] + speed[:-1]) * dt, np.nan)
                scale = self.speed_beta_m * np.maximum(dt, 1.0)
            logt, via_graph = self._route_costs(C, F, Off, np.hypot(np.diff(px), np.diff(py)), beta, pred, scale)
        else:
            logt = np.zeros((0, S, S))
            via_graph = np.zeros((0, S, S), dtype=bool)

        # Viterbi, restarting the chain where no transition is possible
        cols = np.arange(S)
        back = np.zeros((n, S), dtype=np.int64)
        start = np.zeros(n, dtype=bool)
        ends: dict[int, np.ndarray] = {}
        score = emis[0] if n else None
        if n:
            start[0] = True
        has_l = has.tolist()
        neg_inf = -np.inf
        for i in range(1, n):
            if not has_l[i]:
                if has_l[i - 1]:
                    ends[i - 1] = score
                score = emis[i]
                continue
            if not has_l[i - 1]:
                start[i] = True
                score = emis[i]
                continue
            m = score[:, None] + logt[i - 1]
            arg = m.argmax(axis=0)
            top = m[arg, cols]
            if top.max() == neg_inf:
                ends[i - 1] = score
                start[i] = True
                score = emis[i]
                continue
            back[i] = arg
            score = top + emis[i]
        if n and has[n - 1]:
            ends[n - 1] = score
        best = np.full(n, -1, dtype=np.int64)
        for end, final in ends.items():
            i = end
            best[i] = int(np.argmax(final))
            while not start[i]:
                best[i - 1] = back[i, best[i]]
                i -= 1
        if self.sigma_m is None and (best >= 0).sum() >= 10:
            # the cross-track misfit of the raw fixes to the matched segments follows
            # |N(0, sigma)|; the nearest road used above is biased low where roads are dense
            rows = np.flatnonzero(best >= 0)
            dr = shapely.distance(self.proj[C[rows, best[rows]]], shapely.points(px[rows], py[rows]))
            sigma = float(np.clip(1.4826 * np.median(dr), 3.0, 25.0))
        return self._result(C, F, Off, best, start, px, py, via_graph, sigma, t, speed)

    def _result(self, C, F, Off, best, start, px, py, via_graph, sigma, t=None, speed=None) -> MatchResult:
        n = best.size
        segs = self.graph.segments
        rows = np.flatnonzero(best >= 0)
        cand = np.full(n, -1, dtype=np.int64)
        off = np.zeros(n)
        cand[rows] = C[rows, best[rows]]
        off[rows] = Off[rows, best[rows]]
        driven: list[DrivenSegment] = []
        path_m = np.full(n, np.nan)
        stretch = np.full(n, -1, dtype=np.int64)
        pieces: list[PathPiece] = []
        bends: list[np.ndarray] = []
        lateral = np.full(n, np.nan)
        if rows.size:
            chains = self._chains(cand, F, best, via_graph, start)
            if self.smooth:
                cand, off = self._smooth(
                    chains, cand, off, px, py, sigma, t, speed, (path_m, stretch, pieces, bends, lateral)
                )
            driven = self._driven(chains, cand)
        dist = np.full(n, np.nan)
        mlon = np.full(n, np.nan)
        mlat = np.full(n, np.nan)
        offset_m = np.full(n, np.nan)
        if rows.size:
            c = cand[rows]
            pts = shapely.line_interpolate_point(self.proj[c], off[rows])
            xy = shapely.get_coordinates(pts)
            dist[rows] = np.hypot(xy[:, 0] - px[rows], xy[:, 1] - py[rows])
            offset_m[rows] = off[rows] * self.scale[c]
            lo, la = self._back.transform(xy[:, 0], xy[:, 1], direction="INVERSE")
            mlon[rows], mlat[rows] = lo, la
        seg_index = np.where(cand >= 0, self.seg_ids[np.where(cand >= 0, cand, 0)], -1)
        ids = [segs[k].segment_id if k >= 0 else None for k in seg_index]
        return MatchResult(
            seg_index,
            ids,
            offset_m,
            mlon,
            mlat,
            dist,
            start,
            driven,
            float(sigma),
            path_m,
            stretch,
            pieces,
            np.vstack(bends) if bends else np.zeros((0, 3)),
            lateral,
        )

    # -- the driven path -----------------------------------------------------------------
    def _chains(self, cand, F, best, via_graph, start) -> list[_Chain]:
        """The path of every chain as pieces (tree segment, direction), fixes placed on them."""
        g = self.graph
        chains: list[_Chain] = []
        hops: list[tuple[_Chain, int, int, int]] = []  # chain, piece position, exit, entry node
        chain: _Chain | None = None
        for i in range(cand.size):
            c = int(cand[i])
            if c < 0:
                chain = None
                continue
            fwd = bool(F[best[i]])
            if chain is None or start[i]:
                chain = _Chain([], [], [], [])
                chains.append(chain)
                chain.add(c, fwd, i)
                continue
            if not via_graph[i - 1, best[i - 1], best[i]]:
                chain.fix_piece.append(len(chain.seg) - 1)
                chain.fix.append(i)
                continue
            prev = self.seg_ids[cand[i - 1]]
            exit_node = g.seg_to[prev] if F[best[i - 1]] else g.seg_from[prev]
            k = self.seg_ids[c]
            entry_node = g.seg_from[k] if fwd else g.seg_to[k]
            if exit_node != entry_node:
                hops.append((chain, len(chain.seg), int(exit_node), int(entry_node)))
            chain.add(c, fwd, i)
        if hops:
            self._insert_routes(hops)
        return chains

    def _insert_routes(self, hops) -> None:
        g = self.graph
        srcs = np.unique([h[2] for h in hops])
        _, pred = dijkstra(g.weighted("length").matrix, indices=srcs, return_predecessors=True, limit=self.max_route_m)
        row = {int(s): i for i, s in enumerate(srcs)}
        tree_of = self._tree_of()
        shift: dict[int, int] = {}
        for chain, pos, a, b in hops:
            path = [b]
            p = pred[row[a]]
            while path[-1] != a and p[path[-1]] >= 0:
                path.append(int(p[path[-1]]))
            if path[-1] != a:
                chain.broken = True  # no path: leave this chain unsmoothed
                continue
            path.reverse()
            extra = g.route_from_indices(path).segments
            at = pos + shift.get(id(chain), 0)
            chain.seg[at:at] = [tree_of[g.segment_index[sid]] for sid, _ in extra]
            chain.forward[at:at] = [fwd for _, fwd in extra]
            chain.fix_piece = [q + len(extra) if q >= at else q for q in chain.fix_piece]
            shift[id(chain)] = shift.get(id(chain), 0) + len(extra)

    def _tree_of(self) -> dict[int, int]:
        if self._tree_index is None:
            self._tree_index = {int(k): i for i, k in enumerate(self.seg_ids)}
        return self._tree_index

    def _smooth(self, chains, cand, off, px, py, sigma, t, speed=None, along_out=None):
        """Move each fix along its chain's path to a smoothed position (see module doc).

        ``along_out`` (path metres per fix, stretch per fix, pieces, bends, lateral) receives
        each smoothed chain's positions along its path, in geodesic metres, where its heading
        changes (:meth:`_Path.bends`) and each fix's signed distance across it."""
        cand = cand.copy()
        off = off.copy()
        segs_all = self.graph.segments
        for ch in chains:
            if ch.broken or len(ch.fix) < 3:
                continue
            segs = np.array(ch.seg)
            fwd = np.array(ch.forward, dtype=bool)
            path = _Path([self._xy(c, f) for c, f in zip(segs, fwd, strict=True)])
            fixes = np.array(ch.fix)
            fp = np.array(ch.fix_piece)
            z = np.column_stack([px[fixes], py[fixes]])
            # first guess: the fix projected onto its Viterbi piece and both neighbours
            obs = path.locate(z, np.maximum(fp - 1, 0), np.minimum(fp + 1, segs.size - 1))
            tt = None if t is None else t[fixes]
            if speed is None:

                def fit(o, tt=tt):
                    return _whittaker(o, tt, sigma, self.accel_sd)
            else:

                def fit(o, tt=tt, v=speed[fixes]):
                    return _cv_smooth(o, tt, sigma, self.speed_accel_sd, v, self.speed_sd)[0]

            s = fit(obs)
            for _ in range(self.iterations):
                # Gauss-Newton: linearise the path at the current estimate and keep the
                # fix's misfit along the path's direction there
                s = np.clip(s, 0.0, path.total)
                p_xy, tangent = path.point_tangent(s)
                s = fit(s + ((z - p_xy) * tangent).sum(axis=1))
            s = _monotone(np.clip(s, 0.0, path.total))  # the path is driven forwards only
            p_xy, tangent = path.point_tangent(s)
            side = tangent[:, 0] * (z[:, 1] - p_xy[:, 1]) - tangent[:, 1] * (z[:, 0] - p_xy[:, 0])
            p = np.clip(np.searchsorted(path.starts, s, side="right") - 1, 0, segs.size - 1)
            along = s - path.starts[p]
            lengths = path.starts[1:] - path.starts[:-1]
            cand[fixes] = segs[p]
            off[fixes] = np.clip(np.where(fwd[p], along, lengths[p] - along), 0.0, self.plen[segs[p]])
            if along_out is not None:
                path_m, stretch, pieces, bends, lateral = along_out
                lateral[fixes] = side
                geo = np.concatenate([[0.0], np.cumsum(lengths * self.scale[segs])])
                k = int(stretch.max()) + 1
                path_m[fixes] = geo[p] + along * self.scale[segs[p]]
                stretch[fixes] = k
                at, turn = path.bends()
                q = np.clip(np.searchsorted(path.starts, at, side="right") - 1, 0, segs.size - 1)
                at_m = geo[q] + (at - path.starts[q]) * self.scale[segs[q]]
                bends.append(np.column_stack([np.full(at.size, k), at_m, turn]))
                for q in range(segs.size):
                    sid = segs_all[self.seg_ids[segs[q]]].segment_id
                    pieces.append(PathPiece(k, sid, bool(fwd[q]), float(geo[q]), float(geo[q + 1])))
        return cand, off

    def _xy(self, c: int, forward: bool) -> np.ndarray:
        xy = self._coords[self._coord_start[c] : self._coord_start[c + 1]]
        return xy if forward else xy[::-1]

    def _driven(self, chains, cand) -> list[DrivenSegment]:
        segs = self.graph.segments
        out: list[DrivenSegment] = []
        for ch in chains:
            first: dict[int, int] = {}
            last: dict[int, int] = {}
            p = 0
            for t in ch.fix:  # after smoothing a fix may sit on another piece: walk forward
                c = cand[t]
                q = p
                while q < len(ch.seg) and ch.seg[q] != c:
                    q += 1
                if q == len(ch.seg):
                    continue
                p = q
                first.setdefault(p, t)
                last[p] = t
            for p, c in enumerate(ch.seg):
                out.append(DrivenSegment(segs[self.seg_ids[c]].segment_id, ch.forward[p], first.get(p), last.get(p)))
        return out


@dataclass
class _Chain:
    seg: list[int]  # tree index per piece
    forward: list[bool]
    fix_piece: list[int]
    fix: list[int]
    broken: bool = False

    def add(self, seg: int, forward: bool, t: int) -> None:
        self.seg.append(seg)
        self.forward.append(forward)
        self.fix_piece.append(len(self.seg) - 1)
        self.fix.append(t)


class _Path:
    """A chain's driven path as one polyline in projected metres (pieces in order)."""

    def __init__(self, pieces: list[np.ndarray]) -> None:
        self.vertex_piece_start = np.cumsum([0] + [len(q) - 1 for q in pieces])
        v = np.vstack([pieces[0][:1]] + [q[1:] for q in pieces])
        d = np.diff(v, axis=0)
        ln = np.hypot(d[:, 0], d[:, 1])
        self.v = v
        self.cum = np.concatenate([[0.0], np.cumsum(ln)])
        self.unit = d / np.where(ln > 0, ln, 1.0)[:, None]
        self.starts = self.cum[self.vertex_piece_start]
        self.total = float(self.cum[-1])

    def locate(self, z: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Path coordinate of the point of pieces ``lo..hi`` (per fix) closest to each fix."""
        e0 = self.vertex_piece_start[lo]
        e1 = self.vertex_piece_start[hi + 1]
        count = e1 - e0
        fix = np.repeat(np.arange(z.shape[0]), count)
        edge = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count) + np.repeat(e0, count)
        rel = z[fix] - self.v[edge]
        seg_len = self.cum[edge + 1] - self.cum[edge]
        a = np.clip((rel * self.unit[edge]).sum(axis=1), 0.0, seg_len)
        foot = self.v[edge] + a[:, None] * self.unit[edge]
        dist = np.hypot(*(z[fix] - foot).T)
        order = np.lexsort((dist, fix))
        first = order[np.searchsorted(fix[order], np.arange(z.shape[0]))]
        return self.cum[edge[first]] + a[first]

    def bends(self, min_edge_m: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
        """Where the path's heading changes (path coordinate) and by how much (rad, left positive)."""
        d = np.diff(self.v, axis=0)
        ln = np.hypot(d[:, 0], d[:, 1])
        edge = np.flatnonzero(ln > min_edge_m)
        if edge.size < 2:
            return np.zeros(0), np.zeros(0)
        heading = np.arctan2(d[edge, 1], d[edge, 0])
        turn = np.angle(np.exp(1j * np.diff(heading)))
        return self.cum[edge[1:]], turn

    def point_tangent(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Point and unit direction of the path at coordinates ``s``."""
        j = np.clip(np.searchsorted(self.cum, s, side="right") - 1, 0, self.unit.shape[0] - 1)
        return self.v[j] + (s - self.cum[j])[:, None] * self.unit[j], self.unit[j]


def _monotone(s: np.ndarray) -> np.ndarray:
    """Least-squares non-decreasing fit (pool adjacent violators); ``s`` if already so."""
    if s.size < 2 or (np.diff(s) >= 0).all():
        return s
    vals: list[float] = []
    wts: list[int] = []
    for x in s:
        vals.append(float(x))
        wts.append(1)
        while len(vals) > 1 and vals[-2] > vals[-1]:
            w = wts[-2] + wts[-1]
            vals[-2] = (vals[-2] * wts[-2] + vals[-1] * wts[-1]) / w
            wts[-2] = w
            vals.pop()
            wts.pop()
    return np.repeat(vals, wts)


def _whittaker(
    obs: np.ndarray, t: np.ndarray | None, sigma: float, accel_sd: float, weight: np.ndarray | None = None
) -> np.ndarray:
    """Positions minimising squared misfit / sigma^2 (times ``weight``) + squared
    acceleration / accel_sd^2: the MAP estimate of a constant-velocity motion driven by
    white acceleration noise, i.e. what a Kalman filter with an RTS smoother gives."""
    n = obs.size
    tt = np.arange(n, dtype=float) if t is None else np.asarray(t, dtype=float)
    h = np.diff(tt)
    h = np.where(h > 0, h, 1.0)
    h1, h2 = h[:-1], h[1:]
    # second divided differences (acceleration) at interior points, weighted by their span
    a = 2.0 / (h1 * (h1 + h2))
    b = -2.0 / (h1 * h2)
    c = 2.0 / (h2 * (h1 + h2))
    w = 0.5 * (h1 + h2) / accel_sd**2
    ab = np.zeros((3, n))  # upper banded form of the symmetric pentadiagonal matrix
    wa, wb, wc = w * a, w * b, w * c
    wf = np.ones(n) if weight is None else np.asarray(weight, dtype=float)
    diag = wf / sigma**2
    diag[:-2] += wa * a
    diag[1:-1] += wb * b
    diag[2:] += wc * c
    ab[2] = diag
    ab[1, 1:-1] += wa * b  # (i, i+1) from the term centred at i+1
    ab[1, 2:] += wb * c  # (i+1, i+2)
    ab[0, 2:] = wa * c  # (i, i+2)
    return solveh_banded(ab, wf * obs / sigma**2)


def _cv_smooth(
    obs: np.ndarray,
    t: np.ndarray | None,
    sigma: float,
    accel_sd: float,
    speed: np.ndarray,
    speed_sd: float | np.ndarray,
    weight: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Positions and speeds of a constant-velocity motion driven by white acceleration
    noise (``accel_sd``, m/s^2 per sqrt(s)), from position measurements ``obs`` (sd
    ``sigma``, times ``weight``) and speed measurements ``speed`` (sd ``speed_sd``, NaN:
    none): what a Kalman filter with an RTS smoother gives, solved as one banded system.

    The unknowns are ``(s_0, v_0, s_1, v_1, ...)``. Over a step ``h`` the process residual
    ``r = (s1 - s0 - h v0, v1 - v0)`` has covariance ``q [[h^3/3, h^2/2], [h^2/2, h]]``,
    whose inverse ``W = [[12/h^3, -6/h^2], [-6/h^2, 4/h]] / q`` gives the blocks
    ``A^T W A`` (at ``i, i``), ``W`` (at ``i+1, i+1``) and ``A^T W`` (at ``i, i+1``) with
    ``A = [[-1, -h], [0, -1]]``: a symmetric matrix with three bands above the diagonal.
    """
    n = obs.size
    tt = np.arange(n, dtype=float) if t is None else np.asarray(t, dtype=float)
    h = np.diff(tt)
    h = np.where(h > 0, h, 1.0)
    q = accel_sd**2
    w11, w12, w22 = 12.0 / (q * h**3), -6.0 / (q * h**2), 4.0 / (q * h)
    wf = np.ones(n) if weight is None else np.asarray(weight, dtype=float)
    known = np.isfinite(speed)
    ab = np.zeros((4, 2 * n))  # upper banded form: ab[3 + i - j, j] = M[i, j]
    diag = ab[3]
    diag[0::2] = wf / sigma**2
    diag[1::2] = np.where(known, 1.0 / np.asarray(speed_sd, dtype=float) ** 2, 0.0)
    diag[0:-2:2] += w11  # A^T W A
    diag[1:-2:2] += h * h * w11 + 2.0 * h * w12 + w22
    diag[2::2] += w11  # W
    diag[3::2] += w22
    ab[2, 1:-2:2] = h * w11 + w12  # (s_i, v_i) from A^T W A
    ab[2, 3::2] += w12  # (s_i+1, v_i+1) from W
    ab[2, 2::2] = -h * w11 - w12  # (v_i, s_i+1) from A^T W
    ab[1, 2::2] = -w11  # (s_i, s_i+1)
    ab[1, 3::2] = -h * w12 - w22  # (v_i, v_i+1)
    ab[0, 3::2] = -w12  # (s_i, v_i+1)
    rhs = np.zeros(2 * n)
    rhs[0::2] = wf * obs / sigma**2
    rhs[1::2] = np.where(known, np.where(known, speed, 0.0) / np.asarray(speed_sd, dtype=float) ** 2, 0.0)
    x = solveh_banded(ab, rhs)
    return x[0::2], x[1::2]


def match_track(graph: RoadGraph, lon: np.ndarray, lat: np.ndarray, **options: float) -> MatchResult:
    """Match fixes onto ``graph`` with a :class:`MapMatcher` built with ``options``."""
    return MapMatcher(graph, **options).match(lon, lat)


def nearest_segment_match(matcher: MapMatcher, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Baseline: the graph segment index nearest to each fix (``-1`` beyond the radius)."""
    px, py = matcher.graph.transformer.transform(np.asarray(lon, float), np.asarray(lat, float))
    pts = shapely.points(px, py)
    fix, cand = matcher.tree.query_nearest(pts, max_distance=matcher.radius_m, all_matches=False)
    out = np.full(len(pts), -1, dtype=np.int64)
    out[fix] = matcher.seg_ids[cand]
    return out
