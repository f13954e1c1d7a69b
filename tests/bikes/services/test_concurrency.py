"""Hundreds of riders racing for a few bikes and a few docks, on SQLite and PostgreSQL.

The count of successful rentals must equal the bikes available, every refused request
must be a clean 4xx, and afterwards every invariant (one active rental per bike, docks,
money) must hold.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter

import pytest
from sqlalchemy import select

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import fleet
from kotacerdas.bikes.services import rentals as service
from kotacerdas.bikes.store.tables import BikeRental, BikeRow, BikeStation
from kotacerdas.core.db import session_scope
from kotacerdas.core.errors import KotacerdasError

from ..factories import SYSTEM, invariants, make_riders, make_system

CLIENTS = 200


@pytest.fixture(autouse=True)
def _no_retried_writes(caplog):
    """No write of these races was retried: rents, returns and moves take their rows in one order (no deadlock)."""
    caplog.set_level(logging.WARNING, logger="kotacerdas.db")
    yield
    retried = [r.getMessage() for r in caplog.records if r.name == "kotacerdas.db"]
    assert retried == [], (len(retried), retried[:3])


def race(fn, args: list) -> Counter:
    """Run ``fn(arg)`` in one thread per argument, all released at once; count the outcomes."""
    barrier = threading.Barrier(len(args))
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def worker(arg):
        barrier.wait()
        try:
            fn(arg)
            result = "ok"
        except KotacerdasError as exc:
            result = exc.status
        except Exception as exc:  # anything else is a bug: report it
            result = f"{type(exc).__name__}: {exc}"
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=worker, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_hundreds_of_riders_race_for_few_bikes(seeded):
    make_system(seeded, ebike_at=None)
    users = make_riders(seeded, CLIENTS)
    # half name a bike, half ask for any bike at the station
    outcomes = race(
        lambda u: (
            service.rent(seeded, SYSTEM, u, bike_id=f"{SYSTEM}-alpha-{u % 3}")
            if u % 2
            else service.rent(seeded, SYSTEM, u, station_id="alpha")
        ),
        users,
    )
    assert outcomes["ok"] == 3, outcomes
    assert set(outcomes) <= {"ok", 409}, outcomes
    with session_scope(seeded) as s:
        active = s.scalars(select(BikeRental.bike_code).where(BikeRental.status == "active")).all()
        assert sorted(active) == [f"{SYSTEM}-alpha-{k}" for k in range(3)]
        assert s.scalar(select(BikeStation.docked).where(BikeStation.station_id == "alpha")) == 0
    assert invariants(seeded) == []


def test_concurrent_returns_never_overfill_a_station(seeded):
    """Eight riders return at once to a two-dock station: two dock, six are sent on and dock elsewhere."""
    stations = [
        ("alpha", -8.2137, 114.3676, 10, 8),
        ("beta", -8.2086, 114.3736, 2, 0),
        ("gamma", -8.2004, 114.3803, 10, 0),
    ]
    make_system(seeded, stations=stations, ebike_at=None)
    users = make_riders(seeded, 8)
    for u in users:
        service.rent(seeded, SYSTEM, u, station_id="alpha")
    sent_on: dict[int, str] = {}

    def end(u):
        try:
            service.end_rental(seeded, SYSTEM, u, "beta")
        except BikesError as exc:
            sent_on[u] = exc.params.get("nearest")
            raise

    outcomes = race(end, users)
    assert outcomes == Counter({"ok": 2, 409: 6}), outcomes
    assert set(sent_on.values()) <= {"alpha", "gamma"}
    outcomes = race(lambda u: service.end_rental(seeded, SYSTEM, u, sent_on[u]), list(sent_on))
    assert outcomes == Counter({"ok": 6}), outcomes
    with session_scope(seeded) as s:
        docked = dict(s.execute(select(BikeStation.station_id, BikeStation.docked)).all())
        assert docked["beta"] == 2 and sum(docked.values()) == 8
        assert s.scalar(select(BikeRow.id).where(BikeRow.status == "rented")) is None
    assert invariants(seeded) == []


def test_many_riders_rent_and_return_at_once_with_money_balanced(seeded):
    """Every rider rents and returns in a burst; all wallets and docks reconcile afterwards."""
    stations = [
        ("alpha", -8.2137, 114.3676, 30, 20),
        ("beta", -8.2086, 114.3736, 5, 0),
        ("gamma", -8.2004, 114.3803, 40, 0),
    ]
    make_system(seeded, stations=stations, ebike_at=None)
    users = make_riders(seeded, 60, balance=4000)

    def ride(u):
        service.rent(seeded, SYSTEM, u, station_id="alpha")
        try:
            service.end_rental(seeded, SYSTEM, u, "beta")
        except BikesError as exc:
            service.end_rental(seeded, SYSTEM, u, exc.params["nearest"])

    outcomes = race(ride, users)
    # bikes come back while others still wait, so at least the 20 bikes and at most every rider ride
    assert 20 <= outcomes["ok"] <= 60 and set(outcomes) <= {"ok", 409}, outcomes
    with session_scope(seeded) as s:
        docked = dict(s.execute(select(BikeStation.station_id, BikeStation.docked)).all())
        assert docked["beta"] == 5 and sum(docked.values()) == 20
        ended = s.scalars(select(BikeRental.status).where(BikeRental.source == "app")).all()
        assert len(ended) == outcomes["ok"] and set(ended) == {"ended"}
    assert invariants(seeded) == []


def test_rents_and_returns_cross_at_one_station(seeded):
    """Riders return to a station while others rent there (both lock the station, then the bike): no deadlock
    escapes, no dock is lost, money reconciles."""
    stations = [
        ("alpha", -8.2137, 114.3676, 12, 6),
        ("beta", -8.2086, 114.3736, 12, 12),
    ]
    make_system(seeded, stations=stations, ebike_at=None)
    returners = make_riders(seeded, 6, prefix="ret")
    renters = make_riders(seeded, 30, prefix="ren")
    for u in returners:
        service.rent(seeded, SYSTEM, u, station_id="beta")

    def act(u):
        if u in returners:
            service.end_rental(seeded, SYSTEM, u, "alpha")
        else:
            service.rent(seeded, SYSTEM, u, station_id="alpha")

    outcomes = race(act, returners + renters)
    assert set(outcomes) <= {"ok", 409}, outcomes
    # every return docks (alpha has room for all six); at most the 6 + 6 bikes there are rented
    assert 6 + 6 <= outcomes["ok"] <= 6 + 12, outcomes
    with session_scope(seeded) as s:
        docked = dict(s.execute(select(BikeStation.station_id, BikeStation.docked)).all())
        rented = s.scalars(select(BikeRow.id).where(BikeRow.status == "rented")).all()
        assert docked["beta"] == 6 and docked["alpha"] + len(rented) == 12
    assert invariants(seeded) == []


def test_operator_moves_cross_rents_at_one_station(seeded):
    """An operator moves the bikes of a station away while riders rent there: each bike is moved or rented, once,
    and no write is retried (the move locks the bike's station before the bike, as rents and returns do)."""
    stations = [("alpha", -8.2137, 114.3676, 12, 10), ("beta", -8.2086, 114.3736, 12, 0)]
    make_system(seeded, stations=stations, ebike_at=None)
    renters = make_riders(seeded, 20, prefix="ren")

    def act(who):
        if isinstance(who, str):
            fleet.set_bike(seeded, SYSTEM, who, station_id="beta")
        else:
            service.rent(seeded, SYSTEM, who, station_id="alpha")

    outcomes = race(act, [f"{SYSTEM}-alpha-{k}" for k in range(10)] + renters)
    assert set(outcomes) <= {"ok", 409} and outcomes["ok"] == 10, outcomes
    with session_scope(seeded) as s:
        docked = dict(s.execute(select(BikeStation.station_id, BikeStation.docked)).all())
        rented = s.scalars(select(BikeRow.id).where(BikeRow.status == "rented")).all()
        assert docked["alpha"] == 0 and docked["beta"] + len(rented) == 10
    assert invariants(seeded) == []


def test_a_refused_rent_writes_nothing(seeded):
    """A refusal (empty station, unknown station, no money) is answered without changing any row."""
    stations = [("alpha", -8.2137, 114.3676, 4, 1), ("beta", -8.2086, 114.3736, 4, 0)]
    make_system(seeded, stations=stations, ebike_at=None)
    rich, poor = make_riders(seeded, 1, prefix="rich")[0], make_riders(seeded, 1, balance=0, prefix="poor")[0]

    def snapshot():
        with session_scope(seeded) as s:
            return (
                s.execute(select(BikeStation.station_id, BikeStation.docked).order_by(BikeStation.id)).all(),
                s.execute(select(BikeRow.bike_id, BikeRow.status).order_by(BikeRow.id)).all(),
                s.scalars(select(BikeRental.id)).all(),
            )

    before = snapshot()
    for user, where, status in ((rich, "beta", 409), (rich, "nowhere", 404), (poor, "alpha", 402)):
        try:
            service.rent(seeded, SYSTEM, user, station_id=where)
        except KotacerdasError as exc:
            assert exc.status == status
        else:
            raise AssertionError(f"renting at {where} should be refused")
    assert snapshot() == before
    assert service.rent(seeded, SYSTEM, rich, station_id="alpha")["start_station_id"] == "alpha"
    assert invariants(seeded) == []
