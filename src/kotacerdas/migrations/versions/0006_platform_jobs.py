"""Platform: background jobs (what the user who started a job sees: status, progress, result).

Revision ID: 0006_platform_jobs

The platform's own tables after ``0001_core`` form the ``platform`` branch.
"""

import sqlalchemy as sa
from alembic import op

from kotacerdas.core.db import UTCDateTime

revision = "0006_platform_jobs"
down_revision = "0001_core"
branch_labels = ("platform",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(64), nullable=False, index=True),
        sa.Column("city_id", sa.Integer, sa.ForeignKey("cities.id", ondelete="CASCADE"), index=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), index=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("progress", sa.Float, nullable=False),
        sa.Column("message", sa.String(500), nullable=False),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("result", sa.JSON),
        sa.Column("error", sa.JSON),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("max_attempts", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False, index=True),
        sa.Column("started_at", UTCDateTime()),
        sa.Column("finished_at", UTCDateTime()),
    )


def downgrade() -> None:
    op.drop_table("jobs")
