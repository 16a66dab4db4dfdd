"""The action plan's meeting report (`flyt report plan`, flyt.plan.report) on DuckDB and
PostgreSQL: the effects' trend as `flyt kpi` and `flyt goals` give it, what changed since
the last meeting, what is late and red, and the documents (HTML, PDF, XLSX)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.config import GoalSettings
from flyt.domain import clock
from flyt.plan import report, storage
from flyt.plan.settings import PlanSettings
from flyt.store.db import Database
from tests.support.records import load
from tests.test_goals_achievement import SHORT_STAYS, STAYS
from tests.test_plan_effects import goals_shown

SINCE, AT = date(2026, 3, 1), date(2026, 4, 10)
HOSTILE = "=HYPERLINK(\"http://x\",\"klikk\")"


def at_moment(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


def version_of(db: Database, item_id: str) -> int:
    plan = storage.read_plan(db)
    return next(x.version for m in plan.measures for x in (m, *m.activities) if x.id == item_id)


def change(db: Database, item_id: str, who: str, **fields: object) -> None:
    storage.update_item(db, item_id, version_of(db, item_id), who, **fields)


@pytest.fixture
def meeting(db, monkeypatch):
    """The default plan with dates, statuses and comments changed before and after the
    last meeting (1 March 2026); the report is made on 10 April 2026."""
    at_moment(monkeypatch, datetime(2026, 2, 10, 9, 0))  # before the meeting
    storage.read_plan(db)  # the default plan seeded
    change(db, "T1.1", "ola", end=date(2026, 2, 20), comment="Før møtet")
    change(db, "T4.2", "ola", status="yellow")
    at_moment(monkeypatch, datetime(2026, 3, 5, 14, 30))  # after it
    change(db, "T4.2", "kari", status="red", comment=HOSTILE)
    change(db, "T1.2", "kari", end=date(2026, 3, 31))  # 10 days late at AT: yellow
    change(db, "T5", "kari", end=date(2026, 3, 1))  # a measure past its end
    change(db, "T4.1", "kari", end=date(2026, 1, 1), done=True)  # done: never late
    at_moment(monkeypatch, datetime(2026, 4, 10, 8, 0))
    return db


def gathered(db: Database) -> report.Figures:
    return report.gather(db, SINCE, AT, PlanSettings(), GoalSettings(),
                         made=datetime(2026, 4, 10, 8, 0))


# --- the effects' trend ------------------------------------------------------------


def kpi_shown(db_url: str, first: str, last: str, cutoff: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["kpi", "--from", first, "--to", last, "--cutoff", cutoff,
                                      "--rolling", "--format", "json", "--db", db_url])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_trend_is_the_kpi_engines_as_flyt_kpi_and_flyt_goals_show_it(db, db_url):
    load(db, STAYS, short_stays=SHORT_STAYS)
    found = report.gather(db, date(2025, 1, 1), date(2025, 1, 15), PlanSettings(),
                          GoalSettings())
    trends = {t.element.kpi: t for t in found.effects}
    assert sorted(trends) == [1, 2, 3, 4, 5, 6]
    # The six months up to December 2024 (the month before 15.01.2025).
    assert [p.month for p in trends[1].points] == [date(2024, m, 1) for m in range(7, 13)]
    # By hand (tests/test_goals_achievement.py): b1 (3 days) and b2 (0) in June 2024 are in
    # every window to November, b3 (20 days) from November: 3, 3, 3, 3, 23, 23.
    assert [p.value_12m for p in trends[1].points] == [3, 3, 3, 3, 23, 23]
    assert [p.status for p in trends[1].points] == ["green"] * 6
    assert trends[2].points[-1].status == "yellow" and trends[3].points[-1].status == "red"
    assert trends[6].target == pytest.approx(4.0)  # 0.8 * the Øya baseline 5.0
    shown = kpi_shown(db_url, "2024-07", "2024-12", "2025-01-15")
    for kpi, trend in trends.items():
        goal = trend.goal
        assert goal is not None
        rows = {r["month"]: r for r in shown if (r["kpi"], r["sector"], r["group_type"],
                                                 r["group_id"]) == (kpi, goal.sector,
                                                                    goal.group_type,
                                                                    goal.group_id)}
        for p in trend.points:
            row = rows.get(f"{p.month:%Y-%m}", {})
            assert (p.value, p.value_12m) == (row.get("value"), row.get("value_12m")), (kpi, p)
    for p in trends[1].points:  # the goal's status month by month, as `flyt goals` says
        statuses = goals_shown(db_url, f"{p.month:%Y-%m}", "2025-01-15")
        assert [t.points[trends[1].points.index(p)].status for t in trends.values()] == [
            statuses[k] for k in trends]
    # The effect's own status is the last month's.
    assert {k: t.status for k, t in trends.items()} == {
        k: t.points[-1].status for k, t in trends.items()}


def test_without_data_the_effects_have_months_without_values(db):
    found = gathered(db)
    assert len(found.effects) == 6
    assert all(p.value is None and p.value_12m is None and p.status is None
               for t in found.effects for p in t.points)
    shown = report.context(found, "nb")
    assert shown["effects"][0]["points"][0]["value"] == "–"
    assert shown["effects"][0]["points"][0]["month"] == "oktober 2025"


# --- since the last meeting, late, red ---------------------------------------------


def test_the_changes_since_the_meeting_are_the_history_from_that_day(meeting):
    found = gathered(meeting)
    assert [(c.item_id, c.field, c.old, c.new, c.changed_by) for c in found.changes] == [
        ("T4.2", "status", "yellow", "red", "kari"),
        ("T4.2", "comment", None, HOSTILE, "kari"),
    ]
    lines = report.context(found, "nb")["changes"]
    assert lines[0]["when"] == "05.03.2026 14:30"
    assert (lines[0]["old"], lines[0]["new"], lines[0]["who"]) == ("gul", "rød", "kari")


def test_the_statuses_by_rule_then_and_now_name_what_moved(meeting):
    found = gathered(meeting)
    moved = {x.item.id: (x.before, x.now) for x in found.moved}
    # T1.1 ended 20.02: 9 days late on 01.03 (yellow), 49 on 10.04 (red). T4.2 was set
    # yellow before the meeting, red after. T1.2 ends 31.03: none then, yellow now.
    # T1 and T4 follow their activities; T5 has no late activity: green both days.
    assert moved == {"T1": ("yellow", "red"), "T1.1": ("yellow", "red"),
                     "T1.2": (None, "yellow"), "T4": ("yellow", "red"),
                     "T4.2": ("yellow", "red")}


def test_late_is_an_activity_not_done_after_its_end_or_a_measure_with_one(meeting):
    found = gathered(meeting)
    assert [(x.item.id, x.days) for x in found.late] == [
        ("T1.1", 49), ("T1.2", 10), ("T5", 40)]
    assert [x.id for x, _ in found.red] == ["T1", "T1.1", "T4", "T4.2"]
    shown = report.context(found, "nb")
    assert shown["late"][0]["end"] == "20.02.2026"
    assert shown["late"][0]["responsible"] == "Eirik/Runar utarbeider utkast"  # the measure's


def test_since_after_at_is_refused(db):
    with pytest.raises(ValueError, match="since is after at"):
        report.gather(db, date(2026, 5, 1), AT, PlanSettings(), GoalSettings())


# --- the documents -----------------------------------------------------------------


def test_the_html_has_every_part_in_norwegian(meeting):
    document = report.to_html(gathered(meeting), "nb")
    assert "Tiltaksplan – statusrapport" in document
    assert "Status per 10.04.2026 · endringer siden 01.03.2026" in document
    assert "Optimal pasientflyt gjennom god samhandling" in document
    # The seed's reading guide.
    for words in ("Ingen avvik.", "Mindre avvik, men håndteres.",
                  "Kritiske avvik, når ikke målsetning."):
        assert words in document
    # Page 1: the Theory of Change as the pages' picture (flyt.plan.diagram), every
    # column and element in it.
    assert document.count("<svg") == 1 and 'viewBox="0 0 1000 ' in document
    for heading in ("Ressurser", "Aktiviteter", "Utfall", "Resultater", "Effekter"):
        assert f">{heading}</text>" in document
    assert "Blant de beste i landet" in document
    assert "mer enn 30 dager over" in document
    # Every measure and activity, a hostile comment as text.
    plan = storage.read_plan(meeting)
    assert all(m.name in document for m in plan.measures)
    assert "=HYPERLINK(&#34;http://x&#34;,&#34;klikk&#34;)" in document
    assert "<a " not in document
    assert "01.03.2026 – …" not in document and "… – 01.03.2026" in document  # T5's period


def test_the_html_in_english(meeting):
    document = report.to_html(gathered(meeting), "en")
    assert "Action plan – status report" in document
    assert "Status at 2026-04-10 · changes since 2026-03-01" in document
    assert "Critical deviations, the target is not reached." in document
    assert ">Late<" in document and "Gjennomføre" in document  # names are the plan's own


def test_the_xlsx_has_its_sheets_numbers_as_numbers_and_text_as_text(meeting, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(report.to_xlsx(gathered(meeting), "nb"))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["effekter", "tiltak", "endringer", "endret status", "forsinket"]
    late = [[c.value for c in row] for row in book["forsinket"].iter_rows(min_row=4)]
    assert [(r[1], r[5], r[6]) for r in late] == [("T1.1", "20.02.2026", 49),
                                                  ("T1.2", "31.03.2026", 10),
                                                  ("T5", "01.03.2026", 40)]
    changes = [[c.value for c in row] for row in book["endringer"].iter_rows(min_row=4)]
    assert changes[1][6:] == ["–", HOSTILE]
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" or c.hyperlink for c in cells)
    measures = {row[1].value: row for row in book["tiltak"].iter_rows(min_row=4)}
    assert measures["T4.2"][10].value == "rød" and measures["T4.2"][11].value == "rød"
    assert measures["T4.1"][9].value == "ja"
    effects = [[c.value for c in row] for row in book["effekter"].iter_rows(min_row=4)]
    assert len(effects) == 6 * report.TREND_MONTHS
    assert effects[0][:3] == ["E1", "Antall UKP-døgn per år <= 1000", 1]


def test_the_command_writes_pdf_html_and_xlsx(meeting, db_url, tmp_path: Path):
    runner = CliRunner()
    pdf = tmp_path / "plan.pdf"
    made = runner.invoke(cli, ["report", "plan", "--since", "01.03.2026", "--at", "2026-04-10",
                               "--format", "pdf", "-o", str(pdf), "--db", db_url])
    assert made.exit_code == 0, made.output
    assert pdf.read_bytes().startswith(b"%PDF")
    html = runner.invoke(cli, ["report", "plan", "--since", "2026-03-01", "--at", "2026-04-10",
                               "--format", "html", "--lang", "en", "--db", db_url])
    assert html.exit_code == 0 and "Action plan – status report" in html.stdout
    xlsx = tmp_path / "plan.xlsx"
    made = runner.invoke(cli, ["report", "plan", "--since", "2026-03-01", "--format", "xlsx",
                               "-o", str(xlsx), "--db", db_url])
    assert made.exit_code == 0 and xlsx.stat().st_size > 0


def test_the_command_refuses_bad_dates_and_a_missing_output(db_url, tmp_path: Path):
    runner = CliRunner()
    missing = runner.invoke(cli, ["report", "plan", "--format", "html", "--db", db_url])
    assert missing.exit_code == 2 and "--since" in missing.output
    later = runner.invoke(cli, ["report", "plan", "--since", "2026-05-01", "--at",
                                "2026-04-10", "--format", "html", "--db", db_url])
    assert later.exit_code == 1
    assert "--since (01.05.2026) er etter --at (10.04.2026)." in later.output
    bad = runner.invoke(cli, ["report", "plan", "--since", "31.02.2026", "--db", db_url])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    no_file = runner.invoke(cli, ["report", "plan", "--since", "2026-03-01", "--format",
                                  "pdf", "--db", db_url])
    assert no_file.exit_code == 2 and "--format pdf needs --output FILE" in no_file.output
