"""Benchmark: HMM map matching against the naive nearest-segment baseline.

Ground truth: random routes (shortest paths between random junctions, at least
``--min-route`` metres) on a real OpenStreetMap extract (the Surabaya 2013 extract in
../shared when present, else pyrosm's small Kotka test extract), driven at 1 Hz with
speeds between 20 and 60 km/h (a new target speed every 10 s, smoothed), then
Gaussian noise of ``--noise`` metres per axis added to every fix.

Prints, for the HMM matcher and the baseline: the share of fixes on the right
segment and fixes per second (one core, matching time only), and their ratios.
Targets of the issue: >= 98 % right at 10 m noise, >= 20,000 fixes/s.

Run: ``.venv/bin/python bench/map_matching.py [--quick] [--noise 10] [--drives 40]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import shapely

from kotacerdas.network.graph import RoadGraph, build_graph
from kotacerdas.network.osm import read_osm
from kotacerdas.roads.map_matching import MapMatcher, nearest_segment_match

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "osm" / "surabaya-sukolilo-2013.osm"


def network() -> tuple[str, RoadGraph]:
    if SHARED.is_file():
        return "surabaya-sukolilo-2013 (../shared)", build_graph(read_osm(SHARED))
    import pyrosm

    return "pyrosm test_pbf (Kotka)", build_graph(read_osm(pyrosm.get_data("test_pbf")))


def simulate(graph: RoadGraph, matcher: MapMatcher, rng: np.random.Generator, noise: float,
             min_route: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """One drive: noisy lon, lat, the true graph segment index per fix, the true
    point's distance to the nearer end of its segment, and the route's segments."""
    while True:
        a, b = (int(v) for v in rng.choice(graph.node_ids, size=2, replace=False))
        route = graph.shortest_path(a, b)
        if route is not None and route.length_m >= min_route:
            break
    tree_of = {int(k): i for i, k in enumerate(matcher.seg_ids)}
    parts, seg_of = [], []
    for sid, fwd in route.segments:
        k = graph.segment_index[sid]
        xy = shapely.get_coordinates(matcher.proj[tree_of[k]])
        parts.append(xy if fwd else xy[::-1])
        seg_of.append(k)
    lengths = np.array([np.hypot(*np.diff(p, axis=0).T).sum() for p in parts])
    starts = np.concatenate([[0.0], np.cumsum(lengths)])
    total = starts[-1]
    # speed: a new target every 10 s between 20 and 60 km/h, smoothed by a 5 s mean
    n_guess = int(total / 5.5) + 20
    targets = np.repeat(rng.uniform(20, 60, n_guess // 10 + 2) / 3.6, 10)[:n_guess]
    v = np.convolve(targets, np.ones(5) / 5, mode="same")
    s = np.concatenate([[0.0], np.cumsum(v)])
    s = s[s < total]
    part = np.clip(np.searchsorted(starts, s, side="right") - 1, 0, len(parts) - 1)
    truth = np.array(seg_of)[part]
    along = s - starts[part]
    to_end = np.minimum(along, lengths[part] - along)
    line = shapely.linestrings(np.vstack(parts))
    pts = shapely.get_coordinates(shapely.line_interpolate_point(line, s))
    x = pts[:, 0] + rng.normal(0, noise, s.size)
    y = pts[:, 1] + rng.normal(0, noise, s.size)
    lon, lat = graph.transformer.transform(x, y, direction="INVERSE")
    return np.asarray(lon), np.asarray(lat), truth, to_end, seg_of


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer drives")
    ap.add_argument("--noise", type=float, default=10.0, help="GPS noise, metres per axis")
    ap.add_argument("--drives", type=int, default=40)
    ap.add_argument("--min-route", type=float, default=1500.0)
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()
    drives = 8 if args.quick else args.drives
    name, graph = network()
    matcher = MapMatcher(graph)
    rng = np.random.default_rng(args.seed)
    data = [simulate(graph, matcher, rng, args.noise, args.min_route) for _ in range(drives)]
    n = sum(d[0].size for d in data)
    matcher.match(data[0][0][:50], data[0][1][:50])  # warm-up (CSR matrix, imports)

    t0 = time.perf_counter()
    results = [matcher.match(d[0], d[1]) for d in data]
    t_hmm = time.perf_counter() - t0
    t0 = time.perf_counter()
    naive = [nearest_segment_match(matcher, d[0], d[1]) for d in data]
    t_naive = time.perf_counter() - t0

    truth = np.concatenate([d[2] for d in data])
    to_end = np.concatenate([d[3] for d in data])
    hmm_seg = np.concatenate([r.segment_index for r in results])
    naive_seg = np.concatenate(naive)
    clear = to_end >= args.noise  # true point at least one noise sd from a junction
    acc_hmm, acc_naive = float((hmm_seg == truth).mean()), float((naive_seg == truth).mean())
    fps_hmm, fps_naive = n / t_hmm, n / t_naive
    # route level (Newson & Krumm's route mismatch): length driven wrongly / true length
    seg_len = np.array([s.length_m for s in graph.segments])
    mismatch = []
    for r, d in zip(results, data, strict=True):
        true_set = set(d[4])
        got = {graph.segment_index[x.segment_id] for x in r.driven}
        wrong = seg_len[list(got - true_set)].sum() + seg_len[list(true_set - got)].sum()
        mismatch.append(wrong / seg_len[d[4]].sum())
    breaks = sum(int(r.chain_start.sum()) - 1 for r in results)
    print(f"network: {name}: {len(graph.segments)} segments, {graph.n_nodes} junctions")
    print(f"drives: {drives}, fixes: {n}, noise: {args.noise} m per axis, 1 Hz, 20-60 km/h")
    print(f"{'matcher':<18}{'right segment':>15}{'  away from junctions':>22}{'fixes/s':>12}")
    for label, seg, acc, fps in (("HMM (Viterbi)", hmm_seg, acc_hmm, fps_hmm),
                                 ("nearest segment", naive_seg, acc_naive, fps_naive)):
        print(f"{label:<18}{acc:>14.2%}{float((seg[clear] == truth[clear]).mean()):>21.2%}{fps:>12,.0f}")
    print(f"(away from junctions: the {clear.mean():.0%} of fixes whose true point is >= {args.noise:g} m "
          f"from its segment's ends)")
    print(f"accuracy ratio HMM/naive: {acc_hmm / acc_naive:.3f}; error ratio naive/HMM: "
          f"{(1 - acc_naive) / max(1 - acc_hmm, 1e-9):.2f}; speed ratio HMM/naive: {fps_hmm / fps_naive:.3f}")
    print(f"HMM route mismatch (length wrongly added or missed / route length): mean "
          f"{np.mean(mismatch):.2%}, worst {np.max(mismatch):.2%}")
    print(f"chain restarts: {breaks}; estimated sigma (mean): {np.mean([r.sigma_m for r in results]):.1f} m")
    print(f"targets: right segment >= 98 %: {'met' if acc_hmm >= 0.98 else 'NOT met'}; "
          f">= 20,000 fixes/s: {'met' if fps_hmm >= 20000 else 'NOT met'}")


if __name__ == "__main__":
    main()
