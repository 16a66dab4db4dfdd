"""CSV files as Norwegian Excel and other systems save them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pytest

from flyt.ingest.parse import ParsedFile, Reference, parse_file

KEY = b"test-key"
REFERENCE = Reference.default()

ISO_STAYS = (
    "stay_id,patient_id,municipality,sector,admission_type,admitted_at,ready_at,discharged_at,"
    "discharge_destination,location,department,birth_year,sex,frailty_score\n"
    "S1,P1,5001,somatikk,akutt,2024-01-31T14:05,2024-02-02T10:00,2024-02-05,hjem,"
    'St. Olavs hospital,"Medisin; hjerte",1940,k,7\n'
    "S2,P2,5031,psykisk_helsevern,planlagt,2024-03-01,,,,,,,,\n"
    "S3,P1,5028,somatikk,akutt,2024-03-30 23:15:00,2024-04-02 08:00:00,2024-04-03 12:00:00,dod,"
    "Røros sykehus,,1940,k,\n"
)

# The same stays as Norwegian Excel writes them: BOM, `;`, CRLF, dd.mm.yyyy, decimal
# comma, codes and units in other cases, header names in other cases, blanks around.
NORWEGIAN_STAYS = (
    "\ufeffStay_ID;Patient_id;Municipality;SECTOR;admission_type;admitted_at;ready_at;"
    "discharged_at;discharge_destination;location;department;birth_year;sex;frailty_score\r\n"
    "S1;P1;5001;Somatikk;AKUTT;31.01.2024 14:05;02.02.2024 10:00;05.02.2024;Hjem;"
    "st. olavs hospital;\"Medisin; hjerte\";1940;K;7,0\r\n"
    "S2;P2;5031;psykisk_helsevern;planlagt;01.03.2024;;;;;;;;\r\n"
    "S3 ;P1;5028;somatikk;akutt;30.03.2024 23:15;2.4.2024 08:00;03.04.2024 12:00:00;dod;"
    "RØROS SYKEHUS;;1940,0;k;\r\n"
)


def write(tmp_path: Path, text: str, name: str = "file.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def parse(path: Path, kind: str = "stays") -> ParsedFile:
    return parse_file(kind, path, reference=REFERENCE, pseudonym_key=KEY)


def test_norwegian_excel_csv_and_iso_csv_give_identical_tables(tmp_path: Path) -> None:
    iso = parse(write(tmp_path, ISO_STAYS, "iso.csv"))
    norwegian = parse(write(tmp_path, NORWEGIAN_STAYS, "no.csv"))
    assert iso.errors == [] and norwegian.errors == []
    assert norwegian.table.equals(iso.table)
    assert iso.rows_read == 3


def test_it_gives_the_canonical_columns_and_types(tmp_path: Path) -> None:
    table = parse(write(tmp_path, NORWEGIAN_STAYS)).table
    assert table.schema == pa.schema([
        ("stay_id", pa.string()), ("patient_id", pa.string()), ("municipality", pa.string()),
        ("sector", pa.string()), ("admission_type", pa.string()),
        ("admitted_at", pa.timestamp("us")), ("ready_at", pa.timestamp("us")),
        ("discharged_at", pa.timestamp("us")), ("discharge_destination", pa.string()),
        ("location", pa.string()), ("department", pa.string()), ("birth_year", pa.int32()),
        ("sex", pa.string()), ("frailty_score", pa.int32()), ("_row", pa.int32()),
    ])
    first = table.to_pylist()[0]
    assert first == {
        "stay_id": "S1", "patient_id": "P1", "municipality": "5001", "sector": "somatikk",
        "admission_type": "akutt", "admitted_at": datetime(2024, 1, 31, 14, 5),
        "ready_at": datetime(2024, 2, 2, 10, 0), "discharged_at": datetime(2024, 2, 5),
        "discharge_destination": "hjem", "location": "St. Olavs hospital",
        "department": "Medisin; hjerte", "birth_year": 1940, "sex": "k", "frailty_score": 7,
        "_row": 2,
    }
    assert table.column("stay_id").to_pylist() == ["S1", "S2", "S3"]  # trimmed
    assert table.column("location").to_pylist()[2] == "Røros sykehus"  # the reference's name


def test_empty_cells_are_null(tmp_path: Path) -> None:
    second = parse(write(tmp_path, ISO_STAYS)).table.to_pylist()[1]
    assert [k for k, v in second.items() if v is None] == [
        "ready_at", "discharged_at", "discharge_destination", "location", "department",
        "birth_year", "sex", "frailty_score",
    ]


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_it_detects_the_separator(tmp_path: Path, separator: str) -> None:
    text = ISO_STAYS.replace(",", separator).replace(f'"Medisin{separator} hjerte"', "Medisin")
    parsed = parse(write(tmp_path, text))
    assert parsed.errors == [] and parsed.table.num_rows == 3


def test_it_reads_windows_1252_with_a_warning(tmp_path: Path) -> None:
    parsed = parse(write(tmp_path, NORWEGIAN_STAYS.lstrip("\ufeff"), encoding="cp1252"))
    assert parsed.errors == []
    assert parsed.table.column("location").to_pylist()[2] == "Røros sykehus"
    assert any("Windows-1252" in w for w in parsed.warnings)


def test_it_reads_utf16_as_excel_unicode_text_saves_it(tmp_path: Path) -> None:
    text = NORWEGIAN_STAYS.lstrip("\ufeff").replace(";", "\t").replace('"Medisin\t hjerte"', "M")
    parsed = parse(write(tmp_path, text, encoding="utf-16"))
    assert parsed.errors == [] and parsed.table.num_rows == 3


def test_row_numbers_count_empty_lines_and_multiline_cells_as_a_user_sees_them(
    tmp_path: Path,
) -> None:
    text = (
        "stay_id;ready_from;ready_to\r\n"
        "S1;01.02.2024;\r\n"
        "\r\n"  # row 3: an empty line
        ';;\r\n'  # row 4: an empty row as Excel saves it
        'S2;"01.02.2024\n";\r\n'  # row 5: a line break inside a quoted cell
        "S3;xx;\r\n"  # row 6
    )
    parsed = parse(write(tmp_path, text), "ukp-periods")
    assert [(e.row, e.column, e.value) for e in parsed.errors] == [(6, "ready_from", "xx")]
    assert parsed.rows_read == 3


def test_it_reports_a_row_with_the_wrong_number_of_fields(tmp_path: Path) -> None:
    text = "stay_id;ready_from;ready_to\nS1;01.02.2024;\nS2;01.02.2024\nS3;01.02.2024;;extra\n"
    parsed = parse(write(tmp_path, text), "ukp-periods")
    assert [(e.row, e.reason) for e in parsed.errors] == [
        (3, "the row has 2 fields, the header has 3"),
        (4, "the row has 4 fields, the header has 3"),
    ]


def test_unknown_columns_give_a_warning(tmp_path: Path) -> None:
    text = "stay_id,ready_from,ready_to,Kommentar,\nS1,2024-02-01,,hei,\n"
    parsed = parse(write(tmp_path, text), "ukp-periods")
    assert parsed.errors == []
    assert parsed.warnings == ["unknown column 'Kommentar' ignored"]
    assert parsed.table.column_names == ["stay_id", "ready_from", "ready_to", "_row"]


def test_a_column_without_a_name_but_with_values_gives_a_warning(tmp_path: Path) -> None:
    parsed = parse(write(tmp_path, "stay_id,ready_from,\nS1,2024-02-01,x\n"), "ukp-periods")
    assert parsed.warnings == ["column 3 has no name in the header and is ignored"]


def test_an_optional_column_may_be_left_out(tmp_path: Path) -> None:
    parsed = parse(write(tmp_path, "ready_from;stay_id\n01.02.2024;S1\n"), "ukp-periods")
    assert parsed.errors == []
    assert parsed.table.to_pylist() == [
        {"stay_id": "S1", "ready_from": datetime(2024, 2, 1), "ready_to": None, "_row": 2}
    ]
