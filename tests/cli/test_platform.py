"""The ``kotacerdas`` command: help, db upgrade, demo, users, admin areas, data fetch, errors and --json."""

from __future__ import annotations

import json

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
    yield lambda *args, **kw: runner.invoke(app, list(args), catch_exceptions=False, **kw)
    config.get_settings.cache_clear()


def test_every_command_has_help(cli):
    for args in (
        ["--help"],
        ["db", "upgrade", "--help"],
        ["demo", "--help"],
        ["serve", "--help"],
        ["users", "create", "--help"],
        ["admin", "import-areas", "--help"],
        ["data", "fetch", "--help"],
    ):
        r = cli(*args)
        assert r.exit_code == 0 and "Usage" in r.output, args


def test_db_upgrade_json(cli):
    r = cli("db", "upgrade", "--json")
    assert r.exit_code == 0
    out = json.loads(r.output)
    assert out["to"] and out["database"].startswith("sqlite:///")


def test_demo_loads_once_and_prints_login(cli, tmp_path):
    r = cli("demo", "--no-serve")
    assert r.exit_code == 0 and "admin / demo-kotacerdas" in r.output
    again = json.loads(cli("demo", "--no-serve", "--json").output)
    assert again["users"] == [] and all(c["areas"]["already_imported"] for c in again["cities"])
    import sqlite3

    names = dict(
        sqlite3.connect(tmp_path / "data" / "kotacerdas.sqlite3").execute("SELECT username, full_name FROM users")
    )
    # the people of the demo are named as the pages name their roles, never by a role code
    assert names["jalan.bwi"] == "Petugas jalan (demo)" and names["sepeda.bwi"] == "Operator sepeda sewa (demo)"
    assert not any("_" in name for name in names.values())


def test_users_create_and_duplicate(cli):
    cli("demo", "--no-serve")
    r = cli(
        "users",
        "create",
        "petugas.baru",
        "--role",
        "35.10:road_officer",
        "--json",
        env={"KOTACERDAS_NEW_PASSWORD": "rahasia-panjang"},
    )
    assert r.exit_code == 0 and json.loads(r.output)["username"] == "petugas.baru"
    r = cli("users", "create", "petugas.baru", env={"KOTACERDAS_NEW_PASSWORD": "rahasia-panjang"})
    assert r.exit_code == 2 and "taken" in r.output
    r = cli("users", "create", "x.y.z", "--role", "35.10:mayor", env={"KOTACERDAS_NEW_PASSWORD": "rahasia-panjang"})
    assert r.exit_code == 2 and "Unknown role mayor" in r.output


def test_import_areas_real_file_then_repeat(cli, shared_dir):
    cli("demo", "--no-serve")
    path = shared_dir / "data/admin/id7371_kota_makassar/id7371_kota_makassar.geojson"
    r = cli("admin", "import-areas", str(path), "--city", "73.71", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["created"] == 153 + 15
    r = cli("admin", "import-areas", str(path), "--city", "73.71")
    assert r.exit_code == 0 and "Already imported" in r.output


def test_import_errors_are_clear_and_localised(cli, tmp_path):
    cli("demo", "--no-serve")
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature"}]}')
    r = cli("admin", "import-areas", str(bad), "--city", "35.10")
    assert r.exit_code == 2 and "Record 0" in r.output
    r = cli("admin", "import-areas", str(bad), "--city", "35.10", env={"KOTACERDAS_LANG": "id"})
    assert r.exit_code == 2 and "Rekaman 0" in r.output
    r = cli("admin", "import-areas", str(bad), "--city", "99.99")
    assert r.exit_code == 2 and "No city with code 99.99" in r.output


def test_data_fetch_caches_with_checksum(cli, tmp_path):
    src = tmp_path / "extract.osm"
    src.write_text("<osm version='0.6'></osm>")
    r = cli("data", "fetch", "osm", "--url", src.as_uri(), "--json")
    assert r.exit_code == 0, r.output
    first = json.loads(r.output)
    assert first["cached"] is False and len(first["sha256"]) == 64
    second = json.loads(cli("data", "fetch", "osm", "--url", src.as_uri(), "--json").output)
    assert second["cached"] is True and second["sha256"] == first["sha256"]
    r = cli("data", "fetch", "osm", "--url", src.as_uri(), "--sha256", "0" * 64, "--refresh")
    assert r.exit_code == 2 and "Checksum mismatch" in r.output
    r = cli("data", "fetch", "osm")
    assert r.exit_code == 2 and "--bbox" in r.output


def test_users_tokens_list_revoke_and_a_new_password(cli):
    from kotacerdas.core import accounts
    from kotacerdas.core.db import get_engine, session_scope
    from kotacerdas.core.models import User

    env = {"KOTACERDAS_NEW_PASSWORD": "rahasia-panjang"}
    assert cli("users", "create", "pemilik.token", env=env).exit_code == 0
    with session_scope(get_engine()) as s:
        user = s.query(User).filter_by(username="pemilik.token").one()
        for label in ("laptop", "script"):
            accounts.issue_token(s, user, label=label)
        accounts.issue_token(s, user, kind="session", label="web")
    listed = json.loads(cli("users", "tokens", "list", "pemilik.token", "--json").output)
    assert [t["label"] for t in listed] == ["web", "script", "laptop"] and all(t["expires_at"] for t in listed)
    r = cli("users", "tokens", "revoke", "pemilik.token", "--id", str(listed[1]["id"]))
    assert r.exit_code == 0 and "1 tokens revoked" in r.output
    assert [t["label"] for t in json.loads(cli("users", "tokens", "list", "pemilik.token", "--json").output)] == [
        "web",
        "laptop",
    ]
    assert len(json.loads(cli("users", "tokens", "list", "pemilik.token", "--all", "--json").output)) == 3
    r = cli("users", "tokens", "revoke", "pemilik.token")
    assert r.exit_code != 0 and len(r.output.strip().splitlines()) == 1 and "--all" in r.output
    r = cli("users", "tokens", "list", "nobody.here")
    assert r.exit_code != 0 and "No user named nobody.here" in r.output
    r = cli("users", "set-password", "pemilik.token", "--json", env={"KOTACERDAS_NEW_PASSWORD": "kata-sandi-baru"})
    assert r.exit_code == 0 and json.loads(r.output)["revoked"] == 2
    assert "No live tokens" in cli("users", "tokens", "list", "pemilik.token").output
    assert {"users.create", "users.tokens.revoke", "users.set_password"} <= cli_audit()  # the command line is audited


def cli_audit() -> set[str]:
    """The actions the command line recorded in the audit log (``source: cli``)."""
    from sqlalchemy import select

    from kotacerdas.core.db import get_engine, session_scope
    from kotacerdas.core.models import AuditEvent

    with session_scope(get_engine()) as s:
        return {
            a for a, d in s.execute(select(AuditEvent.action, AuditEvent.detail)) if (d or {}).get("source") == "cli"
        }


def test_the_worker_sweeps_orphaned_uploads_as_it_starts(cli, tmp_path, monkeypatch):
    """``kotacerdas worker`` removes the folder of a job that was never stored (older than the grace period)
    before it takes jobs from the queue."""
    from kotacerdas.core import jobs
    from tests.core.test_orphans import job_folder

    ran = []
    monkeypatch.setattr(
        jobs, "consumer", lambda settings, workers: type("C", (), {"run": lambda self: ran.append(1)})()
    )
    dangling = job_folder(tmp_path / "data" / "jobs", jobs.new_id())
    fresh = job_folder(tmp_path / "data" / "jobs", jobs.new_id(), old=False)
    r = cli("worker", "--threads", "1")
    assert r.exit_code == 0 and ran == [1], r.output
    assert not dangling.exists() and fresh.is_dir()
