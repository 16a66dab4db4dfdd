"""What comes back from a bad file is safe to show: terminal escapes, other control
characters and bidi overrides are escaped, long values cut; text columns have a
maximum length and the source name a safe character set."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.ingest.echo import escape, shown
from flyt.ingest.parse import ParsedFile, Reference, parse_file
from tests.conftest import count
from tests.test_cli_import import db_url_db

KEY = b"test-key"
HEADER = "stay_id;patient_id;municipality;sector;admission_type;admitted_at;department"
GOOD = "S1;P1;5001;somatikk;akutt;01.02.2024;Medisinsk klinikk"
CLEAR_SCREEN = "\x1b[2J\x1b[31m"  # ESC [2J clears the terminal, ESC [31m turns it red
RIGHT_TO_LEFT = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: the rest of the line reads backwards


def stays(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "stays.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def parse(path: Path) -> ParsedFile:
    return parse_file("stays", path, reference=Reference.default(), pseudonym_key=KEY)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_escape_writes_control_format_and_separator_characters_as_escapes() -> None:
    assert escape("a\x1b[31mb") == "a\\x1b[31mb"
    assert escape("\x9b2J") == "\\x9b2J"  # C1: the one-byte CSI
    assert escape("ok\u202ekO\u2066x\u2069") == "ok\\u202ekO\\u2066x\\u2069"
    assert escape("line\nbreak\u2028") == "line\\x0abreak\\u2028"
    assert escape("Tromsø 5001 – ok") == "Tromsø 5001 – ok"
    assert escape(escape("\x1b")) == "\\x1b"  # twice is once


def test_shown_cuts_a_value_at_60_characters_without_splitting_an_escape() -> None:
    assert shown("x" * 60) == "x" * 60
    assert shown("x" * 61) == "x" * 60 + "…"
    cut = shown("x" * 58 + "\x1b" + "y")  # the escape (4 characters) does not fit
    assert cut == "x" * 58 + "…"


def test_it_escapes_terminal_escapes_and_bidi_overrides_in_row_errors(tmp_path: Path) -> None:
    bad = GOOD.replace("5001", f"{CLEAR_SCREEN}5001").replace("somatikk",
                                                               f"soma{RIGHT_TO_LEFT}tikk")
    parsed = parse(stays(tmp_path, bad))
    shown_text = repr([(e.value, e.reason) for e in parsed.errors])
    assert {e.column for e in parsed.errors} == {"municipality", "sector"}
    assert "\x1b" not in shown_text and RIGHT_TO_LEFT not in shown_text
    municipality = next(e for e in parsed.errors if e.column == "municipality")
    assert municipality.value == "\\x1b[2J\\x1b[31m5001"
    assert "\\x1b[2J" in municipality.reason


def test_the_cli_listing_and_its_json_hold_no_raw_escape(tmp_path: Path, db_url: str) -> None:
    path = stays(tmp_path, GOOD.replace("5001", f"{CLEAR_SCREEN}5001") + ";x",
                 header=HEADER + f";{CLEAR_SCREEN}extra")
    code, out = run("import", "stays", str(path), "--db", db_url)
    assert code == 1 and "REJECTED" in out
    assert "\x1b" not in out
    assert "(value '\\x1b[2J\\x1b[31m5001')" in out
    assert "unknown column '\\x1b[2J\\x1b[31mextra' ignored" in out
    code, out = run("import", "stays", str(path), "--db", db_url, "--format", "json")
    report = json.loads(out)
    assert "\x1b" not in json.dumps(report, ensure_ascii=False)
    assert report["errors"][0]["value"] == "\\x1b[2J\\x1b[31m5001"


def test_an_echoed_value_is_cut_at_60_characters(tmp_path: Path) -> None:
    long_code = "5" * 500
    [error] = parse(stays(tmp_path, GOOD.replace("5001", long_code))).errors
    assert error.value == "5" * 60 + "…"
    assert len(error.reason) < 120


def test_it_refuses_text_longer_than_its_column_allows(tmp_path: Path) -> None:
    rows = [GOOD.replace("S1", "S" * 65),
            GOOD.replace("S1", "S2").replace("P1", "P" * 129),
            GOOD.replace("S1", "S3").replace("Medisinsk klinikk", "M" * 201),
            GOOD.replace("S1", "S" * 64).replace("P1", "P" * 128)
            .replace("Medisinsk klinikk", "M" * 200)]  # exactly at the limits: fine
    parsed = parse(stays(tmp_path, *rows))
    assert [(e.row, e.column, e.reason) for e in parsed.errors] == [
        (2, "stay_id", "stay_id has 65 characters; at most 64 are allowed"),
        (3, "patient_id", "patient_id has 129 characters; at most 128 are allowed"),
        (4, "department", "department has 201 characters; at most 200 are allowed"),
    ]
    assert parsed.errors[0].value == "S" * 60 + "…"


def test_it_refuses_a_source_name_outside_the_safe_characters(tmp_path: Path,
                                                              db_url: str) -> None:
    path = stays(tmp_path, GOOD)
    for source in ("demo data", "x;rm -rf", f"{CLEAR_SCREEN}evil", "a" * 65, ""):
        code, out = run("import", "stays", str(path), "--db", db_url, "--source", source)
        assert code != 0, source
        assert "source name" in out and "letters, digits" in out, out
        assert "\x1b" not in out and "Traceback" not in out
    assert count(db_url_db(db_url), "stays") == 0
    code, out = run("import", "stays", str(path), "--db", db_url, "--source", "Helse-Møre_2.0")
    assert code == 0, out
