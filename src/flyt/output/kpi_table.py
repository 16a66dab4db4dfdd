"""The long KPI table of spec/formats.md, exact or as the shared edition shows it.

The shared edition reads the disclosure pattern stored with the results
(flyt.engine.pattern): a hidden cell has no value, numerator or denominator and is
marked ``suppressed``; every other cell is exact. No ``<5`` is printed: a cell shown
is about 5 people or more (or none), so its small numerator protects nothing.

`table` gives the records (for JSON, workbooks and the reports); `csv_text` the same
table as CSV straight from the stored columns, with no Python per row (`flyt kpi`
on a large store). A test holds the two equal.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from flyt.domain.codes import KPIS
from flyt.engine.read import KpiRow
from flyt.output.spreadsheet import csv_from_arrow, in_order

COLUMNS = ["month", "group_type", "group_id", "sector", "kpi", "value", "numerator",
           "denominator", "preliminary"]
ROLLING_COLUMNS = ["value_12m", "numerator_12m", "denominator_12m"]
SUPPRESSED_COLUMNS = ["suppressed"]
SUPPRESSED_12M_COLUMNS = ["suppressed_12m"]


DECIMALS = {number: k.decimals for number, k in KPIS.items()}


def display_value(kpi: int, value: float | None) -> float | int | None:
    """KPI 1 is a whole count; the others keep the decimals the engine rounded to."""
    if value is None:
        return None
    decimals = DECIMALS[kpi]
    return int(value) if decimals == 0 else round(value, decimals)


def columns(*, rolling: bool, suppress: bool) -> list[str]:
    out = COLUMNS + (ROLLING_COLUMNS if rolling else [])
    if suppress:
        out += SUPPRESSED_COLUMNS + (SUPPRESSED_12M_COLUMNS if rolling else [])
    return out


def record(row: KpiRow, *, rolling: bool = False, suppress: bool = False) -> dict:
    """One row of the table; with ``suppress`` hidden parts are empty and flagged."""
    out: dict = {"month": row.month, "group_type": row.group_type, "group_id": row.group_id,
                 "sector": row.sector, "kpi": row.kpi}
    hidden = suppress and row.hidden
    out.update(value=None if hidden else display_value(row.kpi, row.value),
               numerator=None if hidden else row.numerator,
               denominator=None if hidden else row.denominator,
               preliminary=row.preliminary)
    if rolling:
        hidden_12m = suppress and row.hidden_12m
        out.update(value_12m=None if hidden_12m else display_value(row.kpi, row.value_12m),
                   numerator_12m=None if hidden_12m else row.numerator_12m,
                   denominator_12m=None if hidden_12m else row.denominator_12m)
    if suppress:
        out["suppressed"] = row.hidden
        if rolling:
            out["suppressed_12m"] = row.hidden_12m
    return out


def table(rows: Sequence[KpiRow], *, rolling: bool = False, suppress: bool = False,
          first_month: str | None = None) -> list[dict]:
    """The records of ``rows`` from ``first_month`` on."""
    return [record(row, rolling=rolling, suppress=suppress) for row in rows
            if not first_month or row.month >= first_month]


def csv_text(stored: pa.Table, *, rolling: bool = False, suppress: bool = False) -> str:
    """The CSV of `table` from the stored columns (flyt.engine.read.kpi_columns).

    A value is printed as stored: the engine rounded it already (engine.rules), so
    display_value's round changes nothing; a count (decimals 0) is printed whole."""
    whole = ", ".join(str(n) for n, d in DECIMALS.items() if d == 0)

    def shown(column: str, hidden: str) -> str:
        return f"CASE WHEN {hidden} THEN NULL ELSE {column} END"

    def value(column: str, hidden: str) -> str:
        as_text = (f"CASE WHEN kpi IN ({whole}) THEN CAST(CAST(trunc({column}) AS BIGINT) "
                   f"AS VARCHAR) ELSE CAST({column} AS VARCHAR) END")
        return shown(as_text, hidden)

    hidden = "COALESCE(hidden, false)" if suppress else "false"
    hidden_12m = "COALESCE(hidden_12m, false)" if suppress else "false"
    select = {"month": "strftime(month, '%Y-%m')", "group_type": "group_type",
              "group_id": "group_id", "sector": "sector", "kpi": "kpi",
              "value": value("value", hidden), "numerator": shown("numerator", hidden),
              "denominator": shown("denominator", hidden),
              "preliminary": "COALESCE(preliminary, false)",
              "value_12m": value("value_12m", hidden_12m),
              "numerator_12m": shown("numerator_12m", hidden_12m),
              "denominator_12m": shown("denominator_12m", hidden_12m),
              "suppressed": hidden, "suppressed_12m": hidden_12m}
    names = columns(rolling=rolling, suppress=suppress)
    table = in_order(stored, f"SELECT {', '.join(f'{select[n]} AS {n}' for n in names)}, "
                             "_order FROM t")
    return csv_from_arrow(table)
