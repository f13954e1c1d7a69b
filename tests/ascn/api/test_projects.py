"""Projects through the API: filters and pages in SQL, the detail with live figures, checked input, documents."""


def test_filters_and_pagination(api):
    page = api.get("/api/v1/ascn/projects", params={"limit": 5}).json()
    assert len(page["items"]) == 5 and page["total"] >= 46 and any(link["rel"] == "next" for link in page["links"])
    th = api.get("/api/v1/ascn/projects", params={"country": "th", "limit": 100}).json()
    assert th["items"] and all(p["country"] == "TH" for p in th["items"])
    health = api.get("/api/v1/ascn/projects", params={"focus_area": "health_wellbeing", "limit": 100}).json()
    assert health["items"] and all("health_wellbeing" in p["focus_areas"] for p in health["items"])


def test_create_with_checked_fields_then_detail(api, auth):
    h = auth("ascnofficer.3510")
    system = {"city": "35.10", "system_id": "desa", "name": "Sepeda Desa"}  # Banyuwangi runs Bike Sharing here
    assert api.post("/api/v1/bikes/systems", json=system, headers=auth("bikeoperator.3510")).status_code == 201
    bad = api.post("/api/v1/ascn/projects", json={"city": "banyuwangi", "title": "X", "budget": 10}, headers=h)
    assert bad.status_code == 400 and bad.json()["field"] == "currency"
    bad = api.post(
        "/api/v1/ascn/projects", json={"city": "banyuwangi", "title": "X", "sdg_targets": ["19.1"]}, headers=h
    )
    assert bad.status_code == 400 and bad.json()["field"] == "sdg_targets"
    r = api.post(
        "/api/v1/ascn/projects",
        json={
            "city": "banyuwangi", "title": "Village bike lanes", "local_lang": "id", "local_title": "Jalur sepeda desa",
            "focus_areas": ["Built infrastructure"], "status": "implementing", "budget": 2.5e9, "currency": "idr",
            "sdg_targets": ["11.2"], "systems": ["bikes"],
        },
        headers=h,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["focus_areas"] == ["built_infrastructure"] and body["currency"] == "IDR"
    assert [s["system"] for s in body["live"]] == ["bikes"]  # its system's figures, stations 0 so far
    assert ["0"] == [value for _label, value in body["live"][0]["figures"]][:1]
    found = api.get(
        "/api/v1/ascn/search", params={"q": "Jalur sepeda desa", "kind": "project", "mode": "fulltext"}
    ).json()
    assert str(body["id"]) in [x["ref"] for x in found["results"][:3]]  # searchable at once, by full text


def test_indicator_values_and_documents(api, auth):
    h = auth("ascnofficer.3510")
    pid = api.get("/api/v1/ascn/cities/banyuwangi/projects").json()[0]["id"]
    r = api.post(
        f"/api/v1/ascn/projects/{pid}/indicators",
        json={"name": "Villages online", "unit": "villages", "observed_on": "2024", "value": 120},
        headers=h,
    )
    assert r.status_code == 201 and any(i["name"] == "Villages online" for i in r.json())
    pdf = b"%PDF-1.4\n% a plan\n"
    r = api.post(
        f"/api/v1/ascn/projects/{pid}/documents",
        files={"file": ("plan.pdf", pdf, "application/pdf")},
        data={"title": "Plan"},
        headers=h,
    )
    assert r.status_code == 201 and r.json()["media_type"] == "application/pdf"
    got = api.get(r.json()["url"])
    assert got.status_code == 200 and got.content == pdf
    exe = api.post(
        f"/api/v1/ascn/projects/{pid}/documents",
        files={"file": ("plan.pdf", b"MZ\x90\x00binary", "application/pdf")},
        headers=h,
    )
    assert exe.status_code == 415 and "PDF" in exe.json()["detail"]
    big = b"%PDF-" + b"0" * (21 * 1024 * 1024)
    too_big = api.post(
        f"/api/v1/ascn/projects/{pid}/documents", files={"file": ("big.pdf", big, "application/pdf")}, headers=h
    )
    assert too_big.status_code == 413 and "20 MB" in too_big.json()["detail"]
    assert len(api.get(f"/api/v1/ascn/projects/{pid}").json()["documents"]) == 1


def test_budgets_out_of_range_are_clear_errors_never_a_500(api, auth):
    h = auth("ascnofficer.3510")
    pid = api.get("/api/v1/ascn/cities/banyuwangi/projects").json()[0]["id"]
    before = api.get(f"/api/v1/ascn/projects/{pid}").json()["budget"]
    for budget in ("1e30", "Infinity", "NaN", "1e400"):  # JSON as Python's encoder writes it
        r = api.patch(
            f"/api/v1/ascn/projects/{pid}",
            content=f'{{"budget": {budget}, "currency": "IDR"}}',
            headers={**h, "content-type": "application/json"},
        )
        assert r.status_code in (400, 422), r.text
        assert r.json()["field"] == "budget"
    r = api.patch(f"/api/v1/ascn/projects/{pid}?lang=id", json={"budget": 1e30, "currency": "IDR"}, headers=h)
    assert r.status_code == 400 and "Anggaran harus kurang dari 10.000.000.000.000.000" in r.json()["detail"]
    assert api.get(f"/api/v1/ascn/projects/{pid}").json()["budget"] == before


def test_every_bad_field_is_named_in_one_answer(api, auth):
    h = auth("ascnofficer.3510")
    pid = api.get("/api/v1/ascn/cities/banyuwangi/projects").json()[0]["id"]
    before = api.get(f"/api/v1/ascn/projects/{pid}").json()
    body = {"currency": "XYZ", "sdg_targets": ["19.1"], "source_url": "somewhere", "start_date": "1066-10-14"}
    r = api.patch(f"/api/v1/ascn/projects/{pid}?lang=id", json=body, headers=h)
    assert r.status_code == 400
    problem = r.json()
    assert [e["field"] for e in problem["errors"]] == ["source_url", "sdg_targets", "currency", "start_date"]
    assert "XYZ bukan kode mata uang ISO 4217" in problem["detail"] and "bukan alamat web" in problem["detail"]
    after = api.get(f"/api/v1/ascn/projects/{pid}").json()
    assert (after["currency"], after["sdg_targets"], after["source_url"]) == (
        before["currency"],
        before["sdg_targets"],
        before["source_url"],
    )
