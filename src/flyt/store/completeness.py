"""Data completeness: per file kind and source, the newest accepted import, the newest
attempt, and how far the source's records reach. One definition for the monthly
report's completeness table (as of its cut-off) and the data page (now)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from flyt.store import records, schema
from flyt.store.db import Database


@dataclass(frozen=True)
class SourceStatus:
    kind: str
    source: str
    last_ok: datetime | None  # the newest accepted import; None: none accepted yet
    last_attempt: datetime | None
    attempts: int
    rows: int  # rows read by the accepted imports


def sources(db: Database, cutoff: datetime | None = None) -> list[SourceStatus]:
    """Every kind and source with an import (finished by `cutoff`, when given), by kind
    and source."""
    i = schema.imports.c
    ok = i.status == "ok"
    query = (sa.select(i.kind, i.source,
                       sa.func.max(sa.case((ok, i.finished_at))).label("last_ok"),
                       sa.func.max(i.finished_at).label("last_attempt"),
                       sa.func.count().label("attempts"),
                       sa.func.sum(sa.case((ok, i.rows_read))).label("rows"))
             .group_by(i.kind, i.source).order_by(i.kind, i.source))
    if cutoff is not None:
        query = query.where(i.finished_at <= cutoff)
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [SourceStatus(r.kind, r.source, r.last_ok, r.last_attempt, int(r.attempts),
                         int(r.rows or 0)) for r in rows]


def newest_record(db: Database, kind: str, source: str) -> datetime | None:
    """How far the records of `source` reach: the newest time in the kind's reach column
    (None for a kind Flyt does not store records of)."""
    spec = records.KINDS.get(kind)
    if spec is None:
        return None
    table = schema.metadata.tables[spec.table]
    with db.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.max(table.c[spec.reach]))
                            .where(table.c.source == source)).scalar()
