"""Fixtures shared by every test: storage backends, an app per backend, seeded cities and users.

The ``backend`` fixture runs a test on SQLite and, when ``KOTACERDAS_TEST_PG_URL``
points to PostgreSQL + PostGIS, on PostgreSQL too (each test in its own schema).
With ``KOTACERDAS_REQUIRE_PG=1`` (CI) a missing PostgreSQL fails instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from kotacerdas.core import migrate
from kotacerdas.core.config import Settings
from kotacerdas.core.db import make_engine, session_scope

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PG_URL = os.environ.get("KOTACERDAS_TEST_PG_URL", "")
DEMO_PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing():
    """Argon2 with small parameters in tests: the same code path, a fraction of the time."""
    from argon2 import PasswordHasher

    from kotacerdas.core import auth

    saved = auth._hasher
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    auth._hasher = saved


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ``../shared`` folder of test data; tests that use it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED


def _pg_or_skip() -> str:
    if not PG_URL:
        if os.environ.get("KOTACERDAS_REQUIRE_PG") == "1":
            pytest.fail("KOTACERDAS_REQUIRE_PG=1 but KOTACERDAS_TEST_PG_URL is not set")
        pytest.skip("no PostgreSQL: set KOTACERDAS_TEST_PG_URL")
    return PG_URL


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request) -> str:
    if request.param == "postgres":
        _pg_or_skip()
    return request.param


def _pg_schema_engine(schema: str) -> Engine:
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema},public"})


def _drop_schema(schema: str) -> None:
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database on ``backend``."""
    if backend == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'test.sqlite3'}")
        migrate.upgrade(eng)
        yield eng
        eng.dispose()
        return
    schema = "t_" + uuid.uuid4().hex[:12]
    eng = _pg_schema_engine(schema)
    try:
        migrate.upgrade(eng)
        yield eng
    finally:
        eng.dispose()
        _drop_schema(schema)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path / 'only.sqlite3'}")
    migrate.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """A migrated, empty PostgreSQL schema (skips without PostgreSQL)."""
    _pg_or_skip()
    schema = "t_" + uuid.uuid4().hex[:12]
    eng = _pg_schema_engine(schema)
    try:
        migrate.upgrade(eng)
        yield eng
    finally:
        eng.dispose()
        _drop_schema(schema)


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    """Two cities with generated kecamatan and one user per role in each (password ``DEMO_PASSWORD``)."""
    return seed(engine)


def seed(engine: Engine) -> Engine:
    from kotacerdas.core import accounts
    from kotacerdas.core.admin_areas import import_areas
    from kotacerdas.core.auth import Role
    from kotacerdas.demo.areas import CITIES, generated_districts

    with session_scope(engine) as s:
        for code, spec in CITIES.items():
            city = accounts.ensure_city(s, code, spec["name"], kind=spec["kind"], center_lon=spec["center"][0],
                                        center_lat=spec["center"][1])
            import_areas(s, city, generated_districts(code), filename="generated")
            tag = code.replace(".", "")
            for role in Role:
                accounts.create_user(s, f"{role.value.replace('_', '')}.{tag}", DEMO_PASSWORD,
                                     roles=[(code, role.value)])
        accounts.create_user(s, "root", DEMO_PASSWORD, superuser=True)
    return engine


def settings_for(engine: Engine, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, database_url=engine.url.render_as_string(hide_password=False),
                    secret_key="test-secret")


@pytest.fixture
def client(seeded: Engine, tmp_path: Path):
    """An in-process HTTP client of the app on the seeded database."""
    from fastapi.testclient import TestClient

    from kotacerdas.web.app import create_app

    app = create_app(settings_for(seeded, tmp_path), engine=seeded)
    with TestClient(app) as c:
        yield c


def token_for(client, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture
def auth(client):
    """``auth(username)`` -> headers with a fresh bearer token."""
    return lambda username: token_for(client, username)
