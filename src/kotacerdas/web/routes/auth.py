"""Sign-in for API clients: bearer tokens (issued, rotated, listed, revoked), the password, who the token is.

Every sign-in goes through :func:`kotacerdas.core.accounts.check_sign_in` (rate limited per account and per
address, 429 with ``Retry-After``; unknown names cost the same time as known ones). Tokens live
:data:`~kotacerdas.core.accounts.API_TOKEN_DAYS` days unless rotated; a new password revokes every token.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal, hash_password, token_digest
from kotacerdas.core.db import run_write
from kotacerdas.core.errors import NotAuthenticated
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City, User
from kotacerdas.http.deps import DB_SESSION, bearer_token, client_address, current_principal
from kotacerdas.http.schemas import problems

router = APIRouter(tags=["auth"])


class TokenRequest(BaseModel):
    username: str = Field(max_length=200)
    password: str = Field(max_length=1000)
    label: str = Field("", max_length=200, description="What the token is for (shown in the user's token list)")


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime | None = Field(None, description="When the token stops working (rotate it before)")


class TokenInfo(BaseModel):
    """One of the user's live tokens (never the token itself: only its digest is stored)."""

    id: int
    kind: str = Field(description="api (a bearer token) or session (a web sign-in)")
    label: str
    created_at: datetime
    expires_at: datetime | None
    current: bool = Field(description="The token this request was made with")


class PasswordChange(BaseModel):
    current_password: str = Field(max_length=1000)
    new_password: str = Field(min_length=8, max_length=1000)


class Me(BaseModel):
    username: str
    is_superuser: bool
    roles: dict[str, list[str]] = Field(description="Roles per city code")


def _answer(signed: accounts.SignedIn) -> TokenResponse:
    return TokenResponse(access_token=signed.token, expires_at=signed.expires_at)


@router.post(
    "/auth/token",
    response_model=TokenResponse,
    summary="Sign in and get a bearer token",
    responses=problems(401, 422, 429, 503),
)
def create_token(body: TokenRequest, request: Request) -> TokenResponse:
    """Exchange a username and password for a bearer token, to send as ``Authorization: Bearer <token>``.
    The token lives 30 days (rotate it before). Too many failed attempts for an account or from an address
    within 15 minutes are refused (429, ``Retry-After``)."""
    signed = accounts.sign_in(
        request.app.state.engine,
        body.username,
        body.password,
        address=client_address(request),
        label=body.label or "api",
    )
    return _answer(signed)


@router.post(
    "/auth/token/rotate",
    response_model=TokenResponse,
    summary="Exchange the bearer token for a new one",
    responses=problems(401, 503),
)
def rotate(request: Request) -> TokenResponse:
    """A new token with a fresh lifetime in place of the bearer token of this request, which stops working at
    once (401 for a token that is unknown, expired or revoked)."""
    token = bearer_token(request)
    if not token:
        raise NotAuthenticated(N_("Sign in to do this"))

    def body(s: Session) -> TokenResponse:
        new, row = accounts.rotate_token(s, token)
        return TokenResponse(access_token=new, expires_at=row.expires_at)

    return run_write(request.app.state.engine, body)


def _token_info(row, current: str | None) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        kind=row.kind,
        label=row.label,
        created_at=row.created_at,
        expires_at=row.expires_at,
        current=current is not None and row.token_hash == current,
    )


@router.get(
    "/me/tokens",
    response_model=list[TokenInfo],
    summary="The signed-in user's live tokens and sessions",
    responses=problems(401),
)
def my_tokens(
    request: Request, principal: Principal = Depends(current_principal), session: Session = DB_SESSION
) -> list[TokenInfo]:
    """Every live token (API clients) and session (web sign-ins) of the signed-in user, the newest first."""
    token = bearer_token(request)
    current = token_digest(token) if token else None
    return [_token_info(r, current) for r in accounts.tokens_of(session, principal.user_id)]


@router.delete(
    "/me/tokens/{token_id}",
    status_code=204,
    response_class=Response,
    summary="Revoke one of the signed-in user's tokens",
    responses=problems(401, 403, 404),
)
def revoke_my_token(
    token_id: int, principal: Principal = Depends(current_principal), session: Session = DB_SESSION
) -> Response:
    """The token (or web session) stops working at once; 404 for a token of anyone else."""
    accounts.revoke_token_id(session, principal.user_id, token_id)
    return Response(status_code=204)


@router.post(
    "/me/password",
    response_model=TokenResponse,
    summary="Change the password (every token and session is revoked)",
    responses=problems(400, 401, 403, 422, 429, 503),
)
def change_password(
    body: PasswordChange, request: Request, principal: Principal = Depends(current_principal)
) -> TokenResponse:
    """Needs the current password (rate limited like a sign-in). Every token and web session of the user stops
    working, this request's too; the answer carries a new token."""
    engine = request.app.state.engine
    accounts.check_sign_in(engine, principal.username, body.current_password, address=client_address(request))
    new_hash = hash_password(body.new_password)

    def write(s: Session) -> TokenResponse:
        user = s.get_one(User, principal.user_id)
        accounts.set_password(s, user, new_hash)
        token = accounts.issue_token(s, user, label="api")
        row = accounts.tokens_of(s, user.id)[0]
        return TokenResponse(access_token=token, expires_at=row.expires_at)

    return run_write(engine, write)


@router.get("/me", response_model=Me, summary="The signed-in user and their roles", responses=problems(401))
def me(principal: Principal = Depends(current_principal), session: Session = DB_SESSION) -> Me:
    """Who the request is signed in as, and their roles in each city."""
    codes = dict(session.execute(select(City.id, City.code)).all())
    return Me(
        username=principal.username,
        is_superuser=principal.is_superuser,
        roles={codes[cid]: sorted(r.value for r in roles) for cid, roles in principal.roles.items()},
    )
