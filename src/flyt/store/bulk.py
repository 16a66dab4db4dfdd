"""Move Arrow tables in and out of the store, by each engine's fastest path.

In: DuckDB reads the Arrow table in place; PostgreSQL gets it through COPY as CSV
written by Arrow, so no Python code touches the rows one by one. Out: DuckDB hands
over its result as Arrow; from PostgreSQL the rows come as tuples, made columns.
"""

from __future__ import annotations

import io
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import sqlalchemy as sa

from flyt.store import schema


def stage(
    conn: sa.Connection, name: str, like: str, table: pa.Table, extra: dict[str, str]
) -> None:
    """Create temp table ``name`` with the columns of ``table`` typed as in ``like``.

    ``extra`` adds columns that only the staging table has (name -> SQL type).
    """
    stored = schema.metadata.tables[like].columns
    types = {c.name: c.type.compile(dialect=conn.dialect) for c in stored} | extra
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
    # Explicit DDL, not CREATE TABLE AS ... WHERE 1 = 0: DuckDB 2.0 keeps the empty
    # table's statistics after a large insert and then answers joins with no rows.
    definition = ", ".join(f"{c} {types[c]}" for c in table.column_names)
    conn.exec_driver_sql(f"CREATE TEMP TABLE {name} ({definition})")
    names = ", ".join(table.column_names)
    if conn.dialect.name == "duckdb":
        raw: Any = conn.connection.driver_connection  # DuckDB's own connection
        raw.register("flyt_arrow_in", table)
        try:
            conn.exec_driver_sql(f"INSERT INTO {name} ({names}) SELECT {names} FROM flyt_arrow_in")
        finally:
            raw.unregister("flyt_arrow_in")
        return
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False))
    driver: Any = conn.connection.driver_connection  # psycopg's own connection
    cursor = driver.cursor()
    with cursor.copy(f"COPY {name} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
        view = buffer.getbuffer()
        for start in range(0, len(view), 1 << 20):
            copy.write(view[start : start + (1 << 20)])


def fetch(conn: sa.Connection, query: sa.Select, schema: pa.Schema) -> pa.Table:
    """The rows of ``query`` as an Arrow table of ``schema`` (its columns, in its order)."""
    if conn.dialect.name == "duckdb":
        # DuckDB's own connection, whole result at once (through SQLAlchemy's cursor the
        # rows it has fetched already would be missing).
        compiled = query.compile(dialect=conn.dialect)
        params = [compiled.params[name] for name in compiled.positiontup or ()]
        raw: Any = conn.connection.driver_connection
        table = raw.sql(str(compiled), params=params).to_arrow_table()
        return table.select(schema.names).cast(schema)
    result = conn.execute(query)
    rows = result.all()
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [[] for _ in result.keys()]
    names = list(result.keys())
    return pa.table([pa.array(columns[names.index(f.name)], f.type) for f in schema],
                    schema=schema)
