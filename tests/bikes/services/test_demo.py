"""The stored Banyuwangi demo: fast, consistent with every invariant, idempotent, with its kecamatan."""

from __future__ import annotations

from sqlalchemy import select

from kotacerdas.bikes.services.demo import store_demo
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeStation
from kotacerdas.core.db import session_scope


def test_demo_loads_consistent_and_idempotent(seeded):
    with session_scope(seeded) as s:
        out = store_demo(s)
    assert out["created"] and out["stations"] == 15 and out["trips"] > 5000
    with session_scope(seeded) as s:
        assert store_demo(s)["created"] is False
        system = st.get_system(s, "banyuwangi")
        assert system.is_demo
        assert st.check_invariants(s, system) == []
        state = st.load_state(s, system)
        assert len(state.stations) == 15 and len(state.bikes) == 120 and state.alerts and state.zones
        kecamatan = {r.kecamatan_name for r in s.scalars(select(BikeStation))}
        assert {"Banyuwangi", "Kalipuro"} <= kecamatan
