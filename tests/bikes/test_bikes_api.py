"""The Bike Sharing HTTP API: a rider's day, an operator's tools, problem details."""

from __future__ import annotations

import pytest

from kotacerdas.bikes import feed_cache

from .test_bikes_service import SYSTEM, make_system

API = f"/api/v1/bikes/systems/{SYSTEM}"


@pytest.fixture
def api(client, seeded):
    feed_cache.invalidate()
    make_system(seeded)
    return client


def register(client, phone: str) -> dict[str, str]:
    r = client.post(f"{API}/riders", json={"phone": phone, "password": "sandi-rahasia", "name": "Budi"})
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def topup(client, headers, amount: int, key: str) -> dict:
    r = client.post(f"{API}/me/topups", json={"amount": amount}, headers=headers | {"Idempotency-Key": key})
    assert r.status_code == 201, r.text
    paid = client.post(f"{API}/me/topups/{r.json()['intent_id']}/sandbox-pay", headers=headers)
    assert paid.status_code == 200, paid.text
    return paid.json()


def test_a_riders_day(api):
    h = register(api, "0812 1111 2222")
    login = api.post("/api/v1/bikes/riders/token", json={"phone": "+6281211112222", "password": "sandi-rahasia"})
    assert login.status_code == 200
    assert api.get(f"{API}/me", headers=h).json()["balance"] == 0
    assert topup(api, h, 20000, "t-1")["balance"] == 20000
    assert topup(api, h, 20000, "t-1")["balance"] == 20000  # same key: same intent, credited once
    stations = api.get(f"{API}/stations").json()
    assert stations["type"] == "FeatureCollection" and len(stations["features"]) == 3
    r = api.post(f"{API}/me/reservation", json={"bike_id": "uji-alpha-0"}, headers=h)
    assert r.status_code == 201 and r.json()["status"] == "active"
    assert api.get(f"{API}/me", headers=h).json()["reservation"]["bike_id"] == "uji-alpha-0"
    r = api.post(f"{API}/me/rentals", json={}, headers=h)
    assert r.status_code == 201 and r.json()["bike_id"] == "uji-alpha-0"
    r = api.post(f"{API}/me/rentals/current/end", json={"station_id": "gamma"}, headers=h)
    assert r.status_code == 200 and r.json()["fare"] == 3000
    me = api.get(f"{API}/me", headers=h).json()
    assert me["balance"] == 17000 and me["active_rental"] is None
    trips = api.get(f"{API}/me/rentals", headers=h).json()
    assert trips["total"] == 1 and trips["items"][0]["end_station_id"] == "gamma"
    statement = api.get(f"{API}/me/transactions", headers=h).json()
    assert sorted(i["amount"] for i in statement["items"]) == [-3000, 20000]


def test_return_to_a_full_station_is_a_409_problem_with_the_nearest_station(api):
    heads = [register(api, f"08120000000{i}") for i in range(3)]
    for i, h in enumerate(heads):
        topup(api, h, 10000, f"k{i}")
        assert api.post(f"{API}/me/rentals", json={"station_id": "alpha"}, headers=h).status_code == 201
    for h in heads[:2]:
        assert api.post(f"{API}/me/rentals/current/end", json={"station_id": "beta"}, headers=h).status_code == 200
    r = api.post(
        f"{API}/me/rentals/current/end",
        json={"station_id": "beta"},
        headers=heads[2] | {"Accept-Language": "en"},
    )
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["nearest_station_id"] == "alpha" and body["credit_minutes"] == 15 and "alpha" in body["detail"]
    r = api.post(f"{API}/me/rentals/current/end", json={"station_id": "alpha"}, headers=heads[2])
    assert r.status_code == 200 and r.json()["credit_minutes"] == 15


def test_webhook_with_a_forged_signature_is_refused(api):
    r = api.post(
        "/api/v1/bikes/payments/sandbox/webhook",
        content=b'{"intent_id": "PIX"}',
        headers={"X-Signature": "bad"},
    )
    assert r.status_code == 401


def test_report_broken_bike(api, auth):
    h = register(api, "081299990000")
    r = api.post(f"{API}/reports", json={"bike_id": "uji-gamma-0", "note": "rantai lepas"}, headers=h)
    assert r.status_code == 201
    tasks = api.get(f"{API}/tasks", headers=auth("bikeoperator.3510")).json()
    assert tasks["items"][0]["kind"] == "repair" and tasks["items"][0]["bike_id"] == "uji-gamma-0"
    reports = api.get(f"{API}/reports", headers=auth("bikeoperator.3510")).json()
    assert reports["items"][0]["note"] == "rantai lepas"


def test_operator_tools(api, auth):
    op = auth("bikeoperator.3510")
    r = api.post(
        f"{API}/stations",
        json={
            "station_id": "delta",
            "name": {"id": "Delta", "en": "Delta"},
            "lat": -8.215,
            "lon": 114.366,
            "capacity": 4,
            "address": "Jl. Uji",
        },
        headers=op,
    )
    assert r.status_code == 201, r.text
    assert r.json()["kecamatan"]["code"] and r.json()["kecamatan"]["name"]
    assert api.patch(f"{API}/stations/delta", json={"capacity": 5}, headers=op).json()["capacity"] == 5
    assert (
        api.post(
            f"{API}/bikes",
            json={"bike_id": "new-1", "vehicle_type_id": "classic", "station_id": "delta"},
            headers=op,
        ).status_code
        == 201
    )
    assert api.patch(f"{API}/stations/delta", json={"capacity": 0}, headers=op).status_code == 409
    assert api.delete(f"{API}/stations/delta", headers=op).status_code == 409
    r = api.patch(f"{API}/bikes/new-1", json={"status": "maintenance"}, headers=op)
    assert r.status_code == 200 and r.json()["status"] == "maintenance"
    bikes = api.get(f"{API}/bikes", params={"status": "maintenance"}, headers=op).json()
    assert [b["bike_id"] for b in bikes["items"]] == ["new-1"]
    r = api.put(f"{API}/plans/pay", json={"unlock_fee": 4000}, headers=op)
    assert r.status_code == 200 and r.json()["unlock_fee"] == 4000
    assert api.put(f"{API}/plans/pay", json={"unlock_fee": 4000.5}, headers=op).status_code in (400, 422)
    r = api.post(f"{API}/alerts", json={"alert_id": "a1", "type": "other", "summary": "Info"}, headers=op)
    assert r.status_code == 201
    assert api.delete(f"{API}/alerts/a1", headers=op).status_code == 204
    r = api.post(f"{API}/tasks", json={"kind": "rebalance", "station_id": "alpha"}, headers=op)
    assert r.status_code == 201
    assert (
        api.patch(f"{API}/tasks/{r.json()['task_id']}", json={"status": "done"}, headers=op).json()["status"] == "done"
    )
    dash = api.get(f"{API}/dashboard", headers=op).json()
    assert dash["stations"] == 4 and "beta" in dash["empty_stations"] and len(dash["days"]) == 14
    plan = api.get(f"{API}/rebalancing", params={"trucks": 1}, headers=op).json()
    assert plan["distance_source"] in ("road_network", "haversine") and plan["problems"] == []
    assert api.get(f"{API}/invariants", headers=op).json() == {"ok": True, "problems": []}


def test_station_and_trip_imports(api, auth):
    op = auth("cityadmin.3510")
    csv_text = "station_id,name,lat,lon,capacity,nearby\nepsilon,Epsilon,-8.21,114.37,6,Pasar;Masjid\n"
    r = api.post(f"{API}/stations/import", files={"file": ("s.csv", csv_text.encode(), "text/csv")}, headers=op)
    assert r.status_code == 200 and r.json() == {"created": 1, "updated": 0}
    trips = (
        "trip_id,bike_id,start_station_id,end_station_id,start_time,end_time\n"
        "t1,b1,alpha,gamma,2025-03-03T07:00:00+07:00,2025-03-03T07:12:00+07:00\n"
        "t2,b2,gamma,alpha,2025-03-03 08:00:00,2025-03-03 08:20:00\n"
    )
    r = api.post(f"{API}/trips/import", files={"file": ("t.csv", trips.encode(), "text/csv")}, headers=op)
    assert r.status_code == 200 and r.json()["imported"] == 2
    again = api.post(f"{API}/trips/import", files={"file": ("t.csv", trips.encode(), "text/csv")}, headers=op)
    assert again.json()["already_imported"] is True
    bad = trips.replace("t1,", "t3,").replace("t2,b2,gamma", "t4,b2,nowhere")
    r = api.post(f"{API}/trips/import", files={"file": ("t2.csv", bad.encode(), "text/csv")}, headers=op)
    assert r.status_code == 400 and r.json()["record"] == 3 and r.json()["field"] == "start_station_id"


def test_public_reads(api):
    systems = api.get("/api/v1/bikes/systems").json()
    assert [s["system_id"] for s in systems] == [SYSTEM]
    one = api.get(f"{API}").json()
    assert one["stations"] == 3 and one["bikes_available"] == 5
    st = api.get(f"{API}/stations/alpha").json()
    assert len(st["bikes"]) == 3 and st["docks_available"] == 3
    assert [p["plan_id"] for p in api.get(f"{API}/plans").json()] == ["pay", "day"]
