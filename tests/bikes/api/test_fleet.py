"""The operator's fleet through the API: new bikes, status changes by the state machine, tasks, paged lists."""

from __future__ import annotations

from ..factories import API


def test_bikes_change_by_the_rules(api, auth):
    op = auth("bikeoperator.3510")
    bike = {"bike_id": "new-1", "vehicle_type_id": "classic", "station_id": "gamma"}
    r = api.post(f"{API}/bikes", json=bike, headers=op)
    assert r.status_code == 201 and r.json() == {"bike_id": "new-1", "status": "available", "station_id": "gamma"}
    assert api.post(f"{API}/bikes", json=bike, headers=op).status_code == 409
    r = api.patch(f"{API}/bikes/new-1", json={"status": "maintenance"}, headers=op)
    assert r.status_code == 200 and r.json()["status"] == "maintenance" and r.json()["station_id"] == "gamma"
    assert api.patch(f"{API}/bikes/new-1", json={"status": "rented"}, headers=op).status_code == 409
    r = api.patch(f"{API}/bikes/new-1", json={"status": "flying"}, headers=op)
    assert r.status_code == 400 and r.json()["field"] == "status" and "maintenance" in r.json()["detail"]
    r = api.patch(f"{API}/bikes/new-1", json={"status": "reserved"}, headers=op)  # only a rider's reservation
    kept = api.get(f"{API}/bikes", params={"status": "maintenance"}, headers=op).json()["items"]
    assert r.status_code == 409 and "new-1" in {b["bike_id"] for b in kept}
    r = api.patch(f"{API}/bikes/new-1", json={"status": "missing"}, headers=op)
    assert r.json() == {"bike_id": "new-1", "status": "missing", "station_id": None}
    r = api.patch(f"{API}/bikes/new-1", json={"status": "available", "station_id": "gamma"}, headers=op)
    assert r.json()["station_id"] == "gamma"
    bikes = api.get(f"{API}/bikes", params={"station_id": "gamma", "limit": 1}, headers=op).json()
    assert bikes["total"] == 3 and len(bikes["items"]) == 1 and bikes["items"][0]["station_id"] == "gamma"
    assert api.get(f"{API}/bikes", params={"status": "missing"}, headers=op).json()["total"] == 0
    assert api.get(f"{API}/bikes").status_code == 401


def test_tasks_open_start_and_close(api, auth):
    op = auth("bikeoperator.3510")
    r = api.post(f"{API}/tasks", json={"kind": "rebalance", "station_id": "alpha"}, headers=op)
    assert r.status_code == 201 and r.json()["status"] == "open"
    assert api.post(f"{API}/tasks", json={"kind": "nap"}, headers=op).status_code == 400
    task = r.json()["task_id"]
    assert (
        api.patch(f"{API}/tasks/{task}", json={"status": "in_progress"}, headers=op).json()["status"] == "in_progress"
    )
    done = api.patch(f"{API}/tasks/{task}", json={"status": "done"}, headers=op).json()
    assert done["status"] == "done" and done["closed_at"]
    assert api.patch(f"{API}/tasks/{task}", json={"status": "done"}, headers=op).status_code == 409
    assert api.patch(f"{API}/tasks/nope", json={"status": "done"}, headers=op).status_code == 404
    assert api.get(f"{API}/tasks", params={"status": "done"}, headers=op).json()["total"] == 1
