"""Availability under concurrent writes: rider storms against a real uvicorn server, on SQLite and PostgreSQL.

Every request is answered (none times out), none with a 500; on SQLite at most 5 % are a 503 with
``Retry-After`` (the write gate's bounded wait), on PostgreSQL none; the rentals that succeed are exactly
the bikes available; afterwards every bike and rental invariant holds and the money reconciles. The
figures under load (1 to 100 clients) are measured by ``bench/rider_storm.py``.
"""

from __future__ import annotations

import logging
import time
from collections import Counter

import pytest

from kotacerdas.web.app import create_app
from tests.conftest import settings_for
from tests.live import LiveServer
from tests.storm import BALANCE, make_riders, make_system, reconcile, rent, round_trip, storm

pytestmark = [pytest.mark.slow, pytest.mark.serial]  # alone: the 503 share depends on what else runs

#: Generous: the test proves that every request is answered, the bench measures how fast.
TIMEOUT_S = 30.0
#: Every request answered within this (seconds): on SQLite the write gate bounds the wait (503 past
#: ``WRITE_WAIT_S``); PostgreSQL serves every request and on a loaded 2-core machine its slowest took 5.0 s in
#: ``bench/rider_storm.py``, so it gets twice the room here and the bench reports its figures.
ANSWERED_S = {"sqlite": 5.0, "postgres": 10.0}


@pytest.fixture(autouse=True)
def _no_retried_writes(caplog):
    """No write transaction of the storm was retried: no deadlock, no lock timeout, no busy database."""
    caplog.set_level(logging.WARNING, logger="kotacerdas.db")
    yield
    retried = [r.getMessage() for r in caplog.records if r.name == "kotacerdas.db"]
    assert retried == [], (len(retried), retried[:3])


def _assert_served(out, backend: str, requests: int) -> None:
    assert out.errors == [], out.errors[:5]
    assert out.requests == requests, out.statuses
    assert set(out.statuses) <= {200, 201, 402, 409, 503}, out.statuses
    busy = out.share(503)
    assert busy <= (0.05 if backend == "sqlite" else 0.0), out.statuses
    assert max(out.latencies) <= ANSWERED_S[backend], (max(out.latencies), out.quantile(0.99))


def test_hundred_riders_rent_and_return_at_once(seeded, backend, tmp_path):
    """100 riders, each with their own account, rent at once from a station of 40 bikes and return them."""
    make_system(seeded, bikes=40)
    tokens = make_riders(seeded, 100)
    with LiveServer(create_app(settings_for(seeded, tmp_path), engine=seeded)) as base:
        out = storm(base, tokens, timeout=TIMEOUT_S)
    rents, ends = out.by_kind["rent"], out.by_kind.get("end", Counter())
    _assert_served(out, backend, 100 + rents[201])
    # rents queue for the bikes (returned elsewhere): the first 40 that get in get one, a 503 never got in
    assert rents[201] == min(40, 100 - rents[503]), rents
    assert set(rents) <= {201, 409, 503} and ends[200] == rents[201] - ends[503], (rents, ends)
    assert reconcile(seeded, 100 * BALANCE) == []


def test_hundred_rents_with_one_token(seeded, backend, tmp_path):
    """One rider's token sends 100 rents at once: exactly one ride starts, the others are refused (409)."""
    make_system(seeded, bikes=10)
    tokens = make_riders(seeded, 1)
    with LiveServer(create_app(settings_for(seeded, tmp_path), engine=seeded)) as base:
        out = storm(base, tokens * 100, rent, timeout=TIMEOUT_S)
    _assert_served(out, backend, 100)
    assert out.statuses[201] == 1, out.statuses
    assert reconcile(seeded, BALANCE) == []


def test_fifty_riders_race_for_three_bikes(seeded, backend, tmp_path):
    """50 riders rent at once where 3 bikes stand: exactly 3 rentals, 47 clean refusals."""
    make_system(seeded, bikes=3)
    tokens = make_riders(seeded, 50)
    with LiveServer(create_app(settings_for(seeded, tmp_path), engine=seeded)) as base:
        out = storm(base, tokens, rent, timeout=TIMEOUT_S)
    _assert_served(out, backend, 50)
    assert out.statuses[201] == 3, out.statuses
    assert reconcile(seeded, 50 * BALANCE) == []


def test_forty_riders_rent_and_return_in_a_loop(seeded, backend, tmp_path):
    """40 riders rent and return at one station for two seconds: each rent then waits for the returns and
    rents before it at that station, and no write deadlocks with another (on PostgreSQL they did, and timed
    out, while rents locked the bike before the station and returns the station before the bike)."""
    make_system(seeded, bikes=40)
    tokens = make_riders(seeded, 40, balance=10_000_000)
    with LiveServer(create_app(settings_for(seeded, tmp_path), engine=seeded)) as base:
        out = storm(base, tokens, round_trip, until=time.perf_counter() + 2, timeout=TIMEOUT_S)
    _assert_served(out, backend, out.requests)
    assert out.statuses[201] >= 40 and set(out.by_kind["rent"]) <= {201, 503}, out.by_kind
    assert reconcile(seeded, 40 * 10_000_000) == []
