"""Escalation levels (flyt.capacity, docs/capacity.md "Escalation levels"): the level of
the community and each municipality at each moment computed, with its indicators.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("escalation_levels_id_seq")))
    op.create_table(
        "escalation_levels",
        sa.Column("id", sa.Integer, primary_key=True,
                  server_default=sa.text("nextval('escalation_levels_id_seq')")),
        sa.Column("computed_at", sa.DateTime, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False, quote=True),  # a keyword to DuckDB
        sa.Column("group_type", sa.String, nullable=False),
        sa.Column("group_id", sa.String, nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("indicators", sa.Text, nullable=False),
        sa.UniqueConstraint("at", "group_type", "group_id",
                            name="uq_escalation_levels_group_at"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER SEQUENCE escalation_levels_id_seq OWNED BY escalation_levels.id")


def downgrade() -> None:
    op.drop_table("escalation_levels")
    op.execute(sa.schema.DropSequence(sa.Sequence("escalation_levels_id_seq"), if_exists=True))
