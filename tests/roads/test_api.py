"""Road Manager API: GeoJSON segments (filters, pagination), events, coverage, summaries, road profile
and chart, survey upload and idempotency, vehicles, network upload, the Excel report."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.network.store import import_network
from kotacerdas.roads.service import import_survey_file


@pytest.fixture
def roads_client(client, roads_db, roads_survey):
    with session_scope(roads_db) as s:
        import_survey_file(s, accounts.get_city(s, "35.10"), roads_survey, "BWI-01")
    return client


def test_segments_geojson_with_filters_and_pages(roads_client):
    r = roads_client.get("/api/v1/roads/segments", params={"city": "35.10", "limit": 1000})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    total = fc["numberMatched"]
    assert total == len(fc["features"]) > 20
    measured = [f for f in fc["features"] if f["properties"]["class"]]
    assert measured and len(measured) < total
    f = measured[0]["properties"]
    assert {
        "segment_id",
        "osm_way_id",
        "name",
        "highway",
        "surface",
        "lanes",
        "oneway",
        "length_m",
        "district_code",
        "iri_m_per_km",
        "class",
        "measured_at",
        "calibrated",
    } <= set(f)
    assert f["calibrated"] is False
    # class filter
    baik = roads_client.get("/api/v1/roads/segments", params={"city": "35.10", "class": "none"}).json()
    assert baik["numberMatched"] == total - len(measured)
    # bbox filter: a box around one measured segment
    x, y = measured[0]["geometry"]["coordinates"][0]
    box = f"{x - 0.0005},{y - 0.0005},{x + 0.0005},{y + 0.0005}"
    small = roads_client.get("/api/v1/roads/segments", params={"city": "35.10", "bbox": box}).json()
    assert 0 < small["numberMatched"] < total
    # date filter: before the survey nothing is measured
    early = roads_client.get(
        "/api/v1/roads/segments",
        params={"city": "35.10", "until": "2025-01-01", "class": "baik,sedang,rusak_ringan,rusak_berat"},
    ).json()
    assert early["numberMatched"] == 0
    # pagination
    page = roads_client.get("/api/v1/roads/segments", params={"city": "35.10", "limit": 5, "offset": 5}).json()
    assert page["numberReturned"] == 5 and {lk["rel"] for lk in page["links"]} >= {"next", "prev"}
    # errors are problem details
    bad = roads_client.get("/api/v1/roads/segments", params={"city": "35.10", "class": "bagus"})
    assert bad.status_code == 400 and bad.json()["field"] == "class"
    assert roads_client.get("/api/v1/roads/segments", params={"city": "99.99"}).status_code == 404


def test_segment_detail_has_history(roads_client):
    fc = roads_client.get(
        "/api/v1/roads/segments", params={"city": "35.10", "class": "baik,sedang,rusak_ringan,rusak_berat"}
    ).json()
    sid = fc["features"][0]["id"]
    one = roads_client.get(f"/api/v1/roads/segments/{sid}").json()
    hist = one["properties"]["history"]
    assert len(hist) == 1 and hist[0]["iri"] == pytest.approx(one["properties"]["iri_m_per_km"], abs=1e-3)
    assert "vehicle" not in hist[0]
    assert roads_client.get("/api/v1/roads/segments/999999").status_code == 404


def test_events_coverage_summary(roads_client):
    ev = roads_client.get("/api/v1/roads/events", params={"city": "35.10"}).json()
    assert ev["numberMatched"] > 0
    assert {f["properties"]["kind"] for f in ev["features"]} <= {"pothole", "bump"}
    assert all(f["geometry"]["type"] == "Point" for f in ev["features"])
    cov = roads_client.get("/api/v1/roads/coverage", params={"city": "35.10"}).json()
    assert cov["numberMatched"] > 0 and all(f["properties"]["surveys"] == 1 for f in cov["features"])
    none = roads_client.get("/api/v1/roads/coverage", params={"city": "35.10", "since": "2026-01-01"}).json()
    assert none["numberMatched"] == 0
    summ = roads_client.get("/api/v1/roads/summary", params={"city": "35.10"}).json()
    assert 0 < summ["measured_km"] <= summ["surveyed_km"] <= summ["network_km"]
    assert summ["mantap_share"] == pytest.approx(
        (summ["km_by_class"]["baik"] + summ["km_by_class"]["sedang"]) / summ["measured_km"], abs=2e-3
    )
    assert summ["districts"][0]["code"] == "35.10.18"


def test_road_profile_and_chart(roads_client):
    roads = roads_client.get("/api/v1/roads/roads", params={"city": "35.10"}).json()["items"]
    measured = next(r for r in roads if r["measured_km"] > 0)
    prof = roads_client.get("/api/v1/roads/road-profile", params={"city": "35.10", "road": measured["road"]}).json()
    assert prof["road"] == measured["road"] and prof["intervals"]
    assert all(0 <= iv["from_m"] < iv["to_m"] <= prof["length_m"] + 1 for iv in prof["intervals"])
    svg = roads_client.get("/api/v1/roads/road-chart.svg", params={"city": "35.10", "road": measured["road"]})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and svg.text.count('class="bar"') == len(prof["intervals"])
    assert (
        roads_client.get("/api/v1/roads/road-profile", params={"city": "35.10", "road": "Jl. Tidak Ada"}).status_code
        == 404
    )


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


def test_vehicles_and_calibration_upload(client, roads_db, roads_calibration, auth):
    h = auth("roadofficer.3510")
    r = client.post("/api/v1/roads/cities/35.10/vehicles", headers=h, json={"id": "BWI-CAL", "name": "Patroli"})
    assert r.status_code == 201 and r.json()["calibrated"] is False
    drive, ref = roads_calibration
    r = client.post(
        "/api/v1/roads/cities/35.10/vehicles/BWI-CAL/calibration",
        headers=h,
        files={"survey": ("cal.zip", drive.read_bytes()), "reference": ("ref.csv", ref.read_bytes())},
    )
    assert r.status_code == 200, r.text
    assert r.json()["calibrated"] and r.json()["n_intervals"] >= 10
    vs = client.get("/api/v1/roads/cities/35.10/vehicles", headers=h).json()
    assert vs[0]["id"] == "BWI-CAL" and vs[0]["calibrated"] and vs[0]["calibration"]["gain"] > 0


def test_network_upload_and_report(client, seeded, roads_osm, auth):
    h = auth("roadofficer.3510")
    r = client.post(
        "/api/v1/cities/35.10/network",
        headers=h,
        files={"file": ("grid.osm", roads_osm.read_bytes(), "application/xml")},
    )
    assert r.status_code == 202 and r.json()["status"] == "done" and r.json()["result"]["created"] > 20
    again = client.post(
        "/api/v1/roads/cities/35.10/network",
        headers=h,
        files={"file": ("grid.osm", roads_osm.read_bytes(), "application/xml")},
    )
    assert again.json()["result"]["already_imported"]
    rep = client.get("/api/v1/roads/cities/35.10/report.xlsx", headers=h)
    assert rep.status_code == 200
    wb = load_workbook(io.BytesIO(rep.content))
    assert wb.sheetnames == ["Kecamatan", "Jalan", "Info"]
    rows = list(wb["Kecamatan"].iter_rows(values_only=True))
    assert rows[-1][2] == pytest.approx(r.json()["result"]["length_km"], abs=0.01)


def test_import_network_function_matches_api_counts(seeded, roads_osm):
    with session_scope(seeded) as s:
        res = import_network(s, accounts.get_city(s, "73.71"), roads_osm)
        assert res.created == res.segments and res.length_km > 0
