"""Files that a process killed in the middle of an import left behind, removed at the next start.

An import copies its upload into the data directory *before* its transaction commits (the raw
survey a road officer can download again, a project's document), and a route moves an upload
into a job's folder just before the job's row is stored. A ``kill -9`` between the two leaves a
file that no row names. :func:`sweep` removes, when the server or a worker starts:

* the files under each domain's upload folder that no row references (a domain names them with
  its ``uploads`` part: ``kept_uploads(session, data_dir) -> KeptUploads``);
* the folders of ``<data dir>/jobs`` whose job is unknown or has finished;

in both cases only when older than a grace period (:data:`GRACE_S`), so the upload of an import
still running in another process, or of a job about to be stored, is never touched.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from kotacerdas.core.config import Settings
from kotacerdas.core.db import session_scope

log = logging.getLogger("kotacerdas.orphans")

#: Files and job folders younger than this (seconds) are kept whatever the rows say.
GRACE_S = 3600.0


@dataclass(frozen=True)
class KeptUploads:
    """A domain's upload folder and the files in it that its rows reference (absolute paths)."""

    folder: Path
    referenced: frozenset[Path]


def sweep(engine: Engine, settings: Settings, *, grace_s: float = GRACE_S, now: float | None = None) -> list[Path]:
    """Remove orphaned uploads and finished or unknown job folders older than ``grace_s``; the paths removed."""
    from kotacerdas.core.registry import domains

    cutoff = (time.time() if now is None else now) - grace_s
    removed: list[Path] = []
    with session_scope(engine) as session:
        removed += _job_folders(session, settings.jobs_dir, cutoff)
        for d in domains():
            kept = d.load("uploads")
            if kept is not None:
                removed += _unreferenced(kept(session, settings.data_dir), cutoff)
    for path in removed:
        log.warning("removed an orphaned upload: %s", path)
    return removed


def sweep_at_start(engine: Engine, settings: Settings) -> list[Path]:
    """:func:`sweep`, as a server or a worker starts: a failure is logged, never stops the start."""
    try:
        return sweep(engine, settings)
    except Exception:  # housekeeping must not keep a server from serving
        log.exception("the sweep of orphaned uploads failed")
        return []


def _old(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except OSError:
        return False


def _unreferenced(kept: KeptUploads, cutoff: float) -> list[Path]:
    if not kept.folder.is_dir():
        return []
    referenced = {p.resolve() for p in kept.referenced}
    removed = []
    for path in sorted(kept.folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.resolve() not in referenced and _old(path, cutoff):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _job_folders(session, jobs_dir: Path, cutoff: float) -> list[Path]:
    from kotacerdas.core.jobs import DONE, FAILED
    from kotacerdas.core.models import Job

    if not jobs_dir.is_dir():
        return []
    folders = [p for p in jobs_dir.iterdir() if p.is_dir() and not p.is_symlink() and _old(p, cutoff)]
    live = _live_jobs(session, Job, [p.name for p in folders], (DONE, FAILED))
    removed = []
    for folder in folders:
        if folder.name not in live:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _live_jobs(session, job_table, ids: Iterable[str], finished: tuple[str, ...]) -> set[str]:
    """The ids among ``ids`` of jobs that are still queued or running."""
    ids = list(ids)
    live: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        live |= set(
            session.scalars(select(job_table.id).where(job_table.id.in_(chunk), job_table.status.not_in(finished)))
        )
    return live
