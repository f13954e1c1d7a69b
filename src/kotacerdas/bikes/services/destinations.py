"""Destinations of a system's city: the public list, the operator's edits, the OSM import and the demo list.

Destinations belong to the city of a system (``bike_destinations``); the tour planner reads the
active ones. An operator (``bikes.manage`` in the city) creates, changes and retires them, or imports
them from an OpenStreetMap extract (:func:`read_osm_destinations`: every node or way whose tags
:func:`kotacerdas.bikes.destinations.from_osm_tags` recognises; idempotent by the file's SHA-256;
one transaction). The import's report names every place whose ``opening_hours`` could not be read
(``unreadable_hours``: the place, its OSM object and the value as found): such a place is stored
with its hours unknown, which the planner visits in the daytime only.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.bikes.destinations import CATEGORY_NAMES, VISIT_MINUTES, Destination, from_osm_tags
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.opening_hours import planning_hours
from kotacerdas.bikes.services.writes import audited
from kotacerdas.bikes.store.route_tables import BikeDestination
from kotacerdas.bikes.store.tables import BikeSystem
from kotacerdas.core.i18n import N_
from kotacerdas.core.imports import find_import, record_import, sha256_file

IMPORT_KIND = "bikes.destinations"


def to_record(row: BikeDestination) -> Destination:
    """The :class:`Destination` of a row."""
    return Destination(
        destination_id=row.destination_id,
        name=dict(row.name),
        category=row.category,
        lon=float(row.geom.x),
        lat=float(row.geom.y),
        opening_hours=row.opening_hours,
        visit_minutes=int(row.visit_minutes),
        fee=row.fee,
        description=dict(row.description or {}),
        photos=tuple(row.photos or ()),
        source=row.source,
        is_demo=bool(row.is_demo),
        opening_hours_raw=row.opening_hours_raw,
    )


def destination_json(d: Destination) -> dict[str, Any]:
    """The public fields of a destination, with its category's name and the parsed week."""
    out = asdict(d)
    out["photos"] = list(d.photos)
    out["category_name"] = CATEGORY_NAMES[d.category]
    out["hours_known"] = d.hours_known
    out["week"] = planning_hours(d.opening_hours).describe()
    return out


def active(session: Session, city_id: int) -> list[Destination]:
    """The active destinations of a city, by id."""
    rows = session.scalars(
        select(BikeDestination)
        .where(BikeDestination.city_id == city_id, BikeDestination.active.is_(True))
        .order_by(BikeDestination.destination_id)
    )
    return [to_record(r) for r in rows]


def destination_features(session: Session, system: BikeSystem, category: str | None = None) -> dict[str, Any]:
    """The active destinations of the system's city as a GeoJSON FeatureCollection (public)."""
    found = [d for d in active(session, system.city_id) if category is None or d.category == category]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": d.destination_id,
                "geometry": {"type": "Point", "coordinates": [d.lon, d.lat]},
                "properties": destination_json(d),
            }
            for d in found
        ],
    }


def get_row(session: Session, city_id: int, destination_id: str) -> BikeDestination:
    row = session.scalar(
        select(BikeDestination).where(
            BikeDestination.city_id == city_id, BikeDestination.destination_id == destination_id
        )
    )
    if row is None:
        raise BikesError(
            N_("unknown destination {destination}"), field="destination_id", status=404, destination=destination_id
        )
    return row


def store(session: Session, city_id: int, d: Destination) -> tuple[BikeDestination, bool]:
    """Create or update the row of ``d`` (its city unique id); returns the row and whether it is new."""
    row = session.scalar(
        select(BikeDestination).where(
            BikeDestination.city_id == city_id, BikeDestination.destination_id == d.destination_id
        )
    )
    created = row is None
    if row is None:
        row = BikeDestination(city_id=city_id, destination_id=d.destination_id)
        session.add(row)
    row.name = d.name
    row.category = d.category
    row.description = d.description
    row.photos = list(d.photos)
    row.opening_hours = d.opening_hours
    row.opening_hours_raw = d.opening_hours_raw
    row.visit_minutes = d.visit_minutes
    row.fee = d.fee
    row.source = d.source[:120]
    row.is_demo = d.is_demo
    row.active = True
    row.geom = Point(d.lon, d.lat)
    session.flush()
    return row, created


def _merge(session: Session, system: BikeSystem, destination_id: str | None, data: dict[str, Any]) -> Destination:
    """The destination ``data`` describes, over the stored one when it exists (fields given replace)."""
    base: Destination | None = None
    if destination_id is not None:
        base = to_record(get_row(session, system.city_id, destination_id))
    fields = {k: v for k, v in data.items() if v is not None}
    for key in ("name", "description"):
        if isinstance(fields.get(key), str):
            fields[key] = {"id": fields[key], "en": fields[key]}
    if "photos" in fields:
        fields["photos"] = tuple(fields["photos"])
    if "opening_hours" in fields:  # hours the operator gives replace what the import could not read
        fields.setdefault("opening_hours_raw", None)
    if base is None:
        missing = [k for k in ("destination_id", "name", "lon", "lat") if fields.get(k) in (None, "", {})]
        if missing:
            raise BikesError(N_("a new destination needs {fields}"), field=missing[0], fields=", ".join(missing))
        category = fields.get("category", "culture")
        fields.setdefault("visit_minutes", VISIT_MINUTES.get(category, 45))
        return Destination(**{"source": "operator", **fields})
    return replace(base, **fields)


def save(engine: Engine, system_id: str, data: dict[str, Any], *, user_id: int | None) -> dict[str, Any]:
    """Create the destination ``data["destination_id"]`` or change the fields given of it (audited)."""
    target = str(data.get("destination_id") or "")

    def fn(s: Session, system: BikeSystem) -> dict[str, Any]:
        existing = s.scalar(
            select(BikeDestination.id).where(
                BikeDestination.city_id == system.city_id, BikeDestination.destination_id == target
            )
        )
        d = _merge(s, system, target if existing else None, data)
        store(s, system.city_id, d)
        return destination_json(d)

    return audited(engine, system_id, user_id, "bikes.destination.save", target, fn)


def change(engine: Engine, system_id: str, destination_id: str, data: dict[str, Any], *, user_id: int | None) -> dict:
    """Change the fields given of an existing destination (404 for an unknown one; audited)."""

    def fn(s: Session, system: BikeSystem) -> dict[str, Any]:
        d = _merge(s, system, destination_id, {**data, "destination_id": destination_id})
        store(s, system.city_id, d)
        return destination_json(d)

    return audited(engine, system_id, user_id, "bikes.destination.save", destination_id, fn)


def retire(engine: Engine, system_id: str, destination_id: str, *, user_id: int | None) -> None:
    """Take a destination out of the planner and the public list (kept for saved routes; audited)."""

    def fn(s: Session, system: BikeSystem) -> None:
        get_row(s, system.city_id, destination_id).active = False

    audited(engine, system_id, user_id, "bikes.destination.retire", destination_id, fn)


def read_osm_destinations(path: str | Path) -> tuple[list[Destination], dict[str, int]]:
    """The destinations of an OSM extract (nodes, and ways at their centroid) and what was skipped, by reason."""
    import osmium
    import shapely

    found: dict[str, Destination] = {}
    skipped = {"not_a_destination": 0, "no_location": 0}
    keys = ("tourism", "leisure", "historic", "natural", "amenity", "craft", "shop", "boundary", "waterway")
    try:
        processor = (
            osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.KeyFilter(*keys))
        )
        for obj in processor:
            tags = {t.k: t.v for t in obj.tags}
            if obj.is_node():
                if not obj.location.valid():
                    skipped["no_location"] += 1
                    continue
                lon, lat, osm_id = obj.location.lon, obj.location.lat, f"node/{obj.id}"
            else:
                pts = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
                if not pts:
                    skipped["no_location"] += 1
                    continue
                c = shapely.MultiPoint(pts).centroid if len(pts) < 3 else shapely.Polygon(pts).buffer(0).centroid
                if c.is_empty:
                    c = shapely.MultiPoint(pts).centroid
                lon, lat, osm_id = c.x, c.y, f"way/{obj.id}"
            d = from_osm_tags(osm_id, tags, lon, lat)
            if d is None:
                skipped["not_a_destination"] += 1
                continue
            found[d.destination_id] = d
    except (RuntimeError, ValueError, OSError) as exc:
        raise BikesError(
            N_("cannot read OpenStreetMap file {file}: {reason}"), field="file", file=Path(path).name, reason=str(exc)
        ) from exc
    return list(found.values()), skipped


def unreadable_hours(items: list[Destination]) -> list[dict[str, Any]]:
    """The places whose source's opening hours could not be read: id, name, source and the value as found."""
    return [
        {"destination_id": d.destination_id, "name": d.name, "source": d.source, "opening_hours": d.opening_hours_raw}
        for d in items
        if d.opening_hours_raw is not None
    ]


def import_osm(
    engine: Engine, system_id: str, path: str | Path, filename: str, *, user_id: int | None
) -> dict[str, Any]:
    """Import the destinations of an OSM extract into the system's city, all or none (idempotent; audited)."""
    digest = sha256_file(path)
    items, skipped = read_osm_destinations(path)

    def fn(s: Session, system: BikeSystem) -> dict[str, Any]:
        if find_import(s, system.city_id, IMPORT_KIND, digest) is not None:
            return {
                "filename": filename,
                "already_imported": True,
                "created": 0,
                "updated": 0,
                "skipped": {},
                "unreadable_hours": [],
            }
        created = updated = 0
        for d in items:
            _, new = store(s, system.city_id, d)
            created += int(new)
            updated += int(not new)
        summary = {
            "filename": filename,
            "already_imported": False,
            "created": created,
            "updated": updated,
            "skipped": {k: v for k, v in skipped.items() if v},
            "unreadable_hours": unreadable_hours(items),
        }
        record_import(s, system.city_id, IMPORT_KIND, digest, filename=filename, user_id=user_id, summary=summary)
        return summary

    return audited(engine, system_id, user_id, "bikes.destinations.import", filename, fn)


def load_demo(session: Session, city_id: int) -> int:
    """Store the curated demo destinations in the city (idempotent); returns how many there are."""
    from kotacerdas.bikes.demo_destinations import demo_destinations

    items = demo_destinations()
    for d in items:
        store(session, city_id, d)
    return len(items)
