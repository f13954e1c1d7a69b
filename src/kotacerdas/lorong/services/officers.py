"""Who verifies where: the kelurahan assigned to each lurah of a city (:class:`LorongOfficer`), set by the city's
programme administrator and audited.

An assignment is only honoured for a user with the ``lurah`` role in the city
(:mod:`kotacerdas.lorong.services.access`), so assigning anyone else is refused rather than silently
having no effect. A kelurahan must be one of the city's (Kemendagri code, known to the city's admin areas).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kotacerdas.core import accounts
from kotacerdas.core.auth import Role
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import City, Membership, User
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.services import areas as area_service
from kotacerdas.lorong.store.tables import LorongOfficer


@dataclass(frozen=True)
class Officer:
    """A user and the kelurahan they verify in a city (codes sorted)."""

    username: str
    kelurahan_codes: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"username": self.username, "kelurahan_codes": list(self.kelurahan_codes)}


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise LorongError(N_("No user named {username}"), field="username", status=404, username=username)
    return user


def _codes(session: Session, user: User, city: City) -> list[str]:
    return sorted(
        session.scalars(
            select(LorongOfficer.kelurahan_code).where(
                LorongOfficer.user_id == user.id, LorongOfficer.city_id == city.id
            )
        )
    )


def _check_kelurahan(session: Session, city: City, codes: list[str]) -> list[str]:
    if not codes:
        raise LorongError(N_("Give at least one kelurahan code"), field="kelurahan_codes")
    known = area_service.city_areas(session, city)
    out = []
    for n, raw in enumerate(codes):
        code = str(raw or "").strip()
        kecamatan = code.rsplit(".", 1)[0] if code.count(".") == 3 else ""
        try:
            area_service.check_codes(known, city, kecamatan, code)
        except LorongError as exc:
            raise LorongError(
                N_("{code} is not a kelurahan of city {city}"),
                field=f"kelurahan_codes.{n}",
                code=code,
                city=city.code,
            ) from exc
        out.append(code)
    return sorted(set(out))


def assign(
    session: Session, city: City, username: str, kelurahan_codes: list[str], *, by: int | None, replace: bool = True
) -> Officer:
    """Give ``username`` (a lurah of the city) these kelurahan to verify: in place of those they had
    (``replace``, the API's PUT) or in addition to them (the CLI's ``add``)."""
    user = _user(session, username)
    roles = set(
        session.scalars(select(Membership.role).where(Membership.user_id == user.id, Membership.city_id == city.id))
    )
    if Role.LURAH.value not in roles:
        raise LorongError(
            N_("{username} is not a lurah in city {city}: grant the lurah role first"),
            field="username",
            status=409,
            username=username,
            city=city.code,
        )
    wanted = set(_check_kelurahan(session, city, kelurahan_codes))
    rows = {
        r.kelurahan_code: r
        for r in session.scalars(
            select(LorongOfficer).where(LorongOfficer.user_id == user.id, LorongOfficer.city_id == city.id)
        )
    }
    removed = sorted(set(rows) - wanted) if replace else []
    added = sorted(wanted - set(rows))
    for code in removed:
        session.delete(rows[code])
    for code in added:
        session.add(LorongOfficer(user_id=user.id, city_id=city.id, kelurahan_code=code))
    session.flush()
    if added or removed:
        accounts.audit(session, city.id, by, "lorong.officer.assign", user.username, added=added, removed=removed)
    return Officer(user.username, tuple(_codes(session, user, city)))


def remove(
    session: Session, city: City, username: str, kelurahan_codes: list[str] | None = None, *, by: int | None
) -> list[str]:
    """Take these kelurahan (none given: all) from ``username`` in the city; returns the codes removed."""
    user = _user(session, username)
    stmt = select(LorongOfficer).where(LorongOfficer.user_id == user.id, LorongOfficer.city_id == city.id)
    if kelurahan_codes:
        stmt = stmt.where(LorongOfficer.kelurahan_code.in_([str(c).strip() for c in kelurahan_codes]))
    rows = list(session.scalars(stmt))
    gone = sorted(r.kelurahan_code for r in rows)
    for r in rows:
        session.delete(r)
    session.flush()
    if gone:
        accounts.audit(session, city.id, by, "lorong.officer.remove", user.username, removed=gone)
    return gone


def officers(session: Session, city: City) -> list[Officer]:
    """Every user with kelurahan to verify in the city, by username."""
    found: dict[str, list[str]] = {}
    for username, code in session.execute(
        select(User.username, LorongOfficer.kelurahan_code)
        .join(User, User.id == LorongOfficer.user_id)
        .where(LorongOfficer.city_id == city.id)
        .order_by(User.username, LorongOfficer.kelurahan_code)
    ):
        found.setdefault(username, []).append(code)
    return [Officer(u, tuple(c)) for u, c in found.items()]
