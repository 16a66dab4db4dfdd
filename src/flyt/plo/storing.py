"""Storing one message as received: sealed with the message key, classified, answered
with a receipt, within the caller's transaction (receive_in), or in one of its own
(receive_bytes)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from flyt.config import Settings
from flyt.domain import clock
from flyt.plo.classify import classify
from flyt.plo.errors import MessageError
from flyt.plo.outcomes import M, Outcome, outcome
from flyt.plo.receipts import send_receipt
from flyt.plo.sealing import seal
from flyt.store.db import Database
from flyt.store.ids import next_id


def receive_bytes(db: Database, data: bytes, file_name: str, settings: Settings,
                  receipts_dir: Path, *, now: datetime | None = None) -> Outcome:
    with db.engine.begin() as conn:
        return receive_in(conn, data, file_name, settings, receipts_dir, now=now)


def receive_in(conn: sa.Connection, data: bytes, file_name: str, settings: Settings,
               receipts_dir: Path, *, now: datetime | None = None,
               sealed: bytes | None = None, refused: MessageError | None = None,
               ids: tuple[int, int] | None = None) -> Outcome:
    """Receive one message within the caller's transaction (`sealed`: `data`
    already sealed with the message key; `refused`: the answer, decided without
    reading it; `ids`: the message's and its receipt's, taken ahead by a batch, else
    taken from their sequences here)."""
    received_at = now or clock.stamp()
    # The id first: classifying compares the message with the others by it.
    message_id, receipt_id = ids or (next_id(conn, M), None)
    decision = classify(conn, message_id, data, settings, refused=refused)
    conn.execute(M.insert().values(
        id=message_id, file_name=file_name, received_at=received_at,
        sealed=sealed or seal(data, settings.message_key), **decision.fields))
    send_receipt(conn, message_id, decision, receipts_dir, received_at, receipt_id)
    return outcome(file_name, decision.fields)

