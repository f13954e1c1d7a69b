"""Staff pages: the report form, the lurah's verification with its form, the dashboard; each behind its role."""

import re

from sqlalchemy import select

from kotacerdas.core.db import session_scope
from kotacerdas.lorong.services import reports
from kotacerdas.lorong.store.tables import LorongReport, LorongUnit

PASSWORD = "correct-horse-battery"


def sign_in(client, username):
    client.get("/login")
    r = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf": client.cookies.get("kc_csrf")},
        follow_redirects=False,
    )
    assert r.status_code == 303


def test_pages_need_a_sign_in(client, api_world):
    for path in ("/lorong/report", "/lorong/verify", "/lorong/dashboard", "/lorong/wastebank"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path


def test_the_coordinator_reports_without_javascript_too(client, api_world):
    sign_in(client, "lorongcoordinator.7371")
    uid = api_world.units["lr-a2"]
    page = client.get(f"/lorong/report?unit={uid}&period=2025-04&lang=id")
    assert page.status_code == 200 and "Luas tanam" in page.text and "Urban farming" in page.text
    assert "/lorong/sw.js" in client.get("/static/js/lorong-report.js").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    r = client.post(
        f"/lorong/report/{uid}", data={"csrf": csrf, "period": "2025-04", "v-luas-tanam": "25"}, follow_redirects=False
    )
    assert r.status_code == 303
    with session_scope(api_world.engine) as s:
        report = s.scalar(select(LorongReport).where(LorongReport.unit_id == uid))
        assert report.status == "submitted" and reports.values_of(s, report.id) == {"luas-tanam": 25.0}
    assert client.get(f"/lorong/report?unit={api_world.units['lr-b1']}").status_code == 403
    assert client.get("/lorong/verify").status_code == 403
    sw = client.get("/lorong/sw.js")
    assert sw.headers["content-type"].startswith("text/javascript") and "caches" in sw.text


def test_the_phones_list_of_kept_reports_speaks_the_users_language(client, api_world):
    sign_in(client, "lorongcoordinator.7371")
    page = client.get(f"/lorong/report?unit={api_world.units['lr-a2']}&period=2025-04&lang=id").text
    assert 'data-label-draft="draf"' in page and 'data-label-pending="' in page
    script = client.get("/static/js/lorong-report.js").text
    assert "form.dataset.labelDraft" in script and '"draft")' not in script


def test_the_lurah_verifies_and_returns_from_the_page(client, api_world):
    with session_scope(api_world.engine) as s:
        for code in ("lr-a1", "lr-b1"):
            reports.save(
                s, s.get(LorongUnit, api_world.units[code]), "2025-04", {"acara-seni": 2}, user_id=None, submit=True
            )
    sign_in(client, "lurah.7371")
    page = client.get("/lorong/verify?city=73.71&lang=en")
    assert "Lorong Anggrek" in page.text and "Lorong Cempaka" not in page.text
    rid = int(re.search(r'data-report="(\d+)"', page.text)[1])
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    bad = client.post(f"/lorong/verify/{rid}", data={"csrf": "forged", "decision": "verify"}, follow_redirects=False)
    assert bad.status_code == 400
    r = client.post(
        f"/lorong/verify/{rid}", data={"csrf": csrf, "decision": "verify", "comment": "ok"}, follow_redirects=False
    )
    assert r.status_code == 303 and "done=verify" in r.headers["location"]
    with session_scope(api_world.engine) as s:
        assert s.get(LorongReport, rid).status == "verified"
    assert "No report is waiting for you." in client.get("/lorong/verify?city=73.71&lang=en").text


def test_dashboard_page(client, api_world):
    sign_in(client, "lorongadmin.7371")
    r = client.get("/lorong/dashboard?city=73.71&lang=id")
    assert r.status_code == 200 and 'id="chart-reports"' in r.text and 'id="choropleth"' in r.text
    assert "Peta per kelurahan" in r.text
    r = client.get("/lorong/dashboard?city=35.10&lang=en")
    assert r.status_code == 403


def test_the_report_form_gives_units_of_measure_in_the_pages_language(client, api_world):
    sign_in(client, "lorongcoordinator.7371")
    uid = api_world.units["lr-a1"]
    english = client.get(f"/lorong/report?unit={uid}&period=2025-04&lang=en").text
    indonesian = client.get(f"/lorong/report?unit={uid}&period=2025-04&lang=id").text
    assert "Art events <small>(events;" in english and "(acara;" not in english
    assert "Acara seni <small>(acara;" in indonesian
    assert 'data-label-values="{n} values filled in"' in english
    assert 'data-label-values="{n} nilai terisi"' in indonesian
