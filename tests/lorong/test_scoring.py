"""Scoring rules: normalisation against targets, weights, grades, rankings."""

import pytest

from kotacerdas.lorong import periods
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.scoring import (
    IndicatorRule,
    ScoringRules,
    aggregate,
    aggregate_area,
    grade_for,
    normalise,
    rank,
    rank_areas,
    score_unit,
)

P = [periods.parse(k) for k in ("2025-01", "2025-02", "2025-03")]


def test_normalise_higher_and_lower_is_better():
    assert normalise(15, 30, True) == 50
    assert normalise(45, 30, True) == 100
    assert normalise(None, 30, True) == 0
    assert normalise(3, 0, True) == 100
    assert normalise(2, 4, False) == 100
    assert normalise(8, 4, False) == 50
    assert normalise(1, 0, False) == 50
    assert normalise(0, 0, False) == 100


def test_time_and_area_aggregation():
    vals = [(P[0], 2.0), (P[2], 6.0), (P[1], 4.0)]
    assert aggregate(vals, "sum") == 12 and aggregate(vals, "mean") == 4
    assert aggregate(vals, "last") == 6 and aggregate(vals, "max") == 6
    assert aggregate([], "sum") is None
    assert aggregate_area([1, 2, 3], "mean") == 2 and aggregate_area([1, 2], "sum") == 3
    with pytest.raises(LorongError):
        aggregate(vals, "median")


def rules(**kw):
    return ScoringRules(
        indicators=(
            IndicatorRule("kg", "eco", target=10, time_agg="sum", weight=1),
            IndicatorRule("savers", "eco", target=20, time_agg="last", weight=3),
            IndicatorRule("incidents", "safe", target=0, time_agg="sum", higher_is_better=False),
            IndicatorRule("drills", "safe", target=1, frequency="quarter"),
        ),
        theme_weights=kw.get("weights", {"eco": 2.0, "safe": 1.0}),
        grades=(("A", 80), ("B", 60), ("C", 0)),
    )


def test_sum_targets_scale_with_the_window_and_weights_apply():
    values = {"kg": [(p, 10.0) for p in P], "savers": [(P[0], 40.0), (P[2], 10.0)]}
    s = score_unit(rules(), ["eco"], values, P)
    # kg: 30 of 3 x 10 -> 100; savers: last = 10 of 20 -> 50; theme = (1*100 + 3*50)/4
    assert s.indicators == {"kg": 100.0, "savers": 50.0}
    assert s.themes == {"eco": 62.5} and s.score == 62.5 and s.grade == "B"


def test_missing_values_score_zero_and_themes_are_weighted():
    values = {"kg": [(p, 10.0) for p in P], "savers": [(P[2], 20.0)], "drills": [(P[2], 1.0)]}
    s = score_unit(rules(), ["eco", "safe"], values, P)
    # safe: incidents never reported -> 0, drills 1 of 1 (one quarter closes in the window) -> 100 => 50
    assert s.themes == {"eco": 100.0, "safe": 50.0}
    assert s.score == pytest.approx((2 * 100 + 50) / 3, abs=0.01) and s.grade == "A"


def test_values_outside_the_window_do_not_count_and_no_theme_no_score():
    old = periods.parse("2024-12")
    s = score_unit(rules(), ["eco"], {"kg": [(old, 999.0)]}, P)
    assert s.indicators["kg"] == 0
    assert score_unit(rules(), [], {}, P).score is None


def test_negative_weights_are_refused():
    with pytest.raises(LorongError):
        rules(weights={"eco": -1})


def test_grades():
    g = (("maju", 75), ("berkembang", 50), ("kurang", 0))
    assert grade_for(75, g) == "maju" and grade_for(74.99, g) == "berkembang" and grade_for(0, g) == "kurang"
    assert grade_for(None, g) is None


def test_competition_ranking_and_area_means():
    r = rank([("a", "A", 90), ("b", "B", 80), ("c", "C", 80), ("d", "D", 70), ("e", "E", None)])
    assert [(x.key, x.rank) for x in r] == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]
    areas = rank_areas([("k1", "Satu", 90), ("k1", "Satu", 70), ("k2", "Dua", 85), ("k3", "Tiga", None)])
    assert [(x.key, x.score) for x in areas] == [("k2", 85.0), ("k1", 80.0)]
