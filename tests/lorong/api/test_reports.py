"""Reports API: a coordinator submits from a phone (and resends after being offline), adds evidence; the lurah
returns or verifies; versions are listed; scopes hold."""

from kotacerdas.lorong.generate import demo_photo
from tests.conftest import token_for


def test_submit_resend_return_correct_verify(client, api_world):
    uid = api_world.units["lr-a2"]
    coord, lurah = token_for(client, "lorongcoordinator.7371"), token_for(client, "lurah.7371")
    body = {"period": "2025-04", "values": {"luas-tanam": 30, "panen-urban": 12}, "client_key": "phone-abc"}
    r = client.post(f"/api/v1/lorong/units/{uid}/reports", json=body, headers=coord)
    assert r.status_code == 200 and r.json()["status"] == "submitted" and r.json()["changed"]
    rid = r.json()["id"]
    again = client.post(f"/api/v1/lorong/units/{uid}/reports", json=body, headers=coord)
    assert again.json()["changed"] is False and again.json()["version"] == 1
    r = client.post(f"/api/v1/lorong/reports/{rid}/verify", json={}, headers=lurah)
    assert r.status_code == 409 and "panen-urban" in r.json()["detail"]
    r = client.post(f"/api/v1/lorong/reports/{rid}/return", json={"comment": "Foto panen?"}, headers=lurah)
    assert r.json()["status"] == "returned"
    photo = client.post(
        f"/api/v1/lorong/reports/{rid}/photos",
        files={"file": ("panen.png", demo_photo(7), "image/png")},
        data={"indicator": "panen-urban"},
        headers=coord,
    )
    assert photo.status_code == 201
    body2 = body | {"client_key": "phone-def", "values": {"luas-tanam": 32}}
    assert client.post(f"/api/v1/lorong/units/{uid}/reports", json=body2, headers=coord).json()["status"] == "submitted"
    r = client.post(f"/api/v1/lorong/reports/{rid}/verify", json={"comment": "Bagus"}, headers=lurah)
    assert r.status_code == 200 and r.json()["status"] == "verified"
    detail = client.get(f"/api/v1/lorong/reports/{rid}", headers=lurah).json()
    assert [v["action"] for v in detail["versions"]] == ["submit", "return", "submit", "verify"]
    assert detail["versions"][-1]["user"] == "lurah.7371" and detail["values"] == {
        "luas-tanam": 32.0,
        "panen-urban": 12.0,
    }
    private = client.get(f"/api/v1/lorong/units/{uid}/private", headers=coord).json()
    assert private["score"] is not None and private["score_period"] == "2025-04"
    # the evidence photo is private to the city's staff in scope
    pid = photo.json()["id"]
    assert client.get(f"/api/v1/lorong/photos/{pid}").status_code == 401
    assert client.get(f"/api/v1/lorong/photos/{pid}", headers=token_for(client, "lurah.3510")).status_code == 403
    assert client.get(f"/api/v1/lorong/photos/{pid}", headers=lurah).content == demo_photo(7)


def test_scopes_of_reports(client, api_world):
    coord = token_for(client, "lorongcoordinator.7371")
    other = api_world.units["lr-b1"]
    r = client.post(
        f"/api/v1/lorong/units/{other}/reports", json={"period": "2025-04", "values": {"mural": 2}}, headers=coord
    )
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
    admin = token_for(client, "cityadmin.7371")
    rid = client.post(
        f"/api/v1/lorong/units/{other}/reports", json={"period": "2025-04", "values": {"mural": 2}}, headers=admin
    ).json()["id"]
    r = client.post(f"/api/v1/lorong/reports/{rid}/verify", json={}, headers=token_for(client, "lurah.7371"))
    assert r.status_code == 403 and "lurah" in r.json()["detail"]
    listed = client.get(
        "/api/v1/lorong/reports",
        params={"city": "73.71", "status": "submitted"},
        headers=token_for(client, "lurah.7371"),
    )
    assert listed.status_code == 200 and listed.json()["total"] == 0
    assert client.get("/api/v1/lorong/reports", params={"city": "73.71"}, headers=admin).json()["total"] == 1
    r = client.post(
        f"/api/v1/lorong/units/{other}/reports", json={"period": "April", "values": {"mural": 2}}, headers=admin
    )
    assert r.status_code == 400 and r.json()["field"] == "period"
    r = client.post(
        f"/api/v1/lorong/units/{other}/reports",
        json={"period": "2025-04", "values": {"mural": 2}},
        headers=admin | {"Accept-Language": "id"},
    )
    assert r.status_code == 200
    r = client.post(
        f"/api/v1/lorong/units/{other}/reports",
        json={"period": "2025-04", "values": {"mural": 2}, "submit": False},
        headers=admin | {"Accept-Language": "id"},
    )
    assert r.status_code == 409 and "sudah dikirim" in r.json()["detail"]


def test_a_verified_report_is_not_changed_behind_the_lurahs_back(client, api_world):
    uid = api_world.units["lr-a1"]
    coord, lurah = token_for(client, "lorongcoordinator.7371"), token_for(client, "lurah.7371")
    body = {"period": "2025-04", "values": {"gerai-kuliner": 4}}
    rid = client.post(f"/api/v1/lorong/units/{uid}/reports", json=body, headers=coord).json()["id"]
    assert client.post(f"/api/v1/lorong/reports/{rid}/verify", json={}, headers=lurah).json()["status"] == "verified"
    sneaky = {"period": "2025-04", "submit": False, "values": {"gerai-kuliner": 400}}
    r = client.post(f"/api/v1/lorong/units/{uid}/reports", json=sneaky, headers=coord | {"Accept-Language": "id"})
    assert r.status_code == 409 and "diverifikasi" in r.json()["detail"]
    kept = client.get(f"/api/v1/lorong/reports/{rid}", headers=lurah).json()
    assert kept["status"] == "verified" and kept["values"] == {"gerai-kuliner": 4.0}
    r = client.post(f"/api/v1/lorong/units/{uid}/reports", json=sneaky | {"submit": True}, headers=coord)
    assert r.status_code == 200 and r.json()["status"] == "submitted" and r.json()["verified_at"] is None
    waiting = client.get("/api/v1/lorong/reports", params={"city": "73.71", "status": "submitted"}, headers=lurah)
    assert [x["id"] for x in waiting.json()["items"]] == [rid]


def test_verifying_in_a_large_programme_scores_every_unit_in_a_job(client, api_world, monkeypatch):
    """Above INLINE_UNITS the request scores its own unit and queues ``lorong.scores`` once it has committed; the
    job scores every unit up to the newest verified period, so the rankings compare the same window."""
    from sqlalchemy import select

    from kotacerdas.core.db import session_scope
    from kotacerdas.core.models import Job
    from kotacerdas.lorong.services import reports, scores
    from kotacerdas.lorong.store.tables import LorongUnit

    monkeypatch.setattr(scores, "INLINE_UNITS", 1)
    with session_scope(api_world.engine) as s:  # every unit scored up to March, the newest verified month
        march, _ = reports.save(
            s, s.get(LorongUnit, api_world.units["lr-b1"]), "2025-03", {"acara-seni": 1}, user_id=None, submit=True
        )
        reports.verify(s, march, user_id=None)
        scores.run_pending(s)
        assert {s.get(LorongUnit, u).score_period for u in api_world.units.values()} == {"2025-03"}
    coord, lurah = token_for(client, "lorongcoordinator.7371"), token_for(client, "lurah.7371")
    uid = api_world.units["lr-a1"]
    rid = client.post(
        f"/api/v1/lorong/units/{uid}/reports", json={"period": "2025-04", "values": {"acara-seni": 2}}, headers=coord
    ).json()["id"]
    assert client.post(f"/api/v1/lorong/reports/{rid}/verify", json={}, headers=lurah).status_code == 200
    with session_scope(api_world.engine) as s:
        job = s.scalar(select(Job).where(Job.kind == "lorong.scores"))
        assert job is not None and job.status == "done" and job.result["until"] == "2025-04"
        assert job.user_id is not None and job.city_id == api_world.mks
        periods = {s.get(LorongUnit, u).score_period for u in api_world.units.values()}
        assert periods == {"2025-04"}
    # the coordinator corrects it: the report leaves verification, and every unit goes back to March
    r = client.post(
        f"/api/v1/lorong/units/{uid}/reports", json={"period": "2025-04", "values": {"acara-seni": 1}}, headers=coord
    )
    assert r.json()["status"] == "submitted"
    with session_scope(api_world.engine) as s:
        assert len(list(s.scalars(select(Job).where(Job.kind == "lorong.scores")))) == 2
        assert {s.get(LorongUnit, u).score_period for u in api_world.units.values()} == {"2025-03"}
