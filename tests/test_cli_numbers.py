"""`flyt kpi`, `flyt goals`, `flyt snapshot`: the contract's flags and formats."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from flyt.cli.main import cli
from tests.support.records import load, stay

CUTOFF = "2025-02-15"


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


def seed(db):
    # Ready 30 Jan 2024, discharged 2 Feb: 2 UKP days in January, 1 in February.
    load(db, stays=[
        stay("A", "p1", admitted="2024-01-20", ready="2024-01-30 10:00",
             discharged="2024-02-02 12:00", destination="hjem"),
        stay("B", "p2", municipality="5031", admitted="2024-01-02", ready="2024-01-05 09:00",
             discharged="2024-01-05 15:00", destination="dod"),
    ])


def test_kpi_csv_has_exactly_the_contract_columns_and_the_hand_counted_days(db, db_url):
    seed(db)
    out = run("kpi", "--from", "2024-01", "--to", "2024-02", "--cutoff", CUTOFF,
              "--format", "csv", "--db", db_url).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["month", "group_type", "group_id", "sector", "kpi", "value",
                             "numerator", "denominator", "preliminary"]
    jan = {(r["group_type"], r["group_id"], r["sector"], r["kpi"]): r for r in rows
           if r["month"] == "2024-01"}
    assert jan[("community", "all", "somatikk", "1")]["value"] == "2"
    assert jan[("community", "all", "somatikk", "1")]["denominator"] == ""
    assert jan[("municipality", "5031", "somatikk", "2")]["value"] == "100.0"  # 1 of 1
    assert jan[("municipality", "5031", "somatikk", "4")]["value"] == ""  # died: no value
    assert {r["month"] for r in rows} == {"2024-01", "2024-02"}


def test_kpi_json_xlsx_and_parquet_hold_the_same_rows(db, db_url, tmp_path):
    seed(db)
    common = ["--from", "2024-01", "--to", "2024-02", "--cutoff", CUTOFF, "--db", db_url]
    rows = json.loads(run("kpi", *common, "--format", "json").stdout)
    run("kpi", *common, "--format", "xlsx", "--output", str(tmp_path / "k.xlsx"))
    run("kpi", *common, "--format", "parquet", "--output", str(tmp_path / "k.parquet"))
    sheet = CalamineWorkbook.from_path(str(tmp_path / "k.xlsx")).get_sheet_by_index(0).to_python()
    table = pq.read_table(tmp_path / "k.parquet").to_pylist()
    assert len(sheet) - 1 == len(rows) == len(table)
    assert sheet[0] == list(rows[0])
    first = [r for r in table if r["kpi"] == 1 and r["group_id"] == "all"
             and r["sector"] == "somatikk" and r["month"] == "2024-01"]
    assert first[0]["value"] == 2


def test_kpi_rolling_adds_the_12_month_columns(db, db_url):
    seed(db)
    out = run("kpi", "--cutoff", CUTOFF, "--rolling", "--format", "json", "--db", db_url).stdout
    rows = json.loads(out)
    assert {"value_12m", "numerator_12m", "denominator_12m"} <= set(rows[0])


def test_goals_json_has_the_contract_keys(db, db_url):
    seed(db)
    out = run("goals", "--month", "2024-02", "--cutoff", CUTOFF, "--format", "json",
              "--db", db_url).stdout
    goals = json.loads(out)
    assert [g["kpi"] for g in goals] == [1, 2, 3, 4, 5, 6]
    assert set(goals[0]) == {"kpi", "sector", "group_type", "group_id", "baseline", "target",
                             "value", "achievement", "expected", "status"}
    # No 2023 data: no baseline, so no achievement and no status; expected 2/24 = 8.3 %.
    assert goals[0]["baseline"] is None and goals[0]["status"] is None
    assert goals[0]["expected"] == 8.3


def test_goals_for_a_month_outside_the_data_is_a_clear_error(db, db_url):
    seed(db)
    result = CliRunner().invoke(cli, ["goals", "--month", "2020-01", "--cutoff", CUTOFF,
                                      "--db", db_url])
    assert result.exit_code == 1 and "outside the data" in result.output


def test_a_bad_month_is_a_usage_error_not_a_traceback(db_url):
    result = CliRunner().invoke(cli, ["kpi", "--from", "2024-13", "--db", db_url])
    assert result.exit_code == 2 and "YYYY-MM" in result.output


def test_snapshot_json_counts_the_patient_waiting_at_the_moment(db, db_url):
    seed(db)
    out = run("snapshot", "--at", "2024-02-01T08:00", "--db", db_url).stdout
    snap = json.loads(out)
    assert (snap["total"], snap["at_hospital"], snap["utlokalisert"]) == (1, 1, 0)
    trondheim = [m for m in snap["municipalities"] if m["municipality"] == "5001"][0]
    assert trondheim["days_waited"] == 2  # 1 Feb - 30 Jan
