"""Prove the optimal scores of the orienteering benchmark instances with an exact solver (OR-Tools CP-SAT).

    .venv/bin/python bench/orienteering_exact.py [--time-limit 120] [--workers 2] [--only NAME ...]

Writes ``bench/orienteering_best.json``: per instance the optimal score when proved, otherwise the
best score found and the proved upper bound. ``bench/orienteering.py`` measures gaps against it.

Model: one Boolean per arc ``i -> j`` and, for each point but the start and the end, a self-loop
meaning "not visited"; ``AddCircuit`` makes the chosen arcs one circuit, closed by the forced arc
end -> start. The tour length is the sum of the chosen arcs' integer lengths. Euclidean lengths are
made integers in units of 1/1000: rounding every length *down* gives a relaxation (its optimum is an
upper bound of the true one); if its tour also fits the budget in real lengths, it is optimal.
Otherwise the same model with lengths rounded *up* (a restriction: every tour it finds is feasible)
gives a lower bound, and so does a long (5 s) run of kotacerdas's own heuristic; a lower bound equal to
the relaxation's upper bound proves the optimum.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kotacerdas.bikes.formats.op import OpInstance, read_op  # noqa: E402
from kotacerdas.bikes.orienteering import solve  # noqa: E402

OP_DIR = ROOT.parent / "shared" / "bench" / "orienteering" / "op"
OUT = ROOT / "bench" / "orienteering_best.json"
SCALE = 1000
HEURISTIC_S = 5.0


def instances() -> list[Path]:
    return sorted(p for p in OP_DIR.glob("*/*.txt") if "format" not in p.name.lower())


def cp_sat(inst: OpInstance, rounding, time_limit: float, workers: int) -> tuple[float, float, list[int]]:
    """(objective, bound, route) of the CP-SAT model with lengths rounded by ``rounding``."""
    from ortools.sat.python import cp_model

    d = inst.distances()
    n = d.shape[0]
    lengths = rounding(d * SCALE).astype(np.int64)
    budget = int(math.floor(inst.budget * SCALE + 1e-6))
    model = cp_model.CpModel()
    arcs = []
    arc_vars = {}
    skip = {}
    for i in range(n):
        if i > 1:
            skip[i] = model.NewBoolVar(f"skip{i}")
            arcs.append((i, i, skip[i]))
        for j in range(n):
            if i == j or j == 0 or i == 1:
                continue
            if lengths[0, i] + lengths[i, j] + lengths[j, 1] > budget and i != 0 and j != 1:
                continue
            v = model.NewBoolVar(f"x{i}_{j}")
            arc_vars[i, j] = v
            arcs.append((i, j, v))
    back = model.NewConstant(1)
    arcs.append((1, 0, back))
    model.AddCircuit(arcs)
    model.Add(sum(int(lengths[i, j]) * v for (i, j), v in arc_vars.items()) <= budget)
    model.Maximize(sum(int(inst.score[i]) * (1 - skip[i]) for i in skip))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return -1.0, float(solver.BestObjectiveBound()), []
    nxt = {i: j for (i, j), v in arc_vars.items() if solver.Value(v)}
    route, node = [0], 0
    while node != 1:
        node = nxt[node]
        route.append(node)
    return float(solver.ObjectiveValue()), float(solver.BestObjectiveBound()), route


def prove(inst: OpInstance, time_limit: float, workers: int) -> dict:
    started = time.perf_counter()
    value, bound, route = cp_sat(inst, np.floor, time_limit, workers)
    upper = bound
    if route and inst.length(route) <= inst.budget + 1e-9:
        best, best_route = value, route
    else:
        best, _, best_route = cp_sat(inst, np.ceil, time_limit, workers)
    source = "cp-sat"
    # a long run of the heuristic is a lower bound too: equal to the relaxation's bound, it proves the optimum
    heuristic = solve(inst.problem(), time_limit_s=HEURISTIC_S, iterations=400, seed=7)
    if heuristic.score > best + 1e-9:
        best, best_route, source = heuristic.score, list(heuristic.route), "ils (kotacerdas, long run)"
    proved = best >= 0 and abs(best - upper) < 1e-6
    return {
        "best": best,
        "source": source,
        "upper_bound": upper,
        "optimal": proved,
        "route": best_route,
        "length": round(inst.length(best_route), 6) if best_route else None,
        "seconds": round(time.perf_counter() - started, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    if not OP_DIR.is_dir():
        sys.exit(f"no benchmark instances at {OP_DIR}")
    table = json.loads(OUT.read_text()) if OUT.is_file() else {}
    for path in instances():
        if args.only and path.stem not in args.only:
            continue
        if path.stem in table and table[path.stem]["optimal"] and not args.only:
            continue
        result = prove(read_op(path), args.time_limit, args.workers)
        table[path.stem] = result
        print(
            f"{path.stem:45s} best {result['best']:8.1f} ub {result['upper_bound']:8.1f} "
            f"{'optimal' if result['optimal'] else 'open':8s} {result['seconds']:7.1f} s",
            flush=True,
        )
        OUT.write_text(json.dumps(dict(sorted(table.items())), indent=1) + "\n")


if __name__ == "__main__":
    main()
