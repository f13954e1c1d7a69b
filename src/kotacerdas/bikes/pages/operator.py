"""The operator's screens of a system, and the forms they post.

``/bikes/{system_id}/operator``
    For ``bike_operator`` and ``city_admin`` of the system's city (``bikes.read_private``): the
    station map coloured by fill level, empty/full alerts, bikes needing attention, open tasks and
    reports, trips and revenue per day as server-rendered SVG charts (:mod:`.charts`), pricing
    plans, station management and the rebalancing plan (loaded from the API on demand). Anonymous
    visitors are sent to ``/login``; other users get a localised 403 page (:mod:`.access`).

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
from kotacerdas.bikes.model import text_in
from kotacerdas.bikes.pages.access import MANAGE, operator_gate
from kotacerdas.bikes.pages.charts import revenue_chart, trips_chart
from kotacerdas.bikes.services import fleet, insights, plans, stations
from kotacerdas.bikes.store.tables import BikeSystem
from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.core.models import City
from kotacerdas.http.csrf import form_ok
from kotacerdas.http.deps import READ_SESSION, authorize, language, optional_principal
from kotacerdas.http.pages import render

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


def _operator_context(session: Session, system: BikeSystem, lang: str) -> dict:
    dash = insights.dashboard(session, system, days=14)
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


def _render_operator(request, session, principal, system, *, saved=None, error=None, status=200):
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
):
    """Check the user, the CSRF token and the origin, run ``call(user)``, then redirect back (or show the error)."""
    gate = operator_gate(request, session, principal, system_id)
    if isinstance(gate, Response):
        return gate
    system, user = gate
    lang = language(request)
    if not form_ok(request, csrf):
        return _render_operator(
            request,
            session,
            user,
            system,
            status=400,
            error=gettext("The form has expired; please try again", lang),
        )
    session.commit()  # end this request's read transaction before the write runs in its own
    try:
        authorize(user, MANAGE, system.city_id)
        call(user)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {}
        field = ".".join(str(x) for x in first.get("loc", ()))
        return _render_operator(
            request,
            session,
            user,
            system,
            status=422,
            error=gettext("Check the field {field}", lang).format(field=field),
        )
    except KotacerdasError as exc:
        session.rollback()
        return _render_operator(request, session, user, system, status=exc.status or 400, error=exc.render(lang))
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
    session: Session = READ_SESSION,
):
    """Save a pricing plan from the operator's form."""
    data = {
        "name": _text(name_id, name_en),
        "unlock_fee": _int(unlock_fee),
        "per_minute": _int(per_minute),
        "free_minutes": _int(free_minutes),
        "day_pass_price": _int(day_pass_price),
        "is_active": is_active == "on",
    }

    def call(user: Principal) -> None:
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
    session: Session = READ_SESSION,
):
    """Save a station (a new one, or changes to one) from the operator's form."""

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

    def call(user: Principal) -> None:
        body = StationBody(**{k: v for k, v in data.items() if v is not None})
        stations.save(request.app.state.engine, system_id, body.model_dump(exclude_unset=True), user_id=user.user_id)

    return _form_write(request, session, principal, system_id, csrf, "stations", call)


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
