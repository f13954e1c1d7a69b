"""Who may open a Bike Sharing screen, and the page answered instead: a localised error page or the sign-in.

The rider's screens are public; the operator's need ``bikes.read_private`` in the system's city
(``bike_operator``, ``city_admin``, a superuser) and their forms ``bikes.manage``, checked with
:func:`kotacerdas.http.deps.authorize` as the API checks them.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from kotacerdas.bikes.services import systems
from kotacerdas.bikes.store.tables import BikeSystem
from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.http.deps import language
from kotacerdas.http.pages import render

PRIVATE, MANAGE = "bikes.read_private", "bikes.manage"


def error_page(request: Request, principal: Principal | None, exc: KotacerdasError) -> HTMLResponse:
    """The error as a page in the request's language, with the error's status."""
    lang = language(request)
    status = getattr(exc, "status", 400) or 400
    titles = {401: N_("Sign in to do this"), 403: N_("Not allowed"), 404: N_("Not found")}
    title = gettext(titles.get(status, N_("Something went wrong")), lang)
    return render(request, "error.html", principal, status=status, title=title, detail=exc.render(lang))


def system_or_error(
    request: Request, session: Session, principal: Principal | None, system_id: str
) -> BikeSystem | Response:
    """The system, or the (404) page to answer instead."""
    try:
        return systems.get_system(session, system_id)
    except KotacerdasError as exc:
        return error_page(request, principal, exc)


def operator_gate(
    request: Request, session: Session, principal: Principal | None, system_id: str
) -> tuple[BikeSystem, Principal] | Response:
    """The system and the user if they may see its operator screens, else the response to send instead.

    Anonymous visitors are sent to the sign-in page; a user without the role in the system's
    city gets a localised 403 page.
    """
    system = system_or_error(request, session, principal, system_id)
    if isinstance(system, Response):
        return system
    if principal is None:
        return RedirectResponse("/login?next=" + quote(request.url.path), status_code=303)
    if not principal.can(PRIVATE, system.city_id):
        lang = language(request)
        return render(
            request,
            "error.html",
            principal,
            status=403,
            title=gettext("Not allowed", lang),
            detail=gettext(
                "Only the bike operators and the administrators of this city can open the operator screens", lang
            ),
        )
    return system, principal
