"""Server-rendered pages: the one Jinja2 environment (the core's templates, then each domain's) and render().

Every text in a template goes through ``t()`` (the gettext catalogue), so each page reads in
Bahasa Indonesia or English; the language comes from the switch, the user's setting or
Accept-Language (see :func:`kotacerdas.http.deps.language`).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core.auth import Principal
from kotacerdas.core.i18n import LANGUAGES, gettext
from kotacerdas.core.models import City
from kotacerdas.core.registry import DOMAIN_NAMES
from kotacerdas.http.csrf import CSRF_COOKIE
from kotacerdas.http.deps import language

PACKAGE = Path(__file__).resolve().parent.parent
#: The core's templates first, then each domain's own ``<domain>/templates`` folder.
TEMPLATES = Jinja2Templates(
    directory=[str(PACKAGE / "web" / "templates")] + [str(PACKAGE / d / "templates") for d in DOMAIN_NAMES]
)


def render(request: Request, name: str, principal: Principal | None, status: int = 200, **context) -> HTMLResponse:
    """The page ``name`` in the request's language, with the CSRF token every form of it carries."""
    lang = language(request)
    settings = request.app.state.settings
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    ctx = {
        "request": request,
        "lang": lang,
        "languages": LANGUAGES,
        "t": lambda msg, **kw: gettext(msg, lang).format(**kw) if kw else gettext(msg, lang),
        "principal": principal,
        "tile_url": settings.tile_url,
        "tile_attribution": settings.tile_attribution,
        "csrf": csrf,
        "path": request.url.path,
        **context,
    }
    response = TEMPLATES.TemplateResponse(request, name, ctx, status_code=status)
    response.headers["Content-Language"] = lang
    if CSRF_COOKIE not in request.cookies:
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="lax")
    return response


def cities_and_current(session: Session, code: str | None) -> tuple[list[City], City | None]:
    """Every city (for the picker) and the chosen one (the first when none or an unknown one is asked)."""
    cities = list(session.scalars(select(City).order_by(City.code)))
    return cities, next((c for c in cities if c.code == code), cities[0] if cities else None)
