"""Contraction hierarchies: exact shortest paths on a directed graph after one preprocessing pass.

The method of Geisberger, Sanders, Schultes and Delling (2008), written here in Python and numpy.
Preprocessing contracts the nodes one by one, least important first (importance: the edge
difference, shortcuts added minus edges removed, plus the neighbours already contracted; updated
lazily). Contracting ``x`` adds a shortcut ``a -> b`` for each pair of neighbours whose only
shortest connection runs through ``x``; a bounded Dijkstra search (the *witness search*) looks for
another path first. A witness search that gives up early only adds a shortcut that was not needed,
so the hierarchy is exact whatever the bounds.

A query runs Dijkstra upwards from both ends (forward from the source over edges to higher nodes,
backward from the target over edges from higher nodes); the meeting node is where the two
distances add up least. Both searches run in scipy's compiled Dijkstra (``scipy.sparse.csgraph``)
on the upward and downward graphs (a pure-Python bidirectional search with stall-on-demand was
slower); ``bench/bike_routing.py`` measures them against networkx Dijkstra and pgRouting. Shortcuts
remember the two edges they replace, so a path unpacks into the original edges. Many-to-many tables
follow the bucket idea of Knopp et al. (2007): one upward search per source, one downward search per
target (both in scipy), and for every pair at once the node where the two distances add up least
(numpy over the nodes both kinds of search reached); a table of 100 x 100 is some 200 small searches,
not 100 searches of the whole graph.

Every edge carries, besides the cost it is routed by, any number of *auxiliary* sums (length,
time at a reference speed, climb ...) that shortcuts add up, so a table gives them for the
cheapest path without unpacking it. Costs must be positive. The result equals plain Dijkstra's on
the same graph up to floating-point rounding (sums taken in another order).
"""

from __future__ import annotations

import heapq
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

INF = math.inf
#: The most nodes one witness search settles before it gives up (more: fewer shortcuts, slower build).
WITNESS_SETTLED = 60
#: The same bound while only estimating a node's importance (cheaper, and enough to rank the nodes).
SIMULATION_SETTLED = 12
#: Weights of a node's importance: edge difference, contracted neighbours (weight 1), level in the hierarchy.
EDGE_WEIGHT, LEVEL_WEIGHT = 2, 1


@dataclass(frozen=True)
class PathResult:
    """A shortest path: its cost, auxiliary sums and the original edge indices along it, in order."""

    cost: float
    aux: tuple[float, ...]
    edges: tuple[int, ...]


class Hierarchy:
    """A contracted graph, ready for queries; build with :func:`build_hierarchy`, store with :meth:`to_bytes`.

    Attributes
    ----------
    n:
        Number of nodes (``0..n-1``).
    rank:
        Contraction order of each node (higher: more important).
    edge_tail, edge_head, edge_cost, edge_aux, edge_first, edge_second, edge_original:
        Per hierarchy edge (original edges first, then shortcuts): ends, cost, auxiliary sums
        (an ``(m, k)`` array), the two edges a shortcut replaces (``-1`` for an original edge) and
        the original edge index it stands for (``-1`` for a shortcut).
    """

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.rank = arrays["rank"]
        self.n = int(self.rank.size)
        self.edge_tail = arrays["edge_tail"]
        self.edge_head = arrays["edge_head"]
        self.edge_cost = arrays["edge_cost"]
        self.edge_aux = arrays["edge_aux"]
        self.edge_first = arrays["edge_first"]
        self.edge_second = arrays["edge_second"]
        self.edge_original = arrays["edge_original"]
        self.up_ptr, self.up_edge = arrays["up_ptr"], arrays["up_edge"]
        self.down_ptr, self.down_edge = arrays["down_ptr"], arrays["down_edge"]
        self._lists()

    def _lists(self) -> None:
        self._first = self.edge_first.tolist()
        self._second = self.edge_second.tolist()
        self._original = self.edge_original.tolist()
        self.k = int(self.edge_aux.shape[1]) if self.edge_aux.ndim == 2 else 0
        # The same graphs as sparse matrices for scipy: up (tail -> higher head), down (head -> higher tail).
        self._up_matrix, self._up_keys, self._up_eid = self._matrix(self.up_ptr, self.up_edge, self.edge_head)
        self._down_matrix, self._down_keys, self._down_eid = self._matrix(self.down_ptr, self.down_edge, self.edge_tail)

    def _matrix(
        self, ptr: np.ndarray, edges: np.ndarray, other: np.ndarray
    ) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
        rows = np.repeat(np.arange(self.n, dtype=np.int64), np.diff(ptr))
        cols = other[edges]
        order = np.lexsort((cols, rows))
        rows, cols, eid = rows[order], cols[order], edges[order]
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=self.n))]).astype(np.int64)
        matrix = csr_matrix((self.edge_cost[eid], cols, indptr), shape=(self.n, self.n))
        return matrix, rows * self.n + cols, eid

    @property
    def n_edges(self) -> int:
        """Hierarchy edges (original edges kept plus shortcuts)."""
        return int(self.edge_cost.size)

    # -- queries ---------------------------------------------------------------------------------------
    def query(self, source: int, target: int) -> PathResult | None:
        """The cheapest path from ``source`` to ``target`` (node indices), ``None`` when there is none.

        Both upward searches run in scipy's compiled Dijkstra on the upward and downward graphs (each
        settles only the nodes above its start, a few hundred in a city); the meeting node is the one
        where the two distances add up least.
        """
        if source == target:
            return PathResult(0.0, (0.0,) * self.k, ())
        dist_f, pred_f = dijkstra(self._up_matrix, indices=source, return_predecessors=True)
        dist_b, pred_b = dijkstra(self._down_matrix, indices=target, return_predecessors=True)
        total = dist_f + dist_b
        meet = int(np.argmin(total))
        best = float(total[meet])
        if not math.isfinite(best):
            return None
        chain: list[int] = []
        node = meet
        while node != source:
            prev = int(pred_f[node])
            chain.append(self._edge_at(self._up_keys, self._up_eid, prev, node))
            node = prev
        chain.reverse()
        node = meet
        while node != target:
            prev = int(pred_b[node])
            chain.append(self._edge_at(self._down_keys, self._down_eid, prev, node))
            node = prev
        edges = self.unpack(chain)
        aux = tuple(float(x) for x in self.edge_aux[chain].sum(axis=0)) if chain else (0.0,) * self.k
        return PathResult(best, aux, tuple(edges))

    def _edge_at(self, keys: np.ndarray, eids: np.ndarray, row: int, col: int) -> int:
        return int(eids[int(np.searchsorted(keys, row * self.n + col))])

    def unpack(self, chain: Sequence[int]) -> list[int]:
        """The original edge indices that a sequence of hierarchy edges stands for, in order."""
        out: list[int] = []
        stack = list(reversed(chain))
        first, second, original = self._first, self._second, self._original
        while stack:
            e = stack.pop()
            if first[e] < 0:
                out.append(original[e])
            else:
                stack.append(second[e])
                stack.append(first[e])
        return out

    def many_to_many(self, sources: Sequence[int], targets: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Costs ``(len(sources), len(targets))`` of the cheapest paths (``inf`` where none), and their auxiliary
        sums ``(len(sources), len(targets), k)`` (``nan`` where none).

        One upward search per source and one downward search per target (scipy's compiled Dijkstra, as
        :meth:`query`); the meeting node of each pair is where the two distances add up least, found for all
        targets at once with numpy over the nodes the source's search reached. The auxiliary sums follow each
        search tree from its start (:meth:`_tree_sums`).
        """
        src = np.asarray(sources, dtype=np.int64)
        tgt = np.asarray(targets, dtype=np.int64)
        ns, nt = src.size, tgt.size
        cost = np.full((ns, nt), INF)
        aux = np.full((ns, nt, self.k), np.nan)
        if ns == 0 or nt == 0:
            return cost, aux
        dist_f, pred_f = dijkstra(self._up_matrix, indices=src, return_predecessors=True)
        dist_b, pred_b = dijkstra(self._down_matrix, indices=tgt, return_predecessors=True)
        dist_f, dist_b = dist_f.reshape(ns, -1), dist_b.reshape(nt, -1)
        pred_f, pred_b = pred_f.reshape(ns, -1), pred_b.reshape(nt, -1)
        backward = np.isfinite(dist_b).any(axis=0)
        meet = np.full((ns, nt), -1, dtype=np.int64)
        rows = np.arange(nt)
        for i in range(ns):
            cols = np.flatnonzero(np.isfinite(dist_f[i]) & backward)  # this source's search space
            if not cols.size:
                continue
            total = dist_f[i, cols][None, :] + dist_b[:, cols]
            best = np.argmin(total, axis=1)
            cost[i] = total[rows, best]
            meet[i] = cols[best]
        ok = np.isfinite(cost)
        if self.k and ok.any():
            aux[ok] = 0.0
            for i in range(ns):  # forward halves: from source i to each meeting node
                reached, sums = self._tree_sums(dist_f[i], pred_f[i], self._up_keys, self._up_eid)
                have = ok[i]
                aux[i, have] += sums[np.searchsorted(reached, meet[i, have])]
            for j in range(nt):  # backward halves: from each meeting node to target j
                reached, sums = self._tree_sums(dist_b[j], pred_b[j], self._down_keys, self._down_eid)
                have = ok[:, j]
                aux[have, j] += sums[np.searchsorted(reached, meet[have, j])]
        same = src[:, None] == tgt[None, :]
        cost[same] = 0.0
        aux[same] = 0.0
        return cost, aux

    def _tree_sums(
        self, dist: np.ndarray, pred: np.ndarray, keys: np.ndarray, eids: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The nodes a search reached (ascending) and the auxiliary sums from its start to each: the edges'
        sums added up the search tree by pointer jumping (a few numpy steps, the trees being shallow)."""
        reached = np.flatnonzero(np.isfinite(dist))
        parents = pred[reached]
        inner = parents >= 0
        up = np.arange(reached.size)
        up[inner] = np.searchsorted(reached, parents[inner])
        sums = np.zeros((reached.size, self.k))
        # the search ran on the upward (or downward) matrix, whose rows are the search's tails
        sums[inner] = self.edge_aux[eids[np.searchsorted(keys, parents[inner] * self.n + reached[inner])]]
        while True:
            nxt = up[up]
            sums = sums + np.where((up != np.arange(up.size))[:, None], sums[up], 0.0)
            if np.array_equal(nxt, up):
                break
            up = nxt
        return reached, sums

    # -- storage ---------------------------------------------------------------------------------------
    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays that define the hierarchy (what :meth:`to_bytes` stores)."""
        return {
            "rank": self.rank,
            "edge_tail": self.edge_tail,
            "edge_head": self.edge_head,
            "edge_cost": self.edge_cost,
            "edge_aux": self.edge_aux,
            "edge_first": self.edge_first,
            "edge_second": self.edge_second,
            "edge_original": self.edge_original,
            "up_ptr": self.up_ptr,
            "up_edge": self.up_edge,
            "down_ptr": self.down_ptr,
            "down_edge": self.down_edge,
        }

    def to_bytes(self) -> bytes:
        """The hierarchy as a compressed ``.npz`` file's bytes."""
        buf = io.BytesIO()
        np.savez_compressed(buf, **self.arrays())
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Hierarchy:
        """A hierarchy stored by :meth:`to_bytes`."""
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            return cls({k: z[k] for k in z.files})


class _Builder:
    """The contraction itself: adjacency dicts of the graph that remains, and every edge created."""

    def __init__(self, n: int, tails: np.ndarray, heads: np.ndarray, costs: np.ndarray, aux: np.ndarray) -> None:
        self.n = n
        self.out: list[dict[int, int]] = [{} for _ in range(n)]
        self.inn: list[dict[int, int]] = [{} for _ in range(n)]
        self.tail: list[int] = []
        self.head: list[int] = []
        self.cost: list[float] = []
        self.aux: list[tuple] = []
        self.first: list[int] = []
        self.second: list[int] = []
        self.original: list[int] = []
        self.deleted = [0] * n
        self.level = [0] * n
        self.up: list[list[int]] = [[] for _ in range(n)]
        self.down: list[list[int]] = [[] for _ in range(n)]
        aux_rows = [tuple(r) for r in aux.tolist()]
        for k, (a, b, c) in enumerate(zip(tails.tolist(), heads.tolist(), costs.tolist(), strict=True)):
            if a == b:
                continue
            e = self.out[a].get(b)
            if e is not None and self.cost[e] <= c:
                continue
            self._add(a, b, c, aux_rows[k], -1, -1, k)

    def _add(self, a: int, b: int, c: float, aux: tuple, first: int, second: int, original: int) -> int:
        e = len(self.cost)
        self.tail.append(a)
        self.head.append(b)
        self.cost.append(c)
        self.aux.append(aux)
        self.first.append(first)
        self.second.append(second)
        self.original.append(original)
        self.out[a][b] = e
        self.inn[b][a] = e
        return e

    def _witness(
        self, source: int, skip: int, bound: float, targets: dict[int, float], limit: int = WITNESS_SETTLED
    ) -> dict[int, float]:
        dist = {source: 0.0}
        heap = [(0.0, source)]
        settled: dict[int, float] = {}
        left = len(targets)
        out, cost = self.out, self.cost
        while heap and len(settled) < limit:
            d, u = heapq.heappop(heap)
            if u in settled:
                continue
            if d > bound:
                break
            settled[u] = d
            if u in targets:
                left -= 1
                if left == 0:
                    break
            for v, e in out[u].items():
                if v == skip:
                    continue
                nd = d + cost[e]
                if nd < dist.get(v, INF):
                    dist[v] = nd
                    heapq.heappush(heap, (nd, v))
        return dist

    def shortcuts(self, x: int, limit: int = WITNESS_SETTLED) -> list[tuple[int, int, int, int, float]]:
        """The shortcuts contracting ``x`` needs: ``(a, b, edge a->x, edge x->b, cost)``."""
        outs = list(self.out[x].items())
        found = []
        cost = self.cost
        for a, ea in self.inn[x].items():
            ca = cost[ea]
            targets = {b: ca + cost[eb] for b, eb in outs if b != a}
            if not targets:
                continue
            dist = self._witness(a, x, max(targets.values()), targets, limit)
            for b, eb in outs:
                if b == a:
                    continue
                c = ca + cost[eb]
                if dist.get(b, INF) <= c:
                    continue
                found.append((a, b, ea, eb, c))
        return found

    def priority(self, x: int, shortcuts: list) -> int:
        edge_difference = len(shortcuts) - len(self.out[x]) - len(self.inn[x])
        return EDGE_WEIGHT * edge_difference + self.deleted[x] + LEVEL_WEIGHT * self.level[x]

    def contract(self, x: int, shortcuts: list) -> None:
        self.up[x] = list(self.out[x].values())
        self.down[x] = list(self.inn[x].values())
        up_level = self.level[x] + 1
        for a in self.inn[x]:
            del self.out[a][x]
            self.deleted[a] += 1
            self.level[a] = max(self.level[a], up_level)
        for b in self.out[x]:
            del self.inn[b][x]
            self.deleted[b] += 1
            self.level[b] = max(self.level[b], up_level)
        self.out[x] = {}
        self.inn[x] = {}
        for a, b, ea, eb, c in shortcuts:
            e = self.out[a].get(b)
            if e is not None and self.cost[e] <= c:
                continue
            aux = tuple(p + q for p, q in zip(self.aux[ea], self.aux[eb], strict=True))
            self._add(a, b, c, aux, ea, eb, -1)

    def run(self) -> np.ndarray:
        heap = []
        for x in range(self.n):
            heap.append((self.priority(x, self.shortcuts(x, SIMULATION_SETTLED)), x))
        heapq.heapify(heap)
        rank = np.empty(self.n, dtype=np.int64)
        order = 0
        while heap:
            _, x = heapq.heappop(heap)
            p = self.priority(x, self.shortcuts(x, SIMULATION_SETTLED))
            if heap and p > heap[0][0]:
                heapq.heappush(heap, (p, x))
                continue
            found = self.shortcuts(x)
            self.contract(x, found)
            rank[x] = order
            order += 1
        return rank


def _csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    sizes = np.array([len(x) for x in lists], dtype=np.int64)
    ptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    flat = np.array([e for x in lists for e in x], dtype=np.int64)
    return ptr, flat


def build_hierarchy(
    n: int,
    tails: Sequence[int] | np.ndarray,
    heads: Sequence[int] | np.ndarray,
    costs: Sequence[float] | np.ndarray,
    aux: np.ndarray | None = None,
) -> Hierarchy:
    """Contract a directed graph of ``n`` nodes into a :class:`Hierarchy`.

    Parameters
    ----------
    n:
        Number of nodes; edges name them ``0..n-1``.
    tails, heads, costs:
        One entry per directed edge; costs must be positive and finite. Of parallel edges the
        cheapest is kept; self-loops are dropped. :class:`PathResult` ``edges`` are indices into these.
    aux:
        Optional ``(len(costs), k)`` auxiliary values per edge, summed along paths.
    """
    tails_a = np.asarray(tails, dtype=np.int64)
    heads_a = np.asarray(heads, dtype=np.int64)
    costs_a = np.asarray(costs, dtype=float)
    if costs_a.size and (not np.all(np.isfinite(costs_a)) or costs_a.min() <= 0):
        raise ValueError("edge costs must be positive and finite")
    aux_a = np.zeros((costs_a.size, 0)) if aux is None else np.asarray(aux, dtype=float).reshape(costs_a.size, -1)
    builder = _Builder(n, tails_a, heads_a, costs_a, aux_a)
    rank = builder.run()
    up_ptr, up_edge = _csr(builder.up)
    down_ptr, down_edge = _csr(builder.down)
    k = aux_a.shape[1]
    return Hierarchy(
        {
            "rank": rank,
            "edge_tail": np.array(builder.tail, dtype=np.int64),
            "edge_head": np.array(builder.head, dtype=np.int64),
            "edge_cost": np.array(builder.cost, dtype=float),
            "edge_aux": np.array(builder.aux, dtype=float).reshape(len(builder.cost), k),
            "edge_first": np.array(builder.first, dtype=np.int64),
            "edge_second": np.array(builder.second, dtype=np.int64),
            "edge_original": np.array(builder.original, dtype=np.int64),
            "up_ptr": up_ptr,
            "up_edge": up_edge,
            "down_ptr": down_ptr,
            "down_edge": down_edge,
        }
    )
