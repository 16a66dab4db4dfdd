"""Disclosure control decided once per result set: which cells the shared edition hides
(flyt.disclosure.pattern), for the month and for its rolling 12 months.

Stored results are a cache recomputed on demand; those computed before this revision
carry no pattern, so they are dropped.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    for table in ("goal_results", "kpi_results", "result_sets"):
        op.execute(f"DELETE FROM {table}")
    op.add_column("kpi_results", sa.Column("hidden", sa.Boolean, server_default=sa.false()))
    op.add_column("kpi_results", sa.Column("hidden_12m", sa.Boolean,
                                           server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("kpi_results", "hidden_12m")
    op.drop_column("kpi_results", "hidden")
