"""Alerts to riders (as GBFS ``system_alerts``): publishing, changing and withdrawing one, reading a system's.

An active ``station_closure`` or ``system_closure`` alert closes stations in the feeds
(:mod:`kotacerdas.bikes.gbfs`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import ALERT_TEXT_MAX, Alert, alert_time, check_identifier, local_text
from kotacerdas.bikes.services.writes import audited
from kotacerdas.bikes.store import queries
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeAlert, BikeSystem
from kotacerdas.core.db import utcnow
from kotacerdas.core.i18n import N_


def upsert_alert(session: Session, system: BikeSystem, data: dict[str, Any], now: datetime | None = None) -> BikeAlert:
    """Create or update an alert (``type``: system_closure, station_closure, station_move, other)."""
    now = now or utcnow()
    alert_id = str(data.get("alert_id") or st.new_id("alert"))
    check_identifier(alert_id, "alert_id")
    zone = ZoneInfo(system.timezone or "Asia/Jakarta")
    times = tuple(alert_time(t, zone) for t in data.get("times") or [])
    texts = {name: local_text(data[name], name) for name in ("summary", "description") if data.get(name)}
    if "summary" not in texts:
        texts["summary"] = local_text(data.get("summary"), "summary")
    for name, text in texts.items():
        if any(len(v) > ALERT_TEXT_MAX for v in text.values()):
            raise BikesError(
                N_("{name} may be at most {count} characters long"), field=name, name=name, count=ALERT_TEXT_MAX
            )
    model = Alert(
        alert_id,
        str(data.get("type", "other")),
        texts["summary"],
        description=texts.get("description"),
        times=times,
        station_ids=tuple(data.get("station_ids") or ()),
        region_ids=tuple(data.get("region_ids") or ()),
        last_updated=now,
    )
    for sid in model.station_ids:
        st.get_station(session, system, sid)
    row = session.scalar(select(BikeAlert).where(BikeAlert.system_pk == system.id, BikeAlert.alert_id == alert_id))
    if row is None:
        row = BikeAlert(city_id=system.city_id, system_pk=system.id, alert_id=alert_id)
        session.add(row)
    row.type, row.summary, row.description = model.type, dict(model.summary), model.description
    row.url = None
    row.times = [[t.start.isoformat(), t.end.isoformat() if t.end else None] for t in model.times]
    row.station_ids, row.region_ids, row.last_updated = list(model.station_ids), list(model.region_ids), now
    session.flush()
    return row


def alert_json(row: BikeAlert) -> dict[str, Any]:
    return {
        "alert_id": row.alert_id,
        "type": row.type,
        "summary": row.summary,
        "description": row.description,
        "times": [{"start": a, "end": b} for a, b in row.times or []],
        "station_ids": row.station_ids or [],
        "region_ids": row.region_ids or [],
        "last_updated": row.last_updated.isoformat(),
    }


def delete_alert(session: Session, system: BikeSystem, alert_id: str) -> None:
    n = session.execute(delete(BikeAlert).where(BikeAlert.system_pk == system.id, BikeAlert.alert_id == alert_id))
    if n.rowcount != 1:
        raise BikesError(N_("unknown alert {alert}"), field="alert_id", status=404, alert=alert_id)


def alerts(session: Session, system: BikeSystem) -> list[dict[str, Any]]:
    """The system's alerts, in the order they were published."""
    return [alert_json(a) for a in session.scalars(queries.alerts(system))]


def publish(engine: Engine, system_id: str, data: dict[str, Any], *, user_id: int | None) -> dict[str, Any]:
    """Publish an alert, or change the one with ``data["alert_id"]`` (audited)."""
    return audited(
        engine,
        system_id,
        user_id,
        "bikes.alert.save",
        data.get("alert_id") or "",
        lambda s, system: alert_json(upsert_alert(s, system, data)),
    )


def withdraw(engine: Engine, system_id: str, alert_id: str, *, user_id: int | None) -> None:
    """Withdraw an alert (404 when there is none; audited)."""
    audited(
        engine,
        system_id,
        user_id,
        "bikes.alert.delete",
        alert_id,
        lambda s, system: delete_alert(s, system, alert_id),
    )
