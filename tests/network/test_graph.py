"""Tests of the routable road graph against networkx on real extracts."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from kotacerdas.network.errors import NetworkError
from kotacerdas.network.graph import build_graph
from kotacerdas.network.osm import RoadSegment, read_osm

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "osm"


@pytest.fixture(scope="module", params=["surabaya", "kotka"])
def segments(request) -> list[RoadSegment]:
    if request.param == "surabaya":
        path = SHARED / "surabaya-sukolilo-2013.osm"
        if not path.is_file():
            pytest.skip("../shared OSM extract not available")
    else:
        pyrosm = pytest.importorskip("pyrosm")
        path = Path(pyrosm.get_data("test_pbf"))
    return read_osm(path)


def test_edges_respect_oneway(segments):
    g = build_graph(segments)
    by_id = {s.segment_id: s for s in segments}
    pairs = {
        (by_id[g.segments[k].segment_id].segment_id, bool(f))
        for k, f in zip(g.edge_segment, g.edge_forward, strict=True)
    }
    for s in segments:
        if s.from_node == s.to_node:
            continue
        assert ((s.segment_id, True) in pairs) == (s.oneway >= 0)
        assert ((s.segment_id, False) in pairs) == (s.oneway <= 0)


@pytest.mark.parametrize("weight,attr", [("length", "length"), ("time", "travel_time")])
def test_distances_match_networkx(segments, weight, attr):
    g = build_graph(segments)
    nxg = g.to_networkx()
    rng = np.random.default_rng(7)
    src = rng.choice(g.node_ids, size=8, replace=False)
    tgt = rng.choice(g.node_ids, size=30, replace=False)
    mine = g.distance_matrix(src, tgt, weight=weight)
    reachable = 0
    for i, s in enumerate(src):
        ref = nx.single_source_dijkstra_path_length(nxg, int(s), weight=attr)
        for j, t in enumerate(tgt):
            if int(t) in ref:
                assert mine[i, j] == pytest.approx(ref[int(t)], rel=1e-9, abs=1e-6)
                reachable += 1
            else:
                assert np.isinf(mine[i, j])
    assert reachable > 0


def test_shortest_path_route_is_consistent(segments):
    g = build_graph(segments)
    nxg = g.to_networkx()
    rng = np.random.default_rng(3)
    found = 0
    for _ in range(20):
        s, t = (int(v) for v in rng.choice(g.node_ids, size=2, replace=False))
        route = g.shortest_path(s, t)
        if route is None:
            assert not nx.has_path(nxg, s, t)
            continue
        found += 1
        assert route.nodes[0] == s and route.nodes[-1] == t
        assert route.length_m == pytest.approx(nx.dijkstra_path_length(nxg, s, t, weight="length"))
        by_id = {x.segment_id: x for x in segments}
        total = sum(by_id[sid].length_m for sid, _ in route.segments)
        assert total == pytest.approx(route.length_m)
        for (sid, fwd), a, b in zip(route.segments, route.nodes[:-1], route.nodes[1:], strict=True):
            seg = by_id[sid]
            assert (seg.from_node, seg.to_node) == ((a, b) if fwd else (b, a))
    assert found >= 5


def test_nearest_node(segments):
    g = build_graph(segments)
    i = g.n_nodes // 2
    assert g.nearest_node(g.lon[i] + 1e-6, g.lat[i]) == g.node_ids[i]
    ids, d = g.nearest_nodes(g.lon[:5], g.lat[:5])
    assert list(ids) == list(g.node_ids[:5]) and np.all(d < 1e-3)


def test_unknown_node_raises(segments):
    g = build_graph(segments)
    with pytest.raises(NetworkError, match="not a junction"):
        g.shortest_path(-1, int(g.node_ids[0]))
    with pytest.raises(NetworkError):
        build_graph(segments, mode="boat")


def test_bike_mode_excludes_motorways(segments):
    g = build_graph(segments, mode="bike")
    hw = {g.segments[k].highway for k in g.edge_segment}
    assert not hw & {"motorway", "motorway_link", "trunk"}
    assert np.all(g.edge_time >= g.edge_length / (15 / 3.6) - 1e-9)
