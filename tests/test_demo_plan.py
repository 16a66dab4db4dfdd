"""The demo's action plan (flyt.demo.plan): the default plan with dated progress, so the
status rules show every colour on the demo's day; applied only to an unchanged default
plan. Both engines for the store."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from flyt.demo import plan as demo
from flyt.plan import defaults, storage
from flyt.plan.settings import PlanSettings
from flyt.plan.view import computed_statuses

TODAY = date(2026, 12, 2)


def statuses(at: date) -> dict[str, str | None]:
    return computed_statuses(demo.demo_plan(defaults.default_plan(), TODAY), at,
                             PlanSettings(red_after_days=30))


def test_every_demo_item_is_an_item_of_the_default_plan():
    ids = {x.id for m in defaults.default_plan().measures for x in (m, *m.activities)}
    assert set(demo.PROGRESS) <= ids


def test_the_demo_day_shows_green_yellow_and_red_by_the_rules():
    got = statuses(TODAY)
    # T1.1 ended 12 days ago, not done: yellow; so is its measure T1 (the worst).
    assert got["T1.1"] == "yellow" and got["T1"] == "yellow"
    # T12.2 ended 40 days ago, not done: red (more than 30 days), and T12 with it.
    assert got["T12.2"] == "red" and got["T12"] == "red"
    # T4 is set yellow by hand; its activities are done or still running.
    assert got["T4.1"] == "green" and got["T4.2"] is None and got["T4"] == "yellow"
    # Done, and past its end: green.
    assert got["T8.2"] == "green"
    # T11 ends on the demo's day: not late yet; the next day it is.
    assert got["T11"] == "green"


def test_the_demo_periods_follow_the_demo_day():
    plan = demo.demo_plan(defaults.default_plan(), TODAY)
    t1 = next(m for m in plan.measures if m.id == "T1")
    assert (t1.start, t1.end) == (TODAY - timedelta(days=240), TODAY + timedelta(days=180))
    assert t1.comment.startswith("Demo:")
    # Items the demo leaves alone keep the default plan's values.
    t6 = next(m for m in defaults.default_plan().measures if m.id == "T6")
    assert next(m for m in plan.measures if m.id == "T6").responsible == t6.responsible


def test_the_demo_progress_goes_only_into_the_unchanged_default_plan(db):
    assert demo.store(db, TODAY) is True
    stored = storage.read_plan(db)
    t12 = next(m for m in stored.measures if m.id == "T12")
    assert t12.activities[1].end == TODAY - timedelta(days=40)
    # The comments set by the demo are in the history, made by "flyt demo".
    changes = [c for c in storage.history(db) if c.item_id == "T4"]
    assert {(c.field, c.new, c.changed_by) for c in changes} >= {("status", "yellow", demo.WHO)}
    # Now it is no longer the default plan: a second demo run keeps it.
    assert demo.store(db, TODAY + timedelta(days=1)) is False
    assert storage.read_plan(db) == stored


def test_a_plan_the_community_changed_is_never_overwritten(db):
    plan = storage.read_plan(db)
    t6 = next(m for m in plan.measures if m.id == "T6")
    storage.update_item(db, "T6", t6.version, "analytiker", comment="Vår egen kommentar")
    assert demo.store(db, TODAY) is False
    after = storage.read_plan(db)
    assert next(m for m in after.measures if m.id == "T6").comment == "Vår egen kommentar"
    assert next(m for m in after.measures if m.id == "T1").start is None
    assert replace(after, measures=()) == replace(plan, measures=())
