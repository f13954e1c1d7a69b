"""The editors' forms read numbers in the form's language and answer every bad value in that language."""

import pytest

from tests.conftest import DEMO_PASSWORD


@pytest.fixture
def officer(api):
    """The portal's client signed in as Banyuwangi's smart-city officer (CSRF cookie ``x``)."""
    api.cookies.set("kc_csrf", "x")
    r = api.post(
        "/login", data={"username": "ascnofficer.3510", "password": DEMO_PASSWORD, "csrf": "x"}, follow_redirects=False
    )
    assert r.status_code == 303
    return api


def project_of(api, city="banyuwangi") -> dict:
    return api.get(f"/api/v1/ascn/cities/{city}/projects").json()[0]


@pytest.mark.parametrize(
    "lang,typed,stored", [("id", "2.500,5", 2500.5), ("id", "1.500.000.000", 1.5e9), ("en", "7.5", 7.5)]
)
def test_project_budget_in_the_forms_language(officer, lang, typed, stored):
    p = project_of(officer)
    r = officer.post(
        f"/ascn/projects/{p['id']}/edit?lang={lang}",
        data={"csrf": "x", "title": p["title"], "status": p["status"], "budget": typed, "currency": "IDR"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert officer.get(f"/api/v1/ascn/projects/{p['id']}").json()["budget"] == stored


def test_the_project_form_shows_the_budget_in_its_language(officer):
    p = project_of(officer)
    data = {"csrf": "x", "title": p["title"], "status": p["status"], "budget": "2500.5", "currency": "IDR"}
    assert officer.post(f"/ascn/projects/{p['id']}/edit", data=data, follow_redirects=False).status_code == 303
    assert (
        'name="budget" inputmode="decimal" value="2.500,50"'
        in officer.get(f"/ascn/projects/{p['id']}/edit?lang=id").text
    )
    assert 'value="2,500.50"' in officer.get(f"/ascn/projects/{p['id']}/edit?lang=en").text


@pytest.mark.parametrize("typed", ["nan", "1e400", "inf"])
def test_project_budget_that_is_no_amount_is_refused_in_indonesian(officer, typed):
    p = project_of(officer)
    r = officer.post(
        f"/ascn/projects/{p['id']}/edit?lang=id",
        data={"csrf": "x", "title": p["title"], "status": p["status"], "budget": typed, "currency": "IDR"},
    )
    assert r.status_code == 400
    assert "bukan angka" in r.text and "InvalidOperation" not in r.text
    assert officer.get(f"/api/v1/ascn/projects/{p['id']}").json()["budget"] == p["budget"]


def test_the_project_form_names_every_bad_field_in_indonesian(officer):
    p = project_of(officer)
    data = {"csrf": "x", "title": p["title"], "status": p["status"], "currency": "XYZ",
            "start_date": "2024-05-01", "end_date": "2023-01-01"}  # fmt: skip
    r = officer.post(f"/ascn/projects/{p['id']}/edit?lang=id", data=data)
    assert r.status_code == 400
    assert "XYZ bukan kode mata uang ISO 4217" in r.text and "Proyek berakhir sebelum dimulai" in r.text


def test_the_city_form_reads_a_population_typed_the_indonesian_way(officer):
    data = {"csrf": "x", "name": "Banyuwangi", "population": "1.749.773", "population_year": "2023"}
    r = officer.post("/ascn/cities/banyuwangi/edit?lang=id", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert officer.get("/api/v1/ascn/cities/banyuwangi").json()["population"] == 1_749_773
    assert 'value="1.749.773"' in officer.get("/ascn/cities/banyuwangi/edit?lang=id").text


def test_the_city_form_answers_bad_numbers_in_indonesian(officer):
    data = {"csrf": "x", "name": "Banyuwangi", "population": "banyak", "population_year": "2999"}
    r = officer.post("/ascn/cities/banyuwangi/edit?lang=id", data=data)
    assert r.status_code == 400
    assert "invalid literal" not in r.text and "banyak bukan angka yang ditulis seperti 1.500.000,5" in r.text
    assert "Tahun 2999 di luar 1900.." in r.text
    assert 'name="population" inputmode="numeric" value="banyak"' in r.text  # what was typed is kept


def test_a_named_officer_edits_their_unlinked_city_through_the_forms(api, auth, ascn_db):
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope

    with session_scope(ascn_db) as s:
        accounts.create_user(s, "officer.hanoi", DEMO_PASSWORD)
    assert api.put("/api/v1/ascn/cities/hanoi/editors/officer.hanoi", headers=auth("ascnsecretariat.3510")).is_success
    api.cookies.set("kc_csrf", "x")
    login = {"username": "officer.hanoi", "password": DEMO_PASSWORD, "csrf": "x"}
    assert api.post("/login", data=login, follow_redirects=False).status_code == 303
    assert 'id="edit-city"' in api.get("/ascn/cities/hanoi").text
    assert 'id="edit-city"' not in api.get("/ascn/cities/yangon").text
    data = {"csrf": "x", "name": "Hanoi", "population": "8.053.663", "population_year": "2019"}
    assert api.post("/ascn/cities/hanoi/edit?lang=id", data=data, follow_redirects=False).status_code == 303
    assert api.get("/api/v1/ascn/cities/hanoi").json()["population"] == 8_053_663
    assert api.post("/ascn/cities/yangon/edit", data=data).status_code == 403
