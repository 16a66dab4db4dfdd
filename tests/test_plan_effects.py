"""An effect's status is the KPI engine's goal status (flyt.plan.effects), the same that
`flyt goals` shows for the month before `at` at the cut-off `at`, on both engines."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.config import GoalSettings
from flyt.plan import storage
from flyt.plan.effects import evaluated_month
from flyt.plan.settings import PlanSettings
from flyt.plan.view import plan_at
from tests.support.records import load
from tests.test_goals_achievement import SHORT_STAYS, STAYS


def goals_shown(db_url: str, month: str, cutoff: str) -> dict[int, str | None]:
    result = CliRunner().invoke(cli, ["goals", "--month", month, "--cutoff", cutoff,
                                      "--format", "json", "--db", db_url])
    assert result.exit_code == 0, result.output
    return {g["kpi"]: g["status"] for g in json.loads(result.stdout)}


def test_effects_take_the_status_flyt_goals_shows_for_the_month_before(db, db_url):
    load(db, STAYS, short_stays=SHORT_STAYS)
    at = date(2025, 1, 15)  # the month before: December 2024, cut-off 15.01.2025 00:00
    view = plan_at(db, at, PlanSettings(), GoalSettings())
    effects = {e.kpi: view.status(e.id) for e in view.plan.elements if e.kpi}
    # By hand in tests/test_goals_achievement.py (one year in): 1 green, 2 yellow, 3 red,
    # 4 green, 5 red, 6 (Øya helsehus korttid, its unit's goal) green.
    assert effects == {1: "green", 2: "yellow", 3: "red", 4: "green", 5: "red", 6: "green"}
    assert effects == goals_shown(db_url, "2024-12", "2025-01-15")


def test_an_effect_has_no_status_when_its_goal_has_none(db, db_url):
    load(db, STAYS, short_stays=SHORT_STAYS)
    # January 2023 lies before the baseline's December: no achievement, no status.
    view = plan_at(db, date(2023, 2, 1), PlanSettings(), GoalSettings())
    assert {view.status(e.id) for e in view.plan.elements if e.kpi} == {None}
    assert set(goals_shown(db_url, "2023-01", "2023-02-01").values()) == {None}


def test_an_effect_without_data_or_without_a_kpi_has_no_status(db):
    view = plan_at(db, date(2025, 3, 10), PlanSettings(), GoalSettings())
    plan = storage.read_plan(db)
    assert all(view.status(e.id) is None for e in plan.elements if e.kind == "effekt")


def test_the_month_evaluated_is_the_one_before_the_date():
    assert evaluated_month(date(2025, 3, 10)) == date(2025, 2, 1)
    assert evaluated_month(date(2025, 1, 1)) == date(2024, 12, 1)


def test_half_a_year_in_the_effects_follow_the_june_goals(db, db_url):
    load(db, STAYS, short_stays=SHORT_STAYS)
    view = plan_at(db, date(2024, 7, 10), PlanSettings(), GoalSettings())  # June 2024
    effects = {e.kpi: view.status(e.id) for e in view.plan.elements if e.kpi}
    # By hand in tests/test_goals_achievement.py (half a year in): KPI 5 exactly on the
    # yellow edge, the rest on track; KPI 4: 2 of 2 home, baseline and value >= 30.
    assert effects == {1: "green", 2: "green", 3: "green", 4: "green", 5: "yellow",
                       6: "green"}
    assert effects == goals_shown(db_url, "2024-06", "2024-07-10")
