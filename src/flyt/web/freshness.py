"""What the pages' caches are keyed on: the store's data stamp.

Figures change only with an import, so pages keep what they derive from the records
(the gathered KPI records, snapshots, the import log) per stamp, and a page view costs
no database query at all once the stamp is known. The stamp is looked up at most once
a second per store: an import by another process (the command line, a second server)
shows on the pages within a second; one made through this server shows at once
(`forget`).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

import sqlalchemy as sa
from cachetools import LRUCache, TTLCache, cached
from cachetools.keys import hashkey

from flyt.store import schema
from flyt.store.db import Database

STAMP_SECONDS = 1.0
T = TypeVar("T")

_stamps: TTLCache[str, tuple] = TTLCache(maxsize=16, ttl=STAMP_SECONDS)
_stamps_lock = threading.Lock()
_memos: weakref.WeakSet[Memo] = weakref.WeakSet()


def stamp(db: Database) -> tuple:
    """(store, newest import attempt, newest accepted import): changes with every
    import, accepted or rejected (the data page lists both)."""
    url = str(db.engine.url)
    with _stamps_lock:
        found = _stamps.get(url)
    if found is None:
        i = schema.imports.c
        query = sa.select(sa.func.max(i.id), sa.func.max(sa.case((i.status == "ok", i.id))))
        with db.engine.connect() as conn:
            found = (url, *conn.execute(query).one())
        with _stamps_lock:
            _stamps[url] = found
    return found


def forget() -> None:
    """Look the stamp up again at the next request (after an import through the web),
    and drop everything kept: also for a store emptied and refilled, where the import
    ids, and so the stamp, repeat (the tests' PostgreSQL database)."""
    with _stamps_lock:
        _stamps.clear()
    for memo in list(_memos):
        memo.clear()


class Memo:
    """Values derived from the records, kept per data stamp; the least recently used
    go first. Concurrent first askers of one key wait for the one that computes it, so
    twenty users arriving after an import cause one computation, not twenty."""

    def __init__(self, maxsize: int) -> None:
        self._cache: LRUCache[Hashable, object] = LRUCache(maxsize)
        self._condition = threading.Condition()
        # One wrapper for the Memo's life: cachetools keeps the keys being computed in
        # it, and that is what makes the others wait.
        _memos.add(self)
        self._get = cached(self._cache, key=lambda full_key, make: full_key,
                           condition=self._condition)(lambda full_key, make: make())

    def get(self, db: Database, key: tuple, make: Callable[[], T]) -> T:
        return self._get(hashkey(stamp(db), *key), make)  # type: ignore[no-any-return]

    def clear(self) -> None:
        with self._condition:
            self._cache.clear()
