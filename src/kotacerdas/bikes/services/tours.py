"""Bicycle routes and tours of a system: point-to-point routes and the tour planner on the city's bicycle network.

:func:`route` answers a route between two points (:class:`kotacerdas.network.routing.BikeRoute`)
with the stations near it. :func:`plan` plans a tour (:func:`kotacerdas.bikes.tours.plan_tour`):
it reads the city's destinations and the system's stations, snaps them to the network (a place
farther than the network's snapping distance is left out, with the nearest reachable place named),
asks the router for one many-to-many table of riding times, chooses the end station among those
expected to have a free dock when the tour ends (the demand forecast, see :func:`expected_free_docks`),
and shapes every tour with its legs' geometry, elevation, instructions, schedule and the stations
passed on the way. A stop off the network is reached from its junction (``network_point``) over
``off_network_m`` metres, ridden at the rider's speed: the table, each leg and the tour's totals
include those stretches (:func:`kotacerdas.network.routing.off_network_s`), and the maps draw them
dashed. The answer is the same for the API, the pages and the command line;
:func:`tour_file` writes one tour of it as a GPX, GeoJSON or KML file for all three.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shapely.geometry import LineString, Point
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.bikes import operations
from kotacerdas.bikes.destinations import CATEGORY_NAMES, Destination
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.formats.route_files import write_route
from kotacerdas.bikes.model import LocalName
from kotacerdas.bikes.opening_hours import DAYTIME
from kotacerdas.bikes.services import destinations as dest
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeStation, BikeSystem
from kotacerdas.bikes.tours import TourPlan, TourRequest, hhmm, plan_tour
from kotacerdas.core.db import utcnow
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.formats import Quantity
from kotacerdas.core.geometry import distance_m
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.network.errors import NetworkError
from kotacerdas.network.graphs import city_router
from kotacerdas.network.routing import MAX_SNAP_M, BikeRouter, off_network_s

#: A station this close to a route is "on the way" (metres).
ON_WAY_M = 300.0
#: Reasons a destination is left out, as riders read them.
REASONS = {
    "far": N_("no road a bicycle may use within {km} km"),
    "unreachable": N_("no bicycle path reaches it"),
    "closed": N_("closed on that day, or open too briefly for a visit"),
    "hours_unknown": N_("its opening hours are not known, so it is visited only between {open} and {close}"),
}


def system_stations(session: Session, system: BikeSystem) -> list[BikeStation]:
    return list(
        session.scalars(
            select(BikeStation)
            .where(BikeStation.system_pk == system.id, BikeStation.is_installed.is_(True))
            .order_by(BikeStation.station_id)
        )
    )


def station_brief(row: BikeStation, free: int | None = None) -> dict[str, Any]:
    out = {
        "station_id": row.station_id,
        "name": row.name,
        "lon": float(row.geom.x),
        "lat": float(row.geom.y),
        "docks_available": operations.free_docks(st.station_model(row), row.docked),
    }
    if free is not None:
        out["docks_expected"] = free
    return out


def stations_near(router: BikeRouter, coords: list[tuple[float, float]], stations: list[BikeStation]) -> list[dict]:
    """The stations within :data:`ON_WAY_M` of a line, in the order the line passes them."""
    if len(coords) < 2 or not stations:
        return []
    tf = router.graph.transformer
    xs, ys = tf.transform([c[0] for c in coords], [c[1] for c in coords])
    line = LineString(list(zip(xs, ys, strict=True)))
    found = []
    for row in stations:
        px, py = tf.transform(float(row.geom.x), float(row.geom.y))
        p = Point(px, py)
        d = line.distance(p)
        if d <= ON_WAY_M:
            found.append((line.project(p), row, d))
    found.sort(key=lambda t: t[0])
    return [{**station_brief(row), "distance_m": round(d, 1), "at_m": round(at, 1)} for at, row, d in found]


def route(
    session: Session,
    system: BikeSystem,
    origin: tuple[float, float],
    destination: tuple[float, float],
    *,
    profile: str = "quiet",
    speed_kmh: float = 15.0,
) -> dict[str, Any]:
    """A route between two points, with the stations on the way and the nearest one to the end."""
    router = city_router(session, system.city_id, profile)
    found = router.route(origin, destination, speed_kmh)
    stations = system_stations(session, system)
    out = found.as_dict()
    out["stations_on_way"] = stations_near(router, found.coordinates, stations)
    if stations:
        end = min(stations, key=lambda r: distance_m(destination[0], destination[1], r.geom.x, r.geom.y))
        out["return_station"] = {
            **station_brief(end),
            "distance_m": round(distance_m(destination[0], destination[1], end.geom.x, end.geom.y), 1),
        }
    return out


def expected_free_docks(
    session: Session, system: BikeSystem, stations: list[BikeStation], at: datetime, now: datetime | None = None
) -> dict[str, int]:
    """Free docks each station is expected to have at ``at``: today's docks plus the forecast net returns of the
    hours in between (:func:`kotacerdas.bikes.services.insights.forecast_window`); beyond 24 hours, today's docks."""
    from kotacerdas.bikes.services.insights import forecast_window

    now = now or utcnow()
    free = {r.station_id: operations.free_docks(st.station_model(r), r.docked) for r in stations}
    hours = math.ceil((at - now).total_seconds() / 3600.0)
    if hours <= 0 or hours > 24:
        return free
    ids, _, pickups, returns, used = forecast_window(session, system, hours=hours, now=now)
    if not used:
        return free
    net = (returns - pickups).sum(axis=0)
    for k, sid in enumerate(ids):
        if sid in free:
            free[sid] = int(max(0, math.floor(free[sid] - max(0.0, float(net[k])))))
    return free


def _start_point(session: Session, system: BikeSystem, start: dict[str, Any]) -> tuple[tuple[float, float], dict]:
    if start.get("station_id"):
        row = st.get_station(session, system, str(start["station_id"]))
        return (float(row.geom.x), float(row.geom.y)), {"kind": "station", **station_brief(row)}
    if start.get("lon") is None or start.get("lat") is None:
        raise BikesError(N_("a start needs a station or a point (lon, lat)"), field="start")
    lon, lat = float(start["lon"]), float(start["lat"])
    name = start.get("name") or {"id": "Titik awal", "en": "Start point"}
    if isinstance(name, str):
        name = {"id": name, "en": name}
    return (lon, lat), {"kind": "point", "lon": lon, "lat": lat, "name": name}


def _snap_destinations(router: BikeRouter, items: list[Destination]) -> tuple[list[Destination], dict[str, str], dict]:
    ok, far, distances = [], {}, {}
    for d in items:
        try:
            router.snap(d.lon, d.lat)
            ok.append(d)
        except NetworkError as exc:
            far[d.destination_id] = "far"
            distances[d.destination_id] = float(exc.params.get("distance_m", 0.0))
    return ok, far, distances


def _on_network(router: BikeRouter, row: BikeStation) -> bool:
    try:
        router.snap(float(row.geom.x), float(row.geom.y))
    except NetworkError:
        return False
    return True


def _station_off_network(router: BikeRouter, row: BikeStation, stations: list[BikeStation], field: str) -> BikesError:
    """The error for a station the network does not reach, naming the nearest station it does reach."""
    x, y = float(row.geom.x), float(row.geom.y)
    others = sorted(
        (r for r in stations if r.station_id != row.station_id), key=lambda r: distance_m(x, y, r.geom.x, r.geom.y)
    )
    near = next((r for r in others if _on_network(router, r)), None)
    km = round(MAX_SNAP_M / 1000.0, 1)
    if near is None:
        return BikesError(
            N_("the station {station} is not on the bicycle network: no road a bicycle may use within {km} km"),
            field=field,
            status=422,
            station=row.station_id,
            km=km,
        )
    return BikesError(
        N_(
            "the station {station} is not on the bicycle network: no road a bicycle may use within {km} km; "
            "the nearest station on it is {nearest_station} ({metres} m away)"
        ),
        field=field,
        status=422,
        station=row.station_id,
        km=km,
        nearest_station=near.station_id,
        metres=round(distance_m(x, y, near.geom.x, near.geom.y)),
        extra={"nearest": {"station_id": near.station_id, "name": near.name}},
    )


def _end_candidates(
    session: Session,
    system: BikeSystem,
    router: BikeRouter,
    stations: list[BikeStation],
    origin,
    end_id: str | None,
    at: datetime,
) -> tuple[list[BikeStation], dict[str, int], list[str]]:
    free = expected_free_docks(session, system, stations, at)
    notes: list[str] = []
    if end_id:
        chosen = [r for r in stations if r.station_id == end_id]
        if not chosen:
            raise BikesError(N_("unknown station {station}"), field="end_station_id", status=404, station=end_id)
        if not _on_network(router, chosen[0]):
            raise _station_off_network(router, chosen[0], stations, "end_station_id")
        if free.get(end_id, 0) <= 0:
            notes.append("end_station_may_be_full")
        return chosen, free, notes
    returning = [r for r in stations if r.is_returning and free.get(r.station_id, 0) > 0 and _on_network(router, r)]
    if not returning:
        raise BikesError(
            N_("no station is expected to have a free dock when the tour ends"), field="end_station_id", status=422
        )
    returning.sort(key=lambda r: distance_m(origin[0], origin[1], r.geom.x, r.geom.y))
    return returning[:3], free, notes


def parse_request(system: BikeSystem, body: dict[str, Any], now: datetime | None = None) -> TourRequest:
    """The :class:`TourRequest` of an API body (date and time in the system's time zone)."""
    tz = ZoneInfo(system.timezone)
    local = (now or utcnow()).astimezone(tz)
    day = body.get("date") or local.date()
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            raise BikesError(N_("a date is written YYYY-MM-DD"), field="date") from None
    time_text = body.get("start_time") or "08:00"
    try:
        hh, mm = (int(x) for x in str(time_text).split(":"))
    except ValueError:
        raise BikesError(N_("a start time is written HH:MM"), field="start_time") from None
    return TourRequest(
        day=day,
        start_minute=hh * 60 + mm,
        budget_minutes=int(body.get("budget_minutes") or 240),
        speed_kmh=float(body.get("speed_kmh") or 15.0),
        interests={k: float(v) for k, v in (body.get("interests") or {}).items()},
        must_visit=tuple(body.get("must_visit") or ()),
        alternatives=int(body.get("alternatives", 2)),
    )


def plan(session: Session, system: BikeSystem, body: dict[str, Any], *, now: datetime | None = None) -> dict[str, Any]:
    """Plan a tour for an API body (see ``docs/bikes-routes.md``)."""
    request = parse_request(system, body, now)
    profile = str(body.get("profile") or "quiet")
    router = city_router(session, system.city_id, profile)
    stations = system_stations(session, system)
    origin, start_info = _start_point(session, system, body.get("start") or {})
    if start_info["kind"] == "station":
        row = next((r for r in stations if r.station_id == start_info["station_id"]), None)
        if row is not None and not _on_network(router, row):
            raise _station_off_network(router, row, stations, "start")
    router.snap(*origin)
    all_destinations = dest.active(session, system.city_id)
    wanted = body.get("candidates")
    if wanted:
        pool = set(wanted) | set(request.must_visit)
        all_destinations = [d for d in all_destinations if d.destination_id in pool]
    reachable, far, far_m = _snap_destinations(router, all_destinations)
    for m in request.must_visit:
        if m in far:
            raise _far_must_visit(next(d for d in all_destinations if d.destination_id == m), far_m[m], reachable)
    tz = ZoneInfo(system.timezone)
    end_at = datetime.combine(request.day, datetime.min.time(), tz) + timedelta(
        minutes=request.start_minute + request.budget_minutes
    )
    ends, free, notes = _end_candidates(session, system, router, stations, origin, body.get("end_station_id"), end_at)
    points = [origin] + [(d.lon, d.lat) for d in reachable] + [(float(r.geom.x), float(r.geom.y)) for r in ends]
    table = router.table(points, request.speed_kmh)
    tour_plan = plan_tour(
        request,
        reachable,
        [r.station_id for r in ends],
        table.duration_s / 60.0,
        table.distance_m,
        unreachable=None,
    )
    for k, v in far.items():
        tour_plan.excluded.append({"destination_id": k, "reason": v})
    return _shape(
        session,
        system,
        router,
        request,
        profile,
        start_info,
        table,
        reachable,
        all_destinations,
        ends,
        free,
        stations,
        tour_plan,
        notes,
        far_m,
    )


def tour_file(plan_out: dict[str, Any], fmt: str, lang: str, alt: int = 0) -> bytes:
    """One tour of a planned answer (``alt``: 0 the best, 1 or 2 an alternative, held to those planned) as a
    ``gpx``, ``geojson`` or ``kml`` file (:func:`kotacerdas.bikes.formats.route_files.write_route`), named in
    ``lang``."""
    tours = plan_out["tours"]
    tour = tours[max(0, min(int(alt), len(tours) - 1))]
    return write_route(tour, fmt, gettext("Your bicycle tour", lang), lang)


def _far_must_visit(place: Destination, far_m: float, reachable: list[Destination]) -> BikesError:
    """A must-visit place off the bicycle network: why, in the reader's language, and the nearest place on it
    (``extra``: ``destination_id`` and ``nearest``)."""
    near = _nearest_reachable(place, reachable)
    name, km = LocalName(place.name), Quantity(far_m / 1000.0, "km")
    extra = {"destination_id": place.destination_id, "nearest": near}
    if near is None:
        return BikesError(
            N_("the must-visit place {name} cannot be visited: no road a bicycle may use within {km}"),
            field="must_visit",
            status=422,
            destination=place.destination_id,
            name=name,
            km=km,
            extra=extra,
        )
    return BikesError(
        N_(
            "the must-visit place {name} cannot be visited: no road a bicycle may use within {km}; "
            "the nearest place on the network is {nearest} ({distance} away)"
        ),
        field="must_visit",
        status=422,
        destination=place.destination_id,
        name=name,
        km=km,
        nearest=LocalName(near["name"]),
        distance=Quantity(near["distance_m"] / 1000.0, "km"),
        extra=extra,
    )


def _nearest_reachable(d: Destination, reachable: list[Destination]) -> dict | None:
    if not reachable:
        return None
    near = min(reachable, key=lambda r: distance_m(d.lon, d.lat, r.lon, r.lat))
    return {
        "destination_id": near.destination_id,
        "name": near.name,
        "distance_m": round(distance_m(d.lon, d.lat, near.lon, near.lat), 1),
    }


def _shape(
    session,
    system,
    router,
    request,
    profile,
    start_info,
    table,
    reachable,
    all_destinations,
    ends,
    free,
    stations,
    tour_plan: TourPlan,
    notes,
    far_m,
) -> dict[str, Any]:
    by_id = {d.destination_id: d for d in all_destinations}
    index = {d.destination_id: 1 + k for k, d in enumerate(reachable)}
    end_index = {r.station_id: 1 + len(reachable) + k for k, r in enumerate(ends)}
    end_rows = {r.station_id: r for r in ends}
    tours = [
        tour_json(router, request, t, table, index, end_index, by_id, end_rows, free, stations) for t in tour_plan.tours
    ]
    for t in tours:  # the start: a station or the rider's point
        t["stops"][0].update({k: v for k, v in start_info.items() if k in ("name", "lon", "lat", "station_id")})
    excluded = []
    for e in tour_plan.excluded:
        d = by_id.get(e["destination_id"])
        if d is None:
            continue
        km = round(far_m.get(d.destination_id, 0.0) / 1000.0, 1)
        excluded.append(
            {
                "destination_id": d.destination_id,
                "name": d.name,
                "reason": e["reason"],
                "message": {lang: _reason(e["reason"], lang, km) for lang in ("id", "en")},
                "nearest": _nearest_reachable(d, reachable),
            }
        )
    return {
        "system_id": system.system_id,
        "profile": profile,
        "speed_kmh": request.speed_kmh,
        "date": request.day.isoformat(),
        "start_time": hhmm(request.start_minute),
        "budget_minutes": request.budget_minutes,
        "start": start_info,
        "tours": tours,
        "excluded": excluded,
        "notes": notes + tour_plan.notes,
        "next_start": None
        if tour_plan.next_start is None
        else {"date": tour_plan.next_start[0].isoformat(), "start_time": hhmm(tour_plan.next_start[1])},
    }


def _reason(reason: str, lang: str, km: float) -> str:
    return gettext(REASONS.get(reason, reason), lang).format(km=km, open=hhmm(DAYTIME[0]), close=hhmm(DAYTIME[1]))


def tour_json(router, request, tour, table, index, end_index, by_id, end_rows, free, stations) -> dict[str, Any]:
    snaps = table.snaps
    coords: list[tuple[float, float]] = []
    elevation: list[list[float]] = []
    legs = []
    climb = descent = 0.0
    offset = 0.0
    stops = []
    prev_point = 0
    for number, v in enumerate(tour.visits):
        point = 0 if v.kind == "start" else index.get(v.key) if v.kind == "destination" else end_index[v.key]
        if v.kind != "start":
            leg = router.route_nodes(snaps[prev_point].node, snaps[point].node, request.speed_kmh)
            if leg is None:  # cannot happen: the table said it is reachable
                raise KotacerdasError(N_("no bicycle path joins these two points"))
            coords.extend(leg.coordinates if not coords else leg.coordinates[1:])
            if leg.elevation:
                elevation.extend([[round(offset + d, 1), round(z, 1)] for d, z in leg.elevation])
            offset += leg.distance_m
            climb += leg.climb_m
            descent += leg.descent_m
            off = snaps[prev_point].distance_m + snaps[point].distance_m  # to and from the junctions, as the table
            legs.append(
                {
                    "distance_m": round(leg.distance_m + off, 1),
                    "duration_s": round(leg.duration_s + float(off_network_s(off, request.speed_kmh)), 1),
                    "off_network_m": round(off, 1),
                    "climb_m": round(leg.climb_m, 1),
                    "instructions": [i.as_dict() for i in leg.instructions],
                }
            )
        junction = snaps[point].node
        stop = {
            "number": number,
            "kind": v.kind,
            "key": v.key,
            "arrive": hhmm(v.arrive),
            "leave": hhmm(v.leave),
            "network_point": [round(float(router.graph.lon[junction]), 7), round(float(router.graph.lat[junction]), 7)],
            "off_network_m": round(snaps[point].distance_m, 1),
        }
        if v.kind == "destination":
            d = by_id[v.key]
            stop.update(
                start=hhmm(v.start),
                wait_minutes=round(v.start - v.arrive, 1),
                visit_minutes=d.visit_minutes,
                name=d.name,
                category=d.category,
                category_name=CATEGORY_NAMES[d.category],
                fee=d.fee,
                lon=d.lon,
                lat=d.lat,
                opening_hours=d.opening_hours,
                hours_known=d.hours_known,
                description=d.description,
                photos=list(d.photos),
            )
        elif v.kind == "end":
            row = end_rows[v.key]
            stop.update(station_brief(row, free.get(v.key)))
        stops.append(stop)
        prev_point = point
    fees = sum(s.get("fee") or 0 for s in stops)
    end_row = end_rows[tour.end_key]
    return {
        "stops": stops,
        "legs": legs,
        "geometry": {"type": "LineString", "coordinates": [[round(x, 7), round(y, 7)] for x, y in coords]},
        "distance_m": round(tour.distance_m, 1),
        "riding_minutes": round(tour.riding_min, 1),
        "total_minutes": round(tour.finish - request.start_minute, 1),
        "finish": hhmm(tour.finish),
        "climb_m": round(climb, 1),
        "descent_m": round(descent, 1),
        "value": tour.value,
        "fees": fees,
        "elevation": elevation or None,
        "destinations": tour.destinations,
        "return_station": station_brief(end_row, free.get(tour.end_key)),
        "stations_on_way": [s for s in stations_near(router, coords, stations) if s["station_id"] != tour.end_key],
    }
