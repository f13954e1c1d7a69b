"""``kotacerdas roads models|video|photos|damage``: install and list models, inspect a video (again: nothing
changes), photos with one refused, list and export damage records; errors exit 2 naming the file."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from kotacerdas.cli import app
from kotacerdas.core import config
from tests.roads.camera import POTHOLE, geotagged_jpeg, one_box_files, photo_set, road_images


@pytest.fixture
def cli(tmp_path, monkeypatch, roads_osm):
    monkeypatch.setenv("KOTACERDAS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KOTACERDAS_DATABASE_URL", raising=False)
    monkeypatch.setenv("KOTACERDAS_LANG", "en")
    monkeypatch.setenv("KOTACERDAS_PROGRESS", "0")
    config.get_settings.cache_clear()
    runner = CliRunner()
    run = lambda *args, **kw: runner.invoke(app, [str(a) for a in args], catch_exceptions=False, **kw)  # noqa: E731
    assert run("admin", "create-city", "35.10", "Kabupaten Banyuwangi").exit_code == 0
    assert run("roads", "network", "import", roads_osm, "--city", "35.10").exit_code == 0
    yield run
    config.get_settings.cache_clear()


def _json(out: str):
    return json.loads(out[min(i for i in (out.find("{"), out.find("[")) if i >= 0) :])


def test_models_video_photos_and_export(cli, shared_dir, camera_drive, tmp_path):
    package, video, _track = camera_drive
    assert cli("roads", "models", "list").output.startswith("No model installed")
    r = cli("roads", "video", "import", video, "--vehicle", "BWI-CAM-01", "--city", "35.10", "--track", package)
    assert r.exit_code == 2 and "no damage detection model is installed" in r.output
    r = cli("roads", "models", "install", shared_dir / POTHOLE, "--name", "pothole")
    assert r.exit_code == 0 and "Installed model pothole (tflite" in r.output
    assert cli("roads", "models", "list", "--json").exit_code == 0
    args = (
        "roads",
        "video",
        "import",
        video,
        "--vehicle",
        "BWI-CAM-01",
        "--city",
        "35.10",
        "--track",
        package,
        "--every",
        "20",
    )
    r = cli(*args, "--json")
    assert r.exit_code == 0, r.output
    first = _json(r.output)[0]
    assert first["status"] == "done" and first["damages_new"] > 0
    again = cli(*args)
    assert again.exit_code == 0 and "Already imported as capture" in again.output
    # photos: two geotagged, one without GPS (listed, left out)
    photos = tmp_path / "photos"
    photos.mkdir()
    img = road_images(shared_dir)[0]
    for k in range(2):
        when = datetime(2025, 8, 1, 1, 0, k * 5, tzinfo=UTC)
        (photos / f"p{k}.jpg").write_bytes(geotagged_jpeg(img, 114.3660 + k * 0.0002, -8.2195, when))
    import cv2

    cv2.imwrite(str(photos / "plain.jpg"), img)
    r = cli("roads", "photos", "import", photos, "--vehicle", "BWI-CAM-02", "--city", "35.10")
    assert r.exit_code == 0 and "plain.jpg: photo plain.jpg has no GPS position in its EXIF" in r.output
    listed = _json(cli("roads", "damage", "list", "--city", "35.10", "--json").output)
    assert listed and {d["code"] for d in listed} == {"D40"}
    text = cli("roads", "damage", "list", "--city", "35.10").output
    assert "Detected" in text and "detected" not in text  # the status's label, not its code
    out = tmp_path / "damage.csv"
    r = cli("roads", "damage", "export", "--city", "35.10", "--format", "csv", "--out", out)
    assert r.exit_code == 0 and len(list(csv.DictReader(io.StringIO(out.read_text())))) == len(listed)
    kml = cli("roads", "damage", "export", "--city", "35.10", "--format", "kml").output
    assert kml.startswith("<?xml") and kml.count("<Placemark") == len(listed)
    bad = cli("roads", "damage", "export", "--city", "35.10", "--format", "shp")
    assert bad.exit_code == 2


def test_bad_video_exits_2(cli, shared_dir, tmp_path):
    assert cli("roads", "models", "install", shared_dir / POTHOLE, "--name", "pothole").exit_code == 0
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\0" * 100)
    r = cli("roads", "video", "import", junk, "--vehicle", "X", "--city", "35.10")
    assert r.exit_code == 2 and "junk.mp4 is not a readable video" in r.output


def test_a_video_without_its_recording_time_takes_start(cli, shared_dir, camera_drive, tmp_path):
    from kotacerdas.roads.camera_sim import write_drive_video

    package, _video, track = camera_drive
    assert cli("roads", "models", "install", shared_dir / POTHOLE, "--name", "pothole").exit_code == 0
    stripped = write_drive_video(
        tmp_path / "whatsapp.mp4", road_images(shared_dir), track, fps=10.0, creation_time=False
    )
    args = ("roads", "video", "import", stripped, "--vehicle", "BWI-CAM-01", "--city", "35.10", "--track", package)
    r = cli(*args, "--every", "20")
    assert r.exit_code == 2 and "whatsapp.mp4 does not say when it was recorded" in r.output and "--start" in r.output
    bad = cli(*args, "--start", "2025-07-01T08:00:00")
    assert bad.exit_code == 2 and "must be an ISO 8601 time with its zone" in bad.output
    two = cli(*args, stripped, "--start", "2025-07-01T08:00:00+07:00")
    assert two.exit_code == 2 and "one video" in two.output
    start = datetime.fromtimestamp(track.t[0], UTC).isoformat()
    r = cli(*args, "--every", "20", "--start", start, "--json")
    assert r.exit_code == 0, r.output
    out = _json(r.output)[0]
    assert out["status"] == "done" and out["frames_done"] > 10


def test_failures_read_in_the_output_language(cli, camera_drive, shared_dir, tmp_path, monkeypatch):
    """A drive that fails in a batch, and the status of the damages, in Bahasa Indonesia."""
    _package, video, _track = camera_drive
    assert cli("roads", "models", "install", shared_dir / POTHOLE, "--name", "pothole").exit_code == 0
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\0" * 100)
    monkeypatch.setenv("KOTACERDAS_LANG", "id")
    r = cli("roads", "video", "import", video, junk, "--vehicle", "X", "--city", "35.10", "--executor", "inline")
    assert "junk.mp4: gagal: junk.mp4 bukan video yang dapat dibaca" in r.output


def test_a_file_imported_again_names_its_capture_and_replace_imports_it_anew(cli, tmp_path, monkeypatch):
    """Without --replace the answer says which capture the file is and offers --replace; with it the earlier
    capture is replaced (audited, the CLI as the actor), in both languages."""
    from sqlalchemy import create_engine, text

    model, manifest = one_box_files(tmp_path / "model")
    assert cli("roads", "models", "install", model, "--name", "box", "--manifest", manifest).exit_code == 0
    photos = photo_set(tmp_path / "photos", [(114.3655, -8.2195, datetime(2025, 9, 1, 1, 0, tzinfo=UTC))])
    args = ("roads", "photos", "import", photos, "--vehicle", "BWI-CAM-09", "--city", "35.10")
    first = _json(cli(*args, "--json").output)
    assert first["status"] == "done" and first["damages_new"] == 1
    again = cli(*args)
    assert again.exit_code == 0
    assert f"Already imported as capture {first['capture_id']} (photos, " in again.output
    assert "model box, photos): nothing changed" in again.output and "add --replace" in again.output
    monkeypatch.setenv("KOTACERDAS_LANG", "id")
    assert "tambahkan --replace" in cli(*args).output
    r = cli(*args, "--replace")
    assert r.exit_code == 0, r.output
    assert f"Rekaman {first['capture_id']} diganti: 1 kerusakan yang hanya ditemukannya dihapus" in r.output
    monkeypatch.setenv("KOTACERDAS_LANG", "en")
    out = _json(cli(*args, "--replace", "--json").output)
    assert out["replaced"]["capture_id"] > first["capture_id"] and out["damages_new"] == 1
    stored = create_engine(config.get_settings().database_url)
    with stored.connect() as conn:
        audits = conn.execute(text("SELECT action, target FROM audit_events WHERE action LIKE 'roads.capture%'")).all()
        captures = conn.execute(text("SELECT count(*) FROM road_captures")).scalar()
    stored.dispose()
    assert [a for a, _t in audits] == ["roads.capture.replace", "roads.capture.replace"] and captures == 1


def test_a_damage_moves_along_the_workflow_from_the_command_line(cli, tmp_path, monkeypatch):
    """``roads damage status``: the API's workflow rules, the history with the note, audited with the CLI as the
    actor; a step the workflow does not allow, an unknown status or id exit 2 with the reason, changing nothing."""
    from sqlalchemy import create_engine, text

    model, manifest = one_box_files(tmp_path / "model")
    assert cli("roads", "models", "install", model, "--name", "box", "--manifest", manifest).exit_code == 0
    photos = photo_set(tmp_path / "photos", [(114.3655, -8.2195, datetime(2025, 9, 1, 1, 0, tzinfo=UTC))])
    assert cli("roads", "photos", "import", photos, "--vehicle", "BWI-CAM-09", "--city", "35.10").exit_code == 0
    damage_id = _json(cli("roads", "damage", "list", "--city", "35.10", "--json").output)[0]["id"]
    r = cli("roads", "damage", "status", damage_id, "confirmed", "--note", "checked on site")
    assert r.exit_code == 0 and f"Damage {damage_id} (D40): Detected -> Confirmed" in r.output
    out = _json(cli("roads", "damage", "status", damage_id, "scheduled", "--city", "35.10", "--json").output)
    assert out["status"] == "scheduled" and out["previous"] == "confirmed"
    assert [(h["status"], h["note"]) for h in out["history"]] == [
        ("detected", ""),
        ("confirmed", "checked on site"),
        ("scheduled", ""),
    ]
    bad = cli("roads", "damage", "status", damage_id, "rejected")
    assert bad.exit_code == 2 and "cannot become rejected (allowed: repaired, confirmed)" in bad.output
    assert cli("roads", "damage", "status", damage_id, "fixed").exit_code == 2
    missing = cli("roads", "damage", "status", 99999, "confirmed")
    assert missing.exit_code == 2 and "No damage with id 99999" in missing.output
    monkeypatch.setenv("KOTACERDAS_LANG", "id")
    r = cli("roads", "damage", "status", damage_id, "repaired")
    assert r.exit_code == 0 and f"Kerusakan {damage_id} (D40): Perbaikan dijadwalkan -> Sudah diperbaiki" in r.output
    stored = create_engine(config.get_settings().database_url)
    with stored.connect() as conn:
        audits = conn.execute(
            text("SELECT target, detail FROM audit_events WHERE action = 'roads.damage.status' ORDER BY id")
        ).all()
        status = conn.execute(text("SELECT status FROM road_damages WHERE id = :i"), {"i": damage_id}).scalar()
    stored.dispose()
    assert status == "repaired" and len(audits) == 3
    assert all(t == str(damage_id) and json.loads(d)["source"] == "cli" for t, d in audits)
