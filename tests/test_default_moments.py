"""The moments a user means without saying (issue 10 §1): the data as of now — the
latest of 00:00 today, the newest event at or before now, the newest import — and the
last complete month; one rule (flyt.engine.moments) for every command and page,
printed on the output."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.engine import moments
from tests.support.records import load, stay

NOW = datetime(2026, 12, 1, 14, 30)


def later_that_day(moment: datetime, by: timedelta) -> datetime:
    """``moment + by``, but never past the end of its day (a run late in the evening
    would otherwise cross midnight, where the start of the new day wins)."""
    return min(moment + by, datetime.combine(moment.date(), time.max))


def imported_at(db) -> datetime:
    with db.engine.connect() as conn:
        return conn.execute(sa.text("SELECT MAX(finished_at) FROM imports")).scalar_one()


def test_an_empty_store_is_as_of_the_start_of_today(db):
    assert moments.default_cutoff(db, NOW) == datetime(2026, 12, 1)


def test_the_newest_import_is_the_latest_moment_the_data_know(db):
    load(db, [stay("A", admitted="2024-01-01", ready="2024-01-02", discharged="2024-01-05")])
    finished = imported_at(db)
    assert moments.default_cutoff(db, later_that_day(finished, timedelta(hours=3))) == finished
    # ... until a new day begins after it: then 00:00 of that day.
    next_day = datetime.combine(finished.date() + timedelta(days=1), datetime.min.time())
    assert moments.default_cutoff(db, next_day + timedelta(hours=5)) == next_day


def test_an_event_after_the_import_counts_once_its_moment_has_passed(db):
    # A discharge registered ahead (a planned one): it exists once its moment has passed.
    ahead = (datetime.now() + timedelta(days=30)).replace(hour=16, minute=7, second=0,
                                                          microsecond=0)
    load(db, [stay("A", admitted="2024-01-01", ready="2024-01-02",
                   discharged=ahead.strftime("%Y-%m-%dT%H:%M"))])
    imported = imported_at(db)
    assert moments.default_cutoff(db, later_that_day(imported, timedelta(minutes=1))) == imported
    assert moments.default_cutoff(db, ahead + timedelta(hours=1)) == ahead
    assert moments.default_cutoff(db, ahead + timedelta(days=1)) == datetime.combine(
        ahead.date() + timedelta(days=1), datetime.min.time())


def test_the_last_complete_month_is_the_one_before_the_cut_off():
    assert moments.last_complete_month(datetime(2026, 12, 1, 14, 30)) == date(2026, 11, 1)
    assert moments.last_complete_month(datetime(2025, 7, 1)) == date(2025, 6, 1)
    assert moments.last_complete_month(datetime(2024, 3, 31, 23, 59)) == date(2024, 2, 1)


def test_goals_without_a_month_judge_the_last_complete_month_and_say_so(db, db_url):
    load(db, [stay(f"S{i}", ready="2024-01-10", discharged="2024-01-12") for i in range(6)])
    result = CliRunner().invoke(cli, ["goals", "--cutoff", "2024-02-10", "--format", "json",
                                      "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "Data per 10.02.2024 00:00; måned: januar 2024" in result.stderr
    text = CliRunner().invoke(cli, ["goals", "--cutoff", "2024-02-10", "--db", db_url]).stdout
    assert text.startswith("Data per 10.02.2024 00:00; måned: januar 2024")
    # January's 12 months need 12 months of data: no value yet, so no status either.
    assert all(g["value"] is None for g in json.loads(result.stdout))


def test_a_report_made_after_todays_import_counts_that_import(db, db_url, tmp_path):
    load(db, [stay(f"S{i}", ready="2024-01-10", discharged="2024-01-12") for i in range(6)])
    out = tmp_path / "m.html"
    result = CliRunner().invoke(cli, ["report", "monthly", "--format", "html", "--output",
                                      str(out), "--db", db_url])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Ingen importer før skjæringstidspunktet" not in page
    finished = imported_at(db)
    assert f"Data per {finished:%d.%m.%Y %H:%M}" in page
    month = moments.last_complete_month(finished)
    assert f"Data per {finished:%d.%m.%Y %H:%M}; måned:" in result.stderr
    assert f"{month:%Y}" in result.stderr


def test_the_kpi_table_says_which_moment_its_numbers_are_as_of(db, db_url):
    load(db, [stay("A", ready="2024-01-10", discharged="2024-01-12")])
    result = CliRunner().invoke(cli, ["kpi", "--format", "csv", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Data per {imported_at(db):%d.%m.%Y %H:%M}")
    assert result.stdout.startswith("month,group_type")
