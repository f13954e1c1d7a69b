"""The cycling route screens: the route catalogue with the tour planner, a route page, and its PNG and PDF.

``/bikes/{system_id}/routes``
    The published curated routes (cards: stops, distance, time, start and return stations) and the
    tour planner's form (start station, date and time, budget, speed, interests, must-visit places).
``/bikes/{system_id}/routes/{slug}``
    A curated route: the map with the line and numbered stops (``static/js/bikes-route.js`` on
    Leaflet; the overlays draw even without tiles), the elevation profile (``core.charts``), the
    time plan (arrive, visit, leave), the stations on the way and the return station, downloads
    (GPX, GeoJSON, KML, PDF, PNG) and its link to share.
``/bikes/{system_id}/tour?start=...&time=...&budget=...``
    A planned tour on the same page; the link holds the request, so it can be shared (the plan
    is computed again, deterministically, when it is opened). ``alt=1|2`` shows an alternative.
``.../routes/{slug}.png|.pdf``, ``.../tour.png|.pdf?...``
    The printable map drawn from the stored network (:mod:`kotacerdas.bikes.route_maps`), no tiles.
``.../tour.gpx|.geojson|.kml?...``
    The planned tour shown (``alt`` included) as a file for a GPS or a map app
    (:func:`kotacerdas.bikes.services.tours.tour_file`; a curated route's files are the API's).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from kotacerdas.bikes.destinations import CATEGORIES, CATEGORY_NAMES
from kotacerdas.bikes.formats.route_files import FORMATS
from kotacerdas.bikes.model import text_in
from kotacerdas.bikes.opening_hours import DAYTIME, for_people
from kotacerdas.bikes.pages.access import PRIVATE, error_page, system_or_error
from kotacerdas.bikes.route_maps import bounds, draw_pdf, draw_png
from kotacerdas.bikes.services import destinations, routes, tours
from kotacerdas.bikes.store.tables import BikeSystem
from kotacerdas.bikes.tours import hhmm
from kotacerdas.core.auth import Principal
from kotacerdas.core.charts import Span, range_chart
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.pages import render
from kotacerdas.network.store import lines_in_bbox

router = APIRouter(include_in_schema=False)
#: The planned tour's files (``tour.gpx`` ...), written by the same writer as the API's.
TOUR_FILES = ("gpx", "geojson", "kml")
PLAN_KEYS = ("start", "end", "date", "time", "budget", "speed", "profile", "interests", "must", "alt")
#: Texts of the route page's script, translated in the page.
ROUTE_TEXTS = [N_("Link copied"), N_("Copy this link"), N_("Start"), N_("Return station"), N_("Station")]


def elevation_svg(profile: list[list[float]] | None, lang: str) -> str:
    """The elevation profile as an SVG chart (``core.charts.range_chart``); empty without one."""
    if not profile or len(profile) < 2:
        return ""
    step = max(1, len(profile) // 160)
    pts = profile[::step] + ([profile[-1]] if (len(profile) - 1) % step else [])
    spans = [
        Span(a[0] / 1000.0, b[0] / 1000.0, max(a[1], 0.0), "#e06e14", f"{a[0] / 1000:.1f} km: {a[1]:.0f} m")
        for a, b in zip(pts[:-1], pts[1:], strict=True)
        if b[0] > a[0]
    ]
    return range_chart(
        spans,
        title=gettext("Elevation profile", lang),
        x_title=gettext("Distance (km)", lang),
        y_title=gettext("Elevation (m)", lang),
        fmt_x=lambda v: f"{v:g}",
        css_class="elevation-chart",
        chart_id="elevation-chart",
        height=220,
    )


def plan_body(params: dict[str, str]) -> dict[str, Any]:
    """The planner's API body from a shared link's query (``interests=beach:3,culture:1``, ``must=a,b``)."""
    start = params.get("start") or ""
    begin: dict[str, Any]
    if "," in start:
        lon, lat = start.split(",", 1)
        begin = {"lon": float(lon), "lat": float(lat)}
    else:
        begin = {"station_id": start}
    interests = {}
    for part in (params.get("interests") or "").split(","):
        cat, _, weight = part.partition(":")
        if cat in CATEGORIES and weight:
            interests[cat] = float(weight)
    return {
        "start": begin,
        "end_station_id": params.get("end") or None,
        "date": params.get("date") or None,
        "start_time": params.get("time") or "08:00",
        "budget_minutes": int(params.get("budget") or 240),
        "speed_kmh": float(params.get("speed") or 15),
        "profile": params.get("profile") or "quiet",
        "interests": interests,
        "must_visit": [m for m in (params.get("must") or "").split(",") if m],
    }


def _planned(session: Session, system: BikeSystem, params: dict[str, str]) -> tuple[dict[str, Any], int]:
    plan = tours.plan(session, system, plan_body(params))
    alt = int(params.get("alt") or 0)
    return plan, max(0, min(alt, len(plan["tours"]) - 1))


def _context(
    request: Request,
    system: BikeSystem,
    plan: dict[str, Any],
    pick: int,
    title: dict | None,
    base: str,
    share: str,
    files: dict[str, str],
    saved: dict | None,
) -> dict[str, Any]:
    lang = language(request)
    tour = plan["tours"][pick]
    return {
        "system": system,
        "system_name": text_in(system.name, lang),
        "plan": plan,
        "tour": tour,
        "pick": pick,
        "title": text_in(title, lang) if title else gettext("Your bicycle tour", lang),
        "saved": saved,
        "elevation_svg": elevation_svg(tour.get("elevation"), lang),
        "share_url": share,
        "files": files,
        "base": base,
        "name_of": lambda v: text_in(v, lang) if isinstance(v, dict) else (v or ""),
        "hours_text": lambda v: for_people(v, lang),
        "texts": {m: gettext(m, lang) for m in ROUTE_TEXTS},
        "excluded": plan.get("excluded", []),
        "daytime": (hhmm(DAYTIME[0]), hhmm(DAYTIME[1])),
    }


@router.get("/bikes/{system_id}/routes", response_class=HTMLResponse)
def catalogue_page(
    system_id: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The route catalogue and the tour planner's form."""
    system = system_or_error(request, session, principal, system_id)
    if isinstance(system, Response):
        return system
    return _catalogue(request, session, system, principal)


def _catalogue(
    request: Request,
    session: Session,
    system: BikeSystem,
    principal: Principal | None,
    *,
    form: dict[str, str] | None = None,
    error: KotacerdasError | None = None,
) -> HTMLResponse:
    """The catalogue page; with ``error``, the planner's form keeps the rider's values and says what went wrong."""
    lang = language(request)
    stations = tours.system_stations(session, system)
    form = dict(form or {})
    weights = dict(part.split(":", 1) for part in (form.get("interests") or "").split(",") if ":" in part)
    return render(
        request,
        "bikes/routes.html",
        principal,
        status=error.status if error is not None else 200,
        system=system,
        system_name=text_in(system.name, lang),
        routes=routes.catalogue(session, system),
        stations=sorted(stations, key=lambda r: text_in(r.name, lang)),
        places=sorted(destinations.active(session, system.city_id), key=lambda d: text_in(d.name, lang)),
        categories=[(c, CATEGORY_NAMES[c], weights.get(c, "1")) for c in CATEGORIES],
        name_of=lambda v: text_in(v, lang) if isinstance(v, dict) else (v or ""),
        can_operate=principal is not None and principal.can(PRIVATE, system.city_id),
        form=form,
        error=error.render(lang) if error is not None else None,
    )


def _saved(session: Session, system: BikeSystem, principal: Principal | None, slug: str) -> dict[str, Any]:
    private = principal is not None and principal.can(PRIVATE, system.city_id)
    return routes.public_route(session, system, slug, private=private)


@router.get("/bikes/{system_id}/routes/{slug}", response_class=HTMLResponse)
def route_page(
    system_id: str,
    slug: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """A curated route's page (``slug.png`` and ``slug.pdf``: its printable map)."""
    system = system_or_error(request, session, principal, system_id)
    if isinstance(system, Response):
        return system
    for ext in ("png", "pdf"):
        if slug.endswith("." + ext):
            return _picture(request, session, system, principal, ext, slug=slug[: -len(ext) - 1])
    try:
        saved = _saved(session, system, principal, slug)
    except KotacerdasError as exc:
        return error_page(request, principal, exc)
    base = f"/bikes/{system_id}/routes/{slug}"
    api = f"/api/v1/bikes/systems/{system_id}/routes/{slug}"
    files = {f: f"{api}?format={f}" for f in ("gpx", "geojson", "kml")} | {"pdf": f"{base}.pdf", "png": f"{base}.png"}
    share = str(request.base_url).rstrip("/") + base
    ctx = _context(request, system, saved["plan"], 0, saved["name"], base, share, files, saved)
    return render(request, "bikes/route.html", principal, **ctx)


@router.get("/bikes/{system_id}/tour", response_class=HTMLResponse)
def tour_page(
    system_id: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """A planned tour (the query is the request: a link to share)."""
    system = system_or_error(request, session, principal, system_id)
    if isinstance(system, Response):
        return system
    params = {k: v for k, v in request.query_params.items() if k in PLAN_KEYS}
    try:
        plan, pick = _planned(session, system, params)
    except (KotacerdasError, ValueError) as exc:
        if not isinstance(exc, KotacerdasError):
            exc = KotacerdasError(N_("the tour's link is not complete"))
        if exc.status == 404:
            return error_page(request, principal, exc)
        return _catalogue(request, session, system, principal, form=params, error=exc)
    query = urlencode(params)
    base = f"/bikes/{system_id}/tour"
    files = {f: f"{base}.{f}?{query}" for f in (*TOUR_FILES, "pdf", "png")}
    share = str(request.base_url).rstrip("/") + f"{base}?{query}"
    ctx = _context(request, system, plan, pick, None, base, share, files, None)
    ctx["alternatives"] = [
        {"index": k, "url": f"{base}?{urlencode({**params, 'alt': str(k)})}", "tour": t}
        for k, t in enumerate(plan["tours"])
    ]
    later = plan.get("next_start")
    if later:
        ctx["next_url"] = f"{base}?{urlencode({**params, 'date': later['date'], 'time': later['start_time']})}"
    return render(request, "bikes/route.html", principal, **ctx)


@router.get("/bikes/{system_id}/tour.{ext}")
def tour_picture(
    system_id: str,
    ext: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The planned tour's printable map (``png`` or ``pdf``), or its file (``gpx``, ``geojson`` or ``kml``)."""
    system = system_or_error(request, session, principal, system_id)
    if isinstance(system, Response):
        return system
    if ext in TOUR_FILES:
        return _tour_file(request, session, system, principal, ext)
    return _picture(request, session, system, principal, ext)


def _tour_file(
    request: Request, session: Session, system: BikeSystem, principal: Principal | None, ext: str
) -> Response:
    """The tour the page shows (the link's request and ``alt``) as a GPX, GeoJSON or KML download."""
    params = {k: v for k, v in request.query_params.items() if k in PLAN_KEYS}
    try:
        plan, pick = _planned(session, system, params)
    except (KotacerdasError, ValueError) as exc:
        if not isinstance(exc, KotacerdasError):
            exc = KotacerdasError(N_("the tour's link is not complete"))
        return error_page(request, principal, exc)
    body = tours.tour_file(plan, ext, language(request), pick)
    return Response(
        body, media_type=FORMATS[ext], headers={"Content-Disposition": f'attachment; filename="tour.{ext}"'}
    )


def _picture(
    request: Request,
    session: Session,
    system: BikeSystem,
    principal: Principal | None,
    ext: str,
    slug: str | None = None,
) -> Response:
    if ext not in ("png", "pdf"):
        return Response(status_code=404)
    lang = language(request)
    try:
        if slug is not None:
            saved = _saved(session, system, principal, slug)
            tour, title = saved["plan"]["tours"][0], text_in(saved["name"], lang)
        else:
            params = {k: v for k, v in request.query_params.items() if k in PLAN_KEYS}
            plan, pick = _planned(session, system, params)
            tour, title = plan["tours"][pick], gettext("Your bicycle tour", lang)
    except (KotacerdasError, ValueError) as exc:
        if not isinstance(exc, KotacerdasError):
            exc = KotacerdasError(N_("the tour's link is not complete"))
        return error_page(request, principal, exc)
    if system.is_demo:
        title += " (" + ("data demo" if lang == "id" else "demo data") + ")"
    lines = lines_in_bbox(session, system.city_id, bounds(tour))
    stations = [*tour.get("stations_on_way", []), tour["return_station"]]
    if ext == "png":
        body, media = draw_png(tour, lines, title, lang, stations=stations), "image/png"
    else:
        body, media = draw_pdf(tour, lines, title, lang, stations=stations), "application/pdf"
    name = (slug or "tour") + "." + ext
    return Response(body, media_type=media, headers={"Content-Disposition": f'inline; filename="{name}"'})
