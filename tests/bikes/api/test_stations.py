"""Stations through the API: public map data and one station, operators saving, importing and removing them."""

from __future__ import annotations

from ..factories import API


def test_public_station_reads(api):
    features = api.get(f"{API}/stations")
    assert features.headers["content-type"].startswith("application/geo+json")
    fc = features.json()
    assert set(fc) == {"type", "features"} and [f["id"] for f in fc["features"]] == ["alpha", "beta", "gamma"]
    alpha = fc["features"][0]
    assert alpha["geometry"]["type"] == "Point" and alpha["properties"]["bikes_available"] == {"classic": 3}
    st = api.get(f"{API}/stations/alpha").json()
    assert len(st["bikes"]) == 3 and st["docks_available"] == 3 and st["kecamatan"]["code"]
    assert api.get(f"{API}/stations/nowhere").status_code == 404


def test_operator_saves_changes_and_removes_a_station(api, auth):
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
    assert r.json()["kecamatan"]["code"] and r.json()["kecamatan"]["name"] and "bikes_available" not in r.json()
    assert api.patch(f"{API}/stations/delta", json={"capacity": 5}, headers=op).json()["capacity"] == 5
    assert api.patch(f"{API}/stations/nowhere", json={"capacity": 5}, headers=op).status_code == 404
    bike = {"bike_id": "new-1", "vehicle_type_id": "classic", "station_id": "delta"}
    assert api.post(f"{API}/bikes", json=bike, headers=op).status_code == 201
    assert api.patch(f"{API}/stations/delta", json={"capacity": 0}, headers=op).status_code == 409
    assert api.delete(f"{API}/stations/delta", headers=op).status_code == 409
    assert api.patch(f"{API}/bikes/new-1", json={"station_id": "gamma"}, headers=op).status_code == 200
    r = api.delete(f"{API}/stations/delta", headers=op)
    assert r.status_code == 204 and r.content == b""
    assert api.get(f"{API}/stations/delta").status_code == 404


def test_station_import(api, auth):
    op = auth("cityadmin.3510")
    csv_text = "station_id,name,lat,lon,capacity,nearby\nepsilon,Epsilon,-8.21,114.37,6,Pasar;Masjid\n"
    r = api.post(f"{API}/stations/import", files={"file": ("s.csv", csv_text.encode(), "text/csv")}, headers=op)
    assert r.status_code == 200 and r.json() == {"created": 1, "updated": 0}
    assert api.get(f"{API}/stations/epsilon").json()["nearby"] == ["Pasar", "Masjid"]
    r = api.post(f"{API}/stations/import", files={"file": ("s.csv", b"a,b\n1,2\n", "text/csv")}, headers=op)
    assert r.status_code == 400 and r.json()["field"] == "file"


def test_station_import_refuses_impossible_capacities_and_ids(api, auth):
    op = auth("cityadmin.3510")
    head = "station_id,name,lat,lon,capacity\n"
    for row, field in [
        ("zeta,Zeta,-8.21,114.37,1000000000000", "capacity"),
        (",Zeta,-8.21,114.37,4", "station_id"),
        ("s" * 10_000 + ",Zeta,-8.21,114.37,4", "station_id"),
        ("zeta,Zeta,nan,114.37,4", "lat"),
    ]:
        r = api.post(f"{API}/stations/import", files={"file": ("s.csv", (head + row).encode(), "text/csv")}, headers=op)
        assert r.status_code == 400 and r.json()["field"] == field, (row[:40], r.text[:300])
    assert sorted(f["properties"]["station_id"] for f in api.get(f"{API}/stations").json()["features"]) == [
        "alpha",
        "beta",
        "gamma",
    ]


def test_the_public_sees_rotating_vehicle_ids_staff_see_bike_ids(api, auth):
    """A bike cannot be followed from one station to the next after a ride: the public station shows counts and
    the GBFS vehicle ids (new after every trip), never the stable bike ids; staff see them."""
    from ..factories import register, topup

    public = api.get(f"{API}/stations/alpha").json()
    assert len(public["bikes"]) == 3 and "uji-alpha-" not in api.get(f"{API}/stations/alpha").text
    assert all(b["bike_id"] is None and b["vehicle_id"] for b in public["bikes"])
    rider = register(api, "0812 9000 0001")
    assert "uji-alpha-" not in api.get(f"{API}/stations/alpha", headers=rider).text
    staff = api.get(f"{API}/stations/alpha", headers=auth("bikeoperator.3510")).json()
    assert sorted(b["bike_id"] for b in staff["bikes"]) == ["uji-alpha-0", "uji-alpha-1", "uji-alpha-2"]
    other_city = api.get(f"{API}/stations/alpha", headers=auth("bikeoperator.7371")).json()
    assert all(b["bike_id"] is None for b in other_city["bikes"])
    # a rider reserves by the vehicle id shown, rides to gamma: the bike shows up there under a new vehicle id
    topup(api, rider, 10000, "p-1")
    first = public["bikes"][0]["vehicle_id"]
    r = api.post(f"{API}/me/reservation", json={"vehicle_id": first}, headers=rider)
    assert r.status_code == 201, r.text
    assert api.post(f"{API}/me/rentals", json={}, headers=rider).status_code == 201
    assert api.post(f"{API}/me/rentals/current/end", json={"station_id": "gamma"}, headers=rider).status_code == 200
    at_gamma = {b["vehicle_id"] for b in api.get(f"{API}/stations/gamma").json()["bikes"]}
    assert len(at_gamma) == 3 and first not in at_gamma
    assert api.post(f"{API}/me/reservation", json={"vehicle_id": "nope"}, headers=rider).status_code == 404
    assert api.post(f"{API}/me/reservation", json={}, headers=rider).status_code == 422


def test_a_station_id_that_cannot_be_a_url_is_refused(api, auth):
    """The id goes into the station's page URL and the feed's rental URI: a space or a slash made a station whose
    own page answered 404."""
    op = auth("bikeoperator.3510")
    for sid in ("b5 x/y", "a?b", "x" * 65, "é"):
        body = {"station_id": sid, "name": "X", "lat": -8.21, "lon": 114.37, "capacity": 4}
        r = api.post(f"{API}/stations", json=body, headers=op)
        assert r.status_code == 400 and r.json()["field"] == "station_id", (sid, r.text)
    assert all(" " not in f["properties"]["station_id"] for f in api.get(f"{API}/stations").json()["features"])
