"""Platform: which worker runs a job and when it last said it was alive, so a killed worker's job is not left running.

Revision ID: 0012_platform_job_heartbeat
"""

import sqlalchemy as sa
from alembic import op

from kotacerdas.core.db import UTCDateTime

revision = "0012_platform_job_heartbeat"
down_revision = "0009_platform_sign_in"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("worker", sa.String(128), nullable=False, server_default=""))
        batch.add_column(sa.Column("heartbeat_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("heartbeat_at")
        batch.drop_column("worker")
