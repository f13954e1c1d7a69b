"""Orphaned uploads are swept at start-up: job folders whose job is unknown or finished, files no row references,
and nothing younger than the grace period or still in use."""

from __future__ import annotations

import os
import time
from pathlib import Path

from fastapi.testclient import TestClient

from kotacerdas.core.db import session_scope
from kotacerdas.core.jobs import DONE, FAILED, QUEUED, RUNNING, new_id
from kotacerdas.core.models import Job
from kotacerdas.core.orphans import GRACE_S, sweep
from kotacerdas.web.app import create_app
from tests.conftest import settings_for


def aged(path: Path, seconds: float = 2 * GRACE_S) -> Path:
    """Make ``path`` (and what is in it) look ``seconds`` old."""
    stamp = time.time() - seconds
    for p in [path, *path.rglob("*")] if path.is_dir() else [path]:
        os.utime(p, (stamp, stamp))
    return path


def job_folder(jobs_dir: Path, job_id: str, *, old: bool = True) -> Path:
    folder = jobs_dir / job_id
    folder.mkdir(parents=True)
    (folder / "upload.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    return aged(folder) if old else folder


def test_the_next_start_removes_the_folders_of_unknown_and_finished_jobs(seeded, tmp_path):
    settings = settings_for(seeded, tmp_path)
    ids = {status: new_id() for status in (QUEUED, RUNNING, DONE, FAILED)}
    with session_scope(seeded, write=True) as s:
        s.add_all(Job(id=job_id, kind="roads.survey_import", status=status) for status, job_id in ids.items())
    folders = {status: job_folder(settings.jobs_dir, job_id) for status, job_id in ids.items()}
    dangling = job_folder(settings.jobs_dir, new_id())  # moved there, then killed before its job was stored
    fresh = job_folder(settings.jobs_dir, new_id(), old=False)  # its job is being stored right now
    with TestClient(create_app(settings, engine=seeded)):
        pass
    assert not dangling.exists() and not folders[DONE].exists() and not folders[FAILED].exists()
    assert folders[QUEUED].is_dir() and folders[RUNNING].is_dir() and fresh.is_dir()
    assert (folders[QUEUED] / "upload.zip").is_file()


def test_the_sweep_keeps_everything_younger_than_the_grace_period(seeded, tmp_path):
    settings = settings_for(seeded, tmp_path)
    young = job_folder(settings.jobs_dir, new_id(), old=False)
    assert sweep(seeded, settings) == [] and young.is_dir()
    assert sweep(seeded, settings, now=time.time() + 2 * GRACE_S) == [young] and not young.exists()


def test_a_running_server_sweeps_again_without_a_restart(seeded, tmp_path):
    """Restarted at once after a ``kill -9``, a server finds the killed import's upload still young and keeps it;
    its housekeeping removes it later, once it is older than the grace period, without another restart."""
    from kotacerdas.core.jobs import Housekeeping

    settings = settings_for(seeded, tmp_path)
    dangling = job_folder(settings.jobs_dir, new_id(), old=False)
    keeper = Housekeeping(seeded, settings, every_s=0.05, orphans_every_s=0.1)
    keeper.start()
    try:
        time.sleep(0.5)
        assert dangling.is_dir()  # young: kept
        aged(dangling)  # time passes
        deadline = time.time() + 10
        while dangling.exists() and time.time() < deadline:
            time.sleep(0.05)
        assert not dangling.exists()
    finally:
        keeper.stop()
