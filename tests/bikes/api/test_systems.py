"""Systems through the API: the public list and one system, operators create and change them."""

from __future__ import annotations

from ..factories import API, SYSTEM


def test_public_system_reads(api):
    systems = api.get("/api/v1/bikes/systems").json()
    assert [s["system_id"] for s in systems] == [SYSTEM]
    assert api.get("/api/v1/bikes/systems", params={"city": "73.71"}).json() == []
    one = api.get(API).json()
    assert one["stations"] == 3 and one["bikes_available"] == 5 and one["gbfs"]["v3"].endswith("/gbfs.json")
    assert [v["vehicle_type_id"] for v in one["vehicle_types"]] == ["classic", "ebike"]
    assert api.get("/api/v1/bikes/systems/nowhere").status_code == 404


def test_operators_create_and_change_systems_of_their_city(api, auth):
    op = auth("bikeoperator.3510")
    r = api.post("/api/v1/bikes/systems", json={"city": "35.10", "system_id": "dua", "name": "Dua"}, headers=op)
    assert r.status_code == 201 and r.json()["city"] == "35.10" and r.json()["name"] == {"id": "Dua", "en": "Dua"}
    dup = api.post("/api/v1/bikes/systems", json={"city": "35.10", "system_id": "dua", "name": "Dua"}, headers=op)
    assert dup.status_code == 409
    r = api.patch(API, json={"opening_hours": "Mo-Su 06:00-21:00"}, headers=op)
    assert r.status_code == 200 and r.json()["opening_hours"] == "Mo-Su 06:00-21:00"
    manifest = api.get("/gbfs/v3/manifest.json").json()
    assert {s["system_id"] for s in manifest["data"]["datasets"]} >= {"dua", SYSTEM}
