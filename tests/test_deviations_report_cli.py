"""``flyt report deviations``: the CSV is the function's table, XLSX keeps text as text,
and a bad year, tertial or missing --output is one clear line with nothing written."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.deviations.report import COLUMNS, rows
from flyt.domain import clock
from tests.test_deviations_report import YEAR_2024, seed


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 12, 10, 10, 0, 0))


def invoke(*args: str):
    return CliRunner().invoke(cli, ["report", "deviations", *args])


def test_the_csv_on_standard_output_is_the_functions_table(db, db_url, at):
    seed(db)
    result = invoke("--year", "2024", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "year,period,dimension,value,count"
    found = list(csv.DictReader(io.StringIO(result.stdout)))
    assert found == [{k: str(v) for k, v in r.items()} for r in rows(db, 2024)]
    assert [(r["dimension"], r["value"], int(r["count"])) for r in found] == YEAR_2024
    assert {(r["year"], r["period"]) for r in found} == {("2024", "2024")}


def test_a_tertial_names_its_period(db, db_url, at):
    seed(db)
    result = invoke("--year", "2024", "--tertial", "3", "--db", db_url)
    assert result.exit_code == 0, result.output
    found = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["period"] for r in found} == {"2024-T3"}
    assert found[0] == {"year": "2024", "period": "2024-T3", "dimension": "total",
                        "value": "alle", "count": "1"}


def test_an_empty_year_writes_the_header_alone(db, db_url, at):
    seed(db)
    result = invoke("--year", "2022", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert result.stdout == "year,period,dimension,value,count\n"


def test_the_xlsx_holds_the_same_rows_with_codes_as_text(db, db_url, at, tmp_path: Path):
    seed(db)
    target = tmp_path / "avvik.xlsx"
    result = invoke("--year", "2024", "--format", "xlsx", "--output", str(target),
                    "--db", db_url)
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(target).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == COLUMNS
    assert [(d, v, c) for _, _, d, v, c in values[1:]] == YEAR_2024
    assert values[1][:2] == (2024, "2024")


@pytest.mark.parametrize(("args", "message"), [
    (["--year", "24"], "Ugyldig år «24»: oppgi et firesifret år fra 1900 til 2999."),
    (["--year", "abcd"], "Ugyldig år «abcd»"),
    (["--year", "1899"], "Ugyldig år «1899»"),
    (["--year", "2024", "--tertial", "4"], "Ugyldig tertial «4»: oppgi 1 (januar–april), "
                                           "2 (mai–august) eller 3 (september–desember)."),
    (["--year", "2024", "--tertial", "T2", "--lang", "en"], 'Invalid tertial "T2"'),
    (["--year", "2024", "--format", "xlsx"], "--format xlsx skriver en fil: oppgi den med "
                                             "--output FIL."),
])
def test_a_bad_year_tertial_or_missing_output_is_one_clear_line(args, message, tmp_path):
    result = invoke(*args, "--db", str(tmp_path / "flyt.duckdb"))
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "flyt.duckdb").exists()  # refused before the store is opened
