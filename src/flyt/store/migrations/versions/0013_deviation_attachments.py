"""Attachments of deviations (flyt.deviations.attachments): one row a file. The file
itself lies under the data directory by a random name (`stored_name`); the name the
user gave is kept here only, for display and the download's name.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("deviation_attachments_id_seq")))
    op.create_table(
        "deviation_attachments",
        sa.Column("id", sa.Integer, primary_key=True,
                  server_default=sa.text("nextval('deviation_attachments_id_seq')")),
        sa.Column("deviation_id", sa.String, nullable=False),
        sa.Column("file_name", sa.String, nullable=False),
        sa.Column("stored_name", sa.String, nullable=False),
        sa.Column("media_type", sa.String, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("user_id", sa.Integer),
        sa.Column("organisation", sa.String, nullable=False),
        sa.UniqueConstraint("stored_name", name="uq_deviation_attachments_stored_name"),
    )
    op.create_index("ix_deviation_attachments_deviation", "deviation_attachments",
                    ["deviation_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER SEQUENCE deviation_attachments_id_seq "
                   "OWNED BY deviation_attachments.id")


def downgrade() -> None:
    # The files stay on disk: a downgrade does not delete what people uploaded.
    op.drop_index("ix_deviation_attachments_deviation", "deviation_attachments")
    op.drop_table("deviation_attachments")
    # On PostgreSQL the table owns its sequence and took it along; DuckDB has no OWNED BY.
    op.execute(sa.schema.DropSequence(sa.Sequence("deviation_attachments_id_seq"),
                                      if_exists=True))
