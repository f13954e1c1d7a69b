"""Rider storms against a real server, on SQLite and PostgreSQL (issue 8: availability under concurrent writes).

The server is the app under uvicorn in a process of its own (its default threadpool, one engine); the clients
are threads of this process, each with its own rider account, token and connection (``tests/storm.py``).

* Load: a rent-and-return loop (rent any bike at a station, return it there) with 1, 10, 40 and 100 clients
  for ``--seconds`` each. Prints requests/s, p50, p99 and slowest answer, and the status counts. The baseline
  is the same loop with 1 client: each run's throughput and p99 are printed as ratios of it.
* Bursts: 100 riders (their own accounts) renting at once from 40 bikes and returning them elsewhere; 100
  rents at once with one token; 50 riders racing for 3 bikes.

A request counts as answered when it is answered within 5 s. Target: every request answered, zero 5xx but
503 (with ``Retry-After``), at most 5 % 503 on SQLite and none on PostgreSQL, the bursts' rentals equal to the
bikes there, every invariant holding and the money reconciled after each run.

PostgreSQL comes from KOTACERDAS_TEST_PG_URL (a schema of its own, dropped afterwards); without it only SQLite runs.

Run: .venv/bin/python bench/rider_storm.py [--seconds 5] [--clients 1,10,40,100] [--backend sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.exc import DBAPIError  # noqa: E402
from tests import storm as st  # noqa: E402

from kotacerdas.core import accounts, migrate  # noqa: E402
from kotacerdas.core.config import Settings  # noqa: E402
from kotacerdas.core.db import make_engine, session_scope  # noqa: E402
from kotacerdas.demo.areas import CITIES  # noqa: E402

RICH = 100_000_000  # the load riders never run out of money


def _engine(url: str, schema: str | None):
    return make_engine(url, connect_args={"options": f"-csearch_path={schema},public"}) if schema else make_engine(url)


def _serve(url: str, schema: str | None, folder: str, port: int) -> None:
    """The server process: the app on its own engine, under uvicorn."""
    import uvicorn

    from kotacerdas.web.app import create_app

    settings = Settings(data_dir=Path(folder), database_url=url, secret_key="bench", jobs_url="immediate")
    app = create_app(settings, engine=_engine(url, schema))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error")


class Server:
    """The app served by uvicorn in a process of its own."""

    def __init__(self, url: str, schema: str | None, folder: Path) -> None:
        from tests.conftest import free_port

        self.port = free_port()
        self.proc = mp.get_context("spawn").Process(target=_serve, args=(url, schema, str(folder), self.port))

    def __enter__(self) -> str:
        self.proc.start()
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    return base
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.join(10)


class Database:
    """A fresh database per scenario: an SQLite file, or a PostgreSQL schema of its own."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend, self.folder = backend, folder
        self.pg = os.environ.get("KOTACERDAS_TEST_PG_URL", "")
        self.n = 0

    def fresh(self):
        self.n += 1
        if self.backend == "sqlite":
            self.url, self.schema = f"sqlite:///{self.folder / f'storm{self.n}.sqlite3'}", None
        else:
            self.url, self.schema = self.pg, "storm_" + uuid.uuid4().hex[:8]
            admin = create_engine(self.pg)
            with admin.begin() as conn:
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
                conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            admin.dispose()
        engine = _engine(self.url, self.schema)
        migrate.upgrade(engine)
        with session_scope(engine) as s:
            accounts.ensure_city(s, "35.10", CITIES["35.10"]["name"])
        return engine

    def drop(self, engine) -> None:
        engine.dispose()
        if self.schema:
            admin = create_engine(self.pg)
            for _attempt in range(5):  # the stopped server's sessions may still be ending
                try:
                    with admin.begin() as conn:
                        conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
                    break
                except DBAPIError:
                    time.sleep(1)
            admin.dispose()


def ok(out: st.Outcome, backend: str, problems: list[str]) -> bool:
    """The target: all answered within 5 s, no 5xx but 503, the 503 share bounded, invariants and money."""
    bad = [s for s in out.statuses if s == "timeout" or not isinstance(s, int) or (s >= 500 and s != 503)]
    return not bad and not out.errors and out.share(503) <= (0.05 if backend == "sqlite" else 0) and not problems


def line(label: str, out: st.Outcome, base: st.Outcome | None, problems: list[str], backend: str) -> bool:
    good = ok(out, backend, problems)
    per_s = out.requests / out.seconds
    counts = " ".join(f"{k}:{v}" for k, v in sorted(out.statuses.items(), key=lambda kv: str(kv[0])))
    ratio = ""
    if base is not None:
        b_per_s = base.requests / base.seconds
        ratio = f"  x{per_s / b_per_s:4.2f} req/s, p99 x{out.quantile(0.99) / base.quantile(0.99):5.1f}"
    p50, p99, slowest = (1e3 * v for v in (out.quantile(0.5), out.quantile(0.99), max(out.latencies, default=0)))
    print(
        f"  {label:<34} {per_s:6.1f} req/s  p50 {p50:5.0f} ms  p99 {p99:5.0f} ms  max {slowest:5.0f} ms"
        f"  [{counts}]{ratio}  {'ok' if good else 'FAIL'}",
        flush=True,
    )
    for p in (problems + out.errors)[:5]:
        print("     ", p)
    return good


def load(db: Database, clients: list[int], seconds: float) -> bool:
    """The rent-and-return loop with each number of clients, on one database and server."""
    engine = db.fresh()
    try:
        most = max(clients)
        st.make_system(engine, bikes=most)
        tokens = st.make_riders(engine, most, balance=RICH)
        good, base = True, None
        with Server(db.url, db.schema, db.folder) as url:
            for n in clients:
                out = st.storm(url, tokens[:n], st.round_trip, until=time.perf_counter() + seconds)
                label = f"{n} client{'s' if n > 1 else ''}" + (" (baseline)" if base is None else "")
                good &= line(label, out, base, st.reconcile(engine, most * RICH), db.backend)
                base = base or out
        return good
    finally:
        db.drop(engine)


def bursts(db: Database) -> bool:
    good = True
    for label, bikes, riders, per_token, action, expect in (
        ("100 riders, 40 bikes", 40, 100, 1, st.ride, 40),
        ("100 rents, one token", 10, 1, 100, st.rent, 1),
        ("50 riders race for 3 bikes", 3, 50, 1, st.rent, 3),
    ):
        engine = db.fresh()
        try:
            st.make_system(engine, bikes=bikes)
            tokens = st.make_riders(engine, riders)
            with Server(db.url, db.schema, db.folder) as url:
                out = st.storm(url, tokens * per_token, action)
            rented = out.by_kind["rent"][201]
            problems = st.reconcile(engine, riders * st.BALANCE)
            if rented != expect and not out.statuses[503]:
                problems.append(f"{rented} rentals for {expect} available")
            good &= line(f"{label} ({rented} rented)", out, None, problems, db.backend)
        finally:
            db.drop(engine)
    return good


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each load run")
    parser.add_argument("--clients", default="1,10,40,100", help="numbers of concurrent clients of the load runs")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()
    clients = [int(c) for c in args.clients.split(",")]
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    if "postgres" in backends and not os.environ.get("KOTACERDAS_TEST_PG_URL"):
        print("no KOTACERDAS_TEST_PG_URL: PostgreSQL skipped")
        backends.remove("postgres")
    print(
        f"{os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.2f}; {args.seconds:g} s per load run; "
        f"answered = within {st.ANSWER_S:g} s"
    )
    good = True
    with tempfile.TemporaryDirectory() as folder:
        for backend in backends:
            db = Database(backend, Path(folder))
            print(f"{backend}: rent-and-return loop (ratios: of the 1-client baseline)")
            good &= load(db, clients, args.seconds)
            print(f"{backend}: bursts")
            good &= bursts(db)
    print(
        "PASS" if good else "FAIL",
        "(target: all answered within 5 s, no 500, 503 <= 5 % on SQLite and none on "
        "PostgreSQL, rentals = bikes, invariants and money reconciled)",
    )


if __name__ == "__main__":
    main()
