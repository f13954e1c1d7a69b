"""Curated cycling routes: composed through stops in the operator's order, saved, published in the catalogue.

:func:`compose` rides the stops in the order given (from a start station, through destinations, to
an end station) on the bicycle network and schedules the visits as the planner does (waiting for a
place to open; a stop that cannot be visited in its opening hours at that time is flagged, not
dropped: the operator decides). :func:`save` stores the route with its stations (start, end and
those within 300 m on the way: ``bike_route_stations``); published routes form the public catalogue
(:func:`catalogue`), linked from the stations they touch (:func:`routes_at_station`).
"""

from __future__ import annotations

import re
from typing import Any

from shapely.geometry import LineString
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import destinations as dest
from kotacerdas.bikes.services import tours as tour_service
from kotacerdas.bikes.services.writes import audited
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.route_tables import BikeRoute, BikeRouteStation
from kotacerdas.bikes.store.tables import BikeStation, BikeSystem
from kotacerdas.bikes.tours import Tour, Visit, visit_windows
from kotacerdas.core.i18n import N_
from kotacerdas.network.graphs import city_router


def _local(value: Any, field: str) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {"id": value, "en": value}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return {k: v for k, v in value.items() if k in ("id", "en")}
    raise BikesError(N_('{name} is a text or {{"id": ..., "en": ...}}'), field=field, name=field)


def compose(session: Session, system: BikeSystem, data: dict[str, Any]) -> dict[str, Any]:
    """The plan of a route through ``data["stops"]`` (destination ids) in that order."""
    request = tour_service.parse_request(system, {**data, "budget_minutes": data.get("budget_minutes") or 24 * 60})
    profile = str(data.get("profile") or "quiet")
    router = city_router(session, system.city_id, profile)
    start = st.get_station(session, system, str(data.get("start_station_id") or ""))
    end = st.get_station(session, system, str(data.get("end_station_id") or data.get("start_station_id") or ""))
    by_id = {d.destination_id: d for d in dest.active(session, system.city_id)}
    stops = [str(x) for x in data.get("stops") or []]
    missing = [s for s in stops if s not in by_id]
    if missing:
        raise BikesError(N_("unknown destination {destination}"), field="stops", status=404, destination=missing[0])
    chosen = [by_id[s] for s in stops]
    points = [(start.geom.x, start.geom.y)] + [(d.lon, d.lat) for d in chosen] + [(end.geom.x, end.geom.y)]
    table = router.table(points, request.speed_kmh)
    minutes, metres = table.duration_s / 60.0, table.distance_m
    visits = [
        Visit(start.station_id, "start", request.start_minute, request.start_minute, request.start_minute, 0.0, 0.0)
    ]
    t = float(request.start_minute)
    warnings = []
    riding = dist = 0.0
    for k, d in enumerate(chosen, start=1):
        leg = float(minutes[k - 1, k])
        if leg == float("inf"):
            raise BikesError(
                N_("no bicycle path reaches {destination}"), field="stops", status=422, destination=d.destination_id
            )
        riding += leg
        dist += float(metres[k - 1, k])
        arrive = t + leg
        windows = visit_windows(d, request.day)
        begin = next((max(arrive, a) for a, b in windows if max(arrive, a) + d.visit_minutes <= b), None)
        if begin is None:
            warnings.append({"destination_id": d.destination_id, "warning": "closed_at_arrival"})
            begin = arrive
        visits.append(
            Visit(d.destination_id, "destination", arrive, begin, begin + d.visit_minutes, leg, float(metres[k - 1, k]))
        )
        t = begin + d.visit_minutes
    last = len(points) - 1
    leg = float(minutes[last - 1, last])
    riding += leg
    dist += float(metres[last - 1, last])
    visits.append(Visit(end.station_id, "end", t + leg, t + leg, t + leg, leg, float(metres[last - 1, last])))
    tour = Tour(tuple(visits), 0.0, riding, dist, end.station_id, t + leg)
    stations = tour_service.system_stations(session, system)
    index = {d.destination_id: k for k, d in enumerate(chosen, start=1)}
    shaped = tour_service.tour_json(
        router, request, tour, table, index, {end.station_id: last}, by_id, {end.station_id: end}, {}, stations
    )
    shaped["stops"][0].update(tour_service.station_brief(start))
    return {
        "system_id": system.system_id,
        "profile": profile,
        "speed_kmh": request.speed_kmh,
        "date": request.day.isoformat(),
        "start_time": shaped["stops"][0]["arrive"],
        "start": {"kind": "station", **tour_service.station_brief(start)},
        "tours": [shaped],
        "excluded": [],
        "notes": [],
        "warnings": warnings,
    }


def route_json(row: BikeRoute, stations: dict[int, str] | None = None) -> dict[str, Any]:
    """A saved route as the API answers it (its plan included)."""
    return {
        "slug": row.slug,
        "kind": row.kind,
        "name": row.name,
        "description": row.description or {},
        "photos": list(row.photos or []),
        "profile": row.profile,
        "speed_kmh": row.speed_kmh,
        "distance_m": round(row.distance_m, 1),
        "duration_s": round(row.duration_s, 1),
        "climb_m": round(row.climb_m, 1),
        "is_published": row.is_published,
        "is_demo": row.is_demo,
        "plan": row.plan,
    }


def _link_stations(session: Session, row: BikeRoute, system: BikeSystem, tour: dict[str, Any]) -> None:
    for link in session.scalars(select(BikeRouteStation).where(BikeRouteStation.route_pk == row.id)):
        session.delete(link)
    session.flush()
    ids = {s.station_id: s.id for s in session.scalars(select(BikeStation).where(BikeStation.system_pk == system.id))}
    wanted = [("start", tour["stops"][0].get("station_id")), ("end", tour["return_station"]["station_id"])]
    wanted += [("on_way", s["station_id"]) for s in tour["stations_on_way"]]
    seen = set()
    for role, sid in wanted:
        if sid in ids and (role, sid) not in seen:
            seen.add((role, sid))
            session.add(BikeRouteStation(route_pk=row.id, station_pk=ids[sid], role=role))


def store_route(session: Session, system: BikeSystem, data: dict[str, Any], *, user_id: int | None = None) -> BikeRoute:
    """Compose and store (create or replace) the curated route ``data["slug"]``."""
    slug = str(data.get("slug") or "")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", slug):
        raise BikesError(
            N_("a route slug is 1-80 lower-case letters, digits or '-': {value}"), field="slug", value=slug[:90]
        )
    name = _local(data.get("name"), "name")
    if not name:
        raise BikesError(N_("a route needs a name"), field="name")
    plan = compose(session, system, data)
    tour = plan["tours"][0]
    row = session.scalar(select(BikeRoute).where(BikeRoute.system_pk == system.id, BikeRoute.slug == slug))
    if row is None:
        row = BikeRoute(city_id=system.city_id, system_pk=system.id, slug=slug, kind="curated", created_by=user_id)
        session.add(row)
    row.name = name
    row.description = _local(data.get("description"), "description")
    row.photos = [str(p) for p in data.get("photos") or [] if str(p).startswith(("http://", "https://", "/"))]
    row.profile = plan["profile"]
    row.speed_kmh = plan["speed_kmh"]
    row.distance_m = tour["distance_m"]
    row.duration_s = tour["riding_minutes"] * 60.0
    row.climb_m = tour["climb_m"]
    row.plan = {
        **plan,
        "request": {
            k: data.get(k)
            for k in ("stops", "start_station_id", "end_station_id", "start_time", "profile", "speed_kmh")
        },
    }
    row.is_published = bool(data.get("publish", row.is_published or False))
    row.is_demo = bool(data.get("is_demo", False))
    row.geom = LineString(tour["geometry"]["coordinates"])
    session.flush()
    _link_stations(session, row, system, tour)
    return row


def save(engine: Engine, system_id: str, data: dict[str, Any], *, user_id: int | None) -> dict[str, Any]:
    """Create or replace a curated route (``bikes.manage``; audited)."""
    return audited(
        engine,
        system_id,
        user_id,
        "bikes.route.save",
        str(data.get("slug")),
        lambda s, system: route_json(store_route(s, system, data, user_id=user_id)),
    )


def delete(engine: Engine, system_id: str, slug: str, *, user_id: int | None) -> None:
    """Remove a saved route (audited)."""

    def fn(s: Session, system: BikeSystem) -> None:
        s.delete(get_row(s, system, slug))

    audited(engine, system_id, user_id, "bikes.route.delete", slug, fn)


def get_row(session: Session, system: BikeSystem, slug: str) -> BikeRoute:
    row = session.scalar(select(BikeRoute).where(BikeRoute.system_pk == system.id, BikeRoute.slug == slug))
    if row is None:
        raise BikesError(N_("unknown route {route}"), field="slug", status=404, route=slug)
    return row


def public_route(session: Session, system: BikeSystem, slug: str, *, private: bool = False) -> dict[str, Any]:
    """A route as the public sees it: published routes only, unless ``private`` (the operator)."""
    row = get_row(session, system, slug)
    if not row.is_published and not private:
        raise BikesError(N_("unknown route {route}"), field="slug", status=404, route=slug)
    return route_json(row)


def catalogue(session: Session, system: BikeSystem, *, include_drafts: bool = False) -> list[dict[str, Any]]:
    """The system's curated routes (published only, unless ``include_drafts``), by name, without their plans."""
    stmt = select(BikeRoute).where(BikeRoute.system_pk == system.id, BikeRoute.kind == "curated")
    if not include_drafts:
        stmt = stmt.where(BikeRoute.is_published.is_(True))
    rows = list(session.scalars(stmt.order_by(BikeRoute.slug)))
    out = []
    for row in rows:
        item = route_json(row)
        plan = item.pop("plan")
        tour = plan["tours"][0]
        item["stops"] = [s.get("name") for s in tour["stops"] if s["kind"] == "destination"]
        item["start_station"] = tour["stops"][0].get("name")
        item["return_station"] = tour["return_station"]
        item["geometry"] = tour["geometry"]
        out.append(item)
    return out


def routes_at_station(session: Session, system: BikeSystem, station_id: str) -> list[dict[str, Any]]:
    """Published routes linked to a station (start, end or on the way)."""
    row = st.get_station(session, system, station_id)
    links = session.execute(
        select(BikeRoute, BikeRouteStation.role)
        .join(BikeRouteStation, BikeRouteStation.route_pk == BikeRoute.id)
        .where(BikeRouteStation.station_pk == row.id, BikeRoute.is_published.is_(True))
        .order_by(BikeRoute.slug)
    ).all()
    return [{"slug": r.slug, "name": r.name, "role": role, "distance_m": round(r.distance_m, 1)} for r, role in links]


DEMO_ROUTES = [
    {
        "slug": "banyuwangi-city-tour",
        "name": {"id": "Tur Kota Banyuwangi", "en": "Banyuwangi city tour"},
        "description": {
            "id": "Taman kota, museum, kampung batik, pasar dan pantai: setengah hari keliling kota (data demo).",
            "en": "Parks, the museum, the batik village, the market and the beach: half a day in town (demo data).",
        },
        "start_station_id": "sritanjung",
        "end_station_id": "pantai-boom",
        "stops": [
            "taman-blambangan",
            "museum-blambangan",
            "kampung-batik-temenggungan",
            "klenteng-hoo-tong-bio",
            "pantai-boom",
        ],
        "start_time": "08:00",
    },
    {
        "slug": "sukojati-kabat-blimbingsari",
        "name": {"id": "Jalur Desa Sukojati–Kabat–Blimbingsari", "en": "Sukojati–Kabat–Blimbingsari village route"},
        "description": {
            "id": "Jalan desa yang tenang melewati sawah dan perajin bambu (data demo).",
            "en": "Quiet village roads past rice fields and bamboo weavers (demo data).",
        },
        "start_station_id": "stasiun-kota",
        "end_station_id": "sritanjung",
        "stops": ["kabat-desa", "blimbingsari-desa", "sukojati-desa"],
        "start_time": "07:00",
    },
    {
        "slug": "osing-villages",
        "name": {"id": "Desa-desa Osing", "en": "The Osing villages"},
        "description": {
            "id": "Kemiren dan Olehsari: rumah adat, kopi dan tari Gandrung (data demo).",
            "en": "Kemiren and Olehsari: customary houses, coffee and Gandrung dance (demo data).",
        },
        "start_station_id": "kemiren",
        "end_station_id": "sritanjung",
        "stops": ["desa-adat-kemiren", "sanggar-genjah-arum", "desa-wisata-olehsari"],
        "start_time": "09:00",
    },
]


def load_demo(session: Session, system: BikeSystem) -> dict[str, Any]:
    """The demo's destinations and curated routes (published, labelled demo); skipped without a network."""
    count = dest.load_demo(session, system.city_id)
    stored = []
    for spec in DEMO_ROUTES:
        try:
            store_route(session, system, {**spec, "publish": True, "is_demo": True})
            stored.append(spec["slug"])
        except BikesError:
            continue  # a station missing from the demo: leave that route out
    return {"destinations": count, "routes": stored}
