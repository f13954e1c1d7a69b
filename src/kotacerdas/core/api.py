"""HTTP routes of the core: cities, admin areas, sign-in, members, audit and imports.

Thin: each route parses the request, checks the role once through
:func:`kotacerdas.web.deps.authorize` and calls a core function.
"""

from __future__ import annotations

from typing import Any

import shapely
from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts, spatial
from kotacerdas.core.admin_areas import import_areas
from kotacerdas.core.auth import Principal
from kotacerdas.core.config import get_settings
from kotacerdas.core.errors import KotacerdasError, NotFound, PayloadTooLarge
from kotacerdas.core.geometry import BBox, feature, feature_collection, from_geojson
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import AdminArea, AuditEvent, City, ImportBatch, Membership, User
from kotacerdas.web.deps import DB_SESSION, authorize, current_principal, optional_principal
from kotacerdas.web.pagination import Page, page_params

router = APIRouter()


class TokenRequest(BaseModel):
    username: str
    password: str
    label: str = ""


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"


class MemberCreate(BaseModel):
    username: str = Field(min_length=3, max_length=80)
    password: str = Field(min_length=8)
    full_name: str = ""
    email: str | None = None
    roles: list[str] = Field(min_length=1)


def city_json(city: City) -> dict[str, Any]:
    return {
        "code": city.code,
        "name": city.name,
        "country": city.country,
        "kind": city.kind,
        "timezone": city.timezone,
        "center": [city.center_lon, city.center_lat] if city.center_lon is not None else None,
        "is_demo": city.is_demo,
    }


def area_feature(area: AdminArea, city_code: str) -> dict[str, Any]:
    return feature(
        area.geom,
        {
            "code": area.code,
            "code_scheme": area.code_scheme,
            "name": area.name,
            "level": area.level,
            "parent_code": area.parent_code,
            "city": city_code,
            "source": area.source,
        },
        fid=area.id,
    )


async def read_upload(upload: UploadFile) -> bytes:
    """The upload's bytes, refused past the configured size without reading it all."""
    limit = get_settings().max_upload_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(
            N_("The file is larger than the limit of {mb} MB"), field="file", mb=get_settings().max_upload_mb
        )
    return data


@router.post("/auth/token", response_model=TokenResponse, tags=["auth"], summary="Sign in and get a bearer token")
def create_token(body: TokenRequest, session: Session = DB_SESSION) -> TokenResponse:
    user = accounts.authenticate(session, body.username, body.password)
    return TokenResponse(access_token=accounts.issue_token(session, user, label=body.label or "api"))


@router.get("/me", tags=["auth"], summary="The signed-in user and their roles")
def me(principal: Principal = Depends(current_principal), session: Session = DB_SESSION) -> dict:
    codes = dict(session.execute(select(City.id, City.code)).all())
    return {
        "username": principal.username,
        "is_superuser": principal.is_superuser,
        "roles": {codes[cid]: sorted(r.value for r in roles) for cid, roles in principal.roles.items()},
    }


@router.get("/cities", tags=["cities"], summary="Cities on this platform (public)")
def list_cities(session: Session = DB_SESSION) -> list[dict]:
    return [city_json(c) for c in session.scalars(select(City).order_by(City.code))]


@router.get("/cities/{code}", tags=["cities"], summary="One city (public)")
def get_city(code: str, session: Session = DB_SESSION) -> dict:
    city = accounts.get_city(session, code)
    out = city_json(city)
    out["admin_areas"] = dict(
        session.execute(
            select(AdminArea.level, func.count()).where(AdminArea.city_id == city.id).group_by(AdminArea.level)
        ).all()
    )
    return out


def _point(text: str, field: str) -> shapely.Point:
    try:
        lon, lat = (float(v) for v in text.split(","))
    except ValueError as exc:
        raise KotacerdasError(N_("{field} must be lon,lat"), field=field) from exc
    return from_geojson({"type": "Point", "coordinates": [lon, lat]})


@router.get(
    "/admin-areas",
    tags=["admin areas"],
    summary="Admin areas as GeoJSON, filtered by city, level, bbox, distance or polygon (public)",
    responses={200: {"content": {"application/geo+json": {}}}},
)
def list_admin_areas(
    request: Request,
    city: str | None = Query(None, description="City code, e.g. 35.10"),
    level: str | None = Query(None, description="province, regency, district or village"),
    bbox: str | None = Query(None, description="west,south,east,north (WGS84)"),
    near: str | None = Query(None, description="lon,lat: with within_m, areas within that distance"),
    within_m: float | None = Query(None, gt=0, le=1_000_000),
    nearest: int | None = Query(None, ge=1, le=100, description="with near: the N nearest areas"),
    intersects: str | None = Query(None, description="a GeoJSON geometry"),
    page: Page = Depends(page_params),
    session: Session = DB_SESSION,
):
    stmt = select(AdminArea)
    if city:
        stmt = stmt.where(AdminArea.city_id == accounts.get_city(session, city).id)
    if level:
        stmt = stmt.where(AdminArea.level == level)
    distances: dict[int, float] = {}
    if bbox:
        rows = spatial.in_bbox(session, stmt, AdminArea, BBox.parse(bbox))
    elif intersects:
        rows = spatial.intersecting(session, stmt, AdminArea, from_geojson(intersects))
    elif near and nearest:
        pairs = spatial.nearest(session, stmt, AdminArea, _point(near, "near"), nearest)
        rows, distances = [p[0] for p in pairs], {p[0].id: p[1] for p in pairs}
    elif near and within_m:
        rows = spatial.within_distance(session, stmt, AdminArea, _point(near, "near"), within_m)
    elif near:
        raise KotacerdasError(N_("near needs within_m or nearest"), field="near")
    else:
        rows = list(session.scalars(stmt.order_by(AdminArea.id)))
    codes = dict(session.execute(select(City.id, City.code)).all())
    selected = page.slice(rows)
    features = []
    for a in selected:
        f = area_feature(a, codes[a.city_id])
        if a.id in distances:
            f["properties"]["distance_m"] = round(distances[a.id], 2)
        features.append(f)
    body = feature_collection(
        features, numberMatched=len(rows), numberReturned=len(selected), links=page.links(request, len(rows))
    )
    return JSONResponse(body, media_type="application/geo+json")


@router.get("/admin-areas/{area_id}", tags=["admin areas"], summary="One admin area as a GeoJSON Feature")
def get_admin_area(area_id: int, session: Session = DB_SESSION):
    area = session.get(AdminArea, area_id)
    if area is None:
        raise NotFound(N_("No admin area with id {id}"), id=area_id)
    return JSONResponse(area_feature(area, area.city.code), media_type="application/geo+json")


@router.post("/cities/{code}/admin-areas", tags=["admin areas"], summary="Import admin areas from GeoJSON")
async def upload_admin_areas(
    code: str,
    file: UploadFile = File(..., description="GeoJSON FeatureCollection"),
    skip_invalid: bool = Query(False),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    city = accounts.get_city(session, code)
    authorize(principal, "city.import_areas", city.id)
    data = await read_upload(file)
    result = import_areas(
        session, city, data, filename=file.filename or "", user_id=principal.user_id, skip_invalid=skip_invalid
    )
    if not result.already_imported:
        accounts.audit(
            session,
            city.id,
            principal.user_id,
            "admin_areas.import",
            file.filename or "",
            **{k: v for k, v in result.as_dict().items() if k != "skipped"},
        )
    return result.as_dict()


@router.get("/cities/{code}/members", tags=["cities"], summary="Users and roles of a city (private)")
def list_members(
    code: str, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> list[dict]:
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


@router.post("/cities/{code}/members", tags=["cities"], status_code=201, summary="Create a user in a city")
def create_member(
    code: str,
    body: MemberCreate,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    city = accounts.get_city(session, code)
    authorize(principal, "city.manage_users", city.id)
    user = accounts.create_user(
        session,
        body.username,
        body.password,
        full_name=body.full_name,
        email=body.email,
        roles=[(city.code, r) for r in body.roles],
    )
    accounts.audit(session, city.id, principal.user_id, "user.create", user.username, roles=body.roles)
    return {"username": user.username, "roles": sorted(body.roles)}


@router.get("/cities/{code}/audit", tags=["cities"], summary="The city's audit log (private)")
def list_audit(
    code: str,
    request: Request,
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    city = accounts.get_city(session, code)
    authorize(principal, "city.read_private", city.id)
    stmt = select(AuditEvent).where(AuditEvent.city_id == city.id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(AuditEvent.id.desc()).limit(page.limit).offset(page.offset))
    items = [{"action": e.action, "target": e.target, "detail": e.detail, "at": e.created_at.isoformat()} for e in rows]
    return {"items": items, "total": total, "links": page.links(request, total)}


@router.get("/cities/{code}/imports", tags=["cities"], summary="Files imported for the city (private)")
def list_imports(
    code: str, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> list[dict]:
    city = accounts.get_city(session, code)
    authorize(principal, "city.read_private", city.id)
    rows = session.scalars(select(ImportBatch).where(ImportBatch.city_id == city.id).order_by(ImportBatch.id))
    return [
        {
            "kind": b.kind,
            "filename": b.filename,
            "sha256": b.sha256,
            "summary": b.summary,
            "at": b.created_at.isoformat(),
        }
        for b in rows
    ]
