"""Units (lorong, desa), their themes, activities and photos: creating and editing them, and what the public sees.

The public sees a published unit's name, address, areas, grade, description, themes, public
photos and public activities (UMKM products with prices, and a contact only where the UMKM chose
to publish it) and ``public_contact``. Coordinators and contact details stay private
(:func:`private_fields`).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from kotacerdas.core.geometry import from_geojson, validate
from kotacerdas.core.i18n import N_
from kotacerdas.core.imports import sha256_bytes
from kotacerdas.core.models import City, User
from kotacerdas.lorong import texts
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.photos import clean_photo
from kotacerdas.lorong.services import areas as area_service
from kotacerdas.lorong.services.programmes import bilingual, check_code, get_theme, themes
from kotacerdas.lorong.store.tables import (
    LorongActivity,
    LorongPhoto,
    LorongProgramme,
    LorongTheme,
    LorongUnit,
    LorongUnitTheme,
)

UNIT_GEOMETRIES = ("LineString", "MultiLineString", "Polygon", "MultiPolygon")
ACTIVITY_KINDS = (
    "urban_farm",
    "waste_bank",
    "umkm",
    "mural",
    "cctv",
    "reading_corner",
    "culinary",
    "heritage",
    "park",
    "health_post",
    "event",
    "other",
)
#: Fields a coordinator may change on their own unit; the rest (codes, areas, geometry, grade, coordinator) are the
#: programme admin's.
COORDINATOR_FIELDS = ("address", "description", "public_contact", "coordinator_name", "contact_phone", "contact_email")
ADMIN_FIELDS = COORDINATOR_FIELDS + ("name", "kecamatan_code", "kelurahan_code", "rw", "rt", "grade", "is_published")
PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
MAX_PHOTO_BYTES = 5 * 1024 * 1024


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100] or "unit"


def unit_geometry(value: Any, record=None) -> BaseGeometry:
    """A unit's line or polygon from GeoJSON (a dict or text) or WKT."""
    if isinstance(value, str) and not value.lstrip().startswith("{"):
        try:
            geom = shapely.from_wkt(value)
        except Exception as exc:  # shapely raises GEOSException on bad WKT
            raise LorongError(N_("The geometry is not valid WKT or GeoJSON"), field="geometry", record=record) from exc
    else:
        geom = from_geojson(value, record=record)
    return validate(geom, record=record, allowed=UNIT_GEOMETRIES)


def _point_of(geom: BaseGeometry) -> tuple[float, float]:
    if geom.geom_type in ("LineString", "MultiLineString"):
        pt = shapely.line_interpolate_point(
            shapely.line_merge(geom) if geom.geom_type != "LineString" else geom, 0.5, normalized=True
        )
        if pt.is_empty:
            pt = geom.representative_point()
    else:
        pt = geom.representative_point()
    return round(float(pt.x), 6), round(float(pt.y), 6)


def get_unit(session: Session, unit_id: int) -> LorongUnit:
    unit = session.get(LorongUnit, unit_id)
    if unit is None:
        raise LorongError(N_("No unit with id {id}"), field="unit", status=404, id=unit_id)
    return unit


def unit_by_slug(session: Session, city_id: int, slug: str, *, published_only: bool = True) -> LorongUnit:
    stmt = select(LorongUnit).where(LorongUnit.city_id == city_id, LorongUnit.slug == slug)
    if published_only:
        stmt = stmt.where(LorongUnit.is_published.is_(True))
    unit = session.scalars(stmt.order_by(LorongUnit.id)).first()
    if unit is None:
        raise LorongError(N_("No lorong {slug} in this city"), field="slug", status=404, slug=slug)
    return unit


def unit_by_code(session: Session, programme_id: int, code: str) -> LorongUnit | None:
    return session.scalar(select(LorongUnit).where(LorongUnit.programme_id == programme_id, LorongUnit.code == code))


def _free_slug(session: Session, programme_id: int, base: str, unit_id: int | None = None) -> str:
    slug, n = base, 1
    while True:
        other = session.scalar(
            select(LorongUnit.id).where(LorongUnit.programme_id == programme_id, LorongUnit.slug == slug)
        )
        if other is None or other == unit_id:
            return slug
        n += 1
        slug = f"{base}-{n}"


def set_themes(session: Session, unit: LorongUnit, codes: list[str]) -> list[str]:
    """Replace the themes ``unit`` takes part in."""
    ids = []
    for code in dict.fromkeys(c.strip() for c in codes if c and c.strip()):
        ids.append(get_theme(session, unit.programme_id, code).id)
    session.execute(delete(LorongUnitTheme).where(LorongUnitTheme.unit_id == unit.id))
    for tid in ids:
        session.add(LorongUnitTheme(unit_id=unit.id, theme_id=tid))
    session.flush()
    return [c for c in codes if c]


def unit_theme_codes(session: Session, unit_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {uid: [] for uid in unit_ids}
    if not unit_ids:
        return out
    rows = session.execute(
        select(LorongUnitTheme.unit_id, LorongTheme.code)
        .join(LorongTheme, LorongTheme.id == LorongUnitTheme.theme_id)
        .where(LorongUnitTheme.unit_id.in_(unit_ids))
        .order_by(LorongTheme.position)
    )
    for uid, code in rows:
        out[uid].append(code)
    return out


def _refuse_fields(given: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """An edit may change only ``allowed`` (plus themes and description); geometry and coordinator are the admin's."""
    from kotacerdas.core.errors import PermissionDenied

    extra = set(given) - set(allowed) - {"themes", "geometry", "code", "coordinator", "description"}
    if "kecamatan_code" not in allowed:
        extra |= {k for k in ("geometry", "coordinator") if k in given}
    if extra:
        raise PermissionDenied(
            N_("You may not change {fields}"), field=sorted(extra)[0], fields=", ".join(sorted(extra))
        )


def _new_unit(session: Session, programme: LorongProgramme, city: City, given: dict[str, Any], record, is_demo):
    for key in ("code", "name", "kecamatan_code", "kelurahan_code", "geometry"):
        if not given.get(key):
            raise LorongError(N_("{name} is required"), field=key, record=record, name=key)
    check_code(str(given["code"]))
    if unit_by_code(session, programme.id, given["code"]) is not None:
        raise LorongError(
            N_("A unit with code {code} already exists"), field="code", record=record, status=409, code=given["code"]
        )
    return LorongUnit(city_id=city.id, programme_id=programme.id, code=given["code"], is_demo=is_demo, description={})


def _plain_value(programme: LorongProgramme, key: str, value: Any, record) -> Any:
    if isinstance(value, str):
        value = value.strip()
    if key == "grade" and value == "":
        return None
    if key == "grade" and value is not None and value not in {g for g, _m in programme.grades}:
        raise LorongError(N_("{value} is not a grade of this programme"), field="grade", record=record, value=value)
    return value


def _coordinator_id(session: Session, username: Any, record) -> int | None:
    name = str(username).strip().lower()
    if not name:
        return None
    user = session.scalar(select(User).where(User.username == name))
    if user is None:
        raise LorongError(N_("No user {username}"), field="coordinator", record=record, username=name)
    return user.id


def save_unit(
    session: Session,
    programme: LorongProgramme,
    city: City,
    data: dict[str, Any],
    *,
    unit: LorongUnit | None = None,
    allowed: tuple[str, ...] = ADMIN_FIELDS,
    record=None,
    areas: area_service.CityAreas | None = None,
    outline: BaseGeometry | None = None,
    is_demo: bool = False,
) -> LorongUnit:
    """Create a unit (``unit`` None: ``code``, ``name``, ``geometry`` and both area codes needed) or edit one.

    Only the fields in ``allowed`` may change; another field given is refused (403). The slug of the public page
    (and of its QR code) is made from the first name and never changes with a rename. The geometry must lie in
    the city (``outline``: :func:`~kotacerdas.lorong.services.areas.city_outline`, made here when not given).
    """
    given = {k: v for k, v in data.items() if v is not None}
    if unit is None:
        unit = _new_unit(session, programme, city, given, record, is_demo)
    else:
        _refuse_fields(given, allowed)
    if "kecamatan_code" in given or "kelurahan_code" in given:
        area_service.check_codes(
            areas or area_service.city_areas(session, city),
            city,
            given.get("kecamatan_code", unit.kecamatan_code),
            given.get("kelurahan_code", unit.kelurahan_code),
            record,
        )
    if "geometry" in given:
        geom = unit_geometry(given["geometry"], record)
        area_service.check_in_city(
            geom, outline if outline is not None else area_service.city_outline(session, city), city, record
        )
        unit.geom = geom
        unit.lon, unit.lat = _point_of(unit.geom)
    for key in allowed:
        if key in given and key != "description":
            setattr(unit, key, _plain_value(programme, key, given[key], record))
    if "description" in given:
        unit.description = bilingual(given["description"], "description") if given["description"] else {}
    if not unit.slug:  # made once from the first name and kept: the printed QR code and old links keep working
        unit.slug = _free_slug(session, programme.id, slugify(unit.name), unit.id)
    if "coordinator" in given:
        unit.coordinator_user_id = _coordinator_id(session, given["coordinator"], record)
    session.add(unit)
    session.flush()
    if "themes" in given:
        set_themes(session, unit, list(given["themes"]))
    return unit


# -- what the public and the staff see ------------------------------------------------------------


def public_fields(unit: LorongUnit, theme_codes: list[str], area_names: area_service.CityAreas | None = None):
    """The published fields of a unit (no coordinator, no contacts but ``public_contact``)."""
    return {
        "id": unit.id,
        "code": unit.code,
        "slug": unit.slug,
        "name": unit.name,
        "address": unit.address,
        "kecamatan_code": unit.kecamatan_code,
        "kecamatan": area_names.kecamatan.get(unit.kecamatan_code, "") if area_names else "",
        "kelurahan_code": unit.kelurahan_code,
        "kelurahan": area_names.kelurahan.get(unit.kelurahan_code, "") if area_names else "",
        "rw": unit.rw,
        "rt": unit.rt,
        "grade": unit.grade,
        "description": unit.description or {},
        "themes": theme_codes,
        "public_contact": unit.public_contact,
        "lon": unit.lon,
        "lat": unit.lat,
        "is_demo": unit.is_demo,
    }


def private_fields(session: Session, unit: LorongUnit) -> dict[str, Any]:
    """The private fields of a unit, for its coordinator, its lurah and the admins."""
    coordinator = session.get(User, unit.coordinator_user_id) if unit.coordinator_user_id else None
    return {
        "coordinator": coordinator.username if coordinator else None,
        "coordinator_name": unit.coordinator_name,
        "contact_phone": unit.contact_phone,
        "contact_email": unit.contact_email,
        "is_published": unit.is_published,
        "score": unit.score,
        "suggested_grade": unit.suggested_grade,
        "score_period": unit.score_period,
        "theme_scores": unit.theme_scores or {},
    }


def directory(
    session: Session,
    programme: LorongProgramme,
    *,
    theme: str | None = None,
    q: str | None = None,
    kecamatan: str | None = None,
    kelurahan: str | None = None,
):
    """A ``select()`` of the published units matching the filters (search by theme code or its keywords, by text)."""
    stmt = select(LorongUnit).where(LorongUnit.programme_id == programme.id, LorongUnit.is_published.is_(True))
    if theme:
        wanted = theme.strip().lower()
        matching = [
            t.id
            for t in themes(session, programme.id, active_only=True)
            if wanted in (t.code, t.name.get("id", "").lower(), t.name.get("en", "").lower())
            or any(wanted == k.lower() for k in (t.keywords or ()))
        ]
        sub = select(LorongUnitTheme.unit_id).where(LorongUnitTheme.theme_id.in_(matching or [-1]))
        stmt = stmt.where(LorongUnit.id.in_(sub))
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(LorongUnit.name).like(like), func.lower(LorongUnit.address).like(like)))
    if kecamatan:
        stmt = stmt.where(LorongUnit.kecamatan_code == kecamatan)
    if kelurahan:
        stmt = stmt.where(LorongUnit.kelurahan_code == kelurahan)
    return stmt.order_by(LorongUnit.name, LorongUnit.id)


# -- activities ------------------------------------------------------------------------------------


def _date(value: Any, field: str, record=None) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):  # an XLSX date cell
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise LorongError(N_("{value} is not a date (YYYY-MM-DD)"), field=field, record=record, value=value) from exc


def check_products(products: Any, record=None) -> list[dict[str, Any]]:
    """UMKM products: ``[{"name": {"id", "en"} (or a plain Indonesian name), "price" (whole rupiah), "unit"}]``."""
    out = []
    for i, p in enumerate(products or []):
        if not isinstance(p, dict) or not texts.read(p.get("name")):
            raise LorongError(N_("A product needs a name"), field=f"products.{i}.name", record=record)
        name = texts.check(p.get("name"), f"products.{i}.name", required=True, record=record)
        price = p.get("price")
        if price is not None and (isinstance(price, bool) or not isinstance(price, int) or price < 0):
            raise LorongError(
                N_("A price must be a whole number of rupiah"), field=f"products.{i}.price", record=record
            )
        out.append({"name": name, "price": price, "unit": str(p.get("unit") or "").strip()})
    return out


def product_fields(products: Any) -> list[dict[str, Any]]:
    """Stored products as the API and pages read them (a product stored with a plain name: its Indonesian name)."""
    return [
        {"name": texts.read(p.get("name")), "price": p.get("price"), "unit": p.get("unit") or ""}
        for p in products or []
        if isinstance(p, dict)
    ]


def _activity_kind(kind: str, record) -> str:
    if kind not in ACTIVITY_KINDS:
        raise LorongError(
            N_("{name} must be one of: {allowed}"),
            field="kind",
            record=record,
            name="kind",
            allowed=", ".join(ACTIVITY_KINDS),
        )
    return kind


def _point(location: Any, record) -> BaseGeometry | None:
    point = from_geojson(location, record=record) if location else None
    return validate(point, record=record, allowed=("Point",)) if point is not None else None


def _point_in_city(session: Session, unit: LorongUnit, location: Any, outline, record) -> BaseGeometry | None:
    point = _point(location, record)
    city = session.get(City, unit.city_id)
    if point is not None and city is not None:
        where = outline if outline is not None else area_service.city_outline(session, city)
        area_service.check_in_city(point, where, city, record, field="location")
    return point


def _unit_theme(session: Session, unit: LorongUnit, code: str, record) -> int:
    """The id of theme ``code``, which ``unit`` must take part in (an activity or value under another is refused)."""
    theme = get_theme(session, unit.programme_id, code)
    if session.get(LorongUnitTheme, (unit.id, theme.id)) is None:
        raise LorongError(
            N_("{unit} does not take part in the theme {theme}"),
            field="theme",
            record=record,
            unit=unit.code,
            theme=code,
        )
    return theme.id


def _set_texts(act: LorongActivity, given: dict[str, Any], record) -> None:
    """An activity's name (Bahasa Indonesia required), description (both languages optional) and contact."""
    if "name" in given:
        act.name = texts.check(given["name"], "name", required=True, record=record)
    if "description" in given:
        act.description = texts.check(given["description"], "description", required=False, record=record)
    if "contact" in given:
        act.contact = str(given["contact"]).strip()


def save_activity(
    session: Session,
    unit: LorongUnit,
    code: str,
    data: dict[str, Any],
    *,
    record=None,
    outline: BaseGeometry | None = None,
) -> LorongActivity:
    """Create or edit the activity ``code`` of ``unit``: under a theme the unit takes part in (or none), at a
    point in the city (``outline`` as for :func:`save_unit`)."""
    check_code(code)
    act = session.scalar(select(LorongActivity).where(LorongActivity.unit_id == unit.id, LorongActivity.code == code))
    given = {k: v for k, v in data.items() if v is not None}
    if act is None:
        for key in ("kind", "name"):
            if not given.get(key):
                raise LorongError(N_("{name} is required"), field=key, record=record, name=key)
        act = LorongActivity(city_id=unit.city_id, unit_id=unit.id, code=code, products=[], description={})
    if "kind" in given:
        act.kind = _activity_kind(given["kind"], record)
    if "theme" in given:
        act.theme_id = _unit_theme(session, unit, str(given["theme"]).strip(), record) if given["theme"] else None
    _set_texts(act, given, record)
    for key in ("contact_public", "is_public"):
        if key in given:
            setattr(act, key, bool(given[key]))
    for key in ("started_on", "ended_on"):
        if key in given:
            setattr(act, key, _date(given[key], key, record))
    if act.started_on and act.ended_on and act.ended_on < act.started_on:
        raise LorongError(N_("An activity cannot end before it starts"), field="ended_on", record=record)
    if "products" in given:
        act.products = check_products(given["products"], record)
    if "location" in given:
        act.geom = _point_in_city(session, unit, given["location"], outline, record)
    session.add(act)
    session.flush()
    return act


def activities(session: Session, unit_id: int, *, public_only: bool) -> list[LorongActivity]:
    stmt = select(LorongActivity).where(LorongActivity.unit_id == unit_id)
    if public_only:
        stmt = stmt.where(LorongActivity.is_public.is_(True))
    # by kind, then by Indonesian name (names are JSON: ordered here, the same on both backends)
    return sorted(session.scalars(stmt), key=lambda a: (a.kind, texts.read(a.name).get("id", "").lower(), a.code))


def activity_fields(act: LorongActivity, theme_codes: dict[int, str], *, private: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": act.code,
        "kind": act.kind,
        "theme": theme_codes.get(act.theme_id) if act.theme_id else None,
        "name": texts.read(act.name),
        "description": texts.read(act.description),
        "started_on": act.started_on,
        "ended_on": act.ended_on,
        "products": product_fields(act.products),
        "contact": act.contact if (act.contact_public or private) else None,
        "location": [act.geom.x, act.geom.y] if act.geom is not None else None,
    }
    if private:
        out["contact_public"] = act.contact_public
        out["is_public"] = act.is_public
    return out


# -- photos ------------------------------------------------------------------------------------------


def photo_type(data: bytes) -> str:
    """``image/jpeg`` or ``image/png`` from the file's first bytes (anything else is refused)."""
    for magic, kind in PHOTO_TYPES.items():
        if data.startswith(magic):
            return kind
    raise LorongError(N_("A photo must be a JPEG or PNG image"), field="file")


def add_photo(
    session: Session,
    unit: LorongUnit,
    data: bytes,
    *,
    user_id: int | None,
    caption: str = "",
    activity: LorongActivity | None = None,
    report_id: int | None = None,
    indicator_id: int | None = None,
    is_public: bool = False,
) -> LorongPhoto:
    """Store a photo without its metadata (:func:`kotacerdas.lorong.photos.clean_photo`), private unless
    ``is_public`` (a report's evidence is never public); the same picture sent twice is one photo."""
    if len(data) > MAX_PHOTO_BYTES:
        raise LorongError(N_("A photo may be at most {mb} MB"), field="file", status=413, mb=MAX_PHOTO_BYTES // 2**20)
    kind = photo_type(data)
    data = clean_photo(data)  # no EXIF GPS position, device or XMP leaves with a public photo
    digest = sha256_bytes(data)
    same = session.scalar(
        select(LorongPhoto).where(
            LorongPhoto.unit_id == unit.id,
            LorongPhoto.sha256 == digest,
            LorongPhoto.report_id.is_(report_id) if report_id is None else LorongPhoto.report_id == report_id,
        )
    )
    if same is not None:  # the same picture sent twice (a phone retrying) is one photo
        return same
    photo = LorongPhoto(
        city_id=unit.city_id,
        unit_id=unit.id,
        activity_id=activity.id if activity else None,
        report_id=report_id,
        indicator_id=indicator_id,
        sha256=digest,
        content_type=kind,
        size=len(data),
        data=data,
        caption=caption[:300],
        is_public=is_public and report_id is None,
        uploaded_by=user_id,
    )
    session.add(photo)
    session.flush()
    return photo


def public_photos(session: Session, unit_id: int) -> list[LorongPhoto]:
    return list(
        session.scalars(
            select(LorongPhoto)
            .where(LorongPhoto.unit_id == unit_id, LorongPhoto.is_public.is_(True), LorongPhoto.report_id.is_(None))
            .order_by(LorongPhoto.id)
        )
    )
