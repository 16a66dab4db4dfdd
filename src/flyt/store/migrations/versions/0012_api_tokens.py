"""Bearer tokens for the JSON API /api (flyt.accounts.tokens): `api_tokens`, each stored
as a SHA-256 of the token with its public prefix, the user it acts as, and when it was
made, last used and revoked.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("api_tokens_id_seq")))
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True,
                  server_default=sa.text("nextval('api_tokens_id_seq')")),
        sa.Column("prefix", sa.String, nullable=False, unique=True),
        sa.Column("token_hash", sa.String, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("label", sa.String, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String),
        sa.Column("last_used_at", sa.DateTime),
        sa.Column("revoked_at", sa.DateTime),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER SEQUENCE api_tokens_id_seq OWNED BY api_tokens.id")


def downgrade() -> None:
    op.drop_table("api_tokens")
    # On PostgreSQL the table owned it and took it along.
    op.execute(sa.schema.DropSequence(sa.Sequence("api_tokens_id_seq"), if_exists=True))
