"""National ids in the cells of an input file, found a whole part of the file at a time.

A national id belongs only in the column `fnr`, which is pseudonymised and dropped.
Anywhere else (a stay id, a patient id, a department, any cell that is echoed in an
error) it would be stored in clear or shown, so a file with one is refused whole, the
cell named and the number never echoed. What looks like one is the rule of
`flyt.domain.identity` (national_id_like): DuckDB finds the candidate numbers in the
text (a regular expression over each column), NumPy checks their digits, and the
flagged cells are masked before any other check quotes them.
"""

from __future__ import annotations

import json
from datetime import date

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flyt.domain.identity import MASK, national_id_like
from flyt.ingest import values as sql
from flyt.ingest.errors import MASKED, Text
from flyt.ingest.kinds import Kind, Type

# (Fields annotated: mypy joins pa.int32() and pa.string() to object.)
_FLAGGED_FIELDS: list[tuple[str, pa.DataType]] = [("_row", pa.int32()), ("column", pa.string())]
FLAGGED = pa.schema(_FLAGGED_FIELDS)
# "010180 12345" → "01018012345" where the six and five digits stand alone: twice, as a
# match takes the character after it, which may be where the next one begins.
_JOIN = r"regexp_replace({x}, '(^|\D)(\d{{6}}) (\d{{5}})(\D|$)', '\1\2\3\4', 'g')"


def _joined(x: str) -> str:
    return _JOIN.format(x=_JOIN.format(x=x))


def candidates_sql(kind: Kind) -> str:
    """SQL over `typed`: _row, column and an 11-digit number for each candidate.

    Text columns are looked at whole; a parsed column (a date, a code, a number) only
    where its cell did not parse, as only then is its text quoted in an error. A whole
    cell of 10 digits is taken with its leading zero put back (Excel drops it).
    """
    parts = []
    for c in kind.columns:
        if c.type is Type.FNR:
            continue
        x = '"' + c.name.replace('"', '""') + '"'
        unparsed = "" if c.type is Type.TEXT else f' AND "v_{c.name}" IS NULL'
        parts.append(f'SELECT _row, {sql.literal(c.name)} AS "column", {x} AS text FROM typed '
                     f"WHERE {x} IS NOT NULL{unparsed} AND length({x}) >= 10 "
                     f"AND regexp_matches({x}, '\\d{{5}}')")
    cells = " UNION ALL ".join(parts)
    return f"""
        SELECT _row::INTEGER AS _row, "column", token FROM (
            SELECT _row, "column", unnest(CASE
                WHEN regexp_full_match(whole, '\\d{{10,11}}') THEN [lpad(whole, 11, '0')]
                ELSE regexp_extract_all({_joined('text')}, '\\d+') END) AS token
            FROM (SELECT *, regexp_replace(text, '\\s', '', 'g') AS whole FROM ({cells})))
        WHERE length(token) = 11"""


def reason(kind: Kind, column: str) -> Text:
    """Why a cell is refused: what it looks like, and that it goes nowhere."""
    if kind.column(column).refuse_fnr:  # patient_id: the number has a column of its own
        return Text.of("ingest_national_id_patient", column=column)
    return Text.of("ingest_national_id", column=column)


def errors_sql(kind: Kind) -> str:
    """SQL over `flagged` (flagged_cells): the errors, as the other checks give theirs
    (flyt.ingest.checks.ERRORS), each first among its column's errors."""
    names = [c.name for c in kind.columns]
    whens: dict[str, list[str]] = {"reason": [], "args": [], "key": [], "ord": []}
    for name in names:
        if kind.column(name).type is Type.FNR:
            continue
        text = reason(kind, name)
        when = f"WHEN {sql.literal(name)} THEN "
        whens["reason"].append(when + sql.literal(text("en")))
        whens["key"].append(when + sql.literal(text.key))
        whens["args"].append(when + sql.literal(json.dumps(dict(text.args))))
        whens["ord"].append(when + str(names.index(name) * 1000 - 1))
    cases = {k: f'CASE "column" {" ".join(v)} END' for k, v in whens.items()}
    return ('SELECT _row, "column", ' + sql.literal(MASKED) + " AS value, "
            f"{cases['reason']} AS reason, {cases['key']} AS key, {cases['args']} AS args, "
            f"({cases['ord']})::INTEGER AS ord FROM flagged")


def flagged_cells(con: duckdb.DuckDBPyConnection, kind: Kind, *,
                  today: date | None = None) -> pa.Table:
    """The cells of the table registered as `typed` that hold a national id: _row, column
    (each cell once, in row order)."""
    tokens = con.sql(candidates_sql(kind)).to_arrow_table()
    if tokens.num_rows == 0:
        return FLAGGED.empty_table()
    numbers = tokens.column("token").combine_chunks().cast(pa.string())
    # Every token is 11 ASCII digits: the string data is one n × 11 block of bytes.
    start = int(np.frombuffer(numbers.buffers()[1], dtype=np.int32)[numbers.offset])
    data = np.frombuffer(numbers.buffers()[2], dtype=np.uint8)[start : start + 11 * len(numbers)]
    like = national_id_like(data.reshape(-1, 11) - 48, today=today)
    if not like.any():
        return FLAGGED.empty_table()
    hits = tokens.filter(pa.array(like)).select(["_row", "column"])
    return hits.group_by(["_row", "column"]).aggregate([]).sort_by("_row").cast(FLAGGED)


def masked(typed: pa.Table, flagged: pa.Table) -> pa.Table:
    """`typed` with every digit of the flagged cells replaced by "*" (the text, and the
    value of a text column): whatever else is said about the cell cannot show it."""
    for column in pc.unique(flagged.column("column")).to_pylist():
        assert column is not None  # flagged_cells names a column for every cell
        # pa.scalar: what pyarrow makes of a str itself; pyarrow-stubs take no Python value.
        rows = flagged.filter(pc.equal(flagged.column("column"), pa.scalar(column))).column("_row")
        here = pc.is_in(typed.column("_row"), value_set=rows)
        for name in (column, "v_" + column):
            cells = typed.column(name)
            if not pa.types.is_string(cells.type):
                continue
            hidden = pc.replace_substring_regex(cells, r"\d", MASK)
            at = typed.schema.get_field_index(name)
            typed = typed.set_column(at, name, pc.if_else(here, hidden, cells))
    return typed
