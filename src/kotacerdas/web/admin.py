"""The city administration screens: users and their roles, admin-area imports, imported files and the audit log.

``/admin?city=35.10`` (``city.read_private``: the city's staff read; ``city.manage_users`` and
``city.import_areas``, the city administrator, change)
    The city's users with their roles, a form to add a user and to give or take a role (plain
    HTML forms with the CSRF token, audited), the admin-area import (a GeoJSON file sent by the
    page's script to the API, which answers 202 with a job the page follows), the imported files
    and the audit log, newest first, paged; actions, kinds of file and results are named in the page's
    language (:mod:`kotacerdas.web.admin_labels`).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.auth import ROLE_LABELS, Principal, Role
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.core.models import AuditEvent, City, ImportBatch, Membership, User
from kotacerdas.http.csrf import form_ok
from kotacerdas.http.deps import DB_SESSION, authorize, language, optional_principal
from kotacerdas.http.pages import cities_and_current, login_url, render
from kotacerdas.http.pagination import Page, fetch_page
from kotacerdas.http.problems import error_page
from kotacerdas.web.admin_labels import action_label, import_kind_label, import_results
from kotacerdas.web.home import area_counts

router = APIRouter(include_in_schema=False)
READ, USERS, AREAS = "city.read_private", "city.manage_users", "city.import_areas"
AUDIT_PER_PAGE = 25


def _city_or_response(request: Request, session: Session, principal: Principal | None, city: str | None):
    """The city the user administers (their own when none is named), or the page to answer instead."""
    if principal is None:
        return RedirectResponse(login_url(request), status_code=303)
    cities, current = cities_and_current(session, city, request)
    if city is None:
        mine = [c for c in cities if principal.can(READ, c.id)]
        current = mine[0] if mine else current
    if current is None or not principal.can(READ, current.id):
        msg = gettext("Only the city's staff open its administration; its administrator changes it", language(request))
        return error_page(request, 403, msg)
    return current


def _members(session: Session, city: City) -> list[dict]:
    rows = session.execute(
        select(User.username, User.full_name, User.is_active, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.city_id == city.id)
        .order_by(User.username, Membership.role)
    ).all()
    out: dict[str, dict] = {}
    for username, full_name, active, role in rows:
        entry = out.setdefault(username, {"username": username, "full_name": full_name, "active": active, "roles": []})
        entry["roles"].append(role)
    return list(out.values())


def _audit(session: Session, city: City, number: int, lang: str) -> tuple[list[dict], int]:
    stmt = (
        select(AuditEvent, User.username)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.city_id == city.id)
        .order_by(AuditEvent.id.desc())
    )
    rows, total = fetch_page(session, stmt, Page(AUDIT_PER_PAGE, (number - 1) * AUDIT_PER_PAGE), scalars=False)
    return [{"event": e, "user": u, "label": action_label(e.action, lang)} for e, u in rows], total


def _imports(session: Session, city: City, lang: str) -> list[dict]:
    """The city's imported files, newest first, their kind and results in ``lang``."""
    rows = session.scalars(select(ImportBatch).where(ImportBatch.city_id == city.id).order_by(ImportBatch.id.desc()))
    return [
        {"batch": b, "kind": import_kind_label(b.kind, lang), "results": import_results(b.summary, lang)} for b in rows
    ]


def _page(request, session, principal, city, *, page=1, error=None, error_at=None, saved=None, status=200):
    lang = language(request)
    events, total = _audit(session, city, page, lang)
    imports = _imports(session, city, lang)
    return render(
        request,
        "admin.html",
        principal,
        status=status,
        city=city,
        cities=[c for c in cities_and_current(session, None)[0] if principal.can(READ, c.id)],
        members=_members(session, city),
        roles=[(r.value, gettext(ROLE_LABELS[r], lang)) for r in Role],
        role_names={r.value: gettext(ROLE_LABELS[r], lang) for r in Role},
        events=events,
        audit_total=total,
        page=page,
        pages=max(1, -(-total // AUDIT_PER_PAGE)),
        imports=imports,
        area_counts=area_counts(session, city),
        can_users=principal.can(USERS, city.id),
        can_areas=principal.can(AREAS, city.id),
        error=error,
        error_at=error_at,
        saved=saved,
    )


@router.get("/admin", response_class=HTMLResponse)
def admin(
    request: Request,
    city: str | None = None,
    page: int = 1,
    saved: str | None = None,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """The city administration screen."""
    current = _city_or_response(request, session, principal, city)
    if isinstance(current, Response):
        return current
    return _page(request, session, principal, current, page=max(1, page), saved=saved)


def _write(request: Request, session: Session, principal, city: str, csrf: str, permission: str, anchor: str, fn):
    """Check the user, the CSRF token and the origin, run ``fn(session, city, user)``, then redirect back."""
    current = _city_or_response(request, session, principal, city)
    if isinstance(current, Response):
        return current
    lang = language(request)
    if not form_ok(request, csrf):
        msg = gettext("The form has expired; please try again", lang)
        return _page(request, session, principal, current, error=msg, error_at=anchor, status=400)
    try:
        who = authorize(principal, permission, current.id)
        fn(session, current, who)
        session.flush()
    except KotacerdasError as exc:
        session.rollback()
        current = session.get(City, current.id)
        return _page(request, session, principal, current, error=exc.render(lang), error_at=anchor, status=exc.status)
    return RedirectResponse(f"/admin?city={quote(current.code)}&saved={anchor}#{anchor}", status_code=303)


@router.post("/admin/users")
def add_user(
    request: Request,
    city: str = Form(...),
    username: str = Form(...),
    password: str = Form(...),
    full_name: str = Form(""),
    role: str = Form(...),
    csrf: str = Form(""),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Add a user with one role in the city (``city.manage_users``); audited."""

    def fn(s: Session, target: City, who: Principal) -> None:
        user = accounts.create_user(s, username, password, full_name=full_name, roles=[(target.code, role)])
        accounts.audit(s, target.id, who.user_id, "user.create", user.username, roles=[role])

    return _write(request, session, principal, city, csrf, USERS, "users", fn)


@router.post("/admin/roles")
def change_role(
    request: Request,
    city: str = Form(...),
    username: str = Form(...),
    role: str = Form(...),
    action: str = Form("grant"),
    csrf: str = Form(""),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
):
    """Give a role in the city to a user, or take it away (``city.manage_users``); audited."""

    def fn(s: Session, target: City, who: Principal) -> None:
        user = s.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise KotacerdasError(N_("No user {username}"), field="username", status=404, username=username)
        if action == "revoke":
            if user.id == who.user_id and role == Role.CITY_ADMIN.value:
                raise KotacerdasError(N_("You cannot take your own administrator role away"), field="role", status=409)
            accounts.revoke(s, user, target.code, role)
            accounts.audit(s, target.id, who.user_id, "user.role.revoke", user.username, role=role)
        else:
            accounts.grant(s, user, target.code, role)
            accounts.audit(s, target.id, who.user_id, "user.role.grant", user.username, role=role)

    return _write(request, session, principal, city, csrf, USERS, "users", fn)
