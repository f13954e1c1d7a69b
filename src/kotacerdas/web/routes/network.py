"""The city's road network: import or update it from an OpenStreetMap extract (shared by every domain)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.db import session_scope
from kotacerdas.core.geometry import BBox
from kotacerdas.http.deps import optional_principal
from kotacerdas.http.schemas import problems
from kotacerdas.http.uploads import received

router = APIRouter(tags=["road network"])


class NetworkImport(BaseModel):
    filename: str
    sha256: str
    already_imported: bool
    segments: int
    created: int
    updated: int
    unchanged: int
    retired: int
    ways_read: int
    excluded: dict[str, int]
    length_km: float


def _import(engine, code: str, path, name: str, bbox, user_id: int | None) -> dict:
    from kotacerdas.network.store import import_network

    with session_scope(engine) as session:
        city = accounts.get_city(session, code)
        result = import_network(session, city, path, bbox=bbox, user_id=user_id, filename=name)
        if not result.already_imported:
            accounts.audit(
                session,
                city.id,
                user_id,
                "roads.network.import",
                name,
                created=result.created,
                updated=result.updated,
                retired=result.retired,
            )
        return result.as_dict()


@router.post(
    "/cities/{code}/network",
    response_model=NetworkImport,
    summary="Import or update the road network from OSM (network.manage)",
    responses=problems(400, 401, 403, 404, 413),
)
@router.post(
    "/roads/cities/{code}/network",
    response_model=NetworkImport,
    summary="Import or update the road network from OSM (old path of /cities/{code}/network)",
    responses=problems(400, 401, 403, 404, 413),
    deprecated=True,
)
async def upload_network(
    code: str,
    request: Request,
    file: UploadFile = File(..., description=".osm.pbf or .osm XML"),
    bbox: str | None = Query(None, description="west,south,east,north: keep only segments touching it"),
    principal: Principal | None = Depends(optional_principal),
) -> dict:
    """Import (or update in place) the city's road segments from an OpenStreetMap extract; the same file with the
    same box twice changes nothing."""
    from kotacerdas.http.deps import authorize

    engine = request.app.state.engine
    with session_scope(engine) as session:
        city_id = accounts.get_city(session, code).id
    authorize(principal, "network.manage", city_id)
    box = tuple(BBox.parse(bbox).as_list()) if bbox else None
    async with received(file, request) as upload:
        return await run_in_threadpool(_import, engine, code, upload.path, upload.filename, box, principal.user_id)
