"""Who may do what with bike-share systems: every role of 35.10, the public and root, in 35.10 and 73.71.

Bike operators and city administrators manage the systems of their own city only; riders
see only their own rentals and wallet; the public sees the GBFS feeds and station map
data. The expected outcomes are written out here, independently of the permission table.
"""

from __future__ import annotations

import uuid

import pytest

from kotacerdas.bikes.services import feed_cache
from kotacerdas.core.auth import Role

from ..factories import make_riders, make_system

HOME, OTHER = "35.10", "73.71"
SYSTEMS = {HOME: "ujibwi", OTHER: "ujimks"}
MANAGERS = {"city_admin", "bike_operator"}
WHO = ["anonymous", "root"] + [r.value for r in Role]


def _u() -> str:
    return uuid.uuid4().hex[:8]


# (name, method, path, success status, request kwargs factory(city))
ACTIONS = [
    ("list bikes", "GET", "/bikes", 200, lambda c: {}),
    ("list tasks", "GET", "/tasks", 200, lambda c: {}),
    ("list reports", "GET", "/reports", 200, lambda c: {}),
    ("list rentals", "GET", "/rentals", 200, lambda c: {}),
    ("dashboard", "GET", "/dashboard", 200, lambda c: {}),
    ("forecast", "GET", "/forecast", 200, lambda c: {"params": {"hours": 1}}),
    ("rebalancing", "GET", "/rebalancing", 200, lambda c: {"params": {"hours": 1}}),
    ("invariants", "GET", "/invariants", 200, lambda c: {}),
    ("update system", "PATCH", "", 200, lambda c: {"json": {"opening_hours": "Mo-Su 06:00-21:00"}}),
    (
        "create station",
        "POST",
        "/stations",
        201,
        lambda c: {
            "json": {
                "station_id": f"s{_u()}",
                "name": "Baru",
                "lat": -8.2 if c == HOME else -5.14,
                "lon": 114.37 if c == HOME else 119.43,
                "capacity": 4,
            }
        },
    ),
    ("update station", "PATCH", "/stations/alpha", 200, lambda c: {"json": {"address": "Jl. Uji"}}),
    (
        "add bike",
        "POST",
        "/bikes",
        201,
        lambda c: {"json": {"bike_id": f"b{_u()}", "vehicle_type_id": "classic", "station_id": "gamma"}},
    ),
    ("update bike", "PATCH", "/bikes/{system}-e1", 200, lambda c: {"json": {"battery": 0.8}}),
    ("save plan", "PUT", "/plans/pay", 200, lambda c: {"json": {"per_minute": 300}}),
    ("post alert", "POST", "/alerts", 201, lambda c: {"json": {"type": "other", "summary": "Info"}}),
    ("open task", "POST", "/tasks", 201, lambda c: {"json": {"kind": "rebalance", "station_id": "alpha"}}),
    (
        "import trips",
        "POST",
        "/trips/import",
        200,
        lambda c: {
            "files": {
                "file": (
                    "t.csv",
                    (
                        "trip_id,bike_id,start_station_id,end_station_id,start_time,end_time\n"
                        f"t{_u()},{SYSTEMS[c]}-alpha-0,alpha,gamma,2025-03-03T07:00:00+07:00,2025-03-03T07:10:00+07:00\n"
                    ).encode(),
                    "text/csv",
                )
            }
        },
    ),
]


def username(who: str) -> str:
    return f"{who.replace('_', '')}.{HOME.replace('.', '')}"


@pytest.fixture
def two_cities(client, seeded):
    feed_cache.invalidate()
    for city, sid in SYSTEMS.items():
        stations = None
        if city == OTHER:
            stations = [
                ("alpha", -5.14, 119.43, 6, 3),
                ("beta", -5.13, 119.42, 2, 0),
                ("gamma", -5.15, 119.41, 8, 1),
            ]
        make_system(seeded, system_id=sid, city=city, **({"stations": stations} if stations else {}))
    return client


@pytest.mark.parametrize("action", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_matrix(two_cities, auth, action):
    name, method, path, ok, make_kwargs = action
    failures = []
    for who in WHO:
        headers = {} if who == "anonymous" else auth("root" if who == "root" else username(who))
        for city in (HOME, OTHER):
            sid = SYSTEMS[city]
            url = f"/api/v1/bikes/systems/{sid}" + path.format(system=sid)
            r = two_cities.request(method, url, headers=headers, **make_kwargs(city))
            if who == "anonymous":
                expected = 401
            elif who == "root" or (city == HOME and who in MANAGERS):
                expected = ok
            else:
                expected = 403
            if r.status_code != expected:
                failures.append(f"{who} {method} {url}: {r.status_code} != {expected} {r.text[:150]}")
            if expected in (401, 403):
                assert r.headers["content-type"].startswith("application/problem+json")
    assert not failures, "\n".join(failures)


def test_create_system_only_in_own_city(two_cities, auth):
    for who in WHO:
        headers = {} if who == "anonymous" else auth("root" if who == "root" else username(who))
        for city in (HOME, OTHER):
            r = two_cities.post(
                "/api/v1/bikes/systems",
                headers=headers,
                json={"city": city, "system_id": f"x{_u()}", "name": "Baru"},
            )
            expected = (
                401 if who == "anonymous" else (201 if who == "root" or (city == HOME and who in MANAGERS) else 403)
            )
            assert r.status_code == expected, (who, city, r.text)


def test_riders_see_only_their_own_rentals_and_wallet(two_cities, seeded, auth):
    sid = SYSTEMS[HOME]
    base = f"/api/v1/bikes/systems/{sid}"
    a, b = auth("public.3510"), auth("roadofficer.3510")
    for h in (a, b):
        assert two_cities.post(f"{base}/riders", json={}, headers=h).status_code == 201
    (funder,) = make_riders(seeded, 1, system_id=sid)  # noqa: F841  (another rider with money)
    r = two_cities.post(f"{base}/me/topups", json={"amount": 10000, "idempotency_key": "a1"}, headers=a)
    intent = r.json()["intent_id"]
    two_cities.post(f"{base}/me/topups/{intent}/sandbox-pay", headers=a)
    assert two_cities.post(f"{base}/me/rentals", json={"station_id": "alpha"}, headers=a).status_code == 201
    mine = two_cities.get(f"{base}/me/rentals", headers=a).json()
    theirs = two_cities.get(f"{base}/me/rentals", headers=b).json()
    assert mine["total"] == 1 and theirs["total"] == 0
    assert two_cities.get(f"{base}/me", headers=b).json()["balance"] == 0
    assert two_cities.get(f"{base}/me/topups/{intent}", headers=b).status_code == 404
    assert two_cities.post(f"{base}/me/topups/{intent}/sandbox-pay", headers=b).status_code == 404
    assert two_cities.get(f"{base}/rentals", headers=a).status_code == 403
    # a rider cannot end someone else's ride: they have none
    assert two_cities.post(f"{base}/me/rentals/current/end", json={"station_id": "beta"}, headers=b).status_code == 409
    # rider endpoints need a rider account in that system
    assert two_cities.get(f"/api/v1/bikes/systems/{SYSTEMS[OTHER]}/me", headers=a).status_code == 404


def test_public_sees_feeds_and_station_map_only(two_cities):
    sid = SYSTEMS[HOME]
    base = f"/api/v1/bikes/systems/{sid}"
    assert two_cities.get(f"/gbfs/v3/{sid}/station_status.json").status_code == 200
    assert two_cities.get(f"{base}/stations").status_code == 200
    assert two_cities.get(f"{base}/stations/alpha").status_code == 200
    assert two_cities.get(f"{base}/plans").status_code == 200
    stations = two_cities.get(f"{base}/stations").json()
    assert "battery" not in str(stations) or all("rider" not in k for k in stations["features"][0]["properties"])
    for private in ("/bikes", "/rentals", "/dashboard", "/tasks", "/reports", "/me", "/me/rentals"):
        assert two_cities.get(base + private).status_code == 401, private
    assert two_cities.post(f"{base}/me/rentals", json={"station_id": "alpha"}).status_code == 401
    assert two_cities.post(f"{base}/reports", json={"bike_id": f"{sid}-alpha-0"}).status_code == 401
