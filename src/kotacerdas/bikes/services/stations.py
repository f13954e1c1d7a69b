"""What operators manage: systems, stations (one by one, or imported from CSV / GeoJSON), plans, alerts,
trip history imports, and the Banyuwangi demo.

Functions take an open session (the caller commits, usually through
:func:`kotacerdas.bikes.services.rentals.run_write`) and validate through the domain records of
:mod:`kotacerdas.bikes.model` (a station outside WGS84 bounds, a float fare ... raise
:class:`~kotacerdas.bikes.errors.BikesError`).

Station import formats
----------------------
CSV (UTF-8, header row): ``station_id, name, lat, lon, capacity`` required; optional
``name_en, short_name, address, region_id, is_charging_station (true/false), opening_hours,
nearby`` (destinations separated by ``;``). GeoJSON: a FeatureCollection of Point features
whose properties carry the same names (``lat``/``lon`` come from the geometry).

Trip history CSV: ``trip_id, bike_id, start_station_id, end_station_id, start_time, end_time``
(ISO 8601 with offset; a time without offset is read in the system's time zone) and
optional ``vehicle_type_id``. Trips are stored as ended rentals (``source = 'import'``);
a trip id already stored is skipped, and the same file twice is recognised by its checksum.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shapely.geometry import Point, shape
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from kotacerdas.bikes import demo, pricing
from kotacerdas.bikes import ledger as ledgers
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.model import Alert, AlertTime, PricingPlan, Station, local
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import (
    BikeAlert,
    BikePosting,
    BikePricingPlan,
    BikeRegion,
    BikeRental,
    BikeRider,
    BikeRow,
    BikeStation,
    BikeSystem,
    BikeTask,
    BikeTransaction,
    BikeVehicleType,
    BikeZone,
)
from kotacerdas.core.db import utcnow
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City, ImportBatch

SYSTEM_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


def _text(value: Any, field: str) -> dict[str, str]:
    if isinstance(value, dict):
        if not value.get("id") and not value.get("en"):
            raise BikesError(N_("{name} must not be empty"), field=field, name=field)
        return local(value.get("id") or value["en"], value.get("en"))
    if not value or not str(value).strip():
        raise BikesError(N_("{name} must not be empty"), field=field, name=field)
    return local(str(value).strip())


# -- systems ------------------------------------------------------------------------------------


def create_system(session: Session, city: City, data: dict[str, Any]) -> BikeSystem:
    """A new system in ``city`` (``system_id`` lower-case letters, digits, ``-`` and ``_``; unique)."""
    sid = str(data.get("system_id", "")).strip()
    if not sid or not set(sid) <= SYSTEM_ID_CHARS or len(sid) > 64:
        raise BikesError(
            N_("{value} is not a valid system id (lower-case letters, digits, - and _)"),
            field="system_id",
            value=sid,
        )
    if session.scalar(select(BikeSystem.id).where(BikeSystem.system_id == sid)):
        raise BikesError(N_("the system id {value} is taken"), field="system_id", status=409, value=sid)
    row = BikeSystem(
        city_id=city.id,
        system_id=sid,
        name=_text(data.get("name"), "name"),
        short_name=data.get("short_name"),
        operator=_text(data.get("operator") or city.name, "operator"),
        feed_contact_email=data.get("feed_contact_email") or "gbfs@kotacerdas.example",
        timezone=data.get("timezone") or city.timezone,
        languages=["id", "en"],
        opening_hours=data.get("opening_hours") or "Mo-Su 05:00-22:00",
        url=data.get("url"),
        email=data.get("email"),
        phone_number=data.get("phone_number"),
        start_date=data.get("start_date"),
        license_url=data.get("license_url"),
        is_demo=bool(data.get("is_demo", False)),
        reserve_minutes=int(data.get("reserve_minutes", 15)),
        redirect_credit_minutes=int(data.get("redirect_credit_minutes", 15)),
    )
    session.add(row)
    session.flush()
    return row


def update_system(session: Session, system: BikeSystem, data: dict[str, Any]) -> BikeSystem:
    for key in ("name", "operator", "short_name"):
        if key in data and data[key] is not None:
            setattr(system, key, _text(data[key], key))
    for key in (
        "feed_contact_email",
        "opening_hours",
        "url",
        "email",
        "phone_number",
        "license_url",
        "reserve_minutes",
        "redirect_credit_minutes",
    ):
        if key in data and data[key] is not None:
            setattr(system, key, data[key])
    return system


def system_json(system: BikeSystem, city_code: str) -> dict[str, Any]:
    return {
        "system_id": system.system_id,
        "city": city_code,
        "name": system.name,
        "short_name": system.short_name,
        "operator": system.operator,
        "timezone": system.timezone,
        "opening_hours": system.opening_hours,
        "feed_contact_email": system.feed_contact_email,
        "url": system.url,
        "is_demo": system.is_demo,
        "reserve_minutes": system.reserve_minutes,
        "redirect_credit_minutes": system.redirect_credit_minutes,
        "gbfs": {
            "v3": f"/gbfs/v3/{system.system_id}/gbfs.json",
            "v2": f"/gbfs/v2/{system.system_id}/gbfs.json",
        },
    }


# -- stations ------------------------------------------------------------------------------------


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


def upsert_station(session: Session, system: BikeSystem, data: dict[str, Any]) -> tuple[BikeStation, bool]:
    """Create or update a station from a dict (``station_id``, ``name``, ``lat``, ``lon``, ``capacity`` ...).

    The kecamatan is looked up from the city's stored admin areas; without a ``region_id``
    the kecamatan becomes the station's GBFS region. Lowering the capacity below the bikes
    standing there is refused (409).
    """
    sid = str(data.get("station_id", "")).strip()
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
    name = _text(data["name"], "name") if data.get("name") is not None else (current.name if current else None)
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
        row.short_name = _text(data["short_name"], "short_name") if data["short_name"] else None
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
        "docks_available": max(0, row.capacity - row.num_docks_disabled - row.docked) if row.is_returning else 0,
    }
    if available is not None:
        out["bikes_available"] = available
    return out


def parse_stations(data: bytes, filename: str = "") -> list[dict[str, Any]]:
    """Rows of a station CSV or GeoJSON file as dicts (see the module docstring for the columns)."""
    text_data = data.decode("utf-8-sig")
    stripped = text_data.lstrip()
    if filename.lower().endswith((".geojson", ".json")) or stripped.startswith("{"):
        try:
            doc = json.loads(text_data)
        except json.JSONDecodeError as exc:
            raise BikesError(N_("the file is not valid GeoJSON: {reason}"), field="file", reason=str(exc)) from exc
        rows = []
        for i, feat in enumerate(doc.get("features", []), start=1):
            geom = shape(feat.get("geometry") or {}) if feat.get("geometry") else None
            if geom is None or geom.geom_type != "Point":
                raise BikesError(N_("feature {n} is not a point"), field="geometry", record=i, n=i)
            rows.append({**(feat.get("properties") or {}), "lon": geom.x, "lat": geom.y})
        return rows
    reader = csv.DictReader(io.StringIO(text_data))
    missing = {"station_id", "name", "lat", "lon", "capacity"} - set(reader.fieldnames or [])
    if missing:
        raise BikesError(
            N_("the CSV file lacks the columns {columns}"), field="file", columns=", ".join(sorted(missing))
        )
    return [{k: (v if v != "" else None) for k, v in r.items()} for r in reader]


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


# -- plans and alerts --------------------------------------------------------------------------------


def upsert_plan(session: Session, system: BikeSystem, data: dict[str, Any]) -> BikePricingPlan:
    """Create or update a pricing plan (integer rupiah; a float raises 400)."""
    plan_id = str(data.get("plan_id", "")).strip()
    row = session.scalar(
        select(BikePricingPlan).where(BikePricingPlan.system_pk == system.id, BikePricingPlan.plan_id == plan_id)
    )
    base = st.plan_model(row) if row is not None else None
    fields = {
        k: data[k]
        for k in ("unlock_fee", "per_minute", "free_minutes", "day_pass_price", "pass_valid_minutes")
        if k in data
    }
    if "name" in data:
        fields["name"] = _text(data["name"], "name")
    if "description" in data:
        fields["description"] = _text(data["description"], "description")
    if "vehicle_type_ids" in data:
        fields["vehicle_type_ids"] = tuple(data["vehicle_type_ids"] or ())
    if not plan_id:
        raise BikesError(N_("{name} must not be empty"), field="plan_id", name="plan_id")
    model = (
        replace(base, **fields)
        if base
        else PricingPlan(
            plan_id,
            **{
                "name": fields.pop("name", local(plan_id)),
                "description": fields.pop("description", local("")),
                **fields,
            },
        )
    )
    if row is None:
        row = BikePricingPlan(system_pk=system.id, plan_id=plan_id)
        session.add(row)
    row.name, row.description = dict(model.name), dict(model.description)
    row.unlock_fee, row.per_minute, row.free_minutes = model.unlock_fee, model.per_minute, model.free_minutes
    row.day_pass_price, row.pass_valid_minutes = model.day_pass_price, model.pass_valid_minutes
    row.vehicle_type_ids = list(model.vehicle_type_ids)
    row.is_active = bool(data.get("is_active", True if row.is_active is None else row.is_active))
    session.flush()
    return row


def plan_json(row: BikePricingPlan) -> dict[str, Any]:
    return {
        "plan_id": row.plan_id,
        "name": row.name,
        "description": row.description,
        "currency": "IDR",
        "unlock_fee": row.unlock_fee,
        "per_minute": row.per_minute,
        "free_minutes": row.free_minutes,
        "day_pass_price": row.day_pass_price,
        "pass_valid_minutes": row.pass_valid_minutes,
        "vehicle_type_ids": row.vehicle_type_ids or [],
        "is_active": row.is_active,
    }


def upsert_alert(session: Session, system: BikeSystem, data: dict[str, Any], now: datetime | None = None) -> BikeAlert:
    """Create or update an alert (``type``: system_closure, station_closure, station_move, other)."""
    now = now or utcnow()
    alert_id = str(data.get("alert_id") or st.new_id("alert"))
    times = []
    for t in data.get("times") or []:
        start = datetime.fromisoformat(t["start"]) if isinstance(t, dict) else datetime.fromisoformat(t[0])
        end_raw = t.get("end") if isinstance(t, dict) else (t[1] if len(t) > 1 else None)
        times.append(AlertTime(start, datetime.fromisoformat(end_raw) if end_raw else None))
    model = Alert(
        alert_id,
        str(data.get("type", "other")),
        _text(data.get("summary"), "summary"),
        description=_text(data["description"], "description") if data.get("description") else None,
        times=tuple(times),
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


# -- trip history ---------------------------------------------------------------------------------------


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
    sha = hashlib.sha256(data).hexdigest()
    kind = f"bikes.trips:{system.system_id}"
    done = session.scalar(
        select(ImportBatch).where(
            ImportBatch.city_id == system.city_id, ImportBatch.kind == kind, ImportBatch.sha256 == sha
        )
    )
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
    session.add(
        ImportBatch(city_id=system.city_id, user_id=user_id, kind=kind, filename=filename, sha256=sha, summary=summary)
    )
    session.flush()
    return summary


# -- demo -------------------------------------------------------------------------------------------------


def load_demo(
    session: Session, *, city_code: str = "35.10", now: datetime | None = None, weeks: int = 6
) -> dict[str, Any]:
    """Store the Banyuwangi demo system (``banyuwangi``, labelled demo) with bikes, riders, plans and trips.

    Idempotent: an existing demo system is left as it is. The trip history is the
    generated one of :func:`kotacerdas.bikes.demo.demo_trips`, shifted to end yesterday.
    """
    city = session.scalar(select(City).where(City.code == city_code))
    if city is None:
        raise BikesError(N_("unknown city {code}"), field="city", status=404, code=city_code)
    if session.scalar(select(BikeSystem.id).where(BikeSystem.system_id == demo.SYSTEM_ID)):
        return {"system_id": demo.SYSTEM_ID, "created": False}
    now = now or utcnow()
    system = demo.demo_system()
    row = BikeSystem(
        city_id=city.id,
        system_id=system.system_id,
        name=dict(system.name),
        short_name=dict(system.short_name or {}),
        operator=dict(system.operator),
        feed_contact_email=system.feed_contact_email,
        timezone=system.timezone,
        languages=["id", "en"],
        opening_hours=system.opening_hours,
        url=system.url,
        start_date=system.start_date,
        license_url=system.license_url,
        is_demo=True,
        reserve_minutes=15,
        redirect_credit_minutes=15,
        payment_provider="sandbox",
    )
    session.add(row)
    session.flush()
    for region in demo.demo_regions():
        session.add(BikeRegion(system_pk=row.id, region_id=region.region_id, name=dict(region.name)))
    session.flush()
    bikes = demo.demo_bikes(now)
    docked: dict[str, int] = {}
    for b in bikes:
        docked[b.station_id] = docked.get(b.station_id, 0) + 1
    stations: dict[str, int] = {}
    for s in demo.demo_stations():
        code, kname = st.kecamatan_at(session, city.id, s.lon, s.lat)
        srow = BikeStation(
            city_id=city.id,
            system_pk=row.id,
            station_id=s.station_id,
            name=dict(s.name),
            capacity=s.capacity,
            num_docks_disabled=0,
            docked=docked.get(s.station_id, 0),
            geom=Point(s.lon, s.lat),
            kecamatan_code=code,
            kecamatan_name=kname,
            region_id=s.region_id,
            nearby=[],
            opening_hours="Mo-Su 05:00-22:00",
            is_charging_station=s.is_charging_station,
            rental_methods=list(s.rental_methods),
        )
        session.add(srow)
        session.flush()
        stations[s.station_id] = srow.id
    types: dict[str, int] = {}
    for vt in demo.demo_vehicle_types():
        vrow = BikeVehicleType(
            system_pk=row.id,
            vehicle_type_id=vt.vehicle_type_id,
            name=dict(vt.name),
            propulsion_type=vt.propulsion_type,
            form_factor=vt.form_factor,
            max_range_meters=vt.max_range_meters,
            max_permitted_speed=vt.max_permitted_speed,
            default_reserve_time=vt.default_reserve_time,
            default_pricing_plan_id=vt.default_pricing_plan_id,
            pricing_plan_ids=list(vt.pricing_plan_ids),
        )
        session.add(vrow)
        session.flush()
        types[vt.vehicle_type_id] = vrow.id
    for p in demo.demo_plans():
        upsert_plan(
            session,
            row,
            {
                "plan_id": p.plan_id,
                "name": dict(p.name),
                "description": dict(p.description),
                "unlock_fee": p.unlock_fee,
                "per_minute": p.per_minute,
                "free_minutes": p.free_minutes,
                "day_pass_price": p.day_pass_price,
                "pass_valid_minutes": p.pass_valid_minutes,
                "vehicle_type_ids": list(p.vehicle_type_ids),
            },
        )
    session.execute(
        BikeRow.__table__.insert(),
        [
            {
                "city_id": city.id,
                "system_pk": row.id,
                "bike_id": b.bike_id,
                "vehicle_type_pk": types[b.vehicle_type_id],
                "status": str(b.status),
                "station_pk": stations[b.station_id],
                "lat": b.lat,
                "lon": b.lon,
                "battery": b.battery,
                "last_reported": b.last_reported,
            }
            for b in bikes
        ],
    )
    for a in demo.demo_alerts(now):
        upsert_alert(
            session,
            row,
            {
                "alert_id": a.alert_id,
                "type": a.type,
                "summary": dict(a.summary),
                "description": dict(a.description) if a.description else None,
                "times": [{"start": t.start.isoformat(), "end": t.end.isoformat() if t.end else None} for t in a.times],
                "station_ids": list(a.station_ids),
                "region_ids": list(a.region_ids),
            },
            now,
        )
    for z in demo.demo_zones():
        session.add(
            BikeZone(
                system_pk=row.id,
                zone_id=z.zone_id,
                name=dict(z.name),
                geom=z.geometry,
                rules=[
                    {
                        "ride_start_allowed": r.ride_start_allowed,
                        "ride_end_allowed": r.ride_end_allowed,
                        "ride_through_allowed": r.ride_through_allowed,
                        "maximum_speed_kph": r.maximum_speed_kph,
                        "station_parking": r.station_parking,
                        "vehicle_type_ids": list(r.vehicle_type_ids),
                    }
                    for r in z.rules
                ],
            )
        )
    riders = demo.demo_riders()
    trips = demo.demo_trips(weeks=weeks)
    shift = timedelta(days=((now.date() - timedelta(days=1)) - trips[-1].start_time.date()).days) if trips else None
    bike_type = {b.bike_id: b.vehicle_type_id for b in bikes}
    plans = {p.plan_id: p for p in demo.demo_plans()}
    plan_of = {vt.vehicle_type_id: vt.default_pricing_plan_id for vt in demo.demo_vehicle_types()}
    fares = []
    spent: dict[str, int] = {}
    for t in trips:
        plan = plans[plan_of[bike_type.get(t.bike_id, "classic")]]
        fare = pricing.ride_fare(plan, t.start_time, t.end_time).total
        fares.append((plan.plan_id, fare))
        spent[t.rider_id] = spent.get(t.rider_id, 0) + fare
    topup = {r.rider_id: 50_000 * (1 + spent.get(r.rider_id, 0) // 50_000) for r in riders}
    session.execute(
        BikeRider.__table__.insert(),
        [
            {
                "city_id": city.id,
                "system_pk": row.id,
                "rider_id": r.rider_id,
                "user_id": None,
                "phone": None,
                "name": r.name,
                "language": r.language,
                "wallet": topup[r.rider_id] - spent.get(r.rider_id, 0),
                "debt": 0,
                "is_demo": True,
                "created_at": now,
            }
            for r in riders
        ],
    )
    rider_pk = dict(
        session.execute(select(BikeRider.rider_id, BikeRider.id).where(BikeRider.system_pk == row.id)).all()
    )
    session.execute(
        BikeRental.__table__.insert(),
        [
            {
                "city_id": city.id,
                "system_pk": row.id,
                "rental_id": f"demo-{t.trip_id}",
                "rider_pk": rider_pk[t.rider_id],
                "bike_pk": None,
                "bike_code": t.bike_id,
                "vehicle_type_id": bike_type.get(t.bike_id),
                "start_station_id": t.start_station_id,
                "end_station_id": t.end_station_id,
                "start_time": t.start_time + shift,
                "end_time": t.end_time + shift,
                "status": "ended",
                "source": "demo",
                "credit_minutes": 0,
                "redirected_from": [],
                "plan_id": plan_id,
                "fare": fare,
            }
            for t, (plan_id, fare) in zip(trips, fares, strict=True)
        ],
    )
    # the money behind it: a top-up per rider and a charge per paid trip, one row per posting
    txns = [
        {
            "city_id": city.id,
            "system_pk": row.id,
            "txn_id": f"demo-topup-{r.rider_id}",
            "kind": "topup",
            "rider_pk": rider_pk[r.rider_id],
            "idempotency_key": f"demo:topup:{r.rider_id}",
            "reference": None,
            "memo": "demo",
            "created_at": now - timedelta(days=7 * weeks + 1),
        }
        for r in riders
    ]
    txns += [
        {
            "city_id": city.id,
            "system_pk": row.id,
            "txn_id": f"demo-fare-{t.trip_id}",
            "kind": "charge",
            "rider_pk": rider_pk[t.rider_id],
            "idempotency_key": f"fare:demo-{t.trip_id}",
            "reference": f"demo-{t.trip_id}",
            "memo": "demo",
            "created_at": t.end_time + shift,
        }
        for t, (_p, fare) in zip(trips, fares, strict=True)
        if fare > 0
    ]
    for k in range(0, len(txns), 5000):
        session.execute(BikeTransaction.__table__.insert(), txns[k : k + 5000])
    txn_pk = dict(
        session.execute(
            select(BikeTransaction.txn_id, BikeTransaction.id).where(BikeTransaction.system_pk == row.id)
        ).all()
    )
    postings = []
    for r in riders:
        pk = txn_pk[f"demo-topup-{r.rider_id}"]
        postings.append(
            {
                "transaction_pk": pk,
                "system_pk": row.id,
                "account": ledgers.wallet(r.rider_id),
                "amount": topup[r.rider_id],
            }
        )
        postings.append(
            {
                "transaction_pk": pk,
                "system_pk": row.id,
                "account": ledgers.external("sandbox"),
                "amount": -topup[r.rider_id],
            }
        )
    for t, (_p, fare) in zip(trips, fares, strict=True):
        if fare > 0:
            pk = txn_pk[f"demo-fare-{t.trip_id}"]
            postings.append({"transaction_pk": pk, "system_pk": row.id, "account": ledgers.RIDES, "amount": fare})
            postings.append(
                {
                    "transaction_pk": pk,
                    "system_pk": row.id,
                    "account": ledgers.wallet(t.rider_id),
                    "amount": -fare,
                }
            )
    for k in range(0, len(postings), 10000):
        session.execute(BikePosting.__table__.insert(), postings[k : k + 10000])
    tasks = 0
    for b in bikes:
        if b.status == "broken":
            session.add(
                BikeTask(
                    city_id=city.id,
                    system_pk=row.id,
                    task_id=f"demo-repair-{b.bike_id}",
                    kind="repair",
                    bike_id=b.bike_id,
                    station_id=b.station_id,
                    note="demo: reported broken",
                    status="open",
                    priority=1,
                    created_at=now,
                )
            )
            tasks += 1
    session.flush()
    return {
        "system_id": row.system_id,
        "created": True,
        "stations": len(stations),
        "bikes": len(bikes),
        "riders": len(riders),
        "trips": len(trips),
        "tasks": tasks,
    }
