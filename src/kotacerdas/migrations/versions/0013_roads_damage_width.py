"""Road segments keep their OSM ``width`` (metres), the carriageway width of Road Manager's SDI.

Revision ID: 0013_roads_damage_width
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_roads_damage_width"
down_revision = "0010_network_bicycle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("road_segments", sa.Column("width_m", sa.Float))


def downgrade() -> None:
    with op.batch_alter_table("road_segments") as batch:
        batch.drop_column("width_m")
