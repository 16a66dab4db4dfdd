"""Evaluate the configured goals against stored rolling-12 results, for every month."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from flyt.config import GoalSettings, GoalSpec
from flyt.domain import goals as rules
from flyt.domain.codes import KPIS
from flyt.store import schema


def _rolling(conn: sa.Connection, cutoff: datetime, goal: GoalSpec) -> dict[date, float | None]:
    r = schema.kpi_results.c
    rows = conn.execute(
        sa.select(r.month, r.numerator_12m, r.denominator_12m).where(
            r.cutoff == cutoff, r.kpi == goal.kpi, r.sector == goal.sector,
            r.group_type == goal.group_type, r.group_id == goal.group_id,
        )
    ).all()
    return {row.month: rules.exact_value(goal.kpi, row.numerator_12m, row.denominator_12m)
            for row in rows}


def evaluate_all(conn: sa.Connection, cutoff: datetime, settings: GoalSettings) -> list[dict]:
    """One row per configured goal and stored month."""
    out: list[dict] = []
    for goal in settings.goals:
        values = _rolling(conn, cutoff, goal)
        baseline = values.get(date(settings.baseline_year, 12, 1))
        target = goal.target
        if goal.target_factor is not None:
            target = None if baseline is None else goal.target_factor * baseline
        better = KPIS[goal.kpi].better
        for month, value in sorted(values.items()):
            achieved = rules.achievement(baseline, value, target, better)
            expected = rules.expected(month, settings.start, settings.months_to_full)
            out.append({
                "cutoff": cutoff, "month": month, "kpi": goal.kpi, "sector": goal.sector,
                "group_type": goal.group_type, "group_id": goal.group_id,
                "baseline": baseline, "target": target, "value": value,
                "achievement": achieved, "expected": expected,
                "status": rules.status(achieved, expected, settings.yellow_band),
            })
    return out
