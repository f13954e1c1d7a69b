"""Rider flows as database transactions on SQLite and PostgreSQL: reserve, rent, return, pay, report."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert, select

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import fleet, payments
from kotacerdas.bikes.services import rentals as service
from kotacerdas.bikes.services import stations as manage
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import (
    BikeRental,
    BikeRider,
    BikeRow,
    BikeStation,
    BikeSystem,
    BikeTask,
    BikeVehicleType,
)
from kotacerdas.core.db import session_scope, utcnow
from kotacerdas.core.errors import Conflict
from kotacerdas.core.models import City, User

SYSTEM = "uji"
# station id, lat, lon, capacity, bikes docked at the start
STATIONS = [
    ("alpha", -8.2137, 114.3676, 6, 3),
    ("beta", -8.2086, 114.3736, 2, 0),
    ("gamma", -8.2004, 114.3803, 8, 1),
]


def make_system(
    engine, *, system_id: str = SYSTEM, city: str = "35.10", stations=STATIONS, ebike_at: str | None = "gamma"
) -> None:
    """A small system: three stations (alpha 3/6 bikes, beta 0/2, gamma 1/8), classic bikes, one e-bike."""
    with session_scope(engine) as s:
        c = s.scalar(select(City).where(City.code == city))
        system = manage.create_system(s, c, {"system_id": system_id, "name": {"id": "Uji", "en": "Test"}})
        for sid, lat, lon, cap, _n in stations:
            manage.upsert_station(
                s, system, {"station_id": sid, "name": sid.title(), "lat": lat, "lon": lon, "capacity": cap}
            )
        classic = BikeVehicleType(
            system_pk=system.id,
            vehicle_type_id="classic",
            name={"id": "Biasa", "en": "Classic"},
            default_pricing_plan_id="pay",
            pricing_plan_ids=["pay", "day"],
        )
        ebike = BikeVehicleType(
            system_pk=system.id,
            vehicle_type_id="ebike",
            name={"id": "Listrik", "en": "E-bike"},
            propulsion_type="electric_assist",
            max_range_meters=40000.0,
            default_pricing_plan_id="pay",
            pricing_plan_ids=["pay"],
        )
        s.add_all([classic, ebike])
        manage.upsert_plan(
            s,
            system,
            {
                "plan_id": "pay",
                "name": "Sekali jalan",
                "unlock_fee": 3000,
                "per_minute": 250,
                "free_minutes": 30,
            },
        )
        manage.upsert_plan(
            s,
            system,
            {
                "plan_id": "day",
                "name": "Harian",
                "unlock_fee": 0,
                "per_minute": 250,
                "free_minutes": 60,
                "day_pass_price": 15000,
            },
        )
        s.flush()
    for sid, _lat, _lon, _cap, n in stations:
        for k in range(n):
            fleet.add_bike(engine, system_id, f"{system_id}-{sid}-{k}", "classic", sid)
    if ebike_at:
        fleet.add_bike(engine, system_id, f"{system_id}-e1", "ebike", ebike_at, battery=0.9)


def make_riders(engine, n: int, *, system_id: str = SYSTEM, balance: int = 20000, prefix: str = "r") -> list[int]:
    """``n`` users with rider accounts, each topped up with ``balance`` rupiah; returns their user ids."""
    with session_scope(engine) as s:
        system = s.scalar(select(BikeSystem).where(BikeSystem.system_id == system_id))
        tag = f"{prefix}{system_id}"
        s.execute(
            insert(User),
            [
                {
                    "username": f"{tag}.{i:04d}",
                    "full_name": "",
                    "password_hash": "x",
                    "is_active": True,
                    "is_superuser": False,
                    "created_at": utcnow(),
                }
                for i in range(n)
            ],
        )
        users = list(s.scalars(select(User.id).where(User.username.like(f"{tag}.%")).order_by(User.id)))
        s.execute(
            insert(BikeRider),
            [
                {
                    "city_id": system.city_id,
                    "system_pk": system.id,
                    "rider_id": f"{tag}-{u}",
                    "user_id": u,
                    "name": "",
                    "language": "id",
                    "wallet": 0,
                    "debt": 0,
                    "is_demo": False,
                    "created_at": utcnow(),
                }
                for u in users
            ],
        )
    if balance:
        for u in users:
            payments.credit(engine, system_id, f"{prefix}{system_id}-{u}", balance, idempotency_key=f"seed:{u}")
    return users


def invariants(engine, system_id: str = SYSTEM) -> list[str]:
    with session_scope(engine) as s:
        return st.check_invariants(s, st.get_system(s, system_id))


def station(engine, sid: str) -> BikeStation:
    with session_scope(engine) as s:
        return s.scalar(select(BikeStation).where(BikeStation.station_id == sid))


def rider(engine, user_id: int) -> BikeRider:
    with session_scope(engine) as s:
        return s.scalar(select(BikeRider).where(BikeRider.user_id == user_id))


@pytest.fixture
def system(seeded):
    make_system(seeded)
    return seeded


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


def test_topup_through_sandbox_qris_and_webhook_credits_once(system):
    (u,) = make_riders(system, 1, balance=0)
    provider = payments.sandbox_provider("secret")
    intent = payments.create_topup(system, provider, SYSTEM, u, 25000, "k1")
    assert intent["status"] == "pending" and intent["qr_payload"].startswith("000201010212")
    from kotacerdas.bikes.ledger import check_qris

    assert check_qris(intent["qr_payload"])
    assert payments.create_topup(system, provider, SYSTEM, u, 25000, "k1")["intent_id"] == intent["intent_id"]
    with pytest.raises(BikesError):
        payments.create_topup(system, provider, SYSTEM, u, 30000, "k1")
    paid = payments.sandbox_pay(system, provider, SYSTEM, u, intent["intent_id"])
    assert paid["status"] == "paid" and paid["balance"] == 25000
    body, sig = provider.pay(intent["intent_id"], utcnow())  # the provider sends the webhook again
    assert payments.confirm_payment(system, provider, body, sig)["balance"] == 25000  # repeated webhook
    with pytest.raises(BikesError) as err:
        payments.confirm_payment(system, provider, body, "0" * 64)
    assert err.value.status == 401
    assert invariants(system) == []


def test_day_pass_is_paid_once_and_rides_use_its_terms(system):
    (u,) = make_riders(system, 1, balance=20000)
    t0 = utcnow()
    p1 = payments.buy_pass(system, SYSTEM, u, "day", "pass-1", now=t0)
    p2 = payments.buy_pass(system, SYSTEM, u, "day", "pass-1", now=t0)
    assert p1["pass_id"] == p2["pass_id"] and p2["balance"] == 5000
    service.rent(system, SYSTEM, u, bike_id="uji-alpha-0", now=t0 + timedelta(minutes=1))
    out = service.end_rental(system, SYSTEM, u, "alpha", now=t0 + timedelta(minutes=50))
    assert out["fare"] == 0 and out["pass_id"] == p1["pass_id"]
    with pytest.raises(BikesError) as err:
        payments.buy_pass(system, SYSTEM, u, "day", "pass-2", now=t0)
    assert err.value.status == 402


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


def test_operator_bike_moves_keep_dock_counts(system):
    fleet.set_bike(system, SYSTEM, "uji-alpha-0", station_id="beta")
    fleet.set_bike(system, SYSTEM, "uji-alpha-1", station_id="beta")
    with pytest.raises(BikesError) as err:
        fleet.set_bike(system, SYSTEM, "uji-alpha-2", station_id="beta")
    assert err.value.status == 409
    fleet.set_bike(system, SYSTEM, "uji-alpha-2", status="missing")
    assert station(system, "alpha").docked == 0 and station(system, "beta").docked == 2
    with pytest.raises(BikesError):
        fleet.set_bike(system, SYSTEM, "uji-alpha-2", status="rented")
    fleet.set_bike(system, SYSTEM, "uji-alpha-2", status="available", station_id="alpha")
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


def test_stored_wallet_can_never_go_below_zero(system):
    """The CHECK constraint refuses a negative wallet even if the application tried to write one."""
    (u,) = make_riders(system, 1, balance=1000)
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with session_scope(system) as s:
            s.execute(BikeRider.__table__.update().where(BikeRider.user_id == u).values(wallet=-1))


def test_schema_refuses_a_second_active_rental_of_a_bike(system):
    u1, u2 = make_riders(system, 2)
    service.rent(system, SYSTEM, u1, bike_id="uji-alpha-0")
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with session_scope(system) as s:
            first = s.scalar(select(BikeRental).where(BikeRental.status == "active"))
            r2 = s.scalar(select(BikeRider).where(BikeRider.user_id == u2))
            s.add(
                BikeRental(
                    city_id=first.city_id,
                    system_pk=first.system_pk,
                    rental_id="dup",
                    rider_pk=r2.id,
                    bike_pk=first.bike_pk,
                    bike_code=first.bike_code,
                    start_station_id="alpha",
                    start_time=datetime.now().astimezone(),
                    status="active",
                )
            )
            s.flush()
