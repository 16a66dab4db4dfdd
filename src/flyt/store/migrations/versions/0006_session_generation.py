"""Revocable dashboard sessions: `users.session_generation` (flyt.web.auth.session).

Every session cookie carries the generation of its user at sign-in; signing out, a new
password, disabling, enabling and a new role or municipality add one, which ends every
session made before.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    # DuckDB adds no column with a NOT NULL constraint: the default fills existing rows,
    # and flyt.web.auth.users always writes a number.
    op.add_column("users", sa.Column("session_generation", sa.Integer,
                                     server_default=sa.text("0")))


def downgrade() -> None:
    op.drop_column("users", "session_generation")
