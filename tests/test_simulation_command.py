"""`flyt simulate`: the contract's columns in CSV and JSON, baseline/scenario/difference,
reproducible with a seed, clear errors for a bad period, a bad scenario and too little
history."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

from click.testing import CliRunner

from flyt.cli.main import cli
from tests.support.records import load, stay

COLUMNS = ["run", "group_type", "group_id", "measure", "mean", "lower", "upper"]
START = date(2022, 1, 1)


def invoke(db_url: str, *args: str):
    return CliRunner().invoke(cli, ["simulate", "--db", db_url, *args])


def seed(db) -> None:
    """Two years: in 5001 a patient ready every second day, home three days later; in
    5028 one a week, home the same day."""
    def at(day: int, hour: int) -> datetime:
        return datetime.combine(START + timedelta(days=day), datetime.min.time()).replace(
            hour=hour)

    stays = [stay(f"T{i}", ready=at(i, 10), discharged=at(i + 3, 12))
             for i in range(0, 730, 2)]
    stays += [stay(f"M{i}", municipality="5028", ready=at(i, 9), discharged=at(i, 15))
              for i in range(0, 730, 7)]
    load(db, stays)


def rows_of(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


def test_baseline_csv_in_the_contracts_columns(db, db_url):
    seed(db)
    db.close()
    result = invoke(db_url, "--from", "2024-01-01", "--to", "2024-03-31",
                    "--replications", "50")
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    assert list(rows[0]) == COLUMNS
    assert {r["run"] for r in rows} == {"baseline"}
    assert {r["measure"] for r in rows} == {"kpi1", "kpi2", "kpi3", "kpi6", "payment",
                                            "payment_rising"}
    got = {(r["group_type"], r["group_id"], r["measure"]): r for r in rows}
    # 5001: every stay 3 UKP days, none with 0; 5028: every stay 0 days. The shares are
    # shrunk towards the community's (20 stays' worth) and the wait's level is uncertain
    # by a year's change, so near, not exactly.
    assert abs(float(got[("municipality", "5001", "kpi3")]["mean"]) - 3.0) < 0.2
    assert float(got[("municipality", "5001", "kpi2")]["mean"]) < 3.0
    assert float(got[("municipality", "5028", "kpi2")]["mean"]) > 80.0
    kpi1 = got[("community", "all", "kpi1")]
    assert float(kpi1["lower"]) <= float(kpi1["mean"]) <= float(kpi1["upper"])
    assert 91 * 1.5 * 0.7 < float(kpi1["mean"]) < 91 * 1.5 * 1.3  # ~1 ready in 2 days x 3
    assert got[("community", "all", "kpi6")]["mean"] == ""  # no short-term stay: no value


def test_scenario_json_has_three_runs_and_the_same_seed_the_same_numbers(db, db_url,
                                                                          tmp_path):
    seed(db)
    db.close()
    scenario = tmp_path / "s.toml"
    scenario.write_text('[[change]]\nmunicipality = "5001"\nukp_wait = -0.5\n')
    args = ("--from", "2024-01-01", "--to", "2024-02-29", "--replications", "30",
            "--scenario", str(scenario), "--format", "json", "--seed", "5")
    first, again = invoke(db_url, *args), invoke(db_url, *args)
    assert first.exit_code == 0, first.output
    assert first.stdout == again.stdout
    records = json.loads(first.stdout)
    assert {r["run"] for r in records} == {"baseline", "scenario", "difference"}
    diff = next(r for r in records if r["run"] == "difference"
                and r["group_id"] == "5001" and r["measure"] == "kpi3")
    assert -2.0 <= diff["mean"] <= -1.0  # 3 days halved: 1 or 2 days, mean 1.5


def test_bad_scenario_period_and_short_history_are_said_clearly(db, db_url, tmp_path):
    seed(db)
    db.close()
    bad = tmp_path / "bad.toml"
    bad.write_text('[[change]]\nmunicipality = "9999"\narrivals = 0.1\n')
    result = invoke(db_url, "--from", "2024-01-01", "--to", "2024-01-31",
                    "--scenario", str(bad))
    assert result.exit_code == 1
    assert "9999" in result.output and "Traceback" not in result.output
    result = invoke(db_url, "--from", "2024-02-01", "--to", "2024-01-31")
    assert result.exit_code == 1 and "--to" in result.output
    result = invoke(db_url, "--from", "2022-06-01", "--to", "2022-12-31")
    assert result.exit_code == 1 and "For kort historikk" in result.output
