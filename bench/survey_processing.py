"""Speed of end-to-end survey processing (issue 3 target: 1 h of 100 Hz driving in < 10 s on one core).

The input is one simulated hour: 360,000 accelerometer samples at 100 Hz and
3,600 GPS fixes. :func:`kotacerdas.roads.processing.process_survey` runs
preparation, the IRI response model, classification and event detection.

Baseline: the same per-sample chain written as plain Python loops (resampling,
gravity low-pass, vertical projection, distance per sample, per-interval RMS and
peak search), timed on a shorter run and scaled per sample; the ratio is printed.

Run: ``.venv/bin/python bench/survey_processing.py [--quick]``.
"""

from __future__ import annotations

import argparse
import math
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from kotacerdas.roads.processing import process_survey  # noqa: E402
from kotacerdas.roads.simulator import SimulationConfig, simulate_survey, winding_route  # noqa: E402
from kotacerdas.roads.streams import SurveyStreams, Track, Vector3  # noqa: E402


def crop(s: SurveyStreams, seconds: float) -> SurveyStreams:
    t0 = s.accel.t[0]
    a = s.accel.t < t0 + seconds
    g = s.track.t < t0 + seconds
    acc = Vector3(s.accel.t[a], s.accel.x[a], s.accel.y[a], s.accel.z[a])
    tr = Track(s.track.t[g], s.track.lat[g], s.track.lon[g], s.track.speed[g], s.track.accuracy[g])
    return SurveyStreams(tr, acc, vehicle_id=s.vehicle_id, source_format=s.source_format)


def loop_baseline(s: SurveyStreams, interval_m: float = 100.0) -> int:
    """Plain-Python version of the per-sample chain; returns the number of intervals."""
    t = s.accel.t.tolist()
    x, y, z = s.accel.x.tolist(), s.accel.y.tolist(), s.accel.z.tolist()
    ft, fv = s.track.t.tolist(), s.track.speed.tolist()
    fs = 1.0 / ((t[-1] - t[0]) / (len(t) - 1))
    alpha = 1.0 - math.exp(-2 * math.pi * 0.1 / fs)
    gx, gy, gz = x[0], y[0], z[0]
    dist_fix = [0.0]
    for i in range(1, len(ft)):
        dist_fix.append(dist_fix[-1] + 0.5 * (fv[i] + fv[i - 1]) * (ft[i] - ft[i - 1]))
    j = 0
    sums: dict[int, float] = {}
    counts: dict[int, int] = {}
    peaks = 0
    for i in range(len(t)):
        gx += alpha * (x[i] - gx)
        gy += alpha * (y[i] - gy)
        gz += alpha * (z[i] - gz)
        n = math.sqrt(gx * gx + gy * gy + gz * gz)
        av = ((x[i] - gx) * gx + (y[i] - gy) * gy + (z[i] - gz) * gz) / n
        while j < len(ft) - 2 and ft[j + 1] < t[i]:
            j += 1
        w = min(1.0, max(0.0, (t[i] - ft[j]) / (ft[j + 1] - ft[j])))
        d = dist_fix[j] + w * (dist_fix[j + 1] - dist_fix[j])
        k = int(d // interval_m)
        sums[k] = sums.get(k, 0.0) + av * av
        counts[k] = counts.get(k, 0) + 1
        if abs(av) > 3.0:
            peaks += 1
    return len(sums)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a 10-minute drive instead of an hour")
    args = ap.parse_args()
    seconds = 600.0 if args.quick else 3600.0
    length = seconds * 16.0  # average speed of the driver is about 55 km/h
    t0 = time.perf_counter()
    cfg = SimulationConfig(fs_hz=100.0, speed_kmh=(30.0, 80.0), stops_per_km=0.2)
    streams, _ = simulate_survey(winding_route(length, seed=1), config=cfg, seed=1)
    streams = crop(streams, seconds)
    print(
        f"simulated {len(streams.accel):,} accelerometer samples and {len(streams.track):,} fixes "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    best = float("inf")
    for _ in range(3):
        t1 = time.perf_counter()
        result = process_survey(streams)
        best = min(best, time.perf_counter() - t1)
    n_meas = sum(r.status == "measured" for r in result.intervals)
    print(
        f"process_survey: {best:.2f} s (best of 3) for {seconds / 3600:.2f} h -> "
        f"{len(result.intervals)} intervals ({n_meas} measured), {len(result.events)} events"
    )
    short = crop(streams, 120.0)
    t2 = time.perf_counter()
    loop_baseline(short)
    loop_s = time.perf_counter() - t2
    t3 = time.perf_counter()
    process_survey(short)
    vec_short = time.perf_counter() - t3
    per_sample = loop_s / len(short.accel)
    print(
        f"baseline plain-Python loop (partial chain) on 2 min: {loop_s:.2f} s; vectorised full chain: "
        f"{vec_short:.3f} s; ratio {loop_s / vec_short:.0f}x"
    )
    print(
        f"baseline extrapolated to the full run: {per_sample * len(streams.accel):.1f} s vs {best:.2f} s "
        f"(ratio {per_sample * len(streams.accel) / best:.0f}x)"
    )
    if not args.quick:
        print(
            f"target: 1 h of 100 Hz driving in < 10 s -> {'MET' if best < 10 else 'NOT MET'} ({best:.2f} s)"
        )


if __name__ == "__main__":
    main()
