"""When the deviations last changed: the stamp the list's kept pages are keyed on.

Every report, step and import adds an event, so the newest event id is the stamp. It is
looked up at most once a second per store (as the dashboard's data stamp,
flyt.web.freshness): a change by another process (the command line on PostgreSQL, a
second server) shows in the list within a second; one made in this process at once,
since every writer here calls `changed`.
"""

from __future__ import annotations

import threading

import sqlalchemy as sa
from cachetools import TTLCache

from flyt.store import schema
from flyt.store.db import Database

STAMP_SECONDS = 1.0

_stamps: TTLCache[str, int] = TTLCache(maxsize=16, ttl=STAMP_SECONDS)
_lock = threading.Lock()


def stamp(db: Database) -> int:
    """The newest deviation event's id (0 for none)."""
    url = str(db.engine.url)
    with _lock:
        found = _stamps.get(url)
    if found is None:
        with db.engine.connect() as conn:
            found = int(conn.execute(sa.select(sa.func.max(schema.deviation_events.c.id)))
                        .scalar() or 0)
        with _lock:
            _stamps[url] = found
    return found


def changed(db: Database | None = None) -> None:
    """A writer in this process changed deviations: look the stamp up again."""
    with _lock:
        _stamps.clear()
