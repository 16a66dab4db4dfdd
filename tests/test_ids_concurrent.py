"""Ids come from the database: writers whose transactions overlap (a web upload and
`flyt plo --watch` on PostgreSQL, the threads of one server on either engine) never take
the same id. Real connections, real transactions, both engines."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from flyt.accounts import audit, users
from flyt.distribution import send_log
from flyt.engine.compute import data_version
from flyt.ingest.importer import import_table
from flyt.plo.receivers import add_receiver
from flyt.plo.storing import receive_bytes, receive_in
from flyt.store import schema
from flyt.store.db import Database
from tests.conftest import POSTGRES_URL
from tests.support.plo import plo_message, plo_settings, synthetic_fnr
from tests.support.records import stay, stays_table

SETTINGS = plo_settings()
WRITERS = 6  # threads, each with its own connection and transactions
EACH = 4  # rows each writer adds
PER_PROCESS = 100  # audit entries each writing process adds, one commit each
SENT_AT = datetime(2024, 3, 4, 7, 0)


def together(work: Callable[[int, int], object]) -> list[BaseException]:
    """Run work(writer, n) for every writer on its own thread, EACH times, all starting
    at once; the errors they met."""
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(w: int) -> None:
        start.wait()
        for n in range(EACH):
            try:
                work(w, n)
            except BaseException as error:  # the test reports every one
                errors.append(error)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def ids(db: Database, table: sa.Table) -> list[int]:
    with db.engine.connect() as conn:
        return list(conn.execute(sa.select(table.c.id)).scalars())


def patient(w: int, n: int) -> str:
    """A synthetic national id of its own for each message: one born on day w+1 of
    month n+1 (two messages about one patient would link patients, not test ids)."""
    return synthetic_fnr(100, born=f"1965-{n + 1:02d}-{w + 1:02d}")


def admitted(w: int, n: int) -> bytes:
    return plo_message("innlagt", f"msg-{w}-{n}", ids=[("FNR", patient(w, n))],
                       at="2024-03-01T10:00:00")


def test_imports_that_overlap_each_get_their_own_id(db):
    def work(w: int, n: int) -> None:
        table = stays_table([stay(f"S{n}", admitted="2024-01-01", source=f"source{w}")])
        report = import_table(db, "stays", table, source=f"source{w}")
        assert report.status == "ok", report.message

    assert together(work) == []
    stored = ids(db, schema.imports)
    assert len(stored) == len(set(stored)) == WRITERS * EACH
    with db.engine.connect() as conn:  # every stay names the import that wrote it
        names = conn.execute(sa.text("SELECT COUNT(*) FROM stays s JOIN imports i "
                                     "ON i.id = s.import_id AND i.source = s.source"))
        assert names.scalar_one() == WRITERS * EACH


def test_plo_messages_received_at_once_each_get_their_own_id_and_receipt(db, tmp_path):
    add_receiver(db, "5078", "5001")

    def work(w: int, n: int) -> None:
        done = receive_bytes(db, admitted(w, n), f"m-{w}-{n}.xml", SETTINGS,
                             tmp_path / "receipts")
        assert done.status == "applied", done.reason

    assert together(work) == []
    messages, receipts = ids(db, schema.plo_messages), ids(db, schema.plo_receipts)
    assert len(messages) == len(set(messages)) == WRITERS * EACH
    assert len(receipts) == len(set(receipts)) == WRITERS * EACH
    # One receipt file per message: none written over by another with the same id.
    assert len(list((tmp_path / "receipts").glob("apprec-*.xml"))) == WRITERS * EACH


def test_users_added_at_once_each_get_their_own_id(db):
    def work(w: int, n: int) -> None:
        users.add(db, f"user{w}x{n}", "reader")

    assert together(work) == []
    stored = ids(db, schema.users)
    assert len(stored) == len(set(stored)) == WRITERS * EACH


def test_send_attempts_logged_at_once_each_get_their_own_id(db):
    def work(w: int, n: int) -> None:
        send_log.record(db, "monthly", f"2024-{w + 1:02d}", ("a@example.org",), "failed",
                        "down", SENT_AT)

    assert together(work) == []
    stored = ids(db, schema.report_sends)
    assert len(stored) == len(set(stored)) == WRITERS * EACH


def test_audit_entries_written_at_once_from_two_stores_each_get_their_own_id(db_url):
    """Two Database objects on one store: what two processes are (on DuckDB, a second
    engine in the same process shares the file)."""
    first, second = Database.open(db_url), Database.open(db_url)
    try:
        def work(w: int, n: int) -> None:
            audit.record_as(first if w % 2 else second, f"user{w}", "patients.read", str(n))

        assert together(work) == []
        stored = ids(first, schema.audit_log)
        assert len(stored) == len(set(stored)) == WRITERS * EACH
    finally:
        first.close()
        second.close()


AUDIT_WRITER = """
import sys
from flyt.accounts import audit
from flyt.store.db import Database
db = Database.open(sys.argv[1])
for n in range(int(sys.argv[3])):
    audit.record_as(db, sys.argv[2], "patients.read", str(n))
db.close()
"""


def test_audit_entries_written_by_processes_at_once_each_get_their_own_id(db):
    """Separate processes (the web server and a CLI) share no lock: only the store can
    keep their ids apart. PostgreSQL only: a DuckDB file has one writing process."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("one process at a time writes a DuckDB file")
    assert POSTGRES_URL
    writers = [subprocess.Popen([sys.executable, "-c", AUDIT_WRITER, POSTGRES_URL,
                                 f"writer{w}", str(PER_PROCESS)], stderr=subprocess.PIPE)
               for w in range(WRITERS)]
    errors = [(p.communicate(timeout=120)[1], p.returncode) for p in writers]
    # Each failed writer's error, the last line of its traceback that names one.
    assert [[line for line in err.decode().splitlines() if "Error" in line][-1:]
            for err, code in errors if code] == []
    stored = ids(db, schema.audit_log)
    assert len(stored) == len(set(stored)) == WRITERS * PER_PROCESS


def waiting_for_locks(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(sa.text(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'")).scalar_one())


def test_an_import_that_commits_after_another_has_the_larger_id(db):
    """The newest accepted import's id dates the stored results (data_version): an
    import that lands last must have the largest id, or results computed before it
    pass for current. A long import (held up at dropping the stale results, behind a
    lock this test holds) and a short one (the same file again: it drops nothing)
    overlap; the short one must wait its turn. PostgreSQL only: DuckDB never waits
    for another transaction (it fails one of two that conflict)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("DuckDB transactions do not wait for each other")
    again = stays_table([stay("S1", admitted="2024-01-01", source="b")])
    assert import_table(db, "stays", again, source="b").import_id == 1
    landed: list[int | None] = []

    def run(table, source: str) -> threading.Thread:
        thread = threading.Thread(target=lambda: landed.append(
            import_table(db, "stays", table, source=source).import_id))
        thread.start()
        return thread

    def wait_until(done: Callable[[], bool]) -> None:
        for _ in range(200):
            if done():
                return
            threading.Event().wait(0.05)
        raise AssertionError("the imports did not get there in 10 s")

    with db.engine.connect() as holder:  # its transaction begins with the LOCK
        holder.exec_driver_sql("LOCK TABLE kpi_results IN ACCESS EXCLUSIVE MODE")
        long = run(stays_table([stay("S2", admitted="2024-01-01", source="a")]), "a")
        wait_until(lambda: waiting_for_locks(db) == 1)  # held up, with its id taken
        short = run(again, "b")
        wait_until(lambda: bool(landed) or waiting_for_locks(db) == 2)
        holder.rollback()
    long.join(timeout=30)
    short.join(timeout=30)
    assert landed == [2, 3]  # the long import landed first, then the short one
    with db.engine.connect() as conn:
        assert data_version(conn) == 3


def test_a_message_received_while_another_transaction_holds_an_uncommitted_one_gets_the_next_id(
        db, tmp_path: Path):
    """The web upload's transaction is still open when `flyt plo --watch` receives: the
    second must not wait for the first nor take its id (MAX(id) + 1 saw neither)."""
    add_receiver(db, "5078", "5001")
    receipts = tmp_path / "receipts"
    second: dict[str, object] = {}

    def watcher() -> None:
        try:
            receive_bytes(db, admitted(1, 0), "second.xml", SETTINGS, receipts)
            second["done"] = True
        except BaseException as error:
            second["error"] = error

    with db.engine.begin() as conn:
        receive_in(conn, admitted(0, 0), "first.xml", SETTINGS, receipts)
        thread = threading.Thread(target=watcher)
        thread.start()
        thread.join(timeout=10)  # MAX + 1 on PostgreSQL: blocked on the first's key
        finished_while_open = not thread.is_alive()
    thread.join(timeout=30)
    assert "error" not in second, second.get("error")
    assert finished_while_open
    m = schema.plo_messages.c
    with db.engine.connect() as conn:
        stored = dict(conn.execute(sa.select(m.file_name, m.id)).all())
    assert stored == {"first.xml": 1, "second.xml": 2}


@pytest.mark.parametrize("table", ["imports", "plo_messages", "plo_receipts",
                                   "report_sends", "users", "audit_log"])
def test_every_id_column_takes_its_default_from_a_sequence(db, table):
    query = sa.text("SELECT column_default FROM information_schema.columns "
                    "WHERE table_name = :t AND column_name = 'id' "
                    "AND table_schema IN ('public', 'main')")
    with db.engine.connect() as conn:
        default = conn.execute(query, {"t": table}).scalar_one()
    assert default is not None and "nextval" in default and f"{table}_id_seq" in default
