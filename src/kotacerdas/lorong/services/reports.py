"""Periodic reports: a coordinator saves a draft or submits indicator values, the lurah verifies or returns them.

States: ``draft`` -> ``submitted`` -> ``verified``, or ``submitted`` -> ``returned`` (with a
comment) -> ``submitted`` again. A verified report that is corrected goes back to
``submitted`` and must be verified again: its values leave the dashboards and the unit's score until the lurah
verifies it again (the unit is scored again at once, and every unit of the programme when the newest verified period
moves back), and the reopening is audited (``lorong.report.reopen``). A draft cannot be saved over a
submitted or verified report (409): changes to it are a submission. Every step is a new row of
:class:`~kotacerdas.lorong.store.tables.LorongReportVersion` holding the values as they were,
and an entry of the city's audit log. A phone that sends the same draft twice (its network came
back in the middle of a send) gives the same ``client_key``: the second send changes nothing.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.db import utcnow
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City
from kotacerdas.lorong import periods
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.services import scores
from kotacerdas.lorong.services.programmes import indicators
from kotacerdas.lorong.store import rollups
from kotacerdas.lorong.store.rows import must_get
from kotacerdas.lorong.store.tables import (
    LorongIndicator,
    LorongPhoto,
    LorongProgramme,
    LorongReport,
    LorongReportValue,
    LorongReportVersion,
    LorongTheme,
    LorongUnit,
    LorongUnitTheme,
)

MAX_VALUE = 1e12
#: The report states, as the pages name them.
STATUS_LABELS = {
    "draft": N_("draft"),
    "submitted": N_("submitted"),
    "verified": N_("verified"),
    "returned": N_("returned"),
}


def get_report(session: Session, report_id: int) -> LorongReport:
    report = session.get(LorongReport, report_id)
    if report is None:
        raise LorongError(N_("No report with id {id}"), field="report", status=404, id=report_id)
    return report


def values_of(session: Session, report_id: int) -> dict[str, float]:
    rows = session.execute(
        select(LorongIndicator.code, LorongReportValue.value)
        .join(LorongIndicator, LorongIndicator.id == LorongReportValue.indicator_id)
        .where(LorongReportValue.report_id == report_id)
        .order_by(LorongIndicator.position)
    )
    return {code: value for code, value in rows}


def check_values(
    session: Session, programme: LorongProgramme, values: dict[str, Any], *, record=None
) -> dict[int, float]:
    """Indicator code -> number, checked: known active indicators, finite numbers from 0 up."""
    known = {i.code: i for i in indicators(session, programme.id, active_only=True)}
    out: dict[int, float] = {}
    for code, raw in values.items():
        if code not in known:
            raise LorongError(N_("Unknown indicator {code}"), field=f"values.{code}", record=record, code=code)
        if raw is None or raw == "":
            continue
        try:
            value = float(raw)
        except (TypeError, ValueError) as exc:
            raise LorongError(N_("{value} is not a number"), field=f"values.{code}", record=record, value=raw) from exc
        if isinstance(raw, bool) or not math.isfinite(value) or value < 0 or value > MAX_VALUE:
            raise LorongError(
                N_("The value of {code} must be a number from 0 up"), field=f"values.{code}", record=record, code=code
            )
        out[known[code].id] = value
    return out


def check_unit_themes(
    session: Session, unit: LorongUnit, checked: dict[int, float], *, field: str | None = None, record=None
) -> None:
    """Refuse a value of an indicator whose theme the unit does not take part in (``checked``: from
    :func:`check_values`; ``field``: the field to name, by default ``values.<code>``)."""
    if not checked:
        return
    mine = set(session.scalars(select(LorongUnitTheme.theme_id).where(LorongUnitTheme.unit_id == unit.id)))
    for ind in indicators(session, unit.programme_id, active_only=True):
        if ind.id in checked and ind.theme_id not in mine:
            theme = session.get(LorongTheme, ind.theme_id)
            raise LorongError(
                N_("{code} is an indicator of the theme {theme}, which {unit} does not take part in"),
                field=field or f"values.{ind.code}",
                record=record,
                code=ind.code,
                theme=theme.code if theme else ind.theme_id,
                unit=unit.code,
            )


def _version(session: Session, report: LorongReport, action: str, user_id: int | None, comment: str = "", key=None):
    session.add(
        LorongReportVersion(
            report_id=report.id,
            version=report.version,
            action=action,
            status=report.status,
            values=values_of(session, report.id),
            comment=comment,
            client_key=key,
            user_id=user_id,
        )
    )


def _today(city: City, now: datetime):
    try:
        return now.astimezone(ZoneInfo(city.timezone)).date()
    except (KeyError, ValueError):
        return now.date()


def save(
    session: Session,
    unit: LorongUnit,
    period_key: str,
    values: dict[str, Any],
    *,
    user_id: int | None,
    submit: bool,
    notes: dict[str, str] | None = None,
    client_key: str | None = None,
    now: datetime | None = None,
    action: str | None = None,
) -> tuple[LorongReport, bool]:
    """Save (``submit=False``) or submit the report of ``unit`` for a period; returns it and whether it changed."""
    now = now or utcnow()
    programme = must_get(session, LorongProgramme, unit.programme_id)
    city = must_get(session, City, unit.city_id)
    period = periods.parse(period_key, programme.period)
    if period.start > _today(city, now):
        raise LorongError(N_("The period {period} has not started yet"), field="period", period=period.key)
    checked = check_values(session, programme, values)
    check_unit_themes(session, unit, checked)
    report = session.scalar(
        select(LorongReport).where(LorongReport.unit_id == unit.id, LorongReport.period == period.key)
    )
    if client_key and report is not None:
        seen = session.scalar(
            select(LorongReportVersion.id).where(
                LorongReportVersion.report_id == report.id, LorongReportVersion.client_key == client_key
            )
        )
        if seen is not None:
            return report, False
    if submit and not checked and (report is None or not values_of(session, report.id)):
        raise LorongError(N_("A report needs at least one value"), field="values")
    was_verified = report is not None and report.status == "verified"
    if report is None:
        report = LorongReport(
            city_id=unit.city_id,
            programme_id=unit.programme_id,
            unit_id=unit.id,
            period=period.key,
            period_start=period.start,
            status="draft",
            version=1,
        )
        session.add(report)
        session.flush()
    else:
        if report.status == "submitted" and not submit:
            raise LorongError(
                N_("This report was already submitted; send the changes as a submission"), field="submit", status=409
            )
        if was_verified and not submit:
            raise LorongError(
                N_("This report was verified; send the changes as a submission, the lurah verifies it again"),
                field="submit",
                status=409,
            )
        report.version += 1
    existing = {
        v.indicator_id: v
        for v in session.scalars(select(LorongReportValue).where(LorongReportValue.report_id == report.id))
    }
    for indicator_id, value in checked.items():
        note = (notes or {}).get(str(indicator_id), "")
        row = existing.get(indicator_id)
        if row is None:
            session.add(LorongReportValue(report_id=report.id, indicator_id=indicator_id, value=value, note=note))
        else:
            row.value = value
    if submit:
        report.status = "submitted"
        report.submitted_by = user_id
        report.submitted_at = now
        if report.on_time is None:
            report.on_time = _today(city, now) <= period.due(programme.due_days)
        report.verified_by = report.verified_at = None
    session.flush()
    _version(session, report, action or ("submit" if submit else "save"), user_id, key=client_key)
    if was_verified:
        rollups.refresh(session, report.programme_id, unit.kelurahan_code, report.period)
        scores.after_review(session, programme, unit.id)
        accounts.audit(
            session, unit.city_id, user_id, "lorong.report.reopen", f"{unit.code}/{period.key}", version=report.version
        )
    elif submit:
        rollups.refresh_counts(session, report.programme_id, unit.kelurahan_code, report.period)
    accounts.audit(
        session,
        unit.city_id,
        user_id,
        "lorong.report." + ("submit" if submit else "save"),
        f"{unit.code}/{period.key}",
        version=report.version,
    )
    return report, True


def missing_evidence(session: Session, report: LorongReport) -> list[str]:
    """Codes of the indicators that need a photo and have a value but no photo in this report."""
    need = {i.id: i.code for i in indicators(session, report.programme_id, active_only=True) if i.evidence_required}
    filled = set(
        session.scalars(
            select(LorongReportValue.indicator_id).where(
                LorongReportValue.report_id == report.id, LorongReportValue.value > 0
            )
        )
    )
    photos = list(session.scalars(select(LorongPhoto.indicator_id).where(LorongPhoto.report_id == report.id)))
    if None in photos:  # a photo of the whole report is evidence for every indicator of it
        return []
    return sorted(code for iid, code in need.items() if iid in filled and iid not in set(photos))


def verify(session: Session, report: LorongReport, *, user_id: int | None, comment: str = "", now=None) -> LorongReport:
    """Verify a submitted report: its values count in the dashboards and scores from now on (its unit is scored
    again, and every unit when this moves the programme's newest verified period: :func:`scores.after_review`)."""
    if report.status != "submitted":
        raise LorongError(N_("Only a submitted report can be verified or returned"), field="status", status=409)
    lacking = missing_evidence(session, report)
    if lacking:
        raise LorongError(
            N_("A photo is required as evidence for: {codes}"), field="photos", status=409, codes=", ".join(lacking)
        )
    unit = must_get(session, LorongUnit, report.unit_id)
    report.status = "verified"
    report.verified_by = user_id
    report.verified_at = now or utcnow()
    report.comment = comment
    report.version += 1
    session.flush()
    _version(session, report, "verify", user_id, comment)
    rollups.refresh(session, report.programme_id, unit.kelurahan_code, report.period)
    scores.after_review(session, must_get(session, LorongProgramme, report.programme_id), unit.id)
    accounts.audit(session, report.city_id, user_id, "lorong.report.verify", f"{unit.code}/{report.period}")
    return report


def return_report(session: Session, report: LorongReport, *, user_id: int | None, comment: str) -> LorongReport:
    """Send a submitted report back to its coordinator with a comment saying what to fix."""
    if not (comment or "").strip():
        raise LorongError(N_("Say what to fix when returning a report"), field="comment")
    if report.status != "submitted":
        raise LorongError(N_("Only a submitted report can be verified or returned"), field="status", status=409)
    unit = must_get(session, LorongUnit, report.unit_id)
    report.status = "returned"
    report.comment = comment.strip()
    report.version += 1
    session.flush()
    _version(session, report, "return", user_id, report.comment)
    rollups.refresh_counts(session, report.programme_id, unit.kelurahan_code, report.period)
    accounts.audit(session, report.city_id, user_id, "lorong.report.return", f"{unit.code}/{report.period}")
    return report


def versions(session: Session, report_id: int) -> list[LorongReportVersion]:
    return list(
        session.scalars(
            select(LorongReportVersion)
            .where(LorongReportVersion.report_id == report_id)
            .order_by(LorongReportVersion.version, LorongReportVersion.id)
        )
    )


def report_fields(session: Session, report: LorongReport, unit: LorongUnit) -> dict[str, Any]:
    return {
        "id": report.id,
        "unit": unit.code,
        "unit_name": unit.name,
        "kelurahan_code": unit.kelurahan_code,
        "period": report.period,
        "status": report.status,
        "version": report.version,
        "on_time": report.on_time,
        "submitted_at": report.submitted_at,
        "verified_at": report.verified_at,
        "comment": report.comment,
        "values": values_of(session, report.id),
        "photos": list(session.scalars(select(LorongPhoto.id).where(LorongPhoto.report_id == report.id))),
    }
