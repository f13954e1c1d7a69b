"""How fast ``/healthz`` answers while the server imports a large road network (issue 7: the event loop is free).

A real uvicorn server on an SQLite file; a poller asks ``/healthz`` every 10 ms while a road officer uploads a
generated OSM extract of about 7,000 segments. Four runs in the same script:

* idle: the server doing nothing else (the baseline every figure is divided by);
* server's worker: the import runs as a job in the server's own worker (``KOTACERDAS_JOBS_WORKER=inline``, the
  default), a ``kotacerdas worker`` process the server starts and stops with itself;
* worker threads: the same job in worker threads of the server (``inline-thread``), beside the event loop in one
  interpreter (what the default was before);
* in the request: the same job run inside the upload's request (``jobs_url=immediate``), answered when it is done;
* external worker: the server only queues the job (``external``) and a ``kotacerdas worker`` started beside it runs
  it, as a city with more load deploys it.

Prints, for each run, the median, p99 and slowest answer and the slowest as a ratio of the idle one. The server and
the poller share one interpreter here (the server runs in a thread of this script), so the poller's own turns count
in every figure alike.

Run: .venv/bin/python bench/event_loop.py [--grid 60]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from tests.live import HealthPoller, LiveServer  # noqa: E402

from kotacerdas.core import accounts, migrate  # noqa: E402
from kotacerdas.core.auth import Role  # noqa: E402
from kotacerdas.core.config import Settings  # noqa: E402
from kotacerdas.core.db import make_engine, session_scope  # noqa: E402
from kotacerdas.demo.areas import CITIES  # noqa: E402
from kotacerdas.network.demo import generated_osm_xml  # noqa: E402
from kotacerdas.web.app import create_app  # noqa: E402

PASSWORD = "bench-password-1"


def seeded_engine(folder: Path):
    engine = make_engine(f"sqlite:///{folder / 'bench.sqlite3'}")
    migrate.upgrade(engine)
    with session_scope(engine) as s:
        spec = CITIES["35.10"]
        accounts.ensure_city(
            s, "35.10", spec["name"], kind=spec["kind"], center_lon=spec["center"][0], center_lat=spec["center"][1]
        )
        accounts.create_user(s, "officer", PASSWORD, roles=[("35.10", Role.ROAD_OFFICER.value)])
    return engine


def external_worker(folder: Path, engine) -> subprocess.Popen:
    """``kotacerdas worker`` in a process of its own, on the run's database and queue."""
    env = {
        **os.environ,
        "KOTACERDAS_DATA_DIR": str(folder),
        "KOTACERDAS_DATABASE_URL": str(engine.url),
        "KOTACERDAS_PROGRESS": "0",
    }
    env.pop("KOTACERDAS_JOBS_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "kotacerdas", "worker", "--threads", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def one_run(folder: Path, jobs_url: str, extract: bytes | None, worker: str = "inline") -> list[float]:
    engine = seeded_engine(folder)
    settings = Settings(
        data_dir=folder,
        database_url=str(engine.url),
        secret_key="bench",
        jobs_url=jobs_url,
        jobs_worker=worker,
    )
    process = external_worker(folder, engine) if worker == "external" else None
    try:
        return _measure(settings, engine, extract)
    finally:
        if process is not None:
            process.terminate()
            process.wait(30)
        engine.dispose()


def _measure(settings: Settings, engine, extract: bytes | None) -> list[float]:
    with LiveServer(create_app(settings, engine=engine)) as base, httpx.Client(base_url=base, timeout=120) as c:
        token = c.post("/api/v1/auth/token", json={"username": "officer", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        c.get("/healthz")
        poller = HealthPoller(base)
        poller.start()
        time.sleep(0.3)
        if extract is None:
            time.sleep(5)
        else:
            r = c.post("/api/v1/cities/35.10/network", headers=headers, files={"file": ("big.osm", extract)})
            if r.status_code == 202:
                while c.get(r.headers["location"], headers=headers).json()["status"] not in ("done", "failed"):
                    time.sleep(0.1)
            elif r.status_code >= 300:
                raise SystemExit(f"upload refused: {r.status_code} {r.text[:200]}")
        poller.stop.set()
        poller.join(10)
    return poller.latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", type=int, default=60, help="generated street grid size (60: ~7,000 segments)")
    args = parser.parse_args()
    extract = generated_osm_xml(cols=args.grid, rows=args.grid)
    runs = {}
    for name, jobs_url, body, worker in (
        ("idle", "", None, "inline"),
        ("server's worker", "", extract, "inline"),
        ("worker threads", "", extract, "inline-thread"),
        ("in the request", "immediate", extract, "inline"),
        ("external worker", "", extract, "external"),
    ):
        with tempfile.TemporaryDirectory() as tmp:
            runs[name] = sorted(one_run(Path(tmp), jobs_url, body, worker))
    idle_max = max(runs["idle"])
    print(f"/healthz while importing a {args.grid}x{args.grid} generated street grid ({len(extract) / 1e6:.1f} MB OSM)")
    print(f"{'run':<16}{'answers':>9}{'median ms':>11}{'p99 ms':>9}{'slowest ms':>12}{'slowest/idle':>14}")
    for name, lat in runs.items():
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        print(
            f"{name:<16}{len(lat):>9}{statistics.median(lat) * 1000:>11.1f}{p99 * 1000:>9.1f}"
            f"{lat[-1] * 1000:>12.1f}{lat[-1] / idle_max:>13.1f}x"
        )


if __name__ == "__main__":
    main()
