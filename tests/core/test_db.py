"""Write transactions on SQLite: a fair, bounded write gate; a storm of writers is served, never a pool timeout."""

from __future__ import annotations

import collections
import threading
import time

import pytest
from sqlalchemy import text

from kotacerdas.core import db
from kotacerdas.core.db import WriteGate, gate_for, make_engine, run_write, session_scope
from kotacerdas.core.errors import ServiceBusy


@pytest.fixture
def counter(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    with eng.begin() as c:
        c.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
        c.exec_driver_sql("INSERT INTO t VALUES (1, 0)")
    yield eng
    eng.dispose()


def _increment(s):
    v = s.execute(text("SELECT v FROM t WHERE id = 1")).scalar()
    time.sleep(0.002)
    s.execute(text("UPDATE t SET v = :v WHERE id = 1"), {"v": v + 1})


def test_a_storm_of_writers_is_served_in_full(counter):
    """40 threads x 5 writes, each first holding a read session (as a request's sign-in did): all served."""
    errors: collections.Counter[str] = collections.Counter()

    def worker():
        for _ in range(5):
            try:
                with session_scope(counter) as s:
                    s.execute(text("SELECT 1")).scalar()
                run_write(counter, _increment)
            except Exception as exc:  # counted, then asserted empty
                errors[type(exc).__name__] += 1

    threads = [threading.Thread(target=worker) for _ in range(40)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and time.perf_counter() - t0 < 30
    with counter.connect() as c:
        assert c.exec_driver_sql("SELECT v FROM t").scalar() == 200


def test_the_gate_hands_over_in_arrival_order():
    gate = WriteGate()
    assert gate.acquire(1)
    order: list[int] = []

    def wait(n):
        gate.acquire(5)
        order.append(n)
        gate.release()

    threads = []
    for n in range(5):
        t = threading.Thread(target=wait, args=(n,))
        t.start()
        threads.append(t)
        time.sleep(0.05)  # arrive one after another
    gate.release()
    for t in threads:
        t.join()
    assert order == [0, 1, 2, 3, 4]


def test_a_writer_that_waits_too_long_gets_busy_not_a_timeout(counter, monkeypatch):
    monkeypatch.setattr(db, "WRITE_WAIT_S", 0.2)
    gate = gate_for(counter)
    held = threading.Event()
    done = threading.Event()

    def hold():
        with session_scope(counter, write=True) as s:
            s.execute(text("UPDATE t SET v = v + 1"))
            held.set()
            done.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(5)
    t0 = time.perf_counter()
    with pytest.raises(ServiceBusy) as err:
        run_write(counter, _increment)
    assert 0.15 < time.perf_counter() - t0 < 2 and err.value.status == 503
    done.set()
    t.join()
    assert not gate._held  # released after the holder committed


def test_two_write_transactions_in_one_thread_are_a_programming_error(counter):
    with session_scope(counter, write=True) as s:
        s.execute(text("UPDATE t SET v = v + 1"))
        with pytest.raises(RuntimeError, match="write slot"):
            run_write(counter, _increment)


def test_a_writer_waiting_for_its_turn_holds_no_connection(tmp_path):
    """Two pooled connections: one writer holds the slot (and a connection), a second waits for the slot; a reader
    still gets the second connection at once, because the waiting writer has not checked one out."""
    eng = make_engine(f"sqlite:///{tmp_path / 'p.sqlite3'}", pool_size=2, max_overflow=0, pool_timeout=1.0)
    with eng.begin() as c:
        c.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
        c.exec_driver_sql("INSERT INTO t VALUES (1, 0)")
    holding, waiting, done = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with session_scope(eng, write=True) as s:
            s.execute(text("UPDATE t SET v = v + 1"))
            holding.set()
            done.wait(10)

    def second() -> None:
        waiting.set()
        with session_scope(eng, write=True) as s:
            s.execute(text("UPDATE t SET v = v + 1"))

    a, b = threading.Thread(target=first), threading.Thread(target=second)
    a.start()
    assert holding.wait(10)
    b.start()
    assert waiting.wait(10)
    time.sleep(0.2)  # the second writer is in the gate now
    try:
        assert eng.pool.checkedout() == 1
        t0 = time.perf_counter()
        with session_scope(eng) as s:
            assert s.execute(text("SELECT v FROM t")).scalar() == 0  # the first writer has not committed yet
        assert time.perf_counter() - t0 < 0.5
    finally:
        done.set()
        a.join()
        b.join()
    with session_scope(eng) as s:
        assert s.execute(text("SELECT v FROM t")).scalar() == 2
    eng.dispose()


def test_a_text_longer_than_its_column_is_a_400_naming_the_field(engine):
    """PostgreSQL refused it with an internal error and SQLite kept it whole: now both refuse it, by field."""
    from kotacerdas.core.errors import KotacerdasError
    from kotacerdas.core.models import City

    with pytest.raises(KotacerdasError) as err, session_scope(engine) as s:
        s.add(City(code="99.99", name="x" * 5000, kind="kota"))
    assert err.value.status == 400 and err.value.field == "name" and "200" in err.value.render("en")
    with session_scope(engine) as s:
        assert s.scalar(text("SELECT count(*) FROM cities WHERE code = '99.99'")) == 0
