"""Ids taken from a table's sequence (store/schema.py, id_column) before the row is
written, where the caller needs the id first: an import's id goes into its records, a
PLO message's into its receipt, a receipt's into its file name. Inserts that need no id
first leave it out and read it back (``RETURNING id``).

A value taken is never given to anyone else, committed or not; an id taken by a
transaction that rolls back is simply not used (ids may have gaps).
"""

from __future__ import annotations

import sqlalchemy as sa


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

