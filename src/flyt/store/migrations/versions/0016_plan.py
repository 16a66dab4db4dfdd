"""The action plan (flyt.plan, docs/plan.md): the vision, the Theory of Change's elements
and links, the measures and their activities (each with a version for optimistic
concurrency) and the append-only history of status and comment changes.

The default plan is not written here: flyt.plan.storage seeds it into a store whose
plan is empty when the plan is first read, so that it comes from the package's
default_plan.json alone.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"


def _item_columns() -> list[sa.Column]:
    """The columns measures and activities share (after their own)."""
    return [
        sa.Column("start_on", sa.Date), sa.Column("end_on", sa.Date),
        sa.Column("priority", sa.String), sa.Column("scope", sa.String),
        sa.Column("responsible", sa.Text, nullable=False),
    ]


def _tail_columns() -> list[sa.Column]:
    return [
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String),
    ]


def upgrade() -> None:
    op.create_table(
        "plan_vision",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String),
    )
    op.create_table(
        "plan_elements",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("kpi", sa.Integer),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "plan_links",
        sa.Column("from_id", sa.String, primary_key=True),
        sa.Column("to_id", sa.String, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "plan_measures",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        *_item_columns(),
        sa.Column("status", sa.String),
        *_tail_columns(),
    )
    op.create_table(
        "plan_measure_toc",
        sa.Column("measure_id", sa.String, primary_key=True),
        sa.Column("element_id", sa.String, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "plan_activities",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("measure_id", sa.String, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        *_item_columns(),
        sa.Column("done", sa.Boolean, nullable=False),
        sa.Column("status", sa.String),
        *_tail_columns(),
    )
    op.execute(sa.schema.CreateSequence(sa.Sequence("plan_history_id_seq")))
    op.create_table(
        "plan_history",
        sa.Column("id", sa.Integer, primary_key=True,
                  server_default=sa.text("nextval('plan_history_id_seq')")),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.Column("changed_by", sa.String),
        sa.Column("item_type", sa.String, nullable=False),
        sa.Column("item_id", sa.String, nullable=False),
        sa.Column("field", sa.String, nullable=False),
        sa.Column("old_value", sa.Text),
        sa.Column("new_value", sa.Text),
    )
    op.create_index("ix_plan_history_item", "plan_history", ["item_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER SEQUENCE plan_history_id_seq OWNED BY plan_history.id")


def downgrade() -> None:
    op.drop_index("ix_plan_history_item", "plan_history")
    for table in ("plan_history", "plan_activities", "plan_measure_toc", "plan_measures",
                  "plan_links", "plan_elements", "plan_vision"):
        op.drop_table(table)
    op.execute(sa.schema.DropSequence(sa.Sequence("plan_history_id_seq"), if_exists=True))
