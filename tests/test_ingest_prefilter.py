"""The checks look only at the rows that one of them may find wrong (Checker.add): the
errors must be exactly those of every check run over every row. Rows of good, bad and
odd cells of every column type, for every kind, both ways."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from flyt.domain.identity import make_fnr
from flyt.ingest import checks
from flyt.ingest.kinds import KIND_SPECS, Column, Kind, Type
from flyt.ingest.reference import Reference

REFERENCE = Reference.default()
THIS_YEAR = 2026
FNR = make_fnr(date(1965, 7, 15), 100) or ""
COMMON = ["", "  ", "x", "=1+1", "12345678901", "010180 12345", "'quoted'", "ﾟ"]
CELLS: dict[Type, list[str]] = {
    Type.TEXT: ["S1", "P1", "Medisinsk klinikk", "a" * 300, "dup"],
    Type.CODE: ["somatikk", "akutt", "hjem", "k", "HJEM", "Død", "dod", "bogus"],
    Type.MUNICIPALITY: ["5001", "301", "0301", "9999", "50O1", "5001 "],
    Type.UNIT: ["St. Olavs hospital", "Øya helsehus", "Øya helsehus korttid",
                "øya  helsehus", "Nowhere"],
    Type.TIMESTAMP: ["2024-01-05T10:00", "05.01.2024", "5.1.2024 07:30", "31.02.2024",
                     "2024-13-01", "2024-01-05T10:00+01:00", "2024-01-04", "garbage",
                     "2024-03-31T02:30", "29.02.2024 23:59"],
    Type.INTEGER: ["1950", "7", "-1", "0", "99999999999", "1,5", "7,0", "2030", "abc"],
    Type.BOOLEAN: ["ja", "nei", "TRUE", "0", "maybe"],
    Type.FNR: [FNR, "123", FNR[:-1] + "0", "0101801234"],
}


def good(kind: Kind, column: Column, row: int) -> str | None:
    """A cell that passes every check (and the rules between cells)."""
    match column.type:
        case Type.TEXT:
            return f"S{row}" if column.name in kind.key else "x"
        case Type.CODE:
            return column.codes[0]
        case Type.MUNICIPALITY:
            return "5001"
        case Type.UNIT:
            return next(n for n, k in REFERENCE.units.items()
                        if not column.unit_kinds or k in column.unit_kinds)
        case Type.TIMESTAMP:
            return "2024-01-05T10:00"
        case Type.INTEGER:
            return str(column.low if column.low is not None else 1)
        case Type.BOOLEAN:
            return "ja"
        case Type.FNR:
            return None
    raise AssertionError(column.type)


@st.composite
def files(draw: st.DrawFn) -> tuple[Kind, pa.Table]:
    """Good rows, a few with one or two cells from the pools (often exactly one bad
    cell in a row: the row is then suspect for that cell's check alone)."""
    kind = draw(st.sampled_from(sorted(KIND_SPECS.values(), key=lambda k: k.name)))
    rows = draw(st.integers(1, 12))
    cells = {c.name: [good(kind, c, r) for r in range(rows)] for c in kind.columns}
    for r in range(rows):
        for column in draw(st.lists(st.sampled_from(kind.columns), max_size=2)):
            cells[column.name][r] = draw(st.none() | st.sampled_from(CELLS[column.type]
                                                                     + COMMON))
    table = pa.table({**{n: pa.array(v, pa.string()) for n, v in cells.items()},
                      "_row": pa.array(range(2, rows + 2), pa.int32())})
    return kind, table


def check(kind: Kind, table: pa.Table, *, prefilter: bool) -> checks.Checked:
    with checks.Checker(kind, REFERENCE, this_year=THIS_YEAR) as checker:
        checker.prefilter = prefilter
        checker.add(table)
        return checker.finish()


@settings(max_examples=80, deadline=None)
@given(files())
def test_checking_only_the_suspect_rows_finds_every_error(file: tuple[Kind, pa.Table]):
    kind, table = file
    every_row = check(kind, table, prefilter=False)
    suspects = check(kind, table, prefilter=True)
    def said(checked: checks.Checked) -> list[tuple]:
        return [(e, e.text, e.order) for e in checked.errors.errors]

    assert said(suspects) == said(every_row)
    assert suspects.errors.count == every_row.errors.count
    assert (suspects.table is None) == (every_row.table is None)
    if every_row.table is not None:
        assert suspects.table is not None and suspects.table.equals(every_row.table)


def test_a_good_file_has_no_suspect_row_and_a_bad_cell_makes_one():
    kind = KIND_SPECS["ukp-periods"]
    good = pa.table({"stay_id": ["S1", "S2"], "ready_from": ["2024-01-05T10:00", "05.01.2024"],
                     "ready_to": [None, "06.01.2024"], "_row": pa.array([2, 3], pa.int32())})
    with checks.Checker(kind, REFERENCE, this_year=THIS_YEAR) as checker:
        checker.con.register("typed", checks._typed(checker.con, kind, checks._non_empty(
            kind, good), REFERENCE))
        assert checker.con.sql(checker._suspect_sql).fetchall() == []
    bad = good.set_column(2, "ready_to", pa.array([None, "04.01.2024"]))
    errors = check(kind, bad, prefilter=True).errors.errors
    assert [(e.row, e.column) for e in errors] == [(3, "ready_to")]


def test_every_single_bad_cell_is_found_in_an_otherwise_good_row():
    """Exhaustive: for each kind, one row per column and pool value, the rest good."""
    for kind in KIND_SPECS.values():
        rows: list[dict[str, str | None]] = []
        for column in kind.columns:
            for value in [None, *CELLS[column.type], *COMMON]:
                row = {c.name: good(kind, c, len(rows)) for c in kind.columns}
                rows.append(row | {column.name: value})
        table = pa.table({**{c.name: pa.array([r[c.name] for r in rows], pa.string())
                             for c in kind.columns},
                          "_row": pa.array(range(2, len(rows) + 2), pa.int32())})
        every_row = check(kind, table, prefilter=False).errors
        suspects = check(kind, table, prefilter=True).errors
        assert every_row.count > len(kind.columns)  # plenty of bad cells
        assert [(e, e.text) for e in suspects.errors] == [(e, e.text) for e in every_row.errors]


def test_a_membership_test_stays_a_function_so_duckdb_keeps_the_rows_in_order():
    """DuckDB would turn `list_contains(<constant list>, x)` into a hash join, which
    hands a large part's rows back out of order (then every part is re-sorted): the
    checks' connection has that rewrite off (flyt.ingest.values.connect)."""
    from flyt.ingest import values

    kind = KIND_SPECS["stays"]
    municipality = kind.column("municipality")
    con = values.connect()
    try:
        con.register("raw", pa.table({"_row": pa.array([2], pa.int32()),
                                      "municipality": ["5001"]}))
        plan = "\n".join(str(row[1]) for row in con.sql(
            f"EXPLAIN SELECT _row, {checks.value_sql(municipality, REFERENCE)} FROM raw"
        ).fetchall())
    finally:
        con.close()
    assert "JOIN" not in plan.upper()
