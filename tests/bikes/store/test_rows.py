"""Rows and records of Bike Sharing: the invariant check recomputes money and docks from the rows and finds
tampering."""

from __future__ import annotations

from sqlalchemy import update

from kotacerdas.bikes.services.demo import store_demo
from kotacerdas.bikes.store import rows as st
from kotacerdas.bikes.store.tables import BikeRider, BikeStation
from kotacerdas.core.db import session_scope


def test_invariant_check_finds_tampering(seeded):
    with session_scope(seeded) as s:
        store_demo(s)
    with session_scope(seeded) as s:
        s.execute(update(BikeRider).where(BikeRider.rider_id == "rider-0001").values(wallet=BikeRider.wallet + 1))
        s.execute(update(BikeStation).where(BikeStation.station_id == "lateng").values(docked=0))
    with session_scope(seeded) as s:
        problems = st.check_invariants(s, st.get_system(s, "banyuwangi"))
    assert any("rider-0001" in p for p in problems) and any("lateng" in p for p in problems)
