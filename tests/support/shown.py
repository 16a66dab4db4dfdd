"""What the shared outputs show, as cells of the KPI table with the number shown: for
the disclosure audit (tests/test_disclosure_audit.py). Each reader maps an output's own
layout back to cells, so that a number under a wrong label fails too."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flyt.disclosure.model import MONTH, ROLLING
from flyt.engine.read import GoalRow
from flyt.output.kpi_table import display_value

Shown = tuple[tuple[str, str, str, str, int], str, float | int | None]  # key, part, number


def kpi_table(records: list[dict]) -> Iterator[Shown]:
    """`flyt kpi --suppress --rolling` records."""
    for r in records:
        key = (r["month"], r["group_type"], r["group_id"], r["sector"], r["kpi"])
        if not r["suppressed"]:
            yield key, MONTH, r["value"]
        if not r["suppressed_12m"] and (r["numerator_12m"] is not None
                                        or r["denominator_12m"] is not None):
            yield key, ROLLING, r["value_12m"]


def goals(rows: list[GoalRow], baseline_year: int) -> Iterator[Shown]:
    """A goal shows its 12-month value (achievement is linear in it) and its baseline."""
    for g in rows:
        cell = (g.group_type, g.group_id, g.sector, g.kpi)
        if g.value is not None or g.achievement is not None:  # shown rounded as the KPI
            yield (g.month, *cell), ROLLING, display_value(g.kpi, g.value)
        if g.baseline is not None:
            yield ((f"{date(baseline_year, 12, 1):%Y-%m}", *cell), ROLLING,
                   display_value(g.kpi, g.baseline))


def overview(page: dict) -> Iterator[Shown]:
    for tile in page["tiles"]:
        key = (page["month"], tile["group_type"], tile["group_id"], tile["sector"], tile["kpi"])
        if not tile["hidden"]:
            yield key, MONTH, tile["value"]
        if not tile["hidden_12m"]:
            yield key, ROLLING, tile["value_12m"]
        for point in tile["trend"]:
            if not point["hidden"]:
                yield (point["month"], *key[1:]), MONTH, point["value"]


def trends(page: dict) -> Iterator[Shown]:
    kpi, sector = page["kpi"], page["sector"]
    for line in page["series"]:
        for point in line["values"]:
            key = (point["month"], line["group_type"], line["group_id"], sector, kpi)
            if not point["hidden"]:
                yield key, MONTH, point["value"]
            if not point["hidden_12m"] and point["value_12m"] is not None:
                yield key, ROLLING, point["value_12m"]
    for m in page["municipalities"]:
        key = (page["month"], "municipality", m["code"], sector, kpi)
        if not m["hidden"]:
            yield key, MONTH, m["value"]
        if not m["hidden_12m"] and m["value_12m"] is not None:
            yield key, ROLLING, m["value_12m"]


def municipality(page: dict) -> Iterator[Shown]:
    groups = {"municipality": page["code"], "region": page["region"], "community": "all"}
    for row in page["kpis"]:
        for group_type, group_id in groups.items():
            part = row[group_type]
            key = (page["month"], group_type, group_id, "alle", row["kpi"])
            if not part["hidden"]:
                yield key, MONTH, part["value"]
            if not part["hidden_12m"] and part["value_12m"] is not None:
                yield key, ROLLING, part["value_12m"]
    for line in page["trend"]:  # UKP days per 1 000: the 12-month days behind them
        for point in line["values"]:
            if not point["hidden_12m"] and point["value_12m"] is not None:
                yield ((point["month"], line["group_type"], line["group_id"], "alle", 1),
                       ROLLING, point["value_12m"])
