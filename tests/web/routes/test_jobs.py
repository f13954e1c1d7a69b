"""The jobs API: a job is visible to the user who started it and to its city's staff, nobody else."""

from __future__ import annotations

import json


def _areas_file() -> bytes:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"code": "35.10.18.1001", "name": "Kepatihan"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[114.36, -8.21], [114.37, -8.21], [114.37, -8.22], [114.36, -8.21]]],
                    },
                }
            ],
        }
    ).encode()


def test_upload_answers_202_with_the_job_and_only_its_owner_sees_it(client, auth):
    admin = auth("cityadmin.3510")
    r = client.post("/api/v1/cities/35.10/admin-areas", headers=admin, files={"file": ("v.geojson", _areas_file())})
    assert r.status_code == 202 and r.headers["location"].startswith("/api/v1/jobs/")
    url = r.headers["location"]
    job = client.get(url, headers=admin).json()
    assert job["kind"] == "admin_areas.import" and job["status"] == "done" and job["result"]["created"] == 1
    mine = client.get("/api/v1/jobs", headers=admin).json()
    assert [j["id"] for j in mine["items"]] == [job["id"]] and mine["total"] == 1
    assert client.get(url, headers=auth("cityadmin.7371")).status_code == 404
    assert client.get(url, headers=auth("roadofficer.3510")).status_code == 200  # staff of the same city
    assert client.get(url).status_code == 401
    assert client.get("/api/v1/jobs", headers=auth("cityadmin.7371")).json()["total"] == 0


def test_a_failed_import_says_why_in_the_request_language(client, auth):
    admin = auth("cityadmin.3510")
    r = client.post(
        "/api/v1/cities/35.10/admin-areas",
        headers=admin | {"Accept-Language": "en"},
        files={"file": ("v.geojson", b"{not json")},
    )
    assert r.status_code == 202
    job = r.json()
    assert job["status"] == "failed" and job["error"]["detail"]
    again = client.get(job["url"], headers=admin | {"Accept-Language": "id"}).json()
    assert again["error"]["detail"] != job["error"]["detail"]
