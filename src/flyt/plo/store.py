"""Receive PLO messages: keep each exactly as received, decide what it is, answer it.

Every message gets a row in ``plo_messages`` (its bytes, MsgId, the time it was
read) and an application receipt (a file in the receipts folder and a row in
``plo_receipts``), whatever becomes of it. Its status says what it did:

- ``applied``: it counts (a cancellation or change is applied when it has been
  recorded, also while the message it is about has not come yet);
- ``duplicate``: the same MsgId was received before (for example once as
  receiver and once as copy receiver), or the same content about the same
  patient under another MsgId (acceptance test 20);
- ``cancelled``: a cancellation (status C) or change (status M) undid it, in
  whichever order the two arrived;
- ``quarantined``: it could not be applied because of configuration (its
  receiver's HER-id is not mapped to a municipality); ``flyt plo retry``;
- ``rejected``: the message itself is wrong (read_message refused it), or too
  large to be read (its bytes are then not kept, and it is not retried).

A message that reading or storing fails on in a way no one foresaw is
``quarantined`` with the reason (a bug: ``flyt plo retry`` after the fix); it
never stops the others. Two outcomes are not stored, because there is nothing
to keep or to answer: ``unreadable`` (the file could not be read: gone, no
permission) and ``failed`` (not even the quarantine could be stored).

Identifiers are pseudonymized here, before anything is stored. What the
messages mean for stays and UKP periods is flyt.plo.replay's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import sqlalchemy as sa

from flyt.config import Settings, private_dir
from flyt.domain.identity import pseudonymize
from flyt.plo.apprec import apprec_for_error, build_apprec
from flyt.plo.errors import ErrorCode, MessageError, Problem
from flyt.plo.fields import APPLIED, blank_fields, message_fields, receiver_candidates
from flyt.plo.limits import DEFAULT_LIMITS, PloLimits
from flyt.plo.message import PloMessage, read_message, salvaged_head
from flyt.plo.parties import Party
from flyt.plo.reading import Context as ReadContext
from flyt.plo.reading import Prepared, read_files
from flyt.plo.sealing import seal, unseal
from flyt.store import schema
from flyt.store.db import Database

DUPLICATE, CANCELLED = "duplicate", "cancelled"
QUARANTINED, REJECTED = "quarantined", "rejected"
UNREADABLE, FAILED = "unreadable", "failed"  # outcomes only: nothing stored, nothing answered
# Problems that are ours to fix (configuration, a bug), not the sender's: quarantined, retried.
CONFIGURATION_PROBLEMS = {ErrorCode.UNKNOWN_RECEIVER, ErrorCode.UNEXPECTED}
# Problems a retry cannot solve: the message's bytes were not kept.
NOT_RETRIED = {ErrorCode.TOO_LARGE}
M = schema.plo_messages
BATCH = 2000  # messages received in one transaction (receive_batch)


@dataclass(frozen=True)
class Outcome:
    file: str
    msg_id: str | None
    type: str | None  # MsgInfo/Type
    status: str
    reason: str | None  # plain words; None when applied

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Decision:
    """What classifying one message gave: the row's fields, the receipt to send."""

    fields: dict[str, Any]
    problems: list[Problem]
    head: Any  # MessageHead | None: what the receipt answers
    as_party: Party | None = None
    error: MessageError | None = None


def message_files(path: Path) -> list[Path]:
    """The file itself, or the folder's *.xml files in name order (hidden files skipped)."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise OSError(f"no such file or folder: {path}")
    return sorted(p for p in path.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.suffix.lower() == ".xml")


def receive(db: Database, path: Path, settings: Settings, receipts_dir: Path, *,
            replay: bool = True) -> list[Outcome]:
    """Receive a file or a folder of messages, then replay every applied message
    into stays and UKP periods (flyt.plo.replay)."""
    outcomes = receive_files(db, message_files(path), settings, receipts_dir)
    if replay:
        from flyt.plo.replay import replay_messages

        replay_messages(db)
    return outcomes


def receive_files(db: Database, files: list[Path], settings: Settings,
                  receipts_dir: Path, *, limits: PloLimits = DEFAULT_LIMITS) -> list[Outcome]:
    """Receive these files in this order, BATCH messages to a transaction; the
    files are prepared ahead in worker processes (flyt.plo.reading)."""
    now = datetime.now().replace(microsecond=0)
    with db.engine.connect() as conn:
        state = BatchState.load(conn)
    context = ReadContext(settings.pseudonym_key, settings.message_key,
                          frozenset(state.receivers), now, limits.max_message_bytes)
    outcomes: list[Outcome] = []
    batch: list[Prepared] = []
    with checkpoint_once(db):
        for prepared in read_files(files, context):
            batch.append(prepared)
            if len(batch) == BATCH:
                outcomes += receive_guarded(db, state, batch, settings, receipts_dir, now)
                batch = []
        if batch:
            outcomes += receive_guarded(db, state, batch, settings, receipts_dir, now)
    return outcomes


@contextmanager
def checkpoint_once(db: Database) -> Iterator[None]:
    """DuckDB checkpoints (rewrites the changed tables into the file) whenever its
    write-ahead log passes 16 MB; with the sealed messages that is every few
    batches, and each checkpoint grows with the table (3 s at 10 000 messages):
    quadratic in all. One checkpoint at the end instead."""
    if db.dialect != "duckdb":
        yield
        return
    with db.engine.connect() as conn:
        conn.exec_driver_sql("SET checkpoint_threshold = '1GB'")
    try:
        yield
    finally:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("RESET checkpoint_threshold")
            conn.exec_driver_sql("CHECKPOINT")


def receive_bytes(db: Database, data: bytes, file_name: str, settings: Settings,
                  receipts_dir: Path, *, now: datetime | None = None) -> Outcome:
    with db.engine.begin() as conn:
        return receive_in(conn, data, file_name, settings, receipts_dir, now=now)


def receive_in(conn: sa.Connection, data: bytes, file_name: str, settings: Settings,
               receipts_dir: Path, *, now: datetime | None = None,
               sealed: bytes | None = None, refused: MessageError | None = None) -> Outcome:
    """Receive one message within the caller's transaction (`sealed`: `data`
    already sealed with the message key; `refused`: the answer, decided without
    reading it)."""
    received_at = now or datetime.now().replace(microsecond=0)
    message_id = next_id(conn, M)
    decision = classify(conn, message_id, data, settings, refused=refused)
    conn.execute(M.insert().values(
        id=message_id, file_name=file_name, received_at=received_at,
        sealed=sealed or seal(data, settings.message_key), **decision.fields))
    send_receipt(conn, message_id, decision, receipts_dir, received_at)
    return outcome(file_name, decision.fields)


# --- many messages at once ----------------------------------------------------------


@dataclass
class BatchState:
    """What the per-message queries would ask, loaded once per import: the store's
    ids, MsgIds and contents, pending cancellations/changes, patient links and
    mapped receivers. A message that needs more than these (a cancellation or
    change, one that may be undone, duplicated or join two patients, or that
    cannot be read) takes the one-message path (receive_in) within the batch."""

    next_message: int
    next_receipt: int
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
            next_id(conn, M), next_id(conn, schema.plo_receipts),
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


class ReceiptWriter:
    """Writes receipt files on a background thread: creating a file costs a
    directory update in the kernel (0.1–0.2 ms here), which can overlap with
    reading the next message. `wait` before the transaction commits, so a
    stored receipt row always has its file (an error rolls the batch back)."""

    def __init__(self, folder: Path) -> None:
        private_dir(folder)
        self.folder = folder
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="flyt-apprec")
        self.writes: list[Future[int]] = []
        self.written: list[Path] = []

    def write(self, path: Path, xml: bytes) -> None:
        self.writes.append(self.pool.submit(path.write_bytes, xml))
        self.written.append(path)

    def discard(self) -> None:
        """Remove the receipts of a batch that was rolled back: none may be sent."""
        for done in self.writes:
            done.exception()  # wait; a failed write left nothing to remove
        for path in self.written:
            path.unlink(missing_ok=True)

    def wait(self) -> None:
        try:
            for done in self.writes:
                done.result()
        finally:
            self.writes.clear()

    def close(self) -> None:
        self.pool.shutdown(wait=True)


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
            for prepared in batch:
                if prepared.unreadable is not None:
                    outcomes.append(Outcome(prepared.path.name, None, None, UNREADABLE,
                                            prepared.unreadable))
                    continue
                done = fast_receive(state, pending, prepared, writer, now, settings)
                if done is None:
                    pending.flush(conn)
                    done = receive_slowly(conn, state, prepared, settings, receipts_dir, now)
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
                   settings: Settings, receipts_dir: Path, now: datetime) -> Outcome:
    """The one-message path (receive_in), then `state` brought up to date."""
    merges = prepared.summary is not None and state.merges(prepared.summary.keys)
    message_id = next_id(conn, M)
    refused = (None if prepared.too_large is None
               else MessageError(ErrorCode.TOO_LARGE, prepared.too_large))
    done = receive_in(conn, prepared.data(settings.message_key), prepared.path.name, settings,
                      receipts_dir, now=now, sealed=prepared.sealed, refused=refused)
    fields = conn.execute(sa.select(M).where(M.c.id == message_id)).one()._mapping
    if merges:  # earlier messages moved to another patient key: load it all again
        fresh = BatchState.load(conn)
        vars(state).update(vars(fresh))
        return done
    state.remember(dict(fields))
    state.next_message = message_id + 1
    state.next_receipt = next_id(conn, schema.plo_receipts)
    if fields["patient_key"]:
        state.reload_links(conn, fields["patient_key"])
    return done


def fast_receive(state: BatchState, pending: Pending, prepared: Prepared,
                 writer: ReceiptWriter, now: datetime, settings: Settings) -> Outcome | None:
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
    message_id, state.next_message = state.next_message, state.next_message + 1
    for k in summary.keys:
        if state.links.get(k) != canonical:
            state.links[k] = canonical
            pending.links.append({"alias_key": k, "patient_key": canonical})
    pending.messages.append({"id": message_id, "file_name": prepared.path.name,
                             "received_at": now, "sealed": prepared.sealed, **fields})
    receipt_id, state.next_receipt = state.next_receipt, state.next_receipt + 1
    receipt_path = writer.folder / f"apprec-{receipt_id:08d}-{safe_name(summary.msg_id)}.xml"
    writer.write(receipt_path, receipt)
    pending.receipts.append({"id": receipt_id, "message_id": message_id,
                             "msg_id": summary.msg_id, "status": "ok", "code": None,
                             "text": None, "xml": receipt, "path": str(receipt_path),
                             "created_at": now})
    state.remember(fields)
    return outcome(prepared.path.name, fields)


def safe_name(msg_id: str | None) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", msg_id or "unknown")[:80]


def retry(db: Database, settings: Settings, receipts_dir: Path, *,
          replay: bool = True) -> list[Outcome]:
    """Classify the quarantined and rejected messages again (after the receivers
    were configured), each answered with a new receipt."""
    not_retried = [str(code) for code in NOT_RETRIED]
    with db.engine.connect() as conn:
        waiting = conn.execute(sa.select(M.c.id, M.c.file_name).where(
            M.c.status.in_((QUARANTINED, REJECTED)),
            sa.or_(M.c.error_code.is_(None), M.c.error_code.not_in(not_retried)))
            .order_by(M.c.id)).all()
    outcomes = []
    for message_id, file_name in waiting:
        try:
            with db.engine.begin() as conn:
                sealed = conn.execute(sa.select(M.c.sealed).where(
                    M.c.id == message_id)).scalar_one()
                decision = classify(conn, message_id, unseal(sealed, settings.message_key),
                                    settings)
                conn.execute(M.update().where(M.c.id == message_id).values(**decision.fields))
                send_receipt(conn, message_id, decision, receipts_dir,
                             datetime.now().replace(microsecond=0))
        except Exception as error:  # it stays as it was; the next message is tried
            outcomes.append(Outcome(file_name, None, None, FAILED, f"unexpected error "
                                    f"({type(error).__name__}): left as it was"))
            continue
        outcomes.append(outcome(file_name, decision.fields))
    if replay and outcomes:
        from flyt.plo.replay import replay_messages

        replay_messages(db)
    return outcomes


def outcome(file_name: str, fields: dict[str, Any]) -> Outcome:
    return Outcome(file_name, fields.get("msg_id") or None, fields.get("msg_type") or None,
                   fields["status"], fields.get("reason"))


def next_id(conn: sa.Connection, table: sa.Table) -> int:
    # scalar_one, not scalar: it reads the result to its end, and DuckDB refuses new
    # work (registering an Arrow table) on a connection with a result left unread.
    return int(conn.execute(sa.select(sa.func.max(table.c.id))).scalar_one() or 0) + 1


# --- classifying a message ---------------------------------------------------------


def classify(conn: sa.Connection, message_id: int, data: bytes, settings: Settings, *,
             refused: MessageError | None = None) -> Decision:
    try:
        if refused is not None:
            raise refused
        message = read_message(data)
    except MessageError as error:
        head = error.head
        status = QUARANTINED if error.code in CONFIGURATION_PROBLEMS else REJECTED
        fields = blank_fields() | {
            "msg_id": head.msg_id if head else None, "msg_type": head.msg_type if head else None,
            "status": status, "reason": error.reason, "error_code": str(error.code)}
        return Decision(fields, list(error.problems), head, error=error)
    patient_key = link_patient(conn, pseudonymize([p.value for p in message.patient_ids],
                                                  settings.pseudonym_key))
    fields = message_fields(message) | {"patient_key": patient_key}
    found = mapped_receiver(conn, message)
    if found is None:
        ids = ", ".join(dict.fromkeys(all_receiver_ids(message))) or "(none)"
        reason = (f"unknown receiver: HER-id {ids} is not mapped to a municipality "
                  "(flyt plo receivers add HER_ID KOMMUNENUMMER)")
        fields |= {"status": QUARANTINED, "reason": reason,
                   "error_code": str(ErrorCode.UNKNOWN_RECEIVER),
                   "receiver_her_id": message.receiver.her_id}
        return Decision(fields, [Problem(ErrorCode.UNKNOWN_RECEIVER, reason)], message)
    her_id, party, as_copy = found
    fields |= {"receiver_her_id": her_id, "as_copy": as_copy}
    effect = decide_effect(conn, message_id, message, patient_key)
    fields |= effect | {"reason": effect["reason"] or fields["reason"]}  # keep a masking note
    return Decision(fields, [], message, as_party=party)


def all_receiver_ids(m: PloMessage) -> list[str]:
    """The receiver's HER-ids, most specific first, then each copy receiver's."""
    return [her_id for her_id, _, _ in receiver_candidates(m)]


def mapped_receiver(conn: sa.Connection, m: PloMessage) -> tuple[str, Party, bool] | None:
    """(HER-id, the party that answers, reached us as copy receiver) of the first
    receiver HER-id that is mapped to a municipality, receiver before copy receivers."""
    candidates = receiver_candidates(m)
    if not candidates:
        return None
    r = schema.plo_receivers.c
    known = set(conn.execute(sa.select(r.her_id).where(
        r.her_id.in_([c[0] for c in candidates]))).scalars())
    return next((c for c in candidates if c[0] in known), None)


def decide_effect(conn: sa.Connection, message_id: int, m: PloMessage,
                  patient_key: str) -> dict[str, Any]:
    """Duplicate, a cancellation/change (applied to its target when present), an
    original already cancelled by an earlier-arrived cancellation, or applied."""
    duplicate = conn.execute(sa.select(M.c.msg_id).where(
        M.c.id != message_id, M.c.status.in_((APPLIED, CANCELLED)),
        sa.or_(M.c.msg_id == m.msg_id,
               sa.and_(M.c.content_digest == m.content_digest,
                       M.c.patient_key == patient_key))).limit(1)).one_or_none()
    if duplicate is not None:
        same = "MsgId" if duplicate[0] == m.msg_id else f"content as MsgId {duplicate[0]}"
        return {"status": DUPLICATE, "reason": f"already received (same {same})"}
    if m.is_cancellation or m.is_change:
        target = conn.execute(sa.select(M.c.id).where(
            M.c.id != message_id, M.c.status == APPLIED, M.c.send_status.in_(("N", "A")),
            targets(m.refers_to, "|".join(m.match_key), patient_key)).order_by(M.c.id)
            .limit(1)).scalar_one_or_none()
        if target is not None:
            verb = "cancelled" if m.is_cancellation else "replaced"
            conn.execute(M.update().where(M.c.id == target).values(
                status=CANCELLED, reason=f"{verb} by message {m.msg_id}", replaced_by=message_id))
        return {"status": APPLIED, "reason": None}
    if m.status in ("N", "A"):
        c = M.alias("c")
        undone_by = conn.execute(sa.select(c.c.id, c.c.msg_id, c.c.send_status).where(
            c.c.status == APPLIED, c.c.send_status.in_(("C", "M")),
            sa.or_(c.c.refers_to == m.msg_id,
                   sa.and_(c.c.refers_to.is_(None), c.c.match_key == "|".join(m.match_key),
                           c.c.patient_key == patient_key)),
            ~sa.exists().where(M.c.replaced_by == c.c.id)).order_by(c.c.id).limit(1)).one_or_none()
        if undone_by is not None:
            verb = "cancelled" if undone_by.send_status == "C" else "replaced"
            return {"status": CANCELLED, "replaced_by": undone_by.id,
                    "reason": f"{verb} by message {undone_by.msg_id}, which arrived first"}
    return {"status": APPLIED, "reason": None}


def targets(refers_to: str | None, match_key: str, patient_key: str) -> sa.ColumnElement[bool]:
    """The message a cancellation or change is about: by RefToParent, else by content
    (type, sender, event and its time) and patient (acceptance tests 21 and 22)."""
    if refers_to:
        return M.c.msg_id == refers_to
    return sa.and_(M.c.match_key == match_key, M.c.patient_key == patient_key)


# --- patients known by several identifiers ------------------------------------------


def link_patient(conn: sa.Connection, keys: Iterable[str]) -> str:
    """The canonical pseudonym of a patient known by these pseudonyms.

    The smallest pseudonym of everything linked, so the result does not depend on
    the order messages come in; when a message joins two patients, every earlier
    link and message of the other moves to the canonical key (retroactively).
    """
    keys = sorted(set(keys))
    links = schema.plo_patient_links.c
    existing = set(conn.execute(sa.select(links.patient_key).where(
        links.alias_key.in_(keys))).scalars())
    canonical = min(set(keys) | existing)
    merged = existing - {canonical}
    if merged:
        conn.execute(schema.plo_patient_links.update().where(
            links.patient_key.in_(merged)).values(patient_key=canonical))
        conn.execute(M.update().where(M.c.patient_key.in_(merged)).values(
            patient_key=canonical))
    known = set(conn.execute(sa.select(links.alias_key).where(
        links.alias_key.in_(keys))).scalars())
    if new := [{"alias_key": k, "patient_key": canonical} for k in keys if k not in known]:
        conn.execute(schema.plo_patient_links.insert(), new)
    conn.execute(schema.plo_patient_links.update().where(
        links.alias_key.in_(keys)).values(patient_key=canonical))
    return canonical


# --- receipts -------------------------------------------------------------------------


def send_receipt(conn: sa.Connection, message_id: int, decision: Decision,
                 receipts_dir: Path, now: datetime) -> None:
    """Write the AppRec to the receipts folder and record it."""
    receipt_id = next_id(conn, schema.plo_receipts)
    if decision.error is not None:
        xml = apprec_for_error(decision.error, now=now)
    else:
        xml = build_apprec(decision.head, decision.problems, as_party=decision.as_party, now=now)
    msg_id = decision.fields.get("msg_id")
    private_dir(receipts_dir)
    path = receipts_dir / f"apprec-{receipt_id:08d}-{safe_name(msg_id)}.xml"
    path.write_bytes(xml)
    first = decision.problems[0] if decision.problems else None
    conn.execute(schema.plo_receipts.insert().values(
        id=receipt_id, message_id=message_id, msg_id=msg_id,
        status="error" if decision.problems else "ok",
        code=str(first.code) if first else None, text=first.reason if first else None,
        xml=xml, path=str(path), created_at=now))
