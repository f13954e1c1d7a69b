"""The migrations build exactly the tables the code declares, and can be undone."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import kotacerdas.tables  # noqa: F401  (every domain's tables)
from kotacerdas.core import migrate
from kotacerdas.core.db import Base


def _differences(engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diffs = compare_metadata(ctx, Base.metadata)
    ignored_tables = {"spatial_ref_sys"}
    out = []
    for d in diffs:
        kind = d[0] if isinstance(d, tuple) else d[0][0]
        table = None
        if isinstance(d, tuple) and kind in ("add_table", "remove_table"):
            table = d[1].name
        # index tables kept by triggers: SQLite R*Tree (spatial) and FTS5 (full text) virtual tables
        if table and (table in ignored_tables or table.startswith(("rtree_", "fts_"))):
            continue
        if kind in ("add_index", "remove_index") and "gist" in str(d):
            continue
        out.append(d)
    return out


@pytest.mark.filterwarnings("ignore:Did not recognize type 'geometry'")
def test_models_match_migrations(engine):
    assert _differences(engine) == []


def test_downgrade_and_upgrade_again(engine):
    migrate.downgrade(engine, "base")
    assert migrate.current(engine) is None
    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.heads()
