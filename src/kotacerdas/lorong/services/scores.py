"""Scoring the units of a programme from their verified values (the rules are in :mod:`kotacerdas.lorong.scoring`),
and ranking them per kelurahan, kecamatan and city.

Every unit of a programme is scored over the same window, ending at the programme's newest verified period, so that
rankings compare like with like. A verification, or a verified report reopened by a correction, scores its unit again
(:func:`after_review`); when it moves the newest verified period (the first verified report of a new month, or the
only one of the newest month reopened), every unit of the programme is scored again: at once in a programme of up to
:data:`INLINE_UNITS` units, else by the background job ``lorong.scores`` that the request queues once its own
transaction is committed (:func:`pending`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, or_, select
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
#: Scoring every unit again takes about 0.6 s per 1,000 units on SQLite (a 12-month window, about nine values per unit
#: and month); a request does it at once up to this many units and leaves a larger programme to a background job.
INLINE_UNITS = 1_000
#: ``session.info`` key: programme id -> city id of programmes whose units a job must score again.
PENDING = "lorong.scores_pending"


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


def units_behind(session: Session, programme: LorongProgramme, until: str) -> int:
    """How many units of the programme were not scored up to ``until`` (or never scored)."""
    return int(
        session.scalar(
            select(func.count()).where(
                LorongUnit.programme_id == programme.id,
                or_(LorongUnit.score_period.is_(None), LorongUnit.score_period != until),
            )
        )
        or 0
    )


def after_review(session: Session, programme: LorongProgramme, unit_id: int) -> dict[str, Any]:
    """Score ``unit_id`` again after one of its reports was verified or left verified; score every unit of the
    programme again when the newest verified period moved (at once, or marked for :func:`pending`)."""
    end = current_period(session, programme)
    recompute(session, programme, until=end.key, unit_ids=[unit_id])
    behind = units_behind(session, programme, end.key)
    if not behind:
        return {"until": end.key, "units": 1, "queued": False}
    total = session.scalar(select(func.count()).where(LorongUnit.programme_id == programme.id)) or 0
    if total <= INLINE_UNITS:
        out = recompute(session, programme, until=end.key)
        return {"until": end.key, "units": out["units"], "queued": False}
    session.info.setdefault(PENDING, {})[programme.id] = programme.city_id
    return {"until": end.key, "units": 1, "queued": True}


def pending(session: Session) -> dict[int, int]:
    """Programmes (id -> city id) whose units :func:`after_review` left to a background job in this session."""
    return dict(session.info.get(PENDING, {}))


def run_pending(session: Session) -> list[dict[str, Any]]:
    """Score the pending programmes' units now (for work that already runs off the web server: imports, jobs)."""
    out = [recompute(session, must_get(session, LorongProgramme, pid)) for pid in pending(session)]
    session.info.pop(PENDING, None)
    return out


def rankings(session: Session, programme: LorongProgramme, level: str = "city", area: str | None = None):
    """Units ranked by score within the city, one kecamatan or one kelurahan; or areas ranked by mean score.

    Without ``area``: ``level="city"`` ranks every unit, ``"kecamatan"`` / ``"kelurahan"`` rank the areas of that
    level. With ``area`` (a Kemendagri code of the city): a kecamatan code with ``level="kelurahan"`` ranks the
    kelurahan of that kecamatan; otherwise the units inside the area are ranked. An unknown code is refused (404),
    and so is a kelurahan code with ``level="kecamatan"`` (a kelurahan holds no kecamatan).
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
    if area is not None and area.strip():
        area = area.strip()
        kind = _area_kind(session, programme, names, area)
        if kind is None:
            raise LorongError(
                N_("{city} has no kecamatan or kelurahan with the code {code}"),
                field="area",
                status=404,
                code=area,
                city=city.name,
            )
        if kind == "kelurahan" and level == "kecamatan":
            raise LorongError(
                N_("{code} is a kelurahan; with level kecamatan give a kecamatan code, or no area"),
                field="area",
                code=area,
            )
        column = LorongUnit.kecamatan_code if kind == "kecamatan" else LorongUnit.kelurahan_code
        stmt = stmt.where(column == area)
        if kind == "kecamatan" and level == "kelurahan":
            return scoring.rank_areas(
                (kl, names.kelurahan.get(kl, kl), s) for _c, _n, s, _k, kl in session.execute(stmt)
            )
        return scoring.rank((c, n, s) for c, n, s, _k, _l in session.execute(stmt))
    if level == "city":
        return scoring.rank((c, n, s) for c, n, s, _k, _l in session.execute(stmt))
    if level == "kecamatan":
        return scoring.rank_areas((k, names.kecamatan.get(k, k), s) for _c, _n, s, k, _l in session.execute(stmt))
    return scoring.rank_areas((kl, names.kelurahan.get(kl, kl), s) for _c, _n, s, _k, kl in session.execute(stmt))


def _area_kind(session: Session, programme: LorongProgramme, names, code: str) -> str | None:
    """``"kecamatan"``, ``"kelurahan"`` or ``None``: what ``code`` is in the programme's city (its admin areas, or
    the codes its units carry)."""
    if code in names.kecamatan:
        return "kecamatan"
    if code in names.kelurahan:
        return "kelurahan"
    for kind, column in (("kecamatan", LorongUnit.kecamatan_code), ("kelurahan", LorongUnit.kelurahan_code)):
        found = session.scalar(
            select(LorongUnit.id).where(LorongUnit.programme_id == programme.id, column == code).limit(1)
        )
        if found is not None:
            return kind
    return None
