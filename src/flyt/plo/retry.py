"""``flyt plo retry``: the quarantined and rejected messages classified again (after the
receivers were configured, or a bug fixed), each answered with a new receipt. A message
whose bytes were not kept (too large) is not retried."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from flyt.config import Settings
from flyt.domain import clock
from flyt.plo.classify import classify
from flyt.plo.outcomes import FAILED, NOT_RETRIED, QUARANTINED, REJECTED, M, Outcome, outcome
from flyt.plo.receipts import send_receipt
from flyt.plo.receive import RECEIVING
from flyt.plo.sealing import unseal
from flyt.store import turns
from flyt.store.db import Database


def retry(db: Database, settings: Settings, receipts_dir: Path, *,
          replay: bool = True) -> list[Outcome]:
    """Classify the quarantined and rejected messages again (after the receivers
    were configured), each answered with a new receipt."""
    with turns.one_at_a_time(db, RECEIVING):  # classified as if received now
        outcomes = _retry(db, settings, receipts_dir)
    if replay and outcomes:
        from flyt.plo.replay import replay_messages

        replay_messages(db)
    return outcomes


def _retry(db: Database, settings: Settings, receipts_dir: Path) -> list[Outcome]:
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
                             clock.stamp())
        except Exception as error:  # it stays as it was; the next message is tried
            outcomes.append(Outcome(file_name, None, None, FAILED, f"unexpected error "
                                    f"({type(error).__name__}): left as it was"))
            continue
        outcomes.append(outcome(file_name, decision.fields))
    return outcomes

