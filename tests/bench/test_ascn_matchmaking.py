"""The matchmaking bench's summary leads with the fair ranking, not the one given the held-out answers' types."""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_the_fair_matcher_is_the_headline():
    sys.path.insert(0, str(BENCH))
    try:
        import ascn_matchmaking as bench
    finally:
        sys.path.remove(str(BENCH))
    rows = {
        bench.FAIR: [(0.2, 0.6, 1.0), (0.2, 0.6, 1.0)],
        bench.POPULARITY: [(0.1, 0.3, 0.0), (0.1, 0.3, 1.0)],
        bench.WITH_TYPES: [(0.4, 0.9, 1.0), (0.4, 0.9, 1.0)],
    }
    lines = bench.summary(rows)
    assert lines[1].startswith(bench.FAIR) and "headline" in lines[1]
    assert lines[-1].startswith("headline: precision@5 0.200, 2.00 x popularity")
    assert lines[3].startswith(bench.WITH_TYPES) and "upper bound" in lines[3]
