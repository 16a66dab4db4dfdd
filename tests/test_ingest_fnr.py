"""A column fnr becomes a pseudonymous patient_id at read time; the number itself goes nowhere.

Every number here is synthetic (month + 80) or deliberately invalid.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flyt.domain.identity import make_fnr, pseudonymize
from flyt.ingest.parse import ParsedFile, Reference, parse_file

KEY = b"test-key"
REFERENCE = Reference.default()
HEADER = "stay_id;fnr;municipality;sector;admission_type;admitted_at"


def synthetic(born: date) -> str:
    return next(f for i in range(100, 200) if (f := make_fnr(born, i)))


ANNE = synthetic(date(1941, 3, 14))
BJORN = synthetic(date(1938, 11, 2))
D_NUMBER = next(f for i in range(100, 200) if (f := make_fnr(date(1985, 7, 1), i, d_number=True)))


def stays(tmp_path: Path, *rows: str, header: str = HEADER, key: bytes = KEY) -> ParsedFile:
    path = tmp_path / "stays.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return parse_file("stays", path, reference=REFERENCE, pseudonym_key=key)


def test_fnr_becomes_a_keyed_hash_in_patient_id_and_is_dropped(tmp_path: Path) -> None:
    parsed = stays(tmp_path, f"S1;{ANNE};5001;somatikk;akutt;01.02.2024",
                   f"S2;{BJORN};5001;somatikk;akutt;02.02.2024",
                   f"S3;{ANNE};5001;somatikk;akutt;03.03.2024",
                   f"S4;{D_NUMBER};5001;somatikk;akutt;03.03.2024")
    assert parsed.errors == []
    assert "fnr" not in parsed.table.column_names
    ids = parsed.table.column("patient_id").to_pylist()
    assert ids == pseudonymize([ANNE, BJORN, ANNE, D_NUMBER], KEY)
    assert ids[0] == ids[2] != ids[1]
    assert all(i.startswith("h:") for i in ids)
    assert not any(ANNE in str(v) for v in parsed.table.to_pylist())


def test_the_pseudonym_is_deterministic_and_differs_with_another_key(tmp_path: Path) -> None:
    row = f"S1;{ANNE};5001;somatikk;akutt;01.02.2024"
    first = stays(tmp_path, row).table.column("patient_id")[0].as_py()
    again = stays(tmp_path, row).table.column("patient_id")[0].as_py()
    other = stays(tmp_path, row, key=b"another key").table.column("patient_id")[0].as_py()
    assert first == again != other


def test_an_invalid_fnr_is_reported_without_echoing_the_number(tmp_path: Path) -> None:
    wrong = ANNE[:-1] + str((int(ANNE[-1]) + 1) % 10)
    parsed = stays(tmp_path, f"S1;{wrong};5001;somatikk;akutt;01.02.2024",
                   "S2;1234;5001;somatikk;akutt;01.02.2024")
    assert [(e.row, e.column, e.value, e.reason) for e in parsed.errors] == [
        (2, "fnr", "***", "fnr has wrong control digits"),
        (3, "fnr", "***", "fnr must have 11 digits"),
    ]
    assert wrong not in repr(parsed)


def test_an_fnr_that_lost_its_leading_zero_in_excel_is_still_read(tmp_path: Path) -> None:
    early = next(f for i in range(100, 200)
                 if (f := make_fnr(date(1950, 1, 5), i)) and f.startswith("0"))
    parsed = stays(tmp_path, f"S1;{early[1:]};5001;somatikk;akutt;01.02.2024")
    assert parsed.table.column("patient_id").to_pylist() == pseudonymize([early], KEY)


def test_fnr_and_patient_id_together_take_the_hash_where_fnr_is_given(tmp_path: Path) -> None:
    parsed = stays(tmp_path, f"S1;P1;{ANNE};5001;somatikk;akutt;01.02.2024",
                   "S2;P2;;5001;somatikk;akutt;01.02.2024",
                   header="stay_id;patient_id;fnr;municipality;sector;admission_type;admitted_at")
    assert parsed.table.column("patient_id").to_pylist() == [*pseudonymize([ANNE], KEY), "P2"]
    assert any("both patient_id and fnr" in w for w in parsed.warnings)


def test_a_national_id_in_patient_id_is_refused_and_not_echoed(tmp_path: Path) -> None:
    parsed = stays(tmp_path, f"S1;{ANNE};5001;somatikk;akutt;01.02.2024",
                   header=HEADER.replace("fnr", "patient_id"))
    [error] = parsed.errors
    assert (error.row, error.column, error.value) == (2, "patient_id", "***")
    assert "fødselsnummer" in error.reason and ANNE not in error.reason


def test_short_stays_take_fnr_too(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("stay_id;fnr;municipality;unit;started_at\n"
                    f"K1;{BJORN};5031;Malvik korttid;01.02.2024\n", encoding="utf-8")
    parsed = parse_file("short-stays", path, reference=REFERENCE, pseudonym_key=KEY)
    assert parsed.table.column("patient_id").to_pylist() == pseudonymize([BJORN], KEY)
