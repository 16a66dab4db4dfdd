"""`flyt deviations export` on both engines: every deviation in the import's columns, an
export that imports back unchanged (CSV and XLSX), and text that stays text."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.deviations import records
from flyt.deviations.records import NewDeviation
from flyt.domain import clock
from flyt.store.db import Database

FORMULA = '=HYPERLINK("http://x","klikk")'


@pytest.fixture
def filled(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Two deviations made in Flyt (one answered, one with a formula-looking summary)."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 11, 21, 8, 5, 0))
    db = Database.open(db_url)
    first = records.create(db, NewDeviation(
        reporter_org="5001", receiver_orgs=["stolav", "fastlege-5001"],
        occurred_at=datetime(2024, 11, 20, 14, 30), category="utskrivning",
        severity="Moderat skade", level="pasient", summary="Utskrevet uten legemiddelliste",
        place="Øya helsehus", patient_ref="pas-117", anonymous=True), user_id=None)
    records.transition(db, first.id, "mottatt", version=1, organisation="stolav",
                       user_id=None)
    records.create(db, NewDeviation(
        reporter_org="stolav", receiver_orgs=["5031"], occurred_at=date(2024, 12, 3),
        category="avtalebrudd", severity="ingen_skade", level="system",
        agreement_clause="tjenesteavtale 3 §4.2", summary=FORMULA,
        description="- ingen melding\n- ingen svar"), user_id=None)
    return db_url


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def export(db_url: str, fmt: str, path: Path) -> None:
    code, out = run("deviations", "export", "--format", fmt, "--output", str(path),
                    "--db", db_url)
    assert code == 0, out


def test_the_csv_export_holds_every_deviation_with_receivers_and_status(filled, tmp_path):
    path = tmp_path / "avvik.csv"
    export(filled, "csv", path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [(r["id"], r["source_id"], r["receiver_org"], r["status"]) for r in rows] == [
        ("AV-2024-00001", "AV-2024-00001", "fastlege-5001;stolav", "mottatt"),
        ("AV-2024-00002", "AV-2024-00002", "5031", "meldt")]
    assert (rows[0]["occurred_at"], rows[0]["reported_at"]) == ("2024-11-20T14:30",
                                                                "2024-11-21T08:05")
    assert (rows[1]["occurred_at"], rows[0]["severity"], rows[0]["anonymous"]) == (
        "2024-12-03", "moderat_skade", "true")
    assert rows[1]["summary"] == "'" + FORMULA  # text, not a live formula
    assert rows[1]["description"] == "'- ingen melding\n- ingen svar"


def test_an_xlsx_export_keeps_a_formula_looking_summary_as_text(filled, tmp_path):
    path = tmp_path / "avvik.xlsx"
    export(filled, "xlsx", path)
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet
    assert f"<t>{FORMULA}</t>" in strings


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(filled, tmp_path, fmt):
    first = tmp_path / f"first.{fmt}"
    export(filled, fmt, first)
    again = f"duckdb:///{tmp_path / 'again.duckdb'}"
    code, out = run("deviations", "import", str(first), "--source", "flyt", "--db", again)
    assert code == 0, out
    assert "2 new" in out
    second = tmp_path / f"second.{fmt}"
    export(again, fmt, second)
    if fmt == "csv":
        assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    code, out = run("deviations", "import", str(second), "--source", "flyt", "--db", again)
    assert "nothing changed" in out
    back = records.get(Database.open(again), "AV-2024-00002")
    assert (back.summary, back.description) == (FORMULA, "- ingen melding\n- ingen svar")
    assert (back.source, back.source_id, back.status) == ("flyt", "AV-2024-00002", "meldt")


def test_the_json_export_lists_receivers_as_a_list(filled, tmp_path):
    path = tmp_path / "avvik.json"
    export(filled, "json", path)
    items = json.loads(path.read_text(encoding="utf-8"))
    assert [i["receiver_org"] for i in items] == [["fastlege-5001", "stolav"], ["5031"]]
    assert (items[0]["anonymous"], items[0]["patient_ref"]) == (True, "pas-117")
