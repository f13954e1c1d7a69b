"""Bicycle routing: profiles choose different routes, costs equal networkx Dijkstra, routes carry what riders need."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from kotacerdas.network.demo import demo_osm_xml
from kotacerdas.network.errors import NetworkError
from kotacerdas.network.graph import build_graph
from kotacerdas.network.osm import import_osm
from kotacerdas.network.profiles import PROFILES, edge_costs, travel_time_s
from kotacerdas.network.routing import MAX_SNAP_M, build_router
from tests.network.bikenet import LAT0, LON0, STEP, write_bikenet


@pytest.fixture(scope="module")
def ladder(tmp_path_factory):
    path = write_bikenet(tmp_path_factory.mktemp("bike") / "ladder.osm")
    return build_graph(import_osm(path, include_tracks=True, include_bike_paths=True).segments, mode="bike")


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    path = tmp_path_factory.mktemp("region") / "region.osm"
    path.write_bytes(demo_osm_xml())
    return build_graph(import_osm(path, include_tracks=True, include_bike_paths=True).segments, mode="bike")


def node(graph, osm_id):
    return graph.node_index(osm_id)


def test_quiet_takes_the_quiet_street_fast_the_main_road(ladder):
    a, b = node(ladder, 10), node(ladder, 15)
    fast = build_router(ladder, "fast").route_nodes(a, b)
    quiet = build_router(ladder, "quiet").route_nodes(a, b)
    assert set(fast.road_types) == {"primary"}
    assert "primary" not in quiet.road_types and quiet.road_types.get("residential", 0) > 0.5
    assert quiet.distance_m > fast.distance_m
    # the quiet route rides Jl. Sepi eastwards against its one-way rule, on the contraflow lane
    assert any(i.way == "Jl. Sepi" for i in quiet.instructions)


def test_steps_are_pushed_and_ferries_wait(ladder):
    router = build_router(ladder, "fast")
    route = router.route_nodes(node(ladder, 24), node(ladder, 31))
    kinds = [i.kind for i in route.instructions]
    assert "steps" in kinds and "ferry" in kinds
    # pushing up steps and the ferry's wait make it far slower than riding the same distance
    assert route.duration_s > route.distance_m / (15 / 3.6) + 900
    assert route.instructions[-1].kind == "arrive"
    steps = next(i for i in route.instructions if i.kind == "steps")
    assert steps.text["id"].startswith("Tuntun sepeda") and steps.text["en"].startswith("Push your bicycle")


def test_no_route_over_ways_closed_to_bicycles(ladder):
    router = build_router(ladder, "shortest")
    private_end = node(ladder, 40)
    assert router.route_nodes(node(ladder, 10), private_end) is None
    route = router.route_nodes(node(ladder, 11), node(ladder, 21))  # the bicycle=no rung is not taken
    assert route.distance_m > 120


def test_points_far_outside_the_network_are_refused(ladder):
    router = build_router(ladder, "quiet")
    with pytest.raises(NetworkError) as err:
        router.route((LON0, LAT0), (LON0 + 0.2, LAT0))
    assert err.value.params["distance_m"] > MAX_SNAP_M
    assert "km" in err.value.render("en") and "km" in err.value.render("id")
    # the private lane's end is no junction of the bicycle network: the point snaps to the nearest one
    route = router.route((LON0, LAT0), (LON0 + 2.5 * STEP, LAT0 - STEP))
    assert route.snapped_m[1] > 90


@pytest.mark.parametrize("profile", PROFILES)
def test_route_costs_equal_networkx_dijkstra_on_random_pairs(region, profile):
    router = build_router(region, profile)
    costs = edge_costs(region.segments, region.edge_segment, region.edge_forward, profile)
    g = nx.DiGraph()
    for e in range(region.edge_from.size):
        a, b, c = int(region.edge_from[e]), int(region.edge_to[e]), float(costs.cost[e])
        if a != b and (not g.has_edge(a, b) or g[a][b]["weight"] > c):
            g.add_edge(a, b, weight=c)
    rng = np.random.default_rng(12)
    nodes = sorted(g.nodes)
    checked = 0
    for s, t in rng.choice(nodes, (80, 2)):
        found = router.hierarchy.query(int(s), int(t))
        try:
            want = nx.dijkstra_path_length(g, int(s), int(t))
        except nx.NetworkXNoPath:
            assert found is None
            continue
        assert found.cost == pytest.approx(want, rel=1e-9, abs=1e-9)
        checked += 1
    assert checked > 40


def test_route_fields_and_table_agree(region):
    router = build_router(region, "quiet")
    town, kemiren, boom = (114.3689, -8.2192), (114.3377, -8.1856), (114.3826, -8.2037)
    route = router.route(town, kemiren, speed_kmh=12)
    data = route.as_dict()
    assert data["geometry"]["type"] == "LineString" and len(data["geometry"]["coordinates"]) > 3
    assert data["distance_m"] > 3000 and data["instructions"][0]["kind"] == "depart"
    assert sum(route.road_types.values()) == pytest.approx(1.0) and sum(route.surfaces.values()) == pytest.approx(1.0)
    assert {"id", "en"} <= set(data["instructions"][0]["text"])
    slower = router.route(town, kemiren, speed_kmh=10)
    assert slower.distance_m == route.distance_m and slower.duration_s > route.duration_s
    table = router.table([town, kemiren, boom], speed_kmh=12)
    assert table.duration_s[0, 1] == pytest.approx(route.duration_s, rel=1e-9)
    assert table.distance_m[0, 1] == pytest.approx(route.distance_m, rel=1e-9)
    assert table.duration_s[1, 1] == 0.0
    assert travel_time_s(1000.0, 0.0, 18.0) == pytest.approx(200.0)
    with pytest.raises(NetworkError):
        router.route(town, kemiren, speed_kmh=80)


def test_the_stretch_off_the_network_is_ridden_in_routes_and_tables(region):
    """Two places beside one junction are the sum of their off-network stretches apart at the riding speed, not
    0 minutes; a route's distance and time include both ends' stretches."""
    router = build_router(region, "quiet")
    g = region
    junction = int(router.snap(114.3689, -8.2192).node)

    def beside(east: float, north: float) -> tuple[float, float]:
        lon, lat = g.transformer.transform(g.x[junction] + east, g.y[junction] + north, direction="INVERSE")
        return float(lon), float(lat)

    a, b = beside(30.0, 0.0), beside(0.0, -40.0)
    snaps = router.snap_many([a[0], b[0]], [a[1], b[1]])
    assert [s.node for s in snaps] == [junction, junction]
    table = router.table([a, b], speed_kmh=12)
    off = snaps[0].distance_m + snaps[1].distance_m
    assert off == pytest.approx(70.0, abs=0.5)
    assert table.distance_m[0, 1] == pytest.approx(off) and table.duration_s[0, 1] == pytest.approx(off / (12 / 3.6))
    assert table.duration_s[0, 0] == 0.0
    far = (114.3377, -8.1856)
    on_network = router.route_nodes(junction, router.snap(*far).node, speed_kmh=12)
    route = router.route(a, far, speed_kmh=12)
    stretch = route.snapped_m[0] + route.snapped_m[1]
    assert stretch > 29.0
    assert route.distance_m == pytest.approx(on_network.distance_m + stretch)
    assert route.duration_s == pytest.approx(on_network.duration_s + stretch / (12 / 3.6))
