"""Who may change what in the network, each check made once through :func:`kotacerdas.http.deps.authorize`'s core.

* The secretariat administers the whole network: the ``ascn_secretariat`` role held in any city
  counts everywhere (``ascn.administer``).
* A member city is edited by its own smart-city officer or city administrator (``ascn.edit_city``
  in the platform city the member city is linked to), and by the users the secretariat named its
  editors (``ascn_city_editors``): the officers of a member city that runs no kotacerdas here. A
  named editor needs no role: the name is the grant, for that member city only.
* A partner's profile and offers are edited by the users named its editors, who hold the
  ``ascn_partner`` role (``ascn.edit_partner``), and by the secretariat.
* Private contacts of a city are read by its officer and administrator, its named editors and the
  secretariat.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.ascn.store.tables import AscnCity, AscnCityEditor, AscnPartner, AscnPartnerEditor
from kotacerdas.core.auth import Principal, require
from kotacerdas.core.errors import NotAuthenticated
from kotacerdas.core.i18n import N_


def seat(principal: Principal | None, permission: str) -> int | None:
    """A city where ``principal`` holds a network-wide ``permission`` (the lowest id), else ``None``."""
    if principal is None:
        return None
    cities = principal.cities_with(permission)
    return min(cities) if cities else None


def is_secretariat(principal: Principal | None) -> bool:
    return principal is not None and principal.can("ascn.administer", seat(principal, "ascn.administer"))


def require_secretariat(principal: Principal | None) -> Principal:
    """The secretariat (or a superuser); 401 / 403 otherwise."""
    return require(principal, "ascn.administer", seat(principal, "ascn.administer"))


def is_city_editor(session: Session, principal: Principal | None, city: AscnCity) -> bool:
    """Whether the secretariat named ``principal`` an editor of ``city``."""
    if principal is None:
        return False
    return (
        session.scalar(
            select(AscnCityEditor.id).where(
                AscnCityEditor.city_pk == city.id, AscnCityEditor.user_id == principal.user_id
            )
        )
        is not None
    )


def can_edit_city(session: Session, principal: Principal | None, city: AscnCity) -> bool:
    if principal is None:
        return False
    return (
        is_secretariat(principal)
        or (city.city_id is not None and principal.can("ascn.edit_city", city.city_id))
        or is_city_editor(session, principal, city)
    )


def require_city_editor(session: Session, principal: Principal | None, city: AscnCity) -> Principal:
    """The city's own officer or administrator, a named editor of it, or the secretariat; 401 / 403 otherwise."""
    if principal is not None and (is_secretariat(principal) or is_city_editor(session, principal, city)):
        return principal
    return require(principal, "ascn.edit_city", city.city_id)


def can_read_contacts(session: Session, principal: Principal | None, city: AscnCity) -> bool:
    if principal is None:
        return False
    return (
        is_secretariat(principal)
        or (city.city_id is not None and principal.can("ascn.read_private", city.city_id))
        or is_city_editor(session, principal, city)
    )


def require_contacts_reader(session: Session, principal: Principal | None, city: AscnCity) -> Principal:
    if principal is not None and (is_secretariat(principal) or is_city_editor(session, principal, city)):
        return principal
    return require(principal, "ascn.read_private", city.city_id)


def is_partner_editor(session: Session, principal: Principal | None, partner: AscnPartner) -> bool:
    """Whether ``principal`` is named an editor of ``partner``."""
    if principal is None:
        return False
    return (
        session.scalar(
            select(AscnPartnerEditor.id).where(
                AscnPartnerEditor.partner_id == partner.id, AscnPartnerEditor.user_id == principal.user_id
            )
        )
        is not None
    )


def can_edit_partner(session: Session, principal: Principal | None, partner: AscnPartner) -> bool:
    if principal is None:
        return False
    if is_secretariat(principal):
        return True
    held = seat(principal, "ascn.edit_partner")
    return principal.can("ascn.edit_partner", held) and is_partner_editor(session, principal, partner)


def require_partner_editor(session: Session, principal: Principal | None, partner: AscnPartner) -> Principal:
    """The secretariat, or a user with the partner role named editor of this partner; 401 / 403 otherwise."""
    if principal is None:
        raise NotAuthenticated(N_("Sign in to do this"))
    if is_secretariat(principal):
        return principal
    require(principal, "ascn.edit_partner", seat(principal, "ascn.edit_partner"))
    if not is_partner_editor(session, principal, partner):
        from kotacerdas.core.errors import PermissionDenied

        raise PermissionDenied(N_("You may edit only the partner profiles you are named editor of"))
    return principal
