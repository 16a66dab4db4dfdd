"""Samhandlingsavvik (flyt.deviations): deviations, their receivers and their steps.

The per-year number sequences (`deviation_numbers_<year>`) are made when a year's first
deviation is reported, not here. No foreign keys, as elsewhere (DuckDB cannot update a
key that one references).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.create_table(
        "deviations",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("source", sa.String),
        sa.Column("source_id", sa.String),
        sa.Column("reporter_org", sa.String, nullable=False),
        sa.Column("reported_by", sa.Integer),
        sa.Column("occurred_at", sa.DateTime, nullable=False),
        sa.Column("occurred_has_time", sa.Boolean, nullable=False),
        sa.Column("reported_at", sa.DateTime, nullable=False),
        sa.Column("category", sa.String, nullable=False),
        sa.Column("subcategory", sa.String),
        sa.Column("severity", sa.String, nullable=False),
        sa.Column("level", sa.String, nullable=False),
        sa.Column("agreement_clause", sa.String),
        sa.Column("patient_ref", sa.String),
        sa.Column("place", sa.String),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("immediate_action", sa.Text),
        sa.Column("anonymous", sa.Boolean, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("acknowledged_at", sa.DateTime),
        sa.Column("answered_at", sa.DateTime),
        sa.Column("closed_at", sa.DateTime),
        sa.UniqueConstraint("source", "source_id", name="uq_deviations_source"),
    )
    op.create_table(
        "deviation_receivers",
        sa.Column("deviation_id", sa.String, primary_key=True),
        sa.Column("org_id", sa.String, primary_key=True),
    )
    op.execute(sa.schema.CreateSequence(sa.Sequence("deviation_events_id_seq")))
    op.create_table(
        "deviation_events",
        sa.Column("id", sa.Integer, primary_key=True,
                  server_default=sa.text("nextval('deviation_events_id_seq')")),
        sa.Column("deviation_id", sa.String, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("user_id", sa.Integer),
        sa.Column("organisation", sa.String),
        sa.Column("from_status", sa.String),
        sa.Column("to_status", sa.String, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("answer", sa.Text),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_deviation_events_deviation", "deviation_events", ["deviation_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER SEQUENCE deviation_events_id_seq OWNED BY deviation_events.id")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "duckdb":
        # The years' number sequences (on PostgreSQL owned by deviations.id, so dropped
        # with the table; DuckDB has no OWNED BY).
        years = bind.execute(sa.text("SELECT sequence_name FROM duckdb_sequences() "
                                     "WHERE sequence_name LIKE 'deviation_numbers_%'"))
        for name in years.scalars().all():
            op.execute(sa.schema.DropSequence(sa.Sequence(name)))
    op.drop_index("ix_deviation_events_deviation", "deviation_events")
    op.drop_table("deviation_events")
    op.execute(sa.schema.DropSequence(sa.Sequence("deviation_events_id_seq")))
    op.drop_table("deviation_receivers")
    op.drop_table("deviations")
