"""The network's figures (computed beside published claims), statistics, partnerships and claims."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from kotacerdas.ascn import framework
from kotacerdas.ascn.api.deps import record_city_id
from kotacerdas.ascn.api.schemas import ClaimIn, ClaimOut, FigureOut, PartnershipIn, PartnershipOut, StatsOut
from kotacerdas.ascn.services import access, registry
from kotacerdas.ascn.services import figures as figure_service
from kotacerdas.ascn.store import records
from kotacerdas.ascn.store.tables import AscnPartnership
from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.i18n import gettext
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.schemas import problems

router = APIRouter(tags=["ascn"])
VOCABULARIES = {
    "focus_area": framework.FOCUS_AREAS,
    "status": framework.PROJECT_STATUSES,
    "country": framework.ASEAN_COUNTRIES,
    "partnership_type": framework.PARTNERSHIP_TYPES,
}


@router.get("/ascn/figures", response_model=list[FigureOut], summary="The network's figures: computed and published")
def list_figures(request: Request, session: Session = DB_SESSION) -> list[dict]:
    """Each figure computed from the registry now, beside every published claim of it with its source and as-of
    date (published counts differ by source and date; nothing is reconciled)."""
    lang = language(request)
    out = []
    for f in figure_service.figures(session):
        d = f.as_dict()
        d["label"] = gettext(d["label"], lang)
        out.append(d)
    return out


@router.get("/ascn/stats", response_model=StatsOut, summary="Projects and partnerships by category (public)")
def stats(request: Request, city: str | None = None, session: Session = DB_SESSION) -> dict:
    """Projects by focus area, status and country, partnerships by type; for the network or one city."""
    lang = language(request)
    city_pk = registry.get_city(session, city).id if city else None
    return {
        kind: [{"code": c, "label": framework.label(VOCABULARIES[kind], c, lang), "count": n} for c, n in rows]
        for kind, rows in figure_service.stats(session, city_pk).items()
    }


@router.get("/ascn/partnerships", response_model=list[PartnershipOut], summary="Partnerships (public)")
def list_partnerships(city: str | None = None, partner: str | None = None, session: Session = DB_SESSION) -> list[dict]:
    """Which partners work with which cities and projects, of what type, under which programme."""
    where = []
    if city:
        where.append(AscnPartnership.city_pk == registry.get_city(session, city).id)
    if partner:
        where.append(AscnPartnership.partner_id == registry.get_partner(session, partner).id)
    return records.partnerships(session, *where)


@router.post(
    "/ascn/partnerships",
    status_code=201,
    response_model=PartnershipOut,
    summary="Record a partnership",
    responses=problems(400, 401, 403, 404, 422),
)
def create_partnership(
    body: PartnershipIn, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> dict:
    """The city's officer (for their city) or the secretariat records a partner working with the city."""
    city = registry.get_city(session, body.city)
    access.require_city_editor(session, principal, city)
    partner = registry.get_partner(session, body.partner)
    project = registry.get_project(session, body.project_id) if body.project_id else None
    programme = registry.get_programme(session, body.programme) if body.programme else None
    row = registry.create_partnership(session, partner, city, body.model_dump(), project, programme)
    accounts.audit(
        session, record_city_id(session, principal, city), principal.user_id, "ascn.partnership.create", str(row.id)
    )
    return records.partnerships(session, AscnPartnership.id == row.id)[0]


@router.get("/ascn/claims", response_model=list[ClaimOut], summary="Published figures as stored (public)")
def list_claims(session: Session = DB_SESSION) -> list[dict]:
    """Every stored claim with its source and as-of date."""
    from sqlalchemy import select

    from kotacerdas.ascn.store.tables import AscnClaim

    return [records.claim(c) for c in session.scalars(select(AscnClaim).order_by(AscnClaim.as_of, AscnClaim.id))]


@router.post(
    "/ascn/claims",
    status_code=201,
    response_model=ClaimOut,
    summary="Store a published figure with its source (secretariat)",
    responses=problems(400, 401, 403, 422),
)
def create_claim(
    body: ClaimIn, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> dict:
    """A figure as it was published (a count, a budget): its value, source and as-of date."""
    access.require_secretariat(principal)
    claim = registry.add_claim(session, body.model_dump())
    accounts.audit(session, record_city_id(session, principal), principal.user_id, "ascn.claim.create", claim.metric)
    return records.claim(claim)
