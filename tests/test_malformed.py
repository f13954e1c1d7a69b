"""The malformed-input corpus (:mod:`tests.malformed`) sent to every file importer of the API and the command line.

Every bad file gets a 4xx answer in problem details (a background job: ``failed`` with the reason, never
``Internal error``) or, on the command line, a non-zero exit and a line saying what is wrong (followed by each bad
row where a command lists them, as ``ascn import`` does), no traceback; and the
database is as it was (the rows of the tables the importer writes are counted before and after). The few files an
importer accepts, counting what it left out, are listed in ``ACCEPTED``. Both backends (``backend`` fixture).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tests import malformed
from tests.conftest import token_for


@dataclass(frozen=True)
class Importer:
    """One upload endpoint: who may use it, its file field, other fields, and the tables it writes."""

    path: str
    user: str
    corpus: Any
    tables: tuple[str, ...]
    file_field: str = "file"
    data: dict[str, str] = field(default_factory=dict)
    other_files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


def _reference() -> tuple[str, bytes]:
    return ("ref.csv", b"from_m,to_m,iri_m_per_km\n0,100,3.0\n100,200,4.0\n")


def _drive() -> tuple[str, bytes]:
    name, filename, data = next(c for c in malformed.survey_files() if c[0] == "a GPS speed of inf")
    return (filename, data)


IMPORTERS = {
    "admin areas": Importer(
        "/api/v1/cities/35.10/admin-areas", "cityadmin.3510", malformed.geojson_areas, ("admin_areas",)
    ),
    "road network": Importer(
        "/api/v1/cities/35.10/network", "roadofficer.3510", malformed.osm_files, ("road_segments",)
    ),
    "survey": Importer(
        "/api/v1/roads/cities/35.10/surveys",
        "fieldsurveyor.3510",
        malformed.survey_files,
        ("road_surveys", "road_intervals", "road_vehicles"),
        data={"vehicle": "BWI-1"},
    ),
    "calibration drive": Importer(
        "/api/v1/roads/cities/35.10/vehicles/BWI-CAL/calibration",
        "roadofficer.3510",
        malformed.survey_files,
        ("road_vehicles",),
        file_field="survey",
        other_files={"reference": _reference()},
    ),
    "calibration reference": Importer(
        "/api/v1/roads/cities/35.10/vehicles/BWI-CAL/calibration",
        "roadofficer.3510",
        lambda: malformed.reference_files() + malformed.profile_files(),
        ("road_vehicles",),
        file_field="reference",
        other_files={"survey": _drive()},
    ),
    "stations": Importer(
        "/api/v1/bikes/systems/uji/stations/import",
        "bikeoperator.3510",
        lambda: malformed.station_csvs() + malformed.geojson_stations(),
        ("bike_stations",),
    ),
    "trips": Importer(
        "/api/v1/bikes/systems/uji/trips/import", "bikeoperator.3510", malformed.trip_csvs, ("bike_rentals",)
    ),
    "lorong": Importer(
        "/api/v1/lorong/imports/35.10/smart-kampung",
        "lorongadmin.3510",
        malformed.spreadsheet_files,
        ("lorong_units", "lorong_activities", "lorong_report_values"),
    ),
    "ascn": Importer(
        "/api/v1/ascn/imports",
        "ascnsecretariat.3510",
        malformed.spreadsheet_files,
        ("ascn_partners", "ascn_projects", "ascn_partnerships"),
        data={"kind": "partners"},
    ),
}

#: Files an importer accepts: what it leaves out is counted and reported.
ACCEPTED = {
    "survey": {"a GPS speed of inf", "a GPX speed of inf"},  # the speeds are unknown: excluded.bad_speed
}


def _counts(engine, tables: tuple[str, ...]) -> dict[str, int]:
    with engine.connect() as c:
        base = {t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}
        base["import_batches"] = c.execute(text("SELECT count(*) FROM import_batches")).scalar_one()
    return base


def _refused(r) -> str | None:
    """Why a response is not a clean refusal (``None`` when it is one)."""
    if r.status_code == 202:
        job = r.json()
        if job["status"] != "failed":
            return f"job {job['status']}"
        if job["error"]["detail"] in ("Internal error", "Kesalahan internal"):
            return f"job failed with an internal error: {job['error']}"
        return None
    if not 400 <= r.status_code < 500:
        return f"HTTP {r.status_code}: {r.text[:300]}"
    if not r.headers.get("content-type", "").startswith("application/problem+json"):
        return f"HTTP {r.status_code} is not problem details: {r.headers.get('content-type')}"
    if not r.json().get("detail"):
        return "a problem without a detail"
    return None


@pytest.fixture
def uploads(client, seeded):
    """The client with the bike system ``uji``, the vehicle ``BWI-CAL`` and the programme Smart Kampung stored."""
    from kotacerdas.bikes.services import feed_cache
    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope
    from kotacerdas.lorong import seeds
    from kotacerdas.lorong.services.programmes import ensure_programme
    from tests.bikes.factories import make_system

    feed_cache.invalidate()
    make_system(seeded)
    with session_scope(seeded) as s:
        ensure_programme(s, accounts.get_city(s, "35.10"), seeds.SMART_KAMPUNG)
    h = token_for(client, "roadofficer.3510")
    assert client.post("/api/v1/roads/cities/35.10/vehicles", headers=h, json={"id": "BWI-CAL"}).status_code == 201
    return client


@pytest.mark.slow
@pytest.mark.parametrize("importer", sorted(IMPORTERS))
def test_every_malformed_file_is_refused_with_a_4xx_and_nothing_changes(importer, uploads, seeded):
    spec = IMPORTERS[importer]
    headers = token_for(uploads, spec.user)
    failures = []
    for name, filename, data in spec.corpus():
        before = _counts(seeded, spec.tables)
        files = {spec.file_field: (filename, data), **spec.other_files}
        r = uploads.post(spec.path, headers=headers, files=files, data=spec.data)
        if name in ACCEPTED.get(importer, ()):
            assert r.status_code in (200, 201, 202) and r.json().get("status", "done") == "done", (name, r.text)
            continue
        why = _refused(r)
        after = _counts(seeded, spec.tables)
        if why or after != before:
            failures.append((name, why or f"the database changed: {before} -> {after}"))
    assert not failures, failures


def test_admin_areas_near_that_is_not_a_number_is_a_400(client):
    r = client.get("/api/v1/admin-areas", params={"near": "abc", "within_m": 10})
    assert 400 <= r.status_code < 500 and r.headers["content-type"].startswith("application/problem+json"), r.text
    assert "near" in r.text


# -- the command line --------------------------------------------------------------------------------------------

CLI = {
    "iri": (lambda: malformed.profile_files(), lambda p: ["roads", "iri", str(p)], ()),
    "network": (
        malformed.osm_files,
        lambda p: ["roads", "network", "import", str(p), "--city", "35.10"],
        ("road_segments",),
    ),
    "survey": (
        lambda: [c for c in malformed.survey_files() if c[0] not in ACCEPTED["survey"]],
        lambda p: ["roads", "survey", "import", str(p), "--city", "35.10", "--vehicle", "BWI-1", "--no-keep-raw"],
        ("road_surveys", "road_vehicles"),
    ),
    "admin areas": (
        malformed.geojson_areas,
        lambda p: ["admin", "import-areas", str(p), "--city", "35.10"],
        ("admin_areas",),
    ),
    "stations": (
        lambda: malformed.station_csvs() + malformed.geojson_stations(),
        lambda p: ["bikes", "stations", "import", str(p), "--system", "uji"],
        ("bike_stations",),
    ),
    "trips": (
        malformed.trip_csvs,
        lambda p: ["bikes", "trips", "import", str(p), "--system", "uji"],
        ("bike_rentals",),
    ),
    "calibration reference": (
        lambda: malformed.reference_files() + malformed.profile_files(),
        lambda p: (
            ["roads", "vehicles", "calibrate", str(p.parent / "drive.zip"), "--vehicle", "BWI-CAL"]
            + ["--reference", str(p), "--city", "35.10"]
        ),
        ("road_vehicles",),
    ),
    "ascn": (
        malformed.spreadsheet_files,
        lambda p: ["ascn", "import", str(p), "--seat", "35.10", "--kind", "partners"],
        ("ascn_partners", "ascn_projects", "ascn_partnerships"),
    ),
}


@pytest.fixture
def cli_db(sqlite_engine, tmp_path, monkeypatch):
    """The command line on a seeded SQLite database (it is named by its URL) with the bike system ``uji``."""
    from kotacerdas.bikes.services import feed_cache
    from kotacerdas.core.config import get_settings
    from tests.bikes.factories import make_system
    from tests.conftest import seed

    seeded = seed(sqlite_engine)
    feed_cache.invalidate()
    make_system(seeded)
    monkeypatch.setenv("KOTACERDAS_DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    monkeypatch.setenv("KOTACERDAS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KOTACERDAS_LANG", "en")
    get_settings.cache_clear()
    yield seeded
    get_settings.cache_clear()


@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(CLI))
def test_every_malformed_file_on_the_command_line_exits_with_one_line(command, cli_db, tmp_path: Path):
    from kotacerdas.cli.app import app

    corpus, args, tables = CLI[command]
    (tmp_path / "drive.zip").write_bytes(_drive()[1])  # the calibration drive of a reference
    failures = []
    runner = CliRunner()
    for k, (name, filename, data) in enumerate(corpus()):
        path = tmp_path / f"{k}-{filename}"
        path.write_bytes(data)
        before = _counts(cli_db, tables)
        out = runner.invoke(app, args(path))
        lines = [line for line in out.output.splitlines() if line.strip()]
        if out.exception is not None and not isinstance(out.exception, SystemExit):
            failures.append((name, f"{type(out.exception).__name__}: {out.exception}"[:300]))
        elif out.exit_code == 0 or not lines or not lines[0].startswith("Error: ") or "Traceback" in out.output:
            failures.append((name, f"exit {out.exit_code}: {out.output[-300:]}"))
        elif _counts(cli_db, tables) != before:
            failures.append((name, "the database changed"))
    assert not failures, failures
