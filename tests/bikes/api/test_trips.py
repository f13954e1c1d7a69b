"""Trips through the API: operators import trip history (idempotently, refusing bad rows) and list rentals."""

from __future__ import annotations

from ..factories import API


def test_trip_import_is_idempotent_and_names_the_bad_row(api, auth):
    op = auth("cityadmin.3510")
    trips = (
        "trip_id,bike_id,start_station_id,end_station_id,start_time,end_time\n"
        "t1,uji-alpha-0,alpha,gamma,2025-03-03T07:00:00+07:00,2025-03-03T07:12:00+07:00\n"
        "t2,uji-alpha-1,gamma,alpha,2025-03-03 08:00:00,2025-03-03 08:20:00\n"
    )
    r = api.post(f"{API}/trips/import", files={"file": ("t.csv", trips.encode(), "text/csv")}, headers=op)
    assert r.status_code == 200 and r.json() == {
        "imported": 2,
        "skipped": 0,
        "skipped_ids": [],
        "already_imported": False,
    }
    again = api.post(f"{API}/trips/import", files={"file": ("t.csv", trips.encode(), "text/csv")}, headers=op)
    assert again.json()["already_imported"] is True
    bad = trips.replace("t1,", "t3,").replace("t2,uji-alpha-1,gamma", "t4,uji-alpha-1,nowhere")
    r = api.post(f"{API}/trips/import", files={"file": ("t2.csv", bad.encode(), "text/csv")}, headers=op)
    assert r.status_code == 400 and r.json()["record"] == 3 and r.json()["field"] == "start_station_id"
    rentals = api.get(f"{API}/rentals", params={"status": "ended"}, headers=op).json()
    assert rentals["total"] == 2 and rentals["items"][0]["rental_id"] == "t2"


HEADER = "trip_id,bike_id,start_station_id,end_station_id,start_time,end_time\n"
ROW = "{trip},{bike},alpha,gamma,2025-03-03T07:00:00+07:00,2025-03-03T07:12:00+07:00\n"


def test_unknown_bikes_duplicate_ids_and_impossible_years_are_refused_or_reported(api, auth):
    op = auth("cityadmin.3510")

    def send(body: str):
        return api.post(f"{API}/trips/import", files={"file": ("t.csv", body.encode(), "text/csv")}, headers=op)

    r = send(HEADER + ROW.format(trip="t1", bike="uji-alpha-0") + ROW.format(trip="t2", bike="ghost"))
    assert r.status_code == 400 and (r.json()["record"], r.json()["field"]) == (3, "bike_id")
    assert "ghost" in r.json()["detail"]
    r = send(HEADER + ROW.format(trip="t1", bike="uji-alpha-0") + ROW.format(trip="t1", bike="uji-alpha-1"))
    assert r.status_code == 400 and (r.json()["record"], r.json()["field"]) == (3, "trip_id")
    assert "t1" in r.json()["detail"]
    far = HEADER + ROW.format(trip="t9", bike="uji-alpha-0").replace("2025-03-03", "9999-12-31")
    r = send(far)
    assert r.status_code == 400 and r.json()["field"] == "start_time" and "9999" in r.json()["detail"]
    assert api.get(f"{API}/rentals", params={"status": "ended"}, headers=op).json()["total"] == 0
    ok = send(HEADER + ROW.format(trip="t1", bike="uji-alpha-0"))
    assert ok.json()["imported"] == 1
    again = send(HEADER + ROW.format(trip="t1", bike="uji-alpha-0") + ROW.format(trip="t2", bike="uji-alpha-1"))
    assert again.json() == {"imported": 1, "skipped": 1, "skipped_ids": ["t1"], "already_imported": False}


def test_a_trip_of_no_time_or_of_days_is_refused_naming_the_row(api, auth):
    op = auth("cityadmin.3510")
    head = "trip_id,bike_id,start_station_id,end_station_id,start_time,end_time\n"
    for end in ("2025-03-03T08:00:00+07:00", "2025-03-20T08:00:00+07:00"):  # the same instant; 17 days later
        body = head + f"z1,uji-alpha-0,alpha,beta,2025-03-03T08:00:00+07:00,{end}\n"
        r = api.post(f"{API}/trips/import", files={"file": ("t.csv", body.encode(), "text/csv")}, headers=op)
        assert r.status_code == 400 and (r.json()["record"], r.json()["field"]) == (2, "end_time"), r.text
    assert api.get(f"{API}/rentals", params={"status": "ended"}, headers=op).json()["total"] == 0
