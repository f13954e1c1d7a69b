"""Server-rendered pages: the one Jinja2 environment (the core's templates, then each domain's) and render().

Every text in a template goes through ``t()`` (the gettext catalogue), so each page reads in
Bahasa Indonesia or English; the language comes from the switch, the user's setting or
Accept-Language (see :func:`kotacerdas.http.deps.language`). Every figure goes through ``fmt``
(:class:`kotacerdas.core.formats.Formats`: the page's locale and the city's time zone).

A page rendered for a signed-in user is private: ``Cache-Control: no-store``, so neither a
shared cache nor the browser's history (Back after signing out) shows it to someone else.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core.auth import Principal
from kotacerdas.core.db import transaction
from kotacerdas.core.errors import NotFound
from kotacerdas.core.formats import Formats
from kotacerdas.core.i18n import LANGUAGES, N_, gettext
from kotacerdas.core.models import City
from kotacerdas.core.registry import DOMAIN_NAMES
from kotacerdas.http.csrf import CSRF_COOKIE
from kotacerdas.http.deps import language
from kotacerdas.http.nav import staff_links

PACKAGE = Path(__file__).resolve().parent.parent
#: The core's templates first, then each domain's own ``<domain>/templates`` folder.
TEMPLATES = Jinja2Templates(
    directory=[str(PACKAGE / "web" / "templates")] + [str(PACKAGE / d / "templates") for d in DOMAIN_NAMES]
)
PRIVATE_CACHE = "no-store"


def here(request: Request) -> str:
    """The request's path and query: where a sign-in started from goes back to (``next``)."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def login_url(request: Request) -> str:
    """The sign-in page, coming back here afterwards (city and filters kept)."""
    return "/login?next=" + quote(here(request), safe="")


def _staff_links(request: Request, principal: Principal | None, city: City | None, lang: str) -> list:
    """The signed-in user's staff screens for the navigation, read in a short transaction of their own (which
    cities a screen has something to open in: :func:`kotacerdas.http.nav.staff_links`)."""
    if principal is None:
        return []
    with transaction(request.app.state.sessions()) as session:
        return staff_links(principal, city, lang, session)


def render(request: Request, name: str, principal: Principal | None, status: int = 200, **context) -> HTMLResponse:
    """The page ``name`` in the request's language, with the CSRF token every form of it carries."""
    lang = language(request)
    settings = request.app.state.settings
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    city = context.get("city")
    if not (hasattr(city, "id") and hasattr(city, "code")):
        city = None  # a page's own "city" (an ASCN member city's record ...), not a platform city
    tz = getattr(city, "timezone", None) or "Asia/Jakarta"
    ctx = {
        "request": request,
        "lang": lang,
        "languages": LANGUAGES,
        "t": lambda msg, **kw: gettext(msg, lang).format(**kw) if kw else gettext(msg, lang),
        "fmt": Formats(lang, tz),
        "principal": principal,
        "staff_links": _staff_links(request, principal, city, lang),
        "tile_url": settings.tile_url,
        "tile_attribution": settings.tile_attribution,
        "csrf": csrf,
        "path": request.url.path,
        "here": here(request),
        "login_url": login_url(request),
        **context,
    }
    response = TEMPLATES.TemplateResponse(request, name, ctx, status_code=status)
    response.headers["Content-Language"] = lang
    if principal is not None:
        response.headers["Cache-Control"] = PRIVATE_CACHE
        response.headers["Vary"] = "Cookie"
    if CSRF_COOKIE not in request.cookies:
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="lax")
    return response


class UnknownCity(NotFound):
    """A page asked for a city code this server does not hold; the error page lists the cities it does."""

    def __init__(self, code: str, links: list[tuple[str, str]]):
        super().__init__(N_("There is no city with the code {code} on this server. Choose one below."), code=code)
        self.links = links


def cities_and_current(
    session: Session, code: str | None, request: Request | None = None
) -> tuple[list[City], City | None]:
    """Every city (for the picker) and the chosen one: the first when none is asked.

    An unknown code is a 404 page that says so and links the same page for each known city
    (with ``request``), never silently another city.
    """
    cities = list(session.scalars(select(City).order_by(City.code)))
    if code:
        found = next((c for c in cities if c.code == code), None)
        if found is None:
            links = []
            if request is not None:
                links = [(f"{c.name} ({c.code})", str(request.url.include_query_params(city=c.code))) for c in cities]
                links = [(label, _path_of(url)) for label, url in links]
            raise UnknownCity(code, links)
        return cities, found
    return cities, cities[0] if cities else None


def _path_of(url: str) -> str:
    """The path and query of an absolute URL (links on an error page stay on this server)."""
    rest = url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"
