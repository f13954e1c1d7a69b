"""Smoke tests for the test infrastructure: the PostGIS test cluster and headless Chromium.

They skip when the service is absent, except that ``KOTACERDAS_REQUIRE_PG=1`` /
``KOTACERDAS_REQUIRE_BROWSER=1`` (set by ``.ci/run``) turn the skip into a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _unavailable(require_var: str, reason: str) -> None:
    """Skip the test, or fail it when ``require_var`` is set to 1."""
    if os.environ.get(require_var) == "1":
        pytest.fail(f"{reason} (and {require_var}=1)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.postgres
def test_postgis_answers() -> None:
    url = os.environ.get("KOTACERDAS_TEST_PG_URL")
    if not url:
        _unavailable("KOTACERDAS_REQUIRE_PG", "KOTACERDAS_TEST_PG_URL is not set")
    sa = pytest.importorskip("sqlalchemy")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            version = conn.execute(sa.text("SELECT postgis_version()")).scalar_one()
            # Monas to Bundaran HI, Jakarta: about 2.2 km on the spheroid.
            near, far = conn.execute(
                sa.text(
                    "SELECT ST_DWithin(a::geography, b::geography, 2500),"
                    " ST_DWithin(a::geography, b::geography, 1000)"
                    " FROM (SELECT ST_SetSRID(ST_MakePoint(106.8272, -6.1754), 4326) AS a,"
                    " ST_SetSRID(ST_MakePoint(106.8229, -6.1949), 4326) AS b) AS pts"
                )
            ).one()
    finally:
        engine.dispose()
    assert version.split()[0].startswith("3.")
    assert near is True
    assert far is False


@pytest.mark.browser
def test_chromium_reads_served_page(tmp_path: Path, chromium) -> None:
    """Debian's Chromium (the shared ``chromium`` fixture) runs a page's script from a local server."""

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        "<!doctype html><html><head><title>kotacerdas smoke</title></head>"
        "<body><p id='out'></p><script>"
        "document.getElementById('out').textContent = String(6 * 7);"
        "</script></body></html>",
        encoding="utf-8",
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(base, timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.05)

        context = chromium.new_context()
        try:
            page = context.new_page()
            page.goto(base + "index.html", timeout=20_000)
            title = page.title()
            out = page.text_content("#out")
        finally:
            context.close()
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert title == "kotacerdas smoke"
    assert out == "42"
