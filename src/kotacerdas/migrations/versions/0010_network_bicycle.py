"""The bicycle network: bicycle tags and elevation on road segments, stored routing graphs.

Road segments gain the tags a cyclist's route depends on (``smoothness``, ``lit``, ``cycleway``,
``bicycle``, ``access``, whether the bicycle is pushed) and their elevation profile from a DEM;
``network_graphs`` keeps the routing graph built once per network import (one per profile).

Revision ID: 0010_network_bicycle
"""

import sqlalchemy as sa
from alembic import op

from kotacerdas.core.db import UTCDateTime

revision = "0010_network_bicycle"
down_revision = "0008_roads_damage"
branch_labels = None
depends_on = None


def columns() -> list[sa.Column]:
    return [
        sa.Column("smoothness", sa.String(32)),
        sa.Column("lit", sa.Boolean),
        sa.Column("cycleway", sa.String(32)),
        sa.Column("bicycle_access", sa.String(32)),
        sa.Column("access", sa.String(32)),
        sa.Column("push", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("elevation", sa.JSON),
        sa.Column("climb_m", sa.Float),
        sa.Column("descent_m", sa.Float),
    ]


def upgrade() -> None:
    for column in columns():
        op.add_column("road_segments", column)
    op.create_table(
        "network_graphs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("city_id", sa.Integer, sa.ForeignKey("cities.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("profile", sa.String(16), nullable=False),
        sa.Column("state_key", sa.String(64), nullable=False),
        sa.Column("engine", sa.String(32), nullable=False),
        sa.Column("nodes", sa.Integer, nullable=False),
        sa.Column("edges", sa.Integer, nullable=False),
        sa.Column("build_s", sa.Float, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("built_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("city_id", "profile", name="uq_network_graph_profile"),
    )


def downgrade() -> None:
    op.drop_table("network_graphs")
    with op.batch_alter_table("road_segments") as batch:
        for column in reversed(columns()):
            batch.drop_column(column.name)
