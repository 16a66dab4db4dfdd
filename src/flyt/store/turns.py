"""Work that must not run twice at once on one store, whichever process asks.

On PostgreSQL several processes write the same database (`flyt serve`, its web workers,
`flyt import plo --watch`, a CLI import), so a turn is a PostgreSQL advisory lock that
every process sees. A DuckDB file is written by one process only (it holds the file's
lock), so there a turn is a lock of this process, shared by its threads (the watcher,
the local channel and the dashboard's uploads in `flyt serve`).
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from flyt.store.db import Database

_LOCAL: dict[str, threading.Lock] = {}
_LOCAL_GUARD = threading.Lock()


def advisory_key(name: str) -> int:
    """The advisory-lock key of a turn: a stable number from its name."""
    return zlib.crc32(f"flyt:{name}".encode())


def local_lock(name: str) -> threading.Lock:
    with _LOCAL_GUARD:
        return _LOCAL.setdefault(name, threading.Lock())


@contextmanager
def one_at_a_time(db: Database, name: str) -> Iterator[None]:
    """Run the block while no other holder of the turn `name` runs on this store. On
    PostgreSQL the lock is held by a connection of its own for the whole block, so the
    block may use as many transactions as it needs."""
    if db.engine.dialect.name != "postgresql":
        with local_lock(name):
            yield
        return
    key = advisory_key(name)
    with db.engine.connect() as holder:
        holder.execute(sa.select(sa.func.pg_advisory_lock(key))).scalar_one()
        holder.commit()
        try:
            yield
        finally:
            holder.execute(sa.select(sa.func.pg_advisory_unlock(key))).scalar_one()
            holder.commit()
