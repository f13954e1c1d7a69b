"""Contraction hierarchies: exact against networkx Dijkstra on random graphs, paths unpack, tables, storage."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from kotacerdas.network.hierarchy import Hierarchy, build_hierarchy


def random_graph(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A random road-like directed graph: a jittered grid with some one-way and some missing edges."""
    rng = np.random.default_rng(seed)
    side = int(np.sqrt(n))
    tails, heads = [], []
    for r in range(side):
        for c in range(side):
            k = r * side + c
            for nb in ((k + 1) if c + 1 < side else None, (k + side) if r + 1 < side else None):
                if nb is None or rng.random() < 0.1:
                    continue
                kind = rng.random()
                if kind > 0.15:
                    tails += [k, nb]
                    heads += [nb, k]
                else:
                    tails.append(k)
                    heads.append(nb)
    w = rng.uniform(20, 300, len(tails))
    return np.array(tails), np.array(heads), w


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_costs_and_paths_equal_networkx_dijkstra(seed):
    tails, heads, w = random_graph(400, seed)
    n = 400
    h = build_hierarchy(n, tails, heads, w, np.column_stack([w, np.ones_like(w)]))
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for a, b, c in zip(tails.tolist(), heads.tolist(), w.tolist(), strict=True):
        if not g.has_edge(a, b) or g[a][b]["weight"] > c:
            g.add_edge(a, b, weight=c)
    rng = np.random.default_rng(seed + 10)
    for s, t in rng.integers(0, n, (150, 2)):
        got = h.query(int(s), int(t))
        try:
            want = nx.dijkstra_path_length(g, int(s), int(t))
        except nx.NetworkXNoPath:
            assert got is None
            continue
        assert got is not None
        assert got.cost == pytest.approx(want, rel=1e-9)
        # the unpacked path is a real chain of original edges from s to t costing the same
        edges = list(got.edges)
        if s != t:
            assert tails[edges[0]] == s and heads[edges[-1]] == t
            assert all(heads[a] == tails[b] for a, b in zip(edges[:-1], edges[1:], strict=True))
        assert float(w[edges].sum()) == pytest.approx(want, rel=1e-9)
        assert got.aux[0] == pytest.approx(want, rel=1e-9)
        assert got.aux[1] == len(edges)


def test_many_to_many_equals_networkx_and_carries_aux():
    tails, heads, w = random_graph(225, 7)
    n = 225
    length = w * 1.5
    h = build_hierarchy(n, tails, heads, w, np.column_stack([length]))
    g = nx.DiGraph()
    for a, b, c, ln in zip(tails.tolist(), heads.tolist(), w.tolist(), length.tolist(), strict=True):
        g.add_edge(a, b, weight=c, length=ln)
    sources, targets = [0, 17, 100, 224, 17], [3, 50, 224, 0]
    cost, aux = h.many_to_many(sources, targets)
    for i, s in enumerate(sources):
        lengths = nx.single_source_dijkstra_path_length(g, s)
        for j, t in enumerate(targets):
            if t not in lengths:
                assert np.isinf(cost[i, j]) and np.isnan(aux[i, j, 0])
                continue
            assert cost[i, j] == pytest.approx(lengths[t], rel=1e-9)
            assert aux[i, j, 0] == pytest.approx(1.5 * lengths[t], rel=1e-9)
            assert h.query(s, t).cost == pytest.approx(cost[i, j], rel=1e-12)


def test_stored_hierarchy_answers_the_same():
    tails, heads, w = random_graph(144, 4)
    h = build_hierarchy(144, tails, heads, w)
    again = Hierarchy.from_bytes(h.to_bytes())
    for s, t in [(0, 143), (5, 77), (143, 0)]:
        a, b = h.query(s, t), again.query(s, t)
        assert (a is None) == (b is None)
        if a is not None:
            assert a.cost == b.cost and a.edges == b.edges


def test_parallel_edges_keep_the_cheapest_and_bad_costs_are_refused():
    h = build_hierarchy(3, [0, 0, 1], [1, 1, 2], [10.0, 4.0, 1.0])
    found = h.query(0, 2)
    assert found.cost == 5.0 and found.edges == (1, 2)
    assert h.query(2, 0) is None
    with pytest.raises(ValueError):
        build_hierarchy(2, [0], [1], [0.0])
