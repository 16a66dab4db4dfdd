"""Cell values: text → typed values, as DuckDB SQL over whole columns.

Each parser gives two SQL expressions over a cleaned text column `x` (trimmed,
empty = NULL): the typed value (NULL when unreadable) and, for a non-empty
cell whose value is NULL or out of range, a reason in plain words. The
engine (checks.py) runs them for every column at once. The helpers at the
end run one parser over a Python list, for tests and other callers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from flyt.domain import clock
from flyt.domain.identity import (
    D_NUMBER_DAY_OFFSET,
    K1_WEIGHTS,
    K2_WEIGHTS,
    SYNTHETIC_MONTH_OFFSET,
)

# Blanks around a cell: space, tab, line breaks, no-break space (Excel likes it).
BLANKS = " \t\r\n\u00a0"
LOCAL_TIME_ZONE = clock.TIME_ZONE_NAME  # an offset in a cell becomes Oslo wall clock

DAY_MONTH_YEAR = r"\d{1,2}\.\d{1,2}\.\d{4}"
HOUR, MINUTE_OR_SECOND = r"(?:[01]?\d|2[0-3])", r"[0-5]\d"
# Norwegian formats, most common first: (pattern, strptime format). The pattern
# decides what is accepted (strptime alone would take "31.01.24" as year 24).
NORWEGIAN_FORMATS = (
    (rf"{DAY_MONTH_YEAR} +{HOUR}:{MINUTE_OR_SECOND}", "%d.%m.%Y %H:%M"),
    (DAY_MONTH_YEAR, "%d.%m.%Y"),
    (rf"{DAY_MONTH_YEAR} +{HOUR}:{MINUTE_OR_SECOND}:{MINUTE_OR_SECOND}", "%d.%m.%Y %H:%M:%S"),
    (rf"{DAY_MONTH_YEAR} +{HOUR}\.{MINUTE_OR_SECOND}", "%d.%m.%Y %H.%M"),
    (rf"{DAY_MONTH_YEAR} +{HOUR}\.{MINUTE_OR_SECOND}\.{MINUTE_OR_SECOND}", "%d.%m.%Y %H.%M.%S"),
)
NORWEGIAN_DATE = "|".join(f"(?:{pattern})" for pattern, _ in NORWEGIAN_FORMATS)
OFFSET = r"[Zz]|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?"
ISO_TIME = r"[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?"
ISO_LOCAL = rf"\d{{4}}-\d{{2}}-\d{{2}}(?:{ISO_TIME})?"
ISO_WITH_OFFSET = rf"\d{{4}}-\d{{2}}-\d{{2}}{ISO_TIME} ?(?:{OFFSET})"
ISO_DATE = f"(?:{ISO_LOCAL})|(?:{ISO_WITH_OFFSET})"
INTEGER = r"[+-]?\d+"
WHOLE_NUMBER = r"[+-]?\d+(?:[.,]0*)?"  # "7,0" from a Norwegian sheet is 7
DECIMAL = r"[+-]?\d+[.,]\d+"
TRUE_WORDS = ("true", "ja", "yes", "1", "sann")  # SANN/USANN: Norwegian Excel's TRUE/FALSE
FALSE_WORDS = ("false", "nei", "no", "0", "usann")


MEMORY_LIMIT = "1GB"  # for DuckDB's own work; beyond it, it spills to disk or fails


def connect(temp_directory: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for the checks. Insertion order is kept (the default): the
    engine relies on a SELECT without ORDER BY giving the rows in their order.
    `temp_directory`: where it may spill (else nowhere: its default is the working
    directory)."""
    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT,
                                 "temp_directory": temp_directory or "",
                                 "preserve_insertion_order": True})
    # DuckDB turns a membership test against a constant list (list_contains, IN) into a
    # hash join, which hands the rows back out of order despite the setting above: the
    # checks would then re-sort every part (a million rows) to line them up again.
    con.execute("SET disabled_optimizers = 'in_clause'")
    return con


def literal(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def literals(values: Sequence[str]) -> str:
    return ", ".join(literal(v) for v in values)


def one_of(x: str, values: Sequence[str]) -> str:
    """SQL: x is one of the values (kept a function, not a join: see `connect`)."""
    return f"list_contains([{literals(values)}]::VARCHAR[], {x})" if values else "false"


def clean(cells: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Text cells trimmed; empty → null. (pyarrow: ten times faster than SQL trim here.)"""
    trimmed = pc.utf8_trim(cells, BLANKS)
    # pa.scalar(""): what pyarrow makes of "" itself; pyarrow-stubs take no Python value.
    return pc.if_else(pc.equal(trimmed, pa.scalar("")), pa.scalar(None, pa.string()), trimmed)


def quoted(x: str, width: int = 60) -> str:
    """SQL for the cell's text in quotes, shortened, for use inside a reason."""
    return (f"'''' || CASE WHEN length({x}) > {width} THEN left({x}, {width}) || '…' "
            f"ELSE {x} END || ''''")


def or_list(words: Sequence[str]) -> str:
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]


# --- date-times ---------------------------------------------------------------

def timestamp_value(x: str) -> str:
    # Z → +00:00, "14:05 +01:00" → "14:05+01:00", decimal comma → point
    iso = (f"regexp_replace(regexp_replace(replace({x}, ',', '.'), ' ?[Zz]$', '+00:00'), "
           f"' ([+-]\\d)', '\\1')")
    norwegian = "\n".join(
        f"WHEN regexp_full_match({x}, {literal(pattern)}) THEN try_strptime({x}, {literal(fmt)})"
        for pattern, fmt in NORWEGIAN_FORMATS
    )
    return f"""CASE
        WHEN regexp_full_match({x}, {literal(ISO_LOCAL)})
            THEN try_cast(replace({x}, ',', '.') AS TIMESTAMP)
        {norwegian}
        WHEN regexp_full_match({x}, {literal(ISO_WITH_OFFSET)})
            THEN timezone({literal(LOCAL_TIME_ZONE)}, try_cast({iso} AS TIMESTAMPTZ))
    END"""


def timestamp_error(x: str, value: str) -> str:
    return f"""CASE WHEN {value} IS NULL THEN
        CASE WHEN regexp_full_match({x}, {literal(NORWEGIAN_DATE)})
                  OR regexp_full_match({x}, {literal(ISO_DATE)})
             THEN 'no such date ' || {quoted(x)}
             ELSE 'unreadable date ' || {quoted(x)}
                  || ' (write dd.mm.yyyy, dd.mm.yyyy hh:mm or yyyy-mm-ddThh:mm)'
        END
    END"""


# --- numbers and booleans ---------------------------------------------------

def integer_value(x: str) -> str:
    return (f"CASE WHEN regexp_full_match({x}, {literal(WHOLE_NUMBER)}) "
            f"THEN try_cast(regexp_extract({x}, {literal('^' + INTEGER)}) AS INTEGER) END")


def integer_error(
    x: str, value: str, name: str = "the number", low: int | None = None, high: int | None = None
) -> str:
    bounds = ""
    if low is not None and high is not None:
        bounds = (f"WHEN {value} NOT BETWEEN {low} AND {high} "
                  f"THEN '{name} must be from {low} to {high}, not ' || {quoted(x)}")
    elif low is not None:
        bounds = f"WHEN {value} < {low} THEN '{name} must be {low} or more, not ' || {quoted(x)}"
    return f"""CASE
        WHEN {value} IS NULL THEN CASE
            WHEN regexp_full_match({x}, {literal(DECIMAL)})
                THEN {quoted(x)} || ' is not a whole number'
            WHEN regexp_full_match({x}, {literal(WHOLE_NUMBER)}) THEN {quoted(x)} || ' is too large'
            ELSE {quoted(x)} || ' is not a number'
        END
        {bounds}
    END"""


def integer_suspect(value: str, low: int | None = None, high: int | None = None) -> str:
    """SQL, true wherever integer_error may give a reason (its bounds, the same way)."""
    if low is not None and high is not None:
        return f"{value} IS NULL OR {value} NOT BETWEEN {low} AND {high}"
    if low is not None:
        return f"{value} IS NULL OR {value} < {low}"
    return f"{value} IS NULL"


def boolean_value(x: str) -> str:
    return (f"CASE WHEN {one_of(f'lower({x})', TRUE_WORDS)} THEN true "
            f"WHEN {one_of(f'lower({x})', FALSE_WORDS)} THEN false END")


def boolean_error(x: str, value: str) -> str:
    return (f"CASE WHEN {value} IS NULL THEN {quoted(x)} || ' is not true/false "
            f"(write true or false, ja or nei, 1 or 0)' END")


# --- coded values ------------------------------------------------------------

def code_value(x: str, codes: Sequence[str]) -> str:
    return f"CASE WHEN {one_of(f'lower({x})', codes)} THEN lower({x}) END"


def code_error(x: str, value: str, name: str, codes: Sequence[str]) -> str:
    return (f"CASE WHEN {value} IS NULL THEN 'unknown {name} ' || {quoted(x)} "
            f"|| {literal(' (expected ' + or_list(codes) + ')')} END")


def municipality_code(x: str) -> str:
    """Kommunenummer with its leading zero back (Excel drops it: 301 → 0301)."""
    return f"CASE WHEN regexp_full_match({x}, '\\d{{3}}') THEN '0' || {x} ELSE {x} END"


# --- running a parser over a list ------------------------------------------

@dataclass(frozen=True)
class Parsed:
    value: Any
    error: str | None


def evaluate(values: Sequence[str | None], value_sql: str, error_sql: str) -> list[Parsed]:
    """Run one value/error pair (with `x` for the raw column, `v` for the value) over `values`."""
    con = connect()
    try:
        cells = clean(pa.array(list(values), pa.string()))
        con.register("cells", pa.table({"i": pa.array(range(len(cells))), "x": cells}))
        sql = (f"SELECT v, CASE WHEN x IS NOT NULL THEN {error_sql} END AS e "
               f"FROM (SELECT i, x, {value_sql} AS v FROM cells) ORDER BY i")
        rows = con.sql(sql).fetchall()
    finally:
        con.close()
    return [Parsed(v, e) for v, e in rows]


def parse_timestamps(values: Sequence[str | None]) -> list[datetime | None]:
    return [p.value for p in evaluate(values, timestamp_value("x"), timestamp_error("x", "v"))]


def parse_integers(values: Sequence[str | None]) -> list[int | None]:
    return [p.value for p in evaluate(values, integer_value("x"), integer_error("x", "v"))]


def parse_booleans(values: Sequence[str | None]) -> list[bool | None]:
    return [p.value for p in evaluate(values, boolean_value("x"), boolean_error("x", "v"))]



# --- national identity numbers (same rules as flyt.domain.identity) -------

def fnr_normal(x: str) -> str:
    """Blanks removed; a lost leading zero put back (Excel shows 01018012345 as 1018012345)."""
    n = f"regexp_replace({x}, '\\s', '', 'g')"
    return f"CASE WHEN regexp_full_match({n}, '\\d{{10}}') THEN '0' || {n} ELSE {n} END"


def fnr_problem(f: str) -> str:
    """SQL: why the normalised number in column `f` is not a valid fnr/D-nummer, or NULL.

    Never quotes the number. `f` must be a column name, not an expression: it is
    repeated some forty times, and DuckDB's planning time grows with the expression.
    """

    def control(weights: Sequence[int]) -> str:
        return " + ".join(f"{w} * (ord({f}[{i}]) - 48)" for i, w in enumerate(weights, 1))

    def number(start: int, length: int) -> str:
        return f"substr({f}, {start}, {length})::INTEGER"

    day, month, year2, individual = number(1, 2), number(3, 2), number(5, 2), number(7, 3)
    century = f"""CASE WHEN {individual} <= 499 THEN 1900
        WHEN {individual} <= 749 AND {year2} >= 54 THEN 1800
        WHEN {individual} >= 500 AND {year2} <= 39 THEN 2000
        WHEN {individual} >= 900 AND {year2} >= 40 THEN 1900 END"""

    def less(value: str, offset: int) -> str:  # D-nummer day + 40, synthetic month + 80
        return f"{value} - CASE WHEN {value} > {offset} THEN {offset} ELSE 0 END"

    born = (f"try(make_date({century} + {year2}, {less(month, SYNTHETIC_MONTH_OFFSET)}, "
            f"{less(day, D_NUMBER_DAY_OFFSET)}))")
    return f"""CASE
        WHEN NOT regexp_full_match({f}, '\\d{{11}}') THEN 'fnr must have 11 digits'
        WHEN ({control(K1_WEIGHTS)}) % 11 <> 0 OR ({control(K2_WEIGHTS)}) % 11 <> 0
            THEN 'fnr has wrong control digits'
        WHEN coalesce({born} > current_date, true) THEN 'fnr does not hold a valid birth date'
    END"""
