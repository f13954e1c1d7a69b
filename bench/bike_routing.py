"""Benchmark: bicycle routing with contraction hierarchies against networkx Dijkstra and pgRouting, same graph.

Networks:

* a **generated** town of ``--side`` x ``--side`` junctions (default 180: about 58,000 road segments,
  112,000 directed edges), written as OpenStreetMap XML by :func:`town_osm` (junctions jittered by
  up to 30 % of the 150 m block, a tenth of the blocks' sides missing, half of the streets bent by
  a shape node, primary, secondary and tertiary roads every 30, 10 and 5 blocks, residential streets
  between, some one-way; a few cycleways, shared footways and gravel tracks; asphalt, concrete,
  paving stones and unpaved surfaces) and read through the import's own reader. A perfect grid of
  equal blocks is the worst case of contraction hierarchies (every pair of junctions has many
  shortest paths of the same cost); streets of real towns are not like that;
* every real extract in ``../shared/data/osm`` (``*.osm``), when present (skipped when absent).

For each network: the bicycle graph (``mode="bike"``) and its ``quiet`` profile costs, the
contraction hierarchy built once (the preprocessing time is printed, and the stored size), then

* **point-to-point**: the median over random pairs of junctions of ``Hierarchy.query`` (cost and
  the unpacked path), and of ``BikeRouter.route_nodes`` (the answer the API gives: geometry,
  elevation, shares of road types and surfaces, turn-by-turn instructions); baseline: networkx
  ``dijkstra_path`` on a ``DiGraph`` of the same edges and costs (the cheapest of parallel edges);
* **exactness**: on ``--exact`` random pairs the hierarchy's cost equals networkx's to rounding
  (relative 1e-9); pairs without a path must agree too;
* **many-to-many**: a 101 x 101 table (the tour planner's one call) against scipy's compiled
  Dijkstra from the same 101 sources over the whole graph;
* **pgRouting**: when ``KOTACERDAS_TEST_PG_URL`` is set and the ``pgrouting`` extension can be
  created, ``pgr_dijkstra`` on the same edges in a schema of its own (dropped afterwards), with its
  costs checked against the hierarchy's.

Targets (issue 12): median point-to-point query <= 5 ms on >= 100,000 edges, >= 20x faster than
networkx Dijkstra in the same run. One core (BLAS threads set to 1).

Run: ``.venv/bin/python bench/bike_routing.py [--side 180] [--pairs 400] [--nx-pairs 30] [--exact 200]
[--pg-pairs 15] [--no-real]``
"""

from __future__ import annotations

import argparse
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one core; set before numpy loads its BLAS
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kotacerdas.network.graph import build_graph  # noqa: E402
from kotacerdas.network.hierarchy import Hierarchy  # noqa: E402
from kotacerdas.network.osm import read_osm  # noqa: E402
from kotacerdas.network.routing import BikeRouter, build_router  # noqa: E402

REAL = ROOT.parent / "shared" / "data" / "osm"
PROFILE = "quiet"
REL_TOL = 1e-9


def town_osm(side: int, seed: int, spacing_m: float = 150.0) -> bytes:
    """A generated town's streets as OpenStreetMap XML (see the module docstring)."""
    rng = np.random.default_rng(seed)
    lon0, lat0 = 114.30, -8.30
    m_lon, m_lat = 1.0 / (111_320.0 * np.cos(np.radians(lat0))), 1.0 / 110_574.0
    lines = ["<?xml version='1.0' encoding='UTF-8'?>", "<osm version='0.6' generator='kotacerdas bench'>"]
    xy = {}
    for r in range(side):
        for c in range(side):
            dx, dy = rng.uniform(-0.3, 0.3, 2) * spacing_m
            xy[r * side + c + 1] = (c * spacing_m + dx, r * spacing_m + dy)
            x, y = xy[r * side + c + 1]
            lines.append(f"<node id='{r * side + c + 1}' lat='{lat0 + y * m_lat:.7f}' lon='{lon0 + x * m_lon:.7f}'/>")
    next_id = side * side + 1
    surfaces = ["asphalt"] * 14 + ["concrete"] * 3 + ["paving_stones", "unpaved"]

    def road_class(line: int) -> str:
        return "primary" if line % 30 == 0 else "secondary" if line % 10 == 0 else "tertiary" if line % 5 == 0 else ""

    way_id = 1
    for r in range(side):
        for c in range(side):
            for dr, dc, line in ((0, 1, r), (1, 0, c)):
                if r + dr >= side or c + dc >= side or rng.random() < 0.1:
                    continue
                a, b = r * side + c + 1, (r + dr) * side + c + dc + 1
                refs = [a, b]
                if rng.random() < 0.5:  # a bend: one shape node off the straight line
                    (ax, ay), (bx, by) = xy[a], xy[b]
                    off = rng.uniform(-0.2, 0.2) * spacing_m
                    mx, my = (ax + bx) / 2 + off * dr, (ay + by) / 2 + off * dc
                    lines.append(f"<node id='{next_id}' lat='{lat0 + my * m_lat:.7f}' lon='{lon0 + mx * m_lon:.7f}'/>")
                    refs = [a, next_id, b]
                    next_id += 1
                kind = road_class(line) or "residential"
                tags = {"highway": kind, "surface": surfaces[int(rng.integers(len(surfaces)))]}
                pick = rng.random()
                if kind == "residential" and pick < 0.03:
                    tags = {"highway": "cycleway", "surface": "asphalt"}
                elif kind == "residential" and pick < 0.05:
                    tags = {"highway": "footway", "bicycle": "yes", "surface": "paving_stones"}
                elif kind == "residential" and pick < 0.08:
                    tags = {"highway": "track", "surface": "gravel"}
                elif kind == "residential" and pick < 0.14:
                    tags["oneway"] = "yes"
                    if rng.random() < 0.5:
                        refs.reverse()
                lines.append(f"<way id='{way_id}'>" + "".join(f"<nd ref='{n}'/>" for n in refs))
                lines.extend(f"<tag k='{k}' v='{v}'/>" for k, v in tags.items())
                lines.append("</way>")
                way_id += 1
    lines.append("</osm>")
    return ("\n".join(lines) + "\n").encode()


def median_ms(fn, pairs) -> float:
    times = []
    for s, t in pairs:
        started = time.perf_counter()
        fn(int(s), int(t))
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000.0


def edges_of(router: BikeRouter) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = router.graph
    return np.asarray(g.edge_from), np.asarray(g.edge_to), np.asarray(router.costs.cost, dtype=float)


def to_networkx(n: int, tails, heads, costs):
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    best: dict[tuple[int, int], float] = {}
    for a, b, c in zip(tails.tolist(), heads.tolist(), costs.tolist(), strict=True):
        if a != b and c < best.get((a, b), float("inf")):
            best[(a, b)] = c
    graph.add_weighted_edges_from((a, b, c) for (a, b), c in best.items())
    return graph


def routable_pairs(router: BikeRouter, count: int, rng: np.random.Generator) -> np.ndarray:
    """Random pairs of junctions the bicycle graph uses (both ends on some edge)."""
    used = np.unique(np.concatenate(edges_of(router)[:2]))
    return rng.choice(used, size=(count, 2))


def exactness(router: BikeRouter, graph, pairs) -> tuple[int, int, float]:
    """(pairs checked, mismatches, largest relative difference) of hierarchy against networkx costs."""
    import networkx as nx

    bad, worst = 0, 0.0
    for s, t in pairs:
        got = router.hierarchy.query(int(s), int(t))
        try:
            want = nx.dijkstra_path_length(graph, int(s), int(t))
        except nx.NetworkXNoPath:
            bad += got is not None
            continue
        if got is None:
            bad += 1
            continue
        rel = abs(got.cost - want) / max(want, 1e-12)
        worst = max(worst, rel)
        bad += rel > REL_TOL
    return len(pairs), bad, worst


def table_vs_scipy(router: BikeRouter, rng: np.random.Generator) -> tuple[float, float, float]:
    """Seconds of a 101 x 101 hierarchy table, of scipy Dijkstra from the 101 sources, and their largest
    relative cost difference."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    tails, heads, costs = edges_of(router)
    n = router.graph.n_nodes
    nodes = routable_pairs(router, 101, rng)[:, 0]
    started = time.perf_counter()
    cost, _ = router.hierarchy.many_to_many(nodes.tolist(), nodes.tolist())
    ch_s = time.perf_counter() - started
    keep = tails != heads
    order = np.lexsort((costs[keep], heads[keep], tails[keep]))
    a, b, c = tails[keep][order], heads[keep][order], costs[keep][order]
    first = np.ones(a.size, dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])  # the cheapest of parallel edges
    matrix = csr_matrix((c[first], (a[first], b[first])), shape=(n, n))
    started = time.perf_counter()
    full = dijkstra(matrix, indices=nodes)
    sp_s = time.perf_counter() - started
    want = full[:, nodes]
    ok = np.isfinite(want)
    assert np.array_equal(ok, np.isfinite(cost)), "reachability differs between the table and scipy"
    rel = float(np.max(np.abs(cost[ok] - want[ok]) / np.maximum(want[ok], 1e-12))) if ok.any() else 0.0
    return ch_s, sp_s, rel


def pg_dijkstra(router: BikeRouter, pairs) -> dict | None:
    """Median ``pgr_dijkstra`` time on the same edges, and its cost agreement; ``None`` with the reason printed."""
    url = os.environ.get("KOTACERDAS_TEST_PG_URL")
    if not url:
        print("  pgRouting: skipped (KOTACERDAS_TEST_PG_URL is not set)")
        return None
    import psycopg

    schema = f"bench_routing_{os.getpid()}"
    conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    try:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"SET search_path TO {schema}, public")
        have = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'pgrouting'").fetchone()
        if not have:
            try:
                conn.execute(f"CREATE EXTENSION pgrouting SCHEMA {schema}")
            except psycopg.Error as exc:
                print(f"  pgRouting: skipped (CREATE EXTENSION pgrouting failed: {str(exc).strip()[:120]})")
                return None
        tails, heads, costs = edges_of(router)
        conn.execute("CREATE TABLE edges (id bigint PRIMARY KEY, source bigint, target bigint, cost float8)")
        with conn.cursor() as cur, cur.copy("COPY edges (id, source, target, cost) FROM STDIN") as copy:
            for k, (a, b, c) in enumerate(zip(tails.tolist(), heads.tolist(), costs.tolist(), strict=True)):
                copy.write_row((k + 1, a + 1, b + 1, c))
        conn.execute("ANALYZE edges")
        sql = (
            "SELECT coalesce(max(agg_cost) FILTER (WHERE edge = -1), 0) FROM pgr_dijkstra("
            "'SELECT id, source, target, cost FROM edges', %s::bigint, %s::bigint, directed => true)"
        )
        times, worst, bad = [], 0.0, 0
        for s, t in pairs:
            started = time.perf_counter()
            row = conn.execute(sql, (int(s) + 1, int(t) + 1)).fetchone()
            times.append(time.perf_counter() - started)
            got = router.hierarchy.query(int(s), int(t))
            if got is None or s == t:
                continue
            rel = abs(float(row[0]) - got.cost) / max(got.cost, 1e-12)
            worst = max(worst, rel)
            bad += rel > 1e-6
        return {"median_ms": statistics.median(times) * 1000.0, "worst_rel": worst, "mismatches": bad}
    finally:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.close()


def measure(name: str, router: BikeRouter, build_s: float, args, rng: np.random.Generator) -> dict:
    h = router.hierarchy
    tails, heads, costs = edges_of(router)
    stored = h.to_bytes()
    started = time.perf_counter()
    Hierarchy.from_bytes(stored)
    load_s = time.perf_counter() - started
    print(
        f"\n== {name}: {router.graph.n_nodes:,} junctions, {len(router.graph.segments):,} segments, "
        f"{tails.size:,} directed edges ({PROFILE} profile)"
    )
    print(
        f"  preprocessing: {build_s:.1f} s, {h.n_edges:,} hierarchy edges with shortcuts, stored "
        f"{len(stored) / 1e6:.1f} MB, loaded in {load_s * 1000:.0f} ms"
    )
    pairs = routable_pairs(router, args.pairs, rng)
    ch_ms = median_ms(h.query, pairs)
    full_ms = median_ms(lambda s, t: router.route_nodes(s, t), pairs[: max(50, args.pairs // 4)])
    started = time.perf_counter()
    graph = to_networkx(router.graph.n_nodes, tails, heads, costs)
    nx_build = time.perf_counter() - started
    import networkx as nx

    def nx_path(s: int, t: int) -> None:
        try:
            nx.dijkstra_path(graph, s, t)
        except nx.NetworkXNoPath:
            pass

    nx_ms = median_ms(nx_path, pairs[: args.nx_pairs])
    checked, bad, worst = exactness(router, graph, routable_pairs(router, args.exact, rng))
    ch_tab, sp_tab, tab_rel = table_vs_scipy(router, rng)
    print(f"  point-to-point, median of {len(pairs)} pairs: hierarchy {ch_ms:.3f} ms (cost and path)")
    print(f"    full route answer (geometry, elevation, shares, instructions): {full_ms:.3f} ms")
    print(f"    networkx dijkstra_path (graph built in {nx_build:.1f} s), {args.nx_pairs} pairs: {nx_ms:.1f} ms")
    print(f"    ratio networkx / hierarchy: {nx_ms / ch_ms:.0f}x; networkx / full answer: {nx_ms / full_ms:.0f}x")
    print(f"  exactness: {checked} random pairs, {bad} mismatches, largest relative difference {worst:.1e}")
    print(
        f"  many-to-many 101 x 101: hierarchy {ch_tab * 1000:.0f} ms, scipy Dijkstra from 101 sources "
        f"{sp_tab * 1000:.0f} ms (ratio {sp_tab / ch_tab:.1f}x), largest relative difference {tab_rel:.1e}"
    )
    pg = pg_dijkstra(router, pairs[: args.pg_pairs])
    if pg:
        print(
            f"  pgRouting pgr_dijkstra, {args.pg_pairs} pairs: median {pg['median_ms']:.1f} ms "
            f"(ratio pgRouting / hierarchy {pg['median_ms'] / ch_ms:.0f}x), cost mismatches {pg['mismatches']}, "
            f"largest relative difference {pg['worst_rel']:.1e}"
        )
    target = ch_ms <= 5.0 and nx_ms / ch_ms >= 20.0 and bad == 0
    if tails.size >= 100_000:
        print(f"  target (<= 5 ms, >= 20x networkx, exact): {'PASS' if target else 'FAIL'}")
    else:
        print(f"  target: not applicable (fewer than 100,000 edges); exact: {'yes' if bad == 0 else 'NO'}")
    return {"name": name, "ch_ms": ch_ms, "nx_ms": nx_ms, "mismatches": bad, "pass": target}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=180, help="junctions per side of the generated town")
    parser.add_argument("--pairs", type=int, default=400, help="random pairs timed on the hierarchy")
    parser.add_argument("--nx-pairs", type=int, default=30, help="of those, pairs timed with networkx")
    parser.add_argument("--exact", type=int, default=200, help="random pairs checked against networkx")
    parser.add_argument("--pg-pairs", type=int, default=15, help="pairs timed with pgRouting")
    parser.add_argument("--no-real", action="store_true", help="skip the real extracts in ../shared/data/osm")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "grid.osm"
        path.write_bytes(town_osm(args.side, args.seed))
        started = time.perf_counter()
        graph = build_graph(read_osm(path, include_tracks=True, include_bike_paths=True), mode="bike")
        read_s = time.perf_counter() - started
        started = time.perf_counter()
        router = build_router(graph, PROFILE)
        build_s = time.perf_counter() - started
    name = f"generated town {args.side}x{args.side}"
    print(f"{name}: read and graph built in {read_s:.1f} s")
    results.append(measure(name, router, build_s, args, rng))
    extracts = sorted(REAL.glob("*.osm")) if REAL.is_dir() and not args.no_real else []
    if not extracts and not args.no_real:
        print(f"\n(no real extract in {REAL.relative_to(ROOT.parent)}: skipped)")
    for extract in extracts:
        graph = build_graph(read_osm(extract, include_tracks=True, include_bike_paths=True), mode="bike")
        started = time.perf_counter()
        router = build_router(graph, PROFILE)
        results.append(measure(extract.stem, router, time.perf_counter() - started, args, rng))
    parts = [f"{r['name']}: {r['ch_ms']:.2f} ms, {r['nx_ms'] / r['ch_ms']:.0f}x" for r in results]
    print("\nsummary: " + "; ".join(parts))


if __name__ == "__main__":
    main()
