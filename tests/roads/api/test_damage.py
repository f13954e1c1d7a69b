"""The camera API on both backends: damage list (filters in SQL, public fields only), one damage with its sightings
and history, the blurred crop, export as CSV, GeoJSON (checked with a third-party reader) and KML, the combined
condition and SDI, status changes and entered distress by role, a vehicle's camera, uploading a video as a job,
and another city's staff kept out."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from kotacerdas.core.db import session_scope


@pytest.fixture
def inspected(client, roads_db, camera_drive, models_dir, tmp_path):
    """The client, with the camera drive inspected by the pothole model into 35.10 (crops in the app's data dir)."""
    from kotacerdas.roads.models import get_model
    from kotacerdas.roads.services import damage as service
    from kotacerdas.roads.services.captures_input import prepare_video

    _package, video, track = camera_drive
    prepared = prepare_video(video, track, every_m=15.0)
    data_dir = client.app.state.settings.data_dir
    out = service.import_capture(
        roads_db, "35.10", prepared, "BWI-CAM-01", get_model(models_dir, "pothole"), data_dir=data_dir
    )
    assert out.damages_new > 0
    return client


def test_damage_list_and_filters(inspected, auth):
    r = inspected.get("/api/v1/roads/damage", params={"city": "35.10"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["numberMatched"] == len(fc["features"]) > 0
    p = fc["features"][0]["properties"]
    assert p["code"] == "D40" and p["name"] == "Lubang jalan" and p["status"] == "detected"
    assert p["crop"].endswith(".jpg") and not p["demo"]
    assert "vehicle" not in p and "device" not in p
    assert inspected.get("/api/v1/roads/damage", params={"city": "35.10", "code": "D00"}).json()["numberMatched"] == 0
    high = inspected.get("/api/v1/roads/damage", params={"city": "35.10", "min_confidence": 0.99}).json()
    assert high["numberMatched"] < fc["numberMatched"]
    assert (
        inspected.get("/api/v1/roads/damage", params={"city": "35.10", "status": "repaired"}).json()["numberMatched"]
        == 0
    )
    assert (
        inspected.get("/api/v1/roads/damage", params={"city": "35.10", "until": "2025-06-30"}).json()["numberMatched"]
        == 0
    )
    bad = inspected.get("/api/v1/roads/damage", params={"city": "35.10", "code": "X9"})
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("application/problem+json")
    # the vehicle filter is private
    assert inspected.get("/api/v1/roads/damage", params={"city": "35.10", "vehicle": "BWI-CAM-01"}).status_code == 401
    mine = inspected.get(
        "/api/v1/roads/damage", params={"city": "35.10", "vehicle": "BWI-CAM-01"}, headers=auth("fieldsurveyor.3510")
    )
    assert mine.json()["numberMatched"] == fc["numberMatched"]
    other = inspected.get(
        "/api/v1/roads/damage", params={"city": "35.10", "vehicle": "BWI-CAM-01"}, headers=auth("fieldsurveyor.7371")
    )
    assert other.status_code == 403


def test_one_damage_its_crop_and_privacy(inspected, auth):
    fid = inspected.get("/api/v1/roads/damage", params={"city": "35.10"}).json()["features"][0]["id"]
    public = inspected.get(f"/api/v1/roads/damage/{fid}").json()["properties"]
    assert public["sightings_list"] and all(
        s["vehicle"] is None and s["device"] is None for s in public["sightings_list"]
    )
    assert public["history"][0]["status"] == "detected" and public["history"][0]["by"] is None
    staff = inspected.get(f"/api/v1/roads/damage/{fid}", headers=auth("roadofficer.3510")).json()["properties"]
    assert {s["vehicle"] for s in staff["sightings_list"]} == {"BWI-CAM-01"}
    crop = inspected.get(public["crop"])
    assert crop.status_code == 200 and crop.headers["content-type"] == "image/jpeg" and crop.content[:2] == b"\xff\xd8"
    assert inspected.get("/api/v1/roads/damage-crops/999999.jpg").status_code == 404
    assert inspected.get("/api/v1/roads/damage/999999").status_code == 404


def test_exports(inspected):
    import shapely.geometry

    n = inspected.get("/api/v1/roads/damage", params={"city": "35.10"}).json()["numberMatched"]
    gj = inspected.get("/api/v1/roads/damage/export", params={"city": "35.10", "format": "geojson"})
    assert gj.headers["content-type"].startswith("application/geo+json")
    geoms = [shapely.geometry.shape(f["geometry"]) for f in gj.json()["features"]]
    assert len(geoms) == n and all(g.geom_type == "Point" and g.is_valid for g in geoms)
    rows = list(
        csv.DictReader(
            io.StringIO(inspected.get("/api/v1/roads/damage/export", params={"city": "35.10", "format": "csv"}).text)
        )
    )
    assert len(rows) == n and rows[0]["code"] == "D40" and float(rows[0]["lon"]) > 114
    kml = inspected.get("/api/v1/roads/damage/export", params={"city": "35.10", "format": "kml", "lang": "en"})
    root = ET.fromstring(kml.content)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    marks = root.findall(".//k:Placemark", ns)
    assert len(marks) == n and "Pothole" in marks[0].find("k:name", ns).text


def test_condition_and_sdi(inspected, auth):
    fc = inspected.get("/api/v1/roads/condition", params={"city": "35.10", "limit": 1000}).json()
    with_sdi = [f for f in fc["features"] if f["properties"]["sdi"] is not None]
    assert with_sdi and all(f["properties"]["basis"] == "sdi_only" for f in with_sdi)  # no roughness survey yet
    assert all("iri" in f["properties"]["missing"] for f in with_sdi)
    none = [f for f in fc["features"] if f["properties"]["basis"] == "none"]
    assert none and all(f["properties"]["class"] is None for f in none)
    sid = with_sdi[0]["id"]
    detail = inspected.get(f"/api/v1/roads/segments/{sid}/sdi").json()
    assert detail["distress"]["sdi"] == with_sdi[0]["properties"]["sdi"]
    assert detail["pieces"]["features"] and detail["pieces"]["features"][0]["properties"]["from_m"] == 0
    body = {"crack_width_mm": 4.0, "rut_depth_mm": 35.0}
    assert inspected.put(f"/api/v1/roads/cities/35.10/segments/{sid}/distress", json=body).status_code == 401
    assert (
        inspected.put(
            f"/api/v1/roads/cities/35.10/segments/{sid}/distress", json=body, headers=auth("fieldsurveyor.3510")
        ).status_code
        == 403
    )
    r = inspected.put(
        f"/api/v1/roads/cities/35.10/segments/{sid}/distress", json=body, headers=auth("roadofficer.3510")
    )
    assert r.status_code == 200 and r.json()["sdi"] == with_sdi[0]["properties"]["sdi"] + 20.0  # ruts above 3 cm


def test_status_changes_by_role(inspected, auth):
    fid = inspected.get("/api/v1/roads/damage", params={"city": "35.10"}).json()["features"][0]["id"]
    url = f"/api/v1/roads/cities/35.10/damage/{fid}/status"
    assert inspected.post(url, json={"status": "confirmed"}).status_code == 401
    assert inspected.post(url, json={"status": "confirmed"}, headers=auth("fieldsurveyor.3510")).status_code == 403
    assert (
        inspected.post(
            f"/api/v1/roads/cities/73.71/damage/{fid}/status",
            json={"status": "confirmed"},
            headers=auth("roadofficer.7371"),
        ).status_code
        == 404
    )
    ok = inspected.post(url, json={"status": "confirmed", "note": "dicek"}, headers=auth("roadofficer.3510"))
    assert ok.status_code == 200 and ok.json()["properties"]["status"] == "confirmed"
    assert ok.json()["properties"]["history"][-1] == {
        "status": "confirmed",
        "previous": "detected",
        "at": ok.json()["properties"]["history"][-1]["at"],
        "by": "roadofficer.3510",
        "note": "dicek",
    }
    conflict = inspected.post(url, json={"status": "detected"}, headers=auth("roadofficer.3510"))
    assert conflict.status_code == 409


def test_camera_of_a_vehicle(inspected, auth):
    url = "/api/v1/roads/cities/35.10/vehicles/BWI-CAM-01/camera"
    assert inspected.get(url).status_code == 401
    assert inspected.get(url, headers=auth("fieldsurveyor.3510")).json()["height_m"] == 1.3
    new = {"height_m": 1.5, "pitch_deg": 10, "hfov_deg": 78, "offset_right_m": 0.0, "max_range_m": 30}
    assert inspected.put(url, json=new, headers=auth("fieldsurveyor.3510")).status_code == 403
    assert inspected.put(url, json=new, headers=auth("roadofficer.3510")).json()["hfov_deg"] == 78
    assert inspected.get(url, headers=auth("roadofficer.3510")).json()["height_m"] == 1.5
    assert inspected.put(url, json={**new, "height_m": 9}, headers=auth("roadofficer.3510")).status_code == 422


def test_upload_a_video_as_a_job(client, roads_db, camera_drive, models_dir, auth, tmp_path):
    import shutil

    from kotacerdas.roads.models import models_dir as folder

    data_dir = client.app.state.settings.data_dir
    shutil.copytree(folder(models_dir) / "pothole", folder(data_dir) / "pothole")
    package, video, _track = camera_drive
    files = {"file": ("drive.mp4", video.read_bytes(), "video/mp4"), "track": ("drive.zip", package.read_bytes())}
    r = client.post(
        "/api/v1/roads/cities/35.10/captures",
        files=files,
        data={"vehicle": "BWI-CAM-02", "every_m": "25"},
        headers=auth("fieldsurveyor.3510"),
    )
    assert r.status_code == 202, r.text
    job = client.get(r.headers["Location"], headers=auth("fieldsurveyor.3510")).json()
    assert job["status"] == "done", job
    cap = job["result"]["captures"][0]
    assert cap["status"] == "done" and cap["damages_new"] > 0
    listed = client.get("/api/v1/roads/cities/35.10/captures", headers=auth("fieldsurveyor.3510")).json()
    assert listed["total"] == 1 and listed["items"][0]["vehicle"] == "BWI-CAM-02"
    assert client.get("/api/v1/roads/cities/35.10/captures", headers=auth("fieldsurveyor.7371")).status_code == 403
    bad = client.post(
        "/api/v1/roads/cities/35.10/captures",
        files={"file": ("broken.mp4", b"not a video at all", "video/mp4")},
        data={"vehicle": "BWI-CAM-02"},
        headers=auth("fieldsurveyor.3510"),
    )
    failed = client.get(bad.headers["Location"], headers=auth("fieldsurveyor.3510")).json()
    assert failed["status"] == "failed" and "broken.mp4" in failed["error"]["detail"]
    with session_scope(roads_db) as s:
        from sqlalchemy import func, select

        from kotacerdas.roads.store.damage_tables import RoadCapture

        assert s.scalar(select(func.count()).select_from(RoadCapture)) == 1  # nothing stored for the bad file


def test_upload_a_video_that_does_not_say_when_with_its_start(
    client, camera_drive, models_dir, auth, tmp_path, shared_dir
):
    """A video WhatsApp stripped of its recording time is placed by the ``start`` field; a start without its zone
    answers 400 and starts no job."""
    import shutil
    from datetime import UTC, datetime

    from kotacerdas.roads.camera_sim import write_drive_video
    from kotacerdas.roads.models import models_dir as folder
    from tests.roads.camera import road_images

    shutil.copytree(folder(models_dir) / "pothole", folder(client.app.state.settings.data_dir) / "pothole")
    package, _video, track = camera_drive
    stripped = write_drive_video(tmp_path / "wa.mp4", road_images(shared_dir), track, fps=10.0, creation_time=False)
    files = {"file": ("wa.mp4", stripped.read_bytes(), "video/mp4"), "track": ("drive.zip", package.read_bytes())}
    url, who = "/api/v1/roads/cities/35.10/captures", auth("fieldsurveyor.3510")
    bad = client.post(url, files=files, data={"vehicle": "BWI-CAM-02", "start": "2025-07-01 08:00"}, headers=who)
    assert bad.status_code == 400 and "ISO 8601" in bad.json()["detail"]
    none = client.post(url, files=files, data={"vehicle": "BWI-CAM-02", "every_m": "25"}, headers=who)
    failed = client.get(none.headers["Location"], headers=who).json()
    assert failed["status"] == "failed" and "start" in failed["error"]["detail"]
    start = datetime.fromtimestamp(track.t[0], UTC).isoformat()
    r = client.post(url, files=files, data={"vehicle": "BWI-CAM-02", "every_m": "25", "start": start}, headers=who)
    assert r.status_code == 202, r.text
    job = client.get(r.headers["Location"], headers=who).json()
    assert job["status"] == "done", job
    assert job["result"]["captures"][0]["damages_new"] > 0
    schema = client.get("/api/v1/openapi.json").json()
    ref = schema["paths"][url.replace("35.10", "{code}")]["post"]["requestBody"]["content"]["multipart/form-data"]
    form = schema["components"]["schemas"][ref["schema"]["$ref"].split("/")[-1]]
    assert "ISO 8601" in form["properties"]["start"]["description"]


def test_upload_again_with_replace(client, roads_db, auth, tmp_path):
    """The same photos uploaded again are answered already imported, naming their capture; with ``replace`` the
    earlier capture is replaced by the new import (audited as a replacement)."""
    import shutil
    from datetime import UTC, datetime
    from pathlib import Path

    from sqlalchemy import select

    from kotacerdas.core.models import AuditEvent
    from tests.roads.camera import one_box_model, photo_set

    one_box_model(tmp_path / "model", Path(client.app.state.settings.data_dir))
    photos = photo_set(tmp_path / "photos", [(114.3655, -8.2195, datetime(2025, 9, 1, 1, 0, tzinfo=UTC))])
    archive = Path(shutil.make_archive(str(tmp_path / "photos"), "zip", photos))
    url, who = "/api/v1/roads/cities/35.10/captures", auth("fieldsurveyor.3510")

    def upload(**data):
        files = {"file": ("photos.zip", archive.read_bytes(), "application/zip")}
        r = client.post(url, files=files, data={"vehicle": "BWI-CAM-09", **data}, headers=who)
        assert r.status_code == 202, r.text
        job = client.get(r.headers["Location"], headers=who).json()
        assert job["status"] == "done", job
        return job["result"]["captures"][0]

    first = upload()
    again = upload()
    assert again["already_imported"] and again["capture_id"] == first["capture_id"] and again["imported_at"]
    out = upload(replace="true")
    assert out["replaced"]["capture_id"] == first["capture_id"] and out["capture_id"] != first["capture_id"]
    with session_scope(roads_db) as s:
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("roads.capture.%"))))
    assert actions == ["roads.capture.import", "roads.capture.replace"]
    listed = client.get(url, headers=who).json()
    assert listed["total"] == 1 and listed["items"][0]["report"]["replaced"]["removed"] == 1
