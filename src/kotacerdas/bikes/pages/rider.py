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
``/bikes/{system_id}/qr.svg?data=...``
    A QR code of a QRIS payload, drawn with ``segno``.
"""

from __future__ import annotations

import io

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from kotacerdas.bikes.model import text_in
from kotacerdas.bikes.pages.access import PRIVATE, system_or_error
from kotacerdas.bikes.services import plans, systems
from kotacerdas.core.auth import Principal
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
    cities, current = cities_and_current(session, city)
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
    return render(
        request,
        "bikes/rider.html",
        principal,
        system=system,
        city=session.get(City, system.city_id),
        system_name=text_in(system.name, lang),
        plans=plans.plans(session, system, active_only=True),
        texts={m: gettext(m, lang) for m in RIDER_TEXTS},
        plan_name=lambda p: text_in(p["name"], lang),
        can_operate=principal is not None and principal.can(PRIVATE, system.city_id),
        payments_sandbox=request.app.state.settings.payments_sandbox,
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
