"""A city's surveys through the API: upload (idempotent, audited, refused with problem details), list, raw file,
intervals."""

from __future__ import annotations

import time

import pytest

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.roads.services.surveys import import_survey_file

from .test_segments import walk


def test_upload_survey_is_idempotent_and_audited(client, roads_db, roads_survey, auth):
    h = auth("fieldsurveyor.3510")
    files = {"file": ("drive.zip", roads_survey.read_bytes(), "application/zip")}
    r = client.post("/api/v1/roads/cities/35.10/surveys", headers=h, files=files, data={"vehicle": "BWI-09"})
    assert r.status_code == 202 and r.headers["location"] == r.json()["url"], r.text
    job = client.get(r.headers["location"], headers=h).json()
    assert job["kind"] == "roads.survey_import" and job["status"] == "done", job
    first = job["result"]
    assert not first["already_imported"] and first["measured_m"] > 0
    again = client.post("/api/v1/roads/cities/35.10/surveys", headers=h, files=files, data={"vehicle": "BWI-09"})
    again = again.json()["result"]
    assert again["already_imported"] and again["survey_id"] == first["survey_id"]
    lst = client.get("/api/v1/roads/cities/35.10/surveys", headers=h).json()
    assert lst["total"] == 1 and lst["items"][0]["vehicle"] == "BWI-09" and lst["items"][0]["has_raw"]
    raw = client.get(f"/api/v1/roads/cities/35.10/surveys/{first['survey_id']}/raw", headers=h)
    assert raw.status_code == 200 and raw.content == roads_survey.read_bytes()
    ivs = client.get(f"/api/v1/roads/cities/35.10/surveys/{first['survey_id']}/intervals", headers=h).json()
    assert ivs["numberMatched"] == first["intervals"]
    audit = client.get("/api/v1/cities/35.10/audit", headers=auth("cityadmin.3510")).json()["items"]
    assert [a["action"] for a in audit].count("roads.survey.import") == 1
    bad = client.post(
        "/api/v1/roads/cities/35.10/surveys",
        headers=h,
        data={"vehicle": "BWI-09"},
        files={"file": ("x.txt", b"not a survey", "text/plain")},
    )
    assert bad.status_code == 202 and bad.json()["status"] == "failed"
    assert bad.json()["error"]["field"] == "file" and "x.txt" in bad.json()["error"]["detail"]


def test_surveys_and_intervals_are_paged(client, roads_db, roads_survey, roads_survey_later, auth):
    with session_scope(roads_db) as s:
        city = accounts.get_city(s, "35.10")
        first = import_survey_file(s, city, roads_survey, "BWI-01")
        later = import_survey_file(s, city, roads_survey_later, "BWI-02")
    h = auth("roadofficer.3510")
    base = "/api/v1/roads/cities/35.10/surveys"
    surveys = walk(client, base, {}, "items", "total", 1, headers=h)
    assert [x["id"] for x in surveys] == [later.survey_id, first.survey_id]  # newest drive first
    assert [x["vehicle"] for x in surveys] == ["BWI-02", "BWI-01"]
    whole = client.get(f"{base}/{first.survey_id}/intervals", headers=h, params={"limit": 1000}).json()
    assert [f["properties"]["index"] for f in whole["features"]] == list(range(first.intervals))
    paged = walk(client, f"{base}/{first.survey_id}/intervals", {}, "features", "numberMatched", 4, headers=h)
    assert paged == whole["features"]
    assert all(f["properties"]["segment_id"] for f in paged if f["properties"]["segment"] is not None)


@pytest.mark.slow
@pytest.mark.serial
def test_a_large_survey_upload_keeps_the_server_answering(roads_db, roads_osm, tmp_path):
    """A 20-minute drive (100 Hz accelerometer) uploaded to a real server: /healthz keeps answering while the upload
    is imported by the server's own worker (its latency is measured by bench/event_loop.py)."""
    from datetime import UTC, datetime

    import httpx

    from kotacerdas.core.config import Settings
    from kotacerdas.web.app import create_app
    from tests.conftest import DEMO_PASSWORD
    from tests.live import HealthPoller, LiveServer, assert_answered_during

    from ..conftest import simulate_package

    loop = [(-520, 0), (520, 0), (520, 260), (-520, 260), (-520, 0)]
    package, _truth = simulate_package(
        roads_osm, tmp_path / "long.zip", loop * 6, seed=5, start=datetime(2025, 7, 1, 1, 0, tzinfo=UTC)
    )
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=roads_db.url.render_as_string(hide_password=False),
        secret_key="test",
        jobs_url="",
        jobs_worker="inline",
    )
    with LiveServer(create_app(settings, engine=roads_db)) as base, httpx.Client(base_url=base, timeout=60) as c:
        token = c.post("/api/v1/auth/token", json={"username": "fieldsurveyor.3510", "password": DEMO_PASSWORD})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        c.get("/healthz")  # the first answer opens the pools: not what is measured
        poller = HealthPoller(base)
        poller.start()
        time.sleep(0.2)
        files = {"file": ("long.zip", package.read_bytes(), "application/zip")}
        r = c.post("/api/v1/roads/cities/35.10/surveys", headers=headers, files=files, data={"vehicle": "BWI-LONG"})
        assert r.status_code == 202, r.text
        deadline = time.time() + 180
        while time.time() < deadline:
            job = c.get(r.headers["location"], headers=headers).json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.1)
        poller.stop.set()
        poller.join(5)
    assert job["status"] == "done", job
    assert job["result"]["length_m"] > 10_000
    assert not poller.failures and len(poller.latencies) > 20
    assert_answered_during(poller, job)
