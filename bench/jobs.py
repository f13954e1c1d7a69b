"""Background job queues measured for kotacerdas (issue 7: choose the task queue by measurement).

The same work goes through each queue: ``--jobs`` small jobs (a database row is written, as an
import's bookkeeping would be) submitted as fast as possible, then waited for. For each queue it
prints the submit rate, the time until every job is done (throughput), the median and p95 latency
from submit to done, and what the queue needs installed. Baseline in the same run: the same job
functions called one after another in a plain loop (no queue at all).

Queues:

* huey on an SQLite file with the server's own forked worker process (kotacerdas' default:
  nothing to install; ``make demo`` just works);
* huey on Redis, when a ``redis-server`` is on the PATH (started here on a free port);
* procrastinate on PostgreSQL (a queue in the database itself), when ``KOTACERDAS_TEST_PG_URL``
  is set (or ``scripts/pg-test-cluster.sh`` can start one) and procrastinate is installed.

Run: .venv/bin/python bench/jobs.py [--jobs 300]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, func, insert, select  # noqa: E402

from kotacerdas.core import jobs, migrate  # noqa: E402
from kotacerdas.core.config import Settings  # noqa: E402
from kotacerdas.core.db import make_engine, session_scope  # noqa: E402
from kotacerdas.core.models import Job  # noqa: E402

META = MetaData()
DONE = Table(
    "bench_done", META, Column("id", Integer, primary_key=True), Column("tag", String(40)), Column("at", Float)
)


def work(engine, tag: str) -> None:
    """The job: one row written in its own transaction (the bookkeeping of a small import)."""
    with engine.begin() as conn:
        conn.execute(insert(DONE).values(tag=tag, at=time.time()))


@jobs.job("bench.row")
def _row_job(ctx: jobs.JobContext, *, tag: str) -> dict:
    work(ctx.engine, tag)
    return {"tag": tag}


def report(name: str, n: int, submit_s: float, total_s: float, latencies: list[float], needs: str) -> None:
    lat = sorted(latencies)
    p50 = statistics.median(lat) * 1000 if lat else float("nan")
    p95 = lat[int(0.95 * (len(lat) - 1))] * 1000 if lat else float("nan")
    print(
        f"{name:<34} submit {n / submit_s:8.0f}/s  done {n / total_s:7.0f} jobs/s  "
        f"latency p50 {p50:7.1f} ms p95 {p95:7.1f} ms   needs: {needs}"
    )


def bench_plain_loop(n: int, tmp: Path) -> float:
    engine = make_engine(f"sqlite:///{tmp / 'plain.sqlite3'}")
    META.create_all(engine)
    t0 = time.perf_counter()
    for i in range(n):
        work(engine, f"plain-{i}")
    total = time.perf_counter() - t0
    print(f"{'plain loop (baseline, no queue)':<34} {'':15}  done {n / total:7.0f} jobs/s")
    return n / total


def bench_huey(n: int, tmp: Path, url: str, name: str, needs: str) -> float:
    db = tmp / f"{name}.sqlite3"
    engine = make_engine(f"sqlite:///{db}")
    migrate.upgrade(engine)
    META.create_all(engine)
    settings = Settings(data_dir=tmp / name, database_url=str(engine.url), secret_key="x", jobs_url=url)
    worker = jobs.InlineWorker(settings, threads=1, kind="thread")  # the bench kind exists in this process only
    worker.start()
    try:
        t0 = time.perf_counter()
        ids = [
            jobs.submit(engine, "bench.row", params={"tag": f"{name}-{i}"}, settings=settings)["id"] for i in range(n)
        ]
        submit_s = time.perf_counter() - t0
        while True:
            with session_scope(engine) as s:
                left = s.scalar(select(func.count()).where(Job.id.in_(ids), Job.status != "done"))
            if not left:
                break
            time.sleep(0.02)
        total = time.perf_counter() - t0
        with session_scope(engine) as s:
            rows = s.execute(select(Job.created_at, Job.finished_at).where(Job.id.in_(ids))).all()
        lat = [(b - a).total_seconds() for a, b in rows]
    finally:
        worker.stop()
    report(f"huey {name}", n, submit_s, total, lat, needs)
    return n / total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_procrastinate(n: int, pg_url: str) -> float | None:
    try:
        import procrastinate
    except ImportError:
        print("procrastinate on PostgreSQL: not installed (pip install procrastinate)")
        return None
    import psycopg

    schema = "bench_" + uuid.uuid4().hex[:8]
    dsn = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    conninfo = f"{dsn}?options=-csearch_path%3D{schema}"
    engine = make_engine(pg_url, connect_args={"options": f"-csearch_path={schema}"})
    META.create_all(engine)
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo))
    submitted: dict[str, float] = {}

    @app.task(name="bench_row")
    def bench_row(tag: str) -> None:
        work(engine, tag)

    async def run() -> tuple[float, float, list[float]]:
        async with app.open_async():
            await app.schema_manager.apply_schema_async()
            worker = asyncio.create_task(app.run_worker_async(concurrency=1, install_signal_handlers=False))
            t0 = time.perf_counter()
            for i in range(n):
                tag = f"pc-{i}"
                submitted[tag] = time.time()
                await bench_row.defer_async(tag=tag)
            submit_s = time.perf_counter() - t0
            while True:  # the worker runs beside the submissions, as a server's would
                with engine.connect() as conn:
                    done_count = conn.execute(select(func.count()).select_from(DONE)).scalar()
                if done_count >= n:
                    break
                await asyncio.sleep(0.02)
            total = time.perf_counter() - t0
            worker.cancel()
            try:
                await worker
            except (asyncio.CancelledError, Exception):  # the worker stops on cancel
                pass
        with engine.connect() as conn:
            done = dict(conn.execute(select(DONE.c.tag, DONE.c.at)).all())
        return submit_s, total, [done[t] - submitted[t] for t in submitted if t in done]

    try:
        submit_s, total, lat = asyncio.run(run())
    finally:
        engine.dispose()
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    report("procrastinate (PostgreSQL)", n, submit_s, total, lat, "PostgreSQL")
    return n / total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=300)
    args = ap.parse_args()
    n = args.jobs
    tmp = Path(tempfile.mkdtemp(prefix="kc-bench-jobs-"))
    print(f"{n} jobs, each writing one row; 2 CPU cores; load {os.getloadavg()[0]:.2f}")
    plain = bench_plain_loop(n, tmp)
    rates = {"huey sqlite": bench_huey(n, tmp, "", "sqlite", "nothing (an SQLite file)")}
    redis = shutil.which("redis-server")
    if redis:
        port = free_port()
        proc = subprocess.Popen(
            [redis, "--port", str(port), "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
        )
        time.sleep(0.5)
        try:
            rates["huey redis"] = bench_huey(n, tmp, f"redis://127.0.0.1:{port}/0", "redis", "a Redis server")
        finally:
            proc.terminate()
    else:
        print("huey redis: no redis-server on the PATH (Debian: apt install redis-server)")
    pg = os.environ.get("KOTACERDAS_TEST_PG_URL")
    if pg:
        rate = bench_procrastinate(n, pg)
        if rate:
            rates["procrastinate"] = rate
    else:
        print("procrastinate: set KOTACERDAS_TEST_PG_URL to measure it")
    for name, rate in rates.items():
        print(f"ratio {name} / plain loop: {rate / plain:.2f}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
