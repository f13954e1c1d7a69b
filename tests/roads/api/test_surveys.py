"""A city's surveys through the API: upload (idempotent, audited, refused with problem details), list, raw file,
intervals."""

from __future__ import annotations

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.roads.services.surveys import import_survey_file

from .test_segments import walk


def test_upload_survey_is_idempotent_and_audited(client, roads_db, roads_survey, auth):
    h = auth("fieldsurveyor.3510")
    files = {"file": ("drive.zip", roads_survey.read_bytes(), "application/zip")}
    r = client.post("/api/v1/roads/cities/35.10/surveys", headers=h, files=files, data={"vehicle": "BWI-09"})
    assert r.status_code == 201, r.text
    first = r.json()
    assert not first["already_imported"] and first["measured_m"] > 0
    again = client.post("/api/v1/roads/cities/35.10/surveys", headers=h, files=files, data={"vehicle": "BWI-09"})
    assert again.json()["already_imported"] and again.json()["survey_id"] == first["survey_id"]
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
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["field"] == "file"


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
