"""The repair workflow of a damage record: its status changes, checked and kept in its history."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kotacerdas.core.db import utcnow
from kotacerdas.roads import damage as rules
from kotacerdas.roads.store import damage as store
from kotacerdas.roads.store.damage_tables import RoadDamage, RoadDamageStatus


def set_status(session: Session, d: RoadDamage, status: str, *, user_id: int | None, note: str = "") -> RoadDamage:
    """Move a damage to ``status`` (checked against the workflow) and keep the change in its history.

    Raises
    ------
    RoadsError
        An unknown status or a step the workflow does not allow (409).
    """
    rules.check_transition(d.status, status)
    session.add(
        RoadDamageStatus(
            city_id=d.city_id, damage_id=d.id, status=status, previous=d.status, user_id=user_id, note=note[:2000]
        )
    )
    d.status = status
    d.status_at = utcnow()
    session.flush()
    if d.segment_id is not None:
        store.refresh_distress(session, [d.segment_id])
    return d
