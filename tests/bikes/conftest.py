"""Fixtures of the Bike Sharing tests: a small system on each backend, the GBFS schemas."""

from __future__ import annotations

import pytest

from kotacerdas.bikes.services import destinations, feed_cache
from kotacerdas.core import accounts
from kotacerdas.core.db import session_scope
from kotacerdas.network.demo import demo_osm_xml
from kotacerdas.network.store import import_network

from .factories import make_system
from .gbfs_schemas import validators


@pytest.fixture
def system(seeded):
    """The seeded database (SQLite, and PostgreSQL when configured) with the small system ``uji``."""
    make_system(seeded)
    return seeded


@pytest.fixture
def routes_api(client, seeded, tmp_path):
    """An in-process client with the small system ``uji`` on the demo's generated region network and the
    curated demo destinations (SQLite, and PostgreSQL when configured)."""
    feed_cache.invalidate()
    make_system(seeded)
    path = tmp_path / "region.osm"
    path.write_bytes(demo_osm_xml())
    with session_scope(seeded) as s:
        city = accounts.get_city(s, "35.10")
        import_network(s, city, path)
        destinations.load_demo(s, city.id)
    return client


@pytest.fixture(scope="session")
def schemas(shared_dir):
    """The official GBFS JSON Schemas as validators (skips without ``../shared/standards/gbfs``)."""
    folder = shared_dir / "standards" / "gbfs"
    if not folder.is_dir():
        pytest.skip("../shared/standards/gbfs is not available")
    return validators(folder)
