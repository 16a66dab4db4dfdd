"""A store made before the ids' sequences (revision 0008) upgrades in place: every table
goes on after its largest id, on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from flyt.accounts import audit, users
from flyt.distribution import send_log
from flyt.ingest.importer import import_table
from flyt.plo.receivers import add_receiver
from flyt.plo.storing import receive_bytes
from flyt.store.db import Database
from tests.conftest import POSTGRES_URL
from tests.support.migrations import store_at
from tests.support.plo import plo_message, plo_settings, synthetic_fnr
from tests.support.records import stay, stays_table

AT = datetime(2024, 3, 1, 10, 0)
SCHEMA = "flyt_ids_upgrade"  # on PostgreSQL the old store lives in a schema of its own
# Rows as revision 0008 stored them, with ids that are neither 1 nor contiguous.
OLD_ROWS = {
    "imports": ("INSERT INTO imports (id, kind, source, file_name, file_sha256, started_at, "
                "status) VALUES (:id, 'stays', 'old', 'old.csv', '', :at, 'ok')", (1, 2, 7)),
    "plo_messages": ("INSERT INTO plo_messages (id, file_name, received_at, status) "
                     "VALUES (:id, 'old.xml', :at, 'rejected')", (5,)),
    "plo_receipts": ("INSERT INTO plo_receipts (id, message_id, status, xml, created_at) "
                     "VALUES (:id, 5, 'error', :xml, :at)", (3,)),
    "report_sends": ("INSERT INTO report_sends (id, kind, period, recipients, status, "
                     "attempt, created_at) VALUES (:id, 'monthly', '2024-01', 'a@b.no', "
                     "'sent', 1, :at)", (4,)),
    "users": ("INSERT INTO users (id, name, role, disabled, created_at) "
              "VALUES (:id, 'old' || CAST(:id AS VARCHAR), 'reader', false, :at)", (9, 2)),
    "audit_log": ("INSERT INTO audit_log (id, created_at, action) "
                  "VALUES (:id, :at, 'sign_in.ok')", (12,)),
}


@pytest.fixture(params=["duckdb", "postgresql"])
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a store at revision 0008 holding OLD_ROWS."""
    if request.param == "duckdb":
        url = f"duckdb:///{tmp_path / 'old.duckdb'}"
    else:
        if not POSTGRES_URL:
            pytest.skip("FLYT_TEST_POSTGRES_URL not set")
        admin = sa.create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://"))
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            conn.exec_driver_sql(f"CREATE SCHEMA {SCHEMA}")
        url = f"{POSTGRES_URL}?options=-csearch_path%3D{SCHEMA}"
    with store_at(url, "0008") as conn:
        for sql, ids in OLD_ROWS.values():
            conn.execute(sa.text(sql), [{"id": n, "at": AT, "xml": b"<AppRec/>"} for n in ids])
    yield url
    if request.param == "postgresql":
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {SCHEMA} CASCADE")
        admin.dispose()


def newest(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT MAX(id) FROM {table}")).scalar_one())


def id_defaults(db: Database) -> dict[str, str]:
    """Each table's id default as the store states it (DuckDB and PostgreSQL word it
    alike but for PostgreSQL's `::regclass`)."""
    query = sa.text("SELECT column_default FROM information_schema.columns "
                    "WHERE table_name = :t AND column_name = 'id' "
                    "AND table_schema = current_schema()")
    with db.engine.connect() as conn:
        return {t: str(conn.execute(query, {"t": t}).scalar_one()).replace("::regclass", "")
                for t in OLD_ROWS}


def test_an_upgraded_store_gives_each_new_row_the_id_after_its_tables_largest(old_store,
                                                                              tmp_path):
    db = Database.open(old_store)  # migrates 0008 -> head
    try:
        report = import_table(db, "stays", stays_table([stay("A", admitted="2024-01-01")]))
        assert report.import_id == 8 == newest(db, "imports")
        add_receiver(db, "5078", "5001")
        message = plo_message("innlagt", "new-1", ids=[("FNR", synthetic_fnr(100))],
                              at="2024-03-01T10:00:00")
        receive_bytes(db, message, "new.xml", plo_settings(), tmp_path / "receipts")
        assert (newest(db, "plo_messages"), newest(db, "plo_receipts")) == (6, 4)
        assert list((tmp_path / "receipts").glob("apprec-00000004-*.xml"))
        send_log.record(db, "monthly", "2024-02", ("a@b.no",), "sent", None, AT)
        assert newest(db, "report_sends") == 5
        assert users.add(db, "kari", "reader").id == 10
        audit.record_as(db, None, "user.list", "")
        with db.engine.connect() as conn:
            actions = dict(conn.execute(sa.text("SELECT id, action FROM audit_log")).all())
        assert actions == {12: "sign_in.ok", 13: "user.add", 14: "user.list"}
        assert id_defaults(db) == {t: f"nextval('{t}_id_seq')" for t in OLD_ROWS}
    finally:
        db.close()
