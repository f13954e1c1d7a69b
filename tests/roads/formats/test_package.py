"""The kotacerdas survey package: exact round trips (CSV and Parquet streams), tampered or incomplete packages
and time errors refused, naming the file and row."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.formats.survey import detect_format, import_survey, streams_hash, write_survey_package

from .drives import make_drive


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_package_round_trip_exact(tmp_path, fmt):
    drive = make_drive()
    path = write_survey_package(drive, tmp_path / f"drive-{fmt}.zip", fmt=fmt, device="test phone")
    assert detect_format(path) == "kotacerdas-survey"
    got = import_survey(path)
    s = got.streams
    for name in ("t", "lat", "lon", "speed", "accuracy"):
        np.testing.assert_array_equal(getattr(s.track, name), getattr(drive.track, name))
    for name in ("accel", "gravity", "gyro"):
        np.testing.assert_array_equal(getattr(s, name).as_array(), getattr(drive, name).as_array())
    assert s.vehicle_id == "L 1234 AB" and s.metadata["device"] == "test phone"
    assert s.metadata["city"] == "surabaya"
    assert got.content_hash == streams_hash(drive)
    assert got.report.total_excluded == 0 and got.report.rows["accelerometer"] == len(drive.accel)
    # writing twice gives the same bytes (idempotent upload)
    again = write_survey_package(drive, tmp_path / "again.zip", fmt=fmt, device="test phone")
    assert again.read_bytes() == path.read_bytes()


def test_package_csv_and_parquet_hash_equal(tmp_path):
    drive = make_drive()
    a = import_survey(write_survey_package(drive, tmp_path / "a.zip", fmt="csv"))
    b = import_survey(write_survey_package(drive, tmp_path / "b.zip", fmt="parquet"))
    assert a.content_hash == b.content_hash
    other = make_drive(seed=2)
    assert streams_hash(other) != a.content_hash


def rewrite_zip(src: Path, dst: Path, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        files = {n: zin.read(n) for n in zin.namelist()}
        files = change(files)
        for n, data in files.items():
            zout.writestr(n, data)
    return dst


def test_package_refuses_tampered_or_incomplete(tmp_path):
    drive = make_drive()
    good = write_survey_package(drive, tmp_path / "good.zip")

    def cut(files):
        files["accelerometer.csv"] = files["accelerometer.csv"][:-40]
        return files

    with pytest.raises(RoadsError, match="SHA-256") as err:
        import_survey(rewrite_zip(good, tmp_path / "cut.zip", cut))
    assert err.value.record == "accelerometer.csv"

    def drop_accel(files):
        m = json.loads(files["manifest.json"])
        m["streams"] = [s for s in m["streams"] if s["name"] != "accelerometer"]
        files["manifest.json"] = json.dumps(m)
        return files

    with pytest.raises(RoadsError, match="no accelerometer stream"):
        import_survey(rewrite_zip(good, tmp_path / "noacc.zip", drop_accel))

    def bad_version(files):
        m = json.loads(files["manifest.json"])
        m["version"] = 2
        files["manifest.json"] = json.dumps(m)
        return files

    with pytest.raises(RoadsError, match="version 2"):
        import_survey(rewrite_zip(good, tmp_path / "v2.zip", bad_version))


def rehash(files: dict, name: str) -> dict:
    import hashlib

    m = json.loads(files["manifest.json"])
    for s in m["streams"]:
        if s["file"] == name:
            s["sha256"] = hashlib.sha256(files[name]).hexdigest()
    files["manifest.json"] = json.dumps(m)
    return files


def test_package_time_errors_name_the_row(tmp_path):
    drive = make_drive()
    good = write_survey_package(drive, tmp_path / "good.zip")

    def backwards(files):
        rows = files["location.csv"].decode().splitlines()
        rows[5], rows[6] = rows[6], rows[5]  # data rows 5 and 6 = lines 6 and 7
        files["location.csv"] = ("\n".join(rows) + "\n").encode()
        return rehash(files, "location.csv")

    with pytest.raises(RoadsError, match="before the previous one") as err:
        import_survey(rewrite_zip(good, tmp_path / "back.zip", backwards))
    assert err.value.record == "location.csv:7"

    def duplicate(files):
        rows = files["location.csv"].decode().splitlines()
        rows.insert(4, rows[3])
        files["location.csv"] = ("\n".join(rows) + "\n").encode()
        return rehash(files, "location.csv")

    got = import_survey(rewrite_zip(good, tmp_path / "dup.zip", duplicate))
    assert got.report.excluded == {"duplicate_timestamp": 1}
    assert got.report.examples == [("duplicate_timestamp", "location.csv:5")]
    assert len(got.streams.track) == len(drive.track)
    assert got.streams.metadata["excluded.duplicate_timestamp"] == "1"
