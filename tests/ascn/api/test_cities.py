"""Member cities through the API: the list, the map, one city's projects; edits are checked and audited."""


def test_the_31_member_cities_with_their_country_and_the_map(api):
    cities = api.get("/api/v1/ascn/cities").json()
    assert len(cities) == 31
    bwi = next(c for c in cities if c["slug"] == "banyuwangi")
    assert bwi["country"] == "ID" and bwi["platform_code"] == "35.10" and bwi["projects"] >= 1
    fc = api.get("/api/v1/ascn/cities.geojson")
    assert fc.headers["content-type"].startswith("application/geo+json")
    assert fc.json()["numberMatched"] == 31
    bangkok = next(f for f in fc.json()["features"] if f["id"] == "bangkok")
    assert (
        bangkok["geometry"]["coordinates"] == [100.5018, 13.7563]
        and bangkok["properties"]["local_name"] == "กรุงเทพมหานคร"
    )


def test_city_projects_and_an_audited_edit(api, auth):
    projects = api.get("/api/v1/ascn/cities/makassar/projects").json()
    assert any(p["title"].startswith("Lorong Wisata") for p in projects)
    r = api.patch(
        "/api/v1/ascn/cities/makassar",
        json={"population": 1_500_000, "population_year": 2023},
        headers=auth("ascnofficer.7371"),
    )
    assert r.status_code == 200 and r.json()["population"] == 1_500_000
    audit = api.get("/api/v1/cities/73.71/audit", headers=auth("cityadmin.7371")).json()["items"]
    assert audit[0]["action"] == "ascn.city.update" and audit[0]["detail"]["fields"] == [
        "population",
        "population_year",
    ]
    bad = api.patch("/api/v1/ascn/cities/makassar", json={"lat": 200}, headers=auth("ascnofficer.7371"))
    assert bad.status_code == 422 and bad.json()["field"] == "lat"
    assert api.get("/api/v1/ascn/cities/atlantis").status_code == 404


def test_one_city_counts_its_projects_as_the_list_does(api, auth):
    listed = {c["slug"]: c["projects"] for c in api.get("/api/v1/ascn/cities").json()}
    for slug in ("banyuwangi", "makassar", "hanoi"):
        one = api.get(f"/api/v1/ascn/cities/{slug}").json()
        assert one["projects"] == listed[slug] == len(api.get(f"/api/v1/ascn/cities/{slug}/projects").json())
    assert listed["banyuwangi"] >= 1
    r = api.patch("/api/v1/ascn/cities/banyuwangi", json={"description": "x"}, headers=auth("ascnofficer.3510"))
    assert r.json()["projects"] == listed["banyuwangi"]
