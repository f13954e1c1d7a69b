"""Survey vehicles through the API: register one, calibrate it from an uploaded drive and reference, list them."""

from __future__ import annotations


def test_vehicles_and_calibration_upload(client, roads_db, roads_calibration, auth):
    h = auth("roadofficer.3510")
    r = client.post("/api/v1/roads/cities/35.10/vehicles", headers=h, json={"id": "BWI-CAL", "name": "Patroli"})
    assert r.status_code == 201 and r.json()["calibrated"] is False
    drive, ref = roads_calibration
    r = client.post(
        "/api/v1/roads/cities/35.10/vehicles/BWI-CAL/calibration",
        headers=h,
        files={"survey": ("cal.zip", drive.read_bytes()), "reference": ("ref.csv", ref.read_bytes())},
    )
    assert r.status_code == 202 and r.json()["status"] == "done", r.text
    assert r.json()["result"]["calibrated"] and r.json()["result"]["n_intervals"] >= 10
    vs = client.get("/api/v1/roads/cities/35.10/vehicles", headers=h).json()
    assert vs[0]["id"] == "BWI-CAL" and vs[0]["calibrated"] and vs[0]["calibration"]["gain"] > 0
