"""Trips through the API: operators import trip history (idempotently, refusing bad rows) and list rentals."""

from __future__ import annotations

from ..factories import API


def test_trip_import_is_idempotent_and_names_the_bad_row(api, auth):
    op = auth("cityadmin.3510")
    trips = (
        "trip_id,bike_id,start_station_id,end_station_id,start_time,end_time\n"
        "t1,b1,alpha,gamma,2025-03-03T07:00:00+07:00,2025-03-03T07:12:00+07:00\n"
        "t2,b2,gamma,alpha,2025-03-03 08:00:00,2025-03-03 08:20:00\n"
    )
    r = api.post(f"{API}/trips/import", files={"file": ("t.csv", trips.encode(), "text/csv")}, headers=op)
    assert r.status_code == 200 and r.json() == {"imported": 2, "skipped": 0, "already_imported": False}
    again = api.post(f"{API}/trips/import", files={"file": ("t.csv", trips.encode(), "text/csv")}, headers=op)
    assert again.json()["already_imported"] is True
    bad = trips.replace("t1,", "t3,").replace("t2,b2,gamma", "t4,b2,nowhere")
    r = api.post(f"{API}/trips/import", files={"file": ("t2.csv", bad.encode(), "text/csv")}, headers=op)
    assert r.status_code == 400 and r.json()["record"] == 3 and r.json()["field"] == "start_station_id"
    rentals = api.get(f"{API}/rentals", params={"status": "ended"}, headers=op).json()
    assert rentals["total"] == 2 and rentals["items"][0]["rental_id"] == "t2"
