"""Bulk import and export of units, activities and report values with CSV/XLSX templates.

An import reads every row; each bad row is named by its row number, its column and the
reason, and skipped, while every valid row is stored, all in one transaction. The file's
SHA-256 is recorded (:mod:`kotacerdas.core.imports`): the same file imported again changes
nothing. Rows update in place by their key (unit ``code``; ``unit`` + activity ``code``;
``unit`` + ``period`` + ``indicator``), so an edited file imports as updates. An export writes
the same columns, so an exported file imports again unchanged.

Nothing is stored changed: cells are read as officials type them (decimal commas, ``Rp15.000``,
``ya``/``tidak``, XLSX date cells for a period; :mod:`kotacerdas.lorong.formats.sheets`) and a cell
that cannot be read is refused, not guessed. A row whose key an earlier row of the same file already
imported is refused, naming that row (it no longer overwrites it). A unit's line and an activity's
point must lie in the city; activities and values only under themes the unit takes part in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_
from kotacerdas.core.imports import find_import, record_import, sha256_bytes
from kotacerdas.core.models import City
from kotacerdas.lorong import periods, texts
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.formats import sheets
from kotacerdas.lorong.services import areas as area_service
from kotacerdas.lorong.services import reports as report_service
from kotacerdas.lorong.services import scores
from kotacerdas.lorong.services import units as unit_service
from kotacerdas.lorong.services.programmes import indicators
from kotacerdas.lorong.store.rows import must_get
from kotacerdas.lorong.store.tables import (
    LorongActivity,
    LorongIndicator,
    LorongProgramme,
    LorongReport,
    LorongReportValue,
    LorongTheme,
    LorongUnit,
)

COLUMNS: dict[str, tuple[str, ...]] = {
    "units": (
        "code",
        "name",
        "kecamatan_code",
        "kelurahan_code",
        "rw",
        "rt",
        "address",
        "grade",
        "themes",
        "geometry",
        "description_id",
        "description_en",
        "public_contact",
        "coordinator",
        "coordinator_name",
        "contact_phone",
        "published",
    ),
    "activities": (
        "unit",
        "code",
        "kind",
        "theme",
        "name_id",
        "name_en",
        "description_id",
        "description_en",
        "started_on",
        "ended_on",
        "lon",
        "lat",
        "products",
        "products_en",
        "contact",
        "contact_public",
        "public",
    ),
    "values": ("unit", "period", "indicator", "value"),
}
REQUIRED = {
    "units": ("code", "name", "kecamatan_code", "kelurahan_code", "geometry"),
    "activities": ("unit", "code", "kind", "name_id"),
    "values": ("unit", "period", "indicator", "value"),
}
KINDS = tuple(COLUMNS)
#: What each kind of sheet is called, in the reader's language (the import summary).
KIND_NAMES = {"units": N_("units"), "activities": N_("activities"), "values": N_("values")}
#: Columns of older templates, read as today's (an activity's one-language name and description are Indonesian).
ALIASES = {"activities": {"name": "name_id", "description": "description_id"}}
#: The columns that make a row's key, per kind of sheet.
KEYS = {"units": ("code",), "activities": ("unit", "code"), "values": ("unit", "period", "indicator")}


@dataclass
class BulkResult:
    kind: str
    sha256: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    already_imported: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.errors,
            "already_imported": self.already_imported,
            "sha256": self.sha256,
        }


def _aliased(kind: str, header: list[str]) -> list[str]:
    names = ALIASES.get(kind, {})
    return [names.get(h, h) if names.get(h) not in header else h for h in header]


def guess_kind(header: list[str]) -> str:
    for kind in ("values", "activities", "units"):
        if all(c in _aliased(kind, header) for c in REQUIRED[kind]):
            return kind
    raise LorongError(N_("The columns do not match a template (units, activities or values)"), field="file")


def _bool(row: dict[str, Any], column: str, default: bool) -> bool:
    return sheets.cell_bool(row.get(column), field=column, default=default)


def _text(value: Any) -> str:
    """A cell as text; a whole number an XLSX cell holds as ``3.0`` is written ``3``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _products(text: str, english: str = "") -> list[dict[str, Any]]:
    """``name:price:unit; name:price:unit`` -> products, a price as officials write it (``15.000``, ``Rp5000``);
    ``english``: the products' English names in the same order (``name; name``), empty for none."""
    out: list[dict[str, Any]] = []
    for part in str(text or "").split(";"):
        if not part.strip():
            continue
        bits = [b.strip() for b in part.split(":")]
        out.append(
            {
                "name": {"id": bits[0], "en": ""},
                "price": sheets.cell_rupiah(bits[1], field="products") if len(bits) > 1 else None,
                "unit": bits[2] if len(bits) > 2 else "",
            }
        )
    names = [n.strip() for n in str(english or "").split(";")] if str(english or "").strip() else []
    if names and len(names) != len(out):
        raise LorongError(
            N_("products_en has {given} names for {count} products: give one English name per product, in order"),
            field="products_en",
            given=len(names),
            count=len(out),
        )
    for product, name in zip(out, names, strict=False):
        product["name"]["en"] = name
    return out


def _period_key(programme: LorongProgramme, value: Any) -> str:
    """A period as typed (``2025-04``), or the period holding a date cell (``2026-09-01 00:00:00``)."""
    day = sheets.cell_day(value)
    if day is not None:
        return periods.containing(day, programme.period).key
    return _text(value)


def _key(kind: str, programme: LorongProgramme, row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(_period_key(programme, row.get(c)) if c == "period" else _text(row.get(c)) for c in KEYS[kind])


def _duplicate(kind: str, key: tuple[str, ...], first: int, number: int) -> LorongError:
    return LorongError(
        N_("The key {key} was already imported from row {first} of this file: keep one row per key"),
        field=KEYS[kind][-1],
        record=number,
        key=" / ".join(key),
        first=first,
    )


def _products_text(products: list[dict[str, Any]]) -> tuple[str, str]:
    """The ``products`` and ``products_en`` cells of stored products (an old plain name is Indonesian)."""
    listed = unit_service.product_fields(products)
    text = "; ".join(f"{p['name'].get('id', '')}:{p.get('price') or ''}:{p.get('unit') or ''}" for p in listed)
    english = [p["name"].get("en", "") for p in listed]
    return text, "; ".join(english) if any(english) else ""


def _state(row: Any, keys: tuple[str, ...]) -> tuple:
    return tuple(getattr(row, k) for k in keys)


def import_sheet(
    session: Session,
    programme: LorongProgramme,
    data: bytes,
    *,
    filename: str = "",
    kind: str | None = None,
    user_id: int | None = None,
    may_write: Callable[[LorongUnit], bool] = lambda _u: True,
    may_configure: bool = True,
) -> BulkResult:
    """Import a CSV/XLSX sheet of ``kind`` (guessed from its columns when not given) into ``programme``.

    ``may_write(unit)`` says whether the importer may change a unit (a coordinator: only their own);
    creating units needs ``may_configure``.
    """
    digest = sha256_bytes(data)
    header, rows = sheets.read_sheet(data, filename)
    kind = kind or guess_kind(header)
    if kind not in COLUMNS:
        raise LorongError(N_("{name} must be one of: {allowed}"), field="kind", name="kind", allowed=", ".join(KINDS))
    renamed = dict(zip(header, _aliased(kind, header), strict=True))
    if any(a != b for a, b in renamed.items()):
        header = list(renamed.values())
        rows = [(n, {renamed.get(k, k): v for k, v in row.items()}) for n, row in rows]
    result = BulkResult(kind=kind, sha256=digest)
    import_kind = f"lorong.{kind}"
    if find_import(session, programme.city_id, import_kind, digest) is not None:
        result.already_imported = True
        return result
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        raise LorongError(N_("The column {column} is missing"), field=missing[0], record=1, column=", ".join(missing))
    city = must_get(session, City, programme.city_id)
    ctx = {
        "areas": area_service.city_areas(session, city),
        "city": city,
        "outline": area_service.city_outline(session, city),
    }
    handler = {"units": _unit_row, "activities": _activity_row, "values": _value_row}[kind]
    imported: dict[tuple[str, ...], int] = {}  # key -> the row of this file it was imported from
    for number, row in rows:
        try:
            key = _key(kind, programme, row)
            with session.begin_nested():  # a duplicate row is undone with its savepoint
                outcome = handler(session, programme, row, number, ctx, may_write, may_configure, user_id)
                if key in imported:
                    raise _duplicate(kind, key, imported[key], number)
            imported[key] = number
            setattr(result, outcome, getattr(result, outcome) + 1)
        except KotacerdasError as exc:
            if exc.record is None:
                exc.record = number
            result.errors.append(
                {"row": number, "column": _column(kind, exc.field), "reason": exc.render("en"), "error": exc}
            )
    scores.run_pending(session)  # an import runs off the web server: the whole programme is scored here if need be
    record_import(
        session,
        programme.city_id,
        import_kind,
        digest,
        filename=filename,
        user_id=user_id,
        summary={k: v for k, v in result.as_dict().items() if k != "errors"} | {"errors": len(result.errors)},
    )
    return result


#: The model field an error names -> the sheet's column, per kind of sheet.
FIELD_COLUMNS = {
    "units": {
        "theme": "themes",
        "description": "description_id",
        "is_published": "published",
        "coordinator": "coordinator",
    },
    "activities": {
        "name": "name_id",
        "description": "description_id",
        "location": "lon",
        "geometry": "lon",
        "is_public": "public",
        "started_on": "started_on",
        "products": "products",
    },
    "values": {"values": "value", "submit": "period"},
}


def _column(kind: str, field_name: str | None) -> str | None:
    if not field_name:
        return None
    if field_name.replace(".", "_") in COLUMNS[kind]:  # description.en -> description_en
        return field_name.replace(".", "_")
    base = field_name.split(".")[0]
    column = FIELD_COLUMNS.get(kind, {}).get(base, base)
    return column if column in COLUMNS[kind] else None


def _unit_of(session: Session, programme: LorongProgramme, code: str, number: int) -> LorongUnit:
    unit = unit_service.unit_by_code(session, programme.id, str(code).strip())
    if unit is None:
        raise LorongError(N_("No unit with code {code}"), field="unit", record=number, code=code)
    return unit


def _unit_row(session, programme, row, number, ctx, may_write, may_configure, user_id) -> str:
    from kotacerdas.core.errors import PermissionDenied

    for c in REQUIRED["units"]:
        if not str(row.get(c) or "").strip():
            raise LorongError(N_("{name} is required"), field=c, record=number, name=c)
    unit = unit_service.unit_by_code(session, programme.id, str(row["code"]).strip())
    if unit is None and not may_configure:
        raise PermissionDenied(N_("Only a programme administrator may add units"), field="code", record=number)
    if unit is not None and not (may_configure or may_write(unit)):
        raise PermissionDenied(N_("Only the unit's own coordinator may change it"), field="code", record=number)
    data = {
        "code": str(row["code"]).strip(),
        "name": row.get("name"),
        "kecamatan_code": row.get("kecamatan_code"),
        "kelurahan_code": row.get("kelurahan_code"),
        "rw": _text(row.get("rw")),
        "rt": _text(row.get("rt")),
        "address": row.get("address") or "",
        "grade": row.get("grade") or "",
        "themes": [t.strip() for t in str(row.get("themes") or "").replace(",", ";").split(";") if t.strip()],
        "geometry": row.get("geometry"),
        "description": {"id": _text(row.get("description_id")), "en": _text(row.get("description_en"))}
        if _text(row.get("description_id")) or _text(row.get("description_en"))
        else None,
        "public_contact": row.get("public_contact") or "",
        "coordinator_name": row.get("coordinator_name") or "",
        "contact_phone": _text(row.get("contact_phone")),
        "is_published": _bool(row, "published", True),
    }
    if row.get("coordinator"):
        data["coordinator"] = row["coordinator"]
    keys = (
        "name",
        "kecamatan_code",
        "kelurahan_code",
        "rw",
        "rt",
        "address",
        "grade",
        "public_contact",
        "coordinator_name",
        "contact_phone",
        "is_published",
        "coordinator_user_id",
    )
    before = (
        _state(unit, keys)
        + (unit.geom.wkb, tuple(unit_service.unit_theme_codes(session, [unit.id])[unit.id]), repr(unit.description))
        if unit
        else None
    )
    allowed = unit_service.ADMIN_FIELDS if may_configure else unit_service.COORDINATOR_FIELDS
    if unit is not None and not may_configure:
        data = {k: v for k, v in data.items() if k in allowed or k in ("themes",)}
    saved = unit_service.save_unit(
        session,
        programme,
        ctx["city"],
        data if unit is None else {k: v for k, v in data.items() if k != "code"},
        unit=unit,
        allowed=allowed,
        record=number,
        areas=ctx["areas"],
        outline=ctx["outline"],
    )
    if unit is None:
        return "created"
    after = _state(saved, keys) + (
        saved.geom.wkb,
        tuple(unit_service.unit_theme_codes(session, [saved.id])[saved.id]),
        repr(saved.description),
    )
    return "unchanged" if after == before else "updated"


def _activity_row(session, programme, row, number, ctx, may_write, may_configure, user_id) -> str:
    from kotacerdas.core.errors import PermissionDenied

    unit = _unit_of(session, programme, row.get("unit"), number)
    if not (may_configure or may_write(unit)):
        raise PermissionDenied(N_("Only the unit's own coordinator may change it"), field="unit", record=number)
    existing = session.scalar(
        select(LorongActivity).where(LorongActivity.unit_id == unit.id, LorongActivity.code == str(row["code"]).strip())
    )
    keys = (
        "kind",
        "theme_id",
        "name",
        "description",
        "started_on",
        "ended_on",
        "contact",
        "contact_public",
        "is_public",
    )
    before = (
        _state(existing, keys) + (repr(existing.products), existing.geom.wkb if existing.geom is not None else None)
        if existing
        else None
    )
    location = _location(row, number)
    act = unit_service.save_activity(
        session,
        unit,
        str(row["code"]).strip(),
        {
            "kind": row.get("kind"),
            "theme": row.get("theme") or "",
            "name": {"id": _text(row.get("name_id")), "en": _text(row.get("name_en"))},
            "description": {"id": _text(row.get("description_id")), "en": _text(row.get("description_en"))},
            "started_on": sheets.cell_day(row.get("started_on")) or row.get("started_on") or "",
            "ended_on": sheets.cell_day(row.get("ended_on")) or row.get("ended_on") or "",
            "products": _products(row.get("products") or "", row.get("products_en") or ""),
            "contact": _text(row.get("contact")),
            "contact_public": _bool(row, "contact_public", False),
            "is_public": _bool(row, "public", True),
            "location": location,
        },
        record=number,
        outline=ctx["outline"],
    )
    if existing is None:
        return "created"
    after = _state(act, keys) + (repr(act.products), act.geom.wkb if act.geom is not None else None)
    return "unchanged" if after == before else "updated"


def _location(row: dict[str, Any], number: int) -> dict[str, Any] | None:
    """The activity's point from the ``lon`` and ``lat`` cells (both or neither), each checked in its column."""
    lon, lat = _text(row.get("lon")), _text(row.get("lat"))
    if not lon and not lat:
        return None
    coords = []
    for column, text, limit in (("lon", lon, 180), ("lat", lat, 90)):
        if not text:
            raise LorongError(N_("Give both lon and lat, or neither"), field=column, record=number)
        value = sheets.cell_number(row[column], field=column)
        if not -limit <= value <= limit:
            raise LorongError(
                N_("{column} {value} is outside -{limit}..{limit}"),
                field=column,
                record=number,
                column=column,
                value=text,
                limit=limit,
            )
        coords.append(value)
    return {"type": "Point", "coordinates": coords}


def _value_row(session, programme, row, number, ctx, may_write, may_configure, user_id) -> str:
    from kotacerdas.core.errors import PermissionDenied

    unit = _unit_of(session, programme, row.get("unit"), number)
    if not (may_configure or may_write(unit)):
        raise PermissionDenied(N_("Only the unit's own coordinator may change it"), field="unit", record=number)
    code = _text(row.get("indicator"))
    period = _period_key(programme, row.get("period"))
    value = row.get("value")
    if value is None or _text(value) == "":
        raise LorongError(N_("{name} is required"), field="value", record=number, name="value")
    if code not in {i.code for i in indicators(session, programme.id, active_only=True)}:
        raise LorongError(N_("Unknown indicator {code}"), field="indicator", record=number, code=code)
    checked = report_service.check_values(
        session, programme, {code: sheets.cell_number(value, field="value")}, record=number
    )
    report_service.check_unit_themes(session, unit, checked, field="indicator", record=number)
    ((indicator_id, number_value),) = checked.items()
    report = session.scalar(select(LorongReport).where(LorongReport.unit_id == unit.id, LorongReport.period == period))
    old = None
    if report is not None:
        old = session.scalar(
            select(LorongReportValue.value).where(
                LorongReportValue.report_id == report.id, LorongReportValue.indicator_id == indicator_id
            )
        )
        if old is not None and abs(old - number_value) < 1e-12:
            return "unchanged"
    try:
        report_service.save(session, unit, period, {code: number_value}, user_id=user_id, submit=True, action="import")
    except LorongError as exc:
        exc.record = number
        raise
    return "created" if old is None else "updated"


def template(kind: str) -> tuple[str, ...]:
    if kind not in COLUMNS:
        raise LorongError(N_("{name} must be one of: {allowed}"), field="kind", name="kind", allowed=", ".join(KINDS))
    return COLUMNS[kind]


def export_rows(session: Session, programme: LorongProgramme, kind: str, unit_condition=None) -> list[list[Any]]:
    """The rows of ``kind`` in the template's columns (``unit_condition`` narrows to the caller's units)."""
    template(kind)
    stmt = select(LorongUnit).where(LorongUnit.programme_id == programme.id).order_by(LorongUnit.code)
    if unit_condition is not None:
        stmt = stmt.where(unit_condition)
    units = list(session.scalars(stmt))
    ids = [u.id for u in units]
    if kind == "units":
        themes_of = unit_service.unit_theme_codes(session, ids)
        from kotacerdas.core.models import User

        users = dict(session.execute(select(User.id, User.username)).all())
        return [
            [
                u.code,
                u.name,
                u.kecamatan_code,
                u.kelurahan_code,
                u.rw,
                u.rt,
                u.address,
                u.grade or "",
                ";".join(themes_of[u.id]),
                u.geom.wkt,
                (u.description or {}).get("id", ""),
                (u.description or {}).get("en", ""),
                u.public_contact,
                users.get(u.coordinator_user_id or 0, ""),
                u.coordinator_name,
                u.contact_phone,
                "1" if u.is_published else "0",
            ]
            for u in units
        ]
    by_id = {u.id: u for u in units}
    if kind == "activities":
        theme_codes = dict(
            session.execute(
                select(LorongTheme.id, LorongTheme.code).where(LorongTheme.programme_id == programme.id)
            ).all()
        )
        out = []
        for chunk in range(0, len(ids), 900):
            for a in session.scalars(
                select(LorongActivity)
                .where(LorongActivity.unit_id.in_(ids[chunk : chunk + 900]))
                .order_by(LorongActivity.unit_id, LorongActivity.code)
            ):
                name, description = texts.read(a.name), texts.read(a.description)
                products, products_en = _products_text(a.products)
                out.append(
                    [
                        by_id[a.unit_id].code,
                        a.code,
                        a.kind,
                        theme_codes.get(a.theme_id or 0, ""),
                        name.get("id", ""),
                        name.get("en", ""),
                        description.get("id", ""),
                        description.get("en", ""),
                        a.started_on.isoformat() if a.started_on else "",
                        a.ended_on.isoformat() if a.ended_on else "",
                        a.geom.x if a.geom is not None else "",
                        a.geom.y if a.geom is not None else "",
                        products,
                        products_en,
                        a.contact,
                        "1" if a.contact_public else "0",
                        "1" if a.is_public else "0",
                    ]
                )
        return sorted(out, key=lambda r: (r[0], r[1]))
    codes = {i.id: i.code for i in indicators(session, programme.id)}
    out = []
    for chunk in range(0, len(ids), 900):
        for uid, period, iid, value in session.execute(
            select(LorongReport.unit_id, LorongReport.period, LorongReportValue.indicator_id, LorongReportValue.value)
            .join(LorongReportValue, LorongReportValue.report_id == LorongReport.id)
            .join(LorongIndicator, LorongIndicator.id == LorongReportValue.indicator_id)
            .where(LorongReport.unit_id.in_(ids[chunk : chunk + 900]))
        ):
            out.append([by_id[uid].code, period, codes[iid], value])
    return sorted(out, key=lambda r: (r[0], r[1], r[2]))


def export_file(session, programme, kind: str, fmt: str, unit_condition=None) -> tuple[bytes, str]:
    """The export of ``kind`` as ``csv`` or ``xlsx`` bytes, and its media type."""
    rows = export_rows(session, programme, kind, unit_condition)
    if fmt == "xlsx":
        return sheets.write_xlsx(COLUMNS[kind], rows, kind), XLSX
    if fmt == "csv":
        return sheets.write_csv(COLUMNS[kind], rows), "text/csv; charset=utf-8"
    raise LorongError(N_("{name} must be one of: {allowed}"), field="format", name="format", allowed="csv, xlsx")


def template_file(kind: str, fmt: str) -> tuple[bytes, str]:
    cols = template(kind)
    if fmt == "xlsx":
        return sheets.write_xlsx(cols, [], kind), XLSX
    if fmt == "csv":
        return sheets.write_csv(cols, []), "text/csv; charset=utf-8"
    raise LorongError(N_("{name} must be one of: {allowed}"), field="format", name="format", allowed="csv, xlsx")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
