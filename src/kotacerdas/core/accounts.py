"""Cities, users, memberships and tokens: creating them and signing in."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.core.auth import Principal, Role, hash_password, new_token, token_digest, verify_password
from kotacerdas.core.db import run_write, session_scope, utcnow
from kotacerdas.core.errors import Conflict, KotacerdasError, NotAuthenticated, NotFound, TooManyRequests
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import ApiToken, AuditEvent, City, Membership, SignInFailure, User

CITY_CODE = re.compile(r"^(\d{2}(\.\d{2})?|[A-Z]{2}(-[A-Z0-9]{1,3})?)$")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
SESSION_DAYS = 14
#: Days an API token lives (rotate it before: ``POST /api/v1/auth/token/rotate``).
API_TOKEN_DAYS = 30
#: The sign-in rate limit: at most this many failures per account, and per address, within the window.
SIGN_IN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 10
MAX_FAILURES_PER_ADDRESS = 50


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
    roles: Sequence[tuple[str, str]] = (),
    language: str | None = None,
    password_hash: str | None = None,
) -> User:
    """Create a user with ``roles`` as ``(city_code, role)`` pairs.

    ``password_hash`` (:func:`kotacerdas.core.auth.hash_password` of ``password``, computed before the
    transaction so that no write waits for the hashing) is stored when given.
    """
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
        password_hash=password_hash or hash_password(password),
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
    """The active user with these credentials, or a 401 error (same message either way).

    An unknown name is checked against a dummy hash, so it takes as long as a known one. Sign-ins from
    outside (the API, the pages, the rider app) go through :func:`check_sign_in`, which adds the rate limit.
    """
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if not verify_password(user.password_hash if user is not None else None, password):
        raise _wrong()
    if user is None or not user.is_active:
        raise _wrong()
    return user


def _wrong() -> NotAuthenticated:
    return NotAuthenticated(N_("Wrong username or password"), field="password")


def _limited(session: Session, column, value: str, limit: int, now: datetime) -> int | None:
    """Seconds until a failure of ``column == value`` leaves the window, when ``limit`` of them are in it."""
    since = now - SIGN_IN_WINDOW
    times = session.scalars(
        select(SignInFailure.at)
        .where(column == value, SignInFailure.at > since)
        .order_by(SignInFailure.at.desc())
        .limit(limit)
    ).all()
    if len(times) < limit:
        return None
    return max(1, int((times[-1] + SIGN_IN_WINDOW - now).total_seconds()) + 1)


def _check_limits(session: Session, name: str, address: str, now: datetime) -> bool:
    """Raise 429 when the account or the address is over its limit; whether the account has recent failures."""
    for column, value, limit in (
        (SignInFailure.username, name, MAX_FAILURES_PER_ACCOUNT),
        (SignInFailure.address, address, MAX_FAILURES_PER_ADDRESS),
    ):
        wait = _limited(session, column, value, limit, now)
        if wait is not None:
            error = TooManyRequests(
                N_("Too many failed sign-ins; try again in {minutes} minutes"),
                field="password",
                minutes=max(1, round(wait / 60)),
            )
            error.retry_after = wait
            raise error
    failed = select(SignInFailure.id).where(SignInFailure.username == name, SignInFailure.at > now - SIGN_IN_WINDOW)
    return session.scalar(failed.limit(1)) is not None


def check_sign_in(engine: Engine, username: str, password: str, *, address: str | None) -> int:
    """The id of the active user with these credentials: the one sign-in check of the platform.

    Refused with 429 (``Retry-After``) while the account has :data:`MAX_FAILURES_PER_ACCOUNT` or the address
    :data:`MAX_FAILURES_PER_ADDRESS` failures within :data:`SIGN_IN_WINDOW`, before the password is looked at;
    a wrong password (or an unknown or inactive user, checked against a dummy hash so it takes the same time)
    is recorded in ``sign_in_failures`` (shared by every process of the deployment) and answered 401. The hash
    is checked outside any transaction: no connection and no write slot is held meanwhile.
    """
    name = username.strip().lower()[:200]
    where = (address or "unknown")[:64]
    now = utcnow()
    with session_scope(engine) as session:
        failed_before = _check_limits(session, name, where, now)
        user = session.scalar(select(User).where(User.username == name))
        known = (user.id, user.is_active, user.password_hash) if user is not None else None
    if not verify_password(known[2] if known else None, password) or known is None or not known[1]:
        run_write(engine, lambda s: _record_failure(s, name, where, now))
        raise _wrong()
    if failed_before:  # the right password: the account's earlier failures are forgiven (not the address's)
        run_write(engine, lambda s: _forget_failures(s, name))
    return known[0]


def _record_failure(session: Session, name: str, address: str, now: datetime) -> None:
    session.execute(delete(SignInFailure).where(SignInFailure.at < now - SIGN_IN_WINDOW))
    session.add(SignInFailure(username=name, address=address, at=now))


def _forget_failures(session: Session, name: str) -> None:
    session.execute(delete(SignInFailure).where(SignInFailure.username == name))


@dataclass(frozen=True)
class SignedIn:
    """A successful sign-in: who, and the new token."""

    user_id: int
    username: str
    language: str | None
    token: str
    expires_at: datetime | None


def sign_in(
    engine: Engine,
    username: str,
    password: str,
    *,
    address: str | None,
    kind: str = "api",
    label: str = "",
) -> SignedIn:
    """:func:`check_sign_in`, then a new token of ``kind`` for the user (its own short write transaction)."""
    user_id = check_sign_in(engine, username, password, address=address)

    def body(s: Session) -> SignedIn:
        user = s.get_one(User, user_id)
        token = issue_token(s, user, kind=kind, label=label)
        row = s.scalars(select(ApiToken).where(ApiToken.token_hash == token_digest(token))).one()
        return SignedIn(user.id, user.username, user.language, token, row.expires_at)

    return run_write(engine, body)


def issue_token(session: Session, user: User, *, kind: str = "api", label: str = "", days: int | None = None) -> str:
    """A new bearer token (``kind="session"`` for web sessions); only its digest is stored.

    Every token has a lifetime: ``days``, or :data:`SESSION_DAYS` for a web session and :data:`API_TOKEN_DAYS`
    for an API token; :func:`rotate_token` exchanges a live one for a new one.
    """
    token, digest = new_token()
    if days is None:
        days = SESSION_DAYS if kind == "session" else API_TOKEN_DAYS
    expires = utcnow() + timedelta(days=days)
    session.add(ApiToken(user_id=user.id, token_hash=digest, kind=kind, label=label[:200], expires_at=expires))
    session.flush()
    return token


def _live(row: ApiToken | None, now: datetime) -> bool:
    # every token has a lifetime (migration 0013 gave one to those issued before): none without lives for ever
    return row is not None and not row.revoked and row.expires_at is not None and row.expires_at > now


def rotate_token(session: Session, token: str) -> tuple[str, ApiToken]:
    """A new token in place of the live ``token`` (same user, kind and label, a fresh lifetime); the old one is
    revoked at once. 401 for a token that is not live."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token)))
    if row is None or not _live(row, utcnow()):
        raise NotAuthenticated(N_("The token is unknown, expired or revoked"))
    row.revoked = True
    new = issue_token(session, row.user, kind=row.kind, label=row.label)
    return new, session.scalars(select(ApiToken).where(ApiToken.token_hash == token_digest(new))).one()


def tokens_of(session: Session, user_id: int, *, include_dead: bool = False) -> list[ApiToken]:
    """The user's tokens, the newest first: the live ones (also the revoked and expired with ``include_dead``)."""
    rows = session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())).all()
    now = utcnow()
    return [r for r in rows if include_dead or _live(r, now)]


def revoke_token_id(session: Session, user_id: int, token_id: int) -> ApiToken:
    """Revoke the user's token ``token_id`` (404 for a token of anyone else)."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user_id:
        raise NotFound(N_("No token {id} of yours"), field="token_id", id=token_id)
    row.revoked = True
    return row


def revoke_all_tokens(session: Session, user_id: int) -> int:
    """Revoke every live token of the user (their sessions too); the number revoked."""
    rows = tokens_of(session, user_id)
    for row in rows:
        row.revoked = True
    return len(rows)


def set_password(session: Session, user: User, password_hash: str) -> int:
    """Store a new password hash (:func:`kotacerdas.core.auth.hash_password`, computed before the transaction)
    and revoke every token and session of the user: the number revoked."""
    user.password_hash = password_hash
    return revoke_all_tokens(session, user.id)


def user_for_token(session: Session, token: str) -> User | None:
    """The user a live token belongs to, or ``None``."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token)))
    if row is None or not _live(row, utcnow()):
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
