"""A whole patrol drive in one survey package: the streams and the video; imported as a survey (roughness) and a
capture (damage) against the package's own track; an altered video refused."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest
from sqlalchemy import select

from kotacerdas.core.db import session_scope
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.media import add_media, extract_media
from kotacerdas.roads.formats.reading import Source


def test_package_with_its_video(roads_db, camera_drive, models_dir, tmp_path):
    from kotacerdas.roads.models import models_dir as folder
    from kotacerdas.roads.services.uploads import import_upload
    from kotacerdas.roads.store.damage_tables import RoadCapture
    from kotacerdas.roads.store.tables import RoadSurvey

    package, video, _track = camera_drive
    drive = add_media(shutil.copy(package, tmp_path / "patrol.zip"), video=video)
    with zipfile.ZipFile(drive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["media"][0]["kind"] == "video" and manifest["media"][0]["file"] == "media/drive.mp4"
    got = extract_media(drive, tmp_path / "out")
    assert got[0].path.read_bytes() == video.read_bytes()
    data = tmp_path / "data"
    shutil.copytree(folder(models_dir) / "pothole", folder(data) / "pothole")
    results = import_upload(roads_db, data, city="35.10", vehicle="BWI-CAM-01", path=drive, every_m=25.0)
    assert len(results) == 1 and results[0].status == "done" and results[0].damages_new > 0
    with session_scope(roads_db) as s:
        survey = s.scalar(select(RoadSurvey))
        capture = s.scalar(select(RoadCapture))
        assert capture.survey_id == survey.id and survey.measured_m > 0
    # the same upload again changes nothing
    again = import_upload(roads_db, data, city="35.10", vehicle="BWI-CAM-01", path=drive, every_m=25.0)
    assert again[0].already_imported


def test_an_altered_video_is_refused(camera_drive, tmp_path):
    package, video, _track = camera_drive
    drive = add_media(shutil.copy(package, tmp_path / "patrol.zip"), video=video)
    with zipfile.ZipFile(drive) as zf:
        items = {n: zf.read(n) for n in zf.namelist()}
    items["media/drive.mp4"] = items["media/drive.mp4"][:-100]
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(altered, "w") as zf:
        for n, b in items.items():
            zf.writestr(n, b)
    with pytest.raises(RoadsError, match="does not match its SHA-256"):
        extract_media(altered, tmp_path / "x")
    source = Source(package)  # a package without media reads as before
    try:
        from kotacerdas.roads.formats.media import media_entries

        assert media_entries(source) == []
    finally:
        source.close()
