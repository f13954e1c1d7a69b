"""Units (lorong, desa): the public directory as GeoJSON, each unit's public page data and QR code; their private
fields, creation, editing, activities and photos for the staff."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.geometry import feature
from kotacerdas.core.i18n import N_
from kotacerdas.http.deps import DB_SESSION, authorize, optional_principal
from kotacerdas.http.pagination import Page, page_params, paginate_features
from kotacerdas.http.schemas import Feature, FeatureCollection, GeoJSONResponse, problems
from kotacerdas.http.uploads import read_upload
from kotacerdas.lorong.api import schemas
from kotacerdas.lorong.api.programmes import programme_of
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.qrcode import qr_png, qr_svg
from kotacerdas.lorong.services import access
from kotacerdas.lorong.services import areas as area_service
from kotacerdas.lorong.services import units as svc
from kotacerdas.lorong.services.programmes import get_programme, themes
from kotacerdas.lorong.store.rows import must_get
from kotacerdas.lorong.store.tables import LorongPhoto, LorongProgramme, LorongUnit

router = APIRouter(tags=["lorong: units"])


def page_url(request: Request, city_code: str, slug: str) -> str:
    return str(request.base_url).rstrip("/") + f"/lorong/{city_code}/{slug}"


def public_json(session: Session, request: Request, unit: LorongUnit, names=None) -> dict[str, Any]:
    city = unit_city(session, unit)
    names = names or area_service.city_areas(session, city)
    out = svc.public_fields(unit, svc.unit_theme_codes(session, [unit.id])[unit.id], names)
    out["page"] = page_url(request, city.code, unit.slug)
    return out


def unit_city(session: Session, unit: LorongUnit):
    from kotacerdas.core.models import City

    return must_get(session, City, unit.city_id)


def detail_json(session: Session, request: Request, unit: LorongUnit) -> dict[str, Any]:
    codes = {t.id: t.code for t in themes(session, unit.programme_id)}
    out = public_json(session, request, unit)
    out["activities"] = [svc.activity_fields(a, codes) for a in svc.activities(session, unit.id, public_only=True)]
    out["photos"] = [p.id for p in svc.public_photos(session, unit.id)]
    return out


def private_json(session: Session, request: Request, unit: LorongUnit) -> dict[str, Any]:
    codes = {t.id: t.code for t in themes(session, unit.programme_id)}
    out = public_json(session, request, unit) | svc.private_fields(session, unit)
    out["activities"] = [
        svc.activity_fields(a, codes, private=True) for a in svc.activities(session, unit.id, public_only=False)
    ]
    return out


@router.get(
    "/lorong/units",
    response_model=FeatureCollection[schemas.UnitPublic],
    response_class=GeoJSONResponse,
    summary="The public directory of a programme's units, as GeoJSON (public)",
    responses=problems(400, 404),
)
def list_units(
    request: Request,
    city: str = Query(..., description="City code, e.g. 73.71"),
    programme: str = Query("lorong-wisata"),
    theme: str | None = Query(None, description="A theme code or keyword: kuliner, sejarah, seni, urban farming ..."),
    q: str | None = Query(None, description="Text in the name or address"),
    kecamatan: str | None = None,
    kelurahan: str | None = None,
    page: Page = Depends(page_params),
    session: Session = DB_SESSION,
):
    """Published units with their public fields only (no coordinators, residents or phone numbers)."""
    c, prog = programme_of(session, city, programme)
    stmt = svc.directory(session, prog, theme=theme, q=q, kecamatan=kecamatan, kelurahan=kelurahan)
    names = area_service.city_areas(session, c)
    result = paginate_features(session, stmt, page, request, lambda u: u)
    rows = result["features"]
    themes_of = svc.unit_theme_codes(session, [u.id for u in rows])
    features = []
    for u in rows:
        props = svc.public_fields(u, themes_of[u.id], names)
        props["page"] = page_url(request, c.code, u.slug)
        features.append(feature(u.geom, props, fid=u.id))
    result["features"] = features
    return result


@router.get(
    "/lorong/units/{unit_id:int}/private",
    response_model=schemas.UnitPrivate,
    summary="A unit with its private fields (its coordinator, its lurah, the admins)",
    responses=problems(401, 403, 404),
)
def get_unit_private(
    unit_id: int,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """Coordinator, contacts, score and suggested grade, every activity (``lorong.read_private``, in scope)."""
    unit = svc.get_unit(session, unit_id)
    access.read_private(session, principal, unit)
    return private_json(session, request, unit)


@router.get(
    "/lorong/units/{city}/{slug}",
    response_model=Feature[schemas.UnitDetail],
    response_class=GeoJSONResponse,
    summary="One unit's public page data: activities, UMKM products, photos (public)",
    responses=problems(404),
)
def get_unit(city: str, slug: str, request: Request, session: Session = DB_SESSION):
    """A published unit with its public activities (UMKM products with prices, contacts they chose to publish)."""
    c = accounts.get_city(session, city)
    unit = svc.unit_by_slug(session, c.id, slug)
    return feature(unit.geom, detail_json(session, request, unit), fid=unit.id)


def _qr_unit(session: Session, city: str, slug: str, request: Request) -> tuple[LorongUnit, str]:
    c = accounts.get_city(session, city)
    unit = svc.unit_by_slug(session, c.id, slug)
    return unit, page_url(request, c.code, unit.slug)


@router.get(
    "/lorong/units/{city}/{slug}/qr.png",
    response_class=Response,
    summary="QR code (PNG) linking to the unit's public page (public)",
    responses={200: {"content": {"image/png": {}}}, **problems(404)},
)
def qr_code_png(city: str, slug: str, request: Request, session: Session = DB_SESSION) -> Response:
    """A PNG QR code to print on the lorong's sign."""
    _unit, url = _qr_unit(session, city, slug, request)
    return Response(qr_png(url), media_type="image/png")


@router.get(
    "/lorong/units/{city}/{slug}/qr.svg",
    response_class=Response,
    summary="QR code (SVG) linking to the unit's public page (public)",
    responses={200: {"content": {"image/svg+xml": {}}}, **problems(404)},
)
def qr_code_svg(city: str, slug: str, request: Request, session: Session = DB_SESSION) -> Response:
    """An SVG QR code (scales to any sign size)."""
    unit, url = _qr_unit(session, city, slug, request)
    return Response(qr_svg(url, title=unit.name), media_type="image/svg+xml")


@router.get(
    "/lorong/photos/{photo_id}",
    response_class=Response,
    summary="A photo (public when published; report evidence for the unit's staff only)",
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}}}, **problems(401, 403, 404)},
)
def get_photo(
    photo_id: int, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> Response:
    """The image bytes; a photo that is not public needs ``lorong.read_private`` on its unit."""
    photo = session.get(LorongPhoto, photo_id)
    unit = must_get(session, LorongUnit, photo.unit_id) if photo else None
    if photo is None or unit is None:
        raise LorongError(N_("No photo with id {id}"), field="photo", status=404, id=photo_id)
    if not (photo.is_public and unit.is_published):
        access.read_private(session, principal, unit)
    return Response(photo.data, media_type=photo.content_type, headers={"Cache-Control": "private, max-age=3600"})


@router.post(
    "/lorong/units",
    status_code=201,
    response_model=schemas.UnitPrivate,
    summary="Create a unit (programme admin)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
def create_unit(
    body: schemas.UnitCreate,
    request: Request,
    city: str = Query(...),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """A new lorong (or desa) with its line or polygon, admin areas and themes (``lorong.configure``); audited."""
    c = accounts.get_city(session, city)
    principal = authorize(principal, "lorong.configure", c.id)
    prog = get_programme(session, c.id, body.programme)
    data = body.model_dump(exclude={"programme"})
    unit = svc.save_unit(session, prog, c, data)
    accounts.audit(session, c.id, principal.user_id, "lorong.unit.create", unit.code)
    return private_json(session, request, unit)


@router.patch(
    "/lorong/units/{unit_id}",
    response_model=schemas.UnitPrivate,
    summary="Edit a unit (its coordinator: description and contacts; the admin: everything)",
    responses=problems(400, 401, 403, 404, 422),
)
def update_unit(
    unit_id: int,
    body: schemas.UnitUpdate,
    request: Request,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """A coordinator changes their own unit's description, address, published contact and contact details;
    codes, areas, geometry, grade and coordinator are the programme admin's (``lorong.configure``)."""
    unit = svc.get_unit(session, unit_id)
    principal = access.write_unit(session, principal, unit)
    prog = must_get(session, LorongProgramme, unit.programme_id)
    admin = principal.can("lorong.configure", unit.city_id)
    allowed = svc.ADMIN_FIELDS if admin else svc.COORDINATOR_FIELDS
    changes = body.model_dump(exclude_none=True)
    svc.save_unit(session, prog, unit_city(session, unit), changes, unit=unit, allowed=allowed)
    accounts.audit(session, unit.city_id, principal.user_id, "lorong.unit.update", unit.code, fields=sorted(changes))
    return private_json(session, request, unit)


@router.put(
    "/lorong/units/{unit_id}/activities/{code}",
    response_model=schemas.ActivityPrivate,
    summary="Add or edit an activity of a unit (its coordinator or an admin)",
    responses=problems(400, 401, 403, 404, 422),
)
def save_activity(
    unit_id: int,
    code: str,
    body: schemas.ActivitySave,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """An urban farm plot, a waste bank, a UMKM (with products and prices), a mural, a CCTV point ..."""
    unit = svc.get_unit(session, unit_id)
    principal = access.write_unit(session, principal, unit)
    data = body.model_dump(exclude_none=True)
    act = svc.save_activity(session, unit, code, data)
    accounts.audit(session, unit.city_id, principal.user_id, "lorong.activity.save", f"{unit.code}/{code}")
    codes = {t.id: t.code for t in themes(session, unit.programme_id)}
    return svc.activity_fields(act, codes, private=True)


@router.post(
    "/lorong/units/{unit_id}/photos",
    status_code=201,
    response_model=schemas.PhotoSaved,
    summary="Upload a photo of a unit or one of its activities",
    responses=problems(400, 401, 403, 404, 413),
)
async def upload_unit_photo(
    unit_id: int,
    request: Request,
    file: UploadFile = File(..., description="JPEG or PNG, at most 5 MB"),
    activity: str | None = Form(None),
    caption: str = Form(""),
    public: bool = Form(False, description="Show it on the public page (true); private to the staff by default"),
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """A photo kept for the staff, or shown on the public page when the coordinator sends ``public=true``. Its EXIF
    (GPS position, device), XMP and comments are removed before it is stored, the picture turned upright; the same
    image twice is one photo."""
    from starlette.concurrency import run_in_threadpool

    data = await read_upload(file, request)

    def run() -> dict:
        unit = svc.get_unit(session, unit_id)
        p = access.write_unit(session, principal, unit)
        act = None
        if activity:
            act = next((a for a in svc.activities(session, unit.id, public_only=False) if a.code == activity), None)
            if act is None:
                raise LorongError(N_("No activity {code} in this unit"), field="activity", status=404, code=activity)
        photo = svc.add_photo(session, unit, data, user_id=p.user_id, caption=caption, activity=act, is_public=public)
        accounts.audit(session, unit.city_id, p.user_id, "lorong.photo.add", unit.code, photo=photo.id)
        return {"id": photo.id, "sha256": photo.sha256, "size": photo.size}

    return await run_in_threadpool(run)
