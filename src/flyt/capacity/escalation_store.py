"""The escalation levels kept with their history (table ``escalation_levels``).

One row per group and moment ``at``: computing the same moment again replaces its rows.
``since`` is when a group's current level began: the earliest ``at`` of the latest
unbroken run of that level among the rows before ``at``, or ``at`` itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from flyt.capacity.escalation import GroupLevel
from flyt.store import schema
from flyt.store.db import Database

DECIMALS = 3

T = schema.escalation_levels


def indicator_records(level: GroupLevel) -> list[dict]:
    """The indicators as the command and the store give them."""
    return [{"name": i.name, "value": round(i.value, DECIMALS), "threshold": i.threshold,
             "level": i.level} for i in level.indicators]


def save(db: Database, at: datetime, levels: list[GroupLevel], computed_at: datetime) -> None:
    """Store the levels at ``at``, replacing what was stored for that moment.

    Rows are updated in place rather than deleted and inserted again: a key deleted and
    inserted in one transaction trips DuckDB's unique index."""
    keys = {(g.group_type, g.group_id) for g in levels}
    with db.engine.begin() as conn:
        stored = {(r.group_type, r.group_id) for r in conn.execute(
            sa.select(T.c.group_type, T.c.group_id).where(T.c.at == at))}
        for gone in stored - keys:
            conn.execute(sa.delete(T).where(T.c.at == at, T.c.group_type == gone[0],
                                            T.c.group_id == gone[1]))
        for level in levels:
            values = {"computed_at": computed_at, "level": level.level,
                      "indicators": json.dumps(indicator_records(level), ensure_ascii=False)}
            where = (T.c.at == at, T.c.group_type == level.group_type,
                     T.c.group_id == level.group_id)
            if (level.group_type, level.group_id) in stored:
                conn.execute(sa.update(T).where(*where).values(**values))
            else:
                conn.execute(sa.insert(T).values(at=at, group_type=level.group_type,
                                                 group_id=level.group_id, **values))


def since(db: Database, at: datetime, levels: list[GroupLevel]) -> dict[tuple[str, str], datetime]:
    """When each group's level at ``at`` began, from the rows stored before ``at``."""
    found = {}
    with db.engine.connect() as conn:
        for level in levels:
            began = at
            rows = conn.execute(
                sa.select(T.c.at, T.c.level)
                .where(T.c.group_type == level.group_type, T.c.group_id == level.group_id,
                       T.c.at < at)
                .order_by(T.c.at.desc()))
            for row in rows:
                if row.level != level.level:
                    break
                began = row.at
            found[(level.group_type, level.group_id)] = began
    return found


@dataclass(frozen=True)
class Stored:
    """A group's level as stored at ``at`` (the latest computed moment)."""

    group_type: str
    group_id: str
    level: int
    indicators: list[dict]
    at: datetime
    since: datetime


def latest(db: Database, at: datetime) -> list[Stored]:
    """The levels of the latest moment stored at or before ``at`` (community first, then
    by group id), each with its ``since``; [] when none is stored."""
    with db.engine.connect() as conn:
        moment = conn.execute(sa.select(sa.func.max(T.c.at)).where(T.c.at <= at)).scalar()
        if moment is None:
            return []
        rows = conn.execute(sa.select(T).where(T.c.at == moment)
                            .order_by(T.c.group_type, T.c.group_id)).all()
    levels = [GroupLevel(r.group_type, r.group_id, r.level, (), ()) for r in rows]
    began = since(db, moment, levels)
    found = [Stored(r.group_type, r.group_id, r.level, json.loads(r.indicators), moment,
                    began[(r.group_type, r.group_id)]) for r in rows]
    return sorted(found, key=lambda s: (s.group_type != "community", s.group_id))
