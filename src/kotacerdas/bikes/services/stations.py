"""Docking stations: saving one (operators), importing many from CSV or GeoJSON, removing an empty one, and
reading them with their live counts (the public map, one station, the operator's list).

Functions that take a session work in the caller's transaction; :func:`create`, :func:`change`,
:func:`delete`, :func:`import_file` and :func:`undo` run their own (the feeds refreshed; the caller
has checked the operator's role). Input is validated through :class:`kotacerdas.bikes.model.Station`
(coordinates within WGS84, docks that fit) and the station must stand in the city
(:func:`kotacerdas.bikes.store.rows.check_in_city`).

Creating and changing are separate: :func:`create` refuses a station id in use (409), so a
reused code never overwrites a station; :func:`change` changes only one that exists. Every
change is recorded in the city's audit log with the station as it was before and after
(``detail["changes"]``), and :func:`undo` puts a recorded change back (itself audited).

Station import formats
----------------------
CSV (UTF-8, header row): ``station_id, name, lat, lon, capacity`` required; optional
``name_en, short_name, address, region_id, is_charging_station (true/false), opening_hours,
nearby`` (destinations separated by ``;``). GeoJSON: a FeatureCollection of Point features
whose properties carry the same names (``lat``/``lon`` come from the geometry).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import hmac
import io
from collections.abc import Callable
from typing import Any, TypeVar

from shapely.errors import GEOSException
from shapely.geometry import Point, shape
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.bikes import gbfs, operations
from kotacerdas.bikes.errors import STATION_RECORD, BikesError
from kotacerdas.bikes.model import (
    Bike,
    Station,
    check_identifier,
    decimal_number,
    local,
    local_text,
    whole_number,
)
from kotacerdas.bikes.services.writes import run_write
from kotacerdas.bikes.store import queries
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeRegion, BikeRow, BikeStation, BikeSystem
from kotacerdas.core import accounts, limits
from kotacerdas.core.csvfile import csv_text
from kotacerdas.core.geometry import check_crs, feature, feature_collection
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import AuditEvent, User

T = TypeVar("T")


def _ensure_region(session: Session, system: BikeSystem, region_id: str | None, name: str | None) -> None:
    if not region_id:
        return
    if (
        session.scalar(
            select(BikeRegion.id).where(BikeRegion.system_pk == system.id, BikeRegion.region_id == region_id)
        )
        is None
    ):
        label = local(f"Kecamatan {name}", f"{name} district") if name else local(region_id)
        session.add(BikeRegion(system_pk=system.id, region_id=region_id, name=label))
        session.flush()


def _given(data: dict[str, Any], key: str, current: Any, read: Callable[..., Any], sid: str) -> Any:
    """``data[key]`` read as a number (:func:`~kotacerdas.bikes.model.whole_number` or ``decimal_number``), or the
    station's ``current`` value when the field is not given."""
    return current if data.get(key) is None else read(data[key], key, record=sid)


def _place_and_docks(data: dict[str, Any], current: Station | None, sid: str) -> tuple[float, float, int, int]:
    """The latitude, longitude, capacity and disabled docks a station is saved with: what ``data`` gives, else what
    it has; a new station needs the first three (400 naming the first one missing, or the one not a number)."""
    lat = _given(data, "lat", current.lat if current else None, decimal_number, sid)
    lon = _given(data, "lon", current.lon if current else None, decimal_number, sid)
    capacity = _given(data, "capacity", current.capacity if current else None, whole_number, sid)
    disabled = _given(data, "num_docks_disabled", current.num_docks_disabled if current else 0, whole_number, sid)
    for key, value in (("lat", lat), ("lon", lon), ("capacity", capacity)):
        if value is None:
            raise BikesError(N_("a new station needs its {name}"), field=key, name=key, record=sid)
    return lat, lon, capacity, disabled


def upsert_station(session: Session, system: BikeSystem, data: dict[str, Any]) -> tuple[BikeStation, bool]:
    """Create or update a station from a dict (``station_id``, ``name``, ``lat``, ``lon``, ``capacity`` ...).

    The kecamatan is looked up from the city's stored admin areas; without a ``region_id``
    the kecamatan becomes the station's GBFS region. Lowering the capacity below the bikes
    standing there is refused (409). An error about the station names it (*Station b4: ...*).
    """
    sid = str(data.get("station_id") or "").strip()
    if not sid:
        raise BikesError(N_("{name} must not be empty"), field="station_id", name="station_id")
    try:
        return _upsert(session, system, data, sid)
    except BikesError as exc:
        if exc.record == sid:
            exc.record_label = STATION_RECORD
        raise


def _set_details(row: BikeStation, data: dict[str, Any]) -> None:
    """The station's other fields that ``data`` gives: address, hours, short name, nearby places and its flags."""
    for key in ("address", "opening_hours"):
        if key in data:
            setattr(row, key, data[key] or None)
    if "short_name" in data:
        row.short_name = local_text(data["short_name"], "short_name") if data["short_name"] else None
    if "nearby" in data:
        nearby = data["nearby"]
        row.nearby = (
            [x.strip() for x in nearby.split(";") if x.strip()] if isinstance(nearby, str) else list(nearby or [])
        )
    for key in ("is_charging_station", "is_installed", "is_renting", "is_returning"):
        if key in data and data[key] is not None:
            value = data[key]
            setattr(
                row,
                key,
                value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes"),
            )


def _upsert(session: Session, system: BikeSystem, data: dict[str, Any], sid: str) -> tuple[BikeStation, bool]:
    check_identifier(sid, "station_id", record=sid[:64])
    row = session.scalar(select(BikeStation).where(BikeStation.system_pk == system.id, BikeStation.station_id == sid))
    current = st.station_model(row) if row is not None else None
    lat, lon, capacity, disabled = _place_and_docks(data, current, sid)
    if current is None or (lat, lon) != (current.lat, current.lon):
        st.check_in_city(session, system.city_id, lon, lat, record=sid)
    try:
        name = local_text(data["name"], "name") if data.get("name") is not None else (current.name if current else None)
    except BikesError as exc:
        exc.record = sid
        raise
    if name is None:
        raise BikesError(N_("{name} must not be empty"), field="name", name="name", record=sid)
    if isinstance(data.get("name"), str) and data.get("name_en"):
        name = local(str(data["name"]).strip(), str(data["name_en"]).strip())
    model = Station(sid, name, lat, lon, capacity, num_docks_disabled=disabled)  # validates bounds and docks
    code, kname = st.kecamatan_at(session, system.city_id, lon, lat)
    region_id = data.get("region_id") or (row.region_id if row is not None and row.region_id else None) or code
    _ensure_region(session, system, region_id, kname if region_id == code else None)
    created = row is None
    if row is None:
        row = BikeStation(city_id=system.city_id, system_pk=system.id, station_id=sid, docked=0)
        session.add(row)
    elif capacity < row.docked:
        raise BikesError(
            N_("station {station} holds {n} bikes; the capacity cannot be lower"),
            field="capacity",
            status=409,
            station=sid,
            n=row.docked,
        )
    row.name = dict(model.name)
    row.capacity, row.num_docks_disabled = capacity, disabled
    row.geom = Point(lon, lat)
    row.kecamatan_code, row.kecamatan_name, row.region_id = code, kname, region_id
    _set_details(row, data)
    if row.nearby is None:
        row.nearby = []
    if row.rental_methods is None:
        row.rental_methods = ["key", "phone"]
    session.flush()
    if not created:
        # a return racing with a capacity change: the CHECK constraint is the last word
        ok = session.execute(
            update(BikeStation)
            .where(BikeStation.id == row.id, BikeStation.docked <= capacity)
            .values(capacity=capacity)
            .execution_options(synchronize_session=False)
        ).rowcount
        if ok != 1:
            raise BikesError(
                N_("station {station} holds {n} bikes; the capacity cannot be lower"),
                field="capacity",
                status=409,
                station=sid,
                n=row.docked,
            )
    return row, created


def delete_station(session: Session, system: BikeSystem, station_id: str) -> None:
    """Remove an empty station (409 while bikes stand in it)."""
    row = st.get_station(session, system, station_id)
    if row.docked or session.scalar(select(func.count()).where(BikeRow.station_pk == row.id)):
        raise BikesError(N_("station {station} still holds bikes"), field="station_id", status=409, station=station_id)
    session.delete(row)
    session.flush()


def station_json(row: BikeStation, available: dict[str, int] | None = None) -> dict[str, Any]:
    """A station as JSON, with its free docks for riders and (given) its available bikes per vehicle type."""
    out = {
        "station_id": row.station_id,
        "name": row.name,
        "short_name": row.short_name,
        "lat": float(row.geom.y),
        "lon": float(row.geom.x),
        "capacity": row.capacity,
        "num_docks_disabled": row.num_docks_disabled,
        "address": row.address,
        "kecamatan": {"code": row.kecamatan_code, "name": row.kecamatan_name},
        "region_id": row.region_id,
        "nearby": row.nearby or [],
        "opening_hours": row.opening_hours,
        "is_charging_station": row.is_charging_station,
        "is_installed": row.is_installed,
        "is_renting": row.is_renting,
        "is_returning": row.is_returning,
        "docked": row.docked,
        "docks_available": operations.free_docks(st.station_model(row), row.docked),
    }
    if available is not None:
        out["bikes_available"] = available
    return out


def _geojson_rows(doc: Any) -> list[dict[str, Any]]:
    check_crs(doc)
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise BikesError(N_("the file is not a GeoJSON FeatureCollection"), field="file")
    rows = []
    for i, feat in enumerate(features, start=1):
        props = feat.get("properties") if isinstance(feat, dict) else None
        geom_in = feat.get("geometry") if isinstance(feat, dict) else None
        if not isinstance(props, dict | None) or not isinstance(geom_in, dict):
            raise BikesError(N_("feature {n} is not a point"), field="geometry", record=i, n=i)
        try:
            geom = shape(geom_in)
        except (AttributeError, KeyError, TypeError, ValueError, IndexError, GEOSException):
            geom = None
        if geom is None or geom.geom_type != "Point" or geom.is_empty:
            raise BikesError(N_("feature {n} is not a point"), field="geometry", record=i, n=i)
        rows.append({**(props or {}), "lon": geom.x, "lat": geom.y})
    return rows


def parse_stations(data: bytes, filename: str = "") -> list[dict[str, Any]]:
    """Rows of a station CSV or GeoJSON file as dicts (see the module docstring for the columns)."""
    label = filename or "stations"
    text_data = limits.utf8(data, label)
    stripped = text_data.lstrip()
    if filename.lower().endswith((".geojson", ".json")) or stripped.startswith(("{", "[")):
        return _geojson_rows(limits.load_json(text_data, label))
    reader = csv.DictReader(io.StringIO(text_data))
    missing = {"station_id", "name", "lat", "lon", "capacity"} - set(limits.csv_header(reader, label))
    if missing:
        raise BikesError(
            N_("the CSV file lacks the columns {columns}"), field="file", columns=", ".join(sorted(missing))
        )
    rows = []
    for i, r in enumerate(limits.csv_rows(reader, label), start=2):
        if None in r or any(v is None for v in r.values()):
            raise BikesError(N_("the row does not have a value for every column"), field="row", record=i)
        rows.append({k: (v if v != "" else None) for k, v in r.items()})
    return rows


def import_stations(session: Session, system: BikeSystem, data: bytes, filename: str = "") -> dict[str, int]:
    """Create or update the stations of a file; returns ``created`` and ``updated`` counts."""
    counts = {"created": 0, "updated": 0}
    for i, row in enumerate(parse_stations(data, filename), start=1):
        try:
            _r, created = upsert_station(session, system, row)
        except BikesError as exc:
            exc.record = exc.record or i
            raise
        counts["created" if created else "updated"] += 1
    return counts


def station_features(session: Session, system: BikeSystem) -> dict[str, Any]:
    """Every station of the system with its live counts, as a GeoJSON FeatureCollection (the public map)."""
    avail = st.available_by_station(session, system)
    return feature_collection(
        [
            feature(r.geom, station_json(r, avail.get(r.id, {})), fid=r.station_id)
            for r in session.scalars(queries.stations(system))
        ]
    )


def station_list(session: Session, system: BikeSystem) -> list[dict[str, Any]]:
    """Every station of the system with its live counts, by station id."""
    avail = st.available_by_station(session, system)
    return [station_json(r, avail.get(r.id, {})) for r in session.scalars(queries.stations(system))]


#: The columns of the stations CSV (the public download; the import reads the same names).
CSV_COLUMNS = [
    "station_id",
    "name",
    "name_en",
    "lat",
    "lon",
    "capacity",
    "num_docks_disabled",
    "docked",
    "docks_available",
    "bikes_available",
    "kecamatan_code",
    "kecamatan",
    "region_id",
    "address",
    "opening_hours",
    "is_charging_station",
    "is_installed",
    "is_renting",
    "is_returning",
]


def stations_csv(session: Session, system: BikeSystem) -> str:
    """Every station with its live counts as CSV (:mod:`kotacerdas.core.csvfile`: CRLF, true/false)."""
    rows = []
    for s in station_list(session, system):
        name = s["name"] if isinstance(s["name"], dict) else {"id": s["name"], "en": s["name"]}
        rows.append(
            [
                s["station_id"],
                name.get("id", ""),
                name.get("en", ""),
                round(s["lat"], 6),
                round(s["lon"], 6),
                s["capacity"],
                s["num_docks_disabled"],
                s["docked"],
                s["docks_available"],
                sum((s.get("bikes_available") or {}).values()),
                s["kecamatan"]["code"],
                s["kecamatan"]["name"],
                s["region_id"],
                s["address"],
                s["opening_hours"],
                s["is_charging_station"],
                s["is_installed"],
                s["is_renting"],
                s["is_returning"],
            ]
        )
    return csv_text(CSV_COLUMNS, rows)


def vehicle_id_key(system_id: str) -> str:
    """The secret a system's public vehicle ids are made with: derived from the server's secret key
    (``KOTACERDAS_SECRET_KEY``, or the one kept in the data directory), so every process of a deployment makes
    the same ids and nobody outside can tell which bike an id is."""
    from kotacerdas.core.config import get_settings

    return _vehicle_id_key(get_settings().secret_key, system_id)


@functools.lru_cache(maxsize=64)
def _vehicle_id_key(secret: str, system_id: str) -> str:
    return hmac.new(secret.encode(), f"kotacerdas.gbfs.vehicle_id|{system_id}".encode(), hashlib.sha256).hexdigest()


def public_vehicle_id(system: BikeSystem, bike: BikeRow) -> str:
    """The id the public knows a bike by: the GBFS ``vehicle_id``, rotated after every trip."""
    bike_model = Bike(bike.bike_id, "", last_reported=bike.last_reported)
    return gbfs.public_vehicle_id(bike_model, vehicle_id_key(system.system_id))


def station_detail(session: Session, system: BikeSystem, station_id: str, *, staff: bool = False) -> dict[str, Any]:
    """One station with its live counts and the bikes available in it.

    The public sees each bike by its rotating GBFS ``vehicle_id`` (a new one after every trip, so a bike cannot
    be followed from station to station); ``staff`` (``bikes.read_private``) also see the stable ``bike_id``.
    """
    row = st.get_station(session, system, station_id)
    out = station_json(row, st.available_by_station(session, system).get(row.id, {}))
    out["bikes"] = [
        {
            "bike_id": b.bike_id if staff else None,
            "vehicle_id": public_vehicle_id(system, b),
            "vehicle_type_id": vt,
            "status": b.status,
            "battery": b.battery,
        }
        for b, vt in session.execute(queries.available_bikes_at(row))
    ]
    return out


#: What an operator may change of a station: the fields a recorded change keeps and an undo puts back.
EDITABLE = (
    "name",
    "short_name",
    "lat",
    "lon",
    "capacity",
    "num_docks_disabled",
    "address",
    "region_id",
    "nearby",
    "opening_hours",
    "is_charging_station",
    "is_installed",
    "is_renting",
    "is_returning",
)
STATION_ACTIONS = ("bikes.station.create", "bikes.station.save", "bikes.station.delete", "bikes.stations.import")
UNDO_ACTION = "bikes.station.undo"


def snapshot(session: Session, system: BikeSystem, station_id: str) -> dict[str, Any] | None:
    """The editable fields of a station as stored now (``None`` when there is none)."""
    row = session.scalar(
        select(BikeStation).where(BikeStation.system_pk == system.id, BikeStation.station_id == station_id)
    )
    if row is None:
        return None
    data = station_json(row)
    return {"station_id": station_id, **{k: data[k] for k in EDITABLE}}


def _recorded(
    engine: Engine,
    system_id: str,
    user_id: int | None,
    action: str,
    target: str,
    fn: Callable[[Session, BikeSystem], T],
    station_ids: Callable[[Session, BikeSystem], list[str]],
) -> T:
    """``fn`` in one write transaction, audited with each touched station before and after."""

    def body(s: Session) -> T:
        system = st.get_system(s, system_id)
        ids = station_ids(s, system)
        before = {sid: snapshot(s, system, sid) for sid in ids}
        out = fn(s, system)
        changes = [{"station": sid, "before": before[sid], "after": snapshot(s, system, sid)} for sid in ids]
        changes = [c for c in changes if c["before"] != c["after"]]
        accounts.audit(s, system.city_id, user_id, action, target, system=system_id, changes=changes)
        return out

    return run_write(engine, body, system_id=system_id)


def create(engine: Engine, system_id: str, data: dict[str, Any], *, user_id: int | None) -> dict[str, Any]:
    """Create the station ``data["station_id"]``: 409 when that id is in use (change that station instead)."""
    sid = str(data.get("station_id") or "").strip()

    def fn(s: Session, system: BikeSystem) -> dict[str, Any]:
        if snapshot(s, system, sid) is not None:
            raise BikesError(
                N_("A station with the id {station} exists already: choose another id, or change that station"),
                field="station_id",
                status=409,
                station=sid,
            )
        return station_json(upsert_station(s, system, data | {"station_id": sid})[0])

    return _recorded(engine, system_id, user_id, "bikes.station.create", sid, fn, lambda s, system: [sid])


def change(engine: Engine, system_id: str, station_id: str, data: dict[str, Any], *, user_id: int | None) -> dict:
    """Change the fields given of an existing station (404 when there is none; audited)."""

    def fn(s: Session, system: BikeSystem) -> dict[str, Any]:
        st.get_station(s, system, station_id)
        return station_json(upsert_station(s, system, data | {"station_id": station_id})[0])

    return _recorded(engine, system_id, user_id, "bikes.station.save", station_id, fn, lambda s, system: [station_id])


def save(engine: Engine, system_id: str, data: dict[str, Any], *, user_id: int | None) -> dict[str, Any]:
    """Create the station, or change it when its id is in use (imports and scripts; audited). Operators'
    screens and the API create and change separately (:func:`create`, :func:`change`)."""
    sid = str(data.get("station_id") or "").strip()

    def fn(s: Session, system: BikeSystem) -> dict[str, Any]:
        return station_json(upsert_station(s, system, data)[0])

    return _recorded(engine, system_id, user_id, "bikes.station.save", sid, fn, lambda s, system: [sid])


def delete(engine: Engine, system_id: str, station_id: str, *, user_id: int | None) -> None:
    """Remove an empty station (409 while bikes stand in it; audited)."""
    _recorded(
        engine,
        system_id,
        user_id,
        "bikes.station.delete",
        station_id,
        lambda s, system: delete_station(s, system, station_id),
        lambda s, system: [station_id],
    )


def import_file(engine: Engine, system_id: str, data: bytes, filename: str, *, user_id: int | None) -> dict[str, int]:
    """Create or update the stations of a file, all or none (audited, each station before and after)."""
    rows = parse_stations(data, filename)
    ids = list(dict.fromkeys(str(r.get("station_id") or "").strip() for r in rows if r.get("station_id")))
    return _recorded(
        engine,
        system_id,
        user_id,
        "bikes.stations.import",
        filename,
        lambda s, system: import_stations(s, system, data, filename),
        lambda s, system: ids,
    )


def recent_changes(session: Session, system: BikeSystem, limit: int = 20) -> list[dict[str, Any]]:
    """The latest recorded station changes of the system, newest first, with who made them."""
    stmt = (
        select(AuditEvent, User.username)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.city_id == system.city_id, AuditEvent.action.in_((*STATION_ACTIONS, UNDO_ACTION)))
        .order_by(AuditEvent.id.desc())
        .limit(limit * 3)
    )
    out = []
    for event, username in session.execute(stmt):
        detail = event.detail or {}
        if detail.get("system") != system.system_id or not detail.get("changes"):
            continue
        out.append(
            {
                "id": event.id,
                "action": event.action,
                "target": event.target,
                "user": username,
                "at": event.created_at,
                "changes": detail["changes"],
                "undone": bool(detail.get("undone_by")),
            }
        )
        if len(out) >= limit:
            break
    return out


def _put_back(s: Session, system: BikeSystem, change: dict[str, Any]) -> None:
    """Make one station as it was before a recorded change (created: removed; removed: made again)."""
    sid, before = change["station"], change["before"]
    if before is None:
        delete_station(s, system, sid)
        return
    upsert_station(s, system, dict(before))


def undo(engine: Engine, system_id: str, change_id: int, *, user_id: int | None) -> dict[str, Any]:
    """Put back the stations of the recorded change ``change_id`` as they were before it (audited itself).

    Refused (409) when a station was changed again since (undo the later change first) or when the
    change was undone already; a created station is removed only while it is empty.
    """

    def body(s: Session) -> dict[str, Any]:
        system = st.get_system(s, system_id)
        event = s.get(AuditEvent, change_id)
        detail = (event.detail or {}) if event is not None else {}
        if event is None or event.city_id != system.city_id or detail.get("system") != system_id:
            raise BikesError(N_("No recorded station change {id} in this system"), status=404, id=change_id)
        if detail.get("undone_by"):
            raise BikesError(N_("This change was undone already"), status=409)
        changes = detail.get("changes") or []
        for change in changes:
            if snapshot(s, system, change["station"]) != change["after"]:
                raise BikesError(
                    N_("Station {station} was changed again since; undo the later change first"),
                    status=409,
                    station=change["station"],
                )
        undone = []
        for change in reversed(changes):
            now = snapshot(s, system, change["station"])
            _put_back(s, system, change)
            undone.append(
                {"station": change["station"], "before": now, "after": snapshot(s, system, change["station"])}
            )
        accounts.audit(
            s, system.city_id, user_id, UNDO_ACTION, event.target, system=system_id, changes=undone, undoes=event.id
        )
        event.detail = {**detail, "undone_by": user_id or 0}
        return {"undone": change_id, "stations": [c["station"] for c in changes]}

    return run_write(engine, body, system_id=system_id)
