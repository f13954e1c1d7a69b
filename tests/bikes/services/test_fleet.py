"""The operator's fleet as database transactions: moves by the rules of ``operations.py``, dock counts, tasks."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kotacerdas.bikes.errors import BikesError
from kotacerdas.bikes.services import fleet
from kotacerdas.bikes.services import rentals as service
from kotacerdas.bikes.store.tables import BikeReservation, BikeRow
from kotacerdas.core.db import session_scope
from kotacerdas.core.models import AuditEvent

from ..factories import SYSTEM, invariants, make_riders, station


def test_operator_bike_moves_keep_dock_counts(system):
    fleet.set_bike(system, SYSTEM, "uji-alpha-0", station_id="beta")
    fleet.set_bike(system, SYSTEM, "uji-alpha-1", station_id="beta")
    with pytest.raises(BikesError) as err:
        fleet.set_bike(system, SYSTEM, "uji-alpha-2", station_id="beta")
    assert err.value.status == 409
    fleet.set_bike(system, SYSTEM, "uji-alpha-2", status="missing")
    assert station(system, "alpha").docked == 0 and station(system, "beta").docked == 2
    with pytest.raises(BikesError):
        fleet.set_bike(system, SYSTEM, "uji-alpha-2", status="rented")
    fleet.set_bike(system, SYSTEM, "uji-alpha-2", status="available", station_id="alpha")
    assert invariants(system) == []


def _bike(engine, bike_id: str) -> BikeRow:
    with session_scope(engine) as s:
        return s.scalar(select(BikeRow).where(BikeRow.bike_id == bike_id))


def test_to_the_workshop_and_back_into_a_dock(system):
    out = fleet.set_bike(system, SYSTEM, "uji-alpha-0", status="maintenance", station_id="")
    assert out == {"bike_id": "uji-alpha-0", "status": "maintenance", "station_id": None}
    assert station(system, "alpha").docked == 2 and _bike(system, "uji-alpha-0").station_pk is None
    with pytest.raises(BikesError) as err:  # an available bike needs a dock
        fleet.set_bike(system, SYSTEM, "uji-alpha-0", status="available")
    assert err.value.status == 409 and err.value.field == "station_id"
    out = fleet.set_bike(system, SYSTEM, "uji-alpha-0", status="available", station_id="gamma", battery=None)
    bike = _bike(system, "uji-alpha-0")
    assert out["station_id"] == "gamma" and station(system, "gamma").docked == 3
    assert (bike.lat, bike.lon) == (-8.2004, 114.3803)
    assert invariants(system) == []


def test_a_rented_bike_changes_only_by_its_return(system):
    (u,) = make_riders(system, 1)
    service.rent(system, SYSTEM, u, bike_id="uji-alpha-0")
    with pytest.raises(BikesError) as err:
        fleet.set_bike(system, SYSTEM, "uji-alpha-0", status="broken")
    assert err.value.status == 409
    assert invariants(system) == []


def test_a_reserved_bike_taken_out_loses_its_reservation(system):
    (u,) = make_riders(system, 1)
    service.reserve(system, SYSTEM, u, "uji-alpha-0")
    fleet.set_bike(system, SYSTEM, "uji-alpha-0", status="broken", user_id=None)
    with session_scope(system) as s:
        assert s.scalar(select(BikeReservation.status)) == "cancelled"
        audit = s.scalar(select(AuditEvent).where(AuditEvent.action == "bikes.bike.update"))
        assert audit.target == "uji-alpha-0" and audit.detail == {"status": "broken"}
    assert invariants(system) == []


def test_a_new_bike_needs_a_free_dock_and_keeps_a_battery_only_when_electric(system):
    fleet.add_bike(system, SYSTEM, "new-e", "ebike", "beta", battery=0.5)
    fleet.add_bike(system, SYSTEM, "new-c", "classic", "beta", battery=0.5)
    assert _bike(system, "new-e").battery == 0.5 and _bike(system, "new-c").battery is None
    with pytest.raises(BikesError) as err:
        fleet.add_bike(system, SYSTEM, "new-x", "classic", "beta")
    assert err.value.status == 409 and station(system, "beta").docked == 2
    assert invariants(system) == []
