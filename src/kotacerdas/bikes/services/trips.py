"""Trip history: importing a CSV of past trips as ended rentals (operators), and the operator's list of rentals.

Trip history CSV: ``trip_id, bike_id, start_station_id, end_station_id, start_time, end_time``
(ISO 8601 with offset; a time without offset is read in the system's time zone, years
:data:`FIRST_YEAR` to next year) and optional ``vehicle_type_id``. Trips are stored as ended
rentals (``source = 'import'``); a trip id already stored is skipped and counted (the first
few ids are reported), and the same file twice is recognised by its checksum
(:mod:`kotacerdas.core.imports`). A bad row refuses the whole file, naming the row and the
field: an unknown station or bike, a trip id given twice in the file, a time out of range.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
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
from kotacerdas.bikes.store.tables import BikeRental, BikeRow, BikeSystem
from kotacerdas.core import limits
from kotacerdas.core.i18n import N_
from kotacerdas.core.imports import find_import, record_import, sha256_bytes

#: The first year a trip may start in (bike-share trip histories begin in the 2000s).
FIRST_YEAR = 2000
#: Trip ids reported back when trips already stored are skipped.
SKIPPED_SHOWN = 20
_NEED = ("trip_id", "bike_id", "start_station_id", "end_station_id", "start_time", "end_time")


#: The longest ride a trip history may hold: beyond it a bike was lost or the file is wrong.
MAX_TRIP = timedelta(hours=24)


def _when(value: str, tz: ZoneInfo, field: str, record: int) -> datetime:
    try:
        t = datetime.fromisoformat(value.strip())
        t = t if t.tzinfo else t.replace(tzinfo=tz)
        t.astimezone(UTC)
    except (AttributeError, ValueError, OverflowError) as exc:
        raise BikesError(
            N_("{value} is not a date and time (ISO 8601)"), field=field, record=record, value=value[:40]
        ) from exc
    if not FIRST_YEAR <= t.year <= datetime.now(UTC).year + 1:
        raise BikesError(
            N_("{value} is outside the years {first} to {last}"),
            field=field,
            record=record,
            value=value[:40],
            first=FIRST_YEAR,
            last=datetime.now(UTC).year + 1,
        )
    return t


def _text(r: dict[str, Any], key: str, record: int) -> str:
    value = (r.get(key) or "").strip()
    if not value:
        raise BikesError(N_("{name} must not be empty"), field=key, record=record, name=key)
    if len(value) > 64:
        raise BikesError(N_("{name} is longer than {max} characters"), field=key, record=record, name=key, max=64)
    return value


def _trip_row(r: dict[str, Any], i: int, system: BikeSystem, tz: ZoneInfo, known: dict[str, set[str]]) -> dict:
    tid = _text(r, "trip_id", i)
    bike = _text(r, "bike_id", i)
    if bike not in known["bikes"]:
        raise BikesError(N_("unknown bike {bike}"), field="bike_id", record=i, bike=bike[:64])
    stations = {}
    for key in ("start_station_id", "end_station_id"):
        stations[key] = _text(r, key, i)
        if stations[key] not in known["stations"]:
            raise BikesError(N_("unknown station {station}"), field=key, record=i, status=400, station=stations[key])
    start = _when(r["start_time"], tz, "start_time", i)
    end = _when(r["end_time"], tz, "end_time", i)
    if end <= start:
        raise BikesError(N_("the ride ends before it starts"), field="end_time", record=i)
    if end - start > MAX_TRIP:
        raise BikesError(
            N_("the ride lasts longer than {hours} hours: a bike not returned is not a trip"),
            field="end_time",
            record=i,
            hours=int(MAX_TRIP.total_seconds() // 3600),
        )
    return {
        "city_id": system.city_id,
        "system_pk": system.id,
        "rental_id": tid,
        "bike_code": bike,
        "vehicle_type_id": (r.get("vehicle_type_id") or None),
        **stations,
        "start_time": start,
        "end_time": end,
        "status": "ended",
        "source": "import",
        "credit_minutes": 0,
        "redirected_from": [],
    }


def import_trips(
    session: Session, system: BikeSystem, data: bytes, filename: str = "", user_id: int | None = None
) -> dict[str, Any]:
    """Store a trip history CSV as ended rentals; idempotent by file checksum and by trip id."""
    sha = sha256_bytes(data)
    kind = f"bikes.trips:{system.system_id}"
    done = find_import(session, system.city_id, kind, sha)
    if done is not None:
        return {**done.summary, "already_imported": True}
    label = filename or "trips.csv"
    reader = csv.DictReader(io.StringIO(limits.utf8(data, label)))
    missing = set(_NEED) - set(limits.csv_header(reader, label))
    if missing:
        raise BikesError(
            N_("the CSV file lacks the columns {columns}"), field="file", columns=", ".join(sorted(missing))
        )
    tz = ZoneInfo(system.timezone)
    known = {
        "stations": set(st.station_ids(session, system).values()),
        "bikes": set(session.scalars(select(BikeRow.bike_id).where(BikeRow.system_pk == system.id))),
    }
    existing = set(session.scalars(select(BikeRental.rental_id).where(BikeRental.system_pk == system.id)))
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    skipped: list[str] = []
    for i, r in enumerate(limits.csv_rows(reader, label), start=2):
        if None in r or any(r.get(k) is None for k in _NEED):
            raise BikesError(N_("the row does not have a value for every column"), field="row", record=i)
        row = _trip_row(r, i, system, tz, known)
        tid = row["rental_id"]
        if tid in seen:
            raise BikesError(
                N_("trip {trip} is given twice in the file (also in row {other})"),
                field="trip_id",
                record=i,
                trip=tid,
                other=seen[tid],
            )
        seen[tid] = i
        if tid in existing:
            skipped.append(tid)
            continue
        rows.append(row)
    for k in range(0, len(rows), 5000):
        session.execute(BikeRental.__table__.insert(), rows[k : k + 5000])
    summary = {
        "imported": len(rows),
        "skipped": len(skipped),
        "skipped_ids": skipped[:SKIPPED_SHOWN],
        "already_imported": False,
    }
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
