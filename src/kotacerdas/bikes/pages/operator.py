"""The operator's screens of a system, and the forms they post.

``/bikes/{system_id}/operator``
    For ``bike_operator`` and ``city_admin`` of the system's city (``bikes.read_private``): the
    station map coloured by fill level, empty/full alerts, bikes needing attention, open tasks and
    reports, trips and revenue per day as server-rendered SVG charts (:mod:`.charts`), pricing
    plans, station management (creating and changing are separate forms; the latest recorded
    changes with an *Undo* each), CSV exports and the rebalancing plan (loaded from the API on
    demand). Anonymous visitors are sent to ``/login``; other users get a localised 403 page
    (:mod:`.access`).
``/bikes/{system_id}/operator/stations/{station_id}/edit``
    Everything an operator may change of one station on one form (names in both languages, address,
    latitude and longitude, capacity, disabled docks, renting, returning, charging), saved through the
    same service as the API: in the city, never below the bikes docked (409), audited and undoable.
``/bikes/operator?city=35.10``
    The way in from the navigation: the operator screens of the city's system (a choice when it
    has several).

Operator writes are plain HTML forms posted to this router (``/bikes/{id}/operator/...``). Each
checks the CSRF token and the origin (:func:`kotacerdas.http.csrf.form_ok`: the ``csrf`` field
must equal the ``kc_csrf`` cookie, as the core's sign-in form does), the role (``bikes.manage``
in the system's city), validates the form with the API's request model, calls the same service
as the JSON API (audited, in its own transaction) and redirects back.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy.orm import Session

from kotacerdas.bikes.api.schemas import PlanBody, StationBody, TaskPatch
from kotacerdas.bikes.errors import FieldName
from kotacerdas.bikes.model import text_in, whole_number
from kotacerdas.bikes.pages.access import MANAGE, PRIVATE, error_page, operator_gate
from kotacerdas.bikes.pages.charts import revenue_chart, trips_chart
from kotacerdas.bikes.pages.station_forms import FLAGS, change_fields, form_text, station_data
from kotacerdas.bikes.services import exports, fleet, insights, plans, stations, systems
from kotacerdas.bikes.store.tables import BikeSystem
from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.core.models import City
from kotacerdas.http.csrf import form_ok
from kotacerdas.http.deps import READ_SESSION, authorize, language, optional_principal
from kotacerdas.http.downloads import csv_response, filename
from kotacerdas.http.pages import cities_and_current, login_url, render
from kotacerdas.http.problems import validation_reason

router = APIRouter(include_in_schema=False)

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
CHANGE_LABELS = {
    "bikes.station.create": N_("Station created"),
    "bikes.station.save": N_("Station changed"),
    "bikes.station.delete": N_("Station removed"),
    "bikes.stations.import": N_("Stations imported"),
    "bikes.station.undo": N_("Change undone"),
}
EXPORT_LABELS = {"stations": N_("Stations"), "bikes": N_("Bikes"), "trips": N_("Trips"), "tasks": N_("Tasks")}
OPERATOR_TEXTS = [
    N_("bikes"),
    N_("docks"),
    N_("Capacity"),
    N_("Fill"),
    N_("Stations drawn: {n}"),
    N_("Updated {time}"),
    N_("Van {van}: {stops}, {km} km, {minutes} min"),
    N_("{n} stop"),
    N_("{n} stops"),
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


def _operator_context(session: Session, system: BikeSystem, lang: str) -> dict:
    dash = insights.dashboard(session, system, days=14)
    changes = stations.recent_changes(session, system, limit=10)
    for c in changes:
        c["changes"] = [ch | {"fields": change_fields(ch, lang)} for ch in c["changes"]]
    shown = []
    for s in stations.station_list(session, system):
        usable = max(0, s["capacity"] - s["num_docks_disabled"])
        shown.append(
            {
                **s,
                "name": text_in(s["name"], lang),
                "bikes_available": sum(s["bikes_available"].values()),
                "fill": (s["docked"] / usable) if usable else 1.0,
                "empty": s["station_id"] in dash["empty_stations"],
                "full": s["station_id"] in dash["full_stations"],
            }
        )
    days = [d["date"] for d in dash["days"]]
    return {
        "dash": dash,
        "stations": shown,
        "station_names": {s["station_id"]: s["name"] for s in shown},
        "plans": plans.plans(session, system),
        "tasks": fleet.open_tasks(session, system, limit=50),
        "reports": fleet.latest_reports(session, system, limit=20),
        "changes": changes,
        "change_labels": {k: gettext(v, lang) for k, v in CHANGE_LABELS.items()},
        "exports": exports.EXPORTS,
        "export_labels": {k: gettext(v, lang) for k, v in EXPORT_LABELS.items()},
        "trips_chart": Markup(trips_chart(days, [d["trips"] for d in dash["days"]], lang)),
        "revenue_chart": Markup(revenue_chart(days, [d["revenue"] for d in dash["days"]], lang)),
        "total_trips": sum(d["trips"] for d in dash["days"]),
        "total_revenue": sum(d["revenue"] for d in dash["days"]),
        "plan_name": lambda p: text_in(p["name"], lang),
        "fill_colour": fill_colour,
        "reasons": {k: gettext(v, lang) for k, v in REASONS.items()},
        "task_kinds": {k: gettext(v, lang) for k, v in TASK_KINDS.items()},
        "task_states": {k: gettext(v, lang) for k, v in TASK_STATES.items()},
        "js_texts": {m: gettext(m, lang) for m in OPERATOR_TEXTS},
    }


@router.get("/bikes/operator", response_class=HTMLResponse)
def operator_way_in(
    request: Request,
    city: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
):
    """The operator screens of a city's bike-share system (the staff navigation's link)."""
    if principal is None:
        return RedirectResponse(login_url(request), status_code=303)
    cities, current = cities_and_current(session, city, request)
    if city is None:
        mine = [c for c in cities if principal.can(PRIVATE, c.id)]
        current = mine[0] if mine else current
    found = systems.city_systems(session, current) if current is not None else []
    if len(found) == 1:
        return RedirectResponse(f"/bikes/{quote(found[0]['system_id'])}/operator", status_code=303)
    return RedirectResponse(f"/bikes?city={quote(current.code) if current else ''}", status_code=303)


@router.get("/bikes/{system_id}/operator", response_class=HTMLResponse)
def operator_page(
    system_id: str,
    request: Request,
    saved: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
):
    """The operator's screens of a system."""
    gate = operator_gate(request, session, principal, system_id)
    if isinstance(gate, Response):
        return gate
    system, user = gate
    return _render_operator(request, session, user, system, saved=saved)


def _render_operator(request, session, principal, system, *, saved=None, error=None, status=200, error_at=None):
    lang = language(request)
    ctx = _operator_context(session, system, lang)
    return render(
        request,
        "bikes/operator.html",
        principal,
        status=status,
        system=system,
        city=session.get(City, system.city_id),
        system_name=text_in(system.name, lang),
        can_manage=principal.can(MANAGE, system.city_id),
        payments_sandbox=request.app.state.settings.payments_sandbox,
        saved=saved,
        error=error,
        error_at=error_at,
        **ctx,
    )


def _form_write(
    request: Request,
    session: Session,
    principal: Principal | None,
    system_id: str,
    csrf: str,
    anchor: str,
    call: Callable[[Principal], object],
    *,
    anchor_error: str | None = None,
    render_error: Callable[[Principal, BikeSystem, int, str], Response] | None = None,
):
    """Check the user, the CSRF token and the origin, run ``call(user)``, then redirect back (or show the error
    beside the form it came from: ``anchor_error``, else ``anchor``; or the page ``render_error(user, system,
    status, message)`` draws, which keeps what was typed)."""
    gate = operator_gate(request, session, principal, system_id)
    if isinstance(gate, Response):
        return gate
    system, user = gate
    lang = language(request)

    def failed(status: int, message: str, at: str | None) -> Response:
        if render_error is not None:
            return render_error(user, system, status, message)
        return _render_operator(request, session, user, system, status=status, error=message, error_at=at)

    if not form_ok(request, csrf):
        return failed(400, gettext("The form has expired; please try again", lang), None)
    session.commit()  # end this request's read transaction before the write runs in its own
    try:
        authorize(user, MANAGE, system.city_id)
        call(user)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {}
        field = ".".join(str(x) for x in first.get("loc", ()))
        message = gettext("Check the field {field}: {reason}", lang).format(
            field=FieldName(field).render(lang), reason=validation_reason(dict(first), lang)
        )
        return failed(422, message, anchor_error or anchor)
    except KotacerdasError as exc:
        session.rollback()
        return failed(exc.status or 400, exc.render(lang), anchor_error or anchor)
    session.expire_all()
    return RedirectResponse(f"/bikes/{quote(system_id)}/operator?saved={anchor}#{anchor}", status_code=303)


def _int(value: str | None, field_name: str) -> int | None:
    """A whole number typed in a form (blank: ``None``; not a number: a 400 naming the field)."""
    value = (value or "").strip()
    return whole_number(value, field_name) if value else None


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
    session: Session = READ_SESSION,
):
    """Save a pricing plan from the operator's form."""

    def call(user: Principal) -> None:
        data = {
            "name": form_text(name_id, name_en),
            "unlock_fee": _int(unlock_fee, "unlock_fee"),
            "per_minute": _int(per_minute, "per_minute"),
            "free_minutes": _int(free_minutes, "free_minutes"),
            "day_pass_price": _int(day_pass_price, "day_pass_price"),
            "is_active": is_active == "on",
        }
        body = PlanBody(**{k: v for k, v in data.items() if v is not None})
        plans.save(
            request.app.state.engine,
            system_id,
            plan_id.strip(),
            body.model_dump(exclude_unset=True),
            user_id=user.user_id,
        )

    return _form_write(request, session, principal, system_id, csrf, "plans", call)


@router.post("/bikes/{system_id}/operator/stations")
def create_station(
    system_id: str,
    request: Request,
    station_id: str = Form(...),
    name_id: str = Form(""),
    name_en: str = Form(""),
    lat: str = Form(""),
    lon: str = Form(""),
    capacity: str = Form(""),
    csrf: str = Form(""),
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
):
    """Create a new station from the operator's form (409 shown on the page when its id is in use)."""
    form = {"name_id": name_id, "name_en": name_en, "lat": lat, "lon": lon, "capacity": capacity}

    def call(user: Principal) -> None:
        sid = station_id.strip()
        data = station_data(form, sid or None) | {"station_id": sid, "is_renting": True, "is_returning": True}
        body = StationBody(**data)
        stations.create(request.app.state.engine, system_id, body.model_dump(exclude_unset=True), user_id=user.user_id)

    return _form_write(request, session, principal, system_id, csrf, "new-station", call, anchor_error="new-station")


@router.post("/bikes/{system_id}/operator/stations/{station_id}")
def change_station(
    system_id: str,
    station_id: str,
    request: Request,
    capacity: str = Form(""),
    num_docks_disabled: str = Form(""),
    is_renting: str = Form(""),
    is_returning: str = Form(""),
    csrf: str = Form(""),
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
):
    """Change an existing station from its row of the operator's table (never creates one)."""
    form = {
        "capacity": capacity,
        "num_docks_disabled": num_docks_disabled,
        "is_renting": is_renting,
        "is_returning": is_returning,
    }

    def call(user: Principal) -> None:
        body = StationBody(**station_data(form, station_id))
        stations.change(
            request.app.state.engine, system_id, station_id, body.model_dump(exclude_unset=True), user_id=user.user_id
        )

    return _form_write(request, session, principal, system_id, csrf, "stations", call)


def _edit_page(request, session, principal, system, station: dict, *, error=None, status=200, form=None):
    """The edit page of one station (``form``: what the operator typed, shown again beside the error)."""
    lang = language(request)
    name = station["name"] if isinstance(station["name"], dict) else {"id": station["name"], "en": station["name"]}
    values = {
        "name_id": name.get("id", ""),
        "name_en": name.get("en", ""),
        "address": station.get("address") or "",
        "lat": f"{station['lat']:.6f}",
        "lon": f"{station['lon']:.6f}",
        "capacity": str(station["capacity"]),
        "num_docks_disabled": str(station["num_docks_disabled"]),
        **{k: "on" if station.get(k) else "" for k in FLAGS},
    }
    if form is not None:
        values = form
    return render(
        request,
        "bikes/station_edit.html",
        principal,
        status=status,
        system=system,
        city=session.get(City, system.city_id),
        system_name=text_in(system.name, lang),
        station=station,
        station_name=text_in(name, lang),
        values=values,
        error=error,
    )


@router.get("/bikes/{system_id}/operator/stations/{station_id}/edit", response_class=HTMLResponse)
def edit_station_page(
    system_id: str,
    station_id: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
):
    """The form that changes everything an operator may change of one station (``bikes.manage`` to save)."""
    gate = operator_gate(request, session, principal, system_id)
    if isinstance(gate, Response):
        return gate
    system, user = gate
    try:
        station = stations.station_detail(session, system, station_id, staff=True)
    except KotacerdasError as exc:
        return error_page(request, user, exc)
    return _edit_page(request, session, user, system, station)


@router.post("/bikes/{system_id}/operator/stations/{station_id}/edit")
def edit_station(
    system_id: str,
    station_id: str,
    request: Request,
    name_id: str = Form(""),
    name_en: str = Form(""),
    address: str = Form(""),
    lat: str = Form(""),
    lon: str = Form(""),
    capacity: str = Form(""),
    num_docks_disabled: str = Form(""),
    is_renting: str = Form(""),
    is_returning: str = Form(""),
    is_charging_station: str = Form(""),
    csrf: str = Form(""),
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
):
    """Save the edit form of one station through the same service as the API (in the city, 409 below the bikes
    docked, audited with the station before and after, undoable); an error shows the form again as typed."""
    form = {
        "name_id": name_id,
        "name_en": name_en,
        "address": address,
        "lat": lat,
        "lon": lon,
        "capacity": capacity,
        "num_docks_disabled": num_docks_disabled,
        "is_renting": is_renting,
        "is_returning": is_returning,
        "is_charging_station": is_charging_station,
    }

    def call(user: Principal) -> None:
        body = StationBody(**station_data(form, station_id, whole=True))
        stations.change(
            request.app.state.engine, system_id, station_id, body.model_dump(exclude_unset=True), user_id=user.user_id
        )

    def again(user: Principal, system: BikeSystem, status: int, message: str) -> Response:
        try:
            station = stations.station_detail(session, system, station_id, staff=True)
        except KotacerdasError as exc:
            return error_page(request, user, exc)
        return _edit_page(request, session, user, system, station, error=message, status=status, form=form)

    return _form_write(request, session, principal, system_id, csrf, "changes", call, render_error=again)


@router.post("/bikes/{system_id}/operator/changes/{change_id}/undo")
def undo_change(
    system_id: str,
    change_id: int,
    request: Request,
    csrf: str = Form(""),
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
):
    """Undo a recorded station change from the operator's list of changes."""

    def call(user: Principal) -> None:
        stations.undo(request.app.state.engine, system_id, change_id, user_id=user.user_id)

    return _form_write(request, session, principal, system_id, csrf, "changes", call, anchor_error="changes")


@router.get("/bikes/{system_id}/operator/export/{what}.csv")
def export(
    system_id: str,
    what: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
):
    """One of the operator's CSV exports (stations, bikes, trips, tasks) of the system."""
    gate = operator_gate(request, session, principal, system_id)
    if isinstance(gate, Response):
        return gate
    system, _user = gate
    try:
        text = exports.export_csv(session, system, what)
    except KotacerdasError as exc:
        return error_page(request, principal, exc)
    return csv_response(text, filename(what, system_id, ext="csv"))


@router.post("/bikes/{system_id}/operator/tasks/{task_id}")
def save_task(
    system_id: str,
    task_id: str,
    request: Request,
    status: str = Form(...),
    csrf: str = Form(""),
    principal: Principal | None = Depends(optional_principal),
    session: Session = READ_SESSION,
):
    """Start or close a task from the operator's list."""

    def call(user: Principal) -> None:
        body = TaskPatch(status=status)
        fleet.update_task(request.app.state.engine, system_id, task_id, body.status, user_id=user.user_id)

    return _form_write(request, session, principal, system_id, csrf, "tasks", call)
