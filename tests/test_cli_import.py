"""`flyt import …` end to end: files in, report out, all or nothing, idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flyt.cli.main import cli
from tests.conftest import count

HEADER = ("stay_id;patient_id;municipality;sector;admission_type;admitted_at;ready_at;"
          "discharged_at;discharge_destination\n")
GOOD = [
    "S1;P1;5001;somatikk;akutt;30.01.2024 10:00;30.01.2024 12:00;02.02.2024 09:00;hjem",
    "S2;P2;5031;psykisk_helsevern;planlagt;01.02.2024;;;",
]


def write(tmp_path: Path, name: str, lines: list[str], header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text("\ufeff" + header + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_it_imports_a_norwegian_excel_csv_and_says_what_it_accepted(tmp_path, db_url):
    code, out = run("import", "stays", str(write(tmp_path, "s.csv", GOOD)), "--db", db_url)
    assert code == 0, out
    assert "read 2 rows, accepted 2 (2 new, 0 updated, 0 unchanged), rejected 0" in out


def test_the_same_file_twice_changes_nothing_and_a_newer_extract_updates(tmp_path, db_url):
    path = write(tmp_path, "s.csv", GOOD)
    run("import", "stays", str(path), "--db", db_url)
    code, out = run("import", "stays", str(path), "--db", db_url, "--format", "json")
    report = json.loads(out)
    assert code == 0 and (report["new"], report["unchanged"]) == (0, 2)
    newer = [GOOD[0], "S2;P2;5031;psykisk_helsevern;planlagt;01.02.2024;;05.02.2024 10:00;hjem"]
    code, out = run("import", "stays", str(write(tmp_path, "s2.csv", newer)), "--db", db_url,
                    "--format", "json")
    report = json.loads(out)
    assert (report["new"], report["updated"], report["unchanged"]) == (0, 1, 1)


def test_a_file_with_bad_rows_is_rejected_whole_with_every_bad_row_named(tmp_path, db_url):
    bad = [GOOD[0],
           "S2;P2;5099;somatikk;akutt;01.02.2024;;;",  # unknown municipality
           "S3;P3;5001;somatikk;akutt;05.02.2024;;01.02.2024 10:00;hjem"]  # discharged first
    code, out = run("import", "stays", str(write(tmp_path, "bad.csv", bad)), "--db", db_url,
                    "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert report["status"] == "rejected" and report["accepted"] == 0
    rows = {(e["row"], e["column"]) for e in report["errors"]}
    assert (3, "municipality") in rows
    assert any(row == 4 for row, _ in rows)
    assert count(db_url_db(db_url), "stays") == 0


def db_url_db(url: str):
    from flyt.store.db import Database

    return Database.open(url)


def test_a_rejected_import_prints_plain_words_and_no_traceback(tmp_path, db_url):
    bad = ["S1;P1;5001;somatikk;akutt;32.01.2024;;;"]
    code, out = run("import", "stays", str(write(tmp_path, "bad.csv", bad)), "--db", db_url)
    assert code == 1
    assert "REJECTED" in out and "row 2, column admitted_at" in out
    assert "Traceback" not in out


def test_a_missing_file_gives_a_clear_message(tmp_path, db_url):
    code, out = run("import", "stays", str(tmp_path / "nope.csv"), "--db", db_url)
    assert code != 0 and "no such file" in out


def test_a_file_of_another_kind_is_rejected(tmp_path, db_url):
    beds = write(tmp_path, "beds.csv", ["Røros sykehus;04.03.2024 08:00;8;7"],
                 header="unit;at;available;occupied\n")
    code, out = run("import", "stays", str(beds), "--db", db_url)
    assert code == 1 and "REJECTED" in out
    assert count(db_url_db(db_url), "stays") == 0


def test_periods_of_an_unknown_stay_are_rejected(tmp_path, db_url):
    path = write(tmp_path, "p.csv", ["NOPE;2024-01-30T10:00;"],
                 header="stay_id,ready_from,ready_to\n")
    path.write_text(path.read_text(encoding="utf-8").replace(";", ","), encoding="utf-8")
    code, out = run("import", "ukp-periods", str(path), "--db", db_url, "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert report["errors"][0]["column"] == "stay_id"
    assert "unknown stay_id" in report["errors"][0]["reason"]


@pytest.mark.parametrize("bad_url", ["postgresql://nobody:wrong@127.0.0.1:1/none"])
def test_an_unreachable_database_gives_one_line(bad_url, tmp_path):
    code, out = run("kpi", "--db", bad_url)
    assert code != 0 and "cannot open the database" in out and "wrong" not in out
