"""Trip history: importing a CSV of past trips as ended rentals (operators), and the operator's list of rentals.

Trip history CSV: ``trip_id, bike_id, start_station_id, end_station_id, start_time, end_time``
(ISO 8601 with offset; a time without offset is read in the system's time zone) and
optional ``vehicle_type_id``. Trips are stored as ended rentals (``source = 'import'``); a
trip id already stored is skipped, and the same file twice is recognised by its checksum
(:mod:`kotacerdas.core.imports`). A bad row refuses the whole file, naming the row and the field.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services.rentals import rental_json
from kotacerdas.bikes.services.writes import audited
from kotacerdas.bikes.store import queries
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeRental, BikeSystem
from kotacerdas.core.i18n import N_
from kotacerdas.core.imports import find_import, record_import, sha256_bytes


def _when(value: str, tz: ZoneInfo, field: str, record: int) -> datetime:
    try:
        t = datetime.fromisoformat(value.strip())
    except (AttributeError, ValueError) as exc:
        raise BikesError(
            N_("{value} is not a date and time (ISO 8601)"), field=field, record=record, value=value
        ) from exc
    return t if t.tzinfo else t.replace(tzinfo=tz)


def import_trips(
    session: Session, system: BikeSystem, data: bytes, filename: str = "", user_id: int | None = None
) -> dict[str, Any]:
    """Store a trip history CSV as ended rentals; idempotent by file checksum and by trip id."""
    sha = sha256_bytes(data)
    kind = f"bikes.trips:{system.system_id}"
    done = find_import(session, system.city_id, kind, sha)
    if done is not None:
        return {**done.summary, "already_imported": True}
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    need = {"trip_id", "bike_id", "start_station_id", "end_station_id", "start_time", "end_time"}
    missing = need - set(reader.fieldnames or [])
    if missing:
        raise BikesError(
            N_("the CSV file lacks the columns {columns}"), field="file", columns=", ".join(sorted(missing))
        )
    tz = ZoneInfo(system.timezone)
    known = set(st.station_ids(session, system).values())
    existing = set(session.scalars(select(BikeRental.rental_id).where(BikeRental.system_pk == system.id)))
    rows, skipped = [], 0
    for i, r in enumerate(reader, start=2):
        tid = (r.get("trip_id") or "").strip()
        if not tid:
            raise BikesError(N_("{name} must not be empty"), field="trip_id", record=i, name="trip_id")
        if tid in existing:
            skipped += 1
            continue
        for key in ("start_station_id", "end_station_id"):
            if r[key] not in known:
                raise BikesError(N_("unknown station {station}"), field=key, record=i, status=400, station=r[key])
        start = _when(r["start_time"], tz, "start_time", i)
        end = _when(r["end_time"], tz, "end_time", i)
        if end < start:
            raise BikesError(N_("the ride ends before it starts"), field="end_time", record=i)
        existing.add(tid)
        rows.append(
            {
                "city_id": system.city_id,
                "system_pk": system.id,
                "rental_id": tid,
                "bike_code": r["bike_id"],
                "vehicle_type_id": r.get("vehicle_type_id") or None,
                "start_station_id": r["start_station_id"],
                "end_station_id": r["end_station_id"],
                "start_time": start,
                "end_time": end,
                "status": "ended",
                "source": "import",
                "credit_minutes": 0,
                "redirected_from": [],
            }
        )
    for k in range(0, len(rows), 5000):
        session.execute(BikeRental.__table__.insert(), rows[k : k + 5000])
    summary = {"imported": len(rows), "skipped": skipped, "already_imported": False}
    record_import(session, system.city_id, kind, sha, filename=filename, summary=summary, user_id=user_id)
    return summary


def import_file(engine: Engine, system_id: str, data: bytes, filename: str, *, user_id: int | None) -> dict[str, Any]:
    """Import a trip history CSV in one transaction (audited); see :func:`import_trips`."""
    return audited(
        engine,
        system_id,
        user_id,
        "bikes.trips.import",
        filename,
        lambda s, system: import_trips(s, system, data, filename, user_id),
    )


def rentals(session: Session, system: BikeSystem, *, status: str | None = None) -> queries.Listing:
    """Every rental and imported trip of the system (of one status), the latest first."""
    return queries.Listing(queries.rentals(system, status=status), rental_json)
