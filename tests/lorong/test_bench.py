"""``bench/lorong_dashboard.py`` runs: its imports resolve and, on a tiny city, the SQL aggregates equal the
per-row baseline (the check the benchmark makes before printing any time)."""

import importlib.util
import sys
from pathlib import Path
from types import SimpleNamespace

from kotacerdas.core.db import make_engine

BENCH = Path(__file__).resolve().parents[2] / "bench" / "lorong_dashboard.py"


def test_the_dashboard_benchmark_runs_on_a_tiny_city(tmp_path):
    spec = importlib.util.spec_from_file_location("lorong_dashboard_bench", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench
    try:
        spec.loader.exec_module(bench)
        engine = make_engine(f"sqlite:///{tmp_path / 'bench.sqlite3'}")
        try:
            out = bench.run("sqlite", engine, SimpleNamespace(units=40, months=3, repeat=1))
        finally:
            engine.dispose()
    finally:
        sys.modules.pop(spec.name, None)
    assert out["backend"] == "sqlite" and out["reports"] > 0 and out["values"] > 0
    assert out["dashboard_ms"] > 0 and out["baseline_ms"] > 0
