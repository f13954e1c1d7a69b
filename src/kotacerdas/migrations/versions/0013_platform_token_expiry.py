"""Platform: tokens issued before every token had a lifetime get one: none lives for ever.

Revision ID: 0013_platform_token_expiry
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

from kotacerdas.core.db import UTCDateTime

revision = "0013_platform_token_expiry"
down_revision = "0012_platform_job_heartbeat"
branch_labels = None
depends_on = None

#: The lifetimes of the time (kotacerdas.core.accounts.SESSION_DAYS and API_TOKEN_DAYS), written here so the
#: migration keeps meaning what it meant when it was written.
SESSION_DAYS, API_TOKEN_DAYS = 14, 30


def upgrade() -> None:
    bind = op.get_bind()
    tokens = sa.table(
        "api_tokens",
        sa.column("id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("created_at", UTCDateTime()),
        sa.column("expires_at", UTCDateTime()),
    )
    rows = bind.execute(sa.select(tokens.c.id, tokens.c.kind, tokens.c.created_at).where(tokens.c.expires_at.is_(None)))
    for token_id, kind, created_at in rows.all():
        issued = created_at or datetime.now(UTC)
        expires = issued + timedelta(days=SESSION_DAYS if kind == "session" else API_TOKEN_DAYS)
        bind.execute(sa.update(tokens).where(tokens.c.id == token_id).values(expires_at=expires))


def downgrade() -> None:
    pass  # the lifetimes stay: a token that lived for ever was the defect
