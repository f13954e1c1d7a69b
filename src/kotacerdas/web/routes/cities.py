"""Cities: the public list and each city's page data; members, audit log and imports (private to the city)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.models import AdminArea, AuditEvent, City, ImportBatch, Membership, User
from kotacerdas.http.deps import DB_SESSION, authorize, optional_principal
from kotacerdas.http.pagination import Page, Paged, page_params, paginate
from kotacerdas.http.schemas import problems

router = APIRouter(tags=["cities"])


class CityOut(BaseModel):
    code: str = Field(description="Kemendagri code (35.10) or ISO 3166-2 based code")
    name: str
    country: str
    kind: str
    timezone: str
    center: list[float] | None = Field(None, description="[lon, lat]")
    is_demo: bool


class CityDetail(CityOut):
    admin_areas: dict[str, int] = Field(description="Admin areas stored per level")


class Member(BaseModel):
    username: str
    full_name: str
    roles: list[str]


class MemberCreate(BaseModel):
    username: str = Field(min_length=3, max_length=80)
    password: str = Field(min_length=8, max_length=1000)
    full_name: str = Field("", max_length=200)
    email: str | None = Field(None, max_length=200)
    roles: list[str] = Field(min_length=1)


class MemberCreated(BaseModel):
    username: str
    roles: list[str]


class AuditEntry(BaseModel):
    action: str
    target: str
    detail: dict[str, Any]
    at: datetime


class ImportEntry(BaseModel):
    kind: str
    filename: str
    sha256: str
    summary: dict[str, Any]
    at: datetime


def city_json(city: City) -> dict[str, Any]:
    """The public fields of a city."""
    return {
        "code": city.code,
        "name": city.name,
        "country": city.country,
        "kind": city.kind,
        "timezone": city.timezone,
        "center": [city.center_lon, city.center_lat] if city.center_lon is not None else None,
        "is_demo": city.is_demo,
    }


@router.get("/cities", response_model=list[CityOut], summary="Cities on this platform (public)")
def list_cities(session: Session = DB_SESSION) -> list[dict]:
    """Every city running kotacerdas on this server, by code."""
    return [city_json(c) for c in session.scalars(select(City).order_by(City.code))]


@router.get("/cities/{code}", response_model=CityDetail, summary="One city (public)", responses=problems(404))
def get_city(code: str, session: Session = DB_SESSION) -> dict:
    """A city and how many admin areas of each level it has stored."""
    city = accounts.get_city(session, code)
    out = city_json(city)
    out["admin_areas"] = dict(
        session.execute(
            select(AdminArea.level, func.count()).where(AdminArea.city_id == city.id).group_by(AdminArea.level)
        ).all()
    )
    return out


@router.get(
    "/cities/{code}/members",
    response_model=list[Member],
    summary="Users and roles of a city (private)",
    responses=problems(401, 403, 404),
)
def list_members(
    code: str, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> list[dict]:
    """The city's users with their roles in it (``city.read_private``)."""
    city = accounts.get_city(session, code)
    authorize(principal, "city.read_private", city.id)
    rows = session.execute(
        select(User.username, User.full_name, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.city_id == city.id)
        .order_by(User.username, Membership.role)
    ).all()
    members: dict[str, dict] = {}
    for username, full_name, role in rows:
        members.setdefault(username, {"username": username, "full_name": full_name, "roles": []})["roles"].append(role)
    return list(members.values())


@router.post(
    "/cities/{code}/members",
    status_code=201,
    response_model=MemberCreated,
    summary="Create a user in a city",
    responses=problems(400, 401, 403, 404, 409),
)
def create_member(
    code: str,
    body: MemberCreate,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Create a user with roles in this city (``city.manage_users``); audited."""
    city = accounts.get_city(session, code)
    who = authorize(principal, "city.manage_users", city.id)
    user = accounts.create_user(
        session,
        body.username,
        body.password,
        full_name=body.full_name,
        email=body.email,
        roles=[(city.code, r) for r in body.roles],
    )
    accounts.audit(session, city.id, who.user_id, "user.create", user.username, roles=body.roles)
    return {"username": user.username, "roles": sorted(body.roles)}


@router.get(
    "/cities/{code}/audit",
    response_model=Paged[AuditEntry],
    summary="The city's audit log (private)",
    responses=problems(401, 403, 404),
)
def list_audit(
    code: str,
    request: Request,
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Who changed what and when in this city, newest first (``city.read_private``)."""
    city = accounts.get_city(session, code)
    authorize(principal, "city.read_private", city.id)
    stmt = select(AuditEvent).where(AuditEvent.city_id == city.id).order_by(AuditEvent.id.desc())
    return paginate(
        session,
        stmt,
        page,
        request,
        lambda e: {"action": e.action, "target": e.target, "detail": e.detail, "at": e.created_at},
    )


@router.get(
    "/cities/{code}/imports",
    response_model=list[ImportEntry],
    summary="Files imported for the city (private)",
    responses=problems(401, 403, 404),
)
def list_imports(
    code: str, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> list[dict]:
    """Every file imported for the city (admin areas, network, surveys ...) with its checksum and summary."""
    city = accounts.get_city(session, code)
    authorize(principal, "city.read_private", city.id)
    rows = session.scalars(select(ImportBatch).where(ImportBatch.city_id == city.id).order_by(ImportBatch.id))
    return [
        {"kind": b.kind, "filename": b.filename, "sha256": b.sha256, "summary": b.summary, "at": b.created_at}
        for b in rows
    ]
