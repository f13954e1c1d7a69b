"""Background jobs: stored state, progress, result or error, retries, and a real queue with a worker thread."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import pytest

from kotacerdas.core import admin_areas, jobs
from kotacerdas.core.config import Settings
from kotacerdas.core.db import session_scope
from kotacerdas.core.errors import KotacerdasError
from kotacerdas.core.formats import Quantity
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


@jobs.job("test.bad_figure")
def _bad_figure(ctx: jobs.JobContext) -> dict:
    raise KotacerdasError(
        N_("insufficient balance: {balance} rupiah available, {amount} rupiah needed"),
        record=4,
        record_label=N_("Station {record}"),
        balance=Quantity(1500, "number", 0),
        amount=Quantity(12500.5, "number", 1),
    )


@jobs.job("test.bad_features")
def _bad_features(ctx: jobs.JobContext) -> dict:
    errors = [admin_areas.AdminAreaError(N_("No job with id {id}"), id=n) for n in ("a", "b")]
    raise admin_areas.ImportProblems([{"record": i, "field": "code", "error": e} for i, e in enumerate(errors)])


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


def test_a_failed_job_says_it_as_the_error_did_in_each_language(engine, tmp_path):
    """Figures in the reader's locale, the kind of record named and an error's own wording survive the store."""
    out = jobs.submit(engine, "test.bad_figure", settings=_settings(tmp_path))
    with session_scope(engine) as s:
        row = s.get(Job, out["id"])
        assert jobs.job_json(row, "id")["error"]["detail"] == (
            "Stasiun 4: saldo tidak cukup: tersedia 1.500 rupiah, dibutuhkan 12.500,5 rupiah"
        )
        assert jobs.job_json(row, "en")["error"]["detail"] == (
            "Station 4: insufficient balance: 1,500 rupiah available, 12,500.5 rupiah needed"
        )
        assert row.error["params"] == {"balance": "1,500", "amount": "12,500.5"}  # for programs, as before
    out = jobs.submit(engine, "test.bad_features", settings=_settings(tmp_path))
    with session_scope(engine) as s:
        error = jobs.job_json(s.get(Job, out["id"]), "id")["error"]
    assert error["detail"] == "2 fitur tidak sah; yang pertama: Tidak ada pekerjaan dengan id a"
    assert [e["detail"] for e in error["errors"]] == [
        "Tidak ada pekerjaan dengan id a",
        "Tidak ada pekerjaan dengan id b",
    ]


def test_an_error_stored_before_texts_were_kept_is_still_translated(engine, tmp_path):
    out = jobs.submit(engine, "test.bad_input", settings=_settings(tmp_path))
    with session_scope(engine, write=True) as s:
        row = s.get(Job, out["id"])
        row.error = {k: v for k, v in row.error.items() if k != "text"}
    with session_scope(engine) as s:
        assert jobs.job_json(s.get(Job, out["id"]), "id")["error"]["detail"] == (
            "Rekaman 7: Tidak ada pekerjaan dengan id x"
        )


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
    worker = jobs.InlineWorker(settings, kind="thread")  # the test kinds exist in this process only
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


# -- a worker killed in the middle of a job --------------------------------------------------------------


@jobs.job("test.hold", retries=1)
def _hold(ctx: jobs.JobContext, *, hold_file: str) -> dict:
    """Runs while ``hold_file`` exists (a worker that is busy when it is killed)."""
    while Path(hold_file).exists():
        time.sleep(0.05)
    return {"attempt": ctx.attempt}


def _queued_row(engine, kind: str, params: dict, max_attempts: int) -> str:
    job_id = jobs.new_id()
    with session_scope(engine, write=True) as s:
        s.add(Job(id=job_id, kind=kind, status="queued", params=params, attempts=0, max_attempts=max_attempts))
    return job_id


WORKER = """
import sys, time
from pathlib import Path
from kotacerdas.core import jobs
from kotacerdas.core.config import Settings
from kotacerdas.core.db import make_engine

@jobs.job("test.hold", retries=1)
def _hold(ctx, *, hold_file):
    while Path(hold_file).exists():
        time.sleep(0.05)
    return {}

engine = make_engine(sys.argv[1])
jobs.run(engine, sys.argv[2], Settings(data_dir=Path(sys.argv[3]), jobs_url="immediate", secret_key="x"))
"""


def test_a_job_whose_worker_was_killed_goes_back_on_the_queue(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    from kotacerdas.core import migrate
    from kotacerdas.core.db import make_engine

    url = f"sqlite:///{tmp_path / 'killed.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    hold = tmp_path / "hold"
    hold.touch()
    job_id = _queued_row(engine, "test.hold", {"hold_file": str(hold)}, max_attempts=2)
    worker = subprocess.Popen([sys.executable, "-c", WORKER, url, job_id, str(tmp_path)])
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            with session_scope(engine) as s:
                row = s.get(Job, job_id)
                if row.status == "running":
                    break
            time.sleep(0.05)
        assert row.status == "running" and row.worker.endswith(f":{worker.pid}") and row.heartbeat_at is not None
        assert jobs.recover_lost(engine, _settings(tmp_path)) == []  # its worker is alive: left alone
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    hold.unlink()  # the next attempt does not wait
    assert jobs.recover_lost(engine, _settings(tmp_path)) == [job_id]
    with session_scope(engine) as s:
        row = s.get(Job, job_id)
        assert row.status == "done" and row.attempts == 2 and row.result == {"attempt": 2}
    assert jobs.recover_lost(engine, _settings(tmp_path)) == []
    engine.dispose()


def test_a_lost_job_without_attempts_left_fails_saying_why(engine, tmp_path):
    from datetime import timedelta

    from kotacerdas.core.db import utcnow

    job_id = _queued_row(engine, "test.add", {"a": 1, "b": 2}, max_attempts=1)
    with session_scope(engine, write=True) as s:
        row = s.get(Job, job_id)
        row.status, row.attempts, row.worker = "running", 1, "another-machine:4242"
        row.started_at = row.heartbeat_at = utcnow() - timedelta(seconds=jobs.STALE_S / 2)
    assert jobs.recover_lost(engine, _settings(tmp_path)) == []  # a recent heartbeat from elsewhere: alive
    later = utcnow() + timedelta(seconds=jobs.STALE_S)
    assert jobs.recover_lost(engine, _settings(tmp_path), now=later) == [job_id]
    with session_scope(engine) as s:
        row = s.get(Job, job_id)
        assert row.status == "failed" and row.finished_at is not None
        assert jobs.job_json(row, "en")["error"]["detail"].startswith("Interrupted: the worker running this job")
        assert jobs.job_json(row, "id")["error"]["detail"].startswith("Terputus: pekerja yang menjalankan")


def test_a_job_running_in_this_process_is_never_taken_for_lost(engine, tmp_path, monkeypatch):
    import threading
    from datetime import timedelta

    from kotacerdas.core.db import utcnow

    monkeypatch.setattr(jobs, "HEARTBEAT_S", 0.05)
    hold = tmp_path / "hold"
    hold.touch()
    job_id = _queued_row(engine, "test.hold", {"hold_file": str(hold)}, max_attempts=2)
    t = threading.Thread(target=jobs.run, args=(engine, job_id, _settings(tmp_path)))
    t.start()
    try:
        deadline, first = time.time() + 20, None
        while time.time() < deadline:
            with session_scope(engine) as s:
                row = s.get(Job, job_id)
                first = first or (row.heartbeat_at if row.status == "running" else None)
                if first is not None and row.heartbeat_at > first:
                    break  # the heartbeat moves while the job runs
            time.sleep(0.05)
        assert first is not None and row.heartbeat_at > first
        later = utcnow() + timedelta(seconds=jobs.STALE_S * 2)
        assert jobs.recover_lost(engine, _settings(tmp_path), now=later) == []
    finally:
        hold.unlink()
        t.join()
    with session_scope(engine) as s:
        assert s.get(Job, job_id).status == "done"


def test_a_server_s_worker_process_stops_when_its_server_is_gone():
    """``kotacerdas worker`` started by a server (its pid in KOTACERDAS_WORKER_PARENT) stops by itself once that
    server is gone, here a parent that is not its own: no worker outlives a killed server."""
    import subprocess
    import sys

    code = "import time; from kotacerdas.core import jobs; jobs.watch_parent(0.05); time.sleep(30)"
    env = os.environ | {jobs.PARENT_PID: "1" if os.getpid() != 1 else "2"}
    t0 = time.monotonic()
    child = subprocess.run([sys.executable, "-c", code], env=env, timeout=25, capture_output=True, text=True)
    assert child.returncode == -15, child.stderr  # SIGTERM, sent to itself
    assert time.monotonic() - t0 < 20 and "is gone" in child.stderr


def test_the_server_s_own_worker_is_a_process_that_stops_with_it(tmp_path):
    """The default inline worker starts ``kotacerdas worker`` as a child with the server's settings, and stopping
    the server stops it; a memory queue, which no other process can share, keeps its jobs in threads."""
    settings = _settings(tmp_path, url="")
    worker = jobs.InlineWorker(settings)
    assert worker.in_child and worker.consumer is None
    worker.start()
    try:
        assert worker.child is not None and worker.child.poll() is None
    finally:
        worker.stop()
    assert worker.child.returncode is not None
    assert not jobs.InlineWorker(_settings(tmp_path, url="memory")).in_child
