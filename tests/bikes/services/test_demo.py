"""The stored Banyuwangi demo: fast, consistent with every invariant, idempotent, with its kecamatan."""

from __future__ import annotations

import time

from sqlalchemy import select

from kotacerdas.bikes.services.demo import store_demo
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeStation
from kotacerdas.core.db import session_scope


def test_demo_loads_fast_consistent_and_idempotent(seeded):
    t0 = time.perf_counter()
    with session_scope(seeded) as s:
        out = store_demo(s)
    took = time.perf_counter() - t0
    assert out["created"] and out["stations"] == 15 and out["trips"] > 5000
    assert took < 30
    with session_scope(seeded) as s:
        assert store_demo(s)["created"] is False
        system = st.get_system(s, "banyuwangi")
        assert system.is_demo
        assert st.check_invariants(s, system) == []
        state = st.load_state(s, system)
        assert len(state.stations) == 15 and len(state.bikes) == 120 and state.alerts and state.zones
        kecamatan = {r.kecamatan_name for r in s.scalars(select(BikeStation))}
        assert {"Banyuwangi", "Kalipuro"} <= kecamatan
