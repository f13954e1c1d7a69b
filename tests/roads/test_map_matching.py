"""HMM map matching: parallel one-way roads, a simulated drive, breaks, outputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely

from kotacerdas.network.graph import build_graph
from kotacerdas.network.osm import read_osm
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.map_matching import MapMatcher, nearest_segment_match

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "osm"
M_LAT = 1 / 110_600.0  # degrees of latitude per metre near 7 S
M_LON = 1 / 110_400.0


def write_osm(path: Path, nodes: dict, ways: list) -> Path:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    out += [f' <node id="{k}" version="1" lat="{la}" lon="{lo}"/>' for k, (lo, la) in nodes.items()]
    for wid, refs, tags in ways:
        out.append(f' <way id="{wid}" version="1">')
        out += [f'  <nd ref="{r}"/>' for r in refs]
        out += [f'  <tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        out.append(" </way>")
    out.append("</osm>")
    path.write_text("\n".join(out), encoding="utf-8")
    return path


@pytest.fixture
def dual_carriageway(tmp_path):
    """Two one-way carriageways 12 m apart, 600 m long, joined at both ends."""
    lon0, lat0 = 112.78, -7.30
    nodes = {
        1: (lon0, lat0),
        2: (lon0 + 600 * M_LON, lat0),
        3: (lon0 + 600 * M_LON, lat0 + 12 * M_LAT),
        4: (lon0, lat0 + 12 * M_LAT),
    }
    ways = [
        (10, [1, 2], {"highway": "primary", "oneway": "yes", "name": "eastbound"}),
        (11, [3, 4], {"highway": "primary", "oneway": "yes", "name": "westbound"}),
        (12, [2, 3], {"highway": "primary_link"}),
        (13, [4, 1], {"highway": "primary_link"}),
    ]
    return build_graph(read_osm(write_osm(tmp_path / "dual.osm", nodes, ways))), lon0, lat0


def test_parallel_one_way_roads_hmm_beats_nearest(dual_carriageway):
    graph, lon0, lat0 = dual_carriageway
    rng = np.random.default_rng(0)
    x = np.arange(30, 570, 10.0)  # eastbound at 10 m/s
    y = 7.5 + rng.normal(0, 1.0, x.size)  # fixes drift towards the other carriageway
    lon, lat = lon0 + x * M_LON, lat0 + y * M_LAT
    matcher = MapMatcher(graph, sigma_m=10.0)
    east = graph.segment_index["w10:n1-n2"]
    naive = nearest_segment_match(matcher, lon, lat)
    assert (naive == east).mean() < 0.2  # nearest is the wrong carriageway
    res = matcher.match(lon, lat)
    assert (res.segment_index == east).mean() == 1.0
    assert [d.segment_id for d in res.driven] == ["w10:n1-n2"] and res.driven[0].forward is True
    # the same fixes driven westwards belong to the other carriageway
    back = matcher.match(lon[::-1], lat[::-1])
    assert (back.segment_index == graph.segment_index["w11:n3-n4"]).mean() > 0.9


def test_outputs_are_consistent(dual_carriageway):
    graph, lon0, lat0 = dual_carriageway
    x = np.arange(0, 600, 15.0)
    lon, lat = lon0 + x * M_LON, lat0 + np.full(x.size, 2.0) * M_LAT
    res = MapMatcher(graph).match(lon, lat, t=np.arange(x.size, dtype=float))
    seg = graph.segments[graph.segment_index["w10:n1-n2"]]
    on = res.segment_index == graph.segment_index[seg.segment_id]
    assert on.mean() > 0.9
    np.testing.assert_allclose(res.offset_m[on], x[on], atol=1.5)
    np.testing.assert_allclose(res.distance_m[on], 2.0, atol=0.3)
    np.testing.assert_allclose(res.lat[on], lat0, atol=0.2 * M_LAT)
    assert np.all((res.offset_m[on] >= 0) & (res.offset_m[on] <= seg.length_m + 1e-6))


def test_dropout_off_network_restarts_the_chain(dual_carriageway):
    graph, lon0, lat0 = dual_carriageway
    x = np.array([50.0, 60, 70, 80, 90, 100, 110, 120])
    y = np.full(x.size, 1.0)
    y[3] = 500.0  # far from every road
    res = MapMatcher(graph).match(lon0 + x * M_LON, lat0 + y * M_LAT)
    assert res.segment_index[3] == -1 and res.segment_id[3] is None
    assert res.chain_start[0] and res.chain_start[4] and res.chain_start.sum() == 2
    assert res.matched_fraction == pytest.approx(7 / 8)


def test_bad_input_refused(dual_carriageway):
    graph, lon0, lat0 = dual_carriageway
    m = MapMatcher(graph)
    with pytest.raises(RoadsError):
        m.match(np.array([lon0, lon0]), np.array([lat0]))
    with pytest.raises(RoadsError):
        m.match(np.array([lon0, np.nan]), np.array([lat0, lat0]))
    with pytest.raises(RoadsError):
        m.match(np.array([lon0, lon0]), np.array([lat0, lat0]), t=np.array([5.0, 5.0]))
    assert len(m.match(np.array([]), np.array([]))) == 0


@pytest.fixture(scope="module")
def real_graph():
    path = SHARED / "surabaya-sukolilo-2013.osm"
    if not path.is_file():
        pyrosm = pytest.importorskip("pyrosm")
        path = Path(pyrosm.get_data("test_pbf"))
    return build_graph(read_osm(path))


def simulated_drive(graph, matcher, rng, noise):
    while True:
        a, b = (int(v) for v in rng.choice(graph.node_ids, size=2, replace=False))
        route = graph.shortest_path(a, b)
        if route is not None and route.length_m > 1000:
            break
    tree_of = {int(k): i for i, k in enumerate(matcher.seg_ids)}
    parts, segs = [], []
    for sid, fwd in route.segments:
        k = graph.segment_index[sid]
        xy = shapely.get_coordinates(matcher.proj[tree_of[k]])
        parts.append(xy if fwd else xy[::-1])
        segs.append(k)
    lengths = np.array([np.hypot(*np.diff(p, axis=0).T).sum() for p in parts])
    starts = np.concatenate([[0.0], np.cumsum(lengths)])
    s = np.arange(0.0, starts[-1], 11.0)  # 40 km/h at 1 Hz
    truth = np.array(segs)[np.searchsorted(starts, s, side="right") - 1]
    xy = shapely.get_coordinates(shapely.line_interpolate_point(shapely.linestrings(np.vstack(parts)), s))
    xy = xy + rng.normal(0, noise, xy.shape)
    lon, lat = graph.transformer.transform(xy[:, 0], xy[:, 1], direction="INVERSE")
    return lon, lat, truth, set(segs)


def test_simulated_drive_accuracy(real_graph):
    matcher = MapMatcher(real_graph)
    rng = np.random.default_rng(11)
    right = right_naive = total = 0
    recall = []
    for _ in range(4):
        lon, lat, truth, route = simulated_drive(real_graph, matcher, rng, 8.0)
        res = matcher.match(lon, lat)
        right += int((res.segment_index == truth).sum())
        right_naive += int((nearest_segment_match(matcher, lon, lat) == truth).sum())
        total += truth.size
        driven = {real_graph.segment_index[d.segment_id] for d in res.driven}
        recall.append(len(driven & route) / len(route))
    assert right / total > 0.93
    assert right / total > right_naive / total + 0.05
    assert np.mean(recall) > 0.9


def test_stop_with_jitter_moves_forward_only(dual_carriageway):
    """A car stops for 20 s mid-road; its matched offsets never run backwards."""
    graph, lon0, lat0 = dual_carriageway
    rng = np.random.default_rng(3)
    x = np.concatenate([np.arange(40, 300, 10.0), np.full(20, 300.0), np.arange(310, 560, 10.0)])
    t = np.arange(x.size, dtype=float)
    lon = lon0 + (x + rng.normal(0, 6.0, x.size)) * M_LON
    lat = lat0 + rng.normal(0, 6.0, x.size) * M_LAT
    res = MapMatcher(graph, sigma_m=6.0).match(lon, lat, t)
    east = graph.segment_index["w10:n1-n2"]
    assert (res.segment_index == east).all()
    assert (np.diff(res.offset_m) >= -1e-9).all()
    stopped = slice(27, 45)  # the 20 s stop less the first and last fix
    assert np.abs(res.offset_m[stopped] - 300.0).max() < 6.0


def test_sigma_estimate_and_accuracy_at_10_m(real_graph):
    matcher = MapMatcher(real_graph)
    rng = np.random.default_rng(5)
    right = total = 0
    sigmas = []
    for _ in range(4):
        lon, lat, truth, _ = simulated_drive(real_graph, matcher, rng, 10.0)
        res = matcher.match(lon, lat, np.arange(lon.size, dtype=float))
        sigmas.append(res.sigma_m)
        right += int((res.segment_index == truth).sum())
        total += truth.size
    assert 8.5 < np.mean(sigmas) < 11.5  # estimated from the raw fixes' misfit to the path
    assert right / total > 0.95


def varied_speed_drive(graph, matcher, rng, noise, speed_sd):
    """A drive over a route of > 1 km at 1 Hz whose speed switches between 5 and 16 m/s
    every 8 s (smoothed), with noisy fixes and noisy Doppler speeds (5 % missing)."""
    while True:
        a, b = (int(v) for v in rng.choice(graph.node_ids, size=2, replace=False))
        route = graph.shortest_path(a, b)
        if route is not None and route.length_m > 1000:
            break
    tree_of = {int(k): i for i, k in enumerate(matcher.seg_ids)}
    parts, segs = [], []
    for sid, fwd in route.segments:
        k = graph.segment_index[sid]
        xy = shapely.get_coordinates(matcher.proj[tree_of[k]])
        parts.append(xy if fwd else xy[::-1])
        segs.append(k)
    lengths = np.array([np.hypot(*np.diff(p, axis=0).T).sum() for p in parts])
    starts = np.concatenate([[0.0], np.cumsum(lengths)])
    v = np.repeat(np.tile([5.0, 16.0], 40), 8)
    v = np.convolve(v, np.ones(3) / 3, mode="same")[1:]
    s = np.concatenate([[0.0], np.cumsum(v)])
    keep = s < starts[-1]
    s = s[keep]
    true_v = 0.5 * (v[: s.size] + np.concatenate([[v[0]], v[: s.size - 1]]))
    truth = np.array(segs)[np.searchsorted(starts, s, side="right") - 1]
    xy = shapely.get_coordinates(shapely.line_interpolate_point(shapely.linestrings(np.vstack(parts)), s))
    xy = xy + rng.normal(0, noise, xy.shape)
    lon, lat = graph.transformer.transform(xy[:, 0], xy[:, 1], direction="INVERSE")
    speed = true_v + rng.normal(0, speed_sd, s.size)
    speed[rng.random(s.size) < 0.05] = np.nan
    return lon, lat, np.arange(s.size, dtype=float), speed, truth


def test_doppler_speed_improves_junction_side(real_graph):
    """With Doppler speeds the matcher places clearly more fixes on the right side of
    junctions than from positions alone, on the same drives and fixes."""
    matcher = MapMatcher(real_graph)
    rng = np.random.default_rng(21)
    right_pos = right_speed = total = 0
    for _ in range(6):
        lon, lat, t, speed, truth = varied_speed_drive(real_graph, matcher, rng, 10.0, 0.5)
        right_pos += int((matcher.match(lon, lat, t).segment_index == truth).sum())
        right_speed += int((matcher.match(lon, lat, t, speed).segment_index == truth).sum())
        total += truth.size
    assert right_speed / total > 0.955
    assert right_speed / total > right_pos / total + 0.02


def test_speed_absent_or_unknown_changes_nothing(dual_carriageway):
    graph, lon0, lat0 = dual_carriageway
    rng = np.random.default_rng(4)
    x = np.arange(20, 580, 10.0)
    lon = lon0 + (x + rng.normal(0, 5.0, x.size)) * M_LON
    lat = lat0 + rng.normal(0, 5.0, x.size) * M_LAT
    t = np.arange(x.size, dtype=float)
    m = MapMatcher(graph)
    plain = m.match(lon, lat, t)
    unknown = m.match(lon, lat, t, np.full(x.size, np.nan))
    np.testing.assert_array_equal(plain.offset_m, unknown.offset_m)
    with_speed = m.match(lon, lat, t, np.full(x.size, 10.0))
    east = graph.segment_index["w10:n1-n2"]
    assert (with_speed.segment_index == east).all()
    # the true offsets are x: the speed-aided estimate is closer than positions alone
    assert np.abs(with_speed.offset_m - x).mean() < np.abs(plain.offset_m - x).mean()
    with pytest.raises(RoadsError):
        m.match(lon, lat, t, np.ones(3))
