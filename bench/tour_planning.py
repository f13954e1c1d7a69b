"""Benchmark: planning a bicycle tour on the demo with 100 candidate destinations and opening hours.

Setup (once, not timed): a fresh SQLite database with the demo (``kotacerdas.demo.load.load_demo``:
the generated Banyuwangi region network, its stored routing hierarchies, the ``banyuwangi`` system and the curated
destinations), topped up to ``--candidates`` (default 100) destinations with **generated** ones
(``bench-NNN``: a point within 400 m of a random junction of the network, a random category, visit
time and opening hours drawn from a list of OSM ``opening_hours`` values with weekday rules and
lunch breaks).

Timed: :func:`kotacerdas.bikes.services.tours.plan`, the call the API, the pages and the command
line make (snap every place, one many-to-many table of riding times, the end station from the
forecast, the orienteering search with time windows, up to two alternatives, every tour shaped with
geometry, elevation and instructions), for ``--runs`` requests with different start stations,
start times, budgets and interests. Every tour is checked: within the budget, every visit inside an
opening window of its place.

Baseline in the same run: the same many-to-many table of riding times with networkx (one Dijkstra
from each point over the same bicycle graph and costs), against the hierarchy's table.

Target (issue 12): 100 candidates with time windows in under 2 s.

Run: ``.venv/bin/python bench/tour_planning.py [--candidates 100] [--runs 6]``
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

from kotacerdas.bikes.destinations import CATEGORIES, Destination  # noqa: E402
from kotacerdas.bikes.opening_hours import parse_opening_hours  # noqa: E402
from kotacerdas.bikes.services import destinations as dest  # noqa: E402
from kotacerdas.bikes.services import tours  # noqa: E402
from kotacerdas.bikes.store.rows import get_system  # noqa: E402
from kotacerdas.core import accounts, migrate  # noqa: E402
from kotacerdas.core.db import make_engine, session_scope  # noqa: E402
from kotacerdas.network.graphs import city_router  # noqa: E402

HOURS = (
    "08:00-16:00",
    "Mo-Sa 09:00-17:00",
    "06:00-18:00",
    "24/7",
    "Tu-Su 08:00-12:00,13:00-16:00",
    "Mo-Fr 10:00-14:00; Sa,Su 08:00-17:00",
    "07:00-11:00",
    "15:00-21:00",
)
REQUESTS = (
    ("blambangan", "08:00", 240, {"beach": 3, "culture": 1}),
    ("kemiren", "07:30", 360, {"culture": 4, "culinary": 2}),
    ("masjid-agung", "09:00", 180, {"history": 3, "craft": 2}),
    ("cacalan", "13:00", 300, {"beach": 4, "viewpoint": 2}),
    ("blambangan", "06:30", 480, {}),
    ("kemiren", "10:00", 120, {"nature": 3, "culinary": 1}),
)
DAY = "2025-06-10"  # a Tuesday


def top_up(session, city_id: int, router, count: int, rng: np.random.Generator) -> int:
    """Generated destinations until the city has ``count`` active ones; returns how many were added."""
    have = len(dest.active(session, city_id))
    g = router.graph
    used = np.unique(np.concatenate([g.edge_from, g.edge_to]))
    added = 0
    while have + added < count:
        node = int(rng.choice(used))
        east, north = rng.uniform(-400, 400, 2)
        lon, lat = g.transformer.transform(g.x[node] + east, g.y[node] + north, direction="INVERSE")
        k = added + 1
        d = Destination(
            destination_id=f"bench-{k:03d}",
            name={"id": f"Tempat uji {k}", "en": f"Benchmark place {k}"},
            category=CATEGORIES[int(rng.integers(len(CATEGORIES)))],
            lon=float(lon),
            lat=float(lat),
            opening_hours=HOURS[int(rng.integers(len(HOURS)))],
            visit_minutes=int(rng.choice([20, 30, 45, 60])),
            fee=int(rng.choice([0, 5000, 10000])),
            source="bench (generated)",
            is_demo=True,
        )
        dest.store(session, city_id, d)
        added += 1
    return added


def check(plan: dict, body: dict, hours: dict[str, str | None]) -> int:
    """Every tour within the budget and the opening hours; returns the number of visits checked."""
    from datetime import date

    day = date.fromisoformat(body["date"])
    hh, mm = (int(x) for x in body["start_time"].split(":"))
    start, budget = hh * 60 + mm, body["budget_minutes"]
    visits = 0

    def minute(text: str) -> int:
        return int(text[:2]) * 60 + int(text[3:5])

    for tour in plan["tours"]:
        assert minute(tour["finish"]) <= start + budget, "a tour breaks the budget"
        for s in tour["stops"]:
            if s["kind"] != "destination":
                continue
            spec = hours.get(s["key"])
            if spec:
                windows = parse_opening_hours(spec).windows(day)
                a = minute(s["start"])
                b = a + s["visit_minutes"]
                assert any(lo <= a and b <= hi for lo, hi in windows), f"{s['key']} is closed then"
            visits += 1
    return visits


def on_network(router, lon: float, lat: float) -> bool:
    from kotacerdas.network.errors import NetworkError

    try:
        router.snap(lon, lat)
    except NetworkError:
        return False
    return True


def networkx_table(router, points: list[tuple[float, float]]) -> float:
    """Seconds to compute the same table with networkx Dijkstra from every point."""
    import networkx as nx

    g = router.graph
    graph = nx.DiGraph()
    for a, b, c in zip(g.edge_from.tolist(), g.edge_to.tolist(), router.costs.cost.tolist(), strict=True):
        if a != b and c < graph.get_edge_data(a, b, {"weight": float("inf")})["weight"]:
            graph.add_edge(a, b, weight=c)
    nodes = [s.node for s in router.snap_many([p[0] for p in points], [p[1] for p in points])]
    started = time.perf_counter()
    for n in nodes:
        lengths = nx.single_source_dijkstra_path_length(graph, n)
        _ = [lengths.get(m) for m in nodes]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--runs", type=int, default=6)
    args = parser.parse_args()
    rng = np.random.default_rng(35_10)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["KOTACERDAS_DATA_DIR"] = tmp
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        migrate.upgrade(engine)
        from kotacerdas.demo.load import load_demo

        started = time.perf_counter()
        with session_scope(engine, write=True) as s:
            load_demo(s)
        print(f"demo loaded in {time.perf_counter() - started:.0f} s (not timed below)")
        with session_scope(engine, write=True) as s:
            city = accounts.get_city(s, "35.10")
            router = city_router(s, city.id, "quiet")
            added = top_up(s, city.id, router, args.candidates, rng)
        with session_scope(engine) as s:
            system = get_system(s, "banyuwangi")
            places = dest.active(s, system.city_id)
            hours = {d.destination_id: d.opening_hours for d in places}
            print(f"{len(places)} candidate destinations ({added} generated), {len(REQUESTS)} kinds of request")
            tours.plan(s, system, _body(REQUESTS[0]))  # warm: the routers load from the database once
            times, visits = [], 0
            for k in range(args.runs):
                body = _body(REQUESTS[k % len(REQUESTS)])
                started = time.perf_counter()
                plan = tours.plan(s, system, body)
                times.append(time.perf_counter() - started)
                visits += check(plan, body, hours)
                best = plan["tours"][0]
                print(
                    f"  start {body['start']['station_id']:13s} {body['start_time']} "
                    f"budget {body['budget_minutes']:3d} min: {times[-1]:.2f} s, {len(plan['tours'])} tours, "
                    f"best {len(best['destinations'])} stops, "
                    f"{best['distance_m'] / 1000:.1f} km"
                )
            points = [(d.lon, d.lat) for d in places if on_network(router, d.lon, d.lat)]
            started = time.perf_counter()
            router.table(points)
            table_s = time.perf_counter() - started
            nx_s = networkx_table(router, points)
        engine.dispose()
    print(f"\ntour planning, {len(places)} candidates with opening hours, {args.runs} requests:")
    print(f"  median {statistics.median(times):.2f} s, max {max(times):.2f} s; {visits} visits checked, none broken")
    print(
        f"  the travel table ({len(points)} x {len(points)}): hierarchy {table_s * 1000:.0f} ms, networkx Dijkstra "
        f"{nx_s * 1000:.0f} ms (ratio {nx_s / table_s:.1f}x)"
    )
    print(f"  target (< 2 s for 100 candidates): {'PASS' if max(times) < 2.0 else 'FAIL'}")


def _body(spec) -> dict:
    station, start_time, budget, interests = spec
    return {
        "start": {"station_id": station},
        "date": DAY,
        "start_time": start_time,
        "budget_minutes": budget,
        "interests": interests,
    }


if __name__ == "__main__":
    main()
