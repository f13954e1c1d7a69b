"""The roll-up of verified values per indicator, kelurahan and period, kept in step with the reports.

:func:`refresh` recomputes the roll-up rows of one kelurahan and period from the verified
report values (one ``GROUP BY`` over the thirty-odd units of a kelurahan), in the caller's
transaction, each time a report of it is verified or reopened. The dashboards read the
roll-up instead of every report value.
"""

from __future__ import annotations

from sqlalchemy import delete, func, insert, literal, select
from sqlalchemy.orm import Session

from kotacerdas.lorong.store.tables import LorongReport, LorongReportValue, LorongRollup, LorongUnit


def refresh(session: Session, programme_id: int, kelurahan_code: str, period: str) -> None:
    """Rebuild the roll-up rows of one programme, kelurahan and period from its verified values."""
    session.execute(
        delete(LorongRollup).where(
            LorongRollup.programme_id == programme_id,
            LorongRollup.kelurahan_code == kelurahan_code,
            LorongRollup.period == period,
        )
    )
    agg = (
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
        .where(
            LorongReport.programme_id == programme_id,
            LorongReport.period == period,
            LorongReport.status == "verified",
            LorongUnit.kelurahan_code == kelurahan_code,
        )
        .group_by(
            LorongReportValue.indicator_id, LorongUnit.kecamatan_code, LorongUnit.kelurahan_code, LorongReport.period
        )
    )
    session.execute(
        insert(LorongRollup).from_select(
            ["programme_id", "indicator_id", "kecamatan_code", "kelurahan_code", "period", "value_sum", "value_count"],
            agg,
        )
    )


def rebuild(session: Session, programme_id: int) -> int:
    """Rebuild every roll-up row of a programme (after a bulk load); returns how many rows there are."""
    session.execute(delete(LorongRollup).where(LorongRollup.programme_id == programme_id))
    agg = (
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
        .where(LorongReport.programme_id == programme_id, LorongReport.status == "verified")
        .group_by(
            LorongReportValue.indicator_id, LorongUnit.kecamatan_code, LorongUnit.kelurahan_code, LorongReport.period
        )
    )
    session.execute(
        insert(LorongRollup).from_select(
            ["programme_id", "indicator_id", "kecamatan_code", "kelurahan_code", "period", "value_sum", "value_count"],
            agg,
        )
    )
    return int(session.scalar(select(func.count()).where(LorongRollup.programme_id == programme_id)) or 0)
