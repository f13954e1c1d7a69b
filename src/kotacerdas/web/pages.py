"""Server-rendered web pages: home, city map, sign-in, language switch.

Every text goes through ``t()`` (the gettext catalogue), so each page reads in
Bahasa Indonesia or English; the language comes from the switch, the user's
setting or Accept-Language (see :func:`kotacerdas.http.deps.language`).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts, jobs
from kotacerdas.core.auth import ROLE_LABELS, Principal, Role, token_digest
from kotacerdas.core.db import session_scope
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.formats import DEFAULT_TZ, Formats
from kotacerdas.core.i18n import gettext, normalise_language
from kotacerdas.core.models import City
from kotacerdas.http.csrf import form_ok
from kotacerdas.http.deps import (
    DB_SESSION,
    LANG_COOKIE,
    SESSION_COOKIE,
    client_address,
    language,
    optional_principal,
)
from kotacerdas.http.jobs import job_url
from kotacerdas.http.nav import staff_links
from kotacerdas.http.pages import cities_and_current, render
from kotacerdas.web.home import area_figures, area_map_context, system_cards

router = APIRouter(include_in_schema=False)
FAVICON = Path(__file__).resolve().parent / "static" / "favicon.svg"


def safe_next(target: str | None) -> str:
    """A local path to go on to after signing in or switching language (never another site)."""
    target = (target or "").strip()
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.get("/favicon.ico", include_in_schema=False)
@router.get("/favicon.svg", include_in_schema=False)
def favicon() -> FileResponse:
    """The site's icon (browsers ask for /favicon.ico on their own)."""
    return FileResponse(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    city: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    cities, current = cities_and_current(session, city, request)
    cards = system_cards(session, current) if current else []
    figures = area_figures(session, current) if current else []
    ctx = area_map_context(session, current) if current else {}
    return render(
        request, "home.html", principal, cities=cities, city=current, cards=cards, city_figures=figures, **ctx
    )


@router.get("/map", response_class=HTMLResponse)
def city_map(
    request: Request,
    city: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    cities, current = cities_and_current(session, city, request)
    ctx = area_map_context(session, current) if current else {}
    return render(request, "map.html", principal, cities=cities, city=current, **ctx)


@router.get("/lang/{code}")
def switch_language(code: str, request: Request, next: str = "/"):
    lang = normalise_language(code)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/", principal: Principal | None = Depends(optional_principal)):
    return render(request, "login.html", principal, next=safe_next(next), error=None, username="")


def _expired(request: Request, lang: str, principal: Principal | None = None) -> HTMLResponse:
    title = gettext("The form has expired; please try again", lang)
    return render(request, "error.html", principal, status=400, title=title, detail=title)


def _is_staff(request: Request, user_id: int, lang: str) -> bool:
    from kotacerdas.core.models import User

    with session_scope(request.app.state.engine) as s:
        user = s.get(User, user_id)
        return user is not None and bool(staff_links(accounts.principal_of(s, user), None, lang, s))


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: str = Form(..., max_length=200),
    password: str = Form(..., max_length=1000),
    csrf: str = Form(""),
    next: str = Form("/"),
):
    lang = language(request)
    next = safe_next(next)
    if not form_ok(request, csrf):
        return render(
            request,
            "login.html",
            None,
            status=400,
            next=next,
            username=username,
            error=gettext("The form has expired; please try again", lang),
        )
    try:
        signed = accounts.sign_in(
            request.app.state.engine,
            username,
            password,
            address=client_address(request),
            kind="session",
            label="web",
        )
    except KotacerdasError as exc:
        page = render(
            request, "login.html", None, status=exc.status, next=next, username=username, error=exc.render(lang)
        )
        if exc.status == 429:
            page.headers["Retry-After"] = str(getattr(exc, "retry_after", 60))
        return page
    target = next
    if target == "/" and _is_staff(request, signed.user_id, lang):
        target = "/account"  # staff land where their screens are listed
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        request.app.state.signer.dumps(signed.token),
        httponly=True,
        samesite="lax",
        max_age=accounts.SESSION_DAYS * 24 * 3600,
    )
    if signed.language:
        response.set_cookie(LANG_COOKIE, signed.language, samesite="lax")
    return response


@router.post("/logout")
def logout(
    request: Request,
    csrf: str = Form(""),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Revoke the session and clear its cookie, both or neither: a form from another site (or an expired
    one) changes nothing, since clearing the cookie alone would leave the session valid for whoever holds it."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and not form_ok(request, csrf):
        lang = language(request)
        detail = gettext("This sign-out form came from another site or has expired; you are still signed in", lang)
        return render(request, "error.html", principal, status=403, title=gettext("Forbidden", lang), detail=detail)
    if cookie:
        token = request.app.state.signer.loads_or_none(cookie)
        if token:
            accounts.revoke_token(session, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION):
    if principal is None:
        return RedirectResponse("/login?next=" + quote("/account"), status_code=303)
    names = dict(session.execute(select(City.id, City.name)).all())
    roles = [(names.get(cid, "?"), [ROLE_LABELS[Role(r)] for r in sorted(rs)]) for cid, rs in principal.roles.items()]
    lang = language(request)
    # times in the zone of the user's city (the first they hold a role in), as every other page writes them
    zone = session.scalar(select(City.timezone).where(City.id.in_(sorted(principal.roles))).order_by(City.id))
    recent = [
        jobs.job_json(row, lang) | {"title": _job_title(row.kind), "url": job_url(row.id)}
        for row in jobs.jobs_of(session, principal.user_id)
    ]
    current = request.app.state.signer.loads_or_none(request.cookies.get(SESSION_COOKIE) or "")
    tokens = [
        {"row": row, "current": current is not None and row.token_hash == token_digest(current)}
        for row in accounts.tokens_of(session, principal.user_id)
    ]
    return render(
        request,
        "account.html",
        principal,
        roles=roles,
        jobs=recent,
        tokens=tokens,
        screens=staff_links(principal, None, lang, session),
        fmt=Formats(lang, zone or DEFAULT_TZ),
    )


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    token_id: int,
    request: Request,
    csrf: str = Form(""),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Revoke one of the signed-in user's tokens or sessions from the account page."""
    if principal is None:
        return RedirectResponse("/login?next=" + quote("/account"), status_code=303)
    if not form_ok(request, csrf):
        return _expired(request, language(request), principal)
    accounts.revoke_token_id(session, principal.user_id, token_id)
    return RedirectResponse("/account#tokens", status_code=303)


def _job_title(kind: str) -> str:
    try:
        return jobs.kind(kind).title
    except KotacerdasError:
        return kind
