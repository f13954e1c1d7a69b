"""The rider's API: a rider's day, a return to a full station (409 problem naming the nearest one), reports."""

from __future__ import annotations

from ..factories import API, register, topup


def test_a_riders_day(api):
    h = register(api, "0812 1111 2222")
    login = api.post("/api/v1/bikes/riders/token", json={"phone": "+6281211112222", "password": "sandi-rahasia"})
    assert login.status_code == 200 and login.json()["token_type"] == "bearer"
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
    assert api.get(f"{API}/me", headers=h).json()["active_rental"]["rental_id"] == r.json()["rental_id"]
    r = api.post(f"{API}/me/rentals/current/end", json={"station_id": "gamma"}, headers=h)
    assert r.status_code == 200 and r.json()["fare"] == 3000 and r.json()["fare_detail"]["unlock_fee"] == 3000
    me = api.get(f"{API}/me", headers=h).json()
    assert me["balance"] == 17000 and me["active_rental"] is None
    trips = api.get(f"{API}/me/rentals", headers=h).json()
    assert trips["total"] == 1 and trips["items"][0]["end_station_id"] == "gamma"


def test_the_reservation_can_be_cancelled_once(api):
    h = register(api, "0812 3333 4444")
    assert api.post(f"{API}/me/reservation", json={"bike_id": "uji-alpha-0"}, headers=h).status_code == 201
    r = api.delete(f"{API}/me/reservation", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert api.delete(f"{API}/me/reservation", headers=h).status_code == 404


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
    assert body["station_id"] == "beta" and body["distance_m"] > 0 and body["total_credit_minutes"] == 15
    r = api.post(f"{API}/me/rentals/current/end", json={"station_id": "alpha"}, headers=heads[2])
    assert r.status_code == 200 and r.json()["credit_minutes"] == 15


def test_report_broken_bike(api, auth):
    h = register(api, "081299990000")
    r = api.post(f"{API}/reports", json={"bike_id": "uji-gamma-0", "note": "rantai lepas"}, headers=h)
    assert r.status_code == 201 and r.json()["status"] == "broken"
    tasks = api.get(f"{API}/tasks", headers=auth("bikeoperator.3510")).json()
    assert tasks["items"][0]["kind"] == "repair" and tasks["items"][0]["bike_id"] == "uji-gamma-0"
    reports = api.get(f"{API}/reports", headers=auth("bikeoperator.3510")).json()
    assert reports["items"][0]["note"] == "rantai lepas" and reports["total"] == 1


def test_renting_at_a_station_hands_out_a_classic_bike_unless_the_rider_asks_for_an_e_bike(api):
    """Gamma holds a classic bike and a charged e-bike: "any bike here" gave the e-bike at the higher price; now a
    classic comes first and the e-bike only when asked for by type (409 when none of the type is left)."""
    first, second = register(api, "0812 5555 0001"), register(api, "0812 5555 0002")
    for i, h in enumerate((first, second)):
        topup(api, h, 50000, f"e{i}")
    r = api.post(f"{API}/me/rentals", json={"station_id": "gamma"}, headers=first)
    assert r.status_code == 201 and r.json()["vehicle_type_id"] == "classic"
    r = api.post(f"{API}/me/rentals", json={"station_id": "gamma", "vehicle_type_id": "classic"}, headers=second)
    assert r.status_code == 409 and r.json()["field"] == "vehicle_type_id"
    r = api.post(f"{API}/me/rentals", json={"station_id": "gamma", "vehicle_type_id": "ebike"}, headers=second)
    assert r.status_code == 201 and r.json()["vehicle_type_id"] == "ebike"
