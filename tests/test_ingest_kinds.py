"""The other three kinds read into their canonical tables."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa

from flyt.ingest.parse import KINDS, ParsedFile, Reference, parse_file

KEY = b"test-key"
REFERENCE = Reference.default()


def parse(tmp_path: Path, kind: str, text: str) -> ParsedFile:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    return parse_file(kind, path, reference=REFERENCE, pseudonym_key=KEY)


def test_the_four_kinds_are_the_cli_names() -> None:
    assert KINDS == ("stays", "ukp-periods", "short-stays", "beds")


def test_a_periods_file_reads_open_and_closed_periods(tmp_path: Path) -> None:
    parsed = parse(tmp_path, "ukp-periods", "stay_id,ready_from,ready_to\n"
                   "S1,2024-02-01T10:00,2024-02-03T09:00\nS1,2024-02-05T08:00,\n")
    assert parsed.table.to_pylist() == [
        {"stay_id": "S1", "ready_from": datetime(2024, 2, 1, 10),
         "ready_to": datetime(2024, 2, 3, 9), "_row": 2},
        {"stay_id": "S1", "ready_from": datetime(2024, 2, 5, 8), "ready_to": None, "_row": 3},
    ]


def test_a_short_stays_file_reads_units_and_booleans(tmp_path: Path) -> None:
    parsed = parse(tmp_path, "short-stays",
                   "stay_id;patient_id;municipality;unit;started_at;ended_at;from_hospital\n"
                   "K1;P1;5031;malvik KORTTID;01.02.2024;10.02.2024;Ja\n"
                   "K2;P2;5028;Melhus korttid;03.02.2024 12:00;;nei\n"
                   "K3;P3;5028;Melhus korttid;03.02.2024;;\n")
    assert parsed.table.schema == pa.schema([
        ("stay_id", pa.string()), ("patient_id", pa.string()), ("municipality", pa.string()),
        ("unit", pa.string()), ("started_at", pa.timestamp("us")),
        ("ended_at", pa.timestamp("us")), ("from_hospital", pa.bool_()), ("_row", pa.int32()),
    ])
    assert parsed.table.column("unit").to_pylist() == ["Malvik korttid", "Melhus korttid",
                                                       "Melhus korttid"]
    assert parsed.table.column("from_hospital").to_pylist() == [True, False, None]


def test_a_bed_census_flags_over_capacity_without_rejecting_it(tmp_path: Path) -> None:
    parsed = parse(tmp_path, "beds", "unit;at;available;occupied\n"
                   "Røros sykehus;04.03.2024 08:00;8;9\n"
                   "Øya helsehus;04.03.2024 08:00;20;20\n")
    assert parsed.errors == []
    assert parsed.table.schema.names == ["unit", "at", "available", "occupied", "over_capacity",
                                         "_row"]
    assert parsed.table.column("over_capacity").to_pylist() == [True, False]
    assert parsed.table.schema.field("available").type == pa.int32()


def test_the_default_reference_is_the_packaged_community() -> None:
    reference = Reference.default()
    assert {"5001", "5031", "5028"} <= reference.municipalities
    assert all(len(code) == 4 for code in reference.municipalities)
    assert reference.units["Øya helsehus korttid"] == "short_term"
    assert reference.units["Røros sykehus"] == "aftercare"
    assert reference.units["St. Olavs hospital"] == "hospital"
