"""`flyt deviations import` end to end on both engines: a list in Norwegian Excel habits,
every bad row listed with nothing stored, a re-import that changes nothing, a changed row
that updates its deviation, XLSX, and hostile files refused with one clear line."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
import xlsxwriter
from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.deviations import records
from flyt.plo.build import synthetic_fnr
from flyt.store import schema
from flyt.store.db import Database

HEADER = ("source_id;reporter_org;receiver_org;occurred_at;reported_at;category;severity;"
          "level;agreement_clause;status;summary;Place;ekstra")
GOOD = [
    'EQS-1;5001;"stolav;fastlege-5001";20.11.2024 14:30;21.11.2024 08:05;utskrivning;'
    "Moderat skade;pasient;;meldt;Utskrevet uten legemiddelliste;Øya helsehus;x",
    "EQS-2;stolav;5031;03.12.2024;04.12.2024;avtalebrudd;DØD;SYSTEM;"
    "tjenesteavtale 3 §4.2;Besvart;Ingen melding om utskrivningsklar pasient;;",
]


def write(tmp_path: Path, lines: list[str], name: str = "avvik.csv",
          header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text("\ufeff" + header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def stored(db_url: str) -> list[records.Deviation]:
    db = Database.open(db_url)
    with db.engine.connect() as conn:
        ids = conn.execute(sa.select(schema.deviations.c.id)
                           .order_by(schema.deviations.c.id)).scalars().all()
    return [records.get(db, i) for i in ids]


def test_it_imports_a_list_in_norwegian_excel_habits(tmp_path, db_url):
    code, out = run("deviations", "import", str(write(tmp_path, GOOD)), "--source", "eqs",
                    "--db", db_url)
    assert code == 0, out
    assert "2 new, 0 updated, 0 unchanged" in out
    assert "unknown column 'ekstra' ignored" in out
    first, second = stored(db_url)
    assert first.id == "AV-2024-00001"
    assert (first.source, first.source_id) == ("eqs", "EQS-1")
    assert first.receiver_orgs == ("fastlege-5001", "stolav")
    assert (first.occurred_at, first.occurred_has_time) == (datetime(2024, 11, 20, 14, 30),
                                                            True)
    assert first.reported_at == datetime(2024, 11, 21, 8, 5)
    assert (first.severity, first.status, first.place) == ("moderat_skade", "meldt",
                                                           "Øya helsehus")
    assert first.reported_by is None
    assert (second.occurred_has_time, second.occurred_at) == (False, datetime(2024, 12, 3))
    assert (second.severity, second.level, second.status) == ("dod", "system", "besvart")
    assert second.agreement_clause == "tjenesteavtale 3 §4.2"
    assert [(e.version, e.from_status, e.to_status, e.comment) for e in second.history] == [
        (1, None, "besvart", "imported")]


def test_every_bad_row_is_listed_at_once_and_nothing_is_stored(tmp_path, db_url):
    number = synthetic_fnr()
    bad = [
        GOOD[0],
        "B-1;9999;stolav;31.02.2024;01.03.2024;utskrivning;litt skade;pasient;;meldt;Tekst;;",
        "B-2;5001;5001;20.11.2024;21.11.2024;fly;ingen_skade;system;;ferdig;;;",
        f"B-3;5001;stolav;20.11.2024;21.11.2024;transport;ingen skade;pasient;;meldt;{'x' * 501};;",
        "EQS-1;5001;stolav;20.11.2024;21.11.2024;transport;ingen skade;pasient;;meldt;Igjen;;",
    ]
    path = write(tmp_path, bad, header=HEADER.replace(";ekstra", ";patient_ref"))
    text = path.read_text(encoding="utf-8").replace(
        "B-3;5001;stolav;20.11.2024;21.11.2024;transport;ingen skade;pasient;;meldt;" + "x" * 501
        + ";;", "B-3;5001;stolav;20.11.2024;21.11.2024;transport;ingen skade;pasient;;meldt;"
        + "x" * 501 + f";;{number}")
    path.write_text(text, encoding="utf-8")
    code, out = run("deviations", "import", str(path), "--format", "json", "--db", db_url)
    assert code == 1
    report = json.loads(out[: out.rindex("}") + 1])
    problems = {(e["row"], e["column"]) for e in report["errors"]}
    assert problems == {
        (3, "reporter_org"), (3, "occurred_at"), (3, "severity"),
        (4, "receiver_org"), (4, "category"), (4, "status"), (4, "agreement_clause"),
        (4, "summary"),
        (5, "summary"), (5, "patient_ref"),
        (6, "source_id"),
    }
    assert number not in out
    assert "too long: 501 characters (at most 500)" in out
    assert "the same source_id as row 2" in out
    assert stored(db_url) == []


def test_the_same_file_again_changes_nothing_and_says_so(tmp_path, db_url):
    path = write(tmp_path, GOOD)
    assert run("deviations", "import", str(path), "--db", db_url)[0] == 0
    before = stored(db_url)
    code, out = run("deviations", "import", str(path), "--db", db_url)
    assert code == 0, out
    assert "all were stored already, nothing changed" in out
    assert stored(db_url) == before


def test_a_changed_row_updates_its_deviation_and_a_changed_reporter_is_refused(tmp_path,
                                                                               db_url):
    assert run("deviations", "import", str(write(tmp_path, GOOD)), "--db", db_url)[0] == 0
    changed = [GOOD[0].replace("Moderat skade", "mindre skade").replace(
        '"stolav;fastlege-5001"', "stolav").replace(";meldt;", ";mottatt;"), GOOD[1]]
    code, out = run("deviations", "import", str(write(tmp_path, changed)), "--db", db_url)
    assert code == 0, out
    assert "0 new, 1 updated, 1 unchanged" in out
    first = stored(db_url)[0]
    assert (first.severity, first.receiver_orgs, first.status, first.version) == (
        "mindre_skade", ("stolav",), "mottatt", 2)
    assert [(e.from_status, e.to_status) for e in first.history] == [
        (None, "meldt"), ("meldt", "mottatt")]
    moved = [GOOD[0].replace("EQS-1;5001;", "EQS-1;5031;")]
    code, out = run("deviations", "import", str(write(tmp_path, moved)), "--db", db_url)
    assert code == 1
    assert "row 2, reporter_org" in out and "cannot change on a re-import" in out
    assert stored(db_url)[0].reporter_org == "5001"


def test_an_xlsx_list_imports_like_the_csv(tmp_path, db_url):
    path = tmp_path / "avvik.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Avvik")
    sheet.write_row(0, 0, HEADER.split(";"))
    sheet.write_row(1, 0, ["X-1", 5001, "stolav"])
    sheet.write_datetime(1, 3, datetime(2024, 11, 20, 14, 30),
                         book.add_format({"num_format": "dd.mm.yyyy hh:mm"}))
    sheet.write_row(1, 4, ["21.11.2024", "legemidler", "ingen_skade", "pasient", None,
                           "meldt", "Feil legemiddelliste"])
    book.close()
    code, out = run("deviations", "import", str(path), "--db", db_url)
    assert code == 0, out
    (item,) = stored(db_url)
    assert (item.source, item.source_id, item.reporter_org) == ("import", "X-1", "5001")
    assert item.occurred_at == datetime(2024, 11, 20, 14, 30)
    assert item.reported_at == datetime(2024, 11, 21)


def test_a_file_without_a_required_column_is_refused_in_one_line(tmp_path, db_url):
    path = write(tmp_path, ["EQS-1;5001"], header="source_id;reporter_org")
    code, out = run("deviations", "import", str(path), "--db", db_url)
    assert code == 1
    assert "lacks the columns: receiver_org, occurred_at, reported_at" in out
    assert "Traceback" not in out


def test_hostile_sizes_are_refused_with_a_clear_message(tmp_path, db_url):
    rows = [GOOD[0].replace("EQS-1", f"EQS-{i}") for i in range(100_001)]
    code, out = run("deviations", "import", str(write(tmp_path, rows)), "--db", db_url)
    assert code == 1
    assert "more than 100,000 rows" in out
    path = tmp_path / "wide.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet().write(1_048_575, 16_383, "x")
    book.close()
    code, out = run("deviations", "import", str(path), "--db", db_url)
    assert code == 1
    assert "Traceback" not in out and out.strip().count("\n") == 0
    assert stored(db_url) == []


def test_a_national_id_in_free_text_is_a_warning_without_the_number(tmp_path, db_url):
    number = synthetic_fnr()
    row = GOOD[0].replace("Utskrevet uten legemiddelliste", f"Pasient {number} utskrevet")
    code, out = run("deviations", "import", str(write(tmp_path, [row])), "--db", db_url)
    assert code == 0, out
    assert "row 2, summary: the text looks like it holds a national identity number" in out
    assert number not in out
    assert len(stored(db_url)) == 1


def test_a_step_taken_while_the_file_is_checked_is_not_overwritten(tmp_path, db_url,
                                                                   monkeypatch):
    from flyt.deviations import importing

    assert run("deviations", "import", str(write(tmp_path, GOOD)), "--db", db_url)[0] == 0
    db = Database.open(db_url)
    read = importing.stored_of

    def read_then_acknowledge(db_: Database, source: str):
        found = read(db_, source)
        records.transition(db, "AV-2024-00001", "mottatt", version=1,
                           organisation="stolav", user_id=None)
        return found

    monkeypatch.setattr(importing, "stored_of", read_then_acknowledge)
    changed = [GOOD[0].replace("Moderat skade", "mindre skade"), GOOD[1]]
    code, out = run("deviations", "import", str(write(tmp_path, changed)), "--db", db_url)
    assert code == 1
    assert "Deviation AV-2024-00001 was changed while the file was checked" in out
    first = stored(db_url)[0]
    assert (first.severity, first.status, first.version) == ("moderat_skade", "mottatt", 2)
