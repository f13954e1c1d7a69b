"""The city dashboard's aggregates, in SQL: units and grades, theme coverage, reports on time and indicator trends
(from the summaries of :mod:`kotacerdas.lorong.store.rollups`) and figures per kelurahan. Each is one small query;
none reads report values row by row. :func:`aggregates_per_row` computes the same the plain way."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.lorong.store.tables import (
    LorongCityRollup,
    LorongPeriodCount,
    LorongReport,
    LorongUnit,
    LorongUnitTheme,
)


@dataclass
class Aggregates:
    """What the city dashboard shows, before names and charts are added."""

    units: int = 0
    grades: dict[str, int] = field(default_factory=dict)
    suggested_grades: dict[str, int] = field(default_factory=dict)
    theme_units: dict[int, int] = field(default_factory=dict)
    reports: dict[str, dict[str, int]] = field(default_factory=dict)
    trend: dict[int, dict[str, tuple[float, int]]] = field(default_factory=dict)
    kelurahan: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_comparable(self) -> dict[str, Any]:
        """Everything as plain values, rounded, for comparing two ways of computing it."""
        return {
            "units": self.units,
            "grades": dict(sorted(self.grades.items())),
            "suggested_grades": dict(sorted(self.suggested_grades.items())),
            "theme_units": dict(sorted(self.theme_units.items())),
            "reports": {p: dict(sorted(v.items())) for p, v in sorted(self.reports.items())},
            "trend": {
                i: {p: (round(s, 6), c) for p, (s, c) in sorted(v.items())} for i, v in sorted(self.trend.items())
            },
            "kelurahan": {
                k: {kk: (round(vv, 6) if isinstance(vv, float) else vv) for kk, vv in sorted(v.items())}
                for k, v in sorted(self.kelurahan.items())
            },
        }


def aggregates(session: Session, programme_id: int, period_keys: list[str]) -> Aggregates:
    """The dashboard aggregates of a programme over ``period_keys`` (the last one is the current period)."""
    out = Aggregates()
    for grade, suggested, n in session.execute(
        select(LorongUnit.grade, LorongUnit.suggested_grade, func.count())
        .where(LorongUnit.programme_id == programme_id)
        .group_by(LorongUnit.grade, LorongUnit.suggested_grade)
    ):
        out.units += n
        out.grades[grade or "-"] = out.grades.get(grade or "-", 0) + n
        out.suggested_grades[suggested or "-"] = out.suggested_grades.get(suggested or "-", 0) + n
    out.theme_units = dict(
        session.execute(
            select(LorongUnitTheme.theme_id, func.count())
            .join(LorongUnit, LorongUnit.id == LorongUnitTheme.unit_id)
            .where(LorongUnit.programme_id == programme_id)
            .group_by(LorongUnitTheme.theme_id)
        ).all()
    )
    reports: dict[str, dict[str, int]] = {}
    for period, submitted, on_time, verified in session.execute(
        select(
            LorongPeriodCount.period,
            func.sum(LorongPeriodCount.submitted),
            func.sum(LorongPeriodCount.on_time),
            func.sum(LorongPeriodCount.verified),
        )
        .where(LorongPeriodCount.programme_id == programme_id, LorongPeriodCount.period.in_(period_keys))
        .group_by(LorongPeriodCount.period)
    ):
        reports[period] = {"submitted": int(submitted), "on_time": int(on_time), "verified": int(verified)}
    out.reports = {p: reports.get(p, {"submitted": 0, "on_time": 0, "verified": 0}) for p in period_keys}
    trend: dict[int, dict[str, tuple[float, int]]] = defaultdict(dict)
    for iid, period, total, count in session.execute(
        select(
            LorongCityRollup.indicator_id,
            LorongCityRollup.period,
            LorongCityRollup.value_sum,
            LorongCityRollup.value_count,
        ).where(LorongCityRollup.programme_id == programme_id, LorongCityRollup.period.in_(period_keys))
    ):
        trend[iid][period] = (float(total), int(count))
    out.trend = dict(trend)
    for kel, kec, n, mean in session.execute(
        select(LorongUnit.kelurahan_code, LorongUnit.kecamatan_code, func.count(), func.avg(LorongUnit.score))
        .where(LorongUnit.programme_id == programme_id)
        .group_by(LorongUnit.kelurahan_code, LorongUnit.kecamatan_code)
    ):
        out.kelurahan[kel] = {
            "kecamatan_code": kec,
            "units": int(n),
            "mean_score": float(mean) if mean is not None else None,
            "submitted": 0,
            "on_time": 0,
        }
    last = period_keys[-1]
    for kel, submitted, on_time in session.execute(
        select(LorongPeriodCount.kelurahan_code, LorongPeriodCount.submitted, LorongPeriodCount.on_time).where(
            LorongPeriodCount.programme_id == programme_id, LorongPeriodCount.period == last
        )
    ):
        if kel in out.kelurahan:
            out.kelurahan[kel]["submitted"] = int(submitted)
            out.kelurahan[kel]["on_time"] = int(on_time)
    return out


def aggregates_per_row(session: Session, programme_id: int, period_keys: list[str]) -> Aggregates:
    """The same aggregates computed the plain way: every unit, theme link, report and report value read row by
    row and added up in Python. The benchmark's baseline, and the tests' cross-check of :func:`aggregates`."""
    from kotacerdas.lorong.store.tables import LorongReportValue

    out = Aggregates()
    wanted = set(period_keys)
    kel_of: dict[int, str] = {}
    scores: dict[str, list[float]] = defaultdict(list)
    for uid, grade, suggested, kel, kec, score in session.execute(
        select(
            LorongUnit.id,
            LorongUnit.grade,
            LorongUnit.suggested_grade,
            LorongUnit.kelurahan_code,
            LorongUnit.kecamatan_code,
            LorongUnit.score,
        ).where(LorongUnit.programme_id == programme_id)
    ):
        out.units += 1
        out.grades[grade or "-"] = out.grades.get(grade or "-", 0) + 1
        out.suggested_grades[suggested or "-"] = out.suggested_grades.get(suggested or "-", 0) + 1
        kel_of[uid] = kel
        row = out.kelurahan.setdefault(
            kel, {"kecamatan_code": kec, "units": 0, "mean_score": None, "submitted": 0, "on_time": 0}
        )
        row["units"] += 1
        if score is not None:
            scores[kel].append(score)
    for kel, vals in scores.items():
        out.kelurahan[kel]["mean_score"] = sum(vals) / len(vals)
    for uid, tid in session.execute(select(LorongUnitTheme.unit_id, LorongUnitTheme.theme_id)):
        if uid in kel_of:
            out.theme_units[tid] = out.theme_units.get(tid, 0) + 1
    out.reports = {p: {"submitted": 0, "on_time": 0, "verified": 0} for p in period_keys}
    verified: set[int] = set()
    period_of: dict[int, str] = {}
    last = period_keys[-1]
    for rid, uid, period, status, on_time in session.execute(
        select(
            LorongReport.id, LorongReport.unit_id, LorongReport.period, LorongReport.status, LorongReport.on_time
        ).where(LorongReport.programme_id == programme_id)
    ):
        if period not in wanted or status not in ("submitted", "verified"):
            continue
        r = out.reports[period]
        r["submitted"] += 1
        r["on_time"] += 1 if on_time else 0
        if status == "verified":
            r["verified"] += 1
            verified.add(rid)
            period_of[rid] = period
        if period == last:
            k = out.kelurahan[kel_of[uid]]
            k["submitted"] += 1
            k["on_time"] += 1 if on_time else 0
    trend: dict[int, dict[str, tuple[float, int]]] = defaultdict(dict)
    for rid, iid, value in session.execute(
        select(LorongReportValue.report_id, LorongReportValue.indicator_id, LorongReportValue.value)
    ):
        if rid not in verified:
            continue
        s, c = trend[iid].get(period_of[rid], (0.0, 0))
        trend[iid][period_of[rid]] = (s + value, c + 1)
    out.trend = dict(trend)
    return out
