"""The summaries the dashboards read, kept in step with the reports in the transaction that changes them.

* :class:`~kotacerdas.lorong.store.tables.LorongRollup`: verified values summed per indicator, kelurahan and period;
* :class:`~kotacerdas.lorong.store.tables.LorongCityRollup`: the same per indicator and period over the city;
* :class:`~kotacerdas.lorong.store.tables.LorongPeriodCount`: reports submitted, on time and verified per kelurahan
  and period.

:func:`refresh_values` recomputes one kelurahan and period (a ``GROUP BY`` over its thirty-odd units) and then that
period's city rows from the kelurahan rows, each time a report is verified or reopened; :func:`refresh_counts`
recomputes one kelurahan and period's counts at every status change. :func:`rebuild` recomputes a whole programme
(after a bulk load). The dashboard then reads a few thousand summary rows instead of every report and value.
"""

from __future__ import annotations

from sqlalchemy import case, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from kotacerdas.lorong.store.tables import (
    LorongCityRollup,
    LorongPeriodCount,
    LorongReport,
    LorongReportValue,
    LorongRollup,
    LorongUnit,
)

ROLLUP_COLUMNS = [
    "programme_id",
    "indicator_id",
    "kecamatan_code",
    "kelurahan_code",
    "period",
    "value_sum",
    "value_count",
]
COUNT_COLUMNS = ["programme_id", "kelurahan_code", "period", "submitted", "on_time", "verified"]


def _values(programme_id: int, *where):
    return (
        select(
            literal(programme_id),
            LorongReportValue.indicator_id,
            LorongUnit.kecamatan_code,
            LorongUnit.kelurahan_code,
            LorongReport.period,
            func.sum(LorongReportValue.value),
            func.count(),
        )
        .join(LorongReport, LorongReport.id == LorongReportValue.report_id)
        .join(LorongUnit, LorongUnit.id == LorongReport.unit_id)
        .where(LorongReport.programme_id == programme_id, LorongReport.status == "verified", *where)
        .group_by(
            LorongReportValue.indicator_id, LorongUnit.kecamatan_code, LorongUnit.kelurahan_code, LorongReport.period
        )
    )


def _city(programme_id: int, *where):
    return (
        select(
            literal(programme_id),
            LorongRollup.indicator_id,
            LorongRollup.period,
            func.sum(LorongRollup.value_sum),
            func.sum(LorongRollup.value_count),
        )
        .where(LorongRollup.programme_id == programme_id, *where)
        .group_by(LorongRollup.indicator_id, LorongRollup.period)
    )


def _counts(programme_id: int, *where):
    return (
        select(
            literal(programme_id),
            LorongUnit.kelurahan_code,
            LorongReport.period,
            func.count(),
            func.sum(case((LorongReport.on_time.is_(True), 1), else_=0)),
            func.sum(case((LorongReport.status == "verified", 1), else_=0)),
        )
        .join(LorongUnit, LorongUnit.id == LorongReport.unit_id)
        .where(LorongReport.programme_id == programme_id, LorongReport.status.in_(("submitted", "verified")), *where)
        .group_by(LorongUnit.kelurahan_code, LorongReport.period)
    )


def refresh_values(session: Session, programme_id: int, kelurahan_code: str, period: str) -> None:
    """Rebuild the value roll-up of one kelurahan and period, then that period's city totals."""
    session.execute(
        delete(LorongRollup).where(
            LorongRollup.programme_id == programme_id,
            LorongRollup.kelurahan_code == kelurahan_code,
            LorongRollup.period == period,
        )
    )
    session.execute(
        insert(LorongRollup).from_select(
            ROLLUP_COLUMNS,
            _values(programme_id, LorongReport.period == period, LorongUnit.kelurahan_code == kelurahan_code),
        )
    )
    session.execute(
        delete(LorongCityRollup).where(LorongCityRollup.programme_id == programme_id, LorongCityRollup.period == period)
    )
    session.execute(
        insert(LorongCityRollup).from_select(
            ["programme_id", "indicator_id", "period", "value_sum", "value_count"],
            _city(programme_id, LorongRollup.period == period),
        )
    )


def refresh_counts(session: Session, programme_id: int, kelurahan_code: str, period: str) -> None:
    """Rebuild the report counts of one kelurahan and period."""
    session.execute(
        delete(LorongPeriodCount).where(
            LorongPeriodCount.programme_id == programme_id,
            LorongPeriodCount.kelurahan_code == kelurahan_code,
            LorongPeriodCount.period == period,
        )
    )
    session.execute(
        insert(LorongPeriodCount).from_select(
            COUNT_COLUMNS,
            _counts(programme_id, LorongReport.period == period, LorongUnit.kelurahan_code == kelurahan_code),
        )
    )


def refresh(session: Session, programme_id: int, kelurahan_code: str, period: str) -> None:
    """Both: after a report of this kelurahan and period was verified or reopened."""
    refresh_values(session, programme_id, kelurahan_code, period)
    refresh_counts(session, programme_id, kelurahan_code, period)


def rebuild(session: Session, programme_id: int) -> int:
    """Rebuild every summary row of a programme (after a bulk load); returns the number of value roll-up rows."""
    for table in (LorongRollup, LorongCityRollup, LorongPeriodCount):
        session.execute(delete(table).where(table.programme_id == programme_id))
    session.execute(insert(LorongRollup).from_select(ROLLUP_COLUMNS, _values(programme_id)))
    session.execute(
        insert(LorongCityRollup).from_select(
            ["programme_id", "indicator_id", "period", "value_sum", "value_count"], _city(programme_id)
        )
    )
    session.execute(insert(LorongPeriodCount).from_select(COUNT_COLUMNS, _counts(programme_id)))
    return int(session.scalar(select(func.count()).where(LorongRollup.programme_id == programme_id)) or 0)
