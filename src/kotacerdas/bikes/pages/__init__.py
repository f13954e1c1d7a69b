"""Bike Sharing web screens: the systems of a city, the rider's mobile page, the operator's screens.

``/bikes?city=35.10``
    The bike-share systems of a city, with links to their rider and operator pages.
``/bikes/{system_id}``
    The rider's mobile web app (public shell). Everything it shows comes from the API with
    ``fetch`` (``static/js/bikes-rider.js``): the station map (``/api/v1/bikes/systems/{id}/stations``),
    sign-up and sign-in by phone number, the wallet with a sandbox QRIS top-up, reserve, rent,
    return (a full station answers 409 naming the nearest station with a free dock), trips and
    broken-bike reports. The rider's bearer token lives in the tab's ``sessionStorage`` and goes
    in the ``Authorization`` header; those calls are sent without cookies, so a rider action can
    never ride on a web session (no CSRF surface).
``/bikes/{system_id}/operator``
    For ``bike_operator`` and ``city_admin`` of the system's city (``bikes.read_private``): the
    station map coloured by fill level, empty/full alerts, bikes needing attention, open tasks and
    reports, trips and revenue per day as server-rendered SVG charts, pricing plans, station
    management and the rebalancing plan (loaded from the API on demand). Anonymous visitors are
    sent to ``/login``; other users get a localised 403 page.

Operator writes are plain HTML forms posted to this router (``/bikes/{id}/operator/...``). Each
checks the CSRF token (the ``csrf`` form field must equal the ``kc_csrf`` cookie, as the core's
sign-in form does) and that any ``Origin`` header names this host, then calls the same route
function as the JSON API (role check, audit and transaction included) and redirects back.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.bikes import api
from kotacerdas.bikes.pages.charts import day_chart_svg
from kotacerdas.bikes.services import insights
from kotacerdas.bikes.services import stations as manage
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikePricingPlan, BikeReport, BikeRow, BikeStation, BikeSystem, BikeTask
from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.core.models import City
from kotacerdas.http.csrf import CSRF_COOKIE
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.pages import cities_and_current, render

router = APIRouter(include_in_schema=False)
PRIVATE = "bikes.read_private"
QR_MAX = 600
"""Longest text the QR endpoint encodes (a QRIS payload is under 300 characters)."""

#: Every text the rider's script shows, translated in the page (``<script id="bikes-i18n">``).
RIDER_TEXTS = [
    N_("bikes"),
    N_("docks"),
    N_("Rent here"),
    N_("Return here"),
    N_("Reserve"),
    N_("Reserved"),
    N_("No bikes here right now"),
    N_("Station closed for rentals"),
    N_("You are here"),
    N_("Sign in to rent a bike"),
    N_("Balance"),
    N_("Debt"),
    N_("Riding bike {bike} since {time} from {station}"),
    N_("Bike {bike} is held for you until {time}"),
    N_("Cancel reservation"),
    N_("Trip ended: {minutes} min, fare {fare}"),
    N_("Station {station} is full."),
    N_("The nearest station with a free dock is {nearest}, {distance} m away."),
    N_("You get {minutes} free minutes to ride there."),
    N_("Return at {station}"),
    N_("Scan this QRIS code with your banking app, or pay in the sandbox."),
    N_("Paid: balance {balance}"),
    N_("No trips yet"),
    N_("Signed up: welcome!"),
    N_("Signed in"),
    N_("Thank you: the bike is taken out of service"),
    N_("Something went wrong"),
    N_("Location not available: showing the system's centre"),
    N_("Showing stations near you"),
    N_("ongoing"),
    N_("Bike"),
    N_("classic"),
    N_("e-bike"),
    N_("battery"),
    N_("Loading…"),
    N_("Top-up of {amount} is waiting for payment"),
]

REASONS = {
    "broken": N_("broken"),
    "maintenance": N_("in the workshop"),
    "missing": N_("missing"),
    "low_battery": N_("low battery"),
}
TASK_KINDS = {
    "repair": N_("Repair"),
    "recover": N_("Find and recover"),
    "rebalance": N_("Rebalance"),
    "charge": N_("Charge"),
}
TASK_STATES = {"open": N_("open"), "in_progress": N_("in progress"), "done": N_("done")}
OPERATOR_TEXTS = [
    N_("bikes"),
    N_("docks"),
    N_("Capacity"),
    N_("Fill"),
    N_("Stations drawn: {n}"),
    N_("Updated {time}"),
    N_("Van {van}: {stops} stops, {km} km, {minutes} min"),
    N_("take {n} bikes"),
    N_("bring {n} bikes"),
    N_("Bikes moved: {n}"),
    N_("Distances: {source}"),
    N_("road network"),
    N_("straight lines"),
    N_("Computing the plan…"),
    N_("No station needs bikes moved in this window."),
    N_("Depot"),
    N_("Something went wrong"),
    N_("Trips used for the forecast: {n}"),
]


def fill_colour(station: dict) -> str:
    """Colour of a station by fill level: empty, under 25 %, 25-75 %, over 75 %, full (no free dock)."""
    if station["bikes_available"] == 0:
        return "#d73027"
    if station["docks_available"] == 0:
        return "#542788"
    fill = station["fill"]
    return "#fc8d59" if fill < 0.25 else "#1a9850" if fill <= 0.75 else "#4575b4"


def _name(value, lang: str) -> str:
    if isinstance(value, dict):
        return value.get(lang) or value.get("id") or value.get("en") or next(iter(value.values()), "")
    return value or ""


def _error_page(request: Request, principal: Principal | None, exc: KotacerdasError) -> HTMLResponse:
    lang = language(request)
    status = getattr(exc, "status", 400) or 400
    titles = {401: N_("Sign in to do this"), 403: N_("Not allowed"), 404: N_("Not found")}
    title = gettext(titles.get(status, N_("Something went wrong")), lang)
    return render(request, "error.html", principal, status=status, title=title, detail=exc.render(lang))


def _system_or_error(request, session, principal, system_id):
    try:
        return st.get_system(session, system_id), None
    except KotacerdasError as exc:
        return None, _error_page(request, principal, exc)


def _city_of(session: Session, system: BikeSystem) -> City:
    return session.get(City, system.city_id)


@router.get("/bikes", response_class=HTMLResponse)
def bikes_index(
    request: Request,
    city: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    lang = language(request)
    cities, current = cities_and_current(session, city)
    systems = []
    if current is not None:
        for row in session.scalars(
            select(BikeSystem).where(BikeSystem.city_id == current.id).order_by(BikeSystem.system_id)
        ):
            avail = insights.available_by_station(session, row)
            stations = session.scalars(select(BikeStation.id).where(BikeStation.system_pk == row.id)).all()
            systems.append(
                {
                    "system_id": row.system_id,
                    "name": _name(row.name, lang),
                    "operator": _name(row.operator, lang),
                    "is_demo": row.is_demo,
                    "stations": len(stations),
                    "bikes_available": sum(sum(v.values()) for v in avail.values()),
                    "can_operate": principal is not None and principal.can(PRIVATE, row.city_id),
                }
            )
    return render(request, "bikes/index.html", principal, cities=cities, city=current, systems=systems)


@router.get("/bikes/{system_id}", response_class=HTMLResponse)
def rider_page(
    system_id: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    system, error = _system_or_error(request, session, principal, system_id)
    if error:
        return error
    lang = language(request)
    city = _city_of(session, system)
    plans = [
        manage.plan_json(p)
        for p in session.scalars(
            select(BikePricingPlan)
            .where(BikePricingPlan.system_pk == system.id, BikePricingPlan.is_active.is_(True))
            .order_by(BikePricingPlan.id)
        )
    ]
    texts = {m: gettext(m, lang) for m in RIDER_TEXTS}
    return render(
        request,
        "bikes/rider.html",
        principal,
        system=system,
        city=city,
        system_name=_name(system.name, lang),
        plans=plans,
        texts=texts,
        plan_name=lambda p: _name(p["name"], lang),
        can_operate=principal is not None and principal.can(PRIVATE, system.city_id),
    )


@router.get("/bikes/{system_id}/qr.svg")
def qr_svg(system_id: str, data: str = "") -> Response:
    """A QR code of ``data`` (the QRIS payload of a top-up) as SVG, drawn with ``segno``."""
    if not data or len(data) > QR_MAX:
        return Response(status_code=404)
    try:
        import segno
    except ImportError:  # optional: the page shows the payload as text as well
        return Response(status_code=404)
    import io

    buf = io.BytesIO()
    segno.make(data, error="m", micro=False).save(
        buf, kind="svg", scale=4, border=2, xmldecl=False, svgclass="qris-code", title="QRIS"
    )
    return Response(buf.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=900"})


# -- operator -----------------------------------------------------------------------------------------


def _operator_context(session: Session, system: BikeSystem, lang: str) -> dict:
    dash = insights.dashboard(session, system, days=14)
    avail = insights.available_by_station(session, system)
    stations = []
    for row in session.scalars(
        select(BikeStation).where(BikeStation.system_pk == system.id).order_by(BikeStation.station_id)
    ):
        usable = max(0, row.capacity - row.num_docks_disabled)
        bikes = sum(avail.get(row.id, {}).values())
        stations.append(
            {
                "station_id": row.station_id,
                "name": _name(row.name, lang),
                "capacity": row.capacity,
                "docked": row.docked,
                "bikes_available": bikes,
                "docks_available": max(0, usable - row.docked) if row.is_returning else 0,
                "fill": (row.docked / usable) if usable else 1.0,
                "lat": float(row.geom.y),
                "lon": float(row.geom.x),
                "is_renting": row.is_renting,
                "is_returning": row.is_returning,
                "num_docks_disabled": row.num_docks_disabled,
                "empty": row.station_id in dash["empty_stations"],
                "full": row.station_id in dash["full_stations"],
            }
        )
    names = {s["station_id"]: s["name"] for s in stations}
    plans = [
        manage.plan_json(p)
        for p in session.scalars(
            select(BikePricingPlan).where(BikePricingPlan.system_pk == system.id).order_by(BikePricingPlan.id)
        )
    ]
    tasks = [
        {
            "task_id": t.task_id,
            "kind": t.kind,
            "bike_id": t.bike_id,
            "station_id": t.station_id,
            "note": t.note,
            "status": t.status,
            "priority": t.priority,
        }
        for t in session.scalars(
            select(BikeTask)
            .where(BikeTask.system_pk == system.id, BikeTask.status != "done")
            .order_by(BikeTask.priority, BikeTask.created_at)
            .limit(50)
        )
    ]
    reports = [
        {"bike_id": b, "note": r.note, "task_id": r.task_id, "at": r.created_at}
        for r, b in session.execute(
            select(BikeReport, BikeRow.bike_id)
            .join(BikeRow, BikeRow.id == BikeReport.bike_pk)
            .where(BikeReport.system_pk == system.id)
            .order_by(BikeReport.id.desc())
            .limit(20)
        )
    ]
    days = [d["date"] for d in dash["days"]]
    trips_chart = day_chart_svg(
        days,
        [d["trips"] for d in dash["days"]],
        kind="bar",
        title=gettext("Trips per day", lang),
        chart_id="trips-chart",
    )
    revenue_chart = day_chart_svg(
        days,
        [d["revenue"] for d in dash["days"]],
        kind="line",
        title=gettext("Revenue per day (Rp)", lang),
        colour="#c05621",
        fmt=lambda v: f"{v / 1000:,.0f}k" if v >= 1000 else f"{v:,.0f}",
        chart_id="revenue-chart",
    )
    return {
        "dash": dash,
        "stations": stations,
        "station_names": names,
        "plans": plans,
        "tasks": tasks,
        "reports": reports,
        "trips_chart": Markup(trips_chart),
        "revenue_chart": Markup(revenue_chart),
        "total_trips": sum(d["trips"] for d in dash["days"]),
        "total_revenue": sum(d["revenue"] for d in dash["days"]),
        "plan_name": lambda p: _name(p["name"], lang),
        "fill_colour": fill_colour,
        "reasons": {k: gettext(v, lang) for k, v in REASONS.items()},
        "task_kinds": {k: gettext(v, lang) for k, v in TASK_KINDS.items()},
        "task_states": {k: gettext(v, lang) for k, v in TASK_STATES.items()},
        "js_texts": {m: gettext(m, lang) for m in OPERATOR_TEXTS},
    }


def _operator_gate(request: Request, session: Session, principal: Principal | None, system_id: str):
    """The system if the user may see its operator screens, else the response to send instead."""
    system, error = _system_or_error(request, session, principal, system_id)
    if error:
        return None, error
    if principal is None:
        return None, RedirectResponse("/login?next=" + quote(request.url.path), status_code=303)
    if not principal.can(PRIVATE, system.city_id):
        lang = language(request)
        return None, render(
            request,
            "error.html",
            principal,
            status=403,
            title=gettext("Not allowed", lang),
            detail=gettext(
                "Only the bike operators and the administrators of this city can open the operator screens", lang
            ),
        )
    return system, None


@router.get("/bikes/{system_id}/operator", response_class=HTMLResponse)
def operator_page(
    system_id: str,
    request: Request,
    saved: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    system, stop = _operator_gate(request, session, principal, system_id)
    if stop:
        return stop
    return _render_operator(request, session, principal, system, saved=saved)


def _render_operator(request, session, principal, system, *, saved=None, error=None, status=200):
    lang = language(request)
    ctx = _operator_context(session, system, lang)
    return render(
        request,
        "bikes/operator.html",
        principal,
        status=status,
        system=system,
        city=_city_of(session, system),
        system_name=_name(system.name, lang),
        can_manage=principal.can("bikes.manage", system.city_id),
        saved=saved,
        error=error,
        **ctx,
    )


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", request.url.netloc)


def _form_write(
    request: Request, session: Session, principal: Principal | None, system_id: str, csrf: str, anchor: str, call
):
    """Check the user, the CSRF token and the origin, run ``call()``, then redirect back (or show the error)."""
    system, stop = _operator_gate(request, session, principal, system_id)
    if stop:
        return stop
    lang = language(request)
    if not csrf or csrf != request.cookies.get(CSRF_COOKIE) or not _same_origin(request):
        return _render_operator(
            request,
            session,
            principal,
            system,
            status=400,
            error=gettext("The form has expired; please try again", lang),
        )
    session.commit()  # end this request's read transaction before the write runs in its own
    try:
        call()
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {}
        field = ".".join(str(x) for x in first.get("loc", ()))
        return _render_operator(
            request,
            session,
            principal,
            system,
            status=422,
            error=gettext("Check the field {field}", lang).format(field=field),
        )
    except KotacerdasError as exc:
        session.rollback()
        return _render_operator(request, session, principal, system, status=exc.status or 400, error=exc.render(lang))
    session.expire_all()
    return RedirectResponse(f"/bikes/{quote(system_id)}/operator?saved={anchor}#{anchor}", status_code=303)


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _text(id_text: str, en_text: str) -> dict[str, str] | None:
    id_text, en_text = id_text.strip(), en_text.strip()
    if not id_text and not en_text:
        return None
    return {"id": id_text or en_text, "en": en_text or id_text}


@router.post("/bikes/{system_id}/operator/plans")
def save_plan(
    system_id: str,
    request: Request,
    plan_id: str = Form(...),
    name_id: str = Form(""),
    name_en: str = Form(""),
    unlock_fee: str = Form(""),
    per_minute: str = Form(""),
    free_minutes: str = Form(""),
    day_pass_price: str = Form(""),
    is_active: str = Form(""),
    csrf: str = Form(""),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    data = {
        "name": _text(name_id, name_en),
        "unlock_fee": _int(unlock_fee),
        "per_minute": _int(per_minute),
        "free_minutes": _int(free_minutes),
        "day_pass_price": _int(day_pass_price),
        "is_active": is_active == "on",
    }
    return _form_write(
        request,
        session,
        principal,
        system_id,
        csrf,
        "plans",
        lambda: api.put_plan(
            system_id,
            plan_id.strip(),
            api.PlanBody(**{k: v for k, v in data.items() if v is not None}),
            request,
            principal,
        ),
    )


@router.post("/bikes/{system_id}/operator/stations")
def save_station(
    system_id: str,
    request: Request,
    station_id: str = Form(...),
    name_id: str = Form(""),
    name_en: str = Form(""),
    lat: str = Form(""),
    lon: str = Form(""),
    capacity: str = Form(""),
    num_docks_disabled: str = Form(""),
    is_renting: str = Form(""),
    is_returning: str = Form(""),
    csrf: str = Form(""),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    def num(v: str) -> float | None:
        try:
            return float(v) if v.strip() else None
        except ValueError:
            return None

    data = {
        "station_id": station_id.strip(),
        "name": _text(name_id, name_en),
        "lat": num(lat),
        "lon": num(lon),
        "capacity": _int(capacity),
        "num_docks_disabled": _int(num_docks_disabled),
        "is_renting": is_renting == "on",
        "is_returning": is_returning == "on",
    }
    return _form_write(
        request,
        session,
        principal,
        system_id,
        csrf,
        "stations",
        lambda: api.post_station(
            system_id, api.StationBody(**{k: v for k, v in data.items() if v is not None}), request, principal
        ),
    )


@router.post("/bikes/{system_id}/operator/tasks/{task_id}")
def save_task(
    system_id: str,
    task_id: str,
    request: Request,
    status: str = Form(...),
    csrf: str = Form(""),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    return _form_write(
        request,
        session,
        principal,
        system_id,
        csrf,
        "tasks",
        lambda: api.patch_task(system_id, task_id, api.TaskPatch(status=status), request, principal),
    )
