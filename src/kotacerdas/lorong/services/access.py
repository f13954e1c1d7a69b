"""Who may act on which unit: the permission in the city (``http.deps.authorize`` / ``core.auth.require``), then
the scope inside it.

City administrators and programme administrators act on every unit of their city. A lorong
coordinator acts only on the units they coordinate; a lurah verifies and reads only the units
of the kelurahan assigned to them (:class:`~kotacerdas.lorong.store.tables.LorongOfficer`).
Everyone else (and the public) sees only published, public fields.
"""

from __future__ import annotations

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from kotacerdas.core.auth import Principal, Role, require
from kotacerdas.core.errors import PermissionDenied
from kotacerdas.core.i18n import N_
from kotacerdas.lorong.store.tables import LorongMarket, LorongOfficer, LorongUnit

FULL_SCOPE = frozenset({Role.CITY_ADMIN, Role.LORONG_ADMIN})


def sees_all(principal: Principal | None, city_id: int) -> bool:
    """Whether ``principal`` acts on every unit of the city (superuser, city or programme admin)."""
    return principal is not None and (principal.is_superuser or bool(principal.roles_in(city_id) & FULL_SCOPE))


def kelurahan_of(session: Session, principal: Principal, city_id: int) -> set[str]:
    """The kelurahan codes assigned to a lurah in the city."""
    return set(
        session.scalars(
            select(LorongOfficer.kelurahan_code).where(
                LorongOfficer.user_id == principal.user_id, LorongOfficer.city_id == city_id
            )
        )
    )


def in_scope(session: Session, principal: Principal, unit: LorongUnit) -> bool:
    if sees_all(principal, unit.city_id):
        return True
    roles = principal.roles_in(unit.city_id)
    if Role.LORONG_COORDINATOR in roles and unit.coordinator_user_id == principal.user_id:
        return True
    return Role.LURAH in roles and unit.kelurahan_code in kelurahan_of(session, principal, unit.city_id)


def read_private(session: Session, principal: Principal | None, unit: LorongUnit) -> Principal:
    """The principal, if they may read ``unit``'s private fields (its coordinator, its lurah, the admins)."""
    principal = require(principal, "lorong.read_private", unit.city_id)
    if not in_scope(session, principal, unit):
        raise PermissionDenied(N_("This unit is outside the units you look after"))
    return principal


def write_unit(session: Session, principal: Principal | None, unit: LorongUnit) -> Principal:
    """The principal, if they may report for and edit ``unit`` (its coordinator or an admin)."""
    principal = require(principal, "lorong.report", unit.city_id)
    if sees_all(principal, unit.city_id) or unit.coordinator_user_id == principal.user_id:
        return principal
    raise PermissionDenied(N_("Only the unit's own coordinator may change it"))


def verify_unit(session: Session, principal: Principal | None, unit: LorongUnit) -> Principal:
    """The principal, if they may verify ``unit``'s reports (the lurah of its kelurahan or an admin)."""
    principal = require(principal, "lorong.verify", unit.city_id)
    if sees_all(principal, unit.city_id) or unit.kelurahan_code in kelurahan_of(session, principal, unit.city_id):
        return principal
    raise PermissionDenied(N_("Only the lurah of the unit's kelurahan may verify its reports"))


def record_prices(session: Session, principal: Principal | None, market: LorongMarket) -> Principal:
    """The principal, if they may record prices at ``market``: an admin at any market of the city, a coordinator
    only at the markets of the units they coordinate (a lorong that reports its own prices)."""
    principal = require(principal, "lorong.report", market.city_id)
    if sees_all(principal, market.city_id):
        return principal
    unit = session.get(LorongUnit, market.unit_id) if market.unit_id is not None else None
    if unit is not None and unit.coordinator_user_id == principal.user_id:
        return principal
    raise PermissionDenied(
        N_("A coordinator records prices only at the markets of their own lorong; {market} is not one"),
        field="market",
        market=market.code,
    )


def unit_condition(session: Session, principal: Principal, city_id: int):
    """A SQL condition on :class:`LorongUnit` selecting the units ``principal`` looks after in the city."""
    if sees_all(principal, city_id):
        return LorongUnit.city_id == city_id
    roles = principal.roles_in(city_id)
    parts = []
    if Role.LORONG_COORDINATOR in roles:
        parts.append(LorongUnit.coordinator_user_id == principal.user_id)
    if Role.LURAH in roles:
        codes = kelurahan_of(session, principal, city_id)
        if codes:
            parts.append(LorongUnit.kelurahan_code.in_(sorted(codes)))
    return (LorongUnit.city_id == city_id) & (or_(*parts) if parts else false())
