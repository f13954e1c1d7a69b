"""The city's road network: import or update it from an OpenStreetMap extract (shared by every domain)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from kotacerdas.core.auth import Principal
from kotacerdas.core.geometry import BBox
from kotacerdas.http.deps import authorize, city_id_of, optional_principal
from kotacerdas.http.jobs import JobOut, start_job
from kotacerdas.http.schemas import problems
from kotacerdas.http.uploads import received

router = APIRouter(tags=["road network"])


class NetworkImport(BaseModel):
    """The result of a network import job."""

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


@router.post(
    "/cities/{code}/network",
    status_code=202,
    response_model=JobOut[NetworkImport],
    summary="Import or update the road network from OSM (network.manage): a background job",
    responses=problems(400, 401, 403, 404, 413),
)
@router.post(
    "/roads/cities/{code}/network",
    status_code=202,
    response_model=JobOut[NetworkImport],
    summary="Import or update the road network from OSM (old path of /cities/{code}/network)",
    responses=problems(400, 401, 403, 404, 413),
    deprecated=True,
)
async def upload_network(
    code: str,
    request: Request,
    file: UploadFile = File(..., description=".osm.pbf or .osm XML"),
    bbox: str | None = Query(None, description="west,south,east,north: keep only segments touching it"),
    force: bool = Form(False, description="import an extract none of whose roads touch the city"),
    principal: Principal | None = Depends(optional_principal),
) -> JSONResponse:
    """Import (or update in place) the city's road segments from an OpenStreetMap extract, as a background job:
    answers 202 with the job (``Location``: its URL), whose result is a `NetworkImport`. The same file with the
    same box twice changes nothing."""
    city_id = await run_in_threadpool(city_id_of, request, code)
    who = authorize(principal, "network.manage", city_id)
    box = BBox.parse(bbox).as_list() if bbox else None
    async with received(file, request) as upload:
        return await run_in_threadpool(
            start_job,
            request,
            "network.import",
            {"city": code, "bbox": box, "force": force},
            principal=who,
            city_id=city_id,
            upload=upload,
        )
