"""The long KPI table of spec/formats.md, exact or as the shared edition shows it.

The shared edition reads the disclosure pattern stored with the results
(flyt.engine.pattern): a hidden cell has no value, numerator or denominator and is
marked ``suppressed``; every other cell is exact. No ``<5`` is printed: a cell shown
is about 5 people or more (or none), so its small numerator protects nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from flyt.domain.codes import KPIS
from flyt.engine.read import KpiRow

COLUMNS = ["month", "group_type", "group_id", "sector", "kpi", "value", "numerator",
           "denominator", "preliminary"]
ROLLING_COLUMNS = ["value_12m", "numerator_12m", "denominator_12m"]
SUPPRESSED_COLUMNS = ["suppressed"]
SUPPRESSED_12M_COLUMNS = ["suppressed_12m"]


def display_value(kpi: int, value: float | None) -> float | int | None:
    """KPI 1 is a whole count; the others keep the decimals the engine rounded to."""
    if value is None:
        return None
    return int(value) if KPIS[kpi].decimals == 0 else round(value, KPIS[kpi].decimals)


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
