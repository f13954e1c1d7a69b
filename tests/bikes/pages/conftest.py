"""Fixtures of the Bike Sharing screen tests: the app in-process with the small system stored."""

from __future__ import annotations

import pytest

from kotacerdas.bikes.services import feed_cache

from ..factories import make_system


@pytest.fixture
def web(client, seeded):
    """An in-process client of the app, the small system ``uji`` stored."""
    feed_cache.invalidate()
    make_system(seeded)
    return client
