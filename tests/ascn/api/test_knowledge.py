"""Search and matchmaking through the API."""


def test_search_answers_best_first_in_any_language(api):
    r = api.get("/api/v1/ascn/search", params={"q": "peringatan dini banjir"})
    assert r.status_code == 200
    results = r.json()["results"]
    # the practice, or the project it describes, in either language, comes first
    assert results[0]["title"] in ("Peringatan dini banjir berbasis warga", "Community flood early warning")
    assert {"sistem-peringatan-banjir-warga", "flood-early-warning-sensors"} & {x["ref"] for x in results[:4]}
    assert [x["score"] for x in results] == sorted((x["score"] for x in results), reverse=True)
    en = api.get("/api/v1/ascn/search", params={"q": "fire detectors in markets", "kind": "practice"}).json()
    assert en["results"][0]["ref"] == "market-fire-detection"
    assert api.get("/api/v1/ascn/search", params={"q": "x", "mode": "psychic"}).status_code == 400
    assert api.get("/api/v1/ascn/search", params={"q": "x", "kind": "city"}).status_code == 400


def test_match_a_project_and_a_free_text_need_with_reasons(api):
    pid = api.get("/api/v1/ascn/cities/banyuwangi/projects").json()[0]["id"]
    r = api.get(f"/api/v1/ascn/projects/{pid}/matches", params={"support": "technical_assistance"})
    assert r.status_code == 200
    body = r.json()
    assert len(body["partners"]) == 5 and all(p["reasons"] for p in body["partners"])
    assert body["programmes"] and all(peer["slug"] != "banyuwangi" for peer in body["peers"])
    free = api.post(
        "/api/v1/ascn/match",
        json={"text": "air pollution alerts for schools", "focus_areas": ["health_wellbeing"], "city": "bangkok"},
        headers={"Accept-Language": "id"},
    ).json()
    assert free["peers"][0]["slug"] in ("chiang-mai", "dki-jakarta")
    assert api.post("/api/v1/ascn/match", json={"text": ""}).status_code == 400
