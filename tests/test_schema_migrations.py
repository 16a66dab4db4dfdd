"""The migrations build exactly the tables that the code's schema describes."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from cryptography.fernet import Fernet

from flyt.plo.sealing import unseal
from flyt.store import schema
from flyt.store.db import HEAD_REVISION, Database, _alembic_config
from tests.support.migrations import store_at


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
    assert version == ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert version == HEAD_REVISION  # a store at the head opens without Alembic


def test_messages_received_before_0003_are_sealed_by_the_upgrade(tmp_path, monkeypatch):
    key = Fernet.generate_key()
    monkeypatch.setenv("FLYT_MESSAGE_KEY", key.decode())
    url = f"duckdb:///{tmp_path / 'old.duckdb'}"
    with store_at(url, "0002") as conn:
        conn.execute(sa.text("INSERT INTO plo_messages (id, file_name, received_at, raw, status) "
                             "VALUES (1, 'a.xml', TIMESTAMP '2024-03-01 10:00:00', :raw, "
                             "'applied')"), {"raw": b"<MsgHead>clear</MsgHead>"})
    upgraded = Database.open(url)
    with upgraded.engine.connect() as conn:
        sealed = conn.execute(sa.text("SELECT sealed FROM plo_messages")).scalar_one()
    assert b"clear" not in bytes(sealed)
    assert unseal(sealed, key) == b"<MsgHead>clear</MsgHead>"
