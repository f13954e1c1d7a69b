"""Road Manager: the exact condition of a segment (measured metres and share) and each interval's uncertainty.

Revision ID: 0007_roads_exact_condition
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_roads_exact_condition"
down_revision = "0002_roads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("road_intervals") as batch:
        batch.add_column(sa.Column("iri_sd", sa.Float))
    with op.batch_alter_table("road_segment_surveys") as batch:
        batch.add_column(sa.Column("share", sa.Float))
    with op.batch_alter_table("road_segments") as batch:
        batch.add_column(sa.Column("latest_measured_m", sa.Float))
        batch.add_column(sa.Column("latest_share", sa.Float))


def downgrade() -> None:
    with op.batch_alter_table("road_segments") as batch:
        batch.drop_column("latest_share")
        batch.drop_column("latest_measured_m")
    with op.batch_alter_table("road_segment_surveys") as batch:
        batch.drop_column("share")
    with op.batch_alter_table("road_intervals") as batch:
        batch.drop_column("iri_sd")
