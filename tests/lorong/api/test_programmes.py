"""Programmes API: public reading, admin editing, OpenAPI documentation of every lorong route."""

from tests.conftest import token_for


def test_public_programme_and_themes(client, api_world):
    r = client.get("/api/v1/lorong/programmes/73.71/lorong-wisata/themes")
    assert r.status_code == 200
    themes = r.json()
    assert len(themes) == 21 and {"name_id", "name_en"} <= set(themes[0])
    detail = client.get("/api/v1/lorong/programmes/35.10/smart-kampung").json()
    assert detail["grades"] == [["maju", 75.0], ["berkembang", 50.0], ["kurang", 0.0]]
    assert len(detail["themes"]) == 7 and detail["indicators"][0]["theme"] == "pelayanan-publik"
    assert client.get("/api/v1/lorong/programmes/73.71/nope").status_code == 404


def test_the_admin_edits_a_theme_an_indicator_and_grades(client, api_world):
    h = token_for(client, "lorongadmin.7371")
    r = client.put(
        "/api/v1/lorong/programmes/73.71/lorong-wisata/themes/lorong-lansia",
        json={"name": {"id": "Lorong ramah lansia", "en": "Elderly-friendly lorong"}, "weight": 0.5},
        headers=h,
    )
    assert r.status_code == 200
    r = client.put(
        "/api/v1/lorong/programmes/73.71/lorong-wisata/indicators/senam-lansia",
        json={
            "theme": "lorong-lansia",
            "name": {"id": "Senam lansia", "en": "Elderly exercise"},
            "unit": "kali",
            "target": 4,
        },
        headers=h,
    )
    assert r.status_code == 200
    themes = client.get("/api/v1/lorong/programmes/73.71/lorong-wisata/themes").json()
    assert themes[-1]["code"] == "lorong-lansia" and themes[-1]["indicators"] == 1 and len(themes) == 22
    r = client.patch(
        "/api/v1/lorong/programmes/73.71/lorong-wisata", json={"grades": [["A", 90], ["B", 10]]}, headers=h
    )
    assert r.status_code == 400 and r.json()["field"] == "grades"
    r = client.put(
        "/api/v1/lorong/programmes/73.71/lorong-wisata/indicators/senam-lansia", json={"time_agg": "median"}, headers=h
    )
    assert r.status_code == 400 and "sum, mean, last, max" in r.json()["detail"]
    audit = client.get("/api/v1/cities/73.71/audit", headers=h).json()["items"]
    assert {"lorong.theme.save", "lorong.indicator.save"} <= {e["action"] for e in audit}


def test_every_lorong_route_is_documented(client):
    spec = client.get("/api/v1/openapi.json").json()
    ops = [(p, m, op) for p, item in spec["paths"].items() if p.startswith("/api/v1/lorong") for m, op in item.items()]
    assert len(ops) >= 35
    for path, method, op in ops:
        assert op.get("summary") and op.get("description"), (method, path)
        assert any(code.startswith("4") for code in op["responses"]), (method, path)
        ok = op["responses"].get("200") or op["responses"].get("201") or op["responses"].get("202")
        assert ok and ok.get("content"), (method, path)


def test_a_theme_needs_its_name_and_description_in_both_languages(client, api_world):
    h = token_for(client, "lorongadmin.7371") | {"Accept-Language": "id"}
    url = "/api/v1/lorong/programmes/73.71/lorong-wisata/themes/"
    for body, field in (
        ({"name": {"id": "Lorong ramah lansia"}}, "name.en"),
        ({"name": {"id": "Lorong ramah lansia", "en": " "}}, "name.en"),
        ({"name": {"id": "", "en": "Elderly-friendly lorong"}}, "name.id"),
    ):
        r = client.put(url + "lorong-lansia", json=body, headers=h)
        assert r.status_code == 400 and r.json()["field"] == field, r.text
        assert "Bahasa Indonesia" in r.json()["detail"]
    r = client.put(url + "seni", json={"description": {"id": "Mural dan musik"}}, headers=h)
    assert r.status_code == 400 and r.json()["field"] == "description.en"
    themes = client.get("/api/v1/lorong/programmes/73.71/lorong-wisata/themes").json()
    assert len(themes) == 21 and next(t for t in themes if t["code"] == "seni")["description_en"]


def test_grades_out_of_order_are_refused(client, api_world):
    h = token_for(client, "lorongadmin.7371")
    r = client.patch(
        "/api/v1/lorong/programmes/73.71/lorong-wisata", json={"grades": [["A", 50], ["B", 80], ["C", 0]]}, headers=h
    )
    assert (
        r.status_code == 400
        and r.json()["field"] == "grades.1"
        and "B (dari 80) berada setelah A" in r.json()["detail"]
    )
    assert client.get("/api/v1/lorong/programmes/73.71/lorong-wisata").json()["grades"] == [
        ["A", 80.0],
        ["B", 60.0],
        ["C", 0.0],
    ]
