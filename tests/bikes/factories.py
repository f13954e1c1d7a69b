"""Small bike-share systems, riders and API helpers shared by the Bike Sharing tests (built through the services)."""

from __future__ import annotations

from sqlalchemy import insert, select

from kotacerdas.bikes.services import fleet, payments, plans, systems
from kotacerdas.bikes.services.stations import upsert_station
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeRider, BikeStation, BikeSystem, BikeVehicleType
from kotacerdas.core.db import session_scope, utcnow
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
        system = systems.create_system(s, c, {"system_id": system_id, "name": {"id": "Uji", "en": "Test"}})
        for sid, lat, lon, cap, _n in stations:
            upsert_station(s, system, {"station_id": sid, "name": sid.title(), "lat": lat, "lon": lon, "capacity": cap})
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
        plans.upsert_plan(
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
        plans.upsert_plan(
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


def register(client, phone: str, system_id: str = SYSTEM) -> dict[str, str]:
    """Sign up a rider through the API; the bearer header."""
    r = client.post(
        f"/api/v1/bikes/systems/{system_id}/riders",
        json={"phone": phone, "password": "sandi-rahasia", "name": "Budi"},
    )
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def topup(client, headers, amount: int, key: str, system_id: str = SYSTEM) -> dict:
    """Top a rider's wallet up through the API and the sandbox payment; the payment result."""
    api = f"/api/v1/bikes/systems/{system_id}"
    r = client.post(f"{api}/me/topups", json={"amount": amount}, headers=headers | {"Idempotency-Key": key})
    assert r.status_code == 201, r.text
    paid = client.post(f"{api}/me/topups/{r.json()['intent_id']}/sandbox-pay", headers=headers)
    assert paid.status_code == 200, paid.text
    return paid.json()


#: The API of the small system.
API = f"/api/v1/bikes/systems/{SYSTEM}"
