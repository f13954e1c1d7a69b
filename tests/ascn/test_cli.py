"""``kotacerdas ascn ...``: cities, projects, search and match as JSON, imports with row errors, duplicates,
reports and exports; errors exit 2 with the reason."""

from __future__ import annotations

import json

import openpyxl
import pytest
from typer.testing import CliRunner

from kotacerdas.cli import app
from kotacerdas.core import config


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("KOTACERDAS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KOTACERDAS_DATABASE_URL", raising=False)
    monkeypatch.setenv("KOTACERDAS_LANG", "en")
    config.get_settings.cache_clear()
    runner = CliRunner()
    run = lambda *args: runner.invoke(app, [str(a) for a in args], catch_exceptions=False)  # noqa: E731
    assert run("admin", "create-city", "35.10", "Kabupaten Banyuwangi").exit_code == 0
    from kotacerdas.ascn.demo import load_demo
    from kotacerdas.core.db import session_scope

    with session_scope() as s:
        load_demo(s)
    assert run("ascn", "embed", "--json").exit_code == 0
    yield run
    config.get_settings.cache_clear()


def test_cities_projects_search_and_match_as_json(cli):
    cities = json.loads(cli("ascn", "cities", "--json").output)
    assert (
        len(cities) == 31
        and {"name": "Da Nang", "country": "VN"}.items() <= next(c for c in cities if c["slug"] == "da-nang").items()
    )
    projects = json.loads(cli("ascn", "projects", "--json").output)
    assert len(projects) == 46 and all("title" in p for p in projects)
    hits = json.loads(cli("ascn", "search", "sensor parkir untuk mencari tempat kosong", "--json").output)
    assert hits[0]["title"] == "Parking sensors that guide drivers to free bays"
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    kampung = next(p for p in projects if p["title"].startswith("Smart Kampung"))
    out = json.loads(cli("ascn", "match", kampung["id"], "--support", "technical_assistance", "--json").output)
    assert out["partners"] and out["programmes"] and out["peers"] and out["partners"][0]["reasons"]
    r = cli("ascn", "match", 99999)
    assert r.exit_code == 2 and "No project with id 99999" in r.output


def test_import_names_bad_rows_and_writes_nothing(cli, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "projects"
    ws.append(["city", "title", "status", "budget", "currency"])
    ws.append(["Makassar", "Fine", "idea", None, None])
    ws.append(["Makassar", "Bad", "idea", "lots", "IDR"])
    path = tmp_path / "projects.xlsx"
    book.save(path)
    r = cli("ascn", "import", path, "--seat", "35.10")
    assert r.exit_code == 2 and "projects row 3" in r.output
    assert len(json.loads(cli("ascn", "projects", "--json").output)) == 46
    out = json.loads(cli("ascn", "import", path, "--seat", "35.10", "--skip-invalid", "--json").output)
    assert out["created"]["projects"] == 1 and out["skipped"][0]["column"] == "budget"
    assert json.loads(cli("ascn", "import", path, "--seat", "35.10", "--skip-invalid", "--json").output)[
        "already_imported"
    ]


def test_duplicates_merge_report_and_export(cli, tmp_path):
    dups = json.loads(cli("ascn", "duplicates", "--json").output)
    assert {"adb", "bank-pembangunan-asia"} == {dups[0]["a"], dups[0]["b"]}
    assert json.loads(cli("ascn", "merge", "adb", "bank-pembangunan-asia", "--json").output)["kept"] == "adb"
    assert json.loads(cli("ascn", "duplicates", "--json").output) == []
    pdf = tmp_path / "r.pdf"
    assert cli("ascn", "report", 2024, "--city", "makassar", "-o", pdf).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    csv_path = tmp_path / "partners.csv"
    assert cli("ascn", "export", "partners", "-o", csv_path).exit_code == 0
    assert "Asian Development Bank" in csv_path.read_text(encoding="utf-8-sig")


def test_city_editors_named_and_removed_from_the_command_line(cli):
    assert cli("users", "create", "officer.hanoi", "--password", "long-enough-pw").exit_code == 0
    out = json.loads(cli("ascn", "city-editors", "hanoi", "--add", "officer.hanoi", "--json").output)
    assert out == {"city": "hanoi", "editors": ["officer.hanoi"]}
    assert json.loads(cli("ascn", "city-editors", "hanoi", "--json").output)["editors"] == ["officer.hanoi"]
    out = json.loads(cli("ascn", "city-editors", "hanoi", "--remove", "officer.hanoi", "--json").output)
    assert out["editors"] == []
    r = cli("ascn", "city-editors", "hanoi", "--add", "nobody.here")
    assert r.exit_code == 2 and "No user nobody.here" in r.output
