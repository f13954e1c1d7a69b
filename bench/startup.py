"""Start-up time of the command line: ``kotacerdas --help`` must answer in under 0.5 s (issue 7).

Each command runs in a fresh interpreter, best of ``--runs``; baselines in the same run: a bare
``python -c pass`` (the interpreter's own start), and importing the whole web application
and building the whole web application with every domain's routers (what ``--help`` paid before the
domains loaded lazily).

Run: .venv/bin/python bench/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

BUILD_APP = (
    "import tempfile; from kotacerdas.core.config import Settings; from kotacerdas.web.app import create_app; "
    "d = tempfile.mkdtemp(); create_app(Settings(data_dir=__import__('pathlib').Path(d), "
    "database_url='sqlite:///' + d + '/x.sqlite3', secret_key='x', jobs_url='immediate'))"
)


def best(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    py = sys.executable
    rows = [
        ("python -c pass (interpreter)", [py, "-c", "pass"]),
        ("kotacerdas --help", [py, "-m", "kotacerdas", "--help"]),
        ("kotacerdas roads --help", [py, "-m", "kotacerdas", "roads", "--help"]),
        ("import kotacerdas.tables", [py, "-c", "import kotacerdas.tables"]),
        ("build the whole web app (every domain)", [py, "-c", BUILD_APP]),
    ]
    results = {}
    for name, cmd in rows:
        results[name] = best(cmd, args.runs)
        print(f"{name:<40} {results[name] * 1000:7.0f} ms")
    helpt = results["kotacerdas --help"]
    print(f"ratio whole app / --help: {results['build the whole web app (every domain)'] / helpt:.1f}x")
    verdict = "PASS" if helpt < 0.5 else "FAIL"
    print(f"target kotacerdas --help < 500 ms: {helpt * 1000:.0f} ms {verdict}")


if __name__ == "__main__":
    main()
