"""The status rules of spec/plan.md at a date, at their edges (flyt.plan.rules; pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from flyt.plan.model import Activity, Measure
from flyt.plan.rules import activity_status, measure_status, worst
from flyt.plan.settings import load_plan_settings

END = date(2025, 3, 31)
RED_AFTER = 30


def activity(status: str | None = None, done: bool = False, end: date | None = END) -> Activity:
    return Activity("A", "aktivitet", start=date(2025, 1, 1), end=end, status=status, done=done)


def on(days_after_end: int) -> date:
    return END + timedelta(days=days_after_end)


@pytest.mark.parametrize(("status", "days", "expected"), [
    (None, -1, None),  # before the end: nothing set, nothing computed
    (None, 0, None),  # the day of the end is not late
    ("green", 0, "green"),
    (None, 1, "yellow"),  # the day after the end: late
    ("green", 1, "yellow"),
    (None, 30, "yellow"),  # 30 days after: still yellow
    (None, 31, "red"),  # 31 days after: more than 30
    ("yellow", 31, "red"),
    ("red", 0, "red"),  # set by hand
    ("yellow", -10, "yellow"),  # set by hand, not late
    ("red", 1, "red"),  # late never makes a red one milder
])
def test_an_activity_not_done_turns_yellow_after_its_end_and_red_after_30_days(
        status, days, expected):
    assert activity_status(activity(status), on(days), RED_AFTER) == expected


@pytest.mark.parametrize(("status", "expected"), [
    (None, "green"), ("green", "green"), ("yellow", "green"), ("red", "red")])
def test_a_done_activity_is_green_unless_set_red_by_hand(status, expected):
    assert activity_status(activity(status, done=True), on(100), RED_AFTER) == expected


def test_an_activity_without_an_end_is_never_late():
    assert activity_status(activity(end=None), date(2099, 1, 1), RED_AFTER) is None


def test_the_red_limit_is_the_configured_number_of_days():
    assert activity_status(activity(), on(8), 7) == "red"
    assert activity_status(activity(), on(7), 7) == "yellow"


def measure(status: str | None, *activities: Activity) -> Measure:
    return Measure("M", "tiltak", status=status, activities=activities)


def test_a_measure_takes_the_worst_of_its_own_and_its_activities_statuses():
    late = activity()  # yellow on day 1 after its end
    assert measure_status(measure("green", late, activity("green")), on(1), RED_AFTER) == "yellow"
    assert measure_status(measure("red", activity("green")), on(0), RED_AFTER) == "red"
    assert measure_status(measure(None, late), on(31), RED_AFTER) == "red"
    assert measure_status(measure("yellow", activity(done=True)), on(50), RED_AFTER) == "yellow"


def test_no_status_counts_as_green_for_a_measure():
    assert measure_status(measure(None), on(0), RED_AFTER) == "green"
    assert measure_status(measure(None, activity(), activity()), on(0), RED_AFTER) == "green"


def test_worst_orders_red_over_yellow_over_green_and_has_none_for_nothing():
    assert worst(["green", "red", "yellow"]) == "red"
    assert worst([None, "yellow", "green"]) == "yellow"
    assert worst([None, None]) is None


def test_red_after_days_is_read_from_the_plan_section_and_checked():
    assert load_plan_settings({}).red_after_days == 30
    assert load_plan_settings({"plan": {"red_after_days": 14}}).red_after_days == 14
    with pytest.raises(ValueError, match="red_after_days must be a whole number"):
        load_plan_settings({"plan": {"red_after_days": "14"}})
    with pytest.raises(ValueError, match="unknown key \\[plan\\] red_days"):
        load_plan_settings({"plan": {"red_days": 14}})
