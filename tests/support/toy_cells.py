"""Result rows of a toy community for disclosure tests, built from people per month,
municipality and sector (every sum done here, by hand-checkable loops)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from flyt.engine.pattern import CellRow

SECTORS = ("somatikk", "psykisk_helsevern")


# The rows the engine hands disclosure control (flyt.engine.pattern.CellRow).
ToyRow = CellRow


def months(n: int, first_year: int = 2023) -> list[str]:
    return [f"{first_year + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


def toy_rows(people: Mapping[tuple[int, str, str], int], month_list: list[str],
             region_of: Mapping[str, str], kpis: tuple[int, ...] = (1,)) -> list[ToyRow]:
    """Rows of every group and sector for ``kpis`` from people per (month index,
    municipality, sector): KPI 1 counts them as persons, the others as denominator.
    A 12-month value exists from the 12th month on (sum of the 12 months)."""
    groups = [("community", "all")] + sorted({("region", r) for r in region_of.values()}) \
        + sorted(("municipality", m) for m in region_of)
    rows = []
    for kpi in kpis:
        monthly: dict[tuple[int, str, str, str], int] = defaultdict(int)
        for (t, municipality, sector), n in people.items():
            for group in (("community", "all"), ("region", region_of[municipality]),
                          ("municipality", municipality)):
                for s in (sector, "alle"):
                    monthly[(t, *group, s)] += n
        for t, month in enumerate(month_list):
            for group_type, group_id in groups:
                for sector in (*SECTORS, "alle"):
                    n = monthly[(t, group_type, group_id, sector)]
                    window = (sum(monthly[(s, group_type, group_id, sector)]
                                  for s in range(t - 11, t + 1)) if t >= 11 else None)
                    rows.append(ToyRow(
                        month, group_type, group_id, sector, kpi,
                        denominator=None if kpi == 1 else n, persons=n,
                        numerator_12m=window, denominator_12m=None if kpi == 1 else window,
                        persons_12m=window))
    return rows
