"""Who may do what, where: roles per city, the permission table, passwords and tokens.

Public data is readable without signing in. Every write and every read of a
city's private data goes through :func:`require`, with the permission name and
the city the record belongs to; the API and the CLI call it once, in a
dependency, never re-written per route.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from dataclasses import dataclass, field
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kotacerdas.core.errors import KotacerdasError, NotAuthenticated, PermissionDenied
from kotacerdas.core.i18n import N_


class Role(StrEnum):
    """The roles a user can hold in a city."""

    CITY_ADMIN = "city_admin"
    ROAD_OFFICER = "road_officer"
    FIELD_SURVEYOR = "field_surveyor"
    BIKE_OPERATOR = "bike_operator"
    LORONG_COORDINATOR = "lorong_coordinator"
    LURAH = "lurah"
    LORONG_ADMIN = "lorong_admin"
    ASCN_SECRETARIAT = "ascn_secretariat"
    ASCN_OFFICER = "ascn_officer"
    ASCN_PARTNER = "ascn_partner"
    PUBLIC = "public"


ROLE_LABELS: dict[Role, str] = {
    Role.CITY_ADMIN: N_("City administrator"),
    Role.ROAD_OFFICER: N_("Road officer"),
    Role.FIELD_SURVEYOR: N_("Field surveyor"),
    Role.BIKE_OPERATOR: N_("Bike-share operator"),
    Role.LORONG_COORDINATOR: N_("Lorong coordinator"),
    Role.LURAH: N_("Lurah (verifies the kelurahan's reports)"),
    Role.LORONG_ADMIN: N_("Neighbourhood programme administrator"),
    Role.ASCN_SECRETARIAT: N_("ASCN secretariat"),
    Role.ASCN_OFFICER: N_("Smart city officer (ASCN)"),
    Role.ASCN_PARTNER: N_("ASCN partner"),
    Role.PUBLIC: N_("Public"),
}

#: The city's own staff: every role but the public and outside partner organisations.
_STAFF = frozenset(r for r in Role if r not in (Role.PUBLIC, Role.ASCN_PARTNER))

#: Permission name -> roles that hold it in a city. A superuser holds every permission everywhere.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "city.read_private": _STAFF,
    "city.manage_users": frozenset({Role.CITY_ADMIN}),
    "city.import_areas": frozenset({Role.CITY_ADMIN}),
    "network.manage": frozenset({Role.CITY_ADMIN, Role.ROAD_OFFICER}),
    "roads.read_private": frozenset({Role.CITY_ADMIN, Role.ROAD_OFFICER, Role.FIELD_SURVEYOR}),
    "roads.manage": frozenset({Role.CITY_ADMIN, Role.ROAD_OFFICER}),
    "roads.survey": frozenset({Role.CITY_ADMIN, Role.ROAD_OFFICER, Role.FIELD_SURVEYOR}),
    "roads.report": frozenset(Role),
    "bikes.read_private": frozenset({Role.CITY_ADMIN, Role.BIKE_OPERATOR}),
    "bikes.manage": frozenset({Role.CITY_ADMIN, Role.BIKE_OPERATOR}),
    # Lorong Wisata and other neighbourhood programmes: coordinators act on their own units only and the
    # lurah on the units of their own kelurahan (kotacerdas.lorong.services.access narrows the scope).
    "lorong.read_private": frozenset({Role.CITY_ADMIN, Role.LORONG_ADMIN, Role.LURAH, Role.LORONG_COORDINATOR}),
    "lorong.report": frozenset({Role.CITY_ADMIN, Role.LORONG_ADMIN, Role.LORONG_COORDINATOR}),
    "lorong.verify": frozenset({Role.CITY_ADMIN, Role.LORONG_ADMIN, Role.LURAH}),
    "lorong.configure": frozenset({Role.CITY_ADMIN, Role.LORONG_ADMIN}),
    # ASCN: the secretariat administers the whole network (held in any city, it counts everywhere); a city's
    # smart-city officer (or its administrator) edits that city; a partner edits the profiles it is named editor of.
    "ascn.administer": frozenset({Role.ASCN_SECRETARIAT}),
    "ascn.edit_city": frozenset({Role.CITY_ADMIN, Role.ASCN_OFFICER}),
    "ascn.read_private": frozenset({Role.CITY_ADMIN, Role.ASCN_OFFICER, Role.ASCN_SECRETARIAT}),
    "ascn.edit_partner": frozenset({Role.ASCN_PARTNER}),
}


@dataclass(frozen=True)
class Principal:
    """The signed-in user as the authorisation check sees them."""

    user_id: int
    username: str
    is_superuser: bool = False
    roles: dict[int, frozenset[Role]] = field(default_factory=dict)
    language: str | None = None

    def roles_in(self, city_id: int) -> frozenset[Role]:
        return self.roles.get(city_id, frozenset())

    def can(self, permission: str, city_id: int | None) -> bool:
        """Whether this user holds ``permission`` in the city ``city_id``."""
        if permission not in PERMISSIONS:
            raise KeyError(permission)
        if self.is_superuser:
            return True
        if city_id is None:
            return False
        return bool(self.roles_in(city_id) & PERMISSIONS[permission])

    def cities_with(self, permission: str) -> set[int]:
        """The city ids where this user holds ``permission`` (empty for a superuser: use ``can``)."""
        return {cid for cid, roles in self.roles.items() if roles & PERMISSIONS[permission]}


def require(principal: Principal | None, permission: str, city_id: int | None) -> Principal:
    """Return ``principal`` if they hold ``permission`` in ``city_id``, else raise 401/403."""
    if principal is None:
        raise NotAuthenticated(N_("Sign in to do this"))
    if not principal.can(permission, city_id):
        raise PermissionDenied(N_("You do not have the role needed for this in this city"))
    return principal


_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8
#: Argon2 hashes computed at once in this process: each takes the hasher's memory (64 MiB by default), so a burst
#: of sign-ins and sign-ups queues here instead of taking the server's memory (a few per core keep the cores busy).
HASH_SLOTS = threading.BoundedSemaphore(max(2, 2 * (os.cpu_count() or 1)))
_dummy: dict[int, str] = {}


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise KotacerdasError(
            N_("The password must have at least {n} characters"), field="password", n=MIN_PASSWORD_LENGTH
        )
    with HASH_SLOTS:
        return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (never raises on a wrong password).

    With no hash (an unknown user) a dummy hash is verified instead, so that a sign-in takes as long for a name
    that does not exist as for one that does, and the answer's timing does not tell which names are taken.
    """
    with HASH_SLOTS:
        try:
            return _hasher.verify(password_hash or dummy_hash(), password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False


def dummy_hash() -> str:
    """A hash of a random password made with the current hasher's parameters (what unknown users are checked
    against)."""
    key = id(_hasher)
    if key not in _dummy:
        _dummy[key] = _hasher.hash(secrets.token_urlsafe(16))
    return _dummy[key]


def new_token() -> tuple[str, str]:
    """A fresh bearer token and the SHA-256 hex digest that is stored instead of it."""
    token = "kc_" + secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
