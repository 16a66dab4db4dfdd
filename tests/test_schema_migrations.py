"""The migrations build exactly the tables that the code's schema describes."""

from __future__ import annotations

import sqlalchemy as sa

from flyt.store import schema
from flyt.store.db import Database


def test_every_table_and_column_of_the_schema_exists_after_migrating(db):
    # information_schema, which both engines have (duckdb_engine's reflection does not
    # work with DuckDB 2.0).
    query = sa.text("SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = :t AND table_schema IN ('public', 'main')")
    with db.engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            stored = set(conn.execute(query, {"t": table.name}).scalars())
            assert stored == {c.name for c in table.columns}, table.name


def test_opening_a_migrated_store_again_changes_nothing(db_url):
    first = Database.open(db_url)
    with first.engine.connect() as conn:
        before = conn.execute(sa.text("SELECT COUNT(*) FROM municipalities")).scalar_one()
    second = Database.open(db_url)
    with second.engine.connect() as conn:
        after = conn.execute(sa.text("SELECT COUNT(*) FROM municipalities")).scalar_one()
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    assert before == after == 20
    assert version == "0002"
