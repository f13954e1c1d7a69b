"""The database's own guards of Bike Sharing: CHECK constraints and partial unique indexes refuse bad rows
whatever the application does, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import kotacerdas.tables  # noqa: F401
from kotacerdas.bikes.services import rentals as service
from kotacerdas.bikes.store.tables import BikeRental, BikeRider
from kotacerdas.core.db import Base, session_scope

from ..factories import SYSTEM, make_riders


@pytest.mark.filterwarnings("ignore:Did not recognize type")
def test_migration_creates_exactly_the_tables(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = [d for d in diff if "bike_" in str(d) and "rtree_" not in str(d) and "_gist" not in str(d)]
    assert ours == []


def test_stored_wallet_can_never_go_below_zero(system):
    """The CHECK constraint refuses a negative wallet even if the application tried to write one."""
    (u,) = make_riders(system, 1, balance=1000)
    with pytest.raises(IntegrityError):
        with session_scope(system) as s:
            s.execute(BikeRider.__table__.update().where(BikeRider.user_id == u).values(wallet=-1))


def test_schema_refuses_a_second_active_rental_of_a_bike(system):
    u1, u2 = make_riders(system, 2)
    service.rent(system, SYSTEM, u1, bike_id="uji-alpha-0")
    with pytest.raises(IntegrityError):
        with session_scope(system) as s:
            first = s.scalar(select(BikeRental).where(BikeRental.status == "active"))
            r2 = s.scalar(select(BikeRider).where(BikeRider.user_id == u2))
            s.add(
                BikeRental(
                    city_id=first.city_id,
                    system_pk=first.system_pk,
                    rental_id="dup",
                    rider_pk=r2.id,
                    bike_pk=first.bike_pk,
                    bike_code=first.bike_code,
                    start_station_id="alpha",
                    start_time=datetime.now().astimezone(),
                    status="active",
                )
            )
            s.flush()
