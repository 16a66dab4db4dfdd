"""Escalation plans (flyt.capacity.plans, docs/capacity.md "Escalation plans"): each
municipality's own plan — its actions per escalation level, its contacts and the
short-term beds it can lend others — with a version for optimistic concurrency.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"


def upgrade() -> None:
    op.create_table(
        "escalation_plans",
        sa.Column("municipality", sa.String(4), primary_key=True),
        sa.Column("lendable_short_term_beds", sa.Integer, nullable=False),
        sa.Column("contacts", sa.Text, nullable=False),
        sa.Column("actions_level_1", sa.Text, nullable=False),
        sa.Column("actions_level_2", sa.Text, nullable=False),
        sa.Column("actions_level_3", sa.Text, nullable=False),
        sa.Column("actions_level_4", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String),
    )


def downgrade() -> None:
    op.drop_table("escalation_plans")
