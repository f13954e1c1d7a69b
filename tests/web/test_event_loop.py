"""The event loop is never blocked by an import: ``/healthz`` keeps answering while a large upload is imported by the
server's own worker (how fast it answers is measured by ``bench/event_loop.py``, not here)."""

from __future__ import annotations

import os
import time

import httpx
import pytest
from sqlalchemy import select

from kotacerdas.core.config import Settings
from kotacerdas.core.db import session_scope
from kotacerdas.core.models import Job
from kotacerdas.web.app import create_app
from tests.conftest import DEMO_PASSWORD
from tests.live import HealthPoller, LiveServer, assert_answered_during


def served(seeded, tmp_path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=seeded.url.render_as_string(hide_password=False),
        secret_key="test",
        jobs_url="",
        jobs_worker="inline",
    )


@pytest.mark.slow
@pytest.mark.serial
def test_healthz_stays_fast_during_a_large_network_import(seeded, tmp_path):
    from kotacerdas.network.demo import generated_osm_xml

    extract = generated_osm_xml(cols=60, rows=60)  # about 7,000 segments
    app = create_app(served(seeded, tmp_path), engine=seeded)
    with LiveServer(app) as base, httpx.Client(base_url=base, timeout=60) as c:
        token = c.post("/api/v1/auth/token", json={"username": "roadofficer.3510", "password": DEMO_PASSWORD})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        c.get("/healthz")
        poller = HealthPoller(base)
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
    assert_answered_during(poller, job)
    # the server's own worker is a process of its own (its interpreter never holds the event loop's), gone with it
    with session_scope(seeded) as s:
        worker = s.scalar(select(Job.worker).where(Job.id == job["id"]))
    pid = int(worker.rsplit(":", 1)[1])
    assert pid != os.getpid()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
