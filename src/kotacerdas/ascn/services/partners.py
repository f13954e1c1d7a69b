"""Partners: their profiles and offers, their editors, and duplicate records offered to the secretariat to merge.

Duplicates are never merged silently: :func:`duplicates` proposes pairs with reasons, and only
:func:`merge` (the secretariat's explicit decision) moves one record's partnerships, programmes,
editors and names onto the other and marks it merged; :func:`dismiss` records that two look-alike
records are distinct organisations, so the pair is not offered again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kotacerdas.ascn import duplicates as dup
from kotacerdas.ascn import framework
from kotacerdas.ascn.embedding import DEFAULT_MODEL, embedder
from kotacerdas.ascn.errors import AscnError, Checks
from kotacerdas.ascn.services.knowledge import slugify
from kotacerdas.ascn.store.tables import (
    AscnMergeReview,
    AscnPartner,
    AscnPartnerAlias,
    AscnPartnerEditor,
    AscnPartnership,
    AscnProgramme,
)
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import User

PROFILE_FIELDS = ("name", "website", "description", "contact_name", "contact_email")


def _unique_slug(session: Session, base: str) -> str:
    slug, n = base, 2
    while session.scalar(select(AscnPartner.id).where(AscnPartner.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def apply_profile(partner: AscnPartner, values: Mapping[str, Any]) -> None:
    """Check ``values`` and set them on ``partner``; every bad field is named at once (:class:`FieldErrors`)."""
    checks = Checks()
    for key in PROFILE_FIELDS:
        if key in values:
            setattr(partner, key, (values[key] or "").strip())
    with checks.field():
        if not partner.name:
            raise AscnError(N_("A partner needs a name"), field="name")
    with checks.field():
        if "website" in values:
            partner.website = framework.check_url(partner.website, "website")
    with checks.field():
        if "contact_email" in values:
            partner.contact_email = framework.check_email(partner.contact_email, "contact_email")
    with checks.field():
        if "kind" in values:
            partner.kind = framework.check_code(framework.PARTNER_KINDS, values["kind"] or "", "kind")
    with checks.field():
        if "country" in values:
            partner.country = framework.check_country(values["country"])
    with checks.field():
        if "offers" in values:
            partner.offers = framework.check_codes(framework.PARTNERSHIP_TYPES, values["offers"] or [], "offers")
    with checks.field():
        if "focus_areas" in values:
            partner.focus_areas = framework.check_codes(
                framework.FOCUS_AREAS, values["focus_areas"] or [], "focus_areas"
            )
    checks.done()


def create_partner(session: Session, values: Mapping[str, Any], *, slug: str | None = None) -> AscnPartner:
    partner = AscnPartner(
        slug=_unique_slug(session, slug or slugify(values.get("name") or "")),
        kind="company",
        offers=[],
        focus_areas=[],
        source=(values.get("source") or "").strip(),
        is_demo=bool(values.get("is_demo", False)),
    )
    apply_profile(partner, {"kind": values.get("kind") or "company", **values})
    session.add(partner)
    session.flush()
    for alias in values.get("aliases") or ():
        add_alias(session, partner, alias)
    return partner


def update_partner(session: Session, partner: AscnPartner, values: Mapping[str, Any]) -> AscnPartner:
    if partner.merged_into_id is not None:
        raise AscnError(N_("This partner was merged into another one; edit that one"), status=409)
    apply_profile(partner, values)
    session.flush()
    return partner


def add_alias(session: Session, partner: AscnPartner, alias: str) -> None:
    alias = alias.strip()
    if alias and alias != partner.name:
        exists = session.scalar(
            select(AscnPartnerAlias.id).where(
                AscnPartnerAlias.partner_id == partner.id, AscnPartnerAlias.alias == alias
            )
        )
        if exists is None:
            session.add(AscnPartnerAlias(partner_id=partner.id, alias=alias[:200]))
            session.flush()


def aliases(session: Session, partner_id: int) -> list[str]:
    return list(
        session.scalars(
            select(AscnPartnerAlias.alias)
            .where(AscnPartnerAlias.partner_id == partner_id)
            .order_by(AscnPartnerAlias.alias)
        )
    )


def add_editor(session: Session, partner: AscnPartner, username: str) -> None:
    """Name the user ``username`` an editor of ``partner`` (they also need the ``ascn_partner`` role)."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise AscnError(N_("No user {username}"), field="username", username=username, status=404)
    exists = session.scalar(
        select(AscnPartnerEditor.id).where(
            AscnPartnerEditor.partner_id == partner.id, AscnPartnerEditor.user_id == user.id
        )
    )
    if exists is None:
        session.add(AscnPartnerEditor(partner_id=partner.id, user_id=user.id))
        session.flush()


def find_by_name(session: Session, name: str) -> AscnPartner | None:
    """The live partner whose name or alias is ``name`` once spelling is set aside, or ``None``."""
    target = dup.plain(name)
    if not target:
        return None
    for partner in session.scalars(select(AscnPartner).where(AscnPartner.merged_into_id.is_(None))):
        if dup.plain(partner.name) == target or partner.slug == slugify(name):
            return partner
    for partner_id, alias in session.execute(select(AscnPartnerAlias.partner_id, AscnPartnerAlias.alias)):
        if dup.plain(alias) == target:
            partner = session.get(AscnPartner, partner_id)
            if partner is not None and partner.merged_into_id is None:
                return partner
    return None


def duplicates(session: Session, *, model: str = DEFAULT_MODEL, semantic: bool = True) -> list[dup.Candidate]:
    """Pairs of live partners that may be one organisation, with reasons (nothing is merged)."""
    partners = list(
        session.scalars(select(AscnPartner).where(AscnPartner.merged_into_id.is_(None)).order_by(AscnPartner.id))
    )
    names: dict[int, list[str]] = {p.id: [p.name] for p in partners}
    for partner_id, alias in session.execute(select(AscnPartnerAlias.partner_id, AscnPartnerAlias.alias)):
        if partner_id in names:
            names[partner_id].append(alias)
    reviewed = {(a, b) for a, b in session.execute(select(AscnMergeReview.partner_a_id, AscnMergeReview.partner_b_id))}
    vectors = embedder(model).passages([p.name for p in partners]) if semantic and partners else None
    return dup.candidates([(p.id, names[p.id]) for p in partners], vectors, reviewed)


def _review(session: Session, a: int, b: int, decision: str, user_id: int | None) -> None:
    lo, hi = min(a, b), max(a, b)
    row = session.scalar(
        select(AscnMergeReview).where(AscnMergeReview.partner_a_id == lo, AscnMergeReview.partner_b_id == hi)
    )
    if row is None:
        session.add(AscnMergeReview(partner_a_id=lo, partner_b_id=hi, decision=decision, user_id=user_id))
    else:
        row.decision, row.user_id = decision, user_id
    session.flush()


def merge(session: Session, keep: AscnPartner, drop: AscnPartner, user_id: int | None) -> dict:
    """Merge ``drop`` into ``keep``: its partnerships, programmes, editors and names move; it stays, marked merged."""
    if keep.id == drop.id:
        raise AscnError(N_("A partner cannot be merged into itself"), field="drop")
    if keep.merged_into_id is not None or drop.merged_into_id is not None:
        raise AscnError(N_("One of these partners was already merged"), status=409)
    moved = session.execute(
        update(AscnPartnership).where(AscnPartnership.partner_id == drop.id).values(partner_id=keep.id)
    ).rowcount
    session.execute(update(AscnProgramme).where(AscnProgramme.sponsor_id == drop.id).values(sponsor_id=keep.id))
    for editor in session.scalars(select(AscnPartnerEditor).where(AscnPartnerEditor.partner_id == drop.id)):
        exists = session.scalar(
            select(AscnPartnerEditor.id).where(
                AscnPartnerEditor.partner_id == keep.id, AscnPartnerEditor.user_id == editor.user_id
            )
        )
        if exists is None:
            editor.partner_id = keep.id
        else:
            session.delete(editor)
    for name in [drop.name, *aliases(session, drop.id)]:
        add_alias(session, keep, name)
    keep.offers = framework.check_codes(framework.PARTNERSHIP_TYPES, list(keep.offers) + list(drop.offers), "offers")
    keep.focus_areas = framework.check_codes(
        framework.FOCUS_AREAS, list(keep.focus_areas) + list(drop.focus_areas), "focus_areas"
    )
    drop.merged_into_id = keep.id
    _review(session, keep.id, drop.id, "merged", user_id)
    return {"kept": keep.slug, "merged": drop.slug, "partnerships_moved": int(moved or 0)}


def dismiss(session: Session, a: AscnPartner, b: AscnPartner, user_id: int | None) -> None:
    """Record that ``a`` and ``b`` are different organisations, so the pair is not offered again."""
    if a.id == b.id:
        raise AscnError(N_("A partner cannot be merged into itself"), field="drop")
    _review(session, a.id, b.id, "distinct", user_id)
