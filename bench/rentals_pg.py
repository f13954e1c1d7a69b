"""Rentals on PostgreSQL: rides started and ended per second by concurrent riders, with zero invariant violations.

A fresh schema gets a system of 40 stations (10 docks, 5 bikes each) and 400 riders with
money. Worker threads (one database connection each) loop: rent any bike at a random
station, end the ride at another random station (a full station answers 409 with the
nearest station with space, where the rider then docks). A refused rent (no bike left, or
taken a moment earlier) counts as a conflict, not an error. Afterwards
:func:`kotacerdas.bikes.store.check_invariants` recomputes docks, active rentals and money.

Baseline: the same loop with one thread (no concurrency). Target (issue 4): >= 200
rentals started and ended per second with zero invariant violations.

Needs KOTACERDAS_TEST_PG_URL, or starts scripts/pg-test-cluster.sh.

Run: .venv/bin/python bench/rentals_pg.py [--quick] [--threads N]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text

ROOT = Path(__file__).resolve().parents[1]


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


def setup(engine, n_stations: int = 40, docks: int = 10, bikes_per: int = 5, riders: int = 400) -> list[int]:
    from kotacerdas.bikes import manage
    from kotacerdas.bikes.tables import BikeRider, BikeRow, BikeStation, BikeVehicleType
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope, utcnow
    from kotacerdas.core.models import User
    from kotacerdas.demo.areas import CITIES

    with session_scope(engine) as s:
        city = accounts.ensure_city(s, "35.10", CITIES["35.10"]["name"])
        system = manage.create_system(s, city, {"system_id": "benchpg", "name": "Bench"})
        vt = BikeVehicleType(
            system_pk=system.id,
            vehicle_type_id="classic",
            name={"id": "Biasa"},
            default_pricing_plan_id="pay",
        )
        s.add(vt)
        manage.upsert_plan(
            s,
            system,
            {"plan_id": "pay", "name": "Pay", "unlock_fee": 3000, "per_minute": 250, "free_minutes": 30},
        )
        for i in range(n_stations):
            manage.upsert_station(
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
    from kotacerdas.bikes import payments

    for u in users:
        payments.credit(engine, "benchpg", f"b-{u}", 10_000_000, idempotency_key=f"bench:{u}")
    return users


def run(engine, users: list[int], threads: int, seconds: float, n_stations: int = 40) -> dict[str, float]:
    from kotacerdas.bikes import service
    from kotacerdas.bikes.errors import BikesError
    from kotacerdas.core.errors import KotacerdasError

    stop = time.perf_counter() + seconds
    counts = {"rides": 0, "conflicts": 0, "redirects": 0, "errors": 0}
    lock = threading.Lock()
    pool = list(users)
    random.Random(1).shuffle(pool)
    chunks = [pool[i::threads] for i in range(threads)]

    def worker(mine: list[int], seed: int) -> None:
        rng = random.Random(seed)
        local = dict.fromkeys(counts, 0)
        k = 0
        while time.perf_counter() < stop:
            u = mine[k % len(mine)]
            k += 1
            try:
                service.rent(engine, "benchpg", u, station_id=f"s{rng.randrange(n_stations):02d}")
            except KotacerdasError:
                local["conflicts"] += 1
                continue
            target = f"s{rng.randrange(n_stations):02d}"
            for _attempt in range(10):  # a full station names the nearest one with space: ride on there
                try:
                    service.end_rental(engine, "benchpg", u, target)
                    break
                except BikesError as exc:
                    if exc.status != 409 or not exc.params.get("nearest"):
                        local["errors"] += 1
                        break
                    local["redirects"] += 1
                    target = exc.params["nearest"]
            else:
                local["errors"] += 1
            local["rides"] += 1
        with lock:
            for key, v in local.items():
                counts[key] += v

    t0 = time.perf_counter()
    ts = [threading.Thread(target=worker, args=(c, i)) for i, c in enumerate(chunks)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    took = time.perf_counter() - t0
    return {**counts, "seconds": took, "per_s": counts["rides"] / took}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs")
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    seconds = 4 if args.quick else 15
    from kotacerdas.bikes import store
    from kotacerdas.core import migrate
    from kotacerdas.core.db import make_engine, session_scope

    url = pg_url()
    schema = "bench_" + uuid.uuid4().hex[:8]
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        results = {}
        for label, threads in (("1 thread (baseline)", 1), (f"{args.threads} threads", args.threads)):
            engine = make_engine(
                url,
                pool_size=threads + 2,
                max_overflow=4,
                connect_args={"options": f"-csearch_path={schema},public"},
            )
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            migrate.upgrade(engine)
            users = setup(engine)
            res = run(engine, users, threads, seconds)
            with session_scope(engine) as s:
                problems = store.check_invariants(s, store.get_system(s, "benchpg"))
            res["violations"] = len(problems)
            results[label] = res
            engine.dispose()
            print(
                f"{label:<22} {res['per_s']:7.1f} rentals started+ended/s  ({res['rides']} rides in "
                f"{res['seconds']:.1f} s, {res['conflicts']} refused rents, {res['redirects']} full-station "
                f"redirects, {res['errors']} errors, {res['violations']} invariant violations)"
            )
            for p in problems[:5]:
                print("   ", p)
        base, conc = results["1 thread (baseline)"], results[f"{args.threads} threads"]
        print(f"ratio {args.threads} threads / 1 thread: {conc['per_s'] / base['per_s']:.1f}x")
        ok = conc["per_s"] >= 200 and conc["violations"] == 0 and conc["errors"] == 0
        print(f"target >= 200 rentals/s with zero invariant violations: {'met' if ok else 'NOT met'}")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
