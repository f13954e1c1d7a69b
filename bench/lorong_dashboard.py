"""Lorong Wisata city dashboard benchmark: the dashboard's aggregates in SQL (over the roll-up the reports keep in
step) against a plain per-row Python aggregation of the same data, on SQLite and PostgreSQL.

Data: 5,000 generated lorong spread over Makassar's 153 kelurahan, each taking part in 3 to 7 of the 21 themes,
with 24 months of reports (90 % of lorong report each month; the newest month awaits verification) and their
indicator values (about a million rows). Measured: ``store.queries.aggregates`` (what the dashboard reads) and the
whole ``services.dashboard.dashboard`` (aggregates plus names and shaping), median of ``--repeat`` runs after a
warm-up; the baseline is ``store.queries.aggregates_per_row`` (every unit, theme link, report and value read and
added up in Python). Both answers are compared before any time is printed. Target: under 300 ms.

Run: .venv/bin/python bench/lorong_dashboard.py [--units 5000] [--months 24] [--repeat 5]
     [--backend sqlite|postgres|both]
PostgreSQL: set KOTACERDAS_TEST_PG_URL (a schema of its own is made and dropped).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from kotacerdas.core import accounts, migrate
from kotacerdas.core import wilayah_makassar as areas_makassar
from kotacerdas.core.db import make_engine, session_scope
from kotacerdas.lorong import generate, periods, seeds
from kotacerdas.lorong.services import dashboard, scores
from kotacerdas.lorong.services.programmes import ensure_programme
from kotacerdas.lorong.store.queries import aggregates, aggregates_per_row
from kotacerdas.lorong.store.tables import LorongProgramme

TARGET_MS = 300.0


def load(engine, n_units: int, months: int) -> tuple[int, list[str], dict]:
    t = time.perf_counter()
    with session_scope(engine) as s:
        city = accounts.ensure_city(s, "73.71", "Kota Makassar", center_lon=119.43, center_lat=-5.15)
        prog = ensure_programme(s, city, seeds.LORONG_WISATA, is_demo=True)
        per = math.ceil(n_units / len(areas_makassar.VILLAGES))
        villages = [v for v in areas_makassar.VILLAGES for _ in range(per)][:n_units]
        generate.units(s, prog, villages, 1, seed=1)
        until = periods.parse("2025-12")
        made = generate.reports(s, prog, until, months, seed=2)
        scores.recompute(s, prog, until=until.previous().key)
        keys = [p.key for p in periods.last(months, "month", until)]
        pid = prog.id
    made["seconds"] = round(time.perf_counter() - t, 1)
    return pid, keys, made


def timed(fn, repeat: int) -> tuple[float, object]:
    out = fn()  # warm-up
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs), out


def same(a, b) -> bool:
    if (a.units, a.grades, a.suggested_grades, a.theme_units, a.reports) != (
        b.units,
        b.grades,
        b.suggested_grades,
        b.theme_units,
        b.reports,
    ):
        return False
    if a.trend.keys() != b.trend.keys() or a.kelurahan.keys() != b.kelurahan.keys():
        return False
    for iid, series in a.trend.items():
        for p, (s, c) in series.items():
            s2, c2 = b.trend[iid].get(p, (None, None))
            if c != c2 or not math.isclose(s, s2, rel_tol=1e-9, abs_tol=1e-6):
                return False
    for k, row in a.kelurahan.items():
        other = b.kelurahan[k]
        for key, value in row.items():
            if isinstance(value, float) and not math.isclose(value, other[key], rel_tol=1e-9):
                return False
            if not isinstance(value, float) and value != other[key]:
                return False
    return True


def run(name: str, engine, args) -> dict:
    migrate.upgrade(engine)
    pid, keys, made = load(engine, args.units, args.months)
    if engine.dialect.name == "postgresql":  # planner statistics after the bulk load, as autovacuum would gather
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    with session_scope(engine) as s:
        sql_ms, sql = timed(lambda: aggregates(s, pid, keys), args.repeat)
        dash_ms, _d = timed(
            lambda: dashboard.dashboard(s, s.get(LorongProgramme, pid), until=keys[-1], n=len(keys)), args.repeat
        )
        base_ms, base = timed(lambda: aggregates_per_row(s, pid, keys), max(1, args.repeat // 2))
    if not same(sql, base):
        raise SystemExit(f"{name}: the SQL aggregates differ from the per-row baseline")
    return {"backend": name, **made, "sql_ms": sql_ms, "dashboard_ms": dash_ms, "baseline_ms": base_ms}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=5000)
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    args = ap.parse_args()
    pg_url = os.environ.get("KOTACERDAS_TEST_PG_URL", "")
    results = []
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            eng = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
            results.append(run("sqlite", eng, args))
            eng.dispose()
    if args.backend in ("postgres", "both"):
        if not pg_url:
            print("postgres: skipped (set KOTACERDAS_TEST_PG_URL)")
        else:
            schema = "bench_" + uuid.uuid4().hex[:8]
            admin = create_engine(pg_url)
            with admin.begin() as conn:
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            eng = make_engine(pg_url, connect_args={"options": f"-csearch_path={schema},public"})
            try:
                results.append(run("postgres", eng, args))
            finally:
                eng.dispose()
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                admin.dispose()
    print(f"{args.units} lorong, 21 themes, {args.months} months; median of {args.repeat} runs")
    header = (
        f"{'backend':<9}{'reports':>9}{'values':>10}{'load s':>8}{'SQL ms':>9}{'dashboard ms':>14}"
        f"{'per-row ms':>12}{'ratio':>8}  target"
    )
    print(header)
    for r in results:
        verdict = "PASS" if r["dashboard_ms"] < TARGET_MS else "FAIL"
        print(
            f"{r['backend']:<9}{r['reports']:>9}{r['values']:>10}{r['seconds']:>8}{r['sql_ms']:>9.1f}"
            f"{r['dashboard_ms']:>14.1f}{r['baseline_ms']:>12.1f}{r['baseline_ms'] / r['dashboard_ms']:>7.1f}x"
            f"  {verdict} (< {TARGET_MS:.0f} ms)"
        )


if __name__ == "__main__":
    main()
