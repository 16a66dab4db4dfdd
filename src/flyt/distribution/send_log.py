"""The ``report_sends`` table: every attempt to mail a report, sent or failed.

The schedule decides from it what is still due, so it survives restarts: a period
with a ``sent`` row is done; its ``failed`` rows count the attempts used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from flyt.store import schema
from flyt.store.db import Database

S = schema.report_sends


@dataclass(frozen=True)
class SendRecord:
    kind: str
    period: str
    status: str  # sent | failed
    attempt: int
    created_at: datetime
    recipients: str = ""
    error: str | None = None


def record(db: Database, kind: str, period: str, recipients: tuple[str, ...], status: str,
           error: str | None, created_at: datetime) -> SendRecord:
    """Log one attempt; its number follows the attempts already logged for the period."""
    with db.engine.begin() as conn:
        attempt = int(conn.execute(
            sa.select(sa.func.count()).where(S.c.kind == kind, S.c.period == period)
        ).scalar_one()) + 1
        row = SendRecord(kind, period, status, attempt, created_at.replace(microsecond=0),
                         ", ".join(recipients), error)
        conn.execute(S.insert().values(**row.__dict__))  # the id: the next of its sequence
    return row


def history(db: Database, *, kinds: tuple[str, ...] | None = None,
            periods: tuple[str, ...] | None = None, limit: int | None = None) -> list[SendRecord]:
    """Logged attempts, newest first. The schedule asks only for the periods it considers,
    so the whole log is never read."""
    query = sa.select(S).order_by(S.c.id.desc())
    if kinds:
        query = query.where(S.c.kind.in_(kinds))
    if periods is not None:
        query = query.where(S.c.period.in_(periods))
    if limit:
        query = query.limit(limit)
    with db.engine.connect() as conn:
        return [SendRecord(r.kind, r.period, r.status, r.attempt, r.created_at, r.recipients,
                           r.error) for r in conn.execute(query).all()]
