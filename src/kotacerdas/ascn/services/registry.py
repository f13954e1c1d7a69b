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

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.ascn import framework
from kotacerdas.ascn.errors import AscnError
from kotacerdas.ascn.services import knowledge
from kotacerdas.ascn.store.tables import (
    AscnCity,
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


def _check_lon_lat(lon: Any, lat: Any) -> None:
    if lon is not None and not -180 <= float(lon) <= 180:
        raise AscnError(N_("Longitude {value} is outside -180..180"), field="lon", value=lon)
    if lat is not None and not -90 <= float(lat) <= 90:
        raise AscnError(N_("Latitude {value} is outside -90..90"), field="lat", value=lat)


def update_city(session: Session, city: AscnCity, changes: Mapping[str, Any]) -> AscnCity:
    """Change the public profile and private contacts of a member city (name, population, contacts ...)."""
    _check_lon_lat(changes.get("lon", city.lon), changes.get("lat", city.lat))
    if "population" in changes and changes["population"] is not None and int(changes["population"]) < 0:
        raise AscnError(N_("A population cannot be negative"), field="population")
    numeric = {"population", "population_year", "lon", "lat"}
    for key in CITY_FIELDS + CITY_PRIVATE:
        if key in changes:
            value = changes[key]
            setattr(city, key, value if key in numeric else (value or "").strip())
    session.flush()
    return city


# -- projects -------------------------------------------------------------------------------------------

PROJECT_TEXT = ("title", "summary", "local_title", "local_summary", "lead_agency", "source", "source_url")


def get_project(session: Session, project_id: int) -> AscnProject:
    project = session.get(AscnProject, project_id)
    if project is None:
        raise NotFound(N_("No project with id {id}"), field="project", id=project_id)
    return project


def parse_date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 4:
            return date(int(text), 1, 1)
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1)
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise AscnError(N_("{value} is not a date like 2024-07-18"), field=field, value=text) from exc


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


def apply_project(project: AscnProject, values: Mapping[str, Any], lang: str = "en") -> None:  # noqa: C901 (complexity baseline: split when next changed)
    """Check ``values`` and set them on ``project`` (only the keys present); numbers typed as text are read in
    ``lang`` (:func:`parse_number`)."""
    for key in PROJECT_TEXT:
        if key in values:
            setattr(project, key, (values[key] or "").strip())
    if "title" in values and not project.title:
        raise AscnError(N_("A project needs a title"), field="title")
    if "local_lang" in values:
        lang = (values["local_lang"] or "").strip()
        project.local_lang = framework.check_code(framework.ASEAN_LANGUAGES, lang, "local_lang") if lang else ""
    if "focus_areas" in values:
        project.focus_areas = framework.check_codes(
            framework.FOCUS_AREAS, _as_list(values["focus_areas"]), "focus_areas"
        )
    if "status" in values:
        project.status = framework.check_code(framework.PROJECT_STATUSES, values["status"] or "", "status")
    for key in ("start_date", "end_date"):
        if key in values:
            setattr(project, key, parse_date(values[key], key))
    if project.start_date and project.end_date and project.end_date < project.start_date:
        raise AscnError(N_("The project ends before it starts"), field="end_date")
    if "budget" in values:
        project.budget = parse_budget(values["budget"], lang)
    if "currency" in values:
        currency = (values["currency"] or "").strip().upper() or None
        if currency and not framework.CURRENCY.match(currency):
            raise AscnError(
                N_("{value} is not an ISO 4217 currency code (like IDR or USD)"), field="currency", value=currency
            )
        project.currency = currency
    if project.budget is not None and not project.currency:
        raise AscnError(N_("A budget needs its currency"), field="currency")
    if "funding_sources" in values:
        project.funding_sources = _as_list(values["funding_sources"])
    if "sdg_targets" in values:
        project.sdg_targets = framework.check_sdg_targets(_as_list(values["sdg_targets"]))
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
    if "lon" in values or "lat" in values:
        _check_lon_lat(values.get("lon"), values.get("lat"))
        project.lon, project.lat = values.get("lon"), values.get("lat")
    if "is_demo" in values:
        project.is_demo = bool(values["is_demo"])


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
    """A partner working with a city (and a project of that city), of a type, maybe under a programme."""
    if project is not None and project.city_pk != city.id:
        raise AscnError(N_("The project belongs to another city"), field="project")
    row = AscnPartnership(
        partner_id=partner.id,
        city_pk=city.id,
        project_id=project.id if project else None,
        programme_id=programme.id if programme else None,
        type=framework.check_code(framework.PARTNERSHIP_TYPES, values.get("type") or "", "type"),
        status=framework.check_code(framework.PARTNERSHIP_STATUSES, values.get("status") or "active", "status"),
        agreement=(values.get("agreement") or "").strip(),
        start_date=parse_date(values.get("start_date"), "start_date"),
        end_date=parse_date(values.get("end_date"), "end_date"),
        source=(values.get("source") or "").strip(),
        is_demo=bool(values.get("is_demo", False)),
    )
    if row.start_date and row.end_date and row.end_date < row.start_date:
        raise AscnError(N_("The partnership ends before it starts"), field="end_date")
    session.add(row)
    session.flush()
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
        source_url=(values.get("source_url") or "").strip(),
        as_of=framework.check_as_of(str(values.get("as_of") or "")),
        note=(values.get("note") or "").strip(),
        is_demo=bool(values.get("is_demo", False)),
    )
    session.add(claim)
    session.flush()
    return claim
