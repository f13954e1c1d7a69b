"""Docking stations: saving one (operators), importing many from CSV or GeoJSON, removing an empty one, and
reading them with their live counts (the public map, one station, the operator's list).

Functions that take a session work in the caller's transaction; :func:`save`, :func:`change`,
:func:`delete` and :func:`import_file` run their own (audited, the feeds refreshed; the caller
has checked the operator's role). Input is validated through :class:`kotacerdas.bikes.model.Station`
(coordinates within WGS84, docks that fit).

Station import formats
----------------------
CSV (UTF-8, header row): ``station_id, name, lat, lon, capacity`` required; optional
``name_en, short_name, address, region_id, is_charging_station (true/false), opening_hours,
nearby`` (destinations separated by ``;``). GeoJSON: a FeatureCollection of Point features
whose properties carry the same names (``lat``/``lon`` come from the geometry).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from shapely.errors import GEOSException
from shapely.geometry import Point, shape
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.bikes import gbfs, operations
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import Bike, Station, local, local_text
from kotacerdas.bikes.services.writes import audited
from kotacerdas.bikes.store import queries
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeRegion, BikeRow, BikeStation, BikeSystem
from kotacerdas.core import limits
from kotacerdas.core.geometry import check_crs, feature, feature_collection
from kotacerdas.core.i18n import N_


def _ensure_region(session: Session, system: BikeSystem, region_id: str | None, name: str | None) -> None:
    if not region_id:
        return
    if (
        session.scalar(
            select(BikeRegion.id).where(BikeRegion.system_pk == system.id, BikeRegion.region_id == region_id)
        )
        is None
    ):
        session.add(BikeRegion(system_pk=system.id, region_id=region_id, name=local(name or region_id)))
        session.flush()


def upsert_station(session: Session, system: BikeSystem, data: dict[str, Any]) -> tuple[BikeStation, bool]:  # noqa: C901 (complexity baseline: split when next changed)
    """Create or update a station from a dict (``station_id``, ``name``, ``lat``, ``lon``, ``capacity`` ...).

    The kecamatan is looked up from the city's stored admin areas; without a ``region_id``
    the kecamatan becomes the station's GBFS region. Lowering the capacity below the bikes
    standing there is refused (409).
    """
    sid = str(data.get("station_id") or "").strip()
    if not sid:
        raise BikesError(N_("{name} must not be empty"), field="station_id", name="station_id")
    row = session.scalar(select(BikeStation).where(BikeStation.system_pk == system.id, BikeStation.station_id == sid))
    current = st.station_model(row) if row is not None else None
    try:
        lat = float(data["lat"]) if data.get("lat") is not None else (current.lat if current else None)
        lon = float(data["lon"]) if data.get("lon") is not None else (current.lon if current else None)
        capacity = (
            int(data["capacity"]) if data.get("capacity") is not None else (current.capacity if current else None)
        )
        disabled = int(data.get("num_docks_disabled", current.num_docks_disabled if current else 0))
    except (TypeError, ValueError) as exc:
        raise BikesError(N_("lat, lon and capacity must be numbers"), field="capacity", record=sid) from exc
    if lat is None or lon is None or capacity is None:
        raise BikesError(N_("a new station needs lat, lon and capacity"), field="lat", record=sid)
    name = local_text(data["name"], "name") if data.get("name") is not None else (current.name if current else None)
    if name is None:
        raise BikesError(N_("{name} must not be empty"), field="name", name="name", record=sid)
    if isinstance(data.get("name"), str) and data.get("name_en"):
        name = local(str(data["name"]).strip(), str(data["name_en"]).strip())
    model = Station(sid, name, lat, lon, capacity, num_docks_disabled=disabled)  # validates bounds and docks
    code, kname = st.kecamatan_at(session, system.city_id, lon, lat)
    region_id = data.get("region_id") or (row.region_id if row is not None and row.region_id else None) or code
    _ensure_region(session, system, region_id, kname if region_id == code else None)
    created = row is None
    if created:
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


def public_vehicle_id(system: BikeSystem, bike: BikeRow) -> str:
    """The id the public knows a bike by: the GBFS ``vehicle_id``, rotated after every trip."""
    return gbfs.public_vehicle_id(Bike(bike.bike_id, "", last_reported=bike.last_reported), system.system_id)


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


def save(engine: Engine, system_id: str, data: dict[str, Any], *, user_id: int | None) -> dict[str, Any]:
    """Create or replace the station ``data["station_id"]`` (audited)."""
    return audited(
        engine,
        system_id,
        user_id,
        "bikes.station.save",
        str(data.get("station_id")),
        lambda s, system: station_json(upsert_station(s, system, data)[0]),
    )


def change(engine: Engine, system_id: str, station_id: str, data: dict[str, Any], *, user_id: int | None) -> dict:
    """Change the fields given of an existing station (404 when there is none; audited)."""

    def fn(s: Session, system: BikeSystem) -> dict[str, Any]:
        st.get_station(s, system, station_id)
        return station_json(upsert_station(s, system, data | {"station_id": station_id})[0])

    return audited(engine, system_id, user_id, "bikes.station.save", station_id, fn)


def delete(engine: Engine, system_id: str, station_id: str, *, user_id: int | None) -> None:
    """Remove an empty station (409 while bikes stand in it; audited)."""
    audited(
        engine,
        system_id,
        user_id,
        "bikes.station.delete",
        station_id,
        lambda s, system: delete_station(s, system, station_id),
    )


def import_file(engine: Engine, system_id: str, data: bytes, filename: str, *, user_id: int | None) -> dict[str, int]:
    """Create or update the stations of a CSV or GeoJSON file, all or none (audited)."""
    return audited(
        engine,
        system_id,
        user_id,
        "bikes.stations.import",
        filename,
        lambda s, system: import_stations(s, system, data, filename),
    )
