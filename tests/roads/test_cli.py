"""``kotacerdas roads ...``: network import, survey import (idempotent), vehicles calibrate, exact IRI,
segments export, report, summary; errors exit 2 with a clear message."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from kotacerdas.cli import app
from kotacerdas.core import config


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("KOTACERDAS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KOTACERDAS_DATABASE_URL", raising=False)
    monkeypatch.setenv("KOTACERDAS_LANG", "en")
    monkeypatch.setenv("KOTACERDAS_PROGRESS", "0")
    config.get_settings.cache_clear()
    runner = CliRunner()
    run = lambda *args, **kw: runner.invoke(app, [str(a) for a in args], catch_exceptions=False, **kw)  # noqa: E731
    assert run("admin", "create-city", "35.10", "Kabupaten Banyuwangi").exit_code == 0
    yield run
    config.get_settings.cache_clear()


def test_help(cli):
    for args in (
        ["roads", "--help"],
        ["roads", "network", "import", "--help"],
        ["roads", "survey", "import", "--help"],
        ["roads", "vehicles", "calibrate", "--help"],
        ["roads", "iri", "--help"],
        ["roads", "segments", "--help"],
        ["roads", "report", "--help"],
    ):
        r = cli(*args)
        assert r.exit_code == 0 and "Usage" in r.output, args


def test_network_survey_segments_report(cli, roads_osm, roads_survey, tmp_path):
    r = cli("roads", "network", "import", roads_osm, "--city", "35.10", "--json")
    assert r.exit_code == 0, r.output
    net = json.loads(r.output)
    assert net["created"] == net["segments"] > 20
    from sqlalchemy import create_engine, text

    stored = create_engine(config.get_settings().database_url)  # the bicycle routing graphs, built once
    with stored.connect() as conn:
        profiles = {row[0] for row in conn.execute(text("SELECT profile FROM network_graphs"))}
    stored.dispose()
    assert profiles == {"quiet", "fast", "shortest"}
    r = cli("roads", "network", "import", roads_osm, "--city", "35.10")
    assert "Already imported" in r.output
    r = cli("roads", "survey", "import", roads_survey, "--vehicle", "BWI-01", "--city", "35.10")
    assert r.exit_code == 0 and "Survey 1:" in r.output and "not calibrated" in r.output
    # this recording has no gyroscope, so no turn could place it; numbers in the output's locale
    assert "No gyroscope in the recording" in r.output and "Drive length 2," in r.output
    again = json.loads(
        cli("roads", "survey", "import", roads_survey, "--vehicle", "BWI-01", "--city", "35.10", "--json").output
    )
    assert again["already_imported"] and again["survey_id"] == 1
    listed = json.loads(cli("roads", "survey", "list", "--city", "35.10", "--json").output)
    assert len(listed) == 1 and listed[0]["vehicle"] == "BWI-01"

    gj = json.loads(cli("roads", "segments", "--city", "35.10", "--format", "geojson").output)
    assert len(gj["features"]) == net["segments"]
    out = tmp_path / "seg.csv"
    r = cli("roads", "segments", "--city", "35.10", "--format", "csv", "--out", out)
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == net["segments"] and rows[0]["wkt"].startswith("LINESTRING")
    measured = [x for x in rows if x["class"]]
    assert measured and all(float(x["iri_m_per_km"]) >= 0 for x in measured)
    # no camera drive yet: every measured segment is graded by its IRI alone and says the SDI is missing
    assert {(x["basis"], x["missing"], x["sdi"]) for x in measured} == {("iri_only", "sdi", "")}
    assert all(x["combined_class"] == x["class"] for x in measured)
    assert {(f["properties"]["basis"], tuple(f["properties"]["missing"])) for f in gj["features"]} == {
        ("iri_only", ("sdi",)),
        ("none", ("iri", "sdi")),
    }

    xlsx = tmp_path / "report.xlsx"
    r = cli("roads", "report", "--city", "35.10", "--out", xlsx, "--json")
    assert r.exit_code == 0
    wb = load_workbook(xlsx)
    total = list(wb["Kecamatan"].iter_rows(values_only=True))[-1]
    assert total[2] == pytest.approx(net["length_km"], abs=0.01)
    summ = json.loads(cli("roads", "summary", "--city", "35.10", "--json").output)
    assert summ["measured_km"] == pytest.approx(sum(total[4:8]), abs=0.01)


def test_vehicles_calibrate(cli, roads_osm, roads_calibration):
    drive, ref = roads_calibration
    r = cli("roads", "vehicles", "calibrate", drive, "--vehicle", "BWI-CAL", "--reference", ref, "--json")
    assert r.exit_code == 0, r.output
    cal = json.loads(r.output)
    assert cal["calibrated"] and cal["vehicle_id"] == "BWI-CAL" and cal["n_intervals"] >= 10
    vs = json.loads(cli("roads", "vehicles", "list", "--city", "35.10", "--json").output)
    assert vs[0]["calibrated"]


def test_exact_iri(cli, tmp_path):
    import numpy as np

    from kotacerdas.roads.iri import iri_intervals
    from kotacerdas.roads.profiles import iso8608_profile

    prof = iso8608_profile(300.0, "C", dx=0.25, tracks=2, seed=3)
    path = tmp_path / "profile.csv"
    lines = ["distance,left,right"] + [
        f"{x:.3f},{a:.6f},{b:.6f}" for x, (a, b) in zip(prof.distance, prof.elevations, strict=False)
    ]
    path.write_text("\n".join(lines) + "\n")
    out = json.loads(cli("roads", "iri", path, "--interval", "100", "--json").output)
    left = out["tracks"]["left"]["intervals"]
    assert len(left) == 3
    e = np.round(prof.elevations[:, 0], 6)
    expect = iri_intervals(e, 0.25, 100.0)
    assert [iv["iri_m_per_km"] for iv in left] == pytest.approx(list(expect.iri), rel=1e-4)
    assert left[0]["iri_in_per_mi"] == pytest.approx(left[0]["iri_m_per_km"] * 63.36, rel=1e-5)
    text = cli("roads", "iri", path).output
    assert "in/mi" in text and "right" in text


def test_exact_iri_of_the_astm_erd_file(cli, shared_dir):
    path = shared_dir / "data/roads/profiles/basic.erd"
    if not path.exists():
        pytest.skip("basic.erd absent")
    out = json.loads(cli("roads", "iri", path, "--json").output)
    values = sorted(t["iri_in_per_mi"] for t in out["tracks"].values())
    assert values == pytest.approx([163.0, 183.2], abs=0.1)


def test_errors_exit_2(cli, tmp_path, roads_osm):
    bad = tmp_path / "x.txt"
    bad.write_text("nothing")
    r = cli("roads", "survey", "import", bad, "--vehicle", "V", "--city", "35.10")
    assert r.exit_code == 2 and "not a survey format" in r.output
    r = cli("roads", "network", "import", roads_osm, "--city", "99.99")
    assert r.exit_code == 2
    r = cli("roads", "segments", "--city", "35.10", "--format", "shp")
    assert r.exit_code == 2 and "geojson or csv" in r.output
    r = cli("roads", "iri", bad)
    assert r.exit_code == 2 and "profile CSV needs 2 or 3 columns" in r.output


def test_a_vehicle_camera_from_the_command_line(cli, monkeypatch):
    """``roads vehicles camera``: shows the camera model, changes the settings given (the others stay), refuses a
    setting out of its range naming it, audits the change with the CLI as the actor; what the API then reads."""
    from sqlalchemy import create_engine, text

    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from kotacerdas.roads.services.vehicles import ensure_vehicle

    with session_scope(write=True) as s:
        ensure_vehicle(s, accounts.get_city(s, "35.10").id, "BWI-CAM-09")
    shown = json.loads(cli("roads", "vehicles", "camera", "BWI-CAM-09", "--json").output)
    assert shown == {
        "height_m": 1.3,
        "pitch_deg": 12.0,
        "hfov_deg": 70.0,
        "offset_right_m": 0.0,
        "max_range_m": 25.0,
        "vehicle": "BWI-CAM-09",
    }
    r = cli("roads", "vehicles", "camera", "BWI-CAM-09", "--height", "1.55", "--pitch", "14")
    assert r.exit_code == 0 and "Camera of BWI-CAM-09: 1.55 m high, pitched 14.0° down, 70.0° wide" in r.output
    bad = cli("roads", "vehicles", "camera", "BWI-CAM-09", "--hfov", "190")
    assert bad.exit_code == 2 and "camera hfov_deg must be between 20.0 and 170.0" in bad.output
    monkeypatch.setenv("KOTACERDAS_LANG", "id")
    r = cli("roads", "vehicles", "camera", "BWI-CAM-09")
    assert "Kamera BWI-CAM-09: tinggi 1,55 m, menunduk 14,0°, lebar pandang 70,0°" in r.output
    missing = cli("roads", "vehicles", "camera", "TIDAK-ADA", "--city", "35.10")
    assert missing.exit_code == 2 and "TIDAK-ADA" in missing.output
    with session_scope() as s:
        from kotacerdas.roads.services.vehicles import city_vehicle, vehicle_camera

        camera = vehicle_camera(city_vehicle(s, accounts.get_city(s, "35.10").id, "BWI-CAM-09"))
    assert (camera.height_m, camera.pitch_deg, camera.hfov_deg) == (1.55, 14.0, 70.0)
    stored = create_engine(config.get_settings().database_url)
    with stored.connect() as conn:
        query = text("SELECT target, detail FROM audit_events WHERE action = 'roads.vehicle.camera'")
        audits = conn.execute(query).all()
    stored.dispose()
    assert [(t, json.loads(d)) for t, d in audits] == [
        ("BWI-CAM-09", {"source": "cli", "height_m": 1.55, "pitch_deg": 14.0})
    ]
