"""GBFS load benchmark: ``station_status`` of a 500-station system served by the demo server.

A temporary SQLite database gets the demo (cities, users, the Banyuwangi bike system) and
a generated system ``bench500`` with 500 stations and about 3,000 bikes in Banyuwangi.
The server runs as a uvicorn subprocess (one worker); a load generator in another process
(``wrk`` when installed, else an asyncio httpx client) requests
``/gbfs/v3/bench500/station_status.json``.

Two runs: the feed cache on (feeds kept for their ttl or until the state changes) and the
baseline with the cache off (``KOTACERDAS_GBFS_CACHE=0``: every request reads the state and
builds the feed). Target (issue 4): >= 1,000 requests/s with p99 < 50 ms, cache on.

Run: .venv/bin/python bench/gbfs_load.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

FEED = "/gbfs/v3/bench500/station_status.json"


def build_db(url: str) -> None:
    from shapely.geometry import Point
    from sqlalchemy import select

    from kotacerdas.bikes.services import systems
    from kotacerdas.bikes.store.tables import BikeRow, BikeStation, BikeVehicleType
    from kotacerdas.core import migrate
    from kotacerdas.core.db import make_engine, session_scope
    from kotacerdas.core.models import City
    from kotacerdas.demo.load import load_demo

    engine = make_engine(url)
    migrate.upgrade(engine)
    with session_scope(engine) as s:
        load_demo(s)
    rng = np.random.default_rng(1)
    with session_scope(engine) as s:
        city = s.scalar(select(City).where(City.code == "35.10"))
        system = systems.create_system(s, city, {"system_id": "bench500", "name": "Bench 500 (demo)", "is_demo": True})
        vt = BikeVehicleType(system_pk=system.id, vehicle_type_id="classic", name={"id": "Biasa", "en": "Classic"})
        s.add(vt)
        rows = []
        for i in range(500):
            lon, lat = 114.30 + 0.1 * rng.random(), -8.26 + 0.1 * rng.random()
            cap = int(rng.integers(8, 20))
            rows.append(
                BikeStation(
                    city_id=city.id,
                    system_pk=system.id,
                    station_id=f"s{i:03d}",
                    name={"id": f"Stasiun {i}", "en": f"Station {i}"},
                    capacity=cap,
                    num_docks_disabled=0,
                    docked=0,
                    geom=Point(lon, lat),
                    nearby=[],
                    rental_methods=["key"],
                    region_id=None,
                )
            )
        s.add_all(rows)
        s.flush()
        bikes = []
        for st in rows:
            n = int(rng.integers(0, st.capacity // 2 + 1))
            st.docked = n
            bikes += [
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
                }
                for k in range(n)
            ]
        s.execute(BikeRow.__table__.insert(), bikes)
    engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "kotacerdas.web.asgi:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
    )
    import httpx

    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                httpx.get(f"http://127.0.0.1:{port}{FEED}", timeout=30).raise_for_status()
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": int(errors.group(1)) if errors else 0}


HTTPX_CLIENT = r"""
import asyncio, sys, time, json
import httpx
url, seconds, conc = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
lat = []
errors = 0
async def worker(client, stop):
    global errors
    while time.perf_counter() < stop:
        t = time.perf_counter()
        r = await client.get(url)
        lat.append(time.perf_counter() - t)
        errors += r.status_code != 200
async def main():
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=conc)) as client:
        t0 = time.perf_counter(); stop = t0 + seconds
        await asyncio.gather(*(worker(client, stop) for _ in range(conc)))
        took = time.perf_counter() - t0
    lat.sort()
    print(json.dumps({"rps": len(lat) / took, "p50_ms": 1000 * lat[len(lat) // 2],
                      "p99_ms": 1000 * lat[int(len(lat) * 0.99)], "errors": errors}))
asyncio.run(main())
"""


def run_httpx(url: str, seconds: int, connections: int) -> dict[str, float]:
    import json

    out = subprocess.run(
        [sys.executable, "-c", HTTPX_CLIENT, url, str(seconds), str(connections)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def measure(url: str, seconds: int, connections: int) -> tuple[str, dict[str, float]]:
    if shutil.which("wrk"):
        return "wrk", run_wrk(url, seconds, connections)
    return "httpx (asyncio)", run_httpx(url, seconds, connections)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs")
    args = parser.parse_args()
    seconds = 3 if args.quick else 10
    connections = int(os.environ.get("BENCH_CONNECTIONS", "8"))
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        t0 = time.perf_counter()
        build_db(url)
        print(f"database: demo + 500 stations in {time.perf_counter() - t0:.1f} s")
        results = {}
        for label, cache in (("cached", "1"), ("uncached baseline", "0")):
            env = dict(
                os.environ,
                KOTACERDAS_DATABASE_URL=url,
                KOTACERDAS_DATA_DIR=tmp,
                KOTACERDAS_GBFS_CACHE=cache,
                KOTACERDAS_SECRET_KEY="bench-secret",
            )
            port = free_port()
            server = start_server(env, port)
            try:
                tool, res = measure(f"http://127.0.0.1:{port}{FEED}", seconds, connections)
            finally:
                server.terminate()
                server.wait(timeout=10)
            results[label] = res
            print(
                f"{label:<18} {res['rps']:8.0f} req/s  p50 {res['p50_ms']:6.1f} ms  p99 {res['p99_ms']:6.1f} ms"
                f"  errors {res['errors']}  ({tool}, {connections} connections, {seconds} s)"
            )
    c, b = results["cached"], results["uncached baseline"]
    print(f"ratio cached / uncached: {c['rps'] / b['rps']:.1f}x throughput, p99 {b['p99_ms'] / c['p99_ms']:.1f}x lower")
    ok = c["rps"] >= 1000 and c["p99_ms"] < 50 and c["errors"] == 0
    print(f"target >= 1,000 req/s with p99 < 50 ms: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
