"""Learning points and their measures (flyt.deviations.learning), and the incident
record of a notifiable deviation: the notification duty and the incident analysis
(flyt.deviations.incident). No foreign keys, as elsewhere.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"

_SEQUENCES = ("learning_points", "learning_measures")


def _id(table: str) -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True,
                     server_default=sa.text(f"nextval('{table}_id_seq')"))


def upgrade() -> None:
    for table in _SEQUENCES:
        op.execute(sa.schema.CreateSequence(sa.Sequence(f"{table}_id_seq")))
    op.create_table(
        "learning_points",
        _id("learning_points"),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("created_by", sa.String),
        sa.Column("created_org", sa.String),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "learning_links",
        sa.Column("learning_id", sa.Integer, primary_key=True),
        sa.Column("deviation_id", sa.String, primary_key=True),
    )
    op.create_index("ix_learning_links_deviation", "learning_links", ["deviation_id"])
    op.create_table(
        "learning_measures",
        _id("learning_measures"),
        sa.Column("learning_id", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("owner_org", sa.String, nullable=False),
        sa.Column("owner_person", sa.String),
        sa.Column("due_on", sa.Date),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_learning_measures_learning", "learning_measures", ["learning_id"])
    op.create_table(
        "deviation_incidents",
        sa.Column("deviation_id", sa.String, primary_key=True),
        sa.Column("notice", sa.String),
        sa.Column("notice_reason", sa.Text),
        sa.Column("notice_sent_on", sa.Date),
        sa.Column("notice_reference", sa.String),
        sa.Column("conclusion", sa.Text),
        sa.Column("learning_id", sa.Integer),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "deviation_incident_steps",
        sa.Column("deviation_id", sa.String, primary_key=True),
        sa.Column("step", sa.String, primary_key=True),
        sa.Column("done_on", sa.Date),
        sa.Column("done_by", sa.String),
    )
    if op.get_bind().dialect.name == "postgresql":
        for table in _SEQUENCES:
            op.execute(f"ALTER SEQUENCE {table}_id_seq OWNED BY {table}.id")


def downgrade() -> None:
    op.drop_table("deviation_incident_steps")
    op.drop_table("deviation_incidents")
    op.drop_index("ix_learning_measures_learning", "learning_measures")
    op.drop_table("learning_measures")
    op.drop_index("ix_learning_links_deviation", "learning_links")
    op.drop_table("learning_links")
    op.drop_table("learning_points")
    # IF EXISTS: on PostgreSQL the sequences may be owned by their tables' ids (the store
    # sets that up, docs/deviations.md "Storage") and went with the tables.
    for table in _SEQUENCES:
        op.execute(sa.schema.DropSequence(sa.Sequence(f"{table}_id_seq"), if_exists=True))
