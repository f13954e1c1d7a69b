"""The registry: member cities, projects, partnerships, programmes, indicators and published claims.

Each function takes a session and plain values (already parsed by the API, the CLI or an import),
checks them against the framework's vocabularies, writes, keeps the search index in step and
returns the row. Role checks are made by the callers (:mod:`kotacerdas.ascn.services.access`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kotacerdas.ascn import framework
from kotacerdas.ascn.errors import AscnError, Checks
from kotacerdas.ascn.services import knowledge
from kotacerdas.ascn.store.tables import (
    AscnCity,
    AscnCityEditor,
    AscnClaim,
    AscnIndicator,
    AscnIndicatorValue,
    AscnPartner,
    AscnPartnership,
    AscnProgramme,
    AscnProject,
)
from kotacerdas.core import formats
from kotacerdas.core.errors import NotFound
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import User

#: City systems a project may name as its live indicators (domains of the platform with ``home`` figures).
LINKABLE_SYSTEMS = ("roads", "bikes", "lorong")

CITY_FIELDS = ("name", "local_name", "population", "population_year", "population_source", "description", "lon", "lat")
CITY_PRIVATE = ("cso_name", "cso_email", "rep_name", "rep_email")


def get_city(session: Session, slug: str) -> AscnCity:
    city = session.scalar(select(AscnCity).where(AscnCity.slug == slug))
    if city is None:
        raise NotFound(N_("No member city {slug}"), field="city", slug=slug)
    return city


def find_city(session: Session, name_or_slug: str) -> AscnCity | None:
    """A member city by slug or name (either case), or ``None``."""
    value = name_or_slug.strip()
    city = session.scalar(select(AscnCity).where(AscnCity.slug == value.lower()))
    if city is None:
        city = session.scalar(select(AscnCity).where(AscnCity.name.ilike(value)))
    if city is None:
        city = session.scalar(select(AscnCity).where(AscnCity.slug == knowledge.slugify(value)))
    return city


def check_lon(value: Any, lang: str = "en") -> float | None:
    """A longitude in -180..180 (a number, or text read in ``lang``), or ``None``."""
    number = parse_number(value, "lon", lang)
    if number is not None and not -180 <= number <= 180:
        raise AscnError(N_("Longitude {value} is outside -180..180"), field="lon", value=value)
    return None if number is None else float(number)


def check_lat(value: Any, lang: str = "en") -> float | None:
    """A latitude in -90..90 (a number, or text read in ``lang``), or ``None``."""
    number = parse_number(value, "lat", lang)
    if number is not None and not -90 <= number <= 90:
        raise AscnError(N_("Latitude {value} is outside -90..90"), field="lat", value=value)
    return None if number is None else float(number)


def check_city(changes: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
    """``changes`` to a member city checked, every bad field named at once (:class:`FieldErrors`); numbers typed
    as text are read in ``lang``."""
    checks, out = Checks(), dict[str, Any]()
    for key in ("name", "local_name", "population_source", "description", "cso_name", "rep_name"):
        if key in changes:
            out[key] = (changes[key] or "").strip()
    with checks.field():
        if "name" in out and not out["name"]:
            raise AscnError(N_("A member city needs a name"), field="name")
    with checks.field():
        if "population" in changes:
            out["population"] = parse_whole(changes["population"], "population", lang)
            if out["population"] is not None and out["population"] < 0:
                raise AscnError(N_("A population cannot be negative"), field="population")
    with checks.field():
        if "population_year" in changes:
            year = parse_whole(changes["population_year"], "population_year", lang)
            out["population_year"] = framework.check_year(year, "population_year")
    with checks.field():
        if "lon" in changes:
            out["lon"] = check_lon(changes["lon"], lang)
    with checks.field():
        if "lat" in changes:
            out["lat"] = check_lat(changes["lat"], lang)
    for key in ("cso_email", "rep_email"):
        with checks.field():
            if key in changes:
                out[key] = framework.check_email(changes[key], key)
    checks.done()
    return out


def update_city(session: Session, city: AscnCity, changes: Mapping[str, Any], lang: str = "en") -> AscnCity:
    """Change the public profile and private contacts of a member city (name, population, contacts ...); nothing
    changes unless every field is right."""
    for key, value in check_city(changes, lang).items():
        setattr(city, key, value)
    session.flush()
    return city


def city_editors(session: Session, city: AscnCity) -> list[str]:
    """The usernames the secretariat named editors of ``city``, sorted."""
    return list(
        session.scalars(
            select(User.username)
            .join(AscnCityEditor, AscnCityEditor.user_id == User.id)
            .where(AscnCityEditor.city_pk == city.id)
            .order_by(User.username)
        )
    )


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound(N_("No user {username}"), field="username", username=username)
    return user


def add_city_editor(session: Session, city: AscnCity, username: str) -> list[str]:
    """Name ``username`` an editor of ``city`` (the secretariat's decision; idempotent); the editors after it."""
    user = _user(session, username)
    exists = session.scalar(
        select(AscnCityEditor.id).where(AscnCityEditor.city_pk == city.id, AscnCityEditor.user_id == user.id)
    )
    if exists is None:
        session.add(AscnCityEditor(city_pk=city.id, user_id=user.id))
        session.flush()
    return city_editors(session, city)


def remove_city_editor(session: Session, city: AscnCity, username: str) -> list[str]:
    """``username`` no longer edits ``city`` (nothing happens if they did not); the editors after it."""
    user = _user(session, username)
    session.execute(delete(AscnCityEditor).where(AscnCityEditor.city_pk == city.id, AscnCityEditor.user_id == user.id))
    session.flush()
    return city_editors(session, city)


# -- projects -------------------------------------------------------------------------------------------

PROJECT_TEXT = ("title", "summary", "local_title", "local_summary", "lead_agency", "source", "source_url")


def get_project(session: Session, project_id: int) -> AscnProject:
    project = session.get(AscnProject, project_id)
    if project is None:
        raise NotFound(N_("No project with id {id}"), field="project", id=project_id)
    return project


def parse_date(value: Any, field: str) -> date | None:
    """A date written as a day, a month or a year (``2024-07-18``, ``2024-07``, ``2024``) in
    :data:`framework.YEARS`, or ``None`` when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        when = value
    else:
        text = str(value).strip()
        try:
            if len(text) == 4:
                when = date(int(text), 1, 1)
            elif len(text) == 7:
                when = date(int(text[:4]), int(text[5:7]), 1)
            else:
                when = date.fromisoformat(text[:10])
        except ValueError as exc:
            raise AscnError(N_("{value} is not a date like 2024-07-18"), field=field, value=text) from exc
    framework.check_year(when.year, field, *framework.YEARS)
    return when


#: The largest budget the column keeps (``Numeric(18, 2)``: 16 digits before the decimal point).
BUDGET_LIMIT = Decimal(10) ** 16
NOT_FINITE = re.compile(r"[-+\u2212]?(nan|inf|infinity|∞)", re.IGNORECASE)


def parse_number(value: Any, field: str, lang: str = "en") -> Decimal | None:
    """A number given as a number (API, spreadsheet cells) or as text typed in ``lang`` (forms, CSV cells:
    :func:`kotacerdas.core.formats.parse_number`); ``None`` when empty. NaN and infinities are refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise AscnError(N_("{value} is not a number"), field=field, value=value)
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = str(value).strip()
        if NOT_FINITE.fullmatch(text):
            number = Decimal("NaN")
        else:
            try:
                number = formats.parse_number(text, lang)
            except ValueError as exc:
                raise AscnError(
                    N_("{value} is not a number written like {example}"),
                    field=field,
                    value=text,
                    example=formats.number(1500000.5, lang, 1),
                ) from exc
    if not number.is_finite():
        raise AscnError(N_("{value} is not a finite number"), field=field, value=str(value).strip())
    return number


def parse_whole(value: Any, field: str, lang: str = "en") -> int | None:
    """A whole number (a population, a year) as :func:`parse_number` reads it."""
    number = parse_number(value, field, lang)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise AscnError(N_("{value} is not a whole number"), field=field, value=str(value).strip())
    return int(number)


def parse_budget(value: Any, lang: str = "en") -> Decimal | None:
    """A budget: a finite, non-negative amount below :data:`BUDGET_LIMIT`, kept to the cent."""
    amount = parse_number(value, "budget", lang)
    if amount is None:
        return None
    if amount < 0:
        raise AscnError(N_("A budget cannot be negative"), field="budget")
    if amount >= BUDGET_LIMIT:
        raise AscnError(
            N_("A budget must be less than {limit}"),
            field="budget",
            limit=formats.Quantity(int(BUDGET_LIMIT), "number", 0),
        )
    return amount.quantize(Decimal("0.01"))


def _as_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def apply_project(project: AscnProject, values: Mapping[str, Any], lang: str = "en") -> None:
    """Check ``values`` and set them on ``project`` (only the keys present); every bad field is named at once
    (:class:`FieldErrors`); numbers typed as text are read in ``lang`` (:func:`parse_number`)."""
    checks = Checks()
    for key in PROJECT_TEXT:
        if key in values:
            setattr(project, key, (values[key] or "").strip())
    with checks.field():
        if "title" in values and not project.title:
            raise AscnError(N_("A project needs a title"), field="title")
    with checks.field():
        if "source_url" in values:
            project.source_url = framework.check_url(project.source_url, "source_url")
    _apply_codes(project, values, checks)
    _apply_money(project, values, checks, lang)
    for key in ("start_date", "end_date"):
        with checks.field():
            if key in values:
                setattr(project, key, parse_date(values[key], key))
    with checks.field():
        if project.start_date and project.end_date and project.end_date < project.start_date:
            raise AscnError(N_("The project ends before it starts"), field="end_date")
    with checks.field():
        if "lon" in values:
            project.lon = check_lon(values["lon"], lang)
    with checks.field():
        if "lat" in values:
            project.lat = check_lat(values["lat"], lang)
    if "is_demo" in values:
        project.is_demo = bool(values["is_demo"])
    checks.done()


def _apply_codes(project: AscnProject, values: Mapping[str, Any], checks: Checks) -> None:
    """The project's vocabulary fields: its language, focus areas, status, SDG targets and linked systems."""
    with checks.field():
        if "local_lang" in values:
            code = (values["local_lang"] or "").strip()
            project.local_lang = framework.check_code(framework.ASEAN_LANGUAGES, code, "local_lang") if code else ""
    with checks.field():
        if "focus_areas" in values:
            project.focus_areas = framework.check_codes(
                framework.FOCUS_AREAS, _as_list(values["focus_areas"]), "focus_areas"
            )
    with checks.field():
        if "status" in values:
            project.status = framework.check_code(framework.PROJECT_STATUSES, values["status"] or "", "status")
    if "funding_sources" in values:
        project.funding_sources = _as_list(values["funding_sources"])
    with checks.field():
        if "sdg_targets" in values:
            project.sdg_targets = framework.check_sdg_targets(_as_list(values["sdg_targets"]))
    with checks.field():
        if "systems" in values:
            systems = _as_list(values["systems"])
            unknown = [s for s in systems if s not in LINKABLE_SYSTEMS]
            if unknown:
                raise AscnError(
                    N_("{value} is not one of: {choices}"),
                    field="systems",
                    value=unknown[0],
                    choices=", ".join(LINKABLE_SYSTEMS),
                )
            project.systems = systems


def _apply_money(project: AscnProject, values: Mapping[str, Any], checks: Checks, lang: str) -> None:
    """The project's budget and its ISO 4217 currency (a budget needs one)."""
    with checks.field():
        if "budget" in values:
            project.budget = parse_budget(values["budget"], lang)
    with checks.field():
        if "currency" in values:
            project.currency = framework.check_currency(values["currency"])
    with checks.field():
        if project.budget is not None and not project.currency and not checks.failed("currency"):
            raise AscnError(N_("A budget needs its currency"), field="currency")


def create_project(session: Session, city: AscnCity, values: Mapping[str, Any], lang: str = "en") -> AscnProject:
    project = AscnProject(
        city_pk=city.id, status="idea", focus_areas=[], funding_sources=[], sdg_targets=[], systems=[]
    )
    apply_project(project, {"status": "idea", "title": "", **values}, lang)  # a new project is checked for its title
    session.add(project)
    session.flush()
    knowledge.index_project(session, project)
    return project


def update_project(session: Session, project: AscnProject, values: Mapping[str, Any], lang: str = "en") -> AscnProject:
    apply_project(project, values, lang)
    session.flush()
    knowledge.index_project(session, project)
    return project


def delete_project(session: Session, project: AscnProject) -> None:
    knowledge.unindex(session, "project", project.id)
    session.delete(project)
    session.flush()


# -- partners, programmes, partnerships ------------------------------------------------------------------


def get_partner(session: Session, slug: str, *, follow: bool = True) -> AscnPartner:
    """The partner ``slug``; a merged one leads to the partner it was merged into."""
    partner = session.scalar(select(AscnPartner).where(AscnPartner.slug == slug))
    if partner is None:
        raise NotFound(N_("No partner {slug}"), field="partner", slug=slug)
    while follow and partner.merged_into_id is not None:
        partner = session.get(AscnPartner, partner.merged_into_id)
    return partner


def get_programme(session: Session, slug: str) -> AscnProgramme:
    programme = session.scalar(select(AscnProgramme).where(AscnProgramme.slug == slug))
    if programme is None:
        raise NotFound(N_("No programme {slug}"), field="programme", slug=slug)
    return programme


def create_partnership(
    session: Session,
    partner: AscnPartner,
    city: AscnCity,
    values: Mapping[str, Any],
    project: AscnProject | None = None,
    programme: AscnProgramme | None = None,
) -> AscnPartnership:
    """A partner working with a city (and a project of that city), of a type, maybe under a programme; every bad
    field is named at once."""
    row = check_partnership(values)
    if project is not None and project.city_pk != city.id:
        raise AscnError(N_("The project belongs to another city"), field="project")
    row.partner_id, row.city_pk = partner.id, city.id
    row.project_id = project.id if project else None
    row.programme_id = programme.id if programme else None
    session.add(row)
    session.flush()
    return row


def check_partnership(values: Mapping[str, Any]) -> AscnPartnership:
    """A partnership's own fields checked (type, status, dates ...), as a row not yet added to a session."""
    checks = Checks()
    row = AscnPartnership(
        agreement=(values.get("agreement") or "").strip(),
        source=(values.get("source") or "").strip(),
        is_demo=bool(values.get("is_demo", False)),
    )
    with checks.field():
        row.type = framework.check_code(framework.PARTNERSHIP_TYPES, values.get("type") or "", "type")
    with checks.field():
        row.status = framework.check_code(framework.PARTNERSHIP_STATUSES, values.get("status") or "active", "status")
    with checks.field():
        row.start_date = parse_date(values.get("start_date"), "start_date")
    with checks.field():
        row.end_date = parse_date(values.get("end_date"), "end_date")
    with checks.field():
        if row.start_date and row.end_date and row.end_date < row.start_date:
            raise AscnError(N_("The partnership ends before it starts"), field="end_date")
    checks.done()
    return row


# -- indicators ---------------------------------------------------------------------------------------------


def add_indicator_value(
    session: Session, project: AscnProject, name: str, unit: str, observed_on: Any, value: Any, source: str = ""
) -> AscnIndicatorValue:
    """Record a value of the project's indicator ``name`` on a date (the indicator is created on first use)."""
    if not name.strip():
        raise AscnError(N_("An indicator needs a name"), field="name")
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise AscnError(N_("{value} is not a number"), field="value", value=value) from exc
    when = parse_date(observed_on, "observed_on")
    if when is None:
        raise AscnError(N_("Say when the value was measured"), field="observed_on")
    indicator = session.scalar(
        select(AscnIndicator).where(AscnIndicator.project_id == project.id, AscnIndicator.name == name.strip())
    )
    if indicator is None:
        indicator = AscnIndicator(project_id=project.id, name=name.strip(), unit=unit.strip(), is_demo=project.is_demo)
        session.add(indicator)
        session.flush()
    existing = session.scalar(
        select(AscnIndicatorValue).where(
            AscnIndicatorValue.indicator_id == indicator.id, AscnIndicatorValue.observed_on == when
        )
    )
    if existing is None:
        existing = AscnIndicatorValue(indicator_id=indicator.id, observed_on=when, value=number, source=source)
        session.add(existing)
    else:
        existing.value, existing.source = number, source
    session.flush()
    return existing


# -- published claims -------------------------------------------------------------------------------------------

CLAIM_METRICS = ("projects", "partnerships", "member_cities", "partners", "budget_total")


def add_claim(session: Session, values: Mapping[str, Any]) -> AscnClaim:
    """Store a figure as the network published it: what it counts, its value, its source and as-of date."""
    metric = (values.get("metric") or "").strip()
    if metric not in CLAIM_METRICS:
        raise AscnError(
            N_("{value} is not one of: {choices}"), field="metric", value=metric, choices=", ".join(CLAIM_METRICS)
        )
    source = (values.get("source") or "").strip()
    if not source:
        raise AscnError(N_("A published figure needs its source"), field="source")
    try:
        value = float(values.get("value"))
    except (TypeError, ValueError) as exc:
        raise AscnError(N_("{value} is not a number"), field="value", value=values.get("value")) from exc
    claim = AscnClaim(
        metric=metric,
        scope=(values.get("scope") or "network").strip(),
        value=value,
        qualifier=(values.get("qualifier") or "").strip(),
        unit=(values.get("unit") or "").strip(),
        source=source,
        source_url=framework.check_url(values.get("source_url"), "source_url"),
        as_of=framework.check_as_of(str(values.get("as_of") or "")),
        note=(values.get("note") or "").strip(),
        is_demo=bool(values.get("is_demo", False)),
    )
    session.add(claim)
    session.flush()
    return claim
