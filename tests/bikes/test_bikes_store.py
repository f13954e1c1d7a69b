"""The bike-share schema and the stored state: migration matches the tables, demo data, invariant checks."""

from __future__ import annotations

import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, update

import kotacerdas.tables  # noqa: F401
from kotacerdas.bikes.services import stations as manage
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeRider, BikeStation
from kotacerdas.core.db import Base, session_scope


@pytest.mark.filterwarnings("ignore:Did not recognize type")
def test_migration_creates_exactly_the_tables(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = [d for d in diff if "bike_" in str(d) and "rtree_" not in str(d) and "_gist" not in str(d)]
    assert ours == []


def test_demo_loads_fast_consistent_and_idempotent(seeded):
    t0 = time.perf_counter()
    with session_scope(seeded) as s:
        out = manage.load_demo(s)
    took = time.perf_counter() - t0
    assert out["created"] and out["stations"] == 15 and out["trips"] > 5000
    assert took < 30
    with session_scope(seeded) as s:
        assert manage.load_demo(s)["created"] is False
        system = st.get_system(s, "banyuwangi")
        assert system.is_demo
        assert st.check_invariants(s, system) == []
        state = st.load_state(s, system)
        assert len(state.stations) == 15 and len(state.bikes) == 120 and state.alerts and state.zones
        kecamatan = {r.kecamatan_name for r in s.scalars(select(BikeStation))}
        assert {"Banyuwangi", "Kalipuro"} <= kecamatan


def test_invariant_check_finds_tampering(seeded):
    with session_scope(seeded) as s:
        manage.load_demo(s)
    with session_scope(seeded) as s:
        s.execute(update(BikeRider).where(BikeRider.rider_id == "rider-0001").values(wallet=BikeRider.wallet + 1))
        s.execute(update(BikeStation).where(BikeStation.station_id == "lateng").values(docked=0))
    with session_scope(seeded) as s:
        problems = st.check_invariants(s, st.get_system(s, "banyuwangi"))
    assert any("rider-0001" in p for p in problems) and any("lateng" in p for p in problems)
