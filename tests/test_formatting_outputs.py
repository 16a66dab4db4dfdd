"""Where numbers meet people they are written as flyt.i18n writes them (Babel: bokmål with
a non-breaking space between thousands and before "%"); the machine outputs keep plain
numbers (docs/data-formats.md). Both engines; every expected string is written by hand."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.web.app import create_app
from tests.support.records import load, stay
from tests.support.snapshot_data import census
from tests.support.snapshot_data import load as load_snapshot
from tests.support.web import add_cast, signed_in

NBSP = "\u00a0"
CUTOFF = "2025-02-15"


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def three_long_waits(db) -> None:
    """Three patients of Trondheim ready from 1 January 2023 until 1 March 2024: the
    12 months to February 2024 (March 2023 – February 2024, a leap year's February) hold
    366 nights each, 1 098 UKP days."""
    load(db, stays=[stay(f"w{i}", f"pw{i}", admitted="2022-12-20", ready="2023-01-01",
                         discharged="2024-03-01 12:00", destination="hjem")
                    for i in range(3)])


def test_flyt_goals_text_writes_thousands_and_percentages_as_each_language_does(db, db_url):
    three_long_waits(db)
    common = ["goals", "--month", "2024-02", "--cutoff", CUTOFF, "--db", db_url]
    kpi1 = next(line for line in run(*common).splitlines() if line.startswith("1 "))
    # 1 098 days against the target of 1 000 from the 2023 baseline of 3 x 365 = 1 095:
    # achievement (1 095 - 1 098) / (1 095 - 1 000) = -3.2 %; expected two months into
    # the 24: 2/24 = 8.3 %.
    for shown in (f" 1{NBSP}098 ", f" 1{NBSP}000 ", f" -3,2{NBSP}% ", f" 8,3{NBSP}% "):
        assert shown in kpi1, (shown, kpi1)
    english = next(line for line in run(*common, "--lang", "en").splitlines()
                   if line.startswith("1 "))
    for shown in (" 1,098 ", " 1,000 ", " -3.2% ", " 8.3% "):
        assert shown in english, (shown, english)


def test_the_kpi_table_and_the_goals_json_keep_plain_numbers(db, db_url):
    three_long_waits(db)
    table = csv.DictReader(io.StringIO(run(
        "kpi", "--from", "2024-02", "--to", "2024-02", "--cutoff", CUTOFF, "--rolling",
        "--format", "csv", "--db", db_url)))
    row = next(r for r in table if (r["group_type"], r["sector"], r["kpi"])
               == ("community", "somatikk", "1"))
    assert row["value_12m"] == "1098"
    goals = json.loads(run("goals", "--month", "2024-02", "--cutoff", CUTOFF, "--format",
                           "json", "--db", db_url))
    assert goals[0]["value"] == 1098 and goals[0]["expected"] == 8.3


def test_the_snapshot_page_writes_occupancy_and_change_as_each_language_does(db, db_url):
    """Øya helsehus: 22 patients in 20 beds, 110 %. Trondheim: two patients now, one on
    Monday 4 March (the snapshot before Thursday 7 March)."""
    load_snapshot(db, [stay("t1", "pt1", admitted="2024-02-20", ready="2024-03-01"),
                       stay("t2", "pt2", admitted="2024-02-20", ready="2024-03-05")],
                  beds=[census("Øya helsehus", "2024-03-07 06:00", 20, 22)])
    add_cast(db)
    app = create_app(db_url)
    try:
        client = signed_in(app, "analyst")
        page = client.get("/snapshot?at=2024-03-07T08:00").text
        assert f"110,0{NBSP}%" in page
        assert "+1 (" in page  # the change since Monday, before "(siden …)"
        english = client.get("/snapshot?at=2024-03-07T08:00&lang=en").text
        assert "110.0%" in english
    finally:
        app.state.db.close()
