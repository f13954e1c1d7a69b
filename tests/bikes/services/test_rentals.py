"""Rider flows as database transactions on SQLite and PostgreSQL: reserve, rent, return, report, sign up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import fleet
from kotacerdas.bikes.services import rentals as service
from kotacerdas.bikes.store.tables import BikeRow, BikeTask
from kotacerdas.core.db import session_scope, utcnow
from kotacerdas.core.errors import Conflict

from ..factories import SYSTEM, invariants, make_riders, station


def test_rent_and_return_prices_the_ride_and_moves_the_bike(system):
    (u,) = make_riders(system, 1)
    t0 = utcnow()
    rental = service.rent(system, SYSTEM, u, bike_id="uji-alpha-0", now=t0)
    assert rental["status"] == "active" and rental["start_station_id"] == "alpha"
    assert station(system, "alpha").docked == 2
    out = service.end_rental(system, SYSTEM, u, "gamma", now=t0 + timedelta(minutes=40, seconds=5))
    # 41 started minutes, 30 free: Rp3,000 + 11 x Rp250
    assert out["fare"] == 3000 + 11 * 250 and out["end_station_id"] == "gamma"
    assert out["balance"] == 20000 - out["fare"] and out["debt"] == 0
    assert station(system, "gamma").docked == 3
    assert invariants(system) == []


def test_a_bike_cannot_be_rented_twice_and_a_rider_rides_one_bike(system):
    u1, u2 = make_riders(system, 2)
    service.rent(system, SYSTEM, u1, bike_id="uji-alpha-0")
    with pytest.raises(BikesError) as err:
        service.rent(system, SYSTEM, u2, bike_id="uji-alpha-0")
    assert err.value.status == 409
    with pytest.raises(BikesError) as err:
        service.rent(system, SYSTEM, u1, bike_id="uji-alpha-1")
    assert err.value.status == 409
    assert invariants(system) == []


def test_rent_at_a_station_takes_any_available_bike_and_refuses_an_empty_one(system):
    users = make_riders(system, 5)
    got = [service.rent(system, SYSTEM, u, station_id="alpha")["bike_id"] for u in users[:3]]
    assert sorted(got) == ["uji-alpha-0", "uji-alpha-1", "uji-alpha-2"]
    with pytest.raises(BikesError) as err:
        service.rent(system, SYSTEM, users[3], station_id="alpha")
    assert err.value.status == 409


def test_return_to_a_full_station_names_the_nearest_and_credits_minutes(system):
    users = make_riders(system, 3)
    t0 = utcnow()
    for u in users:
        service.rent(system, SYSTEM, u, station_id="alpha", now=t0)
    service.end_rental(system, SYSTEM, users[0], "beta", now=t0 + timedelta(minutes=5))
    service.end_rental(system, SYSTEM, users[1], "beta", now=t0 + timedelta(minutes=5))
    with pytest.raises(BikesError) as err:
        service.end_rental(system, SYSTEM, users[2], "beta", now=t0 + timedelta(minutes=6))
    assert err.value.status == 409 and err.value.params["nearest"] == "alpha"
    assert err.value.params["credit_minutes"] == 15
    # a second try at the same full station does not credit again
    with pytest.raises(BikesError) as err:
        service.end_rental(system, SYSTEM, users[2], "beta", now=t0 + timedelta(minutes=7))
    assert err.value.params["credit_minutes"] == 0
    out = service.end_rental(system, SYSTEM, users[2], "alpha", now=t0 + timedelta(minutes=44, seconds=30))
    # 45 started minutes - 30 free - 15 credit = 0 billable
    assert out["credit_minutes"] == 15 and out["fare"] == 3000
    assert station(system, "beta").docked == 2
    assert invariants(system) == []


def test_unpaid_part_of_a_long_ride_becomes_debt_and_blocks_the_next_ride(system):
    (u,) = make_riders(system, 1, balance=5000)
    t0 = utcnow()
    service.rent(system, SYSTEM, u, bike_id="uji-alpha-0", now=t0)
    out = service.end_rental(system, SYSTEM, u, "alpha", now=t0 + timedelta(minutes=60))
    assert out["fare"] == 3000 + 30 * 250
    assert out["balance"] == 0 and out["debt"] == out["fare"] - 5000
    with pytest.raises(BikesError) as err:
        service.rent(system, SYSTEM, u, bike_id="uji-alpha-1")
    assert err.value.status == 402
    assert invariants(system) == []


def test_reservation_holds_the_bike_then_expires(system):
    u1, u2 = make_riders(system, 2)
    t0 = utcnow()
    res = service.reserve(system, SYSTEM, u1, "uji-alpha-0", now=t0)
    assert res["status"] == "active"
    with pytest.raises(BikesError):
        service.rent(system, SYSTEM, u2, bike_id="uji-alpha-0", now=t0 + timedelta(minutes=1))
    # after 15 minutes the hold lapses and another rider may take the bike
    rental = service.rent(system, SYSTEM, u2, bike_id="uji-alpha-0", now=t0 + timedelta(minutes=16))
    assert rental["bike_id"] == "uji-alpha-0"
    assert invariants(system) == []


def test_reserved_bike_is_rented_by_its_rider_without_naming_it(system):
    (u,) = make_riders(system, 1)
    service.reserve(system, SYSTEM, u, "uji-alpha-2")
    assert service.rent(system, SYSTEM, u)["bike_id"] == "uji-alpha-2"


def test_cancel_reservation_frees_the_bike(system):
    (u,) = make_riders(system, 1)
    service.reserve(system, SYSTEM, u, "uji-alpha-0")
    assert service.cancel_reservation(system, SYSTEM, u)["status"] == "cancelled"
    with session_scope(system) as s:
        assert s.scalar(select(BikeRow.status).where(BikeRow.bike_id == "uji-alpha-0")) == "available"


def test_broken_report_disables_the_bike_and_opens_a_task(system):
    (u,) = make_riders(system, 1)
    out = service.report_broken(system, SYSTEM, "uji-alpha-1", user_id=u, note="rem blong")
    assert out["status"] == "broken"
    with pytest.raises(BikesError):
        service.rent(system, SYSTEM, u, bike_id="uji-alpha-1")
    with session_scope(system) as s:
        task = s.scalar(select(BikeTask).where(BikeTask.bike_id == "uji-alpha-1"))
        assert task.kind == "repair" and task.priority == 1
    done = fleet.update_task(system, SYSTEM, task.task_id, "done")
    assert done["status"] == "done" and done["closed_at"]


def test_return_reported_broken_docks_the_bike_broken(system):
    (u,) = make_riders(system, 1)
    service.rent(system, SYSTEM, u, bike_id="uji-alpha-0")
    service.end_rental(system, SYSTEM, u, "alpha", broken=True, note="ban bocor")
    with session_scope(system) as s:
        assert s.scalar(select(BikeRow.status).where(BikeRow.bike_id == "uji-alpha-0")) == "broken"
    assert invariants(system) == []


def test_e_bike_with_low_battery_cannot_be_rented(system):
    (u,) = make_riders(system, 1)
    fleet.set_bike(system, SYSTEM, "uji-e1", battery=0.1)
    with pytest.raises(BikesError) as err:
        service.rent(system, SYSTEM, u, bike_id="uji-e1")
    assert err.value.status == 409


def test_register_rider_by_phone_and_sign_in(system):
    rider_out, token = service.register_rider(
        system, SYSTEM, phone="0812-3456-7890", password="rahasia-123", name="Siti"
    )
    assert rider_out["phone"] == "6281234567890" and token
    assert service.rider_login(system, "+62 812 3456 7890", "rahasia-123")
    with pytest.raises(Conflict):
        service.register_rider(system, SYSTEM, phone="081234567890", password="rahasia-123")
    with pytest.raises(BikesError):
        service.normalise_phone("12345")
