"""Background jobs: work that takes more than a moment runs on a task queue, with its state in the database.

A *job kind* is a function registered with :func:`job`::

    @job("roads.survey_import", retries=1)
    def survey_import(ctx: JobContext, *, city: str, path: str, vehicle: str) -> dict:
        ...
        ctx.progress(0.5, N_("Matching the drive onto the network"))
        return result.as_dict()

:func:`submit` stores a :class:`~kotacerdas.core.models.Job` row (status ``queued``) and puts the
job on the queue; a worker runs it and records ``running``, its progress, then ``done`` with
the function's result or ``failed`` with the error. A :class:`~kotacerdas.core.errors.KotacerdasError`
(bad input) fails the job at once with its localised message; any other exception is retried
up to the kind's ``retries`` (a pause that grows with each attempt), then fails as an internal
error. Everything a job needs is in its parameters (JSON) and in files under the data
directory, so a job can run in another process or on another machine.

The queue is `huey <https://pypi.org/project/huey/>`_, chosen because it runs on an SQLite
file for the embedded default (nothing to install: ``make demo`` just works) and on Redis for
several servers and workers, with the same code; the choice and its measurement are in
``docs/architecture.md`` and ``bench/jobs.py``. ``KOTACERDAS_JOBS_URL`` selects the queue (see
:mod:`kotacerdas.core.config`). Workers: the web server runs one in its own process by default
(:class:`InlineWorker`); ``kotacerdas worker`` runs any number elsewhere.

A worker killed in the middle of a job (``kill -9``, a crash, the machine going down) cannot say
so, and its job's row would read ``running`` for ever. So a running job carries its worker's
``host:pid`` and a heartbeat the worker writes every :data:`HEARTBEAT_S`; every worker and server,
when it starts and then every :data:`SWEEP_S`, looks for running jobs whose worker is gone (a
process of this host that no longer exists, or a heartbeat older than :data:`STALE_S`) and
:func:`recover_lost` puts them back on the queue while attempts are left (the imports are
transactional, so a half-done attempt left nothing behind), or fails them saying the worker
stopped.
"""

from __future__ import annotations

import logging
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kotacerdas.core.config import Settings, as_environ, get_settings
from kotacerdas.core.db import gate_for, session_scope, utcnow
from kotacerdas.core.errors import KotacerdasError, NotFound
from kotacerdas.core.i18n import LANGUAGES, N_, gettext, normalise_language
from kotacerdas.core.models import Job

log = logging.getLogger("kotacerdas.jobs")

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATES = (QUEUED, RUNNING, DONE, FAILED)
#: Seconds before the n-th retry of a job: 2, 8, 32 ... (capped at 5 minutes).
RETRY_BASE_S = 2.0
PROGRESS_EVERY_S = 0.5
#: A running job's worker writes the job's heartbeat this often (seconds).
HEARTBEAT_S = 15.0
#: A running job whose heartbeat is older than this (seconds) has lost its worker, wherever it ran. Longer
#: than any write transaction of a job: on SQLite the heartbeat waits while its own job writes.
STALE_S = 600.0
#: Workers and servers look for lost jobs this often (seconds), and once when they start.
SWEEP_S = 60.0
#: ... and for orphaned uploads this often (seconds), besides when they start (:mod:`kotacerdas.core.orphans`).
ORPHANS_EVERY_S = 900.0


@dataclass(frozen=True)
class JobKind:
    """A registered job function and how it is retried."""

    name: str
    fn: Callable[..., dict[str, Any] | None]
    retries: int = 0
    title: str = ""


_KINDS: dict[str, JobKind] = {}


def job(name: str, *, retries: int = 0, title: str = "") -> Callable[[Callable], Callable]:
    """Register the decorated function as the job kind ``name`` (``fn(ctx, **params) -> dict``).

    ``retries`` is how many times an unexpected failure is retried (bad input is never retried);
    ``title`` (marked with ``N_``) names the kind to users.
    """

    def register(fn: Callable) -> Callable:
        _KINDS[name] = JobKind(name, fn, retries, title or name)
        return fn

    return register


def kinds() -> dict[str, JobKind]:
    """Every registered job kind (the worker imports the modules that define them first)."""
    return dict(_KINDS)


def kind(name: str) -> JobKind:
    """The registered kind ``name`` (importing the platform's and the domains' job modules if needed)."""
    if name not in _KINDS:
        load_kinds()
    try:
        return _KINDS[name]
    except KeyError:
        raise NotFound(N_("Unknown job kind {kind}"), kind=name) from None


#: Modules of the platform that define job kinds (the domains name theirs in their description).
PLATFORM_JOBS = ("kotacerdas.network.jobs", "kotacerdas.core.admin_areas")


def load_kinds() -> None:
    """Import every module that defines job kinds: the platform's and every domain's."""
    from kotacerdas.core.registry import load_jobs, resolve

    for dotted in PLATFORM_JOBS:
        resolve(dotted)
    load_jobs()


# -- what a running job sees -------------------------------------------------------------------------


@dataclass
class JobContext:
    """What a job function gets: its id, who started it, where, the database, and a way to report progress."""

    job_id: str
    kind: str
    engine: Engine
    settings: Settings
    city_id: int | None = None
    user_id: int | None = None
    attempt: int = 1
    _last: float = field(default=0.0, repr=False)

    def progress(self, fraction: float, message: str = "", *, force: bool = False) -> None:
        """Record how far the job is (0..1) and what it is doing (an ``N_`` message id); throttled.

        A job writes its rows in ``session_scope(ctx.engine, write=True)``; on SQLite, progress told while that
        transaction is open is not recorded (the database has one writer), so a job that wants its progress seen
        computes first and writes last.
        """
        now = time.monotonic()
        if not force and now - self._last < PROGRESS_EVERY_S:
            return
        if self.engine.dialect.name == "sqlite" and gate_for(self.engine).held_here():
            return  # this job's own write transaction is open: SQLite has one writer, the progress waits
        self._last = now
        with session_scope(self.engine, write=True) as s:
            row = s.get(Job, self.job_id)
            if row is not None and row.status == RUNNING:
                row.progress = max(0.0, min(1.0, float(fraction)))
                row.message = message[:500]
                row.heartbeat_at = utcnow()

    @property
    def folder(self) -> Path:
        """This job's own folder for files (inputs handed over by :func:`submit`, outputs)."""
        return job_folder(self.settings, self.job_id)


def job_folder(settings: Settings, job_id: str) -> Path:
    """Where the files of job ``job_id`` are kept."""
    return settings.jobs_dir / job_id


# -- the queue ----------------------------------------------------------------------------------------

_ENGINES: dict[str, Engine] = {}
_QUEUES: dict[tuple[str, str], Any] = {}
_TASKS: dict[int, Any] = {}
_SETTINGS: dict[str, Settings] = {}
_LOCK = threading.Lock()


def _engine_key(engine: Engine) -> str:
    key = f"{engine.url.render_as_string(hide_password=True)}#{id(engine)}"
    _ENGINES.setdefault(key, engine)
    return key


def queue(settings: Settings | None = None):
    """The huey instance of ``settings`` (one per queue URL and data directory per process)."""
    settings = settings or get_settings()
    url = settings.jobs_url or "sqlite"
    key = (url, str(settings.data_dir.resolve()))
    with _LOCK:
        q = _QUEUES.get(key)
        if q is None:
            q = _make_queue(url, settings)
            _TASKS[id(q)] = q.task(retries=0, context=False, name="kotacerdas.run_job")(_run_task)
            _QUEUES[key] = q
    return q


def _make_queue(url: str, settings: Settings):
    import huey

    name = "kotacerdas"
    if url == "immediate":
        return huey.MemoryHuey(name, immediate=True, results=False)
    if url == "memory":
        return huey.MemoryHuey(name, results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return huey.RedisHuey(name, url=url, results=False)
    if url == "sqlite":
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return huey.SqliteHuey(name, filename=str(settings.data_dir / "jobs.sqlite3"), results=False)
    raise KotacerdasError(
        N_("Setting {name} has an invalid value: {value}"), field="jobs_url", name="jobs_url", value=url
    )


def submit(
    engine: Engine,
    kind_name: str,
    *,
    params: dict[str, Any] | None = None,
    city_id: int | None = None,
    user_id: int | None = None,
    settings: Settings | None = None,
    job_id: str | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """Store a queued job and put it on the queue; returns :func:`job_json` of it.

    The row is committed before the job is queued, so a worker always finds it. With the
    ``immediate`` queue the job has run (and finished) when this returns.
    """
    settings = settings or get_settings()
    k = kind(kind_name)
    job_id = job_id or new_id()
    with session_scope(engine, write=True) as s:
        s.add(
            Job(
                id=job_id,
                kind=kind_name,
                city_id=city_id,
                user_id=user_id,
                status=QUEUED,
                progress=0.0,
                message="",
                params=params or {},
                attempts=0,
                max_attempts=k.retries + 1,
            )
        )
    q = queue(settings)
    q.enqueue(_task(q).s(job_id, _engine_key(engine), _settings_key(settings)))
    with session_scope(engine) as s:
        return job_json(_row(s, job_id), lang)


def new_id() -> str:
    """A new job id (32 hex digits, unguessable)."""
    return uuid.uuid4().hex


def _task(q):
    return _TASKS[id(q)]


def _settings_key(settings: Settings) -> str:
    key = str(settings.data_dir.resolve())
    _SETTINGS.setdefault(key, settings)
    return key


def _run_task(job_id: str, engine_key: str, settings_key: str) -> None:
    """The one huey task: run the stored job ``job_id`` (in this process, or a worker's)."""
    settings = _SETTINGS.get(settings_key) or get_settings()
    engine = _ENGINES.get(engine_key)
    if engine is None:
        from kotacerdas.core.db import get_engine

        engine = get_engine()
    run(engine, job_id, settings)


def run(engine: Engine, job_id: str, settings: Settings | None = None) -> str:
    """Run the stored job ``job_id`` now, in this thread; returns its final status (or ``queued`` for a retry)."""
    settings = settings or get_settings()
    with session_scope(engine, write=True) as s:
        row = s.get(Job, job_id)
        if row is None or row.status in (DONE, FAILED):
            return row.status if row is not None else FAILED
        row.status, row.attempts, row.started_at = RUNNING, row.attempts + 1, utcnow()
        row.progress, row.message = 0.0, ""
        row.worker, row.heartbeat_at = worker_name(), row.started_at
        kind_name, params, attempt = row.kind, dict(row.params), row.attempts
        ctx = JobContext(job_id, kind_name, engine, settings, row.city_id, row.user_id, attempt)
    _HEART.add(engine, job_id)
    try:
        return _run_kind(engine, job_id, settings, ctx, kind_name, params, attempt)
    finally:
        _HEART.discard(job_id)


def _run_kind(
    engine: Engine, job_id: str, settings: Settings, ctx: JobContext, kind_name: str, params: dict, attempt: int
) -> str:
    try:
        k = kind(kind_name)
        result = k.fn(ctx, **params)
    except KotacerdasError as exc:
        _finish(engine, job_id, FAILED, error=error_json(exc))
        return FAILED
    except Exception as exc:  # an unexpected failure: retried, then reported without the traceback
        log.error("job %s (%s) attempt %s failed:\n%s", job_id, kind_name, attempt, traceback.format_exc())
        if attempt <= _retries(kind_name):
            _requeue(engine, job_id, settings, attempt, exc)
            return QUEUED
        _finish(
            engine, job_id, FAILED, error={"message": N_("Internal error"), "params": {}, "type": type(exc).__name__}
        )
        return FAILED
    _finish(engine, job_id, DONE, result=result or {})
    _cleanup(settings, job_id)
    return DONE


def _retries(kind_name: str) -> int:
    k = _KINDS.get(kind_name)
    return k.retries if k else 0


def _requeue(engine: Engine, job_id: str, settings: Settings, attempt: int, exc: Exception) -> None:
    with session_scope(engine, write=True) as s:
        row = _row(s, job_id)
        row.status, row.message = QUEUED, N_("Failed; will try again")
        row.error = {"message": N_("Internal error"), "params": {}, "type": type(exc).__name__}
    q = queue(settings)
    delay = min(RETRY_BASE_S * 4 ** (attempt - 1), 300.0)
    if q.immediate:
        run(engine, job_id, settings)
        return
    _task(q).schedule(args=(job_id, _engine_key(engine), _settings_key(settings)), delay=delay)


def _row(session: Session, job_id: str) -> Job:
    row = session.get(Job, job_id)
    if row is None:  # pragma: no cover - a job row is never deleted while it runs
        raise NotFound(N_("No job with id {id}"), id=job_id)
    return row


def _finish(engine: Engine, job_id: str, status: str, *, result=None, error=None) -> None:
    with session_scope(engine, write=True) as s:
        row = _row(s, job_id)
        row.status, row.finished_at = status, utcnow()
        if status == DONE:
            row.progress, row.result, row.error, row.message = 1.0, result, None, ""
        else:
            row.error = error


def _cleanup(settings: Settings, job_id: str) -> None:
    import shutil

    folder = job_folder(settings, job_id)
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)


def _plain(v: Any) -> Any:
    """A parameter as JSON can hold it (NaN and infinity are not JSON: they become text)."""
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    return v if isinstance(v, (str, int, float, bool)) or v is None else str(v)


def _params(exc: KotacerdasError) -> dict[str, Any]:
    return {k: _plain(v) for k, v in exc.params.items()}


def _texts(exc: KotacerdasError) -> dict[str, str]:
    """The error as the reader sees it, in every language: written when it is raised, so that figures in the
    reader's locale (``Rp3.000`` / ``Rp3,000``), the kind of record named (``Stasiun 4``) and an error's own way of
    putting itself (several bad features, several bad fields) survive being stored."""
    return {lang: exc.render(lang) for lang in LANGUAGES}


def error_json(exc: KotacerdasError) -> dict[str, Any]:
    """A user-facing error as stored on a failed job: its text in each language, the message id and parameters
    (for programs), and each bad record of a file."""
    problems = [
        {
            "record": str(p["record"]),
            "field": p.get("field"),
            "message": p["error"].message,
            "params": _params(p["error"]),
            "text": _texts(p["error"]),
        }
        for p in getattr(exc, "problems", None) or ()
    ]
    return {
        **({"errors": problems} if problems else {}),
        "text": _texts(exc),
        "message": exc.message,
        "params": {k: _plain(v) for k, v in exc.params.items()},
        "field": exc.field,
        "record": exc.record if isinstance(exc.record, (str, int, float)) or exc.record is None else str(exc.record),
        "status": exc.status,
    }


# -- reading jobs -------------------------------------------------------------------------------------


def get_job(session: Session, job_id: str) -> Job:
    """The job ``job_id``; 404 when there is none."""
    row = session.get(Job, job_id) if len(job_id) <= 32 else None
    if row is None:
        raise NotFound(N_("No job with id {id}"), id=job_id)
    return row


def jobs_of(session: Session, user_id: int, limit: int = 20) -> list[Job]:
    """The newest jobs started by a user."""
    stmt = select(Job).where(Job.user_id == user_id).order_by(Job.created_at.desc(), Job.id).limit(limit)
    return list(session.scalars(stmt))


def _detail(error: dict[str, Any], lang: str, *, prefix: bool = True) -> str:
    """A stored error's text in ``lang``: as written when it was raised, or (an error stored before texts were
    kept, or one the platform wrote itself) translated from its message id and parameters."""
    texts = error.get("text")
    if isinstance(texts, dict) and texts:
        return texts.get(normalise_language(lang)) or texts.get("en") or next(iter(texts.values()))
    text = gettext(error.get("message", "Internal error"), lang)
    try:
        text = text.format(**error.get("params", {}))
    except (KeyError, IndexError, ValueError):
        pass
    if prefix and error.get("record") is not None:
        text = gettext("Record {record}", lang).format(record=error["record"]) + ": " + text
    return text


def job_json(row: Job, lang: str = "en") -> dict[str, Any]:
    """What the user sees of a job, messages in ``lang``."""
    error = None
    if row.error:
        error = {"detail": _detail(row.error, lang), "field": row.error.get("field"), "record": row.error.get("record")}
        if row.error.get("errors"):
            error["errors"] = [
                {"record": e["record"], "field": e["field"], "detail": _detail(e, lang, prefix=False)}
                for e in row.error["errors"]
            ]
    return {
        "id": row.id,
        "kind": row.kind,
        "status": row.status,
        "progress": round(float(row.progress or 0.0), 3),
        "message": gettext(row.message, lang) if row.message else "",
        "attempts": row.attempts,
        "max_attempts": row.max_attempts,
        "result": row.result,
        "error": error,
        "created_at": row.created_at,
        "started_at": row.started_at,
        "finished_at": row.finished_at,
    }


# -- workers and their lost jobs -----------------------------------------------------------------------


def worker_name() -> str:
    """This process as a job's worker: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"[:128]


class _Heartbeat:
    """One thread per process that writes the heartbeat of the jobs running in it."""

    def __init__(self) -> None:
        self._jobs: dict[str, Engine] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def add(self, engine: Engine, job_id: str) -> None:
        with self._lock:
            self._jobs[job_id] = engine
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._beat, name="kotacerdas-job-heartbeat", daemon=True)
                self._thread.start()

    def discard(self, job_id: str) -> None:
        with self._lock:
            self._jobs.pop(job_id, None)

    def running_here(self) -> set[str]:
        with self._lock:
            return set(self._jobs)

    def _beat(self) -> None:
        while True:
            time.sleep(HEARTBEAT_S)
            with self._lock:
                by_engine: dict[int, tuple[Engine, list[str]]] = {}
                for job_id, engine in self._jobs.items():
                    by_engine.setdefault(id(engine), (engine, []))[1].append(job_id)
            for engine, ids in by_engine.values():
                beat(engine, ids)


_HEART = _Heartbeat()


def beat(engine: Engine, job_ids: list[str]) -> None:
    """Write the heartbeat of the running jobs ``job_ids``; a busy database skips this beat."""
    if not job_ids:
        return
    if engine.dialect.name == "sqlite" and gate_for(engine).held_here():
        return
    try:
        with session_scope(engine, write=True) as s:
            s.execute(
                update(Job)
                .where(Job.id.in_(job_ids), Job.status == RUNNING, Job.worker == worker_name())
                .values(heartbeat_at=utcnow())
            )
    except Exception as exc:  # a busy database or a short outage: the next beat tries again
        log.debug("job heartbeat skipped: %s", exc)


def _process_gone(worker: str) -> bool:
    """True when ``worker`` (``host:pid``) was a process of this host that no longer exists."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False  # this process: running_here() knows its own jobs
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # a process of another user has that pid now: not ours, but alive
        return False
    return False


def recover_lost(engine: Engine, settings: Settings | None = None, *, now=None) -> list[str]:
    """Requeue (or fail, when no attempt is left) the running jobs whose worker is gone; returns their ids."""
    settings = settings or get_settings()
    now = now or utcnow()
    here = _HEART.running_here()
    with session_scope(engine) as s:
        running = s.execute(select(Job.id, Job.worker, Job.heartbeat_at, Job.started_at).where(Job.status == RUNNING))
        suspects = [
            job_id
            for job_id, worker, heartbeat_at, started_at in running
            if job_id not in here
            and (
                _process_gone(worker)
                or (heartbeat_at or started_at or now).timestamp() < now.timestamp() - STALE_S
                or (worker == worker_name())  # this process's pid, but not a job it runs: an earlier process
            )
        ]
    lost, requeue = [], []
    for job_id in suspects:
        with session_scope(engine, write=True) as s:
            row = s.get(Job, job_id, with_for_update=True)
            if row is None or row.status != RUNNING or job_id in _HEART.running_here():
                continue
            lost.append(job_id)
            if row.attempts < row.max_attempts:
                row.status, row.message = QUEUED, N_("The worker stopped; will try again")
                requeue.append(job_id)
            else:
                row.status, row.finished_at = FAILED, utcnow()
                row.error = {
                    "message": N_("Interrupted: the worker running this job stopped before it finished"),
                    "params": {},
                    "type": "Interrupted",
                }
        log.warning("job %s lost its worker (%s)", job_id, "requeued" if job_id in requeue else "failed")
    q = queue(settings) if requeue else None
    for job_id in requeue:
        if q is not None and q.immediate:
            run(engine, job_id, settings)
        elif q is not None:
            q.enqueue(_task(q).s(job_id, _engine_key(engine), _settings_key(settings)))
    return lost


class Housekeeping:
    """A thread that, until stopped, runs :func:`recover_lost` at start and every :data:`SWEEP_S`, and the sweep of
    orphaned uploads (:func:`kotacerdas.core.orphans.sweep`) every :data:`ORPHANS_EVERY_S`: a server restarted
    at once after a ``kill -9`` removes the killed import's upload once it is older than the grace period, without
    waiting for the next restart."""

    def __init__(
        self, engine: Engine, settings: Settings, every_s: float = SWEEP_S, orphans_every_s: float | None = None
    ) -> None:
        self.engine, self.settings, self.every_s = engine, settings, every_s
        self.orphans_every_s = ORPHANS_EVERY_S if orphans_every_s is None else orphans_every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="kotacerdas-housekeeping", daemon=True)

    def _loop(self) -> None:
        from kotacerdas.core.orphans import sweep_at_start

        last_orphans = time.monotonic()  # the server or worker swept them as it started
        while True:
            try:
                recover_lost(self.engine, self.settings)
            except Exception as exc:  # a busy or unreachable database: the next sweep tries again
                log.warning("looking for lost jobs failed: %s", exc)
            if time.monotonic() - last_orphans >= self.orphans_every_s:
                sweep_at_start(self.engine, self.settings)  # logs its own failure
                last_orphans = time.monotonic()
            if self._stop.wait(self.every_s):
                return

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()


class InlineWorker:
    """The web server's own worker: started and stopped with the server, without taking over its signals.

    ``kind="process"`` (the default): a ``kotacerdas worker`` child process with the server's settings runs the jobs,
    so a long import has an interpreter of its own and its GIL and garbage-collector pauses never reach the server's
    event loop (``bench/event_loop.py``); the child stops with the server, and by itself when the server is gone.
    ``kind="thread"`` runs the jobs in threads of the server itself (``KOTACERDAS_JOBS_WORKER=inline-thread``, and
    always with a ``memory`` queue, which another process cannot share).
    """

    def __init__(
        self, settings: Settings, threads: int = 1, kind: str = "process", engine: Engine | None = None
    ) -> None:
        from huey.consumer import Consumer

        class _Consumer(Consumer):
            def _set_signal_handlers(self) -> None:  # the host process (uvicorn) keeps its own
                return None

        load_kinds()
        self.settings, self.threads = settings, max(1, threads)
        self.queue = queue(settings)
        self.consumer = None
        self.child: subprocess.Popen | None = None
        self.in_child = kind == "process" and not self.queue.immediate and (settings.jobs_url or "sqlite") != "memory"
        if not self.queue.immediate and not self.in_child:
            self.consumer = _Consumer(
                self.queue,
                workers=self.threads,
                worker_type="thread",
                periodic=False,
                initial_delay=0.05,
                max_delay=0.5,
                check_worker_health=False,
            )
        # the child process keeps house itself (kotacerdas worker); threads need the server to
        self.housekeeping = Housekeeping(engine, settings) if engine is not None and self.consumer is not None else None

    def start(self) -> None:
        if self.in_child:
            env = (
                os.environ
                | as_environ(self.settings)
                | {"KOTACERDAS_JOBS_WORKER": "external", PARENT_PID: str(os.getpid())}
            )
            self.child = subprocess.Popen(
                [sys.executable, "-m", "kotacerdas", "worker", "--threads", str(self.threads)],
                env=env,
                stdout=subprocess.DEVNULL,  # its log lines go to the server's stderr
            )
        if self.consumer is not None:
            self.consumer.start()
        if self.housekeeping is not None:
            self.housekeeping.start()

    def stop(self) -> None:
        if self.housekeeping is not None:
            self.housekeeping.stop()
        if self.consumer is not None:
            self.consumer.stop(graceful=True)
        if self.child is not None and self.child.poll() is None:
            self.child.terminate()  # the consumer's SIGTERM: a job cut short goes back on the queue (recover_lost)
            try:
                self.child.wait(CHILD_STOP_S)
            except subprocess.TimeoutExpired:
                self.child.kill()
                self.child.wait()


PARENT_PID = "KOTACERDAS_WORKER_PARENT"
"""Set for a server's own worker process: the server's pid, so the worker stops when the server is gone."""
CHILD_STOP_S = 15.0
"""How long a server waits for its worker process to stop before it kills it."""


def watch_parent(every_s: float = 1.0) -> None:
    """In a server's own worker process (:data:`PARENT_PID` set), a thread that stops the worker (SIGTERM to itself,
    which the consumer handles) once the server that started it is gone, so no worker outlives a killed server."""
    parent = os.environ.get(PARENT_PID)
    if not parent or not hasattr(os, "getppid"):
        return

    def loop() -> None:
        while os.getppid() == int(parent):
            time.sleep(every_s)
        log.warning("the server that started this worker is gone: stopping")
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=loop, name="kotacerdas-watch-parent", daemon=True).start()


def consumer(settings: Settings, workers: int = 2):
    """A standalone huey consumer for ``kotacerdas worker`` (signals: SIGINT/SIGTERM stop it gracefully)."""
    from huey.consumer import Consumer

    load_kinds()
    return Consumer(
        queue(settings),
        workers=max(1, workers),
        worker_type="thread",
        periodic=False,
        initial_delay=0.05,
        max_delay=0.5,
    )
