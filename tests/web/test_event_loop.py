"""The event loop is never blocked by an import: ``/healthz`` answers within 100 ms while a large upload is received
and imported by the server's own worker."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
import uvicorn

from kotacerdas.core.config import Settings
from kotacerdas.web.app import create_app
from tests.conftest import DEMO_PASSWORD, free_port


class _Server:
    """The app served by uvicorn in a thread, on a free port (a real event loop, a real socket)."""

    def __init__(self, app) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.time() + 20
        while not self.server.started and time.time() < deadline:
            time.sleep(0.02)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


class _Poller(threading.Thread):
    """Asks /healthz every 10 ms and keeps the slowest answer."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base, self.stop, self.latencies, self.failures = base, threading.Event(), [], []

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=5) as c:
            while not self.stop.is_set():
                t0 = time.perf_counter()
                r = c.get("/healthz")
                self.latencies.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    self.failures.append(r.status_code)
                time.sleep(0.01)


def served(seeded, tmp_path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=seeded.url.render_as_string(hide_password=False),
        secret_key="test",
        jobs_url="",
        jobs_worker="inline",
    )


@pytest.mark.slow
def test_healthz_stays_fast_during_a_large_network_import(seeded, tmp_path):
    from kotacerdas.network.demo import generated_osm_xml

    extract = generated_osm_xml(cols=60, rows=60)  # about 7,000 segments
    app = create_app(served(seeded, tmp_path), engine=seeded)
    with _Server(app) as base, httpx.Client(base_url=base, timeout=60) as c:
        token = c.post("/api/v1/auth/token", json={"username": "roadofficer.3510", "password": DEMO_PASSWORD})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        c.get("/healthz")
        poller = _Poller(base)
        poller.start()
        time.sleep(0.2)
        r = c.post("/api/v1/cities/35.10/network", headers=headers, files={"file": ("big.osm", extract)})
        assert r.status_code == 202, r.text
        deadline = time.time() + 120
        while time.time() < deadline:
            job = c.get(r.headers["location"], headers=headers).json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.1)
        poller.stop.set()
        poller.join(5)
    assert job["status"] == "done" and job["result"]["segments"] > 6000, job
    assert not poller.failures and len(poller.latencies) > 20
    assert max(poller.latencies) < 0.1, f"slowest /healthz {max(poller.latencies) * 1000:.0f} ms"
