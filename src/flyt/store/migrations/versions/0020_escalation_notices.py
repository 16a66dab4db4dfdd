"""The last escalation level each group's recipients were told of, or that was recorded
without a mail (flyt.capacity.escalation_alert, docs/capacity.md "At every snapshot and
the e-mail"): so a rise is mailed once, and a fall followed by a rise is mailed again.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"


def upgrade() -> None:
    op.create_table(
        "escalation_notices",
        sa.Column("group_type", sa.String, primary_key=True),
        sa.Column("group_id", sa.String, primary_key=True),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False, quote=True),  # a keyword to DuckDB
        sa.Column("notified_at", sa.DateTime),
    )


def downgrade() -> None:
    op.drop_table("escalation_notices")
