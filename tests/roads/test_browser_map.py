"""Browser test: the Road Manager map of the demo draws segments coloured by Bina Marga class.

Headless Debian Chromium driven by Playwright against a real ``kotacerdas demo`` server (base-map
tiles cannot load offline; the overlays must draw anyway). Skips without Chromium unless
``KOTACERDAS_REQUIRE_BROWSER=1``.
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
COLOURS = {"#1a9850", "#91cf60", "#fc8d59", "#d73027"}


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
    data = tmp_path_factory.mktemp("roads-browser-data")
    port = _free_port()
    env = {**os.environ, "KOTACERDAS_DATA_DIR": str(data), "KOTACERDAS_PROGRESS": "0",
           "KOTACERDAS_TILE_URL": "http://127.0.0.1:9/{z}/{x}/{y}.png"}
    env.pop("KOTACERDAS_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "kotacerdas", "demo", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
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

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        yield pg
        context.close()
        browser.close()


def test_roads_map_shows_coloured_segments(server, page):
    expected = httpx.get(server + "/api/v1/roads/segments", params={"city": "35.10", "limit": 1}).json()
    page.goto(server + "/roads?city=35.10")
    page.wait_for_function("document.getElementById('map').dataset.drawn !== undefined")
    assert page.get_attribute("#map", "data-drawn") == str(expected["numberMatched"])
    paths = page.locator(".leaflet-overlay-pane path.kc-seg")
    assert paths.count() == expected["numberMatched"]
    strokes = set(page.eval_on_selector_all(".leaflet-overlay-pane path.kc-seg",
                                            "els => els.map(e => e.getAttribute('stroke'))"))
    assert len(strokes & COLOURS) >= 2  # several classes drawn in their colours
    assert page.locator("path.kc-class-none").count() > 0  # streets not surveyed, in grey
    page.wait_for_function("document.getElementById('map').dataset.events !== undefined")
    assert int(page.get_attribute("#map", "data-events")) > 0
    # filter: only heavy damage
    for cls in ("baik", "sedang", "rusak_ringan", "none"):
        page.uncheck(f"input[name=class][value={cls}]")
    page.wait_for_function("document.querySelectorAll('path.kc-seg').length === "
                           "document.querySelectorAll('path.kc-class-rusak_berat').length")
    # coverage layer
    page.check("#show-coverage")
    page.wait_for_function("document.getElementById('map').dataset.coverage !== undefined")
    assert int(page.get_attribute("#map", "data-coverage")) > 0
    # a road page shows its chart
    page.click("a[href^='/roads/road/Jl.%20Demo%20Raya%201']")
    page.wait_for_selector("#road-chart svg rect.bar")
    assert page.locator("#road-chart svg rect.bar").count() > 3
