"""The kecamatan and kelurahan a unit belongs to: their names by Kemendagri code, and checking a unit's codes.

Names come from the city's stored admin areas and, for Kota Makassar and Kabupaten Banyuwangi,
from the real lists shipped in :mod:`kotacerdas.core.wilayah_makassar` and
:mod:`kotacerdas.core.wilayah_banyuwangi` (which also map BPS codes to Kemendagri codes, so a
boundary file in BPS codes, such as HDX's, joins the units).

A unit's line or polygon must lie in its city (:func:`city_outline`, :func:`check_in_city`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import wilayah_banyuwangi as areas_banyuwangi
from kotacerdas.core import wilayah_makassar as areas_makassar
from kotacerdas.core.admin_areas import city_extent
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import AdminArea, City
from kotacerdas.lorong.errors import LorongError

KNOWN = {m.CITY: m for m in (areas_makassar, areas_banyuwangi)}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


@dataclass
class CityAreas:
    """Kecamatan and kelurahan of a city: name by Kemendagri code, and BPS code -> Kemendagri code."""

    kecamatan: dict[str, str] = field(default_factory=dict)
    kelurahan: dict[str, str] = field(default_factory=dict)
    from_bps: dict[str, str] = field(default_factory=dict)

    def kemendagri(self, area: AdminArea) -> str | None:
        """The Kemendagri code of a stored area, whatever its code scheme (``None`` when unknown)."""
        if area.code_scheme == "bps":
            return self.from_bps.get(area.code) or self.by_name(area)
        return area.code

    def by_name(self, area: AdminArea) -> str | None:
        target = _norm(area.name)
        table = self.kelurahan if area.level == "village" else self.kecamatan
        return next((c for c, n in table.items() if _norm(n) == target), None)


def city_areas(session: Session, city: City) -> CityAreas:
    out = CityAreas()
    known = KNOWN.get(city.code)
    if known is not None:
        for code, name, bps in known.KECAMATAN:
            out.kecamatan[code] = name
            out.from_bps[bps] = code
        for code, name, bps, _lon, _lat in known.VILLAGES:
            out.kelurahan[code] = name
            out.from_bps[bps] = code
    rows = session.execute(
        select(AdminArea.code, AdminArea.name, AdminArea.level).where(
            AdminArea.city_id == city.id, AdminArea.code_scheme == "kemendagri"
        )
    )
    for code, name, level in rows:
        if level == "district":
            out.kecamatan.setdefault(code, name)
        elif level == "village":
            out.kelurahan.setdefault(code, name)
    return out


def check_codes(areas: CityAreas, city: City, kecamatan: str, kelurahan: str, record=None) -> None:
    """Refuse codes outside the city, a kelurahan outside its kecamatan, or codes the city does not know."""
    kecamatan, kelurahan = (kecamatan or "").strip(), (kelurahan or "").strip()
    if not kecamatan.startswith(city.code + ".") or kecamatan.count(".") != 2:
        raise LorongError(
            N_("{code} is not a kecamatan code of city {city}"),
            field="kecamatan_code",
            record=record,
            code=kecamatan,
            city=city.code,
        )
    if not kelurahan.startswith(kecamatan + ".") or kelurahan.count(".") != 3:
        raise LorongError(
            N_("{code} is not a kelurahan code of kecamatan {kecamatan}"),
            field="kelurahan_code",
            record=record,
            code=kelurahan,
            kecamatan=kecamatan,
        )
    if areas.kecamatan and kecamatan not in areas.kecamatan:
        raise LorongError(N_("Unknown kecamatan {code}"), field="kecamatan_code", record=record, code=kecamatan)
    if areas.kelurahan and kelurahan not in areas.kelurahan:
        raise LorongError(N_("Unknown kelurahan {code}"), field="kelurahan_code", record=record, code=kelurahan)


#: How far (degrees, about 1 km) a unit may reach beyond the city's stored areas (boundaries drawn roughly).
OUTLINE_MARGIN_DEG = 0.01


def city_outline(session: Session, city: City) -> BaseGeometry | None:
    """Where the city's units must lie: its stored admin areas grown by :data:`OUTLINE_MARGIN_DEG`, else the box of
    :func:`kotacerdas.core.admin_areas.city_extent` around its centre; ``None`` when neither is known."""
    shapes = list(session.scalars(select(AdminArea.geom).where(AdminArea.city_id == city.id)))
    if shapes:
        outline = shapely.union_all(shapes).buffer(OUTLINE_MARGIN_DEG)
    else:
        extent = city_extent(session, city)
        if extent is None:
            return None
        outline = shapely.box(*extent)
    shapely.prepare(outline)
    return outline


def check_in_city(
    geom: BaseGeometry, outline: BaseGeometry | None, city: City, record=None, *, field: str = "geometry"
) -> None:
    """Refuse a unit's geometry (or an activity's point) that does not lie in the city (``outline`` from
    :func:`city_outline`)."""
    if outline is None or outline.covers(geom):
        return
    west, south, east, north = geom.bounds
    raise LorongError(
        N_("The geometry ({bbox}) lies outside city {city}"),
        field=field,
        record=record,
        bbox=f"{west:.4f},{south:.4f},{east:.4f},{north:.4f}",
        city=city.code,
    )
