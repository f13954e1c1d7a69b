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


def test_tokens_issued_before_every_token_had_a_lifetime_get_one(engine):
    """Tokens stored with no expiry (before lifetimes) lived for ever; the upgrade gives each the lifetime of its
    kind from when it was issued, so an old one stops working and a recent one keeps working until it ends."""
    from datetime import timedelta

    from sqlalchemy import text

    from kotacerdas.core import accounts
    from kotacerdas.core.db import session_scope, utcnow
    from kotacerdas.core.models import ApiToken

    migrate.downgrade(engine, "0012_platform_job_heartbeat")
    with session_scope(engine) as s:
        user = accounts.create_user(s, "lama", "kata-sandi-lama-1")
        old, recent = accounts.issue_token(s, user), accounts.issue_token(s, user, kind="session")
        s.flush()
        for token, age in ((old, 40), (recent, 2)):
            row = s.query(ApiToken).filter_by(token_hash=accounts.token_digest(token)).one()
            row.expires_at, row.created_at = None, utcnow() - timedelta(days=age)
    with session_scope(engine) as s:
        assert s.execute(text("SELECT count(*) FROM api_tokens WHERE expires_at IS NULL")).scalar() == 2
    migrate.upgrade(engine)
    with session_scope(engine) as s:
        assert accounts.user_for_token(s, old) is None
        assert accounts.user_for_token(s, recent) is not None
        row = s.query(ApiToken).filter_by(token_hash=accounts.token_digest(recent)).one()
        assert row.expires_at - row.created_at == timedelta(days=accounts.SESSION_DAYS)


def test_activities_stored_in_one_language_become_their_indonesian_text(engine):
    """Activities stored before they had two languages keep their name, description and products' names as the
    Indonesian text, English left empty (the pages then say the text is in Bahasa Indonesia only); undone, a text in
    two languages goes back to its Indonesian text."""
    import json

    from sqlalchemy import select, text

    from kotacerdas.core.db import session_scope
    from kotacerdas.lorong.services import units
    from kotacerdas.lorong.store.tables import LorongActivity, LorongUnit
    from tests.conftest import seed
    from tests.lorong.conftest import build

    world = build(seed(engine))
    with session_scope(engine) as s:
        unit = s.get(LorongUnit, world.units["lr-a1"])
        units.save_activity(s, unit, "dapur", {"kind": "umkm", "name": {"id": "Dapur", "en": "Kitchen"}})
    migrate.downgrade(engine, "0004_lorong")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT name FROM lorong_activities WHERE code = 'dapur'")).scalar() == "Dapur"
        conn.execute(
            text(
                "INSERT INTO lorong_activities (city_id, unit_id, code, kind, name, description, products, contact,"
                " contact_public, is_public, created_at, updated_at)"
                " SELECT city_id, id, 'kebun', 'urban_farm', 'Kebun lorong', 'Kebun warga', :p, '', false, true,"
                " created_at, created_at FROM lorong_units WHERE code = 'lr-a1'"
            ),
            {"p": json.dumps([{"name": "Sayur", "price": 5000, "unit": "ikat"}])},
        )
    migrate.upgrade(engine)
    with session_scope(engine) as s:
        by_code = {a.code: a for a in s.scalars(select(LorongActivity))}
        old = by_code["kebun"]
        assert old.name == {"id": "Kebun lorong", "en": ""} and old.description == {"id": "Kebun warga", "en": ""}
        assert old.products == [{"name": {"id": "Sayur", "en": ""}, "price": 5000, "unit": "ikat"}]
        assert by_code["dapur"].name == {"id": "Dapur", "en": ""} and by_code["dapur"].description == {}
        assert units.activity_fields(old, {})["name"] == {"id": "Kebun lorong", "en": ""}
