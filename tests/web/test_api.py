"""The HTTP API: health, OpenAPI, GeoJSON with bbox, problem details, pagination, metrics, uploads."""

from __future__ import annotations

import json

from kotacerdas.core.config import Settings


def test_healthz_and_openapi(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "kotacerdas"
    assert "/api/v1/admin-areas" in spec["paths"] and "/api/v1/auth/token" in spec["paths"]


def test_admin_areas_geojson_with_bbox(client):
    r = client.get("/api/v1/admin-areas", params={"bbox": "114.30,-8.30,114.40,-8.20", "level": "district"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    body = r.json()
    assert body["type"] == "FeatureCollection"
    names = {f["properties"]["name"] for f in body["features"]}
    assert "Banyuwangi" in names and "Mariso" not in names and "Pesanggaran" not in names
    assert body["numberMatched"] == len(body["features"])
    assert all(f["geometry"]["type"] == "MultiPolygon" for f in body["features"])


def test_admin_areas_pagination_links(client):
    first = client.get("/api/v1/admin-areas", params={"city": "35.10", "limit": 10}).json()
    assert first["numberMatched"] == 25 and first["numberReturned"] == 10
    nxt = next(link["href"] for link in first["links"] if link["rel"] == "next")
    second = client.get(nxt).json()
    assert second["numberReturned"] == 10
    ids = {f["id"] for f in first["features"]} | {f["id"] for f in second["features"]}
    assert len(ids) == 20


def test_nearest_and_distance_filters(client):
    r = client.get("/api/v1/admin-areas", params={"near": "119.4327,-5.1477", "nearest": 2}).json()
    assert len(r["features"]) == 2 and r["features"][0]["properties"]["distance_m"] == 0.0
    r = client.get("/api/v1/admin-areas", params={"near": "119.4327,-5.1477", "within_m": 1500}).json()
    assert r["features"] and all(f["properties"]["city"] == "73.71" for f in r["features"])


def test_problem_details_are_localised(client):
    r = client.get("/api/v1/admin-areas", params={"bbox": "1,2,3"}, headers={"Accept-Language": "id-ID,en;q=0.5"})
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["title"] == "Masukan tidak sah" and body["field"] == "bbox" and "empat angka" in body["detail"]
    r = client.get("/api/v1/admin-areas", params={"bbox": "1,2,3"}, headers={"Accept-Language": "en"})
    assert r.json()["title"] == "Invalid input" and "four numbers" in r.json()["detail"]


def test_validation_errors_name_the_field(client):
    r = client.get("/api/v1/admin-areas", params={"limit": "many"}, headers={"Accept-Language": "en"})
    assert r.status_code == 422 and r.json()["field"] == "limit"


def test_validation_reasons_are_in_the_request_s_language(client):
    """pydantic's own reasons are English only ("Input should be a valid integer"): the problem says them in the
    request's language, the bounds filled in."""
    r = client.get("/api/v1/admin-areas", params={"limit": "many"}, headers={"Accept-Language": "id"})
    body = r.json()
    assert r.status_code == 422 and "harus bilangan bulat" in body["detail"] and "Input should" not in body["detail"]
    assert body["errors"][0] == {"field": "limit", "detail": "harus bilangan bulat"}
    r = client.get("/api/v1/admin-areas", params={"limit": 0}, headers={"Accept-Language": "en"})
    assert "it must be at least 1" in r.json()["detail"]
    r = client.post(
        "/api/v1/auth/token",
        content=b"{not json",
        headers={"Content-Type": "application/json", "Accept-Language": "id"},
    )
    assert r.status_code == 422 and "bukan JSON yang sah" in r.json()["detail"]


def test_unknown_paths_and_cities_are_404_problems(client):
    assert client.get("/api/v1/nothing").json()["status"] == 404
    r = client.get("/api/v1/cities/99.99", headers={"Accept-Language": "en"})
    assert r.status_code == 404 and "99.99" in r.json()["detail"]


def test_upload_too_large_is_refused(client, auth, tmp_path):
    client.app.state.settings = Settings(data_dir=tmp_path, max_upload_mb=0.001)
    from kotacerdas.core import config

    config.get_settings.cache_clear()
    import os

    os.environ["KOTACERDAS_MAX_UPLOAD_MB"] = "0.001"
    try:
        big = json.dumps({"type": "FeatureCollection", "features": [], "pad": "x" * 5000}).encode()
        r = client.post(
            "/api/v1/cities/35.10/admin-areas", headers=auth("cityadmin.3510"), files={"file": ("big.geojson", big)}
        )
        assert r.status_code == 413
    finally:
        del os.environ["KOTACERDAS_MAX_UPLOAD_MB"]
        config.get_settings.cache_clear()


def test_upload_import_is_audited_and_idempotent(client, auth):
    headers = auth("cityadmin.3510")
    data = json.dumps(
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
    first = client.post("/api/v1/cities/35.10/admin-areas", headers=headers, files={"file": ("v.geojson", data)})
    again = client.post("/api/v1/cities/35.10/admin-areas", headers=headers, files={"file": ("v.geojson", data)})
    assert first.status_code == 202 and first.headers["location"] == first.json()["url"]
    job = client.get(first.headers["location"], headers=headers).json()
    assert job["status"] == "done" and job["result"]["created"] == 1
    assert again.json()["result"]["already_imported"] is True
    audit = client.get("/api/v1/cities/35.10/audit", headers=headers).json()
    assert [e["action"] for e in audit["items"]].count("admin_areas.import") == 1


def test_metrics_count_requests(client):
    client.get("/healthz")
    text = client.get("/metrics").text
    assert 'kotacerdas_http_requests_total{method="GET",route="/healthz",status="200"}' in text


def test_api_writes_on_the_session_cookie_need_same_site_proof(client):
    """CSRF: a cookie-signed-in browser cannot be made to write through the API from another site."""
    from tests.conftest import DEMO_PASSWORD

    client.get("/login")
    csrf = client.cookies.get("kc_csrf")
    client.post("/login", data={"username": "cityadmin.3510", "password": DEMO_PASSWORD, "csrf": csrf})
    body = {"username": "warga.baru", "password": "long-enough-pw", "roles": ["public"]}
    r = client.post("/api/v1/cities/35.10/members", json=body, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    r = client.post("/api/v1/cities/35.10/members", json=body)
    assert r.status_code == 403
    r = client.post("/api/v1/cities/35.10/members", json=body, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201
    assert client.get("/api/v1/cities/35.10/members").status_code == 200  # reads need no proof
