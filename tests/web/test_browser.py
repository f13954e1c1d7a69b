"""Browser test: headless Chromium (Debian) driven by Playwright against a real demo server.

Loads the home page, switches language, signs in and sees the map with the
admin areas drawn (the base-map tiles cannot load offline; the overlay must
draw anyway). Skips without Chromium unless ``KOTACERDAS_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("KOTACERDAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _need_browser() -> None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("KOTACERDAS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"KOTACERDAS_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip("no Chromium: install Debian's chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _need_browser()
    data = tmp_path_factory.mktemp("browser-data")
    port = _free_port()
    env = {**os.environ, "KOTACERDAS_DATA_DIR": str(data), "KOTACERDAS_PROGRESS": "0",
           "KOTACERDAS_TILE_URL": "http://127.0.0.1:9/{z}/{x}/{y}.png"}
    env.pop("KOTACERDAS_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "kotacerdas", "demo", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(proc.stdout.read().decode())
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("demo server did not start")
    yield base
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:  # Playwright gives the browser a fresh, empty profile
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")  # a phone
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        yield pg
        context.close()
        browser.close()


def test_home_switch_language_sign_in_and_see_the_map(server, page):
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", name="Satu platform, empat sistem kota").is_visible()

    page.click("a[data-lang=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.get_by_role("heading", name="One platform, four city systems").is_visible()

    page.click("#login-link")
    page.fill("#username", "admin.bwi")
    page.fill("#password", "demo-kotacerdas")
    page.click("#login-submit")
    page.wait_for_selector("a.user")
    assert page.locator("a.user").inner_text() == "admin.bwi"

    page.goto(server + "/map?city=35.10")
    page.wait_for_function("document.getElementById('map').dataset.drawn !== undefined")
    assert page.get_attribute("#map", "data-drawn") == "25"
    assert page.locator(".leaflet-overlay-pane path").count() == 25
    assert "25 admin areas drawn" in page.inner_text("#map-status")
    page.click("#map")  # the centre of the map lies in some kecamatan: its popup names it
    assert "35.10." in page.locator(".leaflet-popup-content").inner_text()
