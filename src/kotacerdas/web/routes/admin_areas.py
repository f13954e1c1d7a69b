"""Admin areas (province, regency, kecamatan, desa/kelurahan) as GeoJSON, and their import from GeoJSON."""

from __future__ import annotations

from typing import Any

import shapely
from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kotacerdas.core import accounts, spatial
from kotacerdas.core.admin_areas import is_generated
from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import KotacerdasError, NotFound
from kotacerdas.core.geometry import BBox, feature, feature_collection, from_geojson
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import AdminArea, City
from kotacerdas.http.deps import DB_SESSION, authorize, city_id_of, optional_principal
from kotacerdas.http.jobs import JobOut, start_job
from kotacerdas.http.pagination import Page, page_params, paginate_features
from kotacerdas.http.schemas import Feature, FeatureCollection, GeoJSONResponse, problems
from kotacerdas.http.uploads import received

router = APIRouter(tags=["admin areas"])


class AreaProperties(BaseModel):
    code: str = Field(description="Kemendagri code (35.10.18) or the scheme's own code")
    code_scheme: str
    name: str
    level: str = Field(description="province, regency, district (kecamatan) or village (desa/kelurahan)")
    parent_code: str | None
    city: str
    source: str = Field(
        description="Where the boundary comes from: the imported file's name, or 'derived' for a kecamatan made of "
        "its villages"
    )
    generated: bool = Field(False, description="A generated (demo) boundary, not an official one")
    distance_m: float | None = Field(None, description="With near: metres from the point")


class AreasImport(BaseModel):
    """The result of an admin-area import job."""

    created: int
    updated: int
    unchanged: int
    derived: int = Field(description="Kecamatan derived from their villages")
    skipped: list[dict[str, Any]]
    already_imported: bool
    sha256: str


def area_feature(area: AdminArea, city_code: str, distance_m: float | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {
        "code": area.code,
        "code_scheme": area.code_scheme,
        "name": area.name,
        "level": area.level,
        "parent_code": area.parent_code,
        "city": city_code,
        "source": area.source,
        "generated": is_generated(area),
    }
    if distance_m is not None:
        props["distance_m"] = round(distance_m, 2)
    return feature(area.geom, props, fid=area.id)


def _point(text: str, field: str) -> shapely.Point:
    try:
        lon, lat = (float(v) for v in text.split(","))
    except ValueError as exc:
        raise KotacerdasError(N_("{name} must be lon,lat"), field=field, name=field) from exc
    return from_geojson({"type": "Point", "coordinates": [lon, lat]})


@router.get(
    "/admin-areas",
    response_model=FeatureCollection[AreaProperties],
    response_class=GeoJSONResponse,
    summary="Admin areas as GeoJSON, filtered by city, level, bbox, distance or polygon (public)",
    responses=problems(400, 404),
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
    """Admin areas, paged; ``near`` with ``within_m`` lists the nearest first, ``nearest`` gives the N nearest."""
    filters = []
    if city:
        filters.append(AdminArea.city_id == accounts.get_city(session, city).id)
    if level:
        filters.append(AdminArea.level == level)
    stmt = select(AdminArea, City.code).join(City, City.id == AdminArea.city_id).where(*filters)
    if near and nearest:
        pairs = spatial.nearest(session, select(AdminArea).where(*filters), AdminArea, _point(near, "near"), nearest)
        codes = dict(session.execute(select(City.id, City.code)).all())
        features = [area_feature(a, codes[a.city_id], d) for a, d in pairs]
        return feature_collection(features, numberMatched=len(features), numberReturned=len(features))
    if bbox:
        stmt = spatial.where_in_bbox(session, stmt, AdminArea, BBox.parse(bbox)).order_by(AdminArea.id)
    elif intersects:
        stmt = spatial.where_intersects(session, stmt, AdminArea, from_geojson(intersects)).order_by(AdminArea.id)
    elif near and within_m:
        point = _point(near, "near")
        dist = spatial.distance_expr(session, AdminArea, point)
        stmt = spatial.where_within(session, stmt, AdminArea, point, within_m).add_columns(dist)
        return paginate_features(
            session, stmt, page, request, lambda row: area_feature(row[0], row[1], float(row[2])), scalars=False
        )
    elif near:
        raise KotacerdasError(N_("near needs within_m or nearest"), field="near")
    else:
        stmt = stmt.order_by(AdminArea.id)
    return paginate_features(session, stmt, page, request, lambda row: area_feature(row[0], row[1]), scalars=False)


@router.get(
    "/admin-areas/{area_id}",
    response_model=Feature[AreaProperties],
    response_class=GeoJSONResponse,
    summary="One admin area as a GeoJSON Feature",
    responses=problems(404),
)
def get_admin_area(area_id: int, session: Session = DB_SESSION):
    """One admin area with its boundary."""
    area = session.get(AdminArea, area_id)
    if area is None:
        raise NotFound(N_("No admin area with id {id}"), id=area_id)
    return area_feature(area, area.city.code)


@router.post(
    "/cities/{code}/admin-areas",
    status_code=202,
    response_model=JobOut[AreasImport],
    summary="Import admin areas from GeoJSON: a background job",
    responses=problems(400, 401, 403, 404, 413),
)
async def upload_admin_areas(
    code: str,
    request: Request,
    file: UploadFile = File(..., description="GeoJSON FeatureCollection"),
    skip_invalid: bool = Query(False, description="Import the valid features and list the others"),
    principal: Principal | None = Depends(optional_principal),
):
    """Import (or update) a city's admin areas from a GeoJSON file (``city.import_areas``) as a background job:
    answers 202 with the job, whose result is an `AreasImport`. The same file twice changes nothing."""
    city_id = await run_in_threadpool(city_id_of, request, code)
    who = authorize(principal, "city.import_areas", city_id)
    async with received(file, request) as upload:
        return await run_in_threadpool(
            start_job,
            request,
            "admin_areas.import",
            {"city": code, "skip_invalid": skip_invalid},
            principal=who,
            city_id=city_id,
            upload=upload,
        )
