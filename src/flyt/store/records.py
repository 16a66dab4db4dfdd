"""Write validated records into the store: idempotent, all or nothing.

Keyed by ``source`` + the record's id: re-importing the same rows changes
nothing, a newer extract of the same record replaces it. For UKP periods the
rows of a file are the complete set of periods of each stay it names.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import sqlalchemy as sa

from flyt.store.bulk import stage


@dataclass(frozen=True)
class Kind:
    table: str
    keys: tuple[str, ...]
    columns: tuple[str, ...]  # stored columns besides source, keys and import_id
    reach: str  # the time column whose newest value says how far a source reaches
    renames: tuple[tuple[str, str], ...] = ()  # file column -> stored column


KINDS: dict[str, Kind] = {
    "stays": Kind(
        "stays",
        ("stay_id",),
        ("patient_id", "municipality", "sector", "admission_type", "admitted_at", "ready_at",
         "discharged_at", "discharge_destination", "location", "department", "birth_year",
         "sex", "frailty_score"),
        reach="admitted_at",
    ),
    "ukp-periods": Kind("ukp_periods", ("stay_id", "ready_from"), ("ready_to",),
                        reach="ready_from"),
    "short-stays": Kind(
        "short_stays",
        ("stay_id",),
        ("patient_id", "municipality", "unit", "started_at", "ended_at", "from_hospital"),
        reach="started_at",
    ),
    "beds": Kind(
        "bed_census",
        ("unit", "counted_at"),
        ("available", "occupied", "over_capacity"),
        reach="counted_at",
        renames=(("at", "counted_at"),),
    ),
}


@dataclass(frozen=True)
class WriteCounts:
    new: int
    updated: int
    unchanged: int
    removed: int = 0  # periods of a stay that a newer file no longer lists


def prepare(kind: str, table: pa.Table) -> pa.Table:
    """The Arrow table with stored column names, in stored order, plus ``_row`` if present."""
    spec = KINDS[kind]
    renames = dict(spec.renames)
    table = table.rename_columns([renames.get(c, c) for c in table.column_names])
    wanted = list(spec.keys + spec.columns) + (["_row"] if "_row" in table.column_names else [])
    return table.select(wanted)


def stage_records(conn: sa.Connection, kind: str, table: pa.Table) -> None:
    """Put the incoming rows in the temp table ``incoming`` (with ``_row`` if given)."""
    table = prepare(kind, table)
    extra = {"_row": "INTEGER"} if "_row" in table.column_names else {}
    stage(conn, "incoming", KINDS[kind].table, table, extra)


def write_staged(conn: sa.Connection, kind: str, *, source: str, import_id: int) -> WriteCounts:
    """Merge ``incoming`` into the kind's table and count what changed."""
    spec = KINDS[kind]
    key_match = " AND ".join(f"t.{k} = i.{k}" for k in spec.keys)
    same = " AND ".join(f"t.{c} IS NOT DISTINCT FROM i.{c}" for c in spec.columns)
    params = {"source": source, "import_id": import_id}
    columns = spec.keys + spec.columns
    insert = (f"INSERT INTO {spec.table} (source, {', '.join(columns)}, import_id) "
              f"SELECT CAST(:source AS VARCHAR), {', '.join('i.' + c for c in columns)}, "
              f"CAST(:import_id AS INTEGER) FROM incoming i")
    if conn.execute(sa.text(f"SELECT 1 FROM {spec.table} WHERE source = :source LIMIT 1"),
                    params).first() is None:
        # The source's first file (a bulk load): every row is new, nothing to compare.
        conn.execute(sa.text(insert), params)
        new = conn.execute(sa.text("SELECT COUNT(*) FROM incoming")).scalar_one()
        conn.exec_driver_sql("DROP TABLE IF EXISTS incoming")
        return WriteCounts(new=new, updated=0, unchanged=0)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE incoming")  # a temp table has no statistics otherwise
    counts = conn.execute(
        sa.text(
            f"SELECT COUNT(*) FILTER (WHERE t.source IS NULL), "
            f"COUNT(*) FILTER (WHERE t.source IS NOT NULL AND NOT ({same})), "
            f"COUNT(*) FILTER (WHERE t.source IS NOT NULL AND {same}) "
            f"FROM incoming i LEFT JOIN {spec.table} t "
            f"ON t.source = CAST(:source AS VARCHAR) AND {key_match}"
        ),
        params,
    ).one()
    removed = 0
    if kind == "ukp-periods":
        stale = (
            f"FROM {spec.table} t WHERE t.source = :source "
            "AND t.stay_id IN (SELECT stay_id FROM incoming) "
            f"AND NOT EXISTS (SELECT 1 FROM incoming i WHERE {key_match})"
        )
        removed = conn.execute(sa.text(f"SELECT COUNT(*) {stale}"), params).scalar_one()
        if removed:
            conn.execute(
                sa.text(
                    f"DELETE FROM {spec.table} WHERE source = :source AND (stay_id, ready_from) "
                    f"IN (SELECT t.stay_id, t.ready_from {stale})"
                ),
                params,
            )
    updates = ", ".join(f"{c} = excluded.{c}" for c in spec.columns + ("import_id",))
    # An anti-join on the key (a hash join on both engines), then the full comparison.
    conn.execute(
        sa.text(
            f"{insert} "
            f"LEFT JOIN {spec.table} t ON t.source = CAST(:source AS VARCHAR) AND {key_match} "
            f"WHERE t.source IS NULL OR NOT ({same}) "
            f"ON CONFLICT (source, {', '.join(spec.keys)}) DO UPDATE SET {updates}"
        ),
        params,
    )
    conn.exec_driver_sql("DROP TABLE IF EXISTS incoming")
    return WriteCounts(new=counts[0], updated=counts[1], unchanged=counts[2], removed=removed)


def delete_missing(conn: sa.Connection, kind: str, keep: pa.Table, *, source: str) -> int:
    """Delete the rows of ``source`` whose key is not in ``keep`` (a table of the kind's
    key columns): for a source that is derived anew each time (PLO messages are
    replayed into stays and periods), what the new derivation no longer has goes.
    Returns how many rows were deleted."""
    spec = KINDS[kind]
    stage(conn, "keep_keys", spec.table, keep.select(list(spec.keys)), {})
    key_match = " AND ".join(f"k.{k} = t.{k}" for k in spec.keys)
    stale = (f"FROM {spec.table} t WHERE t.source = :source "
             f"AND NOT EXISTS (SELECT 1 FROM keep_keys k WHERE {key_match})")
    params = {"source": source}
    removed = conn.execute(sa.text(f"SELECT COUNT(*) {stale}"), params).scalar_one()
    if removed:
        keys = ", ".join(spec.keys)
        conn.execute(sa.text(
            f"DELETE FROM {spec.table} WHERE source = :source AND ({keys}) IN "
            f"(SELECT {', '.join('t.' + k for k in spec.keys)} {stale})"), params)
    conn.exec_driver_sql("DROP TABLE IF EXISTS keep_keys")
    return int(removed)
