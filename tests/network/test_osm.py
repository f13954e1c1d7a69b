"""Tests of the OpenStreetMap import: junction splitting, lengths, stable ids, bbox."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import osmium
import pytest
import shapely
from pyproj import Geod

from kotacerdas.network.errors import NetworkError
from kotacerdas.network.osm import ROAD_CLASSES, import_osm, read_osm

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "osm"


@pytest.fixture(scope="module")
def surabaya_osm() -> Path:
    path = SHARED / "surabaya-sukolilo-2013.osm"
    if not path.is_file():
        pytest.skip("../shared OSM extract not available")
    return path


@pytest.fixture(scope="module")
def kotka_pbf() -> Path:
    pyrosm = pytest.importorskip("pyrosm")
    return Path(pyrosm.get_data("test_pbf"))


def raw_road_ways(path: Path) -> dict[int, tuple[list[int], list[tuple[float, float] | None]]]:
    """Road ways read independently of the module: node refs and locations."""
    out = {}
    fp = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
    for obj in fp:
        if obj.is_way() and obj.tags.get("highway") in ROAD_CLASSES:
            refs = [n.ref for n in obj.nodes]
            locs = [(n.lon, n.lat) if n.location.valid() else None for n in obj.nodes]
            out[obj.id] = (refs, locs)
    return out


def write_osm(path: Path, nodes: dict[int, tuple[float, float]], ways: list[tuple[int, list[int], dict]]):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    for nid, (lon, lat) in nodes.items():
        lines.append(f' <node id="{nid}" version="1" lat="{lat}" lon="{lon}"/>')
    for wid, refs, tags in ways:
        lines.append(f' <way id="{wid}" version="1">')
        lines += [f'  <nd ref="{r}"/>' for r in refs]
        lines += [f'  <tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        lines.append(" </way>")
    lines.append("</osm>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# A plus-shaped toy network: way 1 runs west-east through node 3, way 2 north-south
# through node 3, way 3 (a footway) touches node 2, way 4 is a one-way street.
NODES = {
    1: (112.70, -7.30),
    2: (112.701, -7.30),
    3: (112.702, -7.30),
    4: (112.703, -7.30),
    5: (112.702, -7.299),
    6: (112.702, -7.301),
    7: (112.701, -7.299),
    8: (112.704, -7.30),
}
WAYS = [
    (1, [1, 2, 3, 4], {"highway": "residential", "name": "Jalan A", "lanes": "2", "surface": "asphalt"}),
    (2, [5, 3, 6], {"highway": "tertiary", "name": "Jalan B"}),
    (3, [2, 7], {"highway": "footway"}),
    (4, [4, 8], {"highway": "residential", "oneway": "-1"}),
]


def test_toy_network_splits_at_junctions_only(tmp_path):
    path = write_osm(tmp_path / "toy.osm", NODES, WAYS)
    segs = read_osm(path)
    ids = sorted(s.segment_id for s in segs)
    # node 2 is shared only with a footway, which is not a road: no split there
    assert ids == sorted(["w1:n1-n3", "w1:n3-n4", "w2:n5-n3", "w2:n3-n6", "w4:n4-n8"])
    a = next(s for s in segs if s.segment_id == "w1:n1-n3")
    assert a.node_ids == (1, 2, 3) and a.name == "Jalan A" and a.lanes == 2 and a.surface == "asphalt"
    assert a.oneway == 0 and a.motor_vehicle
    assert next(s for s in segs if s.osm_way_id == 4).oneway == -1
    # with bike paths the footway is not selected (no bicycle tag) -> same result
    assert sorted(s.segment_id for s in read_osm(path, include_bike_paths=True)) == ids


def test_width_tag_in_metres(tmp_path):
    widths = {1: "7", 2: "7,5 m", 4: "12'"}  # feet are not metres: left out
    ways = [(w, refs, {**tags, "width": widths[w]} if w in widths else tags) for w, refs, tags in WAYS]
    segs = read_osm(write_osm(tmp_path / "width.osm", NODES, ways))
    by_way = {s.osm_way_id: s.width_m for s in segs}
    assert by_way == {1: 7.0, 2: 7.5, 4: None}


def test_bike_path_included_on_request(tmp_path):
    ways = WAYS[:2] + [(3, [2, 7], {"highway": "cycleway"})]
    path = write_osm(tmp_path / "bike.osm", NODES, ways)
    assert not any(s.highway == "cycleway" for s in read_osm(path))
    segs = read_osm(path, include_bike_paths=True)
    cyc = [s for s in segs if s.highway == "cycleway"]
    assert len(cyc) == 1 and not cyc[0].motor_vehicle and cyc[0].bicycle
    assert "w1:n1-n2" in {s.segment_id for s in segs}  # now node 2 is a junction


def test_ids_stable_when_extract_changes(tmp_path):
    old = read_osm(write_osm(tmp_path / "old.osm", NODES, WAYS))
    nodes = dict(NODES)
    nodes[9] = (112.702, -7.298)
    ways = [w for w in WAYS if w[0] != 4] + [(5, [9, 5], {"highway": "service"})]
    new = read_osm(write_osm(tmp_path / "new.osm", nodes, ways))
    old_ids = {s.segment_id for s in old}
    new_ids = {s.segment_id for s in new}
    # node 5 was already a way end, so adding way 5 splits nothing; only way 4 left
    assert old_ids - new_ids == {"w4:n4-n8"}
    assert new_ids - old_ids == {"w5:n9-n5"}


def test_missing_node_locations_cut_the_way(tmp_path):
    path = write_osm(tmp_path / "clip.osm", {k: v for k, v in NODES.items() if k != 2}, WAYS[:1])
    res = import_osm(path)
    assert res.excluded == {"missing_node_location": 1}
    assert [s.segment_id for s in res.segments] == ["w1:n3-n4"]


def test_malformed_file_raises_network_error(tmp_path):
    bad = tmp_path / "bad.osm"
    bad.write_text("<osm><node id='1' lat='x'", encoding="utf-8")
    with pytest.raises(NetworkError) as err:
        read_osm(bad)
    assert "bad.osm" in str(err.value)
    with pytest.raises(NetworkError, match="does not exist"):
        read_osm(tmp_path / "missing.osm.pbf")
    with pytest.raises(NetworkError):
        read_osm(write_osm(tmp_path / "ok.osm", NODES, WAYS), bbox=(113, -7, 112, -8))


@pytest.mark.parametrize("which", ["surabaya", "kotka"])
def test_real_extract_junction_splitting_and_lengths(which, request):
    path = request.getfixturevalue("surabaya_osm" if which == "surabaya" else "kotka_pbf")
    segs = read_osm(path)
    raw = raw_road_ways(path)
    assert len(segs) > 100
    # node use count among road ways (each occurrence)
    uses = Counter(r for refs, _ in raw.values() for r in refs)
    ends = Counter()
    for refs, _ in raw.values():
        ends[refs[0]] += 1
        ends[refs[-1]] += 1
    for s in segs:
        for n in s.node_ids[1:-1]:
            assert uses[n] == 1, f"{s.segment_id} runs through junction {n}"
        for n in (s.from_node, s.to_node):
            refs, locs = raw[s.osm_way_id]
            i = refs.index(n)
            gap_next = any(locs[j] is None for j in (i - 1, i + 1) if 0 <= j < len(refs))
            assert uses[n] > 1 or ends[n] > 0 or gap_next
    # lengths: segments of a fully located way add up to the way's geodesic length
    geod = Geod(ellps="WGS84")
    per_way = Counter()
    for s in segs:
        per_way[s.osm_way_id] += s.length_m
    checked = 0
    for wid, (_, locs) in raw.items():
        if any(loc is None for loc in locs):
            continue
        lon, lat = np.array(locs).T
        assert per_way[wid] == pytest.approx(geod.line_length(lon, lat), rel=1e-9, abs=1e-6)
        checked += 1
    assert checked > 50


def test_real_extract_ids_stable_and_unique(surabaya_osm):
    a, b = read_osm(surabaya_osm), read_osm(surabaya_osm)
    assert [s.segment_id for s in a] == [s.segment_id for s in b]
    assert len({s.segment_id for s in a}) == len(a)
    assert all(s.geometry.equals(t.geometry) for s, t in zip(a, b, strict=True))


def test_bbox_filter(surabaya_osm):
    full = read_osm(surabaya_osm)
    bbox = (112.775, -7.300, 112.782, -7.293)
    part = import_osm(surabaya_osm, bbox=bbox)
    box = shapely.box(*bbox)
    expect = {s.segment_id for s in full if s.geometry.intersects(box)}
    assert {s.segment_id for s in part.segments} == expect
    assert 0 < len(expect) < len(full)
    assert part.excluded["outside_bbox"] == len(full) - len(expect)


def test_every_message_has_an_indonesian_translation():
    import ast
    import re

    from kotacerdas.core.i18n import catalogue

    cat = catalogue("id")
    src = Path(__file__).resolve().parents[2] / "src" / "kotacerdas" / "network"
    for f in sorted(src.glob("*.py")):
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_":
                msg = node.args[0].value
                assert msg in cat, f"{f.name}: {msg}"
                assert set(re.findall(r"\{(\w+)\}", msg)) == set(re.findall(r"\{(\w+)\}", cat[msg]))
