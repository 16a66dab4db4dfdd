"""The audit log: every read of patient-level rows and every change, who and when.

Pages call `record` after showing patient rows or changing data; sign-in, sign-out and
user changes (web and CLI) are recorded by flyt.web.auth and flyt.accounts.commands.
Administrators read it at /admin/audit and export it (CSV, JSON; `flyt audit export`).
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass
from datetime import datetime

import sqlalchemy as sa

from flyt.accounts.roles import User
from flyt.domain import clock
from flyt.output import spreadsheet
from flyt.store import schema
from flyt.store.db import Database

A = schema.audit_log
# Ids come from the table's sequence (store/schema.py), so writers in other processes
# never clash with these. Threads of one server take turns to write, so that the entries
# of concurrent requests share one commit.
_WRITING = threading.Lock()
_queue: list[_Pending] = []
_queue_lock = threading.Lock()
COLUMNS = ("id", "created_at", "user_name", "action", "target", "detail", "ip")


@dataclass(frozen=True)
class Entry:
    id: int
    created_at: datetime
    user_name: str | None
    action: str
    target: str
    detail: str
    ip: str | None

    def as_row(self) -> dict[str, str | int | None]:
        row = asdict(self)
        row["created_at"] = self.created_at.isoformat(timespec="seconds")
        return row


def now() -> datetime:
    """Naive Oslo wall-clock time, as every timestamp in the store (store/schema.py)."""
    return clock.stamp()


def record(db: Database, user: User | None, action: str, target: str, detail: str = "",
           ip: str | None = None) -> None:
    """Append one entry. `action` is a dotted verb (`patients.read`, `import.upload`,
    `sign_in.failed`); `target` what it concerned (a municipality, a user, a file).
    Never put patient identifiers or passwords into `detail`."""
    record_as(db, user.name if user else None, action, target, detail, ip)


def record_as(db: Database, user_name: str | None, action: str, target: str,
              detail: str = "", ip: str | None = None) -> None:
    """`record` for callers that know only a name (the CLI, a failed sign-in).

    Returns once the entry is committed: a page with patient rows is sent only after
    its reading is on record. Entries of concurrent requests are committed together
    (group commit): whoever holds the write turn writes everything waiting."""
    entry = _Pending(db, {"created_at": now(), "user_name": user_name, "action": action,
                          "target": target or "", "detail": detail or "", "ip": ip})
    with _queue_lock:
        _queue.append(entry)
    with _WRITING:
        if not entry.done:
            with _queue_lock:
                batch = [e for e in _queue if e.db is db]
                _queue[:] = [e for e in _queue if e.db is not db]
            _write(db, batch)
    if entry.error is not None:
        raise entry.error


@dataclass
class _Pending:
    db: Database
    values: dict
    done: bool = False
    error: Exception | None = None


def _write(db: Database, batch: list[_Pending]) -> None:
    try:
        with db.engine.begin() as conn:
            conn.execute(A.insert(), [e.values for e in batch])  # ids: the sequence's next
    except Exception as exc:  # every waiting caller learns that its entry is not written
        for e in batch:
            e.error = exc
        raise
    finally:
        for e in batch:
            e.done = True


@dataclass(frozen=True)
class Filters:
    user_name: str | None = None
    action: str | None = None  # a prefix: "sign_in" matches sign_in.ok and sign_in.failed
    since: datetime | None = None
    until: datetime | None = None


def entries(db: Database, filters: Filters = Filters(), limit: int | None = 200) -> list[Entry]:
    """Entries, newest first."""
    query = sa.select(A).order_by(A.c.id.desc())
    if filters.user_name:
        query = query.where(A.c.user_name == filters.user_name)
    if filters.action:
        query = query.where(A.c.action.startswith(filters.action, autoescape=True))
    if filters.since:
        query = query.where(A.c.created_at >= filters.since)
    if filters.until:
        query = query.where(A.c.created_at < filters.until)
    if limit:
        query = query.limit(limit)
    with db.engine.connect() as conn:
        return [Entry(r.id, r.created_at, r.user_name, r.action, r.target, r.detail, r.ip)
                for r in conn.execute(query).all()]


def to_csv(rows: list[Entry]) -> str:
    # No spreadsheet formulas from user-controlled text (a user name `=cmd…`).
    return spreadsheet.csv_document(COLUMNS, ([entry.as_row()[c] for c in COLUMNS]
                                              for entry in rows))


def to_json(rows: list[Entry]) -> str:
    return json.dumps([e.as_row() for e in rows], ensure_ascii=False, indent=1)

