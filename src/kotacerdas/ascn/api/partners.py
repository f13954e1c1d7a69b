"""Partners and programmes: public profiles; the secretariat adds partners, reviews look-alike records and merges
them (never silently); a partner's named editors change its own profile and offers."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.ascn.api.deps import record_city_id
from kotacerdas.ascn.api.schemas import (
    DismissIn,
    DuplicateOut,
    MergeIn,
    MergeOut,
    PartnerDetail,
    PartnerIn,
    PartnerOut,
    PartnerPatch,
    ProgrammeOut,
)
from kotacerdas.ascn.services import access, partners, registry
from kotacerdas.ascn.store import records
from kotacerdas.ascn.store.tables import AscnPartner, AscnPartnership
from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.i18n import gettext
from kotacerdas.http.deps import DB_SESSION, language, optional_principal
from kotacerdas.http.schemas import problems

router = APIRouter(tags=["ascn"])


def detail(session: Session, partner: AscnPartner) -> dict:
    out = records.partner(partner, partners.aliases(session, partner.id))
    out["partnerships"] = records.partnerships(session, AscnPartnership.partner_id == partner.id)
    return out


@router.get("/ascn/partners", response_model=list[PartnerOut], summary="Partners of the network (public)")
def list_partners(session: Session = DB_SESSION) -> list[dict]:
    """Every partner (merged records left out), by name, with what it offers."""
    return records.partners(session)


@router.get(
    "/ascn/partners/duplicates",
    response_model=list[DuplicateOut],
    summary="Partners that may be recorded twice (secretariat)",
    responses=problems(401, 403),
)
def list_duplicates(
    request: Request, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> list[dict]:
    """Pairs of partners with alike names (spelling, acronym, or the same name in another language), with the
    reasons; the secretariat merges or dismisses each pair. Nothing is merged here."""
    access.require_secretariat(principal)
    lang = language(request)
    slugs = dict(session.execute(select(AscnPartner.id, AscnPartner.slug)).all())
    return [
        {
            "a": slugs[c.a],
            "b": slugs[c.b],
            "names": list(c.names),
            "score": c.score,
            "reasons": [gettext(r, lang) for r in c.reasons],
        }
        for c in partners.duplicates(session)
    ]


@router.post(
    "/ascn/partners/merge",
    response_model=MergeOut,
    summary="Merge one partner record into another (secretariat)",
    responses=problems(400, 401, 403, 404, 409),
)
def merge_partners(
    body: MergeIn, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> dict:
    """The secretariat's decision: ``drop``'s partnerships, programmes, editors and names move to ``keep``; audited."""
    access.require_secretariat(principal)
    keep = registry.get_partner(session, body.keep, follow=False)
    drop = registry.get_partner(session, body.drop, follow=False)
    out = partners.merge(session, keep, drop, principal.user_id)
    accounts.audit(
        session, record_city_id(session, principal), principal.user_id, "ascn.partner.merge", body.drop, into=body.keep
    )
    return out


@router.post(
    "/ascn/partners/duplicates/dismiss",
    status_code=204,
    summary="Record that two look-alike partners are different organisations (secretariat)",
    responses=problems(400, 401, 403, 404),
)
def dismiss_duplicate(
    body: DismissIn, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> None:
    """The pair is not offered again; audited."""
    access.require_secretariat(principal)
    a, b = registry.get_partner(session, body.a), registry.get_partner(session, body.b)
    partners.dismiss(session, a, b, principal.user_id)
    accounts.audit(
        session, record_city_id(session, principal), principal.user_id, "ascn.partner.dismiss", a.slug, other=b.slug
    )


@router.get(
    "/ascn/partners/{partner}", response_model=PartnerDetail, summary="One partner (public)", responses=problems(404)
)
def get_partner(partner: str, session: Session = DB_SESSION) -> dict:
    """A partner's profile, offers and partnerships (a merged record answers with the one it was merged into)."""
    return detail(session, registry.get_partner(session, partner))


@router.post(
    "/ascn/partners",
    status_code=201,
    response_model=PartnerDetail,
    summary="Add a partner (secretariat)",
    responses=problems(400, 401, 403, 404, 422),
)
def create_partner(
    body: PartnerIn, principal: Principal | None = Depends(optional_principal), session: Session = DB_SESSION
) -> dict:
    """A new partner organisation, with the users who may edit its profile."""
    access.require_secretariat(principal)
    partner = partners.create_partner(session, body.model_dump(exclude={"editors"}))
    for username in body.editors:
        partners.add_editor(session, partner, username)
    accounts.audit(session, record_city_id(session, principal), principal.user_id, "ascn.partner.create", partner.slug)
    return detail(session, partner)


@router.patch(
    "/ascn/partners/{partner}",
    response_model=PartnerDetail,
    summary="Change a partner's profile and offers",
    responses=problems(400, 401, 403, 404, 409, 422),
)
def update_partner(
    partner: str,
    body: PartnerPatch,
    principal: Principal | None = Depends(optional_principal),
    session: Session = DB_SESSION,
) -> dict:
    """The partner's own editors (``ascn_partner`` role) or the secretariat; audited."""
    row = registry.get_partner(session, partner, follow=False)
    access.require_partner_editor(session, principal, row)
    changes = body.model_dump(exclude_unset=True)
    partners.update_partner(session, row, changes)
    accounts.audit(
        session,
        record_city_id(session, principal),
        principal.user_id,
        "ascn.partner.update",
        partner,
        fields=sorted(changes),
    )
    return detail(session, row)


@router.get("/ascn/programmes", response_model=list[ProgrammeOut], summary="Partnership programmes (public)")
def list_programmes(session: Session = DB_SESSION) -> list[dict]:
    """Programmes such as Japan's Smart JAMP, the U.S.-ASEAN Smart Cities Partnership and the ASEAN-Australia
    Smart Cities Trust Fund, with their sponsor and the support they give."""
    return records.programmes(session)
