"""A real server for tests that need one: the app served by uvicorn in a thread, and a /healthz poller."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import httpx
import uvicorn

from tests.conftest import free_port


class LiveServer:
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


class HealthPoller(threading.Thread):
    """Asks /healthz every 10 ms and keeps when each answer came (wall clock) and how long it took."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base, self.stop, self.latencies, self.failures = base, threading.Event(), [], []
        self.answered_at: list[float] = []

    def answers_between(self, start: float, end: float) -> int:
        """How many answers came between two wall-clock times (a job's start and end)."""
        return sum(1 for t in self.answered_at if start <= t <= end)

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=5) as c:
            while not self.stop.is_set():
                t0 = time.perf_counter()
                r = c.get("/healthz")
                self.latencies.append(time.perf_counter() - t0)
                self.answered_at.append(time.time())
                if r.status_code != 200:
                    self.failures.append(r.status_code)
                time.sleep(0.01)


def assert_answered_during(poller: HealthPoller, job: dict) -> None:
    """The server answered /healthz while the job ran: a blocked event loop answers nothing until the job ends."""
    start, end = (_wall(job[k]) for k in ("started_at", "finished_at"))
    assert end - start > 0.5, "the job was too short to show anything"
    assert poller.answers_between(start, end) >= 5, (poller.answers_between(start, end), end - start)


def _wall(stamp: str) -> float:
    moment = datetime.fromisoformat(stamp)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
