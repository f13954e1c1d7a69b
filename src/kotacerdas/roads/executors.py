"""Where many drives are inspected: in this process, on a local process pool (the default), or on a Ray cluster.

:func:`run_drives` hands each :class:`~kotacerdas.roads.inspection.DriveTask` to
:func:`~kotacerdas.roads.inspection.inspect_drive` and yields the outcomes as they finish, so the caller stores each
drive as soon as it is done (a rerun then skips what was stored). A drive whose worker fails (a crash, a lost Ray
node) comes back as an outcome with its ``error``; it never stops the others.

* ``inline``: one after another in this process (tests, a single drive);
* ``process``: a ``concurrent.futures`` pool of ``workers`` processes (spawned: the model runtimes start threads,
  which a fork would copy in a broken state);
* ``ray``: tasks on a Ray cluster (``address`` of its head, e.g. ``ray://head:10001`` or ``auto``; without one a
  local Ray is started). Ray is imported only here, only when asked.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from kotacerdas.core.i18n import N_
from kotacerdas.roads.errors import RoadsError
from kotacerdas.roads.inspection import STAGES, DriveOutcome, DriveTask, inspect_drive

EXECUTORS = ("inline", "process", "ray")


def _failed(task: DriveTask, exc: BaseException) -> DriveOutcome:
    return DriveOutcome(
        task.key,
        [],
        {s: 0.0 for s in STAGES},
        "",
        error=N_("the drive failed: {reason}"),
        error_params={"reason": f"{type(exc).__name__}: {str(exc)[:300]}"},
    )


def _inline(tasks: Sequence[DriveTask]) -> Iterator[DriveOutcome]:
    for task in tasks:
        try:
            yield inspect_drive(task)
        except Exception as exc:  # one drive's fault is its own
            yield _failed(task, exc)


def _pool(tasks: Sequence[DriveTask], workers: int) -> Iterator[DriveOutcome]:
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, workers), mp_context=ctx) as pool:
        futures = {pool.submit(inspect_drive, t): t for t in tasks}
        for fut in as_completed(futures):
            try:
                yield fut.result()
            except Exception as exc:  # a worker that died, or a fault it raised
                yield _failed(futures[fut], exc)


def _ray(tasks: Sequence[DriveTask], address: str | None, workers: int) -> Iterator[DriveOutcome]:
    try:
        import ray
    except ImportError:
        raise RoadsError(N_("Ray is not installed: install the vision extra (ray)"), field="executor") from None
    started = False
    if not ray.is_initialized():
        if address:
            ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
        else:
            ray.init(num_cpus=max(1, workers), ignore_reinit_error=True, log_to_driver=False, include_dashboard=False)
        started = True
    try:
        remote = ray.remote(num_cpus=1, max_retries=1)(inspect_drive)
        refs = {remote.remote(t): t for t in tasks}
        pending = list(refs)
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            for ref in done:
                try:
                    yield ray.get(ref)
                except Exception as exc:  # a failed task or a lost node
                    yield _failed(refs[ref], exc)
    finally:
        if started and not address:
            ray.shutdown()


def run_drives(
    tasks: Sequence[DriveTask], *, executor: str = "process", workers: int = 2, address: str | None = None
) -> Iterator[DriveOutcome]:
    """Inspect ``tasks`` on ``executor`` and yield each outcome as it finishes (in no fixed order).

    Raises
    ------
    RoadsError
        An unknown executor, or Ray asked for and not installed.
    """
    if executor not in EXECUTORS:
        raise RoadsError(
            N_("executor {name} is not one of {known}"), field="executor", name=executor, known=", ".join(EXECUTORS)
        )
    if not tasks:
        return iter(())
    if executor == "inline" or (executor == "process" and (workers <= 1 or len(tasks) == 1)):
        return _inline(tasks)
    if executor == "process":
        return _pool(tasks, workers)
    return _ray(tasks, address, workers)
