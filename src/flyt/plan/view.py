"""The whole plan with its statuses computed at a date: what `plan show`, the export and
(later) the pages, the diagram, the timeline and the meeting report all use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flyt.config import GoalSettings
from flyt.plan import rules, storage
from flyt.plan.effects import effect_statuses
from flyt.plan.model import Plan
from flyt.plan.settings import PlanSettings
from flyt.store.db import Database


@dataclass(frozen=True)
class PlanAt:
    plan: Plan
    at: date
    computed: dict[str, str | None]  # item id (measure, activity, effect) → status by rule

    def status(self, item_id: str) -> str | None:
        return self.computed.get(item_id)


def computed_statuses(plan: Plan, at: date, settings: PlanSettings) -> dict[str, str | None]:
    """Measures' and activities' statuses by the rules (pure)."""
    out: dict[str, str | None] = {}
    for m in plan.measures:
        out[m.id] = rules.measure_status(m, at, settings.red_after_days)
        for a in m.activities:
            out[a.id] = rules.activity_status(a, at, settings.red_after_days)
    return out


def plan_at(db: Database, at: date, settings: PlanSettings, goals: GoalSettings) -> PlanAt:
    plan = storage.read_plan(db)
    computed = computed_statuses(plan, at, settings)
    computed.update(effect_statuses(db, plan, at, goals))
    return PlanAt(plan, at, computed)
