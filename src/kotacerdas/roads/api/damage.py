"""Road damage from the camera: damage records (public: positions, classes, sizes, blurred crops, statuses), their
export (CSV, GeoJSON, KML), the SDI and the combined IRI+SDI condition of segments, installed models; private to
the city: captures and uploading one (``roads.survey``), the repair workflow's status changes, entered distress and
a vehicle's camera (``roads.manage``)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.errors import NotFound
from kotacerdas.core.geometry import BBox, feature, feature_collection
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.core.jobs import job_folder, new_id
from kotacerdas.http.deps import DB_SESSION, authorize, city_id_of, language, optional_principal
from kotacerdas.http.jobs import JobOut, start_job
from kotacerdas.http.pagination import Page, Paged, page_params, paginate, paginate_features
from kotacerdas.http.schemas import Feature, FeatureCollection, GeoJSONResponse, problems
from kotacerdas.http.uploads import received
from kotacerdas.network.tables import RoadSegmentRow
from kotacerdas.roads.api.damage_schemas import (
    CameraSettings,
    Capture,
    CaptureImport,
    ConditionProperties,
    ConditionQuery,
    DamageDetailProperties,
    DamageProperties,
    DamageQuery,
    Distress,
    DistressUpdate,
    ExportQuery,
    ModelOut,
    SegmentSdi,
    StatusUpdate,
)
from kotacerdas.roads.api.segments import city_of
from kotacerdas.roads.models import list_models
from kotacerdas.roads.services import damage as service
from kotacerdas.roads.services.repairs import set_status
from kotacerdas.roads.services.vehicles import city_vehicle, get_vehicle, set_camera, vehicle_camera
from kotacerdas.roads.store import damage as store
from kotacerdas.roads.store import features
from kotacerdas.roads.store.damage_tables import RoadDamageSighting, RoadSegmentDistress

router = APIRouter()
JPEG = "image/jpeg"
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "kml": "application/vnd.google-earth.kml+xml",
}


def _private(principal: Principal | None, city_id: int) -> bool:
    return principal is not None and principal.can("roads.read_private", city_id)


def _damage_stmt(session: Session, city_id: int, f: DamageQuery, principal: Principal | None):
    vehicle_id = None
    if f.vehicle:
        authorize(principal, "roads.read_private", city_id)
        v = get_vehicle(session, city_id, f.vehicle)
        vehicle_id = v.id if v is not None else -1
    return store.damages_query(
        session,
        city_id,
        bbox=BBox.parse(f.bbox) if f.bbox else None,
        codes=store.parse_codes(f.code),
        min_confidence=f.min_confidence,
        since=features.parse_when(f.since, "since"),
        until=features.parse_when(f.until, "until", end=True),
        statuses=store.parse_statuses(f.status),
        vehicle_id=vehicle_id,
        segment_id=f.segment,
    )


@router.get(
    "/damage",
    response_model=FeatureCollection[DamageProperties],
    response_class=GeoJSONResponse,
    summary="Road damage records as GeoJSON points (public)",
    responses=problems(400, 401, 403, 404, 422),
)
def list_damage(
    request: Request,
    filters: Annotated[DamageQuery, Query()],
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """The damages found by the camera in a city, one record per damage (however many frames saw it), filtered by
    box, code, confidence, dates seen, status and (for the city's staff) vehicle, ordered by id and paged. Each
    carries the URL of its best sighting's crop, blurred before it was stored."""
    city = city_of(session, filters.city)
    stmt = _damage_stmt(session, city.id, filters, principal)
    lang = language(request)
    return paginate_features(
        session, stmt, page, request, lambda row: store.damage_feature(row, city.code, lang), scalars=False
    )


@router.get(
    "/damage/export",
    response_class=Response,
    summary="The damage list as CSV, GeoJSON or KML (public)",
    responses={
        200: {
            "description": "The damages matching the filters, as a file",
            "content": {
                # the GeoJSON file is the collection GET /damage answers, unpaged
                t: {"schema": {"$ref": "#/components/schemas/FeatureCollection_DamageProperties_"}}
                if f == "geojson"
                else {"schema": {"type": "string"}}
                for f, t in EXPORT_TYPES.items()
            },
        },
        **problems(400, 401, 403, 404, 422),
    },
)
def export_damage(
    request: Request,
    filters: Annotated[ExportQuery, Query()],
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> Response:
    """Every damage matching the filters (no paging) as CSV (one row each, lon/lat), GeoJSON or KML 2.2, with the
    public fields only, named in the request's language."""
    city = city_of(session, filters.city)
    lang = language(request)
    rows = session.execute(_damage_stmt(session, city.id, filters, principal)).all()
    items = [store.damage_feature(r, city.code, lang) for r in rows]
    if filters.format == "csv":
        body = store.damages_csv(items)
    elif filters.format == "kml":
        body = store.damages_kml(items, gettext("Road damage", lang) + f" · {city.name}")
    else:
        body = json.dumps(feature_collection(items), ensure_ascii=False)
    name = f"road-damage-{city.code}.{filters.format}"
    return Response(
        body, media_type=EXPORT_TYPES[filters.format], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get(
    "/damage/{damage_id}",
    response_model=Feature[DamageDetailProperties],
    response_class=GeoJSONResponse,
    summary="One damage with its sightings and status history (public)",
    responses=problems(404, 422),
)
def get_damage(
    damage_id: int,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """A damage record with every sighting (time, confidence, area, blurred crop; vehicle and device for the city's
    staff) and its status history (who and the note for the city's staff)."""
    d, code = store.damage_of(session, damage_id)
    seg = session.get(RoadSegmentRow, d.segment_id) if d.segment_id else None
    private = _private(principal, d.city_id)
    props = store.damage_properties(d, code, seg.segment_key if seg else None, language(request))
    props["sightings_list"] = store.sightings_of(session, d.id, private=private)
    props["history"] = store.status_history(session, d.id, private=private)
    return feature(d.geom, props, fid=d.id)


@router.get(
    "/damage-crops/{sighting_id}.jpg",
    response_class=FileResponse,
    summary="The blurred crop of a sighting (public)",
    responses={
        200: {
            "description": "A JPEG, faces and plates blurred",
            "content": {JPEG: {"schema": {"type": "string", "format": "binary"}}},
        },
        **problems(404, 422),
    },
)
def damage_crop(sighting_id: int, request: Request, session: Session = DB_SESSION) -> FileResponse:
    """The crop of the frame around a sighting's damage; faces (and plates, where a plate model is installed) were
    blurred before it was stored."""
    from kotacerdas.core.models import City

    found = session.execute(
        select(RoadDamageSighting.crop_path, City.code)
        .join(City, City.id == RoadDamageSighting.city_id)
        .where(RoadDamageSighting.id == sighting_id)
    ).first()
    if found is None or not found[0]:
        raise NotFound(N_("No crop for sighting {id}"), id=sighting_id)
    folder = service.crops_folder(request.app.state.settings.data_dir, found[1]).resolve()
    path = (folder / found[0]).resolve()
    if folder not in path.parents or not path.is_file():
        raise NotFound(N_("No crop for sighting {id}"), id=sighting_id)
    return FileResponse(path, media_type=JPEG, headers={"Cache-Control": "public, max-age=86400"})


@router.get(
    "/condition",
    response_model=FeatureCollection[ConditionProperties],
    response_class=GeoJSONResponse,
    summary="Segments with their IRI, SDI and combined Bina Marga condition (public)",
    responses=problems(400, 404, 422),
)
def list_condition(
    request: Request,
    filters: Annotated[ConditionQuery, Query()],
    page: Page = Depends(page_params),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """The active segments of a city with their latest IRI, their SDI and the condition combining both by the
    Bina Marga matrix; ``basis`` says what the class rests on, ``missing`` and ``stale`` (older than a year) what is
    lacking. Ordered by id and paged."""
    city = city_of(session, filters.city)
    stmt = store.condition_query(session, city.id, bbox=BBox.parse(filters.bbox) if filters.bbox else None)
    from kotacerdas.http.pagination import fetch_page

    rows, total = fetch_page(session, stmt, page, scalars=False)
    items = store.condition_features(session, list(rows), city.code)
    return feature_collection(
        items, numberMatched=total, numberReturned=len(items), links=page.links(request, total, "application/geo+json")
    )


@router.get(
    "/segments/{segment_id}/sdi",
    response_model=SegmentSdi,
    summary="A segment's SDI and its SDI per 100 m (public)",
    responses=problems(404, 422),
)
def segment_sdi(segment_id: int, session: Session = DB_SESSION) -> dict[str, Any]:
    """The surface distress index of a segment (its four steps, what was entered) and of each 100 m of it."""
    seg = session.get(RoadSegmentRow, segment_id)
    if seg is None:
        raise NotFound(N_("No road segment with id {id}"), id=segment_id)
    row = session.scalar(select(RoadSegmentDistress).where(RoadSegmentDistress.segment_id == seg.id))
    return {
        "segment": seg.id,
        "distress": store.distress_json(row),
        "pieces": feature_collection(store.sdi_pieces(session, seg)),
    }


@router.get(
    "/models", response_model=list[ModelOut], summary="Installed detection models (public)", responses=problems(422)
)
def models(request: Request) -> list[dict[str, Any]]:
    """The detection models installed on this server (name, runtime, classes and their damage codes, licence and
    source); the weights themselves are never served."""
    out = []
    for m in list_models(request.app.state.settings.data_dir):
        d = m.as_dict()
        out.append({k: d[k] for k in ModelOut.model_fields if k in d} | {"codes": m.codes})
    return out


# -- private: captures, the workflow, entered distress, a vehicle's camera ------------------------------------------
@router.get(
    "/cities/{code}/captures",
    response_model=Paged[Capture],
    summary="Camera captures of a city (private)",
    responses=problems(401, 403, 404, 422),
)
def list_captures(
    code: str,
    request: Request,
    page: Page = Depends(page_params),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """The videos and photo sets inspected in a city, newest first, with their model, frames, failures and report;
    why a capture or a frame failed is given in the request's language."""
    city = accounts.get_city(session, code)
    authorize(principal, "roads.read_private", city.id)
    lang = language(request)
    return paginate(
        session,
        store.captures_query(city.id),
        page,
        request,
        lambda r: store.capture_json(r[0], r[1], lang),
        scalars=False,
    )


@router.post(
    "/cities/{code}/captures",
    status_code=202,
    response_model=JobOut[CaptureImport],
    summary="Upload a dashcam video, photos or a survey package with media (roads.survey): a background job",
    responses=problems(400, 401, 403, 404, 413, 422),
)
async def upload_capture(
    code: str,
    request: Request,
    file: UploadFile = File(
        ..., description="MP4/MOV/MKV video, a zip of geotagged JPEGs, or a survey package with media"
    ),
    vehicle: str = Form(..., description="vehicle id"),
    track: UploadFile | None = File(None, description="the video's GPS track (GPX, NMEA or a survey) when it has none"),
    model: str = Form("", description="installed model name (default: the only one)"),
    offset_s: float = Form(0.0, description="seconds to add to the video's clock to match the track's"),
    every_m: float = Form(5.0, gt=0, le=100, description="a frame every this many metres driven"),
    start: str = Form(
        "",
        description="when the video started recording, ISO 8601 with its zone (2025-07-01T08:00:00+07:00), for a "
        "video that does not say (WhatsApp strips it); replaces the video's own recording time",
    ),
    replace: bool = Form(
        False,
        description="import a file imported before with this model again (with other settings): its earlier capture "
        "is replaced, its frames and sightings deleted and the damages only it saw removed (unless reviewed by an "
        "officer) or re-figured; without it such a file is answered already imported",
    ),
    principal: Principal | None = Depends(optional_principal),
) -> JSONResponse:
    """Inspect a patrol's video or photos for road damage as a background job (202; ``Location``: the job). The job
    aligns the video with its track (or its own GPS), takes a frame every ``every_m`` metres driven, detects, places
    and blurs each damage and stores one record per damage; its result lists one `CaptureResult` per video or photo
    set. Bad input (a corrupt video, no GPS, no overlap, photos without EXIF GPS) fails it with the file and reason;
    a ``start`` that is not an ISO 8601 time with its zone answers 400 and starts no job."""
    from kotacerdas.roads.video import parse_start

    city_id = await run_in_threadpool(city_id_of, request, code)
    who = authorize(principal, "roads.survey", city_id)
    parse_start(start)
    job_id = new_id()
    params: dict[str, Any] = {
        "city": code,
        "vehicle": vehicle,
        "model": model,
        "offset_s": offset_s,
        "every_m": every_m,
        "start": start.strip(),
        "replace": replace,
    }
    async with received(file, request) as upload:
        if track is not None and track.filename:
            async with received(track, request) as tr:
                params["track"] = str(tr.keep(job_folder(request.app.state.settings, job_id) / "track"))
        return await run_in_threadpool(
            start_job,
            request,
            "roads.capture_import",
            params,
            principal=who,
            city_id=city_id,
            upload=upload,
            job_id=job_id,
        )


@router.post(
    "/cities/{code}/damage/{damage_id}/status",
    response_model=Feature[DamageDetailProperties],
    response_class=GeoJSONResponse,
    summary="Change a damage's status in the repair workflow (roads.manage)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
def change_status(
    code: str,
    damage_id: int,
    body: StatusUpdate,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """Move a damage along the workflow (detected → confirmed or rejected → scheduled → repaired); a step the
    workflow does not allow answers 409. The change is kept in the damage's history (who, when, note) and audited."""
    city = accounts.get_city(session, code)
    user = authorize(principal, "roads.manage", city.id)
    d = store.city_damage(session, city.id, damage_id)
    set_status(session, d, body.status, user_id=user.user_id, note=body.note)
    accounts.audit(session, city.id, user.user_id, "roads.damage.status", str(d.id), status=body.status)
    seg = session.get(RoadSegmentRow, d.segment_id) if d.segment_id else None
    props = store.damage_properties(d, city.code, seg.segment_key if seg else None, language(request))
    props["sightings_list"] = store.sightings_of(session, d.id, private=True)
    props["history"] = store.status_history(session, d.id, private=True)
    return feature(d.geom, props, fid=d.id)


@router.put(
    "/cities/{code}/segments/{segment_id}/distress",
    response_model=Distress,
    summary="Enter a segment's crack width, rut depth or width (roads.manage)",
    responses=problems(400, 401, 403, 404, 422),
)
def put_distress(
    code: str,
    segment_id: int,
    body: DistressUpdate,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """Store what an officer measured on a segment (the camera cannot see crack widths or rut depths) and recompute
    its SDI; audited."""
    city = accounts.get_city(session, code)
    user = authorize(principal, "roads.manage", city.id)
    seg = session.get(RoadSegmentRow, segment_id)
    if seg is None or seg.city_id != city.id:
        raise NotFound(N_("No road segment with id {id}"), id=segment_id)
    row = store.enter_distress(
        session,
        seg,
        user_id=user.user_id,
        crack_width_mm=body.crack_width_mm,
        rut_depth_mm=body.rut_depth_mm,
        width_m=body.width_m,
    )
    accounts.audit(session, city.id, user.user_id, "roads.segment.distress", seg.segment_key)
    return store.distress_json(row)


@router.get(
    "/cities/{code}/vehicles/{vehicle_id}/camera",
    response_model=CameraSettings,
    summary="A vehicle's camera model (private)",
    responses=problems(401, 403, 404, 422),
)
def get_camera(
    code: str, vehicle_id: str, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> dict[str, Any]:
    """How the vehicle's camera is mounted (height, pitch, field of view): what places its damages on the road."""
    city = accounts.get_city(session, code)
    authorize(principal, "roads.read_private", city.id)
    return vehicle_camera(city_vehicle(session, city.id, vehicle_id)).to_dict()


@router.put(
    "/cities/{code}/vehicles/{vehicle_id}/camera",
    response_model=CameraSettings,
    summary="Set a vehicle's camera model (roads.manage)",
    responses=problems(400, 401, 403, 404, 422),
)
def put_camera(
    code: str,
    vehicle_id: str,
    body: CameraSettings,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict[str, Any]:
    """Store the vehicle's camera mount; captures imported after it use it (earlier ones keep theirs); audited."""
    city = accounts.get_city(session, code)
    user = authorize(principal, "roads.manage", city.id)
    v = city_vehicle(session, city.id, vehicle_id)
    camera = set_camera(v, **body.model_dump())
    accounts.audit(session, city.id, user.user_id, "roads.vehicle.camera", v.code)
    return camera.to_dict()
