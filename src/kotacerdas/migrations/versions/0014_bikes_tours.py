"""Bike Sharing's tours: a destination keeps the opening hours its source gave that could not be read.

Revision ID: 0014_bikes_tours
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_bikes_tours"
down_revision = "0011_bikes_routes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bike_destinations") as batch:
        batch.add_column(sa.Column("opening_hours_raw", sa.String(300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bike_destinations") as batch:
        batch.drop_column("opening_hours_raw")
