"""The import page: a coordinator uploads a sheet of report values and follows the job to every stored row and every
bad one (row, column, reason) in their language; the same file again changes nothing; a form without a file is
said next to the form; only staff who report in the city may import, and each sees only their own imports."""

import re

from sqlalchemy import select

from kotacerdas.core.db import session_scope
from kotacerdas.lorong.services import reports
from kotacerdas.lorong.store.tables import LorongReport
from tests.lorong.pages.test_staff import sign_in

VALUES = (
    b"unit,period,indicator,value\nlr-a1,2025-04,gerai-kuliner,3\nlr-a1,2025-04,luas-tanam,5\nlr-b1,2025-04,mural,1\n"
)


def _upload(client, body: bytes, lang: str = "id", **extra):
    page = client.get(f"/lorong/import?city=73.71&lang={lang}")
    assert page.status_code == 200 and 'id="import-form"' in page.text
    data = {"csrf": client.cookies.get("kc_csrf"), "city": "73.71", "programme": "lorong-wisata", **extra}
    return client.post(
        f"/lorong/import?lang={lang}",
        data=data,
        files={"file": ("nilai.csv", body, "text/csv")},
        follow_redirects=False,
    )


def test_a_coordinator_imports_values_and_sees_every_bad_row(client, api_world):
    sign_in(client, "lorongcoordinator.7371")
    page = client.get("/lorong/import?city=73.71&lang=id").text
    assert "Impor dari lembar kerja" in page and "/api/v1/lorong/templates/values.xlsx" in page
    assert "unit baru ditambahkan oleh administrator program" in page
    dashboard = client.get("/lorong/dashboard?city=73.71&lang=id").text  # links the page, not only the templates
    assert 'href="/lorong/import?city=73.71&programme=lorong-wisata" id="import-link"' in dashboard
    r = _upload(client, VALUES, lang="id")
    assert r.status_code == 303 and "job=" in r.headers["location"]
    result = client.get(r.headers["location"] + "&lang=id").text
    assert 'data-status="done"' in result and "1 dibuat, 0 diperbarui, 0 tidak berubah" in result
    problems = re.search(r'<table id="import-problems">(.*?)</table>', result, re.S)[1]
    rows = re.findall(r"<tr><td class=\"num\">(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", problems)
    assert [(n, c) for n, c, _ in rows] == [("3", "indicator"), ("4", "unit")]
    assert "urban-farming" in rows[0][2] and "Hanya koordinator" in rows[1][2]
    with session_scope(api_world.engine) as s:
        report = s.scalar(select(LorongReport).where(LorongReport.unit_id == api_world.units["lr-a1"]))
        assert reports.values_of(s, report.id) == {"gerai-kuliner": 3.0}
    again = _upload(client, VALUES, lang="en")
    assert "This file was imported before: nothing changed." in client.get(again.headers["location"] + "&lang=en").text


def test_the_form_says_what_is_wrong_next_to_it(client, api_world):
    sign_in(client, "lorongadmin.7371")
    client.get("/lorong/import?city=73.71")
    data = {"csrf": client.cookies.get("kc_csrf"), "city": "73.71", "programme": "lorong-wisata"}
    r = client.post("/lorong/import?lang=en", data=data, files={"file": ("", b"", "text/csv")}, follow_redirects=False)
    assert r.status_code == 400
    assert re.search(r'id="import-error" role="alert">Choose a file to upload<', r.text)
    assert 'id="import-file"' in r.text and 'aria-invalid="true"' in r.text
    r = _upload(client, VALUES, lang="id", kind="photos")
    assert r.status_code == 400 and 'id="import-error"' in r.text and "units, activities, values" in r.text
    r = _upload(client, b"nama;alamat\nA;B\n", lang="id", kind="units")  # a sheet without the needed columns
    job = client.get(r.headers["location"] + "&lang=id").text
    assert 'data-status="failed"' in job and re.search(r'id="job-error">[^<]*Kolom code', job)


def test_only_staff_who_report_in_the_city_import_and_see_their_own_jobs(client, api_world):
    r = client.post("/lorong/import", data={"city": "73.71"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    sign_in(client, "lorongcoordinator.7371")
    job_url = _upload(client, VALUES).headers["location"]
    forged = client.post(
        "/lorong/import",
        data={"csrf": "forged", "city": "73.71", "programme": "lorong-wisata"},
        files={"file": ("v.csv", VALUES, "text/csv")},
        follow_redirects=False,
    )
    assert forged.status_code == 400
    client.cookies.clear()
    sign_in(client, "lorongadmin.7371")  # another user of the same city: not their job
    assert client.get(job_url).status_code == 404
    client.cookies.clear()
    for user in ("public.7371", "lurah.7371", "lorongcoordinator.3510"):
        sign_in(client, user)
        assert client.get("/lorong/import?city=73.71").status_code == 403, user
        data = {"csrf": client.cookies.get("kc_csrf"), "city": "73.71", "programme": "lorong-wisata"}
        r = client.post("/lorong/import", data=data, files={"file": ("v.csv", VALUES, "text/csv")})
        assert r.status_code == 403, user
        client.cookies.clear()
