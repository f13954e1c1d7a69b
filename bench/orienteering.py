"""Benchmark: the tour planner's orienteering search against the best known scores and OR-Tools routing.

Instances (``../shared/bench/orienteering``; the script stops with a message when they are absent):

* **OP**: every Tsiligirides (sets 1-3) and Chao (sets 64, 66) instance in ``op/`` (format in
  ``op/OP_format.txt``: Euclidean distances, point 0 the start, point 1 the end).
  Best known scores: ``bench/orienteering_best.json``, written by ``bench/orienteering_exact.py``
  (OR-Tools CP-SAT proves most of them optimal; where it could not, the best score found by
  CP-SAT or a long heuristic run, with the proved upper bound). An instance missing there is
  reported without a gap.
* **TOPTW** (time windows): the Solomon and Cordeau based instances in ``toptw/`` with one path,
  against the best results of one path in ``results/TOPTW.xls`` (sheet ``m1``; read with ``xlrd``,
  skipped when it is not installed). Every visit starts within its window, the tour leaves and
  returns to the depot (vertex 0) within the depot's window; distances Euclidean, not rounded.

Solvers, each given ``--time-limit`` seconds (default 0.8 s) per instance on one core:

* **kotacerdas**: :func:`kotacerdas.bikes.orienteering.solve` (iterated local search, the tour planner's
  search); its route is checked again here (length within the budget, every window kept);
* **baseline, OR-Tools routing** with optional visits: one vehicle from point 0 to point 1, a
  distance dimension capped at the budget (lengths in 1/1000 rounded *up*, so its routes are
  feasible), every other point a disjunction whose penalty is its score x 10^7 (dropping a point
  costs more than any route is long), first solution by cheapest arc, then guided local search
  until the same time limit. On TOPTW a time dimension with the windows.

Prints per instance the score, the gap to the best known, the time; per set and overall the mean gap,
the largest time and the number of instances at the best known score, for both solvers, with the
ratios. Targets (issue 12): mean gap <= 1 % over the OP sets, every instance under 1 s.

Run: ``.venv/bin/python bench/orienteering.py [--time-limit 0.8] [--toptw 14|all] [--no-op] [--no-ortools] [--quiet]``
(default: all 89 OP instances with both solvers and 14 TOPTW instances, two of each family; a few
minutes; ``--toptw all`` runs all 76).
"""

from __future__ import annotations

import argparse
import json
import math
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one core; set before numpy loads its BLAS
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kotacerdas.bikes.formats.op import OpInstance, read_op  # noqa: E402
from kotacerdas.bikes.orienteering import Problem, solve  # noqa: E402

DATA = ROOT.parent / "shared" / "bench" / "orienteering"
BEST = ROOT / "bench" / "orienteering_best.json"
SETS = ("Tsiligirides_1", "Tsiligirides_2", "Tsiligirides_3", "ChaoSet_64", "ChaoSet_66")
SCALE = 1000
PENALTY = 10**7


# -- instances -----------------------------------------------------------------------------------------
def op_instances() -> list[tuple[str, Path]]:
    return [(s, p) for s in SETS for p in sorted((DATA / "op" / s).glob("*.txt"))]


def read_toptw(path: Path) -> Problem:
    """A TOPTW instance with one path: vertex 0 the depot; ``i x y d S f a list.. O C`` per vertex."""
    lines = [ln.split() for ln in path.read_text().splitlines() if ln.strip()]
    rows = [ln for ln in lines[2:] if len(ln) >= 7]
    xy = np.array([[float(r[1]), float(r[2])] for r in rows])
    service = np.array([float(r[3]) for r in rows])
    score = np.array([float(r[4]) for r in rows])
    opens = np.array([float(r[-2]) for r in rows])
    closes = np.array([float(r[-1]) for r in rows])
    d = xy[:, None, :] - xy[None, :, :]
    travel = np.sqrt((d**2).sum(axis=2))
    horizon = closes[0] - opens[0]
    score[0] = 0.0
    return Problem(
        travel=travel,
        score=score,
        start=0,
        end=0,
        budget=horizon,
        service=service,
        open=opens,
        close=closes,
        t0=opens[0],
        close_is_end=False,
    )


def toptw_best() -> dict[str, float]:
    try:
        import xlrd
    except ImportError:
        print("(xlrd is not installed: the TOPTW best results cannot be read; pip install xlrd)")
        return {}
    sheet = xlrd.open_workbook(str(DATA / "results" / "TOPTW.xls")).sheet_by_name("m1")
    out = {}
    for r in range(1, sheet.nrows):
        name, best = sheet.cell_value(r, 0), sheet.cell_value(r, 1)
        if isinstance(name, str) and isinstance(best, float):
            out[name.removesuffix(".txt")] = best
    return out


# -- checks --------------------------------------------------------------------------------------------
def check(problem: Problem, route: list[int]) -> float:
    """The route's score after checking it: start and end, no repeat, windows and the budget (AssertionError)."""
    assert route[0] == problem.start and route[-1] == problem.end, route
    inner = route[1:-1]
    assert len(set(inner)) == len(inner) and problem.start not in inner, route
    t = problem.t0
    for a, b in zip(route[:-1], route[1:], strict=True):
        t += problem.travel[a, b]
        if problem.open is not None:
            t = max(t, problem.open[b])
            assert t <= problem.close[b] + 1e-6, f"window of {b} broken"
        if b != problem.end and problem.service is not None:
            t += problem.service[b]
    assert t <= problem.t0 + problem.budget + 1e-6, "budget broken"
    return float(problem.score[inner].sum())


# -- solvers -------------------------------------------------------------------------------------------
def ils(problem: Problem, limit: float) -> tuple[list[int], float]:
    started = time.perf_counter()
    found = solve(problem, time_limit_s=limit, seed=1)
    return list(found.route), time.perf_counter() - started


def ortools(problem: Problem, limit: float) -> tuple[list[int], float]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    started = time.perf_counter()
    n = problem.n
    round_trip = problem.start == problem.end
    manager = pywrapcp.RoutingIndexManager(n, 1, [problem.start], [problem.end])
    routing = pywrapcp.RoutingModel(manager)
    service = np.zeros(n) if problem.service is None else problem.service
    # travel plus the visit at the tail (the benchmark's convention: service before leaving)
    length = np.ceil((problem.travel + service[:, None]) * SCALE).astype(np.int64)
    length_list = length.tolist()

    def arc(i: int, j: int) -> int:
        return length_list[manager.IndexToNode(i)][manager.IndexToNode(j)]

    cb = routing.RegisterTransitCallback(arc)
    routing.SetArcCostEvaluatorOfAllVehicles(cb)
    horizon = int(math.floor((problem.t0 + problem.budget) * SCALE))
    if problem.open is None:
        routing.AddDimension(cb, 0, horizon, True, "length")
    else:
        routing.AddDimension(cb, horizon, horizon, False, "time")
        dim = routing.GetDimensionOrDie("time")
        for node in range(n):
            lo = int(math.ceil(problem.open[node] * SCALE))
            hi = int(math.floor(problem.close[node] * SCALE))
            if node == problem.start:
                dim.CumulVar(routing.Start(0)).SetRange(int(problem.t0 * SCALE), int(problem.t0 * SCALE))
                dim.CumulVar(routing.End(0)).SetRange(0, horizon)
            elif lo <= hi:
                dim.CumulVar(manager.NodeToIndex(node)).SetRange(lo, hi)
    for node in range(n):
        if node in (problem.start, problem.end):
            continue
        routing.AddDisjunction([manager.NodeToIndex(node)], int(problem.score[node] * PENALTY))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    remaining = max(0.05, limit - (time.perf_counter() - started))
    params.time_limit.FromMilliseconds(int(remaining * 1000))
    found = routing.SolveWithParameters(params)
    route = [problem.start, problem.end] if not round_trip else [problem.start, problem.start]
    if found is not None:
        index, route = routing.Start(0), []
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = found.Value(routing.NextVar(index))
        route.append(manager.IndexToNode(index))
    return route, time.perf_counter() - started


# -- runs ----------------------------------------------------------------------------------------------
def gap(best: float | None, score: float) -> float | None:
    if best is None or best <= 0:
        return None
    return max(0.0, (best - score) / best * 100.0)


def run_op(args, best_known: dict) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {}
    for set_name, path in op_instances():
        inst: OpInstance = read_op(path)
        problem = inst.problem()
        best = best_known.get(path.stem, {}).get("best")
        row = {"name": path.stem, "best": best}
        for solver, fn in (("ils", ils), ("ortools", ortools)):
            if solver == "ortools" and args.no_ortools:
                continue
            route, seconds = fn(problem, args.time_limit)
            score = check(problem, route)
            row[solver] = {"score": score, "gap": gap(best, score), "s": seconds}
        if best is not None and row["ils"]["score"] > best + 1e-9:
            row["note"] = "above the best known"
        rows.setdefault(set_name, []).append(row)
        if not args.quiet:
            print(line(row), flush=True)
    return rows


def line(row: dict) -> str:
    def part(solver: str) -> str:
        r = row.get(solver)
        if not r:
            return ""
        g = "   -  " if r["gap"] is None else f"{r['gap']:5.2f}%"
        return f"{solver} {r['score']:7.1f} {g} {r['s']:5.2f} s"

    best = "   ?" if row["best"] is None else f"{row['best']:7.1f}"
    return f"{row['name']:38s} best {best} | {part('ils')} | {part('ortools')} {row.get('note', '')}"


def summary(label: str, rows: list[dict], solvers: tuple[str, ...]) -> dict:
    out = {}
    parts = []
    for solver in solvers:
        have = [r[solver] for r in rows if solver in r]
        gaps = [r["gap"] for r in have if r["gap"] is not None]
        if not have:
            continue
        mean = statistics.fmean(gaps) if gaps else float("nan")
        at_best = sum(1 for g in gaps if g < 1e-9)
        worst_s = max(r["s"] for r in have)
        out[solver] = {"mean_gap": mean, "max_s": worst_s, "at_best": at_best, "n": len(gaps)}
        parts.append(f"{solver}: mean gap {mean:5.2f}%, at best {at_best}/{len(gaps)}, max {worst_s:.2f} s")
    print(f"{label:22s} " + " | ".join(parts))
    return out


def run_toptw(args) -> list[dict]:
    best = toptw_best()
    files = sorted((DATA / "toptw").glob("*.txt"))
    if args.toptw != "all":
        families: dict[str, list[Path]] = {}
        for f in files:
            families.setdefault(f.stem[:-2], []).append(f)  # c1, c2, r1, r2, rc1, rc2, pr
        per = max(1, int(args.toptw) // max(1, len(families)))
        files = [f for fam in families.values() for f in fam[:per]]
    rows = []
    for f in files:
        problem = read_toptw(f)
        row = {"name": f.stem, "best": best.get(f.stem)}
        for solver, fn in (("ils", ils), ("ortools", ortools)):
            if solver == "ortools" and args.no_ortools:
                continue
            route, seconds = fn(problem, args.time_limit)
            score = check(problem, route)
            row[solver] = {"score": score, "gap": gap(row["best"], score), "s": seconds}
        rows.append(row)
        if not args.quiet:
            print(line(row), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=0.8, help="seconds per instance and solver")
    parser.add_argument("--toptw", default="14", help="TOPTW instances: a number (spread over the families) or all")
    parser.add_argument("--no-ortools", action="store_true", help="skip the OR-Tools baseline")
    parser.add_argument("--quiet", action="store_true", help="only the summaries")
    parser.add_argument("--no-op", action="store_true", help="skip the OP sets (only the TOPTW instances)")
    args = parser.parse_args()
    if not (DATA / "op").is_dir():
        sys.exit(f"no orienteering instances at {DATA}: nothing to measure")
    best_known = json.loads(BEST.read_text()) if BEST.is_file() else {}
    solvers = ("ils",) if args.no_ortools else ("ils", "ortools")
    if not args.no_op:
        run_op_sets(args, best_known, solvers)
    if args.toptw not in ("0", "none") and (DATA / "toptw").is_dir():
        print(f"\nTOPTW instances, one path, {args.time_limit} s per instance and solver")
        toptw = run_toptw(args)
        summary("TOPTW (m1 best)", toptw, solvers)


def run_op_sets(args, best_known: dict, solvers: tuple[str, ...]) -> None:
    print(f"OP instances, {args.time_limit} s per instance and solver (one core)")
    rows = run_op(args, best_known)
    print("\nsummary (gap to the best known; 'at best': instances with no gap)")
    total = []
    for set_name, set_rows in rows.items():
        summary(set_name, set_rows, solvers)
        total += set_rows
    overall = summary("all OP instances", total, solvers)
    ils_s = overall["ils"]
    target = ils_s["mean_gap"] <= 1.0 and ils_s["max_s"] < 1.0
    print(f"target (mean gap <= 1 %, each instance < 1 s): {'PASS' if target else 'FAIL'}")
    if "ortools" in overall:
        o = overall["ortools"]
        print(
            f"ratio OR-Tools / kotacerdas: mean gap {o['mean_gap']:.2f}% vs {ils_s['mean_gap']:.2f}% "
            f"({o['mean_gap'] / max(ils_s['mean_gap'], 1e-9):.1f}x), instances at best {o['at_best']} vs "
            f"{ils_s['at_best']}"
        )


if __name__ == "__main__":
    main()
