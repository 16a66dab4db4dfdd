"""Files that cannot be imported at all: InputError, saying why."""

from __future__ import annotations

from pathlib import Path

import pytest

from flyt.ingest.errors import InputError
from flyt.ingest.parse import Reference, parse_file

KEY = b"test-key"
REFERENCE = Reference.default()


def write(tmp_path: Path, data: str | bytes, name: str = "file.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def reject(path: Path, kind: str = "stays") -> InputError:
    with pytest.raises(InputError) as raised:
        parse_file(kind, path, reference=REFERENCE, pseudonym_key=KEY)
    return raised.value


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b"  \n"])
def test_it_rejects_an_empty_file(tmp_path: Path, content: bytes) -> None:
    assert reject(write(tmp_path, content)).message == "the file is empty"


@pytest.mark.parametrize("content", [
    "stay_id;ready_from;ready_to\r\n",
    "stay_id;ready_from;ready_to\r\n;;\r\n;;\r\n\r\n",
    "stay_id,ready_from,ready_to",
])
def test_it_rejects_a_file_with_only_a_header(tmp_path: Path, content: str) -> None:
    assert reject(write(tmp_path, content), "ukp-periods").message == "the file has no data rows"


def test_it_rejects_a_file_that_does_not_exist(tmp_path: Path) -> None:
    assert "cannot read" in reject(tmp_path / "missing.csv").message


@pytest.mark.parametrize("content", [b"%PDF-1.7\x00\x01\x02binary", b"\x00\x01\x02\x03" * 100])
def test_it_rejects_a_file_that_is_not_csv_or_xlsx(tmp_path: Path, content: bytes) -> None:
    assert reject(write(tmp_path, content, "file.pdf")).message == "this is not a CSV or XLSX file"


def test_it_rejects_a_broken_xlsx(tmp_path: Path) -> None:
    error = reject(write(tmp_path, b"PK\x03\x04 not really a zip", "file.xlsx"))
    assert error.message.startswith("this is not a readable XLSX file")


def test_it_rejects_an_old_xls(tmp_path: Path) -> None:
    error = reject(write(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xls"))
    assert ".xlsx or CSV" in error.message


def test_it_names_a_missing_required_column(tmp_path: Path) -> None:
    error = reject(write(tmp_path, "stay_id;ready_to\nS1;01.02.2024\n"), "ukp-periods")
    assert error.message == "missing required column 'ready_from'"
    assert [(e.row, e.column) for e in error.errors] == [(1, "ready_from")]


def test_it_names_every_missing_required_column(tmp_path: Path) -> None:
    error = reject(write(tmp_path, "stay_id;municipality\nS1;5001\n"))
    assert error.message == ("missing required columns 'patient_id' (or 'fnr'), 'sector', "
                             "'admission_type', 'admitted_at'")


def test_it_says_when_a_file_looks_like_another_kind(tmp_path: Path) -> None:
    short_stays = ("stay_id;patient_id;municipality;unit;started_at;ended_at;from_hospital\n"
                   "K1;P1;5031;Malvik korttid;01.02.2024;10.02.2024;ja\n")
    error = reject(write(tmp_path, short_stays), "stays")
    assert error.message == ("missing required columns 'sector', 'admission_type', "
                             "'admitted_at'; this looks like a short-stays file")


def test_it_says_a_stays_file_is_not_a_bed_census(tmp_path: Path) -> None:
    stays = ("stay_id,patient_id,municipality,sector,admission_type,admitted_at\n"
             "S1,P1,5001,somatikk,akutt,2024-01-01\n")
    error = reject(write(tmp_path, stays), "beds")
    assert error.message.endswith("; this looks like a stays file")


def test_it_rejects_a_column_given_twice(tmp_path: Path) -> None:
    error = reject(write(tmp_path, "stay_id;ready_from;Stay_ID\nS1;01.02.2024;S1\n"),
                   "ukp-periods")
    assert error.message == "column 'stay_id' appears twice (columns 1 and 3)"


def test_an_unknown_kind_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown file kind"):
        parse_file("patients", write(tmp_path, "a\n1\n"), reference=REFERENCE,
                   pseudonym_key=KEY)


def test_errors_turn_into_plain_dictionaries(tmp_path: Path) -> None:
    error = reject(write(tmp_path, "stay_id\nS1\n"), "ukp-periods")
    assert error.to_dict() == {
        "message": "missing required column 'ready_from'",
        "errors": [{"row": 1, "column": "ready_from", "value": None,
                    "reason": "missing required column 'ready_from'"}],
    }
