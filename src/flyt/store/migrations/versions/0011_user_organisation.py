"""The organisation a dashboard user acts for: `users.organisation` (flyt.accounts.roles).

Existing users get what their role implies: a municipality user its municipality, the
hospital's administrators and analysts the hospital (`stolav`), readers none.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.add_column("users", sa.Column("organisation", sa.String))
    users = sa.table("users", sa.column("role", sa.String), sa.column("municipality", sa.String),
                     sa.column("organisation", sa.String))
    # The same rule as flyt.accounts.roles.default_organisation (a migration keeps its
    # own copy: the code may change, what this revision did may not).
    op.execute(users.update().where(users.c.role == "municipality")
               .values(organisation=users.c.municipality))
    op.execute(users.update().where(users.c.role.in_(("admin", "analyst")))
               .values(organisation="stolav"))


def downgrade() -> None:
    op.drop_column("users", "organisation")
