"""Ids taken from a table's sequence (store/schema.py, id_column) before the row is
written, where the caller needs the id first: an import's id goes into its records, a
PLO message's into its receipt, a receipt's into its file name. Inserts that need no id
first leave it out and read it back (``RETURNING id``).

A value taken is never given to anyone else, committed or not; an id taken by a
transaction that rolls back is simply not used (ids may have gaps). Ids follow the
order they are taken in, not the order their rows are committed in: where the largest
id must name the newest row, write in `in_id_order`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

import sqlalchemy as sa

from flyt.store.db import Database
from flyt.store.turns import advisory_key, local_lock


def sequence(table: sa.Table) -> sa.Sequence:
    found = table.c.id.default
    if not isinstance(found, sa.Sequence):
        raise TypeError(f"{table.name}.id has no sequence")
    return found


def next_id(conn: sa.Connection, table: sa.Table) -> int:
    # scalar_one, not scalar: it reads the result to its end, and DuckDB refuses new
    # work (registering an Arrow table) on a connection with a result left unread.
    return int(conn.execute(sa.select(sequence(table).next_value())).scalar_one())


def reserve_ids(conn: sa.Connection, table: sa.Table, count: int) -> list[int]:
    """`count` ids at once, in increasing order, in one statement (a batch of messages
    gives them out without a query each). Another writer's ids may lie between them."""
    if count <= 0:
        return []
    taken = conn.execute(sa.select(sequence(table).next_value()).select_from(
        sa.func.generate_series(1, count).table_valued("n"))).scalars().all()
    return sorted(int(n) for n in taken)


@contextmanager
def in_id_order(db: Database, table: sa.Table) -> Iterator[sa.Connection]:
    """A transaction that commits before any other `in_id_order` transaction on `table`
    begins, so that the ids it takes there are larger than every id committed before
    and smaller than every id committed after it. The import log needs this: its largest
    accepted id names the newest data (engine/compute.data_version, web/freshness), and
    with a sequence alone a long import could take 5, a short one 6 and commit first;
    the largest id would then not move when 5 lands, and results computed in between
    would pass for current. Writers take turns: on PostgreSQL an advisory lock that
    every process sees, held to the commit; on DuckDB a lock of this process."""
    postgresql = db.engine.dialect.name == "postgresql"
    with nullcontext() if postgresql else local_lock(f"{table.name} in id order"):
        with db.engine.begin() as conn:
            if postgresql:
                key = advisory_key(f"{table.name} in id order")
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(key))).scalar_one()
            yield conn
