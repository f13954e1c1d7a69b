"""What every route gets from one place: the database session, the signed-in user, the language.

Routes never check roles themselves: they call :func:`authorize` (or depend on
:func:`current_principal`) with a permission name and the city of the record.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from kotacerdas.core.accounts import principal_of, user_for_token
from kotacerdas.core.auth import Principal, require
from kotacerdas.core.db import transaction
from kotacerdas.core.errors import NotAuthenticated
from kotacerdas.core.i18n import N_, negotiate, normalise_language
from kotacerdas.http.csrf import CSRF_COOKIE, SAFE_METHODS, check_cookie_write

SESSION_COOKIE = "kc_session"
LANG_COOKIE = "kc_lang"
__all__ = [
    "CSRF_COOKIE",
    "DB_SESSION",
    "LANG_COOKIE",
    "READ_SESSION",
    "SESSION_COOKIE",
    "authorize",
    "bearer_token",
    "city_id_of",
    "client_address",
    "current_principal",
    "db_session",
    "language",
    "optional_principal",
    "read_session",
]


def db_session(request: Request) -> Iterator[Session]:
    """A session per request: committed when the route returns, rolled back on any error.

    For a request that may write (POST, PUT, PATCH, DELETE) it is a write session: on SQLite its
    transaction takes the write gate and ``BEGIN IMMEDIATE`` when it first touches the database
    (see :class:`kotacerdas.core.db.WriteGate`). A route writes either through this session or
    through services that run their own transactions (``run_write``), never both.

    Always declare it through :data:`DB_SESSION` (``scope="function"``): the commit must happen
    before the response is sent, or a client could be told "done" about a change that is
    then rolled back, and its next request could miss what it just wrote.
    """
    factory = request.app.state.sessions if request.method in SAFE_METHODS else request.app.state.write_sessions
    with transaction(factory()) as session:
        yield session


def read_session(request: Request) -> Iterator[Session]:
    """A read-only session for a route that reads here and writes through services of its own (``run_write``).

    Declare it through :data:`READ_SESSION`. Unlike :func:`db_session` on a writing method, it never
    takes SQLite's write slot, so the service's own write transaction can.
    """
    with transaction(request.app.state.sessions()) as session:
        yield session


def _token(request: Request) -> str | None:
    bearer = bearer_token(request)
    if bearer is not None:
        return bearer
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        check_cookie_write(request)
        return request.app.state.signer.loads_or_none(cookie)
    return None


#: The request's database session as a route parameter: ``session: Session = DB_SESSION``.
DB_SESSION = Depends(db_session, scope="function")
#: A read-only session for routes whose writes go through services: ``session: Session = READ_SESSION``.
READ_SESSION = Depends(read_session, scope="function")


#: How a client proves who it is (documented as the API's security schemes): a bearer token from
#: ``POST /api/v1/auth/token``, or the web session cookie of the pages (with the CSRF check).
BEARER = HTTPBearer(auto_error=False, scheme_name="bearer", description="A token from POST /api/v1/auth/token")
SESSION = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, scheme_name="session", description="The web session cookie of the pages"
)


def optional_principal(
    request: Request,
    _bearer: HTTPAuthorizationCredentials | None = Security(BEARER),
    _cookie: str | None = Security(SESSION),
) -> Principal | None:
    """The signed-in user, or ``None`` for the public (401 only for a bearer token that is not valid).

    Looked up in a short read transaction of its own that ends before the route runs, so a request
    never holds one pooled connection for its sign-in while it waits for another for its work.
    """
    cached: Principal | None | bool = getattr(request.state, "principal", False)
    if cached is not False:
        return cached if isinstance(cached, Principal) else None
    token = _token(request)
    principal = None
    if token:
        with transaction(request.app.state.sessions()) as session:
            user = user_for_token(session, token)
            principal = principal_of(session, user) if user else None
        if principal is None and request.headers.get("authorization"):
            raise NotAuthenticated(N_("The token is unknown, expired or revoked"))
    request.state.principal = principal
    return principal


def current_principal(principal: Principal | None = Depends(optional_principal)) -> Principal:
    """The signed-in user; 401 for the public."""
    if principal is None:
        raise NotAuthenticated(N_("Sign in to do this"))
    return principal


def city_id_of(request: Request, code: str) -> int:
    """The id of the city ``code`` (404 when unknown), in a short read transaction of its own."""
    from kotacerdas.core.accounts import get_city

    with transaction(request.app.state.sessions()) as session:
        return get_city(session, code).id


def client_address(request: Request) -> str | None:
    """The address the request came from (the proxy's when the server is not told to trust its headers)."""
    return request.client.host if request.client else None


def bearer_token(request: Request) -> str | None:
    """The bearer token of the ``Authorization`` header, if any."""
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def authorize(principal: Principal | None, permission: str, city_id: int | None) -> Principal:
    """The one role check: ``permission`` in the city the record belongs to."""
    return require(principal, permission, city_id)


def language(request: Request) -> str:
    """The language of the response: ``?lang=``, the switch cookie, the user's setting, Accept-Language."""
    explicit = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if explicit:
        return normalise_language(explicit)
    principal = getattr(request.state, "principal", None)
    if principal is not None and principal.language:
        return normalise_language(principal.language)
    return negotiate(request.headers.get("accept-language"))
