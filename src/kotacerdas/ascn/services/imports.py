"""Imports from spreadsheets: partners, projects and partnerships, each bad cell named (sheet, row, column,
reason), nothing written unless every row is valid (or the valid ones only, when asked), the same file twice
one import, and look-alike organisations offered to the secretariat to merge, never merged.

Who may import what: the secretariat anything; a city's officer the projects and partnerships of
their own city only (a row of another city is an error of that row).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from kotacerdas.ascn import duplicates as dup
from kotacerdas.ascn.errors import AscnError, Checks, FieldErrors, ImportProblems
from kotacerdas.ascn.formats import spreadsheet
from kotacerdas.ascn.services import partners as partner_service
from kotacerdas.ascn.services import registry
from kotacerdas.ascn.store.tables import AscnPartner, AscnProject
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_, gettext
from kotacerdas.core.imports import find_import, record_import, sha256_bytes

KIND = "ascn.workbook"
LIST_COLUMNS = {"offers", "focus_areas", "aliases", "funding_sources", "sdg_targets"}


@dataclass(frozen=True)
class Scope:
    """What the importing user may write: every city (``None``) or these member cities, and partners or not."""

    cities: Collection[str] | None
    partners: bool


@dataclass
class Result:
    created: dict[str, int] = field(default_factory=lambda: {"partners": 0, "projects": 0, "partnerships": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"partners": 0, "projects": 0})
    skipped: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    already_imported: bool = False

    def as_dict(self, lang: str = "en") -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "skipped": [
                {"sheet": p["sheet"], "row": p["row"], "column": p["column"], "error": p["error"].render(lang)}
                for p in self.skipped
            ],
            "duplicates": self.duplicates,
            "already_imported": self.already_imported,
        }


def _values(record: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in record.items():
        if key in LIST_COLUMNS:
            out[key] = [v.strip() for v in spreadsheet.as_text(value).replace(";", ",").split(",") if v.strip()]
        elif key in ("lon", "lat", "budget"):
            out[key] = None if value in (None, "") else value
        elif key in ("start_date", "end_date"):
            out[key] = value
        else:
            out[key] = spreadsheet.as_text(value)
    return out


def _problem(sheet: str, row: int, error: KotacerdasError, column: str | None = None) -> dict:
    return {"sheet": sheet, "row": row, "column": column or error.field, "error": error}


def import_file(
    session: Session,
    data: bytes,
    filename: str,
    *,
    scope: Scope,
    record_city_id: int,
    user_id: int | None = None,
    kind: str | None = None,
    skip_invalid: bool = False,
    lang: str = "en",
) -> Result:
    """Import a workbook or CSV file in the caller's transaction (refused whole on any bad row by default).

    Numbers typed as text (CSV cells, text cells of a workbook) are read in ``lang``, the importer's language,
    and in the other language when only that one reads them (:func:`kotacerdas.core.formats.parse_number`).
    """
    digest = sha256_bytes(data)
    result = Result()
    if find_import(session, record_city_id, KIND, digest) is not None:
        result.already_imported = True
        return result
    sheets, problems = spreadsheet.read(data, filename, kind)
    if problems:
        raise ImportProblems(
            N_("The file has {n} problems; nothing was imported"), problems=_flat(problems, lang), n=len(problems)
        )
    known_partners: dict[str, AscnPartner] = {}
    for sheet in sheets:
        for row_number, record in sheet.rows:
            values = _values(record)
            try:
                with session.begin_nested():
                    _apply(session, sheet.kind, values, scope, result, known_partners, lang)
            except FieldErrors as exc:  # every bad cell of the row
                problems.extend(_problem(sheet.kind, row_number, e) for e in exc.errors)
            except KotacerdasError as exc:
                problems.append(_problem(sheet.kind, row_number, exc))
    if problems and not skip_invalid:
        raise ImportProblems(
            N_("The file has {n} problems; nothing was imported"), problems=_flat(problems, lang), n=len(problems)
        )
    result.skipped = problems
    summary = {**result.as_dict(), "skipped": len(problems)}
    record_import(session, record_city_id, KIND, digest, filename=filename, summary=summary, user_id=user_id)
    return result


def _flat(problems: list[dict], lang: str) -> list[dict]:
    """Problems as the API's problem details list them: the record is ``sheet row N`` in the importer's language
    (the sheet keeps its name in the file: ``projects baris 3``)."""
    row = gettext(N_("{sheet} row {row}"), lang)
    return [
        {"record": row.format(sheet=p["sheet"], row=p["row"]), "field": p["column"], "error": p["error"]}
        for p in problems
    ]


def _apply(session: Session, kind: str, values: dict, scope: Scope, result: Result, known: dict, lang: str) -> None:
    if kind == "partners":
        _partner(session, values, scope, result, known)
    elif kind == "projects":
        _project(session, values, scope, result, lang)
    else:
        _partnership(session, values, scope, result, known)


def _city(session: Session, values: dict, scope: Scope):
    city = registry.find_city(session, values.get("city") or "")
    if city is None:
        raise AscnError(N_("No member city {name}"), field="city", name=values.get("city"))
    if scope.cities is not None and city.slug not in scope.cities:
        raise AscnError(N_("You may import records of your own city only"), field="city", status=403)
    return city


def _partner(session: Session, values: dict, scope: Scope, result: Result, known: dict) -> None:
    if not scope.partners:
        raise AscnError(N_("Only the secretariat imports partners"), field="name", status=403)
    name = values.get("name") or ""
    existing = partner_service.find_by_name(session, name)
    if existing is not None:
        changes = {
            k: v for k, v in values.items() if k not in ("name", "aliases", "source") and v not in ("", [], None)
        }
        partner_service.update_partner(session, existing, changes)
        for alias in values.get("aliases", []):
            partner_service.add_alias(session, existing, alias)
        result.updated["partners"] += 1
        known[dup.plain(name)] = existing
        return
    look_alikes = _look_alikes(session, name)
    partner = partner_service.create_partner(session, {**values, "kind": values.get("kind") or "company"})
    result.created["partners"] += 1
    known[dup.plain(name)] = partner
    for other, reasons in look_alikes:
        result.duplicates.append(
            {"new": partner.slug, "existing": other.slug, "existing_name": other.name, "reasons": reasons}
        )


def _look_alikes(session: Session, name: str) -> list[tuple[AscnPartner, list[str]]]:
    """Live partners whose names look like ``name`` (spelling or acronym; meaning is checked by the secretariat's
    duplicates list, which also compares names across languages)."""
    from sqlalchemy import select

    out = []
    for p in session.scalars(select(AscnPartner).where(AscnPartner.merged_into_id.is_(None))):
        score, reasons = dup.compare([name], [p.name, *partner_service.aliases(session, p.id)])
        if reasons:
            out.append((p, reasons))
    return out


def _project(session: Session, values: dict, scope: Scope, result: Result, lang: str) -> None:
    from sqlalchemy import select

    checks = Checks()
    city = None
    with checks.field():
        city = _city(session, values, scope)
    fields = {k: v for k, v in values.items() if k != "city" and (k == "title" or v not in ("", None))}
    fields.setdefault("status", "idea")
    if city is None:  # the row's other cells are checked too, on a project that is never stored
        with checks.field():
            blank = AscnProject(focus_areas=[], funding_sources=[], sdg_targets=[], systems=[])
            registry.apply_project(blank, fields, lang)
        checks.done()
        return
    existing = session.scalar(
        select(AscnProject).where(AscnProject.city_pk == city.id, AscnProject.title == (values.get("title") or ""))
    )
    if existing is not None:
        registry.update_project(session, existing, fields, lang)
        result.updated["projects"] += 1
    else:
        registry.create_project(session, city, fields, lang)
        result.created["projects"] += 1


def _partnership(session: Session, values: dict, scope: Scope, result: Result, known: dict) -> None:
    from sqlalchemy import select

    from kotacerdas.ascn.services.knowledge import slugify
    from kotacerdas.ascn.store.tables import AscnPartnership, AscnProgramme

    checks = Checks()
    city = partner = project = programme = None
    with checks.field():
        city = _city(session, values, scope)
    with checks.field():
        name = values.get("partner") or ""
        partner = known.get(dup.plain(name)) or partner_service.find_by_name(session, name)
        if partner is None:
            raise AscnError(N_("No partner {name}: add it to the partners sheet first"), field="partner", name=name)
    with checks.field():
        ref = values.get("project")
        if ref and city is not None:
            stmt = select(AscnProject).where(AscnProject.city_pk == city.id)
            project = session.scalar(
                stmt.where(AscnProject.id == int(ref)) if ref.isdigit() else stmt.where(AscnProject.title == ref)
            )
            if project is None:
                raise AscnError(N_("No project {name} in this city"), field="project", name=ref)
    with checks.field():
        ref = values.get("programme")
        if ref:
            programme = session.scalar(
                select(AscnProgramme).where((AscnProgramme.slug == slugify(ref)) | (AscnProgramme.name == ref))
            )
            if programme is None:
                raise AscnError(N_("No programme {name}"), field="programme", name=ref)
    checked = None
    with checks.field():
        checked = registry.check_partnership(values)
    checks.done()
    assert city is not None and partner is not None and checked is not None
    same = select(AscnPartnership.id).where(
        AscnPartnership.partner_id == partner.id,
        AscnPartnership.city_pk == city.id,
        AscnPartnership.project_id == (project.id if project else None),
        AscnPartnership.type == checked.type,
    )
    if session.scalar(same) is not None:
        return  # recorded already (by an earlier, different file)
    registry.create_partnership(session, partner, city, values, project, programme)
    result.created["partnerships"] += 1
