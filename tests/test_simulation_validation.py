"""`flyt simulate --validate`: which years are checked, the actual UKP days are the KPI
engine's, the coverage and the table."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.simulation import validation
from flyt.simulation.text import validation_table
from flyt.simulation.validation import Check, coverage
from tests.support.records import load, stay

START = date(2021, 1, 1)
DAYS = 3 * 365


def seed(db) -> None:
    """Three years: in 5001 a patient ready every second day at 10:00, home three days
    later at 12:00 (three UKP days: the ready day and the two after)."""
    def at(day: int, hour: int) -> datetime:
        return datetime.combine(START + timedelta(days=day), datetime.min.time()).replace(
            hour=hour)

    load(db, [stay(f"T{i}", ready=at(i, 10), discharged=at(i + 3, 12))
              for i in range(0, DAYS, 2)])


def by_definition(year: int) -> int:
    """UKP days in the year: each stay's days d, d+1, d+2 that fall in it."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return sum(1 for i in range(0, DAYS, 2) for k in range(3)
               if first <= START + timedelta(days=i + k) <= last)


def test_years_with_a_year_before_and_data_after(db):
    seed(db)
    # data from 01.01.2021 to 03.01.2024: 2022 and 2023 have a year before them
    assert validation.years_to_check(db, datetime(2026, 1, 1)) == [2022, 2023]


def test_actual_ukp_days_are_the_engines_by_definition(db):
    seed(db)
    days = validation.actual_ukp_days(db, 2023)
    assert days[("community", "all")] == by_definition(2023) == 548
    assert days[("municipality", "5001")] == 548
    assert ("municipality", "5028") not in days or days[("municipality", "5028")] == 0


def test_validate_checks_community_and_municipalities_each_year(db):
    seed(db)
    checks = validation.validate(db, replications=50, only=[2023])
    community = [c for c in checks if c.group_type == "community"]
    assert [(c.year, c.actual) for c in community] == [(2023, 548)]
    assert community[0].lower <= community[0].mean <= community[0].upper
    assert {c.group_id for c in checks if c.group_type == "municipality"} >= {"5001"}


def test_inside_and_coverage_by_hand():
    checks = [Check(2023, "community", "all", 100, 90.0, 80.0, 100.0),  # at the edge: in
              Check(2024, "community", "all", 101, 90.0, 80.0, 100.0),  # out
              Check(2023, "municipality", "5001", 5, 6.0, 1.0, 9.0)]
    assert [c.inside for c in checks] == [True, False, True]
    found = coverage(checks)
    assert found.community == (1, 2) and found.municipalities == (1, 1)
    nb, en = validation_table(checks, "nb"), validation_table(checks, "en")
    assert "Helsefellesskapet innenfor intervallet: 1 av 2 år (50\u00a0%)." in nb
    assert "Municipalities inside the interval: 1 of 1 municipality-years (100%)." in en
    assert "80–100" in nb and "nei" in nb


def test_command_csv(db, db_url):
    seed(db)
    db.close()
    result = CliRunner().invoke(cli, ["simulate", "--validate", "--year", "2023",
                                      "--replications", "30", "--format", "csv",
                                      "--db", db_url])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["year", "group_type", "group_id", "actual", "mean", "lower",
                             "upper", "inside"]
    assert rows[0]["group_type"] == "community" and rows[0]["actual"] == "548"


def test_command_without_period_says_so(db_url):
    result = CliRunner().invoke(cli, ["simulate", "--db", db_url])
    assert result.exit_code == 1 and "--from" in result.output
