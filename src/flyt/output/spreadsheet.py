"""Text stays text in the files people open in a spreadsheet.

Names in Flyt's exports come from outside: a source name typed at an import, the
municipalities and units of the reference data, the user names of the audit log. A
name such as ``=HYPERLINK("http://x","y")`` or ``=cmd|' /C calc'!A0`` (DDE) must
reach the reader as those characters, never as a live formula or link.

- Excel: every workbook Flyt writes comes from `workbook`, which tells XlsxWriter not
  to turn strings into formulas, links or numbers (its defaults do the first two).
  Formulas Flyt means (the payment basis's totals) are written with ``write_formula``.
- CSV: `csv_cell` neutralises text that a spreadsheet would start a formula with
  (``=``, ``+``, ``-``, ``@``, TAB, CR: OWASP "CSV injection") by a leading single
  quote. Numbers stay numbers, also written as text (``-1,5``, ``-2872.50``).
  `csv_document` writes the whole file so: rows end in LF, and a cell holding a CR
  or LF is quoted (so the row stays one row for every reader). `csv_from_arrow`
  writes the same text from an Arrow table, formatted by DuckDB over whole columns
  (a large table in a fraction of the time; a test holds the two equal).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import cast

import duckdb
import numpy as np
import pyarrow as pa
import xlsxwriter

TEXT_STAYS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False,
                   "strings_to_numbers": False}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE_PREFIX = "'"  # what neutralises a formula start: the cell is text
# A plain number, decimal point or comma, optional exponent: "-1,5", "+7", "-2872.50".
# ASCII digits only: a spreadsheet reads no other digits as a number.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def workbook(target: str | Path | io.BytesIO) -> xlsxwriter.Workbook:
    """An XlsxWriter workbook that stores every string as a string."""
    return xlsxwriter.Workbook(target, {"in_memory": True, **TEXT_STAYS_TEXT})


def csv_cell(value: object) -> object:
    """`value` as a CSV cell a spreadsheet shows as it is (see the module's note)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(
            value):
        return QUOTE_PREFIX + value
    return value


def csv_value(value: object) -> object:
    """A value as a CSV file writes it: None empty, booleans true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class _Line:
    """Keeps the one row a csv writer just wrote (it writes a row in one call)."""

    text = ""

    def write(self, text: str) -> None:
        self.text = text


def csv_document(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A header and the rows, each cell through `csv_cell`, each row ending in LF.

    The writer ends rows in CRLF because it quotes only cells holding a character of
    its line terminator: with LF alone a CR inside a name would go out bare and split
    the row for a reader. The CRLF is then made the LF Flyt's files end rows in."""
    line = _Line()
    writer = csv.writer(line, lineterminator="\r\n")
    out = []
    for cells in (columns, *([csv_cell(v) for v in row] for row in rows)):
        writer.writerow(cells)
        out.append(line.text[:-2] + "\n")
    return "".join(out)


def csv_from_arrow(table: pa.Table) -> str:
    """`csv_document` of ``table``'s columns and rows, text for text: strings through
    `csv_cell`, booleans as true/false, numbers and dates as Python writes them
    (DuckDB formats a double as Python's repr does), nulls empty."""
    if table.num_columns < 2:  # a lone empty cell is quoted by csv: not worth the SQL
        return csv_document(table.column_names, ([csv_value(v) for v in row.values()]
                                                 for row in table.to_pylist()))
    names = [f"c{i}" for i in range(table.num_columns)]  # whatever the header says
    kinds = list(zip(names, table.schema.types, strict=True))
    safe = ", ".join(f"{_cell(n, kind)} AS {n}" for n, kind in kinds)
    line = " || ',' || ".join(
        f"COALESCE({_csv_quoted(n) if pa.types.is_string(kind) else n}, '')"
        for n, kind in kinds)
    lines = in_order(table.rename_columns(names),
                     f"SELECT {line} AS line, _order FROM (SELECT {safe}, _order FROM t)")
    body = cast(list[str], lines.column(0).to_pylist())  # COALESCE: never null
    header = csv_document(table.column_names, [])
    return header + "\n".join(body) + "\n" if body else header


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _cell(x: str, kind: pa.DataType) -> str:
    """SQL: the column's value as csv_cell leaves it (before CSV quoting)."""
    if pa.types.is_string(kind):
        starts = " OR ".join(f"starts_with({x}, {_literal(c)})" for c in FORMULA_STARTS)
        number = _literal(_NUMBER.pattern)
        return (f"CASE WHEN ({starts}) AND NOT regexp_full_match({x}, {number}) "
                f"THEN {_literal(QUOTE_PREFIX)} || {x} ELSE {x} END")
    if pa.types.is_boolean(kind):
        return f"CASE WHEN {x} THEN 'true' WHEN NOT {x} THEN 'false' END"
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_date(kind):
        return f"CAST({x} AS VARCHAR)"
    raise TypeError(f"csv_from_arrow: no CSV text for a column of {kind}")


def _csv_quoted(x: str) -> str:
    """SQL: quoted as the csv module quotes (QUOTE_MINIMAL, CRLF rows): a cell holding
    the separator, a quote, CR or LF, with its quotes doubled."""
    return (f"CASE WHEN regexp_matches({x}, '[,\"\r\n]') "
            f"THEN '\"' || replace({x}, '\"', '\"\"') || '\"' ELSE {x} END")


def in_order(table: pa.Table, select: str) -> pa.Table:
    """``select`` (over ``t``: ``table`` with its row number ``_order``) run by DuckDB,
    in the order of ``table``'s rows (DuckDB's threads may hand them back in another)."""
    numbered = table.append_column("_order", pa.array(np.arange(table.num_rows)))
    con = duckdb.connect()
    try:
        con.register("t", numbered)
        return con.sql(f"SELECT * EXCLUDE (_order) FROM ({select}) ORDER BY _order"
                       ).to_arrow_table()
    finally:
        con.close()
