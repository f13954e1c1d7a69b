"""Rebalancing benchmark: empty + full station-minutes of a simulated day, with and without truck plans.

Demand comes from the Banyuwangi demo model; the plan uses only the forecast
(a Poisson model fitted on six weeks of generated history), never the true
rates. Both runs see the same riders (common random numbers) and start from
the same stock: the end of a previous day without rebalancing.

Baseline: doing nothing. Target (issue 4): the plan cuts empty + full
station-minutes by at least 30 %.

Run: .venv/bin/python bench/rebalancing.py [--quick]
"""

from __future__ import annotations

import argparse
import time
from datetime import date, datetime, timedelta
from datetime import time as clock

from kotacerdas.bikes import demand_sim as ds
from kotacerdas.bikes import demo, forecast
from kotacerdas.bikes import rebalancing as rb
from kotacerdas.bikes.model import WIB

DEPOT = (114.3620, -8.2160)  # (lon, lat): a yard west of the town square (demo)
ROUNDS = ((5 * 60, 5, 11), (10 * 60 + 30, 11, 16), (14 * 60 + 30, 16, 22))  # (minute, window start, end hour)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer days and shorter solver time")
    args = ap.parse_args()
    seeds = range(3) if args.quick else range(10)
    limit = 0.5 if args.quick else 2.0

    stations = demo.demo_stations()
    ids = [s.station_id for s in stations]
    profile = demo.demo_profile()
    start = datetime.combine(demo.DEFAULT_START, clock(0), WIB)
    history = demo.demo_trips(weeks=6)
    counts = forecast.hourly_counts(history, ids, start, start + timedelta(weeks=6))
    t0 = time.perf_counter()
    model = forecast.fit_forecaster(counts)
    fit_s = time.perf_counter() - t0
    points = {"depot": DEPOT, **{s.station_id: (s.lon, s.lat) for s in stations}}
    loc_ids, matrix = rb.straight_line_matrix(points)
    trucks = [rb.Truck("truck-1", 14, 150), rb.Truck("truck-2", 14, 150)]

    print(
        f"stations {len(stations)}, docks {sum(s.capacity for s in stations)}, trucks {len(trucks)} x "
        f"{trucks[0].capacity} bikes x {trucks[0].shift_minutes} min, rounds at "
        + ", ".join(f"{m // 60:02d}:{m % 60:02d}" for m, _, _ in ROUNDS)
        + f"; forecast fit {fit_s:.1f} s"
    )
    print(f"{'day':<12}{'seed':>5}{'no plan':>10}{'plan':>8}{'cut':>8}{'lost no/plan':>15}{'moved':>7}{'solve s':>9}")
    totals = {ds.WORKDAY: [0, 0], ds.RESTDAY: [0, 0]}
    for kind, day in ((ds.WORKDAY, date(2025, 4, 14)), (ds.RESTDAY, date(2025, 4, 19))):
        hours = forecast.hour_range(
            datetime.combine(day, clock(0), WIB), datetime.combine(day + timedelta(days=1), clock(0), WIB)
        )
        pick, ret = model.predict(hours)
        flow = ret - pick
        for seed in seeds:
            warmup = ds.sample_demand(profile, kind, 10_000 + seed)
            half = {s.station_id: s.capacity // 2 for s in stations}
            initial = ds.simulate_day(warmup, stations, half).final_inventory
            requests = ds.sample_demand(profile, kind, seed)
            base = ds.simulate_day(requests, stations, initial)
            solve = [0.0]

            def policy(minute: int, inventory: dict[str, int], flow=flow, solve=solve) -> list[ds.Move]:
                _, a, b = next(r for r in ROUNDS if r[0] == minute)
                needs = rb.station_needs(stations, inventory, flow[a:b])
                t = time.perf_counter()
                plan = rb.plan_routes(needs, trucks, matrix, location_ids=loc_ids, time_limit_s=limit)
                solve[0] += time.perf_counter() - t
                problems = rb.check_plan(plan, trucks, needs, matrix, location_ids=loc_ids)
                assert not problems, problems
                return plan.moves(minute)

            planned = ds.simulate_day(requests, stations, initial, policy=policy, policy_minutes=[r[0] for r in ROUNDS])
            cut = 1 - planned.problem_minutes / max(1, base.problem_minutes)
            totals[kind][0] += base.problem_minutes
            totals[kind][1] += planned.problem_minutes
            print(
                f"{'workday' if kind == ds.WORKDAY else 'rest day':<12}{seed:>5}{base.problem_minutes:>10}"
                f"{planned.problem_minutes:>8}{cut:>8.1%}{base.lost_requests:>8}/{planned.lost_requests:<6}"
                f"{planned.bikes_moved:>7}{solve[0]:>9.2f}"
            )
    all_base = sum(v[0] for v in totals.values())
    all_plan = sum(v[1] for v in totals.values())
    for kind, (b, p) in totals.items():
        name = "workdays" if kind == ds.WORKDAY else "rest days"
        print(f"{name}: empty+full station-minutes {b} -> {p} ({1 - p / max(1, b):.1%} cut)")
    ratio = 1 - all_plan / max(1, all_base)
    print(
        f"overall: {all_base} -> {all_plan} station-minutes, cut {ratio:.1%} vs doing nothing "
        f"(target >= 30 %): {'PASS' if ratio >= 0.30 else 'FAIL'}"
    )
    print(
        f"mean per day: {all_base / (2 * len(seeds)):.0f} station-minutes without plan, "
        f"{all_plan / (2 * len(seeds)):.0f} with plan"
    )


if __name__ == "__main__":
    main()
