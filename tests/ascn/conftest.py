"""Fixtures of the ASCN tests: the seeded platform (two cities, one user per role) with the ASCN demo loaded."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from kotacerdas.core.db import session_scope


@pytest.fixture
def ascn_db(seeded: Engine) -> Engine:
    """The seeded database with the ASCN demo registry (31 member cities, Banyuwangi and Makassar linked)."""
    from kotacerdas.ascn.demo import load_demo
    from kotacerdas.ascn.services import partners, registry

    with session_scope(seeded) as s:
        load_demo(s)
        partners.add_editor(s, registry.get_partner(s, "nusantara-digital-consultants"), "ascnpartner.3510")
    return seeded


@pytest.fixture
def embedded(ascn_db: Engine) -> Engine:
    """:func:`ascn_db` with every search document embedded by the default model."""
    from kotacerdas.ascn.services.knowledge import refresh_embeddings

    refresh_embeddings(ascn_db)
    return ascn_db


@pytest.fixture
def api(ascn_db, client):
    """The in-process client on the seeded database with the ASCN demo (and its embeddings)."""
    from kotacerdas.ascn.services.knowledge import refresh_embeddings

    refresh_embeddings(ascn_db)
    return client
