"""Administrative areas (province → regency/city → kecamatan → desa/kelurahan) from GeoJSON.

Accepted feature properties, in this order of preference:

* ``code``, ``name`` and optionally ``level`` and ``parent_code``: Kemendagri codes
  written with dots (``35.10.01.2001``); the level follows from the number of parts;
* the HDX / BPS layout (``village_code`` = ``id3510140003``, ``village``,
  ``district_code``, ``district``, ``regency_code`` ...), as in HDX's Indonesian
  subnational boundaries. BPS codes are kept with ``code_scheme="bps"``.

Every area must lie under the importing city's code. A file with villages only
also yields its kecamatan and the city outline, dissolved from the villages.
Parsing is pure (:func:`read_areas`); :func:`import_areas` stores the result in
one transaction, idempotently.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.core import limits
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.geometry import GeometryError, check_crs, from_geojson, iter_features
from kotacerdas.core.i18n import N_
from kotacerdas.core.imports import find_import, record_import, sha256_bytes
from kotacerdas.core.jobs import JobContext, job
from kotacerdas.core.models import AdminArea, City

IMPORT_KIND = "admin_areas"

LEVELS = ("province", "regency", "district", "village")
LEVEL_LABELS = {
    "province": N_("Province"),
    "regency": N_("Regency / city"),
    "district": N_("Kecamatan"),
    "village": N_("Desa / kelurahan"),
}


class AdminAreaError(KotacerdasError):
    """A problem with an admin-area file or one of its features."""


@dataclass
class AreaRecord:
    """One admin area read from a file, ready to store."""

    code: str
    name: str
    level: str
    geom: BaseGeometry
    parent_code: str | None = None
    code_scheme: str = "kemendagri"
    properties: dict[str, Any] = field(default_factory=dict)
    derived: bool = False


#: The property (``source``) and value (``generated``) that mark an area as generated, not an official boundary
#: (the demo's, :mod:`kotacerdas.demo.areas`): the map says so beside it.
GENERATED_KEY, GENERATED = "source", "generated"


def is_generated_record(rec: AreaRecord) -> bool:
    """True for an area read from a file whose feature says it is generated."""
    return rec.properties.get(GENERATED_KEY) == GENERATED


def is_generated(area: Any) -> bool:
    """True for a stored area (an :class:`~kotacerdas.core.models.AdminArea`) that is generated."""
    return area.source == GENERATED or (area.properties or {}).get(GENERATED_KEY) == GENERATED


@dataclass
class ImportResult:
    """What an import did: counts, the skipped records with reasons, and whether it was a repeat."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    derived: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)
    already_imported: bool = False
    sha256: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "derived": self.derived,
            "skipped": self.skipped,
            "already_imported": self.already_imported,
            "sha256": self.sha256,
        }


def _bps_dotted(code: str) -> str:
    """``id3510140003`` -> ``35.10.140.003`` (province 2, regency 2, district 3, village 3 digits)."""
    digits = code.lower().removeprefix("id")
    if not digits.isdigit() or len(digits) not in (2, 4, 7, 10):
        raise AdminAreaError(N_("{code} is not a BPS area code"), field="code", code=code)
    parts = [digits[:2], digits[2:4], digits[4:7], digits[7:10]]
    return ".".join(p for p in parts if p)


def _level_of(code: str) -> str:
    n = code.count(".") + 1
    if n > len(LEVELS):
        raise AdminAreaError(N_("{code} has too many parts for an area code"), field="code", code=code)
    return LEVELS[n - 1]


def _as_multipolygon(geom: BaseGeometry, record: int) -> MultiPolygon:
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    if isinstance(geom, MultiPolygon):
        return geom
    raise GeometryError(
        N_("Expected a geometry of type {expected}, got {actual}"),
        field="geometry",
        record=record,
        expected="Polygon / MultiPolygon",
        actual=geom.geom_type,
    )


def _record_from_feature(index: int, feat: dict[str, Any], city_code: str) -> AreaRecord:
    props = feat.get("properties") or {}
    if not isinstance(props, dict):
        raise AdminAreaError(N_("The feature's properties are not an object"), record=index)
    geom = _as_multipolygon(from_geojson(feat.get("geometry"), record=index), index)
    if props.get("code"):
        code = str(props["code"]).strip()
        scheme = str(props.get("code_scheme") or "kemendagri")
        name = props.get("name")
        level = props.get("level") or _level_of(code)
        parent = props.get("parent_code") or (code.rsplit(".", 1)[0] if "." in code else None)
    elif props.get("village_code") or props.get("district_code"):
        scheme = "bps"
        key = "village" if props.get("village_code") else "district"
        code = _bps_dotted(str(props[f"{key}_code"]))
        name = props.get(key)
        level = key
        parent = code.rsplit(".", 1)[0]
    else:
        raise AdminAreaError(
            N_("The feature has no area code (properties code or village_code/district_code)"),
            field="code",
            record=index,
        )
    if not name or not str(name).strip():
        raise AdminAreaError(N_("The feature has no name"), field="name", record=index)
    if level not in LEVELS:
        raise AdminAreaError(
            N_("Unknown level {level}; levels are: {levels}"),
            field="level",
            record=index,
            level=level,
            levels=", ".join(LEVELS),
        )
    if level != _level_of(code):
        raise AdminAreaError(
            N_("Area code {code} does not fit the level {level}"), field="code", record=index, code=code, level=level
        )
    if not (code == city_code or code.startswith(city_code + ".") or len(city_code) == 2 and code[:2] == city_code):
        raise AdminAreaError(
            N_("Area code {code} is not inside city {city}"), field="code", record=index, code=code, city=city_code
        )
    keep = {k: v for k, v in props.items() if isinstance(v, str | int | float | bool) or v is None}
    return AreaRecord(
        code=code,
        name=str(name).strip(),
        level=level,
        geom=geom,
        parent_code=parent,
        code_scheme=scheme,
        properties=keep,
    )


def read_areas(data: bytes, city_code: str, *, skip_invalid: bool = False) -> tuple[list[AreaRecord], list[dict]]:
    """Parse a GeoJSON FeatureCollection of admin areas for ``city_code``.

    Returns the records (districts and the city outline dissolved from villages when
    the file has none) and the skipped features. Every bad feature is collected;
    without ``skip_invalid`` the whole file is then refused, naming them.
    """
    collection = limits.load_json(data, "GeoJSON")
    check_crs(collection)
    records: list[AreaRecord] = []
    problems: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for index, feat in iter_features(collection):
        try:
            rec = _record_from_feature(index, feat, city_code)
            if rec.code in seen:
                raise AdminAreaError(
                    N_("Area code {code} appears twice (also in record {other})"),
                    field="code",
                    record=index,
                    code=rec.code,
                    other=seen[rec.code],
                )
            seen[rec.code] = index
            records.append(rec)
        except KotacerdasError as exc:
            problems.append({"record": index, "field": exc.field, "error": exc})
    if problems and not skip_invalid:
        raise problems[0]["error"] if len(problems) == 1 else ImportProblems(problems)
    records.extend(_derived(records, city_code))
    return records, [{"record": p["record"], "field": p["field"], "reason": p["error"].render("en")} for p in problems]


class ImportProblems(AdminAreaError):
    """Several bad features in one file: all are listed, nothing is stored."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        self.problems = problems
        first = problems[0]["error"]
        super().__init__(
            N_("{count} features are invalid; the first: {first}"),
            record=None,
            field=first.field,
            count=len(problems),
            first=first.render("en"),
        )

    def render(self, lang: str = "en") -> str:
        from kotacerdas.core.i18n import gettext

        first = self.problems[0]["error"].render(lang)
        return gettext(self.message, lang).format(count=len(self.problems), first=first)


def _derived(records: list[AreaRecord], city_code: str) -> list[AreaRecord]:
    have = {r.code for r in records}
    by_parent: dict[str, list[AreaRecord]] = defaultdict(list)
    for r in records:
        if r.level == "village" and r.parent_code:
            by_parent[r.parent_code].append(r)
    out: list[AreaRecord] = []
    for parent, villages in sorted(by_parent.items()):
        if parent in have:
            continue
        name = villages[0].properties.get("district") or parent
        geom = _as_multipolygon(shapely.union_all([v.geom for v in villages]).buffer(0), -1)
        out.append(
            AreaRecord(
                code=parent,
                name=str(name),
                level="district",
                geom=geom,
                parent_code=parent.rsplit(".", 1)[0],
                code_scheme=villages[0].code_scheme,
                # a kecamatan made of generated villages is itself generated
                properties={GENERATED_KEY: GENERATED} if all(is_generated_record(v) for v in villages) else {},
                derived=True,
            )
        )
    return out


def import_areas(
    session: Session,
    city: City,
    data: bytes,
    *,
    filename: str = "",
    user_id: int | None = None,
    skip_invalid: bool = False,
) -> ImportResult:
    """Store the admin areas of ``data`` for ``city``: all or nothing, and a repeat changes nothing."""
    digest = sha256_bytes(data)
    result = ImportResult(sha256=digest)
    done = find_import(session, city.id, IMPORT_KIND, digest)
    if done is not None:
        result.already_imported = True
        result.unchanged = int(done.summary.get("created", 0)) + int(done.summary.get("updated", 0))
        return result
    records, skipped = read_areas(data, city.code, skip_invalid=skip_invalid)
    result.skipped = skipped
    existing = {a.code: a for a in session.scalars(select(AdminArea).where(AdminArea.city_id == city.id))}
    for rec in records:
        area = existing.get(rec.code)
        source = "derived" if rec.derived else (filename or "upload")
        if rec.derived and rec.name == rec.code and area is not None:
            # the villages gave their kecamatan no name: it keeps the one it has (a kecamatan file's, say)
            rec = replace(rec, name=area.name)
        if area is None:
            session.add(
                AdminArea(
                    city_id=city.id,
                    code=rec.code,
                    code_scheme=rec.code_scheme,
                    name=rec.name,
                    level=rec.level,
                    parent_code=rec.parent_code,
                    source=source,
                    properties=rec.properties,
                    geom=rec.geom,
                )
            )
            result.created += 1
        elif area.name != rec.name or not area.geom.equals_exact(rec.geom, 1e-9) or area.level != rec.level:
            area.name, area.level, area.parent_code = rec.name, rec.level, rec.parent_code
            area.geom, area.properties = rec.geom, rec.properties
            area.source, area.code_scheme = source, rec.code_scheme
            result.updated += 1
        else:
            result.unchanged += 1
        result.derived += int(rec.derived)
    record_import(
        session,
        city.id,
        IMPORT_KIND,
        digest,
        filename=filename,
        user_id=user_id,
        summary={k: v for k, v in result.as_dict().items() if k != "skipped"} | {"skipped": len(skipped)},
    )
    return result


@job("admin_areas.import", title=N_("Admin areas import"))
def import_areas_job(
    ctx: JobContext, *, city: str, path: str, filename: str, sha256: str = "", skip_invalid: bool = False
) -> dict[str, Any]:
    """The job of an admin-area upload: :func:`import_areas` of the file at ``path``, audited."""
    from pathlib import Path

    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope

    data = Path(path).read_bytes()
    with session_scope(ctx.engine, write=True) as session:
        target = accounts.get_city(session, city)
        result = import_areas(session, target, data, filename=filename, user_id=ctx.user_id, skip_invalid=skip_invalid)
        if not result.already_imported:
            accounts.audit(
                session,
                target.id,
                ctx.user_id,
                "admin_areas.import",
                filename,
                **{k: v for k, v in result.as_dict().items() if k != "skipped"},
            )
        return result.as_dict()


#: How far (degrees, about 20 km) a city's data may lie outside the box of its stored areas.
CITY_MARGIN_DEG = 0.2
#: Half the side of the box (degrees, about 80 km) around a city's centre when it has no stored areas.
CITY_RADIUS_DEG = 0.75


def city_extent(session: Session, city: City) -> tuple[float, float, float, float] | None:
    """The box (west, south, east, north) a city's data must touch: its stored areas grown by
    :data:`CITY_MARGIN_DEG`, else a box around its centre; ``None`` when neither is known."""
    row = session.execute(
        select(
            func.min(AdminArea.bbox_minx),
            func.min(AdminArea.bbox_miny),
            func.max(AdminArea.bbox_maxx),
            func.max(AdminArea.bbox_maxy),
        ).where(AdminArea.city_id == city.id)
    ).one()
    if row[0] is not None:
        m = CITY_MARGIN_DEG
        return (float(row[0]) - m, float(row[1]) - m, float(row[2]) + m, float(row[3]) + m)
    if city.center_lon is not None and city.center_lat is not None:
        r = CITY_RADIUS_DEG
        return (city.center_lon - r, city.center_lat - r, city.center_lon + r, city.center_lat + r)
    return None
