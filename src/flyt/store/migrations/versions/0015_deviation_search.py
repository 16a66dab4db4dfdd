"""The deviations list at 100 000 deviations (flyt.deviations.listing): one lower-cased
search column instead of six case-insensitive matches, and (on PostgreSQL) indexes for
who sees what and for the newest-first order.

`deviations.search_text` is the id, summary, description, immediate action, place and
agreement clause in lower case (the fields never change after the report); existing
rows get it here. On PostgreSQL a trigram index (pg_trgm, a trusted extension since
PostgreSQL 13) lets `LIKE '%text%'` use an index; where the extension may not be made,
the search scans the one column, which is still correct.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"

_FIELDS = ("id", "summary", "description", "immediate_action", "place", "agreement_clause")


def upgrade() -> None:
    op.add_column("deviations", sa.Column("search_text", sa.Text))
    joined = ", ".join(_FIELDS)
    op.execute(f"UPDATE deviations SET search_text = lower(concat_ws(' ', {joined}))")
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # DuckDB scans a column faster than it walks an ART index for many rows (an
        # index on the receivers' org_id made the list 8× slower there): PostgreSQL only.
        op.create_index("ix_deviations_reported", "deviations", ["reported_at", "id"])
        op.create_index("ix_deviations_reporter", "deviations", ["reporter_org"])
        op.create_index("ix_deviation_receivers_org", "deviation_receivers", ["org_id"])
        try:
            with bind.begin_nested():  # a refused extension or index must not undo the rest
                op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                # The operator class lives in the extension's schema, which need not be
                # on the store's search_path (a store in a schema of its own).
                where = bind.execute(sa.text(
                    "SELECT extnamespace::regnamespace::text FROM pg_extension "
                    "WHERE extname = 'pg_trgm'")).scalar_one()
                op.execute("CREATE INDEX ix_deviations_search ON deviations "
                           f"USING gin (search_text {where}.gin_trgm_ops)")
        except sa.exc.DBAPIError:
            return  # no trigram index: the search scans the column, still correct


def downgrade() -> None:
    for name in ("ix_deviations_search", "ix_deviation_receivers_org",
                 "ix_deviations_reporter", "ix_deviations_reported"):
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_column("deviations", "search_text")
