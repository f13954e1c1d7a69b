"""Sign-in for API clients: a bearer token for a username and password, and who the token belongs to."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.models import City
from kotacerdas.http.deps import DB_SESSION, current_principal
from kotacerdas.http.schemas import problems

router = APIRouter(tags=["auth"])


class TokenRequest(BaseModel):
    username: str = Field(max_length=200)
    password: str = Field(max_length=1000)
    label: str = Field("", max_length=200, description="What the token is for (shown in the user's token list)")


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"


class Me(BaseModel):
    username: str
    is_superuser: bool
    roles: dict[str, list[str]] = Field(description="Roles per city code")


@router.post(
    "/auth/token", response_model=TokenResponse, summary="Sign in and get a bearer token", responses=problems(401)
)
def create_token(body: TokenRequest, session: Session = DB_SESSION) -> TokenResponse:
    """Exchange a username and password for a bearer token, to send as ``Authorization: Bearer <token>``."""
    user = accounts.authenticate(session, body.username, body.password)
    return TokenResponse(access_token=accounts.issue_token(session, user, label=body.label or "api"))


@router.get("/me", response_model=Me, summary="The signed-in user and their roles", responses=problems(401))
def me(principal: Principal = Depends(current_principal), session: Session = DB_SESSION) -> Me:
    """Who the request is signed in as, and their roles in each city."""
    codes = dict(session.execute(select(City.id, City.code)).all())
    return Me(
        username=principal.username,
        is_superuser=principal.is_superuser,
        roles={codes[cid]: sorted(r.value for r in roles) for cid, roles in principal.roles.items()},
    )
