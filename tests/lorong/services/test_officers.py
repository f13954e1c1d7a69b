"""Assigning kelurahan to a lurah: only a lurah of the city, only the city's kelurahan, audited; the assignment is
what lets them verify."""

import pytest
from sqlalchemy import select

from kotacerdas.core import accounts
from kotacerdas.core.auth import Principal
from kotacerdas.core.db import session_scope
from kotacerdas.core.errors import PermissionDenied
from kotacerdas.core.models import AuditEvent, User
from kotacerdas.lorong.errors import LorongError
from kotacerdas.lorong.services import access, officers
from kotacerdas.lorong.store.tables import LorongUnit
from tests.lorong.conftest import K1, K2


def test_assign_replace_add_remove_and_list(world):
    with session_scope(world.engine) as s:
        mks = accounts.get_city(s, "73.71")
        assert [o.as_dict() for o in officers.officers(s, mks)] == [{"username": "lurah.7371", "kelurahan_codes": [K1]}]
        got = officers.assign(s, mks, "Lurah.7371", [K2], by=None)
        assert got.kelurahan_codes == (K2,)  # a PUT replaces
        got = officers.assign(s, mks, "lurah.7371", [K1, K1], by=None, replace=False)
        assert got.kelurahan_codes == (K2, K1)  # sorted by code; K1 given twice is one
        assert officers.remove(s, mks, "lurah.7371", [K2], by=None) == [K2]
        assert officers.remove(s, mks, "lurah.7371", [K2], by=None) == []
        events = s.scalars(select(AuditEvent).where(AuditEvent.action.like("lorong.officer.%"))).all()
        assert [(e.action, e.target) for e in events] == [
            ("lorong.officer.assign", "lurah.7371"),
            ("lorong.officer.assign", "lurah.7371"),
            ("lorong.officer.remove", "lurah.7371"),
        ]
        assert events[0].detail == {"added": [K2], "removed": [K1]}


@pytest.mark.parametrize(
    ("username", "codes", "message", "field"),
    [
        ("lorongcoordinator.7371", [K1], "is not a lurah in city 73.71", "username"),
        ("lurah.3510", [K1], "is not a lurah in city 73.71", "username"),
        ("nobody", [K1], "No user named nobody", "username"),
        ("lurah.7371", ["35.10.16.1008"], "is not a kelurahan of city 73.71", "kelurahan_codes.0"),
        ("lurah.7371", [K1, "73.71.03.9999"], "is not a kelurahan of city 73.71", "kelurahan_codes.1"),
        ("lurah.7371", [], "at least one kelurahan", "kelurahan_codes"),
    ],
)
def test_bad_assignments_are_refused_and_change_nothing(world, username, codes, message, field):
    with session_scope(world.engine) as s:
        with pytest.raises(LorongError, match=message) as exc:
            officers.assign(s, accounts.get_city(s, "73.71"), username, codes, by=None)
        assert exc.value.field == field
    with session_scope(world.engine) as s:
        assert officers.officers(s, accounts.get_city(s, "73.71"))[0].kelurahan_codes == (K1,)


def test_the_assignment_is_what_lets_a_lurah_verify(world):
    with session_scope(world.engine) as s:
        mks = accounts.get_city(s, "73.71")
        user = s.scalar(select(User).where(User.username == "lurah.7371"))
        lurah = accounts.principal_of(s, user)
        assert isinstance(lurah, Principal)
        b1 = s.get(LorongUnit, world.units["lr-b1"])
        with pytest.raises(PermissionDenied):
            access.verify_unit(s, lurah, b1)
        officers.assign(s, mks, "lurah.7371", [K2], by=None, replace=False)
        assert access.verify_unit(s, lurah, b1) is lurah
        officers.remove(s, mks, "lurah.7371", by=None)
        with pytest.raises(PermissionDenied):
            access.verify_unit(s, lurah, s.get(LorongUnit, world.units["lr-a1"]))
