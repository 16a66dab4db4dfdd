"""Report distribution: a log of every attempt to mail a report (flyt send, flyt schedule).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "report_sends",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String, nullable=False),  # monthly | snapshot
        sa.Column("period", sa.String, nullable=False),  # "2024-03" or "2024-03-04T07:00"
        sa.Column("recipients", sa.Text, nullable=False),  # comma-separated addresses
        sa.Column("status", sa.String, nullable=False),  # sent | failed
        sa.Column("attempt", sa.Integer, nullable=False),  # 1, 2, … for this kind and period
        sa.Column("error", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("report_sends")
