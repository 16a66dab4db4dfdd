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

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from flyt.config import Settings
from flyt.domain import clock
from flyt.plo.batch import BatchState, receive_guarded
from flyt.plo.limits import DEFAULT_LIMITS, PloLimits
from flyt.plo.outcomes import Outcome
from flyt.plo.reading import Context as ReadContext
from flyt.plo.reading import Prepared, read_files
from flyt.store import turns
from flyt.store.db import Database

BATCH = 2000  # messages received in one transaction (receive_batch)
RECEIVING = "plo receive"  # the turn of whoever receives or retries messages


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
    files are prepared ahead in worker processes (flyt.plo.reading).

    One receiver at a time on a store (RECEIVING): a message is classified against the
    messages before it (duplicates, corrections, patient links), read once into the
    batch state; a second process receiving at the same moment would leave that state
    stale and both could link the same patient alias."""
    with turns.one_at_a_time(db, RECEIVING):
        return _receive_files(db, files, settings, receipts_dir, limits)


def _receive_files(db: Database, files: list[Path], settings: Settings,
                   receipts_dir: Path, limits: PloLimits) -> list[Outcome]:
    now = clock.stamp()
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
            try:
                conn.exec_driver_sql("CHECKPOINT")
            except sa.exc.OperationalError:
                # Another thread of this process is writing (`flyt serve`: an upload, a
                # replay). DuckDB checkpoints by itself once that ends and the log has
                # grown past the threshold, or when the store is closed.
                conn.rollback()

