"""Background jobs: stored state, progress, result or error, retries, and a real queue with a worker thread."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from kotacerdas.core import jobs
from kotacerdas.core.config import Settings
from kotacerdas.core.db import session_scope
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.i18n import N_
from kotacerdas.core.models import Job

CALLS: dict[str, int] = {}


@jobs.job("test.add", title="add")
def _add(ctx: jobs.JobContext, *, a: int, b: int) -> dict:
    ctx.progress(0.5, N_("Reading the OpenStreetMap extract"), force=True)
    return {"sum": a + b, "attempt": ctx.attempt}


@jobs.job("test.bad_input")
def _bad(ctx: jobs.JobContext) -> dict:
    raise KotacerdasError(N_("No job with id {id}"), id="x", record=7)


@jobs.job("test.flaky", retries=2)
def _flaky(ctx: jobs.JobContext, *, fail_times: int, key: str) -> dict:
    CALLS[key] = CALLS.get(key, 0) + 1
    if CALLS[key] <= fail_times:
        raise RuntimeError("disk hiccup")
    return {"calls": CALLS[key]}


def _settings(tmp_path: Path, url: str = "immediate") -> Settings:
    return Settings(data_dir=tmp_path, jobs_url=url, secret_key="x", database_url="sqlite://")


def test_a_job_runs_and_keeps_its_result(engine, tmp_path):
    out = jobs.submit(engine, "test.add", params={"a": 2, "b": 3}, settings=_settings(tmp_path))
    assert out["status"] == "done" and out["result"] == {"sum": 5, "attempt": 1} and out["progress"] == 1.0
    with session_scope(engine) as s:
        row = s.get(Job, out["id"])
        assert row.finished_at >= row.started_at >= row.created_at


def test_bad_input_fails_at_once_with_a_localised_error(engine, tmp_path):
    out = jobs.submit(engine, "test.bad_input", settings=_settings(tmp_path))
    assert out["status"] == "failed" and out["attempts"] == 1
    with session_scope(engine) as s:
        row = s.get(Job, out["id"])
        assert jobs.job_json(row, "en")["error"]["detail"] == "Record 7: No job with id x"
        assert jobs.job_json(row, "id")["error"]["detail"] == "Rekaman 7: Tidak ada pekerjaan dengan id x"


def test_unexpected_failures_are_retried_up_to_the_limit(engine, tmp_path):
    a, b = uuid.uuid4().hex, uuid.uuid4().hex
    ok = jobs.submit(engine, "test.flaky", params={"fail_times": 2, "key": a}, settings=_settings(tmp_path))
    assert ok["status"] == "done" and ok["result"] == {"calls": 3} and ok["attempts"] == 3
    failed = jobs.submit(engine, "test.flaky", params={"fail_times": 5, "key": b}, settings=_settings(tmp_path))
    assert failed["status"] == "failed" and failed["attempts"] == 3 and CALLS[b] == 3
    with session_scope(engine) as s:
        assert jobs.job_json(s.get(Job, failed["id"]))["error"]["detail"] == "Internal error"


def test_unknown_kind_is_refused(engine, tmp_path):
    with pytest.raises(KotacerdasError):
        jobs.submit(engine, "test.nothing", settings=_settings(tmp_path))


def test_sqlite_queue_and_a_worker_thread(engine, tmp_path):
    settings = _settings(tmp_path, url="")
    worker = jobs.InlineWorker(settings)
    worker.start()
    try:
        out = jobs.submit(engine, "test.add", params={"a": 40, "b": 2}, settings=settings)
        assert out["status"] == "queued"
        deadline = time.time() + 20
        while time.time() < deadline:
            with session_scope(engine) as s:
                row = s.get(Job, out["id"])
                if row.status == "done":
                    break
            time.sleep(0.05)
        assert row.status == "done" and row.result["sum"] == 42
        assert (tmp_path / "jobs.sqlite3").is_file()
    finally:
        worker.stop()


def test_a_finished_job_cleans_its_folder(engine, tmp_path):
    settings = _settings(tmp_path)
    folder = jobs.job_folder(settings, "f" * 32)
    folder.mkdir(parents=True)
    (folder / "upload.bin").write_bytes(b"x")
    jobs.submit(engine, "test.add", params={"a": 1, "b": 1}, settings=settings, job_id="f" * 32)
    assert not folder.exists()
