"""Fixtures of the Bike Sharing API tests: the app in-process on a seeded database with the small system."""

from __future__ import annotations

import pytest

from kotacerdas.bikes.services import feed_cache

from ..factories import make_system


@pytest.fixture
def api(client, seeded):
    """An in-process client of the app, the small system ``uji`` stored (SQLite, and PostgreSQL when configured)."""
    feed_cache.invalidate()
    make_system(seeded)
    return client
