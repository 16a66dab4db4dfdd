"""The last status each action-plan activity's owner was told of (flyt.plan.notify,
docs/plan.md "E-mail to owners"): so a yellow is mailed once, a yellow that turns red
again, and a red that went green and came back again.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"


def upgrade() -> None:
    op.create_table(
        "plan_notices",
        sa.Column("activity_id", sa.String, primary_key=True),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.Column("notified_at", sa.DateTime),
    )


def downgrade() -> None:
    op.drop_table("plan_notices")
