"""The long KPI table of spec/formats.md, exact or with disclosure control applied."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from flyt.domain import suppression
from flyt.domain.codes import KPIS
from flyt.engine.read import KpiRow

COLUMNS = ["month", "group_type", "group_id", "sector", "kpi", "value", "numerator",
           "denominator", "preliminary"]
ROLLING_COLUMNS = ["value_12m", "numerator_12m", "denominator_12m"]


def display_value(kpi: int, value: float | None) -> float | int | None:
    """KPI 1 is a whole count; the others keep the decimals the engine rounded to."""
    if value is None:
        return None
    return int(value) if KPIS[kpi].decimals == 0 else round(value, KPIS[kpi].decimals)


def _rolling_view(row: KpiRow) -> KpiRow:
    return replace(row, numerator=row.numerator_12m, denominator=row.denominator_12m,
                   persons=row.persons_12m or 0, value=row.value_12m)


def table(
    rows: Sequence[KpiRow], *, rolling: bool = False, suppress: bool = False,
    threshold: int = 5, region_of: dict[str, str] | None = None,
    owner_of_unit: dict[str, str] | None = None, first_month: str | None = None,
) -> list[dict]:
    """``rows`` must hold every month up to the last one shown when ``suppress`` is set
    (a rolling window reaches 11 months back); ``first_month`` drops earlier ones
    after disclosure control has seen them."""
    hidden: set = set()
    hidden_12m: set = set()
    if suppress:
        region_of = region_of or {}
        hidden = suppression.hidden_cells(rows, threshold, region_of, owner_of_unit)
        covers = suppression.hidden_windows([r.month for r in rows], hidden)
        rolled = [_rolling_view(r) for r in rows]
        start = suppression.primary(rolled, threshold) | {
            suppression.key(r) for r in rolled if covers(suppression.key(r))}
        hidden_12m = suppression.secondary(rolled, start, region_of, owner_of_unit)
    out = []
    for row in rows:
        if first_month and row.month < first_month:
            continue
        k = suppression.key(row)
        record: dict = {"month": row.month, "group_type": row.group_type,
                        "group_id": row.group_id, "sector": row.sector, "kpi": row.kpi}
        if suppress:
            shown = suppression.show(row, display_value(row.kpi, row.value), k in hidden,
                                     threshold)
            record.update(value=shown.value, numerator=shown.numerator,
                          denominator=shown.denominator)
        else:
            record.update(value=display_value(row.kpi, row.value), numerator=row.numerator,
                          denominator=row.denominator)
        record["preliminary"] = row.preliminary
        if rolling:
            r12 = _rolling_view(row)
            if suppress:
                shown = suppression.show(r12, display_value(row.kpi, row.value_12m),
                                         k in hidden_12m, threshold)
                record.update(value_12m=shown.value, numerator_12m=shown.numerator,
                              denominator_12m=shown.denominator)
            else:
                record.update(value_12m=display_value(row.kpi, row.value_12m),
                              numerator_12m=row.numerator_12m,
                              denominator_12m=row.denominator_12m)
        if suppress:
            record["suppressed"] = k in hidden
        out.append(record)
    return out
