"""Goal achievement, expected achievement and status (spec/kpi.md, "Targets").

Pure functions, no I/O: the engine feeds them stored rolling-12 values.
"""

from __future__ import annotations

from datetime import date

from flyt.domain.codes import KPIS, Better, Measure


def exact_value(kpi: int, numerator: int | None, denominator: int | None) -> float | None:
    """The unrounded KPI value from its numerator and denominator (None: no value)."""
    if numerator is None:
        return None
    measure = KPIS[kpi].measure
    if measure is Measure.COUNT:
        return float(numerator)
    if not denominator:
        return None
    return (100.0 if measure is Measure.SHARE else 1.0) * numerator / denominator


def meets(value: float, target: float, better: Better) -> bool:
    return value <= target if better is Better.LOWER else value >= target


def achievement(
    baseline: float | None, value: float | None, target: float | None, better: Better
) -> float | None:
    """Per cent of the way from the baseline to the target that ``value`` has come.

    100 means the target is reached; it can be negative or above 100. When the
    baseline already meets the target, 100 while the value meets it, else 0.
    """
    if baseline is None or value is None or target is None:
        return None
    if meets(baseline, target, better):
        return 100.0 if meets(value, target, better) else 0.0
    if better is Better.LOWER:
        return 100.0 * (baseline - value) / (baseline - target)
    return 100.0 * (value - baseline) / (target - baseline)


def months_between(start: date, month: date) -> int:
    """Months from ``start``'s month to ``month``, both included (0 or less: before)."""
    return (month.year - start.year) * 12 + month.month - start.month + 1


def expected(month: date, start: date, months_to_full: int = 24) -> float:
    """Expected achievement: linear from the start month, 100 % after ``months_to_full``."""
    n = months_between(start, month)
    if n <= 0:
        return 0.0
    return min(100.0, 100.0 * n / months_to_full)


def status(achieved: float | None, expected_pct: float, yellow_band: float = 25.0) -> str | None:
    """green: on track; yellow: behind by at most the band; red: further behind."""
    if achieved is None:
        return None
    if achieved >= expected_pct:
        return "green"
    if achieved >= expected_pct - yellow_band:
        return "yellow"
    return "red"
