"""Fixtures shared by every test: storage backends, an app per backend, seeded cities and users.

The ``backend`` fixture runs a test on SQLite and, when ``KOTACERDAS_TEST_PG_URL``
points to PostgreSQL + PostGIS, on PostgreSQL too (each test in a database of its own, copied from one that
is migrated once per test process).
With ``KOTACERDAS_REQUIRE_PG=1`` (CI) a missing PostgreSQL fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
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
#: The hosts the in-process app trusts in links: the test client's own (``testserver``) besides the defaults.
TEST_HOSTS = "localhost,127.0.0.1,::1,testserver"
#: The size of the generated street grid of :func:`roads_osm` (junctions per row and column).
GRID = {"cols": 5, "rows": 4}


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


class _Templates:
    """Databases migrated once per test process, copied for each test: a migration run costs about a second on
    PostgreSQL and half of one on SQLite, a copy a few hundredths (``CREATE DATABASE ... TEMPLATE``, a file copy).
    Each test still gets a database of its own, exactly as the migrations make it."""

    def __init__(self) -> None:
        self.sqlite: Path | None = None
        self.pg: str | None = None

    def sqlite_copy(self, target: Path) -> Engine:
        if self.sqlite is None:
            import tempfile

            folder = Path(tempfile.mkdtemp(prefix="kc-template-"))
            eng = make_engine(f"sqlite:///{folder / 'template.sqlite3'}")
            migrate.upgrade(eng)
            eng.dispose()
            self.sqlite = folder / "template.sqlite3"
        shutil.copyfile(self.sqlite, target)
        return make_engine(f"sqlite:///{target}")

    def _admin(self) -> Engine:
        return create_engine(PG_URL, isolation_level="AUTOCOMMIT")

    def pg_copy(self) -> tuple[Engine, str]:
        from sqlalchemy.engine import make_url

        admin = self._admin()
        try:
            if self.pg is None:
                name = "kc_template_" + uuid.uuid4().hex[:12]
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                eng = make_engine(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
                try:
                    with eng.begin() as conn:
                        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
                    migrate.upgrade(eng)
                finally:
                    eng.dispose()
                self.pg = name
            db = "t_" + uuid.uuid4().hex[:12]
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{db}" TEMPLATE "{self.pg}" STRATEGY FILE_COPY'))
        finally:
            admin.dispose()
        return make_engine(make_url(PG_URL).set(database=db).render_as_string(hide_password=False)), db

    def drop(self, db: str) -> None:
        admin = self._admin()
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        finally:
            admin.dispose()

    def close(self) -> None:
        if self.pg is not None:
            self.drop(self.pg)
        if self.sqlite is not None:
            shutil.rmtree(self.sqlite.parent, ignore_errors=True)


_TEMPLATES = _Templates()


@pytest.fixture(autouse=True, scope="session")
def _drop_templates():
    yield
    _TEMPLATES.close()


@pytest.fixture
def engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database on ``backend``."""
    if backend == "sqlite":
        eng = _TEMPLATES.sqlite_copy(tmp_path / "test.sqlite3")
        yield eng
        eng.dispose()
        return
    yield from _migrated_pg_engine()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    eng = _TEMPLATES.sqlite_copy(tmp_path / "only.sqlite3")
    yield eng
    eng.dispose()


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """A migrated, empty PostgreSQL database (skips without PostgreSQL)."""
    _pg_or_skip()
    yield from _migrated_pg_engine()


def _migrated_pg_engine() -> Iterator[Engine]:
    """A migrated database of its own in the test PostgreSQL, dropped afterwards."""
    eng, db = _TEMPLATES.pg_copy()
    try:
        yield eng
    finally:
        eng.dispose()
        _TEMPLATES.drop(db)


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
            city = accounts.ensure_city(
                s, code, spec["name"], kind=spec["kind"], center_lon=spec["center"][0], center_lat=spec["center"][1]
            )
            import_areas(s, city, generated_districts(code), filename=f"demo-{code}-kecamatan.geojson")
            tag = code.replace(".", "")
            for role in Role:
                accounts.create_user(
                    s, f"{role.value.replace('_', '')}.{tag}", DEMO_PASSWORD, roles=[(code, role.value)]
                )
        accounts.create_user(s, "root", DEMO_PASSWORD, superuser=True)
    return engine


def settings_for(engine: Engine, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=engine.url.render_as_string(hide_password=False),
        secret_key="test-secret",
        jobs_url="immediate",
        payments_sandbox=True,
        trusted_hosts=TEST_HOSTS,
    )


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


# --- browser tests: one demo server and one headless Chromium for the whole run -------------------------------

CHROMIUM = os.environ.get("KOTACERDAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _need_browser() -> None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("KOTACERDAS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"KOTACERDAS_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip("no Chromium: install Debian's chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory) -> Iterator[str]:
    """``kotacerdas demo`` serving on a free port with its own data dir; yields the base URL.

    Base-map tiles point at a closed port: the overlays must draw without them.
    """
    _need_browser()
    data = tmp_path_factory.mktemp("demo-server")
    port = free_port()
    env = {
        **os.environ,
        "KOTACERDAS_DATA_DIR": str(data),
        "KOTACERDAS_PROGRESS": "0",
        "KOTACERDAS_TILE_URL": "http://127.0.0.1:9/{z}/{x}/{y}.png",
    }
    env.pop("KOTACERDAS_DATABASE_URL", None)
    log = (data / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kotacerdas", "demo", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.time() + 180
    while True:
        if proc.poll() is not None:
            raise RuntimeError((data / "server.log").read_text())
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.time() > deadline:
            proc.kill()
            raise RuntimeError("demo server did not start:\n" + (data / "server.log").read_text())
        time.sleep(0.3)
    yield base
    proc.terminate()
    proc.wait(10)
    log.close()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, driven by Playwright (which cannot download its own browser here)."""
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:  # Playwright gives the browser a fresh, empty profile
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(chromium):
    """A new browser context the size of a phone, in Indonesian, with its own cookies."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def roads_osm(tmp_path_factory) -> Path:
    """A small generated street grid (5 x 4 junctions) in Banyuwangi town as OSM XML."""
    from kotacerdas.network.demo import generated_osm_xml

    path = tmp_path_factory.mktemp("roads-osm") / "grid.osm"
    path.write_bytes(generated_osm_xml(cols=GRID["cols"], rows=GRID["rows"]))
    return path


@pytest.fixture
def network_db(seeded: Engine, roads_osm: Path) -> Engine:
    """The seeded database with the generated grid imported as the road network of 35.10."""
    from kotacerdas.core import accounts
    from kotacerdas.network.store import import_network

    with session_scope(seeded) as s:
        import_network(s, accounts.get_city(s, "35.10"), roads_osm)
    return seeded
