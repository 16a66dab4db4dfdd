"""A large CSV file is read in parts: the result is the same as reading it whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from flyt.ingest import csvfile
from flyt.ingest.parse import ParsedFile, Reference, parse_file

KEY = b"test-key"
REFERENCE = Reference.default()
HEADER = ("stay_id;patient_id;municipality;sector;admission_type;admitted_at;ready_at;"
          "discharged_at;discharge_destination;location;department;birth_year;sex;frailty_score")


def stay(i: int, department: str = "Medisin", **changes: str) -> str:
    cells = {"stay_id": f"S{i}", "patient_id": f"P{i % 7}", "municipality": "5001",
             "sector": "somatikk", "admission_type": "akutt",
             "admitted_at": f"{1 + i % 28:02d}.01.2024 10:00", "ready_at": "",
             "discharged_at": f"{1 + i % 28:02d}.02.2024", "discharge_destination": "hjem",
             "location": "", "department": department, "birth_year": "1940", "sex": "k",
             "frailty_score": str(1 + i % 9)}
    return ";".join((cells | changes).values())


def good_rows() -> list[str]:
    """A file's body with empty lines and quoted cells, line breaks and quotes inside."""
    rows = []
    for i in range(1, 41):
        if i % 5 == 0:
            rows.append(stay(i, '"Medisin; ""hjerte""\r\nandre linje"'))
        elif i % 7 == 0:
            rows.append(stay(i, '"Kirurgi\n\nog mer"'))
        elif i % 11 == 0:
            rows.append(stay(i, '"Avd 5""B"'))
        else:
            rows.append(stay(i))
        if i % 9 == 0:
            rows += ["", ";" * 13]  # an empty line, and an empty row as Excel saves it
    return rows


def write(tmp_path: Path, rows: list[str], newline: str = "\n", name: str = "s.csv") -> Path:
    path = tmp_path / name
    path.write_bytes((newline.join([HEADER, *rows]) + newline).encode("utf-8"))
    return path


def parse(path: Path, monkeypatch: pytest.MonkeyPatch, rows: int, read: int,
          most: int = 128 << 20) -> ParsedFile:
    """`rows` records (at `most` bytes) a part, the file read `read` bytes at a time."""
    with monkeypatch.context() as patch:
        patch.setattr(csvfile, "CHUNK_ROWS", rows)
        patch.setattr(csvfile, "CHUNK_BYTES", most)
        patch.setattr(csvfile, "READ_BYTES", read)
        return parse_file("stays", path, reference=REFERENCE, pseudonym_key=KEY)


PARTS = [(5, 7), (16, 256)]  # (records per part, bytes per read)


def assert_same(whole: ParsedFile, parts: ParsedFile) -> None:
    assert parts.errors == whole.errors
    assert parts.warnings == whole.warnings
    assert parts.rows_read == whole.rows_read
    assert parts.table.schema == whole.table.schema
    assert parts.table.equals(whole.table)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize(("rows", "read"), PARTS)
def test_a_file_read_in_parts_gives_the_same_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, newline: str, rows: int, read: int
) -> None:
    path = write(tmp_path, good_rows(), newline)
    whole = parse(path, monkeypatch, 1_000_000, 16 << 20)
    assert whole.errors == [] and whole.table.num_rows == 40
    assert whole.table.column("department").to_pylist()[4] == 'Medisin; "hjerte"\r\nandre linje'
    assert_same(whole, parse(path, monkeypatch, rows, read))


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize(("rows", "read"), PARTS)
def test_errors_in_different_parts_keep_their_row_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, newline: str, rows: int, read: int
) -> None:
    body = good_rows()
    body[2] = stay(3, sex="x")  # row 4
    body[30] = stay(3, municipality="9999")  # row 32: S3 again, far from the first
    body[31] = "S99;P1;5001"  # row 33: too few fields
    body[-1] = stay(40, admitted_at="i dag")
    path = write(tmp_path, body, newline)
    whole = parse(path, monkeypatch, 1_000_000, 16 << 20)
    assert [(e.row, e.column, e.reason) for e in whole.errors] == [
        (4, "stay_id", "duplicate stay_id 'S3' (also on row 32)"),
        (4, "sex", "unknown sex 'x' (expected k or m)"),
        (32, "stay_id", "duplicate stay_id 'S3' (also on row 4)"),
        (32, "municipality", "unknown municipality code '9999'"),
        (33, None, "the row has 3 fields, the header has 14"),
        (len(body) + 1, "admitted_at",
         "unreadable date 'i dag' (write dd.mm.yyyy, dd.mm.yyyy hh:mm or yyyy-mm-ddThh:mm)"),
    ]
    assert_same(whole, parse(path, monkeypatch, rows, read))


@pytest.mark.parametrize(("rows", "read"), PARTS)
def test_a_quote_inside_an_unquoted_cell_is_a_character_in_every_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int, read: int
) -> None:
    body = [stay(i, 'Avd 5"B' if i % 4 == 0 else "Medisin") for i in range(1, 30)]
    body[20] = stay(21, sex="x")
    path = write(tmp_path, body[:10] + [""] + body[10:])
    whole = parse(path, monkeypatch, 1_000_000, 16 << 20)
    assert [(e.row, e.column) for e in whole.errors] == [(23, "sex")]
    assert_same(whole, parse(path, monkeypatch, rows, read))


@pytest.mark.parametrize(("most", "length"), [(1, 9), (1000, 46)])
def test_parts_are_also_cut_by_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, most: int, length: int
) -> None:
    body = good_rows()[:length]  # `most` = 1: a part is one record, longer than `most`
    body[2] = stay(3, sex="x")
    body[-2] = stay(3)
    path = write(tmp_path, body, "\r\n")
    whole = parse(path, monkeypatch, 1_000_000, 16 << 20)
    assert [e.row for e in whole.errors] == [4, 4, length]
    assert_same(whole, parse(path, monkeypatch, 1_000_000, 100, most))


def test_a_duplicate_in_a_later_part_is_found_when_the_parts_are_otherwise_good(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = [stay(i) for i in range(1, 3001)]
    body[2999] = stay(1)  # row 3001 repeats row 2
    parsed = parse(write(tmp_path, body), monkeypatch, 1000, 16 << 20)
    assert [(e.row, e.reason) for e in parsed.errors] == [
        (2, "duplicate stay_id 'S1' (also on row 3001)"),
        (3001, "duplicate stay_id 'S1' (also on row 2)"),
    ]
    assert parsed.rows_read == 3000 and parsed.table.num_rows == 0


def test_a_file_that_turns_out_not_to_be_utf8_late_is_read_again_as_windows_1252(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.csv"
    rows = [stay(i) for i in range(1, 30)] + [stay(30, "Røros")]
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode("cp1252"))
    whole = parse(path, monkeypatch, 1_000_000, 16 << 20)
    assert whole.warnings == ["the file is not UTF-8; it was read as Windows-1252"]
    assert whole.table.column("department").to_pylist()[-1] == "Røros"
    assert_same(whole, parse(path, monkeypatch, 4, 64))


def test_a_column_without_a_name_is_warned_about_once_when_a_late_part_has_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [stay(i) + ";" for i in range(1, 30)] + [stay(30) + ";x"]
    path = tmp_path / "s.csv"
    path.write_text("\n".join([HEADER + ";", *rows]) + "\n", encoding="utf-8")
    whole = parse(path, monkeypatch, 1_000_000, 16 << 20)
    assert whole.warnings == ["column 15 has no name in the header and is ignored"]
    assert_same(whole, parse(path, monkeypatch, 4, 64))


def test_parts_are_cut_where_pyarrow_ends_a_record() -> None:
    scan = csvfile.RecordEnds(";", csvfile.NEWLINE)
    text = b'a;"x\ny";b\n"c""\n";d\ne"f;g\nh;"i\n'
    ends = [int(i) for i in scan(text[:13], final=False)]  # held back: the quote at 12
    ends += [int(i) for i in scan(text[13:], final=True)]
    assert [text[i - 1 : i + 1] for i in ends] == [b'b\n', b'd\n', b'g\n']
