"""``kotacerdas lorong ...``: themes (name_id / name_en), starting a programme, import and export round trip,
scores, rankings, dashboard, the PDF/Excel report; bad input exits 2 with one line."""

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
    config.get_settings.cache_clear()
    runner = CliRunner()
    run = lambda *args: runner.invoke(app, [str(a) for a in args], catch_exceptions=False)  # noqa: E731
    assert run("admin", "create-city", "73.71", "Kota Makassar").exit_code == 0
    yield run
    config.get_settings.cache_clear()


def test_themes_json_before_and_after_the_programme_is_stored(cli):
    r = cli("lorong", "themes", "--json")
    assert r.exit_code == 0, r.output
    themes = json.loads(r.output)
    assert len(themes) == 21 and themes[0]["name_id"] == "Ketahanan pangan" and themes[0]["name_en"] == "Food security"
    sk = json.loads(cli("lorong", "themes", "--programme", "smart-kampung", "--json").output)
    assert [t["code"] for t in sk][:2] == ["pelayanan-publik", "pemberdayaan-ekonomi"] and len(sk) == 7
    assert cli("lorong", "start", "--city", "73.71").exit_code == 0
    stored = json.loads(cli("lorong", "themes", "--city", "73.71", "--json").output)
    assert [t["code"] for t in stored] == [t["code"] for t in themes]
    text = cli("lorong", "themes").output
    assert " 1. ketahanan-pangan" in text and "Food security" in text
    bad = cli("lorong", "themes", "--programme", "no-such")
    assert bad.exit_code == 2 and "No built-in programme no-such" in bad.output


def test_import_export_scores_dashboard_report(cli, tmp_path):
    cli("lorong", "start", "--city", "73.71")
    units = tmp_path / "units.csv"
    units.write_text(
        "code,name,kecamatan_code,kelurahan_code,themes,geometry\n"
        'lr-1,Lorong Satu,73.71.03,73.71.03.1003,seni;destinasi-kuliner,"LINESTRING(119.42 -5.14, 119.421 -5.141)"\n'
        'lr-2,Lorong Dua,73.71.03,73.71.03.9999,seni,"LINESTRING(119.42 -5.14, 119.421 -5.141)"\n'
    )
    r = cli("lorong", "import", units, "--json")
    out = json.loads(r.output)
    assert out["created"] == 1 and out["errors"] == [
        {"row": 3, "column": "kelurahan_code", "reason": "Record 3: Unknown kelurahan 73.71.03.9999"}
    ]
    r = cli("lorong", "import", units)
    assert r.exit_code == 0 and "already imported" in r.output
    values = tmp_path / "values.csv"
    values.write_text("unit,period,indicator,value\nlr-1,2025-03,mural,3\nlr-1,2025-03,gerai-kuliner,5\n")
    assert "values: 2 created, 0 updated" in cli("lorong", "import", values).output
    exported = cli("lorong", "export", "--kind", "values").output
    assert exported.splitlines() == [
        "unit,period,indicator,value",
        "lr-1,2025-03,gerai-kuliner,5.0",
        "lr-1,2025-03,mural,3.0",
    ]
    xlsx = tmp_path / "units.xlsx"
    assert cli("lorong", "export", "--kind", "units", "--format", "xlsx", "--output", xlsx).exit_code == 0
    assert load_workbook(xlsx).active["A2"].value == "lr-1"
    again = json.loads(cli("lorong", "import", xlsx, "--json").output)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)
    scored = json.loads(cli("lorong", "scores", "--until", "2025-03", "--json").output)
    assert scored["units"] == 1 and scored["until"] == "2025-03"
    d = json.loads(cli("lorong", "dashboard", "--json", "--periods", "3").output)
    assert d["reports"][-1]["submitted"] == 1
    pdf = tmp_path / "r.pdf"
    assert cli("lorong", "report", "--output", pdf).exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")
    assert cli("lorong", "rankings", "--json").exit_code == 0
    assert cli("lorong", "import", tmp_path / "missing.csv").exit_code == 2


def test_officer_add_list_remove(cli, monkeypatch):
    monkeypatch.setenv("KOTACERDAS_NEW_PASSWORD", "correct-horse-battery")
    assert cli("users", "create", "pak.lurah", "--role", "73.71:lurah").exit_code == 0
    assert cli("users", "create", "bu.koordinator", "--role", "73.71:lorong_coordinator").exit_code == 0
    assert "No lurah has a kelurahan assigned yet" in cli("lorong", "officer", "list", "--city", "73.71").output
    r = cli("lorong", "officer", "add", "pak.lurah", "--city", "73.71", "-k", "73.71.03.1003", "--json")
    assert r.exit_code == 0 and json.loads(r.output) == {"username": "pak.lurah", "kelurahan_codes": ["73.71.03.1003"]}
    cli("lorong", "officer", "add", "pak.lurah", "--city", "73.71", "-k", "73.71.01.1001")
    listed = json.loads(cli("lorong", "officer", "list", "--city", "73.71", "--json").output)
    assert listed == [{"username": "pak.lurah", "kelurahan_codes": ["73.71.01.1001", "73.71.03.1003"]}]
    bad = cli("lorong", "officer", "add", "bu.koordinator", "--city", "73.71", "-k", "73.71.03.1003")
    assert bad.exit_code == 2 and "bu.koordinator is not a lurah in city 73.71" in bad.output
    bad = cli("lorong", "officer", "add", "pak.lurah", "--city", "73.71", "-k", "73.71.03.9999")
    assert bad.exit_code == 2 and "73.71.03.9999 is not a kelurahan of city 73.71" in bad.output
    r = cli("lorong", "officer", "remove", "pak.lurah", "--city", "73.71", "-k", "73.71.01.1001")
    assert r.exit_code == 0 and "pak.lurah no longer verifies: 73.71.01.1001" in r.output
    assert "73.71.03.1003" in cli("lorong", "officer", "list", "--city", "73.71").output
    assert json.loads(cli("lorong", "officer", "remove", "pak.lurah", "--city", "73.71", "--json").output) == {
        "username": "pak.lurah",
        "removed": ["73.71.03.1003"],
    }


def test_the_indonesian_cli_names_periods_and_sheets_in_indonesian(cli, monkeypatch, tmp_path):
    cli("lorong", "start", "--city", "73.71")
    units = tmp_path / "units.csv"
    units.write_text(
        "code,name,kecamatan_code,kelurahan_code,themes,geometry\n"
        'lr-1,Lorong Satu,73.71.03,73.71.03.1003,seni,"LINESTRING(119.42 -5.14, 119.421 -5.141)"\n'
    )
    values = tmp_path / "values.csv"
    values.write_text("unit,period,indicator,value\nlr-1,2025-03,acara-seni,2\n")
    monkeypatch.setenv("KOTACERDAS_LANG", "id")
    assert "(bulan)" in cli("lorong", "programmes").output
    assert cli("lorong", "import", units).output.startswith("unit: 1 dibuat")
    out = cli("lorong", "import", values).output
    assert out.startswith("nilai: 1 dibuat") and "values" not in out


def test_rankings_inside_a_kecamatan_and_an_unknown_area(cli, tmp_path):
    cli("lorong", "start", "--city", "73.71")
    units = tmp_path / "units.csv"
    units.write_text(
        "code,name,kecamatan_code,kelurahan_code,themes,geometry\n"
        'lr-1,Lorong Satu,73.71.03,73.71.03.1003,seni,"LINESTRING(119.42 -5.14, 119.421 -5.141)"\n'
        'lr-2,Lorong Dua,73.71.01,73.71.01.1001,seni,"LINESTRING(119.42 -5.14, 119.421 -5.141)"\n'
    )
    assert json.loads(cli("lorong", "import", units, "--json").output)["created"] == 2
    assert "Nothing to rank" in cli("lorong", "rankings", "--level", "kelurahan", "--area", "73.71.03").output
    cli("lorong", "scores", "--until", "2025-03")
    r = cli("lorong", "rankings", "--level", "kelurahan", "--area", "73.71.03")
    assert r.exit_code == 0 and "Maradekaya" in r.output and "Bontorannu" not in r.output
    bad = cli("lorong", "rankings", "--level", "kelurahan", "--area", "73.71.99")
    assert bad.exit_code == 2 and "no kecamatan or kelurahan with the code 73.71.99" in bad.output
