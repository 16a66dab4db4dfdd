"""Many messages at once: a batch of prepared files received in one transaction, with the
same outcome as receiving them one by one. The common case is decided from the
BatchState without a query (fast_receive); a message that needs more takes the
one-message path (flyt.plo.storing.receive_in) within the batch. A batch that fails is
received again a message at a time, so that only the message that fails alone is set
aside (quarantined)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import sqlalchemy as sa

from flyt.config import Settings
from flyt.plo.apprec import build_apprec
from flyt.plo.errors import ErrorCode, MessageError
from flyt.plo.fields import receiver_candidates
from flyt.plo.message import read_message, salvaged_head
from flyt.plo.outcomes import (
    APPLIED,
    CANCELLED,
    FAILED,
    UNREADABLE,
    M,
    Outcome,
    outcome,
    safe_name,
)
from flyt.plo.reading import Prepared
from flyt.plo.receipts import ReceiptWriter
from flyt.plo.storing import receive_in
from flyt.store import schema
from flyt.store.db import Database
from flyt.store.ids import reserve_ids


@dataclass
class BatchState:
    """What the per-message queries would ask, loaded once per import: the store's
    MsgIds and contents, pending cancellations/changes, patient links and
    mapped receivers. A message that needs more than these (a cancellation or
    change, one that may be undone, duplicated or join two patients, or that
    cannot be read) takes the one-message path (receive_in) within the batch."""

    msg_ids: set[str]
    contents: set[tuple[str, str]]  # (content_digest, patient_key)
    undo_refs: set[str]  # RefToParent of applied cancellations and changes
    undo_matches: set[tuple[str, str]]  # (match_key, patient_key) of those without one
    links: dict[str, str]  # alias_key -> patient_key
    receivers: set[str]

    @classmethod
    def load(cls, conn: sa.Connection) -> BatchState:
        kept = conn.execute(sa.select(M.c.msg_id, M.c.content_digest, M.c.patient_key).where(
            M.c.status.in_((APPLIED, CANCELLED)))).all()
        undo = conn.execute(sa.select(M.c.refers_to, M.c.match_key, M.c.patient_key).where(
            M.c.status == APPLIED, M.c.send_status.in_(("C", "M")))).all()
        links = schema.plo_patient_links.c
        return cls(
            {r.msg_id for r in kept}, {(r.content_digest, r.patient_key) for r in kept},
            {r.refers_to for r in undo if r.refers_to},
            {(r.match_key, r.patient_key) for r in undo if not r.refers_to},
            dict(conn.execute(sa.select(links.alias_key, links.patient_key)).all()),
            set(conn.execute(sa.select(schema.plo_receivers.c.her_id)).scalars()))

    def reload(self, db: Database) -> None:
        """All of it again from the store (after a rollback, or a merge of patients)."""
        with db.engine.connect() as conn:
            vars(self).update(vars(BatchState.load(conn)))

    def reload_links(self, conn: sa.Connection, patient_key: str) -> None:
        """The links to this patient key, after link_patient stored them."""
        links = schema.plo_patient_links.c
        self.links.update(conn.execute(sa.select(links.alias_key, links.patient_key).where(
            links.patient_key == patient_key)).all())

    def canonical(self, keys: tuple[str, ...]) -> str:
        """The patient key link_patient would give (the smallest of everything linked)."""
        return min({self.links[k] for k in keys if k in self.links} | set(keys))

    def merges(self, keys: tuple[str, ...]) -> bool:
        """Whether these identifiers join patients known under another key, so that
        link_patient would move earlier messages to the canonical key."""
        existing = {self.links[k] for k in keys if k in self.links}
        return bool(existing - {self.canonical(keys)})

    def remember(self, fields: dict[str, Any]) -> None:
        if fields["status"] in (APPLIED, CANCELLED):
            self.msg_ids.add(fields["msg_id"])
            self.contents.add((fields["content_digest"], fields["patient_key"]))
        if fields["status"] == APPLIED and fields.get("send_status") in ("C", "M"):
            if fields.get("refers_to"):
                self.undo_refs.add(fields["refers_to"])
            else:
                self.undo_matches.add((fields["match_key"], fields["patient_key"]))


@dataclass
class Reserved:
    """The ids of a batch's messages and their receipts, taken from the sequences at
    its start (two statements for the batch, not two for each message) and given out
    in the order the messages come, on the fast path and the one-message path alike:
    a later message has a larger id, as when received one by one (classify takes the
    first by id)."""

    messages: deque[int]
    receipts: deque[int]

    @classmethod
    def take(cls, conn: sa.Connection, count: int) -> Reserved:
        return cls(deque(reserve_ids(conn, M, count)),
                   deque(reserve_ids(conn, schema.plo_receipts, count)))

    def next(self) -> tuple[int, int]:
        """The next message's id and its receipt's."""
        return self.messages.popleft(), self.receipts.popleft()


@dataclass
class Pending:
    messages: list[dict[str, Any]] = field(default_factory=list)
    receipts: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)

    def flush(self, conn: sa.Connection) -> None:
        for table, rows in ((M, self.messages), (schema.plo_receipts, self.receipts),
                            (schema.plo_patient_links, self.links)):
            if not rows:
                continue
            if conn.dialect.name == "duckdb":  # DuckDB reads Arrow in place; executemany is slow
                names = list(rows[0])
                arrow = pa.Table.from_pylist(rows)
                raw: Any = conn.connection.driver_connection  # DuckDB's own connection
                raw.register("flyt_plo_in", arrow)
                try:
                    conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(names)}) "
                                         f"SELECT {', '.join(names)} FROM flyt_plo_in")
                finally:
                    raw.unregister("flyt_plo_in")
            else:
                conn.execute(table.insert(), rows)
            rows.clear()


def receive_batch(db: Database, state: BatchState, batch: list[Prepared],
                  settings: Settings, receipts_dir: Path, now: datetime) -> list[Outcome]:
    """Receive these prepared files in one transaction, with the same outcome as
    receiving them one by one (receive_bytes) in this order. `state` is the
    store as the previous batch left it, and is kept up to date."""
    outcomes = []
    writer = ReceiptWriter(receipts_dir)
    try:
        with db.engine.begin() as conn:
            pending = Pending()
            # Ids for every message that can be read (an unreadable file is not stored).
            reserved = Reserved.take(conn, sum(p.unreadable is None for p in batch))
            for prepared in batch:
                if prepared.unreadable is not None:
                    outcomes.append(Outcome(prepared.path.name, None, None, UNREADABLE,
                                            prepared.unreadable))
                    continue
                done = fast_receive(state, pending, prepared, writer, now, settings,
                                    reserved)
                if done is None:
                    pending.flush(conn)
                    done = receive_slowly(conn, state, prepared, settings, receipts_dir, now,
                                          reserved.next())
                outcomes.append(done)
            pending.flush(conn)
            writer.wait()
    except BaseException:
        writer.discard()
        raise
    finally:
        writer.close()
    return outcomes


def receive_guarded(db: Database, state: BatchState, batch: list[Prepared],
                    settings: Settings, receipts_dir: Path, now: datetime) -> list[Outcome]:
    """receive_batch; when it fails (rolled back: a message broke it in a way no one
    foresaw), the batch again a message at a time, so that only the message that
    fails alone is set aside (set_aside) and every other one is received."""
    try:
        return receive_batch(db, state, batch, settings, receipts_dir, now)
    except Exception as error:
        state.reload(db)  # the failed batch changed it; the store did not keep a thing
        if len(batch) == 1:
            return [set_aside(db, state, batch[0], error, settings, receipts_dir, now)]
    return [done for prepared in batch
            for done in receive_guarded(db, state, [prepared], settings, receipts_dir, now)]


def set_aside(db: Database, state: BatchState, prepared: Prepared, error: Exception,
              settings: Settings, receipts_dir: Path, now: datetime) -> Outcome:
    """Quarantine a message that failed alone, with the reason and an error receipt;
    if even that cannot be stored, a FAILED outcome (the watcher reads it again)."""
    name = prepared.path.name
    # The type only: an exception's text may quote the message (a national id).
    reason = (f"unexpected error receiving the message ({type(error).__name__}): "
              "kept for flyt plo retry")
    data = prepared.data(settings.message_key)
    try:
        with db.engine.begin() as conn:
            done = receive_in(conn, data, name, settings, receipts_dir, now=now,
                              sealed=prepared.sealed, refused=MessageError(
                                  ErrorCode.UNEXPECTED, reason, head=salvaged_head(data)))
    except Exception as again:
        return Outcome(name, None, None, FAILED, f"cannot store the message "
                       f"({type(again).__name__}): it is read again at the next import")
    state.reload(db)
    return done


def receive_slowly(conn: sa.Connection, state: BatchState, prepared: Prepared,
                   settings: Settings, receipts_dir: Path, now: datetime,
                   ids: tuple[int, int]) -> Outcome:
    """The one-message path (receive_in) with these ids (the message's and its
    receipt's), then `state` brought up to date."""
    merges = prepared.summary is not None and state.merges(prepared.summary.keys)
    message_id = ids[0]
    refused = (None if prepared.too_large is None
               else MessageError(ErrorCode.TOO_LARGE, prepared.too_large))
    done = receive_in(conn, prepared.data(settings.message_key), prepared.path.name, settings,
                      receipts_dir, now=now, sealed=prepared.sealed, refused=refused, ids=ids)
    fields = conn.execute(sa.select(M).where(M.c.id == message_id)).one()._mapping
    if merges:  # earlier messages moved to another patient key: load it all again
        fresh = BatchState.load(conn)
        vars(state).update(vars(fresh))
        return done
    state.remember(dict(fields))
    if fields["patient_key"]:
        state.reload_links(conn, fields["patient_key"])
    return done


def fast_receive(state: BatchState, pending: Pending, prepared: Prepared,
                 writer: ReceiptWriter, now: datetime, settings: Settings,
                 reserved: Reserved) -> Outcome | None:
    """The common case, decided from `state` without a query: a readable new
    message (status N or A) to a mapped receiver about a patient whose identifiers
    join no two patients, not a duplicate and not undone by a cancellation that
    came first. None when the message needs receive_in."""
    summary = prepared.summary
    if summary is None or summary.status not in ("N", "A") or summary.msg_id in state.msg_ids:
        return None
    if state.merges(summary.keys):
        return None  # link_patient moves earlier messages
    canonical = state.canonical(summary.keys)
    if ((summary.content_digest, canonical) in state.contents
            or summary.msg_id in state.undo_refs
            or (summary.match_key, canonical) in state.undo_matches):
        return None
    her_id = next((h for h in summary.receiver_ids if h in state.receivers), None)
    if her_id is None:
        return None
    receiver = summary.receiver
    if receiver is not None and receiver.her_id == her_id:
        as_copy, receipt = receiver.as_copy, receiver.ok_receipt
    else:  # mapped after the import began: answer as the party now mapped
        message = read_message(prepared.data(settings.message_key))
        _, party, as_copy = next(c for c in receiver_candidates(message) if c[0] == her_id)
        receipt = build_apprec(message, [], as_party=party, now=now)
    fields = summary.fields | {"patient_key": canonical, "receiver_her_id": her_id,
                               "as_copy": as_copy, "status": APPLIED}
    message_id, receipt_id = reserved.next()
    for k in summary.keys:
        if state.links.get(k) != canonical:
            state.links[k] = canonical
            pending.links.append({"alias_key": k, "patient_key": canonical})
    pending.messages.append({"id": message_id, "file_name": prepared.path.name,
                             "received_at": now, "sealed": prepared.sealed, **fields})
    receipt_path = writer.folder / f"apprec-{receipt_id:08d}-{safe_name(summary.msg_id)}.xml"
    writer.write(receipt_path, receipt)
    pending.receipts.append({"id": receipt_id, "message_id": message_id,
                             "msg_id": summary.msg_id, "status": "ok", "code": None,
                             "text": None, "xml": receipt, "path": str(receipt_path),
                             "created_at": now})
    state.remember(fields)
    return outcome(prepared.path.name, fields)

