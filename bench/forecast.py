"""Forecast benchmark: Poisson ridge model vs seasonal naive (same hour last week) on held-out weeks.

Data: the generated Banyuwangi demo history (several weeks, Indonesian public
holidays included, hourly rain). Rolling origin: each test week is predicted
by a model fitted on all earlier weeks. Scores: MAE and RMSE of hourly
pickups and returns per station.

Run: .venv/bin/python bench/forecast.py [--quick]
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime, timedelta
from datetime import time as clock

from kotacerdas.bikes import demo, forecast
from kotacerdas.bikes.model import WIB


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="five weeks of history, one weather setting")
    args = ap.parse_args()
    weeks, test_weeks = (5, 2) if args.quick else (8, 3)
    stations = demo.demo_stations()
    ids = [s.station_id for s in stations]
    start = datetime.combine(demo.DEFAULT_START, clock(0), WIB)
    weather = demo.demo_weather(days=7 * weeks)
    trips = demo.demo_trips(weeks=weeks, weather=weather)
    counts = forecast.hourly_counts(trips, ids, start, start + timedelta(weeks=weeks))
    last = (start + timedelta(weeks=weeks)).date()
    hol = sorted(forecast.indonesian_holidays_for(counts.hours))
    print(
        f"{len(trips)} trips, {len(ids)} stations, {weeks} weeks from {start.date()}, "
        f"test weeks {test_weeks}; holidays: {', '.join(str(d) for d in hol if start.date() <= d < last)}"
    )
    print(f"{'model':<28}{'pickups MAE':>12}{'RMSE':>8}{'returns MAE':>13}{'RMSE':>8}{'seconds':>9}")
    runs = [("Poisson ridge, no weather", None)] + ([] if args.quick else [("Poisson ridge + rain", weather)])
    ev = None
    for name, w in runs:
        t = time.perf_counter()
        ev = forecast.evaluate(counts, test_weeks=test_weeks, weather=w, l2=1.0)
        secs = time.perf_counter() - t
        print(
            f"{name:<28}{ev.model_pickups.mae:>12.3f}{ev.model_pickups.rmse:>8.3f}"
            f"{ev.model_returns.mae:>13.3f}{ev.model_returns.rmse:>8.3f}{secs:>9.1f}"
        )
        gain = ev.improvement()
        print(
            f"{'  vs seasonal naive':<28}{gain['pickups_mae']:>12.1%}{gain['pickups_rmse']:>8.1%}"
            f"{gain['returns_mae']:>13.1%}{gain['returns_rmse']:>8.1%}   (error reduction)"
        )
    assert ev is not None
    print(
        f"{'seasonal naive (baseline)':<28}{ev.naive_pickups.mae:>12.3f}{ev.naive_pickups.rmse:>8.3f}"
        f"{ev.naive_returns.mae:>13.3f}{ev.naive_returns.rmse:>8.3f}"
    )


if __name__ == "__main__":
    main()
