"""``kotacerdas bikes ...`` on a fresh SQLite database: demo, listings, imports, forecast, plan, GBFS files."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kotacerdas.bikes.services import feed_cache
from kotacerdas.cli import app
from kotacerdas.core import config


@pytest.fixture(scope="module")
def demo_cli(tmp_path_factory):
    """One demo database for the module (loading it takes seconds)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KOTACERDAS_DATA_DIR", str(tmp_path_factory.mktemp("bikes-cli") / "data"))
        mp.delenv("KOTACERDAS_DATABASE_URL", raising=False)
        mp.setenv("KOTACERDAS_LANG", "en")
        config.get_settings.cache_clear()
        feed_cache.invalidate()
        runner = CliRunner()

        def cli(*args):
            return runner.invoke(app, list(args), catch_exceptions=False)

        r = cli("demo", "--no-serve", "--json")
        assert r.exit_code == 0, r.output
        assert json.loads(r.output)["bikes"]["stations"] == 15
        yield cli
        config.get_settings.cache_clear()


def test_listings(demo_cli):
    r = demo_cli("bikes", "systems", "list", "--json")
    assert [s["system_id"] for s in json.loads(r.output)] == ["banyuwangi"]
    r = demo_cli("bikes", "stations", "list", "--json")
    rows = json.loads(r.output)
    assert len(rows) >= 15 and all(s["kecamatan"]["code"] for s in rows)
    r = demo_cli("bikes", "bikes", "list", "--status", "broken", "--json")
    assert len(json.loads(r.output)) == 3
    assert "(demo)" in demo_cli("bikes", "systems", "list").output


def test_imports_are_idempotent(demo_cli, tmp_path):
    stations = tmp_path / "s.geojson"
    stations.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [114.36, -8.22]},
                        "properties": {"station_id": "baru", "name": "Stasiun Baru", "capacity": 8},
                    }
                ],
            }
        )
    )
    out = json.loads(demo_cli("bikes", "stations", "import", str(stations), "--json").output)
    assert out == {"created": 1, "updated": 0}
    out = json.loads(demo_cli("bikes", "stations", "import", str(stations), "--json").output)
    assert out == {"created": 0, "updated": 1}
    trips = tmp_path / "t.csv"
    trips.write_text(
        "trip_id,bike_id,start_station_id,end_station_id,start_time,end_time\n"
        "x1,bwi-0001,baru,sritanjung,2025-04-01T07:00:00+07:00,2025-04-01T07:15:00+07:00\n"
    )
    first = json.loads(demo_cli("bikes", "trips", "import", str(trips), "--json").output)
    assert first["imported"] == 1 or first["already_imported"]
    assert json.loads(demo_cli("bikes", "trips", "import", str(trips), "--json").output)["already_imported"]
    r = demo_cli("bikes", "trips", "import", str(trips), "--system", "nowhere")
    assert r.exit_code == 2 and "nowhere" in r.output
    from tests.cli.test_platform import cli_audit

    assert {"bikes.stations.import", "bikes.trips.import"} <= cli_audit()


def test_forecast_rebalance_and_gbfs_files(demo_cli, tmp_path):
    out = json.loads(demo_cli("bikes", "forecast", "--hours", "3", "--json").output)
    assert out["trips_used"] > 1000 and len(out["stations"]) >= 15
    plan = json.loads(demo_cli("bikes", "rebalance", "--trucks", "1", "--json").output)
    assert plan["problems"] == [] and plan["distance_source"] in ("road_network", "haversine")
    assert "van-1" in demo_cli("bikes", "rebalance", "--trucks", "1").output
    r = demo_cli("bikes", "gbfs", str(tmp_path / "out"), "--json")
    files = json.loads(r.output)["files"]
    assert any(f.endswith("v3/banyuwangi/station_status.json") for f in files)
    assert any(f.endswith("v2/banyuwangi/en/free_bike_status.json") for f in files)
    doc = json.loads((tmp_path / "out" / "gbfs" / "v3" / "banyuwangi" / "gbfs.json").read_text())
    assert doc["version"] == "3.0"


def test_route_tour_and_route_files_from_the_command_line(demo_cli):
    import gpxpy

    town, kemiren = "114.3676,-8.2137", "114.3377,-8.1856"
    r = demo_cli("bikes", "route", "--city", "35.10", "--from", town, "--to", kemiren, "--profile", "quiet")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["distance_m"] > 3000 and out["duration_s"] > 0 and out["geometry"]["type"] == "LineString"
    assert out["instructions"][-1]["kind"] == "arrive" and {"id", "en"} <= set(out["instructions"][0]["text"])
    gpx = demo_cli("bikes", "route", "--city", "35.10", "--from", town, "--to", kemiren, "--format", "gpx")
    assert len(gpxpy.parse(gpx.output).tracks[0].segments[0].points) == len(out["geometry"]["coordinates"])
    far = demo_cli("bikes", "route", "--city", "35.10", "--from", town, "--to", "115.9,-8.2")
    assert far.exit_code != 0 and "km" in far.output
    plan = demo_cli("bikes", "tour", "plan", "--start", "blambangan", "--date", "2025-06-10", "--budget", "180")
    assert plan.exit_code == 0 and plan.output.startswith("1. ")
    night = demo_cli(
        "bikes", "tour", "plan", "--start", "blambangan", "--date", "2025-06-10", "--time", "22:30",
        "--budget", "90", "--interest", "culture=0", "--interest", "viewpoint=0",
    )  # fmt: skip
    assert night.exit_code == 0 and "The earliest start with a visit: 2025-06-11" in night.output
    kml = demo_cli("bikes", "routes", "export", "banyuwangi-city-tour", "--format", "kml")
    assert kml.exit_code == 0 and "<LineString>" in kml.output.replace("kml:", "")


def test_a_planned_tour_prints_as_a_file(demo_cli):
    import gpxpy

    args = ("bikes", "tour", "plan", "--start", "blambangan", "--date", "2025-06-10", "--budget", "180")
    gpx = demo_cli(*args, "--format", "gpx")
    assert gpx.exit_code == 0, gpx.output
    track = gpxpy.parse(gpx.output)
    assert track.version == "1.1" and len(track.tracks[0].segments[0].points) > 10
    assert [w.type for w in track.waypoints][0] == "start" and track.waypoints[-1].type == "end"
    geojson = json.loads(demo_cli(*args, "--format", "geojson", "--alt", "1").output)
    assert geojson["type"] == "FeatureCollection" and geojson["features"][0]["geometry"]["type"] == "LineString"
    assert "<Document>" in demo_cli(*args, "--format", "kml").output.replace("ns0:", "")
    assert json.loads(demo_cli(*args, "--format", "json").output)["tours"]
    bad = demo_cli(*args, "--format", "shp")
    assert bad.exit_code == 2 and "unknown format shp" in bad.output


def test_gbfs_files_with_a_base_url_pass_a_third_party_validator(demo_cli, tmp_path):
    """The written folder is a complete feed: every URL in it (the manifest_url too) names a file that exists,
    and MobilityData's rules (gbfs-validator, from PyPI) find nothing to report in v3.0 and v2.3."""
    from gbfs_validator import validate_feed

    out = tmp_path / "site"
    base = out.resolve().as_uri()
    r = demo_cli("bikes", "gbfs", str(out), "--base-url", base, "--json")
    assert r.exit_code == 0, r.output
    info = json.loads((out / "gbfs" / "v3" / "banyuwangi" / "system_information.json").read_text())
    manifest_url = info["data"]["manifest_url"]
    assert manifest_url == f"{base}/gbfs/manifest.json"
    assert (out / "gbfs" / "manifest.json").is_file()
    for discovery in ("v3/banyuwangi/gbfs.json", "v2/banyuwangi/gbfs.json"):
        report = validate_feed(f"{base}/gbfs/{discovery}", docked=True)
        problems = [
            (f.get("file"), e.get("instancePath"), e.get("message"))
            for f in report["files"]
            for body in (f.get("errors") or [] if isinstance(f.get("errors"), list) else [])
            for e in ([body] if isinstance(body, dict) else [])
        ]
        assert report["summary"]["hasErrors"] is False, (discovery, problems, report["summary"])
        assert all(f.get("exists", True) for f in report["files"] if f.get("required")), discovery
        if discovery.startswith("v3"):  # the validator followed manifest_url and found the file
            manifests = [f for f in report["files"] if f.get("file") == "manifest.json"]
            assert any(f.get("exists") for f in manifests), manifests
