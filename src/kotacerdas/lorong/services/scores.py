"""Scoring the units of a programme from their verified values (the rules are in :mod:`kotacerdas.lorong.scoring`),
and ranking them per kelurahan, kecamatan and city."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core.db import utcnow
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City
from kotacerdas.lorong import periods, scoring
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.services import areas as area_service
from kotacerdas.lorong.services.programmes import scoring_rules
from kotacerdas.lorong.store.rows import must_get
from kotacerdas.lorong.store.tables import LorongProgramme, LorongReport, LorongReportValue, LorongUnit, LorongUnitTheme

LEVELS = ("city", "kecamatan", "kelurahan")


def current_period(session: Session, programme: LorongProgramme) -> periods.Period:
    """The newest period with a verified report (else the period before today's)."""
    newest = session.scalar(
        select(LorongReport.period)
        .where(LorongReport.programme_id == programme.id, LorongReport.status == "verified")
        .order_by(LorongReport.period.desc())  # keys of one kind sort in time order; uses the index
        .limit(1)
    )
    if newest:
        return periods.parse(newest, programme.period)
    return periods.containing(utcnow().date(), programme.period).previous()


def recompute(
    session: Session, programme: LorongProgramme, *, until: str | None = None, unit_ids: list[int] | None = None
) -> dict[str, Any]:
    """Score every unit (or ``unit_ids``) of ``programme`` over its window ending ``until``; store the scores."""
    end = periods.parse(until, programme.period) if until else current_period(session, programme)
    window = periods.last(programme.score_periods, programme.period, end)
    keys = [p.key for p in window]
    by_key = {p.key: p for p in window}
    rules = scoring_rules(session, programme)
    unit_stmt = select(LorongUnit).where(LorongUnit.programme_id == programme.id)
    if unit_ids is not None:
        unit_stmt = unit_stmt.where(LorongUnit.id.in_(unit_ids))
    units = list(session.scalars(unit_stmt))
    ids = [u.id for u in units]
    themes_of: dict[int, list[int]] = defaultdict(list)
    values: dict[int, dict[int | str, list[tuple[periods.Period, float]]]] = defaultdict(lambda: defaultdict(list))
    for chunk in range(0, len(ids), 900):
        part = ids[chunk : chunk + 900]
        for uid, tid in session.execute(
            select(LorongUnitTheme.unit_id, LorongUnitTheme.theme_id).where(LorongUnitTheme.unit_id.in_(part))
        ):
            themes_of[uid].append(tid)
        rows = session.execute(
            select(LorongReport.unit_id, LorongReport.period, LorongReportValue.indicator_id, LorongReportValue.value)
            .join(LorongReportValue, LorongReportValue.report_id == LorongReport.id)
            .where(
                LorongReport.unit_id.in_(part),
                LorongReport.status == "verified",
                LorongReport.period.in_(keys),
            )
        )
        for uid, period, iid, value in rows:
            values[uid][iid].append((by_key[period], value))
    grades: dict[str, int] = defaultdict(int)
    for unit in units:
        result = scoring.score_unit(rules, themes_of.get(unit.id, []), values.get(unit.id, {}), window)
        unit.score = result.score
        unit.suggested_grade = result.grade
        unit.score_period = end.key
        unit.theme_scores = {str(k): v for k, v in result.themes.items()}
        grades[result.grade or "-"] += 1
    session.flush()
    return {"units": len(units), "until": end.key, "window": [keys[0], keys[-1]], "suggested_grades": dict(grades)}


def rankings(session: Session, programme: LorongProgramme, level: str = "city", area: str | None = None):
    """Units ranked by score within the city, one kecamatan or one kelurahan; or areas ranked by mean score.

    ``level="city"`` ranks every unit; ``"kecamatan"`` / ``"kelurahan"`` rank the areas of that level,
    or, with ``area`` (a code), the units inside that one area.
    """
    if level not in LEVELS:
        raise LorongError(
            N_("{name} must be one of: {allowed}"), field="level", name="level", allowed=", ".join(LEVELS)
        )
    city = must_get(session, City, programme.city_id)
    names = area_service.city_areas(session, city)
    stmt = select(
        LorongUnit.code, LorongUnit.name, LorongUnit.score, LorongUnit.kecamatan_code, LorongUnit.kelurahan_code
    ).where(LorongUnit.programme_id == programme.id)
    if level == "city" or area:
        if area:
            column = LorongUnit.kecamatan_code if level == "kecamatan" else LorongUnit.kelurahan_code
            stmt = stmt.where(column == area)
        return scoring.rank((c, n, s) for c, n, s, _k, _l in session.execute(stmt))
    if level == "kecamatan":
        return scoring.rank_areas((k, names.kecamatan.get(k, k), s) for _c, _n, s, k, _l in session.execute(stmt))
    return scoring.rank_areas((kl, names.kelurahan.get(kl, kl), s) for _c, _n, s, _k, kl in session.execute(stmt))
