"""Scores, suggested grades and rankings of units, from verified indicator values and the programme's rules.

The rules (documented in ``docs/lorong.md``, configurable per programme):

1. **Window.** A unit is scored over the programme's last ``score_periods`` periods.
2. **Value.** Each indicator's values in the window add up by its ``time_agg``: ``sum``,
   ``mean``, ``last`` (the newest) or ``max``.
3. **Target.** An indicator's target is per period of its own frequency; for ``sum`` it is
   multiplied by the number of such periods in the window (a monthly target of 30 kg is 360 kg
   over twelve months), for the other aggregations it stays as it is.
4. **Normalised score (0..100).** Higher is better: ``100 * min(value / target, 1)`` (a target of
   0 or less gives 100 to any value). Lower is better: 100 at or under the target, else
   ``100 * target / value``; with a target of 0, ``100 / (1 + value)``. An indicator with no
   verified value in the window scores 0: what is not reported earns nothing.
5. **Theme score** = the indicator scores averaged with the indicators' weights.
6. **Unit score** = the theme scores of the themes the unit takes part in, averaged with the
   themes' weights. A unit in no theme has no score.
7. **Suggested grade** = the first grade (highest threshold first) whose minimum the score
   reaches. The official grade stays what the city decides; the suggestion is shown beside it.
8. **Rankings** order by score, highest first (ties share a rank, the next rank is skipped:
   1, 2, 2, 4), per kelurahan, kecamatan and the whole city; areas rank by their units' mean score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kotacerdas.core.i18n import N_
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.periods import Period


@dataclass(frozen=True)
class IndicatorRule:
    """What scoring needs to know of one indicator."""

    key: int | str
    theme: int | str
    target: float
    time_agg: str = "sum"
    higher_is_better: bool = True
    weight: float = 1.0
    frequency: str = "month"


@dataclass(frozen=True)
class ScoringRules:
    """A programme's scoring configuration: its indicators, theme weights and grade thresholds."""

    indicators: tuple[IndicatorRule, ...]
    theme_weights: Mapping[int | str, float]
    grades: tuple[tuple[str, float], ...]

    def __post_init__(self) -> None:
        for rule in self.indicators:
            if rule.weight < 0:
                raise LorongError(N_("A weight must not be negative"), field="weight")
        for w in self.theme_weights.values():
            if w < 0:
                raise LorongError(N_("A weight must not be negative"), field="weight")


@dataclass(frozen=True)
class UnitScore:
    """A unit's score (0..100, or ``None`` when it takes part in no theme), per theme, and its suggested grade."""

    score: float | None
    themes: dict[int | str, float] = field(default_factory=dict)
    indicators: dict[int | str, float] = field(default_factory=dict)
    grade: str | None = None


def aggregate(values: Sequence[tuple[Period, float]], how: str) -> float | None:
    """Values of one unit over time: ``sum``, ``mean``, ``last`` (newest period) or ``max``; ``None`` if none."""
    if not values:
        return None
    if how == "sum":
        return float(sum(v for _p, v in values))
    if how == "mean":
        return float(sum(v for _p, v in values) / len(values))
    if how == "last":
        return float(max(values, key=lambda pv: pv[0])[1])
    if how == "max":
        return float(max(v for _p, v in values))
    raise LorongError(N_("Unknown aggregation {value}"), field="time_agg", value=how)


def aggregate_area(values: Iterable[float], how: str) -> float | None:
    """Values of several units (one area): ``sum`` or ``mean``; ``None`` if there are none."""
    vals = list(values)
    if not vals:
        return None
    if how == "sum":
        return float(sum(vals))
    if how == "mean":
        return float(sum(vals) / len(vals))
    raise LorongError(N_("Unknown aggregation {value}"), field="area_agg", value=how)


def normalise(value: float | None, target: float, higher_is_better: bool) -> float:
    """The 0..100 score of ``value`` against ``target`` (rule 4 of this module)."""
    if value is None:
        return 0.0
    if higher_is_better:
        if target <= 0:
            return 100.0
        return 100.0 * max(0.0, min(value / target, 1.0))
    if value <= target:
        return 100.0
    if target <= 0:
        return 100.0 / (1.0 + value)
    return 100.0 * target / value


def periods_of(window: Sequence[Period], frequency: str) -> int:
    """How many periods of ``frequency`` close inside ``window`` (at least one)."""
    return max(1, sum(1 for p in window if p.closes(frequency)))


def check_grades(grades: Sequence[Sequence[object]]) -> list[list[str | float]]:
    """A programme's grades, best first: ``[[name, lowest score], ...]`` with distinct names, lowest scores from 0 to
    100 that fall from each grade to the next, the last at 0 (so every score has a grade). Refused otherwise, saying
    which grade is out of order: ``[[A, 50], [B, 80], [C, 0]]`` would make B harder to earn than A."""
    if not grades:
        raise LorongError(N_("Grades are pairs of a name and a minimum score from 0 to 100"), field="grades")
    out: list[list[str | float]] = []
    for i, g in enumerate(grades):
        try:
            name, minimum = str(g[0]).strip(), float(g[1])  # type: ignore[arg-type]
        except (TypeError, ValueError, IndexError) as exc:
            raise LorongError(
                N_("Grades are pairs of a name and a minimum score from 0 to 100"), field=f"grades.{i}"
            ) from exc
        if len(g) != 2 or not name or not 0 <= minimum <= 100:
            raise LorongError(N_("Grades are pairs of a name and a minimum score from 0 to 100"), field=f"grades.{i}")
        if any(name == o[0] for o in out):
            raise LorongError(N_("The grade {grade} is given twice"), field=f"grades.{i}", grade=name)
        if out and minimum >= float(out[-1][1]):
            raise LorongError(
                N_(
                    "Grades go from the best down, each earned with a lower score than the one before: {grade} "
                    "(from {score}) comes after {previous} (from {previous_score})"
                ),
                field=f"grades.{i}",
                grade=name,
                score=f"{minimum:g}",
                previous=out[-1][0],
                previous_score=f"{float(out[-1][1]):g}",
            )
        out.append([name, minimum])
    if float(out[-1][1]) > 0:
        raise LorongError(N_("The lowest grade must start at a score of 0"), field="grades")
    return out


def grade_for(score: float | None, grades: Sequence[tuple[str, float]]) -> str | None:
    """The first grade, highest threshold first, whose minimum ``score`` reaches."""
    if score is None:
        return None
    for grade, minimum in sorted(grades, key=lambda g: -g[1]):
        if score >= minimum - 1e-9:
            return grade
    return None


def score_unit(
    rules: ScoringRules,
    themes: Iterable[int | str],
    values: Mapping[int | str, Sequence[tuple[Period, float]]],
    window: Sequence[Period],
) -> UnitScore:
    """Score one unit taking part in ``themes`` from its verified ``values`` (indicator -> [(period, value)])."""
    inside = set(window)
    by_theme: dict[int | str, list[IndicatorRule]] = defaultdict(list)
    for rule in rules.indicators:
        by_theme[rule.theme].append(rule)
    indicator_scores: dict[int | str, float] = {}
    theme_scores: dict[int | str, float] = {}
    for theme in themes:
        rules_of = by_theme.get(theme, [])
        total_w = sum(r.weight for r in rules_of)
        if not rules_of or total_w <= 0:
            continue
        acc = 0.0
        for r in rules_of:
            vals = [(p, v) for p, v in values.get(r.key, ()) if p in inside]
            value = aggregate(vals, r.time_agg)
            target = r.target * periods_of(window, r.frequency) if r.time_agg == "sum" else r.target
            s = normalise(value, target, r.higher_is_better)
            indicator_scores[r.key] = round(s, 2)
            acc += r.weight * s
        theme_scores[theme] = round(acc / total_w, 2)
    weights = {t: float(rules.theme_weights.get(t, 1.0)) for t in theme_scores}
    total = sum(weights.values())
    if not theme_scores or total <= 0:
        return UnitScore(None, theme_scores, indicator_scores, None)
    score = round(sum(weights[t] * s for t, s in theme_scores.items()) / total, 2)
    return UnitScore(score, theme_scores, indicator_scores, grade_for(score, rules.grades))


@dataclass(frozen=True)
class Ranked:
    """One ranked item: its rank (1 = best), key, name and score."""

    rank: int
    key: str
    name: str
    score: float


def rank(items: Iterable[tuple[str, str, float | None]]) -> list[Ranked]:
    """Competition ranking of ``(key, name, score)`` by score, highest first; unscored items are left out."""
    scored = sorted(((k, n, s) for k, n, s in items if s is not None), key=lambda x: (-x[2], x[1], x[0]))
    out: list[Ranked] = []
    for i, (k, n, s) in enumerate(scored):
        r = out[-1].rank if out and abs(out[-1].score - s) < 1e-9 else i + 1
        out.append(Ranked(r, k, n, s))
    return out


def rank_areas(units: Iterable[tuple[str, str, float | None]]) -> list[Ranked]:
    """Areas ranked by the mean score of their units: ``units`` are ``(area key, area name, unit score)``."""
    sums: dict[str, list[float]] = defaultdict(list)
    names: dict[str, str] = {}
    for key, name, score in units:
        names[key] = name
        if score is not None:
            sums[key].append(score)
    return rank((k, names[k], round(sum(v) / len(v), 2)) for k, v in sums.items())
