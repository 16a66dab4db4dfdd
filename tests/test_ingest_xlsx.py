"""XLSX files, written here with openpyxl as Excel would: real date cells, number cells."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from flyt.ingest.errors import InputError
from flyt.ingest.parse import ParsedFile, Reference, parse_file

KEY = b"test-key"
REFERENCE = Reference.default()
HEADER = ["stay_id", "patient_id", "municipality", "sector", "admission_type", "admitted_at",
          "ready_at", "discharged_at", "discharge_destination", "location", "frailty_score"]


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def parse(path: Path, kind: str = "stays") -> ParsedFile:
    return parse_file(kind, path, reference=REFERENCE, pseudonym_key=KEY)


def test_an_xlsx_with_date_cells_and_a_numeric_municipality_parses(tmp_path: Path) -> None:
    path = workbook(tmp_path / "stays.xlsx", {"Ark1": [
        HEADER,
        ["S1", "P1", 5001, "somatikk", "akutt", datetime(2024, 1, 31, 14, 5),
         datetime(2024, 2, 2, 10, 0), date(2024, 2, 5), "hjem", "Øya helsehus", 7.0],
        ["S2", "P2", 5031.0, "Somatikk", "planlagt", "01.03.2024 08:30", None, None, None,
         None, None],
    ]})
    parsed = parse(path)
    assert parsed.errors == []
    rows = parsed.table.to_pylist()
    assert rows[0]["municipality"] == "5001"
    assert rows[0]["admitted_at"] == datetime(2024, 1, 31, 14, 5)
    assert rows[0]["discharged_at"] == datetime(2024, 2, 5)
    assert rows[0]["frailty_score"] == 7
    assert rows[0]["location"] == "Øya helsehus"
    assert rows[1]["municipality"] == "5031"
    assert rows[1]["admitted_at"] == datetime(2024, 3, 1, 8, 30)
    assert [r["_row"] for r in rows] == [2, 3]


def test_a_municipality_number_that_lost_its_leading_zero_gets_it_back(tmp_path: Path) -> None:
    path = workbook(tmp_path / "stays.xlsx", {"Ark1": [
        HEADER, ["S1", "P1", 301.0, "somatikk", "akutt", date(2024, 1, 1)] + [None] * 5,
    ]})
    [error] = parse(path).errors  # Oslo is not in this community, but it is read as 0301
    assert (error.row, error.column, error.reason) == (
        2, "municipality", "unknown municipality code '0301'")


def test_it_takes_the_sheet_named_like_the_kind(tmp_path: Path) -> None:
    path = workbook(tmp_path / "export.xlsx", {
        "Forside": [["Utskrivningsklare pasienter, uttrekk"]],
        "ukp_periods": [["stay_id", "ready_from", "ready_to"],
                        ["S1", datetime(2024, 2, 1, 9, 0), None]],
    })
    parsed = parse(path, "ukp-periods")
    assert parsed.errors == []
    assert parsed.table.to_pylist() == [
        {"stay_id": "S1", "ready_from": datetime(2024, 2, 1, 9), "ready_to": None, "_row": 2}
    ]


def test_errors_in_a_sheet_carry_the_sheet_row_numbers(tmp_path: Path) -> None:
    path = workbook(tmp_path / "beds.xlsx", {"Ark1": [
        [], ["unit", "at", "available", "occupied"],  # header on row 2
        ["Røros sykehus", datetime(2024, 3, 4, 8), 8, 9],
        [],
        ["Fosen DMS", datetime(2024, 3, 4, 8), 6, -1],
    ]})
    [error] = parse(path, "beds").errors
    assert (error.row, error.column, error.value) == (5, "occupied", "-1")


def test_an_xlsx_with_a_header_only_has_no_data_rows(tmp_path: Path) -> None:
    path = workbook(tmp_path / "beds.xlsx", {"beds": [["unit", "at", "available", "occupied"]]})
    with pytest.raises(InputError, match="no data rows"):
        parse(path, "beds")
