"""The action plan's pages in Chromium: the Theory of Change is drawn and no text leaves
its box, the table filters, the timeline has today's line, a person of the competence
group changes an activity, and two pages saving the same activity give the second the
409 message with its text kept. axe-core finds nothing on a desktop and a phone, and no
page scrolls sideways on a phone (screenshots in tests/browser/screenshots/plan-*.png).

A server of its own on a fresh store (no KPI data is needed) with a plan that has
dates: DuckDB lets one process write the file, so the plan is stored before it starts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest

from flyt.accounts import users
from flyt.domain import clock
from flyt.plan import storage
from flyt.plan.defaults import default_plan
from flyt.plan.model import Activity
from flyt.store.db import Database
from tests.browser.conftest import isolated, served
from tests.browser.helpers import (
    PHONE,
    VIEWPORTS,
    Person,
    Site,
    assert_accessible,
    assert_no_horizontal_scroll,
    opened,
    screenshot,
)

pytestmark = pytest.mark.browser

COMPETENCE = Person("kari", "competence")
READER = Person("rita", "reader")
PAGES = ["/tiltaksplan", "/tiltaksplan/forandringsteori", "/tiltaksplan/tidslinje",
         "/tiltaksplan/T1.1"]


@pytest.fixture(scope="module")
def site(_tools: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("plan")
    env, url = isolated(root)
    db = Database.open(url)
    for person in (COMPETENCE, READER):
        users.add(db, person.name, person.role, password=person.password)
    # The default plan, its first measure's activities given dates around today: one
    # done, one late (ended 10 days ago), one ahead.
    today = clock.today()
    plan = default_plan()
    first = plan.measures[0]
    dated = tuple(replace(a, start=today + timedelta(days=s), end=today + timedelta(days=e),
                          done=done, responsible=who)
                  for a, (s, e, done, who) in zip(first.activities, (
                      (-90, -40, True, "Kari"), (-60, -10, False, "Ola"),
                      (10, 120, False, "Kari")), strict=True))
    plan = replace(plan, measures=(replace(first, activities=dated,
                                           start=today - timedelta(days=90),
                                           end=today + timedelta(days=120)),
                                   *plan.measures[1:]))
    storage.replace_plan(db, plan, None)
    db.close()
    with served(root, url, env) as base_url:
        yield Site(base_url=base_url, kpi_db_url=url, env=env)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", PAGES)
def test_the_plan_pages_pass_axe_and_fit_a_phone(new_page, site, path, viewport):
    person = COMPETENCE if path.endswith("T1.1") else READER  # the edit form too
    page = opened(new_page, site, path, person, viewport)
    screenshot(page, f"plan-{path}-{viewport}")
    assert_accessible(page)
    if VIEWPORTS[viewport] == PHONE:
        assert_no_horizontal_scroll(page)


def test_the_diagram_is_drawn_and_no_text_leaves_its_box(new_page, site):
    page = opened(new_page, site, "/tiltaksplan/forandringsteori")
    svg = page.locator("svg.toc-diagram")
    assert svg.is_visible()
    box = svg.bounding_box()
    assert box is not None and box["width"] > 900  # the page's width at 1280 px
    counts = page.evaluate("""() => {
      const out = [];
      document.querySelectorAll('g.toc-element').forEach(g => {
        const r = g.querySelector('rect').getBBox();
        g.querySelectorAll('text').forEach(t => {
          const b = t.getBBox();
          if (b.x < r.x || b.x + b.width > r.x + r.width || b.y + b.height > r.y + r.height + 2)
            out.push(t.textContent);
        });
      });
      return [document.querySelectorAll('g.toc-element').length,
              document.querySelectorAll('path.toc-link').length, out];
    }""")
    plan = default_plan()
    assert counts == [len(plan.elements), sum(len(e.links) for e in plan.elements), []]


def test_the_table_filters_by_status(new_page, site):
    page = opened(new_page, site, "/tiltaksplan")
    page.select_option("select[name=status]", "yellow")
    with page.expect_navigation():
        page.click("form.controls button[type=submit]")
    assert "status=yellow" in page.url
    rows = page.locator("table.plan-table th[scope=row] a").all_inner_texts()
    # the activity 10 days late (yellow) under its measure (yellow by it)
    assert [" ".join(r.split()) for r in rows] == [plan_name(0), "Aktivitet: " + activity_name(1)]


def plan_name(i: int) -> str:
    return default_plan().measures[i].name


def activity_name(i: int) -> str:
    activity: Activity = default_plan().measures[0].activities[i]
    return activity.name


def test_the_timeline_has_bars_and_today_s_line(new_page, site):
    page = opened(new_page, site, "/tiltaksplan/tidslinje")
    assert page.locator(".plan-gantt-bar").count() == 4  # T1 and its three activities
    today = page.locator(".plan-gantt-today")
    assert today.is_visible()
    line = today.bounding_box()
    track = page.locator(".plan-gantt-row .plan-gantt-track").nth(1).bounding_box()
    assert line is not None and track is not None
    assert track["x"] < line["x"] < track["x"] + track["width"]
    assert page.get_by_text("Uten datoer").is_visible()


def test_a_competence_member_changes_an_activity(new_page, site):
    page = opened(new_page, site, "/tiltaksplan/T1.3", COMPETENCE)
    page.select_option("#plan-status", "green")
    page.fill("#plan-comment", "Godt i gang")
    with page.expect_navigation():
        page.click("form.plan-form button[type=submit]")
    assert page.url.endswith("/tiltaksplan/T1.3")
    history = page.locator("table.plan-history").inner_text()
    assert "kari" in history and "Godt i gang" in history and "grønn" in history
    screenshot(page, "plan-edit-saved")


def test_the_second_of_two_pages_saving_the_same_activity_gets_the_409_message(new_page,
                                                                                site):
    first = opened(new_page, site, "/tiltaksplan/T1.2", COMPETENCE)
    second = opened(new_page, site, "/tiltaksplan/T1.2", COMPETENCE)
    first.fill("#plan-comment", "Først ute")
    with first.expect_navigation():
        first.click("form.plan-form button[type=submit]")
    second.fill("#plan-comment", "Min tekst som ikke må bli borte")
    with second.expect_navigation() as navigation:
        second.click("form.plan-form button[type=submit]")
    assert navigation.value is not None and navigation.value.status == 409
    assert "Noen andre har lagret T1.2" in second.locator("[role=alert]").inner_text()
    assert second.input_value("#plan-comment") == "Min tekst som ikke må bli borte"
    assert "Først ute" in second.locator("#plan-comment-stored").inner_text()
    screenshot(second, "plan-edit-stale")
    assert_accessible(second)
