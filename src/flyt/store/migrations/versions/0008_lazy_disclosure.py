"""The disclosure pattern is decided when a shared output first asks for it: the key
of the settings it was decided with (none yet: NULL).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.add_column("result_sets", sa.Column("pattern_key", sa.String(64)))


def downgrade() -> None:
    op.drop_column("result_sets", "pattern_key")
