"""ASCN: editors of a member city named by the secretariat, so the officers of cities that run no kotacerdas here
edit their own city.

Revision ID: 0016_ascn_more
"""

import sqlalchemy as sa
from alembic import op

from kotacerdas.core.db import UTCDateTime

revision = "0016_ascn_more"
down_revision = "0005_ascn"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ascn_city_editors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_pk", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["city_pk"], ["ascn_cities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("city_pk", "user_id", name="uq_ascn_city_editor"),
    )
    op.create_index(op.f("ix_ascn_city_editors_city_pk"), "ascn_city_editors", ["city_pk"], unique=False)
    op.create_index(op.f("ix_ascn_city_editors_user_id"), "ascn_city_editors", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_ascn_city_editors_user_id"), table_name="ascn_city_editors")
    op.drop_index(op.f("ix_ascn_city_editors_city_pk"), table_name="ascn_city_editors")
    op.drop_table("ascn_city_editors")
