"""Files built to exhaust memory are refused before they are read ([ingest] limits):
XLSX bombs, sheets that inflate a thousandfold, CSV with endless lines or rows.

The bombs go through a real `flyt` process with a memory cap: before the fix, the
first one made calamine ask for 512 GiB and abort the process."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from flyt.ingest.errors import InputError
from flyt.ingest.limits import DEFAULT, Limits, limits
from flyt.ingest.parse import ParsedFile, Reference, parse_file
from tests.conftest import count
from tests.support.config import configure
from tests.support.xlsx import text_cell, understate_size, workbook
from tests.test_cli_import import db_url_db, run

KEY = b"test-key"
HEADER_CELLS = ("stay_id", "patient_id", "municipality", "sector", "admission_type",
                "admitted_at")
MEMORY_CAP = 4 << 30  # the whole `flyt` process, address space


def header_row(row: int = 1) -> str:
    cells = "".join(text_cell(f"{chr(65 + i)}{row}", name) for i, name in enumerate(HEADER_CELLS))
    return f'<row r="{row}">{cells}</row>'


def stay_row(row: int) -> str:
    values = (f"S{row}", f"P{row}", "5001", "somatikk", "akutt", "01.02.2024")
    cells = "".join(text_cell(f"{chr(65 + i)}{row}", v) for i, v in enumerate(values))
    return f'<row r="{row}">{cells}</row>'


def parse(path: Path, limits: Limits = DEFAULT, kind: str = "stays") -> ParsedFile:
    return parse_file(kind, path, reference=Reference.default(), pseudonym_key=KEY,
                      limits=limits)


def refusal(path: Path, limits: Limits = DEFAULT) -> str:
    with pytest.raises(InputError) as refused:
        parse(path, limits)
    return refused.value.message


def flyt(*args: str) -> subprocess.CompletedProcess[str]:
    """`flyt …` in its own process, its memory capped: a bomb that got through kills it."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    return subprocess.run([sys.executable, "-m", "flyt", *args], capture_output=True, text=True,
                          timeout=300, preexec_fn=cap, env=dict(os.environ), check=False)


# --- the two XLSX bombs, through the command line -----------------------------------


def test_a_2_kb_xlsx_with_a_cell_at_xfd1048576_is_refused_in_one_line(tmp_path: Path,
                                                                     db_url: str) -> None:
    bomb = tmp_path / "stays.xlsx"
    bomb.write_bytes(workbook(header_row() + '<row r="1048576"><c r="XFD1048576"><v>1</v></c>'
                              "</row>", dimension="A1:XFD1048576"))
    assert bomb.stat().st_size < 2500
    started = time.perf_counter()
    done = flyt("import", "stays", str(bomb), "--db", db_url)
    assert time.perf_counter() - started < 60
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr
    [line] = [x for x in done.stderr.splitlines() if "REJECTED" in x]
    assert "cell XFD1048576" in line and "1,048,576 rows, 16,384 columns" in line
    assert count(db_url_db(db_url), "stays") == 0


def test_a_highly_compressed_sheet_is_refused_before_it_is_inflated(tmp_path: Path,
                                                                    db_url: str) -> None:
    row = "<row>" + "<c><v>1</v></c>" * 16 + "</row>"  # no references: the smallest cells
    bomb = tmp_path / "stays.xlsx"
    bomb.write_bytes(workbook(header_row() + row * 200_000))  # 50 MB of XML
    assert bomb.stat().st_size < 300_000  # a ratio of about 250
    started = time.perf_counter()
    done = flyt("import", "stays", str(bomb), "--db", db_url, "--format", "json")
    assert time.perf_counter() - started < 60
    assert done.returncode == 1, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["status"] == "rejected"
    assert "xl/worksheets/sheet1.xml" in report["message"]
    assert "at most 100 times" in report["message"]


# --- what the XLSX inspection looks at -------------------------------------------------


def test_a_declared_dimension_beyond_the_limits_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "stays.xlsx"
    path.write_bytes(workbook(header_row() + stay_row(2), dimension="A1:Z30000"))
    message = refusal(path, Limits(max_cells=100_000))
    assert message.startswith("the sheet 'Ark1' declares that it reaches cell Z30000")
    assert "(30,000 rows, 26 columns)" in message


def test_a_cell_beyond_the_limits_is_refused_without_a_dimension(tmp_path: Path) -> None:
    path = tmp_path / "stays.xlsx"
    path.write_bytes(workbook(header_row() + stay_row(2) + '<row r="3"><c r="GS3"><v>1</v></c>'
                              "</row>"))
    message = refusal(path, Limits(max_columns=200))
    assert message.startswith("the sheet 'Ark1' reaches cell GS3 (3 rows, 201 columns)")


def test_a_far_cell_written_before_the_others_is_found(tmp_path: Path) -> None:
    far = '<row r="900"><c r="a900"><v>1</v></c></row>'  # lower case: calamine takes it too
    path = tmp_path / "stays.xlsx"
    path.write_bytes(workbook(far + header_row() + stay_row(2)))
    assert "reaches cell F900 (900 rows, 6 columns)" in refusal(path, Limits(max_rows=500))


def test_cells_without_references_are_placed_as_the_reader_places_them(tmp_path: Path) -> None:
    wide = '<row r="3">' + "<c><v>1</v></c>" * 300 + "</row>"  # columns 1 to 300
    path = tmp_path / "stays.xlsx"
    path.write_bytes(workbook(header_row() + stay_row(2) + wide))
    # Refused at the first cell beyond the limit: column 201 (GS).
    assert "reaches cell GS3 (3 rows, 201 columns)" in refusal(path, Limits(max_columns=200))
    rows = "<row><c><v>1</v></c></row>" * 600  # rows 3 to 602, each one cell in column A
    path.write_bytes(workbook(header_row() + stay_row(2) + rows))
    assert "reaches cell F502 (502 rows, 6 columns)" in refusal(path, Limits(max_rows=500))


def test_more_cells_than_the_limit_are_refused_as_they_are_counted(tmp_path: Path) -> None:
    cells = "".join(f"<row>{'<c><v>1</v></c>' * 6}</row>" for _ in range(300))
    path = tmp_path / "stays.xlsx"
    path.write_bytes(workbook(header_row() + cells))
    message = refusal(path, Limits(max_cells=1000))  # 1 806 cells, none beyond column F
    assert message == "the sheet 'Ark1' has 1,806 cells or more; at most 1,000 are read from " \
        "an XLSX sheet (save bigger extracts as CSV)"


def test_a_zip_that_understates_a_part_size_is_refused(tmp_path: Path) -> None:
    data = workbook(header_row() + "".join(stay_row(r) for r in range(2, 400)))
    path = tmp_path / "stays.xlsx"
    path.write_bytes(understate_size(data, "xl/worksheets/sheet1.xml", 1000))
    message = refusal(path)
    assert message.startswith("this is not a readable XLSX file (Bad CRC-32")


def test_a_workbook_with_a_dtd_or_two_parts_of_one_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "stays.xlsx"
    laughs = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    path.write_bytes(workbook(header_row(), extra={"xl/custom.xml": laughs}))
    assert "holds a DTD" in refusal(path)
    data = workbook(header_row())
    with zipfile.ZipFile(path, "w") as twice:
        for info in zipfile.ZipFile(__import__("io").BytesIO(data)).infolist():
            twice.writestr(info.filename, zipfile.ZipFile(__import__("io").BytesIO(data))
                           .read(info.filename))
        with pytest.warns(UserWarning):  # zipfile itself warns of the duplicate name
            twice.writestr("xl/worksheets/sheet1.xml", b"<worksheet/>")
    assert "two parts with the same name" in refusal(path)


def test_a_spreadsheet_programs_workbook_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "stays.xlsx"
    path.write_bytes(workbook(header_row() + stay_row(2) + stay_row(3), dimension="A1:F3"))
    parsed = parse(path)
    assert parsed.errors == []
    assert parsed.table.column("stay_id").to_pylist() == ["S2", "S3"]


# --- CSV while it streams -------------------------------------------------------------

HEADER = ";".join(HEADER_CELLS)


def csv_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "stays.csv"
    path.write_text(text, encoding="utf-8")
    return path


def stay_line(i: int) -> str:
    return f"S{i};P{i};5001;somatikk;akutt;01.02.2024"


def test_a_csv_file_larger_than_max_file_bytes_is_refused_before_it_is_read(
    tmp_path: Path,
) -> None:
    path = csv_file(tmp_path, HEADER + "\n" + "\n".join(stay_line(i) for i in range(100)))
    assert refusal(path, Limits(max_file_bytes=2 << 10)).startswith("the file has 0 MB; at most")


def test_more_rows_than_max_rows_are_refused(tmp_path: Path) -> None:
    path = csv_file(tmp_path, HEADER + "\n" + "\n".join(stay_line(i) for i in range(11)) + "\n")
    assert refusal(path, Limits(max_rows=10)) == "the file has more than 10 rows"
    assert parse(path, Limits(max_rows=11)).errors == []


def test_a_record_longer_than_max_record_bytes_is_refused_with_its_row(tmp_path: Path) -> None:
    lines = [stay_line(i) for i in range(5)]
    lines[3] += ";" + "x" * 2000
    path = csv_file(tmp_path, HEADER + "\n" + "\n".join(lines) + "\n")
    assert refusal(path, Limits(max_record_bytes=1024)) == "row 5 is longer than 1 KB"


def test_a_file_without_line_breaks_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = csv_file(tmp_path, HEADER + "\n" + "x" * (3 << 20))
    assert refusal(path, Limits(max_record_bytes=1 << 20)) == "row 2 is longer than 1,024 KB"
    path = csv_file(tmp_path, "y" * (20 << 20))
    assert refusal(path, Limits(max_record_bytes=1 << 20)) == "row 1 is longer than 1,024 KB"


def test_a_header_with_too_many_columns_is_refused(tmp_path: Path) -> None:
    path = csv_file(tmp_path, HEADER + ";" + ";".join(f"x{i}" for i in range(200)) + "\n"
                    + stay_line(1) + "\n")
    assert refusal(path) == "the header has 206 columns; at most 200 are read"


def test_a_cell_longer_than_max_text_length_is_a_row_error(tmp_path: Path) -> None:
    path = csv_file(tmp_path, HEADER + ";comment\n" + stay_line(1) + ";" + "z" * 150 + "\n"
                    + stay_line(2) + ";short\n")
    parsed = parse(path, Limits(max_text_length=100))
    [error] = parsed.errors
    assert (error.row, error.column, error.reason) == (
        2, "comment", "the cell has 150 characters; at most 100 are read")
    assert error.value == "z" * 60 + "…"
    assert error.reason_in("nb") == "Cellen har 150 tegn; høyst 100 leses"


# --- the configuration ----------------------------------------------------------------


def test_the_limits_come_from_the_ingest_section_of_the_configuration() -> None:
    assert limits({}) == Limits()
    assert limits({"ingest": {"max_rows": 5, "max_cells": 7}}) == Limits(max_rows=5, max_cells=7)
    with pytest.raises(ValueError, match=r"unknown key \[ingest\] max_row "):
        limits({"ingest": {"max_row": 5}})
    with pytest.raises(ValueError, match=r"\[ingest\] max_rows must be a whole number above 0"):
        limits({"ingest": {"max_rows": 0}})
    with pytest.raises(ValueError, match="must be a whole number"):
        limits({"ingest": {"max_rows": "many"}})


def test_the_command_line_reads_the_limits_from_the_configuration_file(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = configure(tmp_path, monkeypatch, "[ingest]\nmax_rows = 2\nmax_error_details = 3\n")
    path = csv_file(tmp_path, HEADER + "\n" + "\n".join(stay_line(i) for i in range(3)) + "\n")
    code, out = run("import", "stays", str(path), "--db", db_url)
    assert code == 1 and "the file has more than 2 rows" in out
    config.write_text("[ingest]\nmax_rows = -1\n", encoding="utf-8")
    code, out = run("import", "stays", str(path), "--db", db_url)
    assert code == 1 and "max_rows must be a whole number above 0" in out
    assert "Traceback" not in out


# --- bounded error lists ----------------------------------------------------------------


def test_the_cli_lists_the_first_errors_and_counts_the_rest(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    configure(tmp_path, monkeypatch, "[ingest]\nmax_error_details = 5\n")
    bad = [stay_line(i).replace("5001", "9999").replace("01.02.2024", "31.02.2024")
           for i in range(8)]  # two errors a row
    path = csv_file(tmp_path, HEADER + "\n" + "\n".join(bad) + "\n")
    code, out = run("import", "stays", str(path), "--db", db_url)
    assert code == 1
    listed = [line for line in out.splitlines() if line.startswith("  row ")]
    assert [line.split(",")[0] for line in listed] == ["  row 2", "  row 2", "  row 3",
                                                       "  row 3", "  row 4"]
    assert "… and 11 more error(s) not listed (8 bad rows in all;" in out
    assert "8 bad row(s): nothing was imported" in out
    code, out = run("import", "stays", str(path), "--db", db_url, "--format", "json")
    report = json.loads(out)
    assert (report["rejected"], report["error_count"], len(report["errors"])) == (8, 16, 5)
    db = db_url_db(db_url)
    with db.engine.connect() as conn:
        logged = conn.exec_driver_sql("SELECT rows_rejected FROM imports").scalars().all()
    assert logged == [8, 8]
