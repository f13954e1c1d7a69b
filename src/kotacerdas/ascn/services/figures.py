"""The registry's figures and statistics: counts computed now, claims as published, and breakdowns by focus
area, status, country and partnership type for the statistics page and the reports."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kotacerdas.ascn import framework
from kotacerdas.ascn.figures import Claim, Figure, side_by_side
from kotacerdas.ascn.store.tables import AscnCity, AscnClaim, AscnPartner, AscnPartnership, AscnProject


def computed(session: Session) -> dict[str, float]:
    """Counts of the whole registry as it stands."""

    def count(model, *where) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    return {
        "member_cities": count(AscnCity),
        "projects": count(AscnProject),
        "partnerships": count(AscnPartnership),
        "partners": count(AscnPartner, AscnPartner.merged_into_id.is_(None)),
    }


def claims(session: Session, scope: str = "network") -> list[Claim]:
    rows = session.scalars(select(AscnClaim).where(AscnClaim.scope == scope).order_by(AscnClaim.as_of, AscnClaim.id))
    return [Claim(r.metric, r.value, r.qualifier, r.source, r.as_of, r.source_url, r.note, r.is_demo) for r in rows]


def figures(session: Session) -> list[Figure]:
    """Every network figure: computed from the registry beside each published claim."""
    return side_by_side(computed(session), claims(session))


def budgets(session: Session, city_pk: int | None = None) -> dict[str, Decimal]:
    """Project budgets summed per currency (never converted: rates change and are not the registry's)."""
    stmt = select(AscnProject.currency, func.sum(AscnProject.budget)).where(AscnProject.budget.is_not(None))
    if city_pk is not None:
        stmt = stmt.where(AscnProject.city_pk == city_pk)
    return {
        c: Decimal(v) for c, v in session.execute(stmt.group_by(AscnProject.currency).order_by(AscnProject.currency))
    }


def stats(session: Session, city_pk: int | None = None) -> dict[str, list[tuple[str, int]]]:
    """Counts by focus area, status, country and partnership type (codes in the framework's order)."""
    projects = select(AscnProject.focus_areas, AscnProject.status, AscnCity.country).join(
        AscnCity, AscnCity.id == AscnProject.city_pk
    )
    partnerships = select(AscnPartnership.type)
    if city_pk is not None:
        projects = projects.where(AscnProject.city_pk == city_pk)
        partnerships = partnerships.where(AscnPartnership.city_pk == city_pk)
    focus, status, country = Counter(), Counter(), Counter()
    for areas, st, cc in session.execute(projects):
        focus.update(areas or [])
        status[st] += 1
        country[cc] += 1
    types = Counter(t for (t,) in session.execute(partnerships))
    return {
        "focus_area": [(c, focus.get(c, 0)) for c in framework.FOCUS_AREAS],
        "status": [(c, status.get(c, 0)) for c in framework.PROJECT_STATUSES],
        "country": [(c, country.get(c, 0)) for c in framework.ASEAN_COUNTRIES],
        "partnership_type": [(c, types.get(c, 0)) for c in framework.PARTNERSHIP_TYPES],
    }
