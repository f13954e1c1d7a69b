"""Cities, users, memberships and tokens: creating them and signing in."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core.auth import Principal, Role, hash_password, new_token, token_digest, verify_password
from kotacerdas.core.db import utcnow
from kotacerdas.core.errors import Conflict, KotacerdasError, NotAuthenticated, NotFound
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import ApiToken, AuditEvent, City, Membership, User

CITY_CODE = re.compile(r"^(\d{2}(\.\d{2})?|[A-Z]{2}(-[A-Z0-9]{1,3})?)$")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
SESSION_DAYS = 14


def check_city_code(code: str) -> str:
    """A Kemendagri code (``35``, ``35.10``) or an ISO 3166-2 based code (``SG``, ``TH-10``)."""
    code = code.strip()
    if not CITY_CODE.match(code):
        raise KotacerdasError(
            N_("{code} is not a Kemendagri area code (like 35.10) or an ISO 3166-2 code (like TH-10)"),
            field="code",
            code=code,
        )
    return code


def get_city(session: Session, code: str) -> City:
    """The city with ``code``, or a 404 error."""
    city = session.scalar(select(City).where(City.code == code))
    if city is None:
        raise NotFound(N_("No city with code {code}"), field="city", code=code)
    return city


def ensure_city(session: Session, code: str, name: str, **fields) -> City:
    """Create the city ``code`` or update its name and fields (idempotent)."""
    code = check_city_code(code)
    city = session.scalar(select(City).where(City.code == code))
    if city is None:
        city = City(code=code, name=name, **fields)
        session.add(city)
    else:
        city.name = name
        for key, value in fields.items():
            setattr(city, key, value)
    session.flush()
    return city


def create_user(
    session: Session,
    username: str,
    password: str,
    *,
    full_name: str = "",
    email: str | None = None,
    superuser: bool = False,
    roles: list[tuple[str, str]] = (),
    language: str | None = None,
) -> User:
    """Create a user with ``roles`` as ``(city_code, role)`` pairs."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise KotacerdasError(
            N_("A username has 3 to 80 lower-case letters, digits, dots, dashes or underscores"), field="username"
        )
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise Conflict(N_("The username {username} is taken"), field="username", username=username)
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        password_hash=hash_password(password),
        is_superuser=superuser,
        language=language,
    )
    session.add(user)
    session.flush()
    for city_code, role in roles:
        grant(session, user, city_code, role)
    return user


def grant(session: Session, user: User, city_code: str, role: str) -> Membership:
    """Give ``user`` the ``role`` in the city ``city_code`` (idempotent)."""
    try:
        role_enum = Role(role)
    except ValueError as exc:
        raise KotacerdasError(
            N_("Unknown role {role}; roles are: {roles}"),
            field="role",
            role=role,
            roles=", ".join(r.value for r in Role),
        ) from exc
    city = get_city(session, city_code)
    existing = session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.city_id == city.id, Membership.role == role_enum.value
        )
    )
    if existing:
        return existing
    membership = Membership(user_id=user.id, city_id=city.id, role=role_enum.value)
    session.add(membership)
    session.flush()
    return membership


def revoke(session: Session, user: User, city_code: str, role: str) -> bool:
    """Take ``role`` in the city ``city_code`` away from ``user``; whether they held it."""
    city = get_city(session, city_code)
    found = session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.city_id == city.id, Membership.role == role)
    )
    if found is None:
        return False
    session.delete(found)
    session.flush()
    return True


def principal_of(session: Session, user: User) -> Principal:
    """The authorisation view of ``user``."""
    roles: dict[int, set[Role]] = {}
    for m in session.scalars(select(Membership).where(Membership.user_id == user.id)):
        roles.setdefault(m.city_id, set()).add(Role(m.role))
    return Principal(
        user_id=user.id,
        username=user.username,
        is_superuser=user.is_superuser,
        roles={cid: frozenset(r) for cid, r in roles.items()},
        language=user.language,
    )


def authenticate(session: Session, username: str, password: str) -> User:
    """The active user with these credentials, or a 401 error (same message either way)."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        raise NotAuthenticated(N_("Wrong username or password"), field="password")
    return user


def issue_token(session: Session, user: User, *, kind: str = "api", label: str = "", days: int | None = None) -> str:
    """A new bearer token (``kind="session"`` for web sessions); only its digest is stored."""
    token, digest = new_token()
    days = SESSION_DAYS if days is None and kind == "session" else days
    expires = utcnow() + timedelta(days=days) if days else None
    session.add(ApiToken(user_id=user.id, token_hash=digest, kind=kind, label=label, expires_at=expires))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The user a live token belongs to, or ``None``."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token)))
    if row is None or row.revoked or (row.expires_at is not None and row.expires_at < utcnow()):
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.is_active else None


def revoke_token(session: Session, token: str) -> None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token)))
    if row is not None:
        row.revoked = True


def audit(session: Session, city_id: int | None, user_id: int | None, action: str, target: str = "", **detail) -> None:
    """Record a change in the city's audit log (same transaction as the change)."""
    session.add(AuditEvent(city_id=city_id, user_id=user_id, action=action, target=target, detail=detail))
