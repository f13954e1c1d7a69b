"""Fixtures of the Bike Sharing tests: a small system on each backend, the GBFS schemas."""

from __future__ import annotations

import pytest

from .factories import make_system
from .gbfs_schemas import validators


@pytest.fixture
def system(seeded):
    """The seeded database (SQLite, and PostgreSQL when configured) with the small system ``uji``."""
    make_system(seeded)
    return seeded


@pytest.fixture(scope="session")
def schemas(shared_dir):
    """The official GBFS JSON Schemas as validators (skips without ``../shared/standards/gbfs``)."""
    folder = shared_dir / "standards" / "gbfs"
    if not folder.is_dir():
        pytest.skip("../shared/standards/gbfs is not available")
    return validators(folder)
