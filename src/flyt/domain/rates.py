"""Rates derived from the KPIs to compare municipalities and regions of different sizes.
Not KPIs (the engine does not store them): computed here, once, from a stored count and
the reference data's population (docs/reports.md), for the report, the workbook and the
dashboard alike."""

from __future__ import annotations

from collections.abc import Iterable


def per_1000(count: object, population: int | None) -> float | None:
    """A count (UKP days) per 1 000 inhabitants, to one decimal; None without a count or
    a population."""
    if not isinstance(count, int | float) or not population:
        return None
    return round(count * 1000 / population, 1)


def total_population(populations: Iterable[int | None]) -> int:
    """The inhabitants of several municipalities (a region, the community); a
    municipality without a population counts none."""
    return sum(p or 0 for p in populations)
