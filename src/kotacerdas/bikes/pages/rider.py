"""The rider's screens: the bike-share systems of a city, the rider's mobile web app, the QR code of a top-up.

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
``/bikes/{system_id}/stations/{station_id}``
    One station's page (the GBFS ``rental_uris.web`` of the station): bikes of each type with their
    price, free docks, the kecamatan, and a way into the rider app with that station chosen.
``/bikes/{system_id}/qr.svg?data=...``
    A QR code of a QRIS payload, drawn with ``segno``.

Prices are written on the server (:mod:`kotacerdas.core.formats`) and handed to the script with the
terms of each plan, so the rider sees the price of each type of bike before renting and a running
fare while riding.
"""

from __future__ import annotations

import io

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from kotacerdas.bikes.model import text_in
from kotacerdas.bikes.opening_hours import for_people
from kotacerdas.bikes.pages.access import PRIVATE, error_page, system_or_error
from kotacerdas.bikes.services import plans, stations, systems
from kotacerdas.bikes.store.tables import BikeSystem
from kotacerdas.core import formats
from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.core.models import City
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.pages import cities_and_current, render

router = APIRouter(include_in_schema=False)
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
    N_("Rent a {type}"),
    N_("{n} available"),
    N_("none available"),
    N_("Returning the bike…"),
    N_("No connection: the return is not confirmed yet. Checking again in a few seconds…"),
    N_("No connection: check your internet and try again."),
    N_("The server is busy: the return is not confirmed yet. Checking again in {seconds} s…"),
    N_("The return could not be confirmed yet. Check again in a moment: the ride is charged once."),
    N_("Check again"),
    N_("The bike was returned."),
    N_("Ride time"),
    N_("Fare so far"),
    N_("estimate; the final fare is charged at the return"),
    N_("min"),
    N_("Sign in to rent"),
    N_("No station matches your search"),
    N_("Renting…"),
    N_("Wrong mobile number or password"),
    N_("e-bikes need at least 20 % battery"),
]


@router.get("/bikes", response_class=HTMLResponse)
def bikes_index(
    request: Request,
    city: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The bike-share systems of a city (the home card's link)."""
    lang = language(request)
    cities, current = cities_and_current(session, city, request)
    found = systems.city_systems(session, current) if current is not None else []
    shown = [
        {
            **s,
            "name": text_in(s["name"], lang),
            "operator": text_in(s["operator"], lang),
            "can_operate": principal is not None and principal.can(PRIVATE, s["city_id"]),
        }
        for s in found
    ]
    return render(request, "bikes/index.html", principal, cities=cities, city=current, systems=shown)


@router.get("/bikes/{system_id}", response_class=HTMLResponse)
def rider_page(
    system_id: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The rider's mobile web app."""
    system = system_or_error(request, session, principal, system_id)
    if isinstance(system, Response):
        return system
    lang = language(request)
    city_row = session.get(City, system.city_id)
    offer = price_offer(session, system, lang)
    return render(
        request,
        "bikes/rider.html",
        principal,
        system=system,
        city=city_row,
        system_name=text_in(system.name, lang),
        plans=offer["plans"],
        vehicle_types=offer["vehicle_types"],
        app_data={
            "texts": {m: gettext(m, lang) for m in RIDER_TEXTS},
            "vehicle_types": offer["vehicle_types"],
            "plans": {p["plan_id"]: _terms(p) for p in offer["plans"]},
            "timezone": system.timezone or (city_row.timezone if city_row else "Asia/Jakarta"),
            "locale": formats.BROWSER_LOCALES[lang],
            "station": request.query_params.get("station") or "",
        },
        plan_name=lambda p: text_in(p["name"], lang),
        can_operate=principal is not None and principal.can(PRIVATE, system.city_id),
        payments_sandbox=request.app.state.settings.payments_sandbox,
    )


def _terms(plan: dict) -> dict:
    """What the rider's script needs to estimate a running fare (:mod:`kotacerdas.bikes.pricing`'s rule)."""
    keys = ("unlock_fee", "per_minute", "free_minutes", "day_pass_price", "pass_valid_minutes")
    return {k: plan.get(k) for k in keys}


def price_text(plan: dict | None, lang: str) -> str:
    """A plan's ride price in words: unlock fee, free minutes, then the price per minute."""
    if plan is None:
        return ""
    if not plan["per_minute"]:
        return gettext("{unlock} to unlock, no charge per minute", lang).format(
            unlock=formats.rupiah(plan["unlock_fee"], lang)
        )
    return gettext("{unlock} to unlock, {free} free, then {rate} per minute", lang).format(
        unlock=formats.rupiah(plan["unlock_fee"], lang),
        free=formats.minutes(plan["free_minutes"], lang),
        rate=formats.rupiah(plan["per_minute"], lang),
    )


def price_offer(session: Session, system: BikeSystem, lang: str) -> dict:
    """The active plans and each vehicle type with its name and the price of a ride on it, in ``lang``."""
    active = plans.plans(session, system, active_only=True)
    by_id = {p["plan_id"]: p for p in active}
    types = []
    for vt in systems.system_detail(session, system)["vehicle_types"]:
        plan = by_id.get(vt.get("default_pricing_plan_id") or "")
        types.append(
            {
                "vehicle_type_id": vt["vehicle_type_id"],
                "name": text_in(vt["name"], lang),
                "electric": vt.get("propulsion_type") not in (None, "human"),
                "plan_id": plan["plan_id"] if plan else None,
                "price": price_text(plan, lang),
            }
        )
    return {"plans": active, "vehicle_types": types}


@router.get("/bikes/{system_id}/stations/{station_id}", response_class=HTMLResponse)
def station_page(
    system_id: str,
    station_id: str,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """One station (the ``rental_uris.web`` of the GBFS feeds): its bikes by type with their price, free docks."""
    system = system_or_error(request, session, principal, system_id)
    if isinstance(system, Response):
        return system
    lang = language(request)
    try:
        detail = stations.station_detail(session, system, station_id)
    except KotacerdasError as exc:
        return error_page(request, principal, exc)
    offer = price_offer(session, system, lang)
    counts = detail.get("bikes_available") or {}
    return render(
        request,
        "bikes/station.html",
        principal,
        system=system,
        city=session.get(City, system.city_id),
        system_name=text_in(system.name, lang),
        station=detail,
        station_name=text_in(detail["name"], lang),
        opening_hours=for_people(detail.get("opening_hours"), lang),
        offers=[{**vt, "available": counts.get(vt["vehicle_type_id"], 0)} for vt in offer["vehicle_types"]],
        total=sum(counts.values()),
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
    buf = io.BytesIO()
    segno.make(data, error="m", micro=False).save(
        buf, kind="svg", scale=4, border=2, xmldecl=False, svgclass="qris-code", title="QRIS"
    )
    return Response(buf.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=900"})
