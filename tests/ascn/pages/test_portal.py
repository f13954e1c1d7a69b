"""The portal's pages answer in Bahasa Indonesia and English, show computed and published figures side by side,
charts from core.charts, and the editors' forms only to those who may edit."""

import re

import pytest

PAGES = [
    "/ascn",
    "/ascn/cities/banyuwangi",
    "/ascn/partners",
    "/ascn/partners/adb",
    "/ascn/stats",
    "/ascn/knowledge",
    "/ascn/knowledge?q=bank+sampah",
    "/ascn/knowledge/lorong-wisata",
    "/ascn/match",
]


@pytest.mark.parametrize("lang,word", [("id", "Kota anggota"), ("en", "Member cities")])
def test_every_page_in_both_languages(api, lang, word):
    for url in PAGES:
        r = api.get(url, params={"lang": lang})
        assert r.status_code == 200, url
        assert r.headers["content-language"] == lang
    assert word in api.get("/ascn", params={"lang": lang}).text


def test_figures_side_by_side_and_charts(api):
    html = api.get("/ascn", params={"lang": "en"}).text
    row = re.search(r'<tr data-metric="projects">.*?</tr>', html, re.S).group(0)
    assert "about 50" in row and "Shepherd" in row
    stats = api.get("/ascn/stats", params={"lang": "id"}).text
    for chart in ("chart-focus_area", "chart-status", "chart-country", "chart-partnership_type"):
        assert f'id="{chart}"' in stats
    assert "Kewargaan dan sosial" in stats


def test_project_page_with_indicator_chart_and_the_matcher(api):
    pid = api.get("/api/v1/ascn/cities/makassar/projects").json()[1]["id"]
    html = api.get(f"/ascn/projects/{pid}").text
    assert 'id="indicator-0"' in html and "demo" in html
    match = api.get("/ascn/match", params={"project": pid, "support": "finance", "lang": "en"}).text
    assert 'id="matches"' in match and "past partnerships" in match


def test_edit_forms_only_for_editors_and_csrf_checked(api, auth):
    from tests.conftest import DEMO_PASSWORD

    assert api.get("/ascn/cities/banyuwangi/edit", follow_redirects=False).status_code == 303
    api.cookies.set("kc_csrf", "x")
    r = api.post(
        "/login", data={"username": "ascnofficer.3510", "password": DEMO_PASSWORD, "csrf": "x"}, follow_redirects=False
    )
    assert r.status_code == 303
    assert 'id="edit-city"' in api.get("/ascn/cities/banyuwangi").text
    assert 'id="edit-city"' not in api.get("/ascn/cities/makassar").text
    assert api.get("/ascn/cities/makassar/edit").status_code == 403
    saved = api.post(
        "/ascn/cities/banyuwangi/edit",
        data={"csrf": "x", "name": "Banyuwangi", "population": "1700000"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert api.get("/api/v1/ascn/cities/banyuwangi").json()["population"] == 1_700_000
    forged = api.post("/ascn/cities/banyuwangi/edit", data={"csrf": "wrong", "name": "Hacked"})
    assert forged.status_code == 403 and api.get("/api/v1/ascn/cities/banyuwangi").json()["name"] == "Banyuwangi"
    bad = api.post("/ascn/cities/banyuwangi/edit", data={"csrf": "x", "name": "Banyuwangi", "population": "many"})
    assert bad.status_code == 400
