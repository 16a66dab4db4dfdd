"""The effects' status: an effect tied to a KPI takes the goal status the KPI engine
gives that KPI (the rows `flyt goals` shows: flyt.engine.read.goal_rows over the results
flyt.engine.compute.ensure stores), so the plan and the KPI reports never disagree.

The goal is the community's in somatics for KPI 1-5, and for KPI 6 the goal's own unit
(the configured goal of that KPI); the month is the one before `at`'s month, the
cut-off `at` (00:00). No status when the goal has none or is not configured.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flyt.config import GoalSettings, GoalSpec
from flyt.domain.months import add_months
from flyt.engine import compute
from flyt.engine.read import goal_rows
from flyt.plan.model import Plan
from flyt.store.db import Database


def goal_for(kpi: int, goals: GoalSettings) -> GoalSpec | None:
    """The configured goal an effect of `kpi` is judged by: the community's in somatics,
    else (KPI 6) the first goal of that KPI."""
    of_kpi = [g for g in goals.goals if g.kpi == kpi]
    community = [g for g in of_kpi if g.group_type == "community" and g.sector == "somatikk"]
    found = community or of_kpi
    return found[0] if found else None


def evaluated_month(at: date) -> date:
    return add_months(at.replace(day=1), -1)


def effect_statuses(db: Database, plan: Plan, at: date,
                    goals: GoalSettings) -> dict[str, str | None]:
    """Each effect with a KPI → its goal status (None when there is none)."""
    effects = [e for e in plan.elements if e.kpi is not None]
    if not effects:
        return {}
    cutoff = datetime.combine(at, time())
    compute.ensure(db, cutoff, goals)
    rows = {(r.kpi, r.sector, r.group_type, r.group_id): r.status
            for r in goal_rows(db, cutoff, evaluated_month(at))}
    out: dict[str, str | None] = {}
    for e in effects:
        goal = goal_for(e.kpi, goals) if e.kpi is not None else None
        out[e.id] = None if goal is None else rows.get(
            (goal.kpi, goal.sector, goal.group_type, goal.group_id))
    return out
