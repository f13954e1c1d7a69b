"""Rows as the outside sees them: the public fields of each record (contacts never), and the private ones apart.

Every public output (API, pages, exports, reports) goes through these functions, so a private
column added to a table stays private until it is added here on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.ascn import framework
from kotacerdas.ascn.store.tables import (
    AscnCity,
    AscnClaim,
    AscnDocument,
    AscnIndicator,
    AscnIndicatorValue,
    AscnPartner,
    AscnPartnerAlias,
    AscnPartnership,
    AscnPractice,
    AscnProgramme,
    AscnProject,
)
from kotacerdas.core.models import City


def city(row: AscnCity, platform_code: str | None = None, projects: int | None = None) -> dict[str, Any]:
    """A member city's public profile (no contacts)."""
    return {
        "slug": row.slug,
        "name": row.name,
        "local_name": row.local_name,
        "country": row.country,
        "year_joined": row.year_joined,
        "lon": row.lon,
        "lat": row.lat,
        "population": row.population,
        "population_year": row.population_year,
        "population_source": row.population_source,
        "description": row.description,
        "platform_code": platform_code,
        "projects": projects,
        "source": row.source,
        "is_demo": row.is_demo,
    }


def contacts(row: AscnCity) -> dict[str, str]:
    """The private contacts of a member city: its Chief Smart City Officer and National Representative."""
    return {"cso_name": row.cso_name, "cso_email": row.cso_email, "rep_name": row.rep_name, "rep_email": row.rep_email}


def cities(session: Session) -> list[dict[str, Any]]:
    """Every member city with its platform code and its number of projects, by country and name."""
    codes = dict(session.execute(select(City.id, City.code)).all())
    counts = dict(session.execute(select(AscnProject.city_pk, func.count()).group_by(AscnProject.city_pk)).all())
    rows = session.scalars(select(AscnCity).order_by(AscnCity.country, AscnCity.name))
    return [city(r, codes.get(r.city_id), int(counts.get(r.id, 0))) for r in rows]


def platform_code(session: Session, row: AscnCity) -> str | None:
    return session.scalar(select(City.code).where(City.id == row.city_id)) if row.city_id else None


def city_detail(session: Session, row: AscnCity) -> dict[str, Any]:
    """One member city's public profile as the list gives it: its platform code and its number of projects."""
    projects = session.scalar(select(func.count()).select_from(AscnProject).where(AscnProject.city_pk == row.id))
    return city(row, platform_code(session, row), int(projects or 0))


def project(row: AscnProject, city_row: AscnCity) -> dict[str, Any]:
    """A project's public fields."""
    return {
        "id": row.id,
        "city": city_row.slug,
        "city_name": city_row.name,
        "country": city_row.country,
        "title": row.title,
        "summary": row.summary,
        "local_lang": row.local_lang,
        "local_title": row.local_title,
        "local_summary": row.local_summary,
        "focus_areas": list(row.focus_areas),
        "status": row.status,
        "start_date": row.start_date.isoformat() if row.start_date else None,
        "end_date": row.end_date.isoformat() if row.end_date else None,
        "budget": float(row.budget) if row.budget is not None else None,
        "currency": row.currency,
        "funding_sources": list(row.funding_sources),
        "lead_agency": row.lead_agency,
        "sdg_targets": list(row.sdg_targets),
        "lon": row.lon,
        "lat": row.lat,
        "systems": list(row.systems),
        "source": row.source,
        "source_url": row.source_url,
        "is_demo": row.is_demo,
    }


def projects(session: Session, stmt=None) -> list[dict[str, Any]]:
    stmt = stmt if stmt is not None else select(AscnProject).order_by(AscnProject.id)
    city_rows = {c.id: c for c in session.scalars(select(AscnCity))}
    return [project(p, city_rows[p.city_pk]) for p in session.scalars(stmt)]


def partner(row: AscnPartner, alias_names: list[str] | None = None) -> dict[str, Any]:
    """A partner's public profile (no contact)."""
    return {
        "slug": row.slug,
        "name": row.name,
        "kind": row.kind,
        "country": row.country,
        "website": row.website,
        "description": row.description,
        "offers": list(row.offers),
        "focus_areas": list(row.focus_areas),
        "aliases": alias_names or [],
        "source": row.source,
        "is_demo": row.is_demo,
    }


def partners(session: Session) -> list[dict[str, Any]]:
    """Every live (not merged) partner, by name."""
    alias_map: dict[int, list[str]] = {}
    for pid, alias in session.execute(select(AscnPartnerAlias.partner_id, AscnPartnerAlias.alias)):
        alias_map.setdefault(pid, []).append(alias)
    rows = session.scalars(select(AscnPartner).where(AscnPartner.merged_into_id.is_(None)).order_by(AscnPartner.name))
    return [partner(r, sorted(alias_map.get(r.id, []))) for r in rows]


def programme(row: AscnProgramme, sponsor: AscnPartner | None) -> dict[str, Any]:
    return {
        "slug": row.slug,
        "name": row.name,
        "sponsor": sponsor.slug if sponsor else None,
        "sponsor_name": sponsor.name if sponsor else None,
        "description": row.description,
        "support_types": list(row.support_types),
        "focus_areas": list(row.focus_areas),
        "url": row.url,
        "start_year": row.start_year,
        "end_year": row.end_year,
        "source": row.source,
        "is_demo": row.is_demo,
    }


def programmes(session: Session) -> list[dict[str, Any]]:
    sponsors = {p.id: p for p in session.scalars(select(AscnPartner))}
    rows = session.scalars(select(AscnProgramme).order_by(AscnProgramme.name))
    return [programme(g, sponsors.get(g.sponsor_id)) for g in rows]


def partnership(
    row: AscnPartnership,
    partners_by_id: Mapping[int, AscnPartner],
    cities_by_id: Mapping[int, AscnCity],
    programmes_by_id: Mapping[int, AscnProgramme],
) -> dict[str, Any]:
    p = partners_by_id[row.partner_id]
    g = programmes_by_id.get(row.programme_id) if row.programme_id else None
    return {
        "id": row.id,
        "partner": p.slug,
        "partner_name": p.name,
        "city": cities_by_id[row.city_pk].slug,
        "city_name": cities_by_id[row.city_pk].name,
        "project_id": row.project_id,
        "programme": g.slug if g else None,
        "programme_name": g.name if g else None,
        "type": row.type,
        "status": row.status,
        "agreement": row.agreement,
        "start_date": row.start_date.isoformat() if row.start_date else None,
        "end_date": row.end_date.isoformat() if row.end_date else None,
        "source": row.source,
        "is_demo": row.is_demo,
    }


def partnerships(session: Session, *where) -> list[dict[str, Any]]:
    partners_by_id = {p.id: p for p in session.scalars(select(AscnPartner))}
    cities_by_id = {c.id: c for c in session.scalars(select(AscnCity))}
    programmes_by_id = {g.id: g for g in session.scalars(select(AscnProgramme))}
    rows = session.scalars(select(AscnPartnership).where(*where).order_by(AscnPartnership.id))
    return [partnership(r, partners_by_id, cities_by_id, programmes_by_id) for r in rows]


def indicators(session: Session, project_id: int) -> list[dict[str, Any]]:
    """A project's indicators with their values over time, oldest first."""
    out = []
    for ind in session.scalars(
        select(AscnIndicator).where(AscnIndicator.project_id == project_id).order_by(AscnIndicator.name)
    ):
        values = session.scalars(
            select(AscnIndicatorValue)
            .where(AscnIndicatorValue.indicator_id == ind.id)
            .order_by(AscnIndicatorValue.observed_on)
        )
        out.append(
            {
                "id": ind.id,
                "name": ind.name,
                "unit": ind.unit,
                "description": ind.description,
                "is_demo": ind.is_demo,
                "values": [
                    {"observed_on": v.observed_on.isoformat(), "value": v.value, "source": v.source} for v in values
                ],
            }
        )
    return out


def practice(row: AscnPractice, city_row: AscnCity | None) -> dict[str, Any]:
    return {
        "slug": row.slug,
        "title": row.title,
        "lang": row.lang,
        "summary": row.summary,
        "body": row.body,
        "lessons": row.lessons,
        "city": city_row.slug if city_row else None,
        "city_name": city_row.name if city_row else None,
        "project_id": row.project_id,
        "focus_areas": list(row.focus_areas),
        "year": row.year,
        "source": row.source,
        "source_url": row.source_url,
        "is_demo": row.is_demo,
    }


def document(row: AscnDocument) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "filename": row.filename,
        "media_type": row.media_type,
        "size": row.size,
        "sha256": row.sha256,
        "url": f"/api/v1/ascn/documents/{row.id}",
        "created_at": row.created_at.isoformat(),
    }


def claim(row: AscnClaim) -> dict[str, Any]:
    return {
        "id": row.id,
        "metric": row.metric,
        "scope": row.scope,
        "value": row.value,
        "qualifier": row.qualifier,
        "unit": row.unit,
        "source": row.source,
        "source_url": row.source_url,
        "as_of": row.as_of,
        "note": row.note,
        "is_demo": row.is_demo,
    }


def labels(vocabulary: dict[str, str], lang: str) -> dict[str, str]:
    """Every code of a vocabulary with its label in ``lang``."""
    return {code: framework.label(vocabulary, code, lang) for code in vocabulary}
