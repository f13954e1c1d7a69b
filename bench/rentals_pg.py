"""Rentals on PostgreSQL: rides started and ended per second by concurrent riders, with zero invariant violations.

A fresh schema gets a system of 40 stations (10 docks, 5 bikes each) and 400 riders with
money. Worker *processes* (each with its own engine and connection pool, as the workers of
an application server would have) run worker threads (one database connection each) that
loop: rent any bike at a random station, end the ride at another random station (a full
station answers 409 with the nearest station with space, where the rider then docks). A
refused rent (no bike left, or taken a moment earlier) counts as a conflict, not an error.
A ride's latency is the wall time from the rent request to the successful end (both
transactions, redirects included). Every rider belongs to one thread.

Each worker process also measures its own CPU time and that of its PostgreSQL server
processes (read from /proc when the database runs on the same machine), so the CPU cost of a
ride, and the rate the machine's cores can serve when nothing else runs, are printed even when
other jobs share the machine (the load average is printed first).

After each run :func:`kotacerdas.bikes.store.rows.check_invariants` recomputes from the rows:
every transaction's postings sum to zero, every stored wallet and debt equals the sum of
its postings (and the ledger replays through ``Ledger.check()``), one active rental per
bike and rider matching the bikes' status, and each station's dock count equals its bikes.

Runs: 1 process x 1 thread (baseline), 1 process x ``--threads`` threads, and ``--procs``
processes x ``--proc-threads`` threads each (default 2 x 4). Target (issue 4): >= 200 rentals started and
ended per second with zero invariant violations (and no errors).

Needs KOTACERDAS_TEST_PG_URL, or starts scripts/pg-test-cluster.sh.

Run: .venv/bin/python bench/rentals_pg.py [--quick] [--seconds S] [--threads 16] [--procs 2] [--proc-threads 4]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text

ROOT = Path(__file__).resolve().parents[1]
SYSTEM = "benchpg"
N_STATIONS = 40


def pg_url() -> str:
    url = os.environ.get("KOTACERDAS_TEST_PG_URL")
    if url:
        return url
    out = subprocess.run(
        ["bash", str(ROOT / "scripts" / "pg-test-cluster.sh"), "start"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def make_engine(url: str, schema: str, pool: int):
    from kotacerdas.core.db import make_engine as make

    return make(url, pool_size=pool, max_overflow=4, connect_args={"options": f"-csearch_path={schema},public"})


def setup(engine, n_stations: int = N_STATIONS, docks: int = 10, bikes_per: int = 5, riders: int = 400) -> list[int]:
    from kotacerdas.bikes.services import plans, stations, systems
    from kotacerdas.bikes.store.tables import BikeRider, BikeRow, BikeStation, BikeVehicleType
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope, utcnow
    from kotacerdas.core.models import User
    from kotacerdas.demo.areas import CITIES

    with session_scope(engine) as s:
        city = accounts.ensure_city(s, "35.10", CITIES["35.10"]["name"])
        system = systems.create_system(s, city, {"system_id": SYSTEM, "name": "Bench"})
        vt = BikeVehicleType(
            system_pk=system.id,
            vehicle_type_id="classic",
            name={"id": "Biasa"},
            default_pricing_plan_id="pay",
        )
        s.add(vt)
        plans.upsert_plan(
            s,
            system,
            {"plan_id": "pay", "name": "Pay", "unlock_fee": 3000, "per_minute": 250, "free_minutes": 30},
        )
        for i in range(n_stations):
            stations.upsert_station(
                s,
                system,
                {
                    "station_id": f"s{i:02d}",
                    "name": f"S{i}",
                    "lat": -8.21 + 0.002 * (i % 8),
                    "lon": 114.36 + 0.002 * (i // 8),
                    "capacity": docks,
                },
            )
        s.flush()
        stations = list(s.scalars(select(BikeStation).where(BikeStation.system_pk == system.id)))
        rows = []
        for st in stations:
            st.docked = bikes_per
            rows += [
                {
                    "city_id": city.id,
                    "system_pk": system.id,
                    "bike_id": f"{st.station_id}-{k}",
                    "vehicle_type_pk": vt.id,
                    "status": "available",
                    "station_pk": st.id,
                    "lat": st.geom.y,
                    "lon": st.geom.x,
                    "battery": None,
                    "last_reported": utcnow(),
                }
                for k in range(bikes_per)
            ]
        s.execute(insert(BikeRow), rows)
        s.execute(
            insert(User),
            [
                {
                    "username": f"bench.{i:04d}",
                    "full_name": "",
                    "password_hash": "x",
                    "is_active": True,
                    "is_superuser": False,
                    "created_at": utcnow(),
                }
                for i in range(riders)
            ],
        )
        users = list(s.scalars(select(User.id).where(User.username.like("bench.%")).order_by(User.id)))
        s.execute(
            insert(BikeRider),
            [
                {
                    "city_id": city.id,
                    "system_pk": system.id,
                    "rider_id": f"b-{u}",
                    "user_id": u,
                    "name": "",
                    "language": "id",
                    "wallet": 0,
                    "debt": 0,
                    "is_demo": True,
                    "created_at": utcnow(),
                }
                for u in users
            ],
        )
    from kotacerdas.bikes.services import payments

    for u in users:
        payments.credit(engine, SYSTEM, f"b-{u}", 10_000_000, idempotency_key=f"bench:{u}")
    return users


def ride_loop(engine, mine: list[int], seed: int, stop_at: float) -> tuple[dict[str, int], list[float]]:
    """One thread's riders ride until ``stop_at``: counts and the latency (s) of every completed ride."""
    from kotacerdas.bikes.errors import BikesError
    from kotacerdas.bikes.services import rentals
    from kotacerdas.core.errors import KotacerdasError

    rng = random.Random(seed)
    counts = {"rides": 0, "conflicts": 0, "redirects": 0, "errors": 0}
    latencies: list[float] = []
    k = 0
    while time.time() < stop_at:
        u = mine[k % len(mine)]
        k += 1
        t0 = time.perf_counter()
        try:
            rentals.rent(engine, SYSTEM, u, station_id=f"s{rng.randrange(N_STATIONS):02d}")
        except KotacerdasError:
            counts["conflicts"] += 1
            continue
        target = f"s{rng.randrange(N_STATIONS):02d}"
        for _attempt in range(10):  # a full station names the nearest one with space: ride on there
            try:
                rentals.end_rental(engine, SYSTEM, u, target)
                break
            except BikesError as exc:
                if exc.status != 409 or not exc.params.get("nearest"):
                    counts["errors"] += 1
                    break
                counts["redirects"] += 1
                target = exc.params["nearest"]
        else:
            counts["errors"] += 1
        latencies.append(time.perf_counter() - t0)
        counts["rides"] += 1
    return counts, latencies


def backend_cpu(pids) -> float | None:
    """CPU seconds used so far by these PostgreSQL server processes (``None`` if not readable here)."""
    total = 0
    try:
        for pid in pids:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    except OSError:
        return None
    return total / os.sysconf("SC_CLK_TCK")


def worker_process(url: str, schema: str, chunks: list[list[int]], seed: int, ready, go, out) -> None:
    """A server worker: its own engine and pool, one thread per chunk of riders."""
    from sqlalchemy import event

    engine = make_engine(url, schema, len(chunks) + 1)
    pids: set[int] = set()
    event.listen(engine, "connect", lambda dbapi_conn, _rec: pids.add(dbapi_conn.info.backend_pid))
    with engine.connect() as conn:  # open the connections before the clock starts
        conn.execute(text("SELECT 1"))
    results: list = []
    lock = threading.Lock()
    ready.put(os.getpid())
    stop_at = go.get()
    cpu0, pg0 = time.process_time(), backend_cpu(list(pids))

    def run(chunk: list[int], i: int) -> None:
        res = ride_loop(engine, chunk, seed * 1000 + i, stop_at)
        with lock:
            results.append(res)

    threads = [threading.Thread(target=run, args=(c, i)) for i, c in enumerate(chunks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu = time.process_time() - cpu0
    pg1 = backend_cpu(list(pids))
    pg = None if pg0 is None or pg1 is None else pg1 - pg0  # connections opened meanwhile count from 0
    engine.dispose()
    counts = {"rides": 0, "conflicts": 0, "redirects": 0, "errors": 0, "cpu_s": cpu, "pg_cpu_s": pg or 0.0}
    latencies: list[float] = []
    for c, lat in results:
        for key, v in c.items():
            counts[key] += v
        latencies += lat
    out.put((counts, latencies))


def run(url: str, schema: str, users: list[int], procs: int, threads: int, seconds: float) -> dict:
    """``procs`` processes x ``threads`` threads ride for ``seconds``; the riders are dealt out to threads."""
    pool = list(users)
    random.Random(1).shuffle(pool)
    n = procs * threads
    chunks = [pool[i::n] for i in range(n)]
    ctx = mp.get_context("spawn")
    ready, go, out = ctx.Queue(), ctx.Queue(), ctx.Queue()
    workers = [
        ctx.Process(
            target=worker_process, args=(url, schema, chunks[p * threads : (p + 1) * threads], p, ready, go, out)
        )
        for p in range(procs)
    ]
    for w in workers:
        w.start()
    for _ in workers:
        ready.get(timeout=120)
    start = time.time() + 0.2
    for _ in workers:
        go.put(start + seconds)
    counts = {"rides": 0, "conflicts": 0, "redirects": 0, "errors": 0, "cpu_s": 0.0, "pg_cpu_s": 0.0}
    latencies: list[float] = []
    for _ in workers:
        c, lat = out.get(timeout=seconds + 300)
        for key, v in c.items():
            counts[key] += v
        latencies += lat
    took = time.time() - start
    for w in workers:
        w.join()
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else [0.0] * 99
    rides = max(counts["rides"], 1)
    cpu_ms = 1e3 * (counts["cpu_s"] + counts["pg_cpu_s"]) / rides
    return {
        **counts,
        "seconds": took,
        "per_s": counts["rides"] / took,
        "p50_ms": 1e3 * q[49],
        "p99_ms": 1e3 * q[98],
        "py_ms": 1e3 * counts["cpu_s"] / rides,
        "pg_ms": 1e3 * counts["pg_cpu_s"] / rides,
        "capacity": (os.cpu_count() or 1) * 1e3 / cpu_ms if cpu_ms else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs (5 s instead of 15 s)")
    parser.add_argument("--seconds", type=float, help="length of each run")
    parser.add_argument("--threads", type=int, default=16, help="threads of the one-process run")
    parser.add_argument("--procs", type=int, default=2, help="worker processes of the multi-process run")
    parser.add_argument("--proc-threads", type=int, default=4, help="threads per worker process")
    args = parser.parse_args()
    seconds = args.seconds or (5 if args.quick else 15)
    from kotacerdas.bikes.store import rows as store
    from kotacerdas.core import migrate
    from kotacerdas.core.db import session_scope

    url = pg_url()
    schema = "bench_" + uuid.uuid4().hex[:8]
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    configs = [
        ("1 process x 1 thread (baseline)", 1, 1),
        (f"1 process x {args.threads} threads", 1, args.threads),
        (f"{args.procs} processes x {args.proc_threads} threads", args.procs, args.proc_threads),
    ]
    with admin.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar()
    print(f"PostgreSQL {version}, {os.cpu_count()} CPU cores, {seconds:g} s per run, load {os.getloadavg()[0]:.2f}")
    try:
        results = {}
        for label, procs, threads in configs:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            engine = make_engine(url, schema, 2)
            migrate.upgrade(engine)
            users = setup(engine)
            with engine.begin() as conn:  # statistics, as autovacuum keeps them on a live database
                conn.execute(text("ANALYZE"))
            res = run(url, schema, users, procs, threads, seconds)
            with session_scope(engine) as s:
                problems = store.check_invariants(s, store.get_system(s, SYSTEM))
            engine.dispose()
            res["violations"] = len(problems)
            results[label] = res
            print(
                f"{label:<34} {res['per_s']:7.1f} rides/s  p50 {res['p50_ms']:6.1f} ms  p99 {res['p99_ms']:6.1f} ms  "
                f"({res['rides']} rides in {res['seconds']:.1f} s, {res['conflicts']} refused rents, "
                f"{res['redirects']} full-station redirects, {res['errors']} errors, "
                f"{res['violations']} invariant violations)",
                flush=True,
            )
            print(
                f"{'':<34} CPU per ride: {res['py_ms']:.2f} ms Python + {res['pg_ms']:.2f} ms PostgreSQL "
                f"= {res['py_ms'] + res['pg_ms']:.2f} ms -> {os.cpu_count()} cores serve {res['capacity']:.0f} rides/s "
                f"when nothing else runs"
            )
            for p in problems[:5]:
                print("   ", p)
        base = results[configs[0][0]]
        for label, _p, _t in configs[1:]:
            print(f"ratio {label} / baseline: {results[label]['per_s'] / base['per_s']:.1f}x")
        best_label = max(results, key=lambda k: results[k]["per_s"])
        best = results[best_label]
        clean = all(r["violations"] == 0 and r["errors"] == 0 for r in results.values())
        ok = best["per_s"] >= 200 and clean
        print(
            f"{'PASS' if ok else 'FAIL'}: best {best['per_s']:.1f} rides/s ({best_label}) vs target >= 200 rides/s; "
            f"invariant violations in all runs: {sum(r['violations'] for r in results.values())}, "
            f"errors: {sum(r['errors'] for r in results.values())}"
        )
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
