"""Cycling routes: bicycle routing, destinations, the tour planner and the route catalogue (``/api/v1/bikes``).

Public: a route between two points (JSON, or a GPX/GeoJSON/KML file), the destinations, a planned
tour (JSON, or one of its tours as a GPX/GeoJSON/KML file; a computation, nothing stored; heavy ones
run as a background job for a signed-in user), the published routes and the routes linked to a station.
Operators (``bikes.manage`` in the system's city): destinations (create, change, retire, import from
OSM) and curated routes (save, publish, remove).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kotacerdas.bikes.api import route_schemas as rs
from kotacerdas.bikes.api import schemas as sc
from kotacerdas.bikes.api.deps import PRIVATE, engine, manager, system_for
from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.formats.route_files import FORMATS, write_route
from kotacerdas.bikes.services import destinations, routes, tours
from kotacerdas.core.auth import Principal
from kotacerdas.core.i18n import N_
from kotacerdas.http.deps import READ_SESSION, language, optional_principal
from kotacerdas.http.jobs import JobOut, start_job
from kotacerdas.http.schemas import FeatureCollection, GeoJSONResponse, problems
from kotacerdas.http.uploads import received

router = APIRouter()
#: More candidate destinations than this and a tour is planned as a background job.
HEAVY_CANDIDATES = 150
#: The GeoJSON file's outline (the line and one Point per stop); GPX and KML are XML files.
_GEOJSON_FILE = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array", "items": {"type": "object"}}},
}
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {m: ({"schema": _GEOJSON_FILE} if m.endswith("json") else {}) for m in FORMATS.values()},
        "description": "The route as JSON or as a file",
    },
}


def parse_point(text: str, field: str) -> tuple[float, float]:
    """``"lon,lat"`` as two floats (a 400 naming the field otherwise)."""
    try:
        lon, lat = (float(x) for x in text.split(","))
    except ValueError:
        raise BikesError(N_("{name} is written LON,LAT"), field=field, name=field) from None
    return lon, lat


@router.get(
    "/systems/{system_id}/route",
    response_model=rs.RouteOut,
    summary="A bicycle route between two points (public)",
    responses={**sc.PUBLIC, **problems(400, 422), **FILE_RESPONSES},
)
def get_route(
    system_id: str,
    request: Request,
    from_: str = Query(..., alias="from", description="LON,LAT"),
    to: str = Query(..., description="LON,LAT"),
    profile: rs.Profile = "quiet",
    speed_kmh: float = Query(15.0, ge=4, le=40),
    format: str = Query("json", pattern="^(json|gpx|geojson|kml)$"),
    session: Session = READ_SESSION,
) -> Any:
    """The route on the city's bicycle network: distance, time at the speed, climb, geometry, the share of each
    road class and surface, instructions in both languages, the stations on the way and the nearest station to
    the end. ``format=gpx|geojson|kml`` answers a file instead. A point far from the network, or two points no
    bicycle path joins, is a 400 or 422 naming why."""
    system = system_for(session, system_id)
    out = tours.route(
        session, system, parse_point(from_, "from"), parse_point(to, "to"), profile=profile, speed_kmh=speed_kmh
    )
    if format == "json":
        return out
    body = write_route(out, format, "kotacerdas route", language(request))
    return Response(
        body, media_type=FORMATS[format], headers={"Content-Disposition": f'attachment; filename="route.{format}"'}
    )


@router.get(
    "/systems/{system_id}/destinations",
    response_model=FeatureCollection[rs.DestinationProps],
    response_class=GeoJSONResponse,
    summary="Destinations of the system's city as GeoJSON (public)",
    responses=sc.PUBLIC,
)
def list_destinations(system_id: str, category: rs.Category | None = None, session: Session = READ_SESSION) -> dict:
    """Every active destination (Point features): category, opening hours (and the parsed week), visit time,
    entry fee in rupiah, description and photos in both languages."""
    return destinations.destination_features(session, system_for(session, system_id), category)


@router.post(
    "/systems/{system_id}/destinations",
    status_code=201,
    response_model=rs.DestinationProps,
    summary="Create or change a destination (operator)",
    responses=sc.OPERATOR_WRITE,
)
def post_destination(
    system_id: str,
    body: rs.DestinationBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """Create the destination ``destination_id`` in the system's city, or change the fields given of it
    (``bikes.manage``); bad opening hours or a fee that is not whole rupiah are a 400 naming the field; audited."""
    user = manager(session, system_id, principal)
    return destinations.save(engine(request), system_id, body.model_dump(exclude_unset=True), user_id=user.user_id)


@router.patch(
    "/systems/{system_id}/destinations/{destination_id}",
    response_model=rs.DestinationProps,
    summary="Change a destination (operator)",
    responses=sc.OPERATOR_WRITE,
)
def patch_destination(
    system_id: str,
    destination_id: str,
    body: rs.DestinationBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """Change the fields given of an existing destination (``bikes.manage``; 404 unknown); audited."""
    user = manager(session, system_id, principal)
    data = body.model_dump(exclude_unset=True)
    return destinations.change(engine(request), system_id, destination_id, data, user_id=user.user_id)


@router.delete(
    "/systems/{system_id}/destinations/{destination_id}",
    status_code=204,
    response_class=Response,
    summary="Retire a destination (operator)",
    responses=problems(401, 403, 404, 422),
)
def delete_destination(
    system_id: str,
    destination_id: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> Response:
    """Take a destination out of the planner and the public list (``bikes.manage``); audited. Answers 204."""
    user = manager(session, system_id, principal)
    destinations.retire(engine(request), system_id, destination_id, user_id=user.user_id)
    return Response(status_code=204)


@router.post(
    "/systems/{system_id}/destinations/import",
    response_model=rs.DestinationsImported,
    summary="Import destinations from an OpenStreetMap extract (operator)",
    responses=sc.OPERATOR_UPLOAD,
)
async def import_destinations(
    system_id: str,
    request: Request,
    file: UploadFile = File(..., description=".osm.pbf or .osm XML"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """Create or update the destinations of an extract (``tourism``, ``leisure``, ``historic``,
    ``natural=beach``, ``amenity`` ...), all or none (``bikes.manage``); the same file twice changes nothing."""
    user = await run_in_threadpool(manager, session, system_id, principal)
    async with received(file, request) as upload:
        return await run_in_threadpool(
            destinations.import_osm, engine(request), system_id, upload.path, upload.filename, user_id=user.user_id
        )


@router.post(
    "/systems/{system_id}/tours",
    response_model=rs.PlanOut,
    summary="Plan a bicycle tour through destinations (public)",
    responses={
        **sc.PUBLIC,
        **problems(400, 401, 422),
        **FILE_RESPONSES,
        202: {"model": JobOut[rs.PlanOut], "description": "Queued"},
    },
)
def plan_tour(
    system_id: str,
    body: rs.TourBody,
    request: Request,
    format: str = Query("json", pattern="^(json|gpx|geojson|kml)$"),
    alt: int = Query(0, ge=0, le=2, description="With a file format: 0 the best tour, 1 or 2 an alternative"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> Any:
    """The tour that collects the most value within the time budget, respecting opening hours and visit times,
    ending at a station expected to have a free dock; plus up to two clearly different alternatives. Places that
    cannot be visited are listed with the reason and the nearest reachable place. Nothing is stored. With
    ``background`` or more than 150 candidates it runs as a job (202; signed-in users).
    ``format=gpx|geojson|kml`` answers the tour ``alt`` as a file instead (a tour planned at once only)."""
    system = system_for(session, system_id)
    data = body.model_dump()
    heavy = body.background or len(body.candidates or destinations.active(session, system.city_id)) > HEAVY_CANDIDATES
    if heavy:
        if format != "json":
            raise BikesError(
                N_("a tour planned in the background is answered as JSON only: ask for its file without background"),
                field="format",
            )
        if principal is None:
            raise BikesError(N_("sign in to plan a tour in the background"), status=401)
        return start_job(
            request,
            "bikes.tour_plan",
            {"system_id": system_id, "body": data},
            principal=principal,
            city_id=system.city_id,
        )
    out = tours.plan(session, system, data)
    if format == "json":
        return out
    body_file = tours.tour_file(out, format, language(request), alt)
    return Response(
        body_file, media_type=FORMATS[format], headers={"Content-Disposition": f'attachment; filename="tour.{format}"'}
    )


@router.get(
    "/systems/{system_id}/routes",
    response_model=list[rs.CatalogueItem],
    summary="The route catalogue: published curated routes (public)",
    responses=sc.PUBLIC,
)
def catalogue(
    system_id: str,
    drafts: bool = False,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> list[dict]:
    """Every published route of the system with its stops, start and return stations and line; ``drafts=true``
    adds unpublished ones for the system's operators."""
    system = system_for(session, system_id)
    private = drafts and principal is not None and principal.can(PRIVATE, system.city_id)
    return routes.catalogue(session, system, include_drafts=private)


@router.get(
    "/systems/{system_id}/routes/{slug}",
    response_model=rs.SavedRoute,
    summary="One published route with its plan (public)",
    responses={**sc.PUBLIC, **FILE_RESPONSES},
)
def get_saved_route(
    system_id: str,
    slug: str,
    request: Request,
    format: str = Query("json", pattern="^(json|gpx|geojson|kml)$"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> Any:
    """A curated route (its stops, schedule, legs, elevation, stations); ``format=gpx|geojson|kml`` a file.
    Unpublished routes are visible to the system's operators only."""
    system = system_for(session, system_id)
    private = principal is not None and principal.can(PRIVATE, system.city_id)
    out = routes.public_route(session, system, slug, private=private)
    if format == "json":
        return out
    lang = language(request)
    name = out["name"].get(lang) or slug
    body = write_route(out["plan"]["tours"][0], format, name, lang)
    return Response(
        body, media_type=FORMATS[format], headers={"Content-Disposition": f'attachment; filename="{slug}.{format}"'}
    )


@router.post(
    "/systems/{system_id}/routes",
    status_code=201,
    response_model=rs.SavedRoute,
    summary="Save a curated route (operator)",
    responses=sc.OPERATOR_WRITE,
)
def post_route(
    system_id: str,
    body: rs.RouteBody,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> dict:
    """Create or replace the route ``slug`` through its stops in order (``bikes.manage``): it is ridden on the
    network, scheduled, linked to its start, end and on-the-way stations and, with ``publish``, listed; audited."""
    user = manager(session, system_id, principal)
    return routes.save(engine(request), system_id, body.model_dump(), user_id=user.user_id)


@router.delete(
    "/systems/{system_id}/routes/{slug}",
    status_code=204,
    response_class=Response,
    summary="Remove a saved route (operator)",
    responses=problems(401, 403, 404, 422),
)
def delete_route(
    system_id: str,
    slug: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
) -> Response:
    """Remove a route and its station links (``bikes.manage``); audited. Answers 204."""
    user = manager(session, system_id, principal)
    routes.delete(engine(request), system_id, slug, user_id=user.user_id)
    return Response(status_code=204)


@router.get(
    "/systems/{system_id}/stations/{station_id}/routes",
    response_model=list[rs.StationRoute],
    summary="Published routes linked to a station (public)",
    responses=sc.PUBLIC,
)
def station_routes(system_id: str, station_id: str, session: Session = READ_SESSION) -> list[dict]:
    """The published routes that start, end or pass within 300 m of the station."""
    return routes.routes_at_station(session, system_for(session, system_id), station_id)
