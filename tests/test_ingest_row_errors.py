"""Bad rows: every one reported with its row number, column, value and a specific reason."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from flyt.domain import clock
from flyt.ingest.errors import RowError
from flyt.ingest.parse import ParsedFile, Reference, parse_file

KEY = b"test-key"
REFERENCE = Reference.default()
STAYS_HEADER = ("stay_id;patient_id;municipality;sector;admission_type;admitted_at;ready_at;"
                "discharged_at;discharge_destination;location;birth_year;sex;frailty_score")
GOOD_STAY = "S0;P0;5001;somatikk;akutt;01.01.2024 10:00;03.01.2024;05.01.2024;hjem;;1950;k;5"


def stays(tmp_path: Path, *rows: str) -> ParsedFile:
    """A stays file: a good row 2, then `rows` from row 3 on."""
    path = tmp_path / "stays.csv"
    path.write_text("\n".join([STAYS_HEADER, GOOD_STAY, *rows]) + "\n", encoding="utf-8")
    return parse_file("stays", path, reference=REFERENCE, pseudonym_key=KEY)


def other(tmp_path: Path, kind: str, text: str) -> ParsedFile:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    return parse_file(kind, path, reference=REFERENCE, pseudonym_key=KEY)


def row(a: str = "S1", **changes: str) -> str:
    cells = dict(zip(STAYS_HEADER.split(";"), GOOD_STAY.split(";"), strict=True))
    cells["stay_id"] = a
    cells.update(changes)
    return ";".join(cells.values())


def only(parsed: ParsedFile) -> RowError:
    assert len(parsed.errors) == 1, parsed.errors
    assert parsed.table.num_rows == 0  # all or nothing
    return parsed.errors[0]


def test_a_good_file_has_no_errors(tmp_path: Path) -> None:
    parsed = stays(tmp_path, row("S1"))
    assert parsed.errors == [] and parsed.table.num_rows == 2


def test_it_rejects_an_unknown_municipality(tmp_path: Path) -> None:
    assert only(stays(tmp_path, row(municipality="5099"))) == RowError(
        3, "municipality", "5099", "unknown municipality code '5099'")


def test_it_rejects_a_municipality_that_is_not_a_code(tmp_path: Path) -> None:
    assert only(stays(tmp_path, row(municipality="Trondheim"))).reason == (
        "'Trondheim' is not a municipality code (4 digits)")


def test_it_rejects_an_unknown_unit(tmp_path: Path) -> None:
    assert only(stays(tmp_path, row(location="Gamle Oslo sykehjem"))) == RowError(
        3, "location", "Gamle Oslo sykehjem", "unknown unit 'Gamle Oslo sykehjem'")


def test_it_rejects_a_location_that_is_a_short_term_unit(tmp_path: Path) -> None:
    assert only(stays(tmp_path, row(location="Melhus korttid"))).reason == (
        "'Melhus korttid' is a short-term unit; location must be a hospital or after-care unit")


def test_it_rejects_an_unreadable_date(tmp_path: Path) -> None:
    error = only(stays(tmp_path, row(admitted_at="1/2/2024")))
    assert (error.row, error.column, error.value) == (3, "admitted_at", "1/2/2024")
    assert error.reason.startswith("unreadable date '1/2/2024'")


def test_it_rejects_a_stay_discharged_before_admission(tmp_path: Path) -> None:
    parsed = stays(tmp_path, row(ready_at="", discharged_at="31.12.2023"))
    assert only(parsed) == RowError(
        3, "discharged_at", "31.12.2023",
        "discharged_at '31.12.2023' is before admitted_at '01.01.2024 10:00'")


def test_it_rejects_a_stay_ready_before_admission(tmp_path: Path) -> None:
    error = only(stays(tmp_path, row(ready_at="01.01.2024 09:59")))
    assert (error.column, error.reason) == (
        "ready_at", "ready_at '01.01.2024 09:59' is before admitted_at '01.01.2024 10:00'")


def test_it_rejects_a_stay_discharged_before_it_was_ready(tmp_path: Path) -> None:
    error = only(stays(tmp_path, row(ready_at="06.01.2024")))
    assert (error.column, error.reason) == (
        "discharged_at", "discharged_at '05.01.2024' is before ready_at '06.01.2024'")


def test_a_stay_discharged_the_moment_it_was_ready_is_fine(tmp_path: Path) -> None:
    assert stays(tmp_path, row(ready_at="05.01.2024", discharged_at="05.01.2024")).errors == []


def test_it_rejects_a_discharge_without_destination_and_a_destination_without_discharge(
    tmp_path: Path,
) -> None:
    parsed = stays(tmp_path, row("S1", discharge_destination=""), row("S2", discharged_at=""))
    assert [(e.row, e.column, e.reason) for e in parsed.errors] == [
        (3, "discharge_destination",
         "discharge_destination is required when discharged_at is given"),
        (4, "discharge_destination",
         "discharge_destination is given but discharged_at is empty"),
    ]


@pytest.mark.parametrize(("column", "value", "reason"), [
    ("sector", "somatisk", "unknown sector 'somatisk' (expected somatikk or psykisk_helsevern)"),
    ("admission_type", "øyeblikkelig hjelp", "unknown admission type 'øyeblikkelig hjelp' "
     "(expected akutt or planlagt)"),
    ("discharge_destination", "sykehjem", "unknown discharge destination 'sykehjem' (expected "
     "hjem, hjem_med_tjenester, korttidsopphold, langtidsopphold, annen_institusjon, dod or "
     "annet)"),
    ("sex", "x", "unknown sex 'x' (expected k or m)"),
])
def test_it_rejects_an_unknown_code(tmp_path: Path, column: str, value: str, reason: str) -> None:
    assert only(stays(tmp_path, row(**{column: value}))) == RowError(3, column, value, reason)


@pytest.mark.parametrize(("value", "reason"), [
    ("10", "frailty_score must be from 1 to 9, not '10'"),
    ("0", "frailty_score must be from 1 to 9, not '0'"),
    ("4,5", "'4,5' is not a whole number"),
    ("høy", "'høy' is not a number"),
])
def test_it_rejects_a_frailty_score_outside_the_scale(tmp_path: Path, value: str,
                                                      reason: str) -> None:
    assert only(stays(tmp_path, row(frailty_score=value))).reason == reason


def test_it_rejects_an_implausible_birth_year(tmp_path: Path) -> None:
    next_year = str(clock.today().year + 1)
    parsed = stays(tmp_path, row("S1", birth_year="1899"), row("S2", birth_year=next_year))
    assert [e.reason for e in parsed.errors] == [
        f"birth_year must be from 1900 to {clock.today().year}, not '1899'",
        f"birth_year must be from 1900 to {clock.today().year}, not '{next_year}'",
    ]


def test_it_rejects_an_empty_required_value(tmp_path: Path) -> None:
    assert only(stays(tmp_path, row(sector=" "))) == RowError(
        3, "sector", None, "sector is required but empty")


def test_it_rejects_a_row_with_neither_patient_id_nor_fnr(tmp_path: Path) -> None:
    assert only(stays(tmp_path, row(patient_id=""))) == RowError(
        3, "patient_id", None, "patient_id (or fnr) is required but empty")


def test_it_reports_every_duplicate_row(tmp_path: Path) -> None:
    parsed = stays(tmp_path, row("S1"), row("S0"), row("S1"), row("S0"))
    assert [(e.row, e.column, e.value, e.reason) for e in parsed.errors] == [
        (2, "stay_id", "S0", "duplicate stay_id 'S0' (also on rows 4, 6)"),
        (3, "stay_id", "S1", "duplicate stay_id 'S1' (also on row 5)"),
        (4, "stay_id", "S0", "duplicate stay_id 'S0' (also on rows 2, 6)"),
        (5, "stay_id", "S1", "duplicate stay_id 'S1' (also on row 3)"),
        (6, "stay_id", "S0", "duplicate stay_id 'S0' (also on rows 2, 4)"),
    ]


def test_it_reports_every_problem_of_every_row_in_row_order(tmp_path: Path) -> None:
    parsed = stays(tmp_path, row("S1", sector="x", municipality="1"), row("S2"),
                   row("S3", admitted_at="i dag"))
    assert [(e.row, e.column) for e in parsed.errors] == [
        (3, "municipality"), (3, "sector"), (5, "admitted_at")]


def test_a_periods_file_rejects_a_period_that_ends_before_it_starts_and_duplicates(
    tmp_path: Path,
) -> None:
    parsed = other(tmp_path, "ukp-periods", (
        "stay_id;ready_from;ready_to\n"
        "S1;01.02.2024 10:00;01.02.2024 09:00\n"
        "S1;2024-02-05T08:00;\n"
        "S1;05.02.2024 08:00;\n"))
    assert [(e.row, e.column, e.reason) for e in parsed.errors] == [
        (2, "ready_to", "ready_to '01.02.2024 09:00' is before ready_from '01.02.2024 10:00'"),
        (3, "stay_id", "duplicate stay_id 'S1' with ready_from '2024-02-05T08:00' (also on row 4)"),
        (4, "stay_id", "duplicate stay_id 'S1' with ready_from '05.02.2024 08:00' (also on row 3)"),
    ]


def test_a_short_stays_file_rejects_a_unit_that_is_not_short_term_and_a_bad_end(
    tmp_path: Path,
) -> None:
    parsed = other(tmp_path, "short-stays", (
        "stay_id;patient_id;municipality;unit;started_at;ended_at;from_hospital\n"
        "K1;P1;5031;Røros sykehus;01.02.2024;31.01.2024;kanskje\n"))
    assert [(e.column, e.reason) for e in parsed.errors] == [
        ("unit", "'Røros sykehus' is an after-care unit; unit must be a short-term unit"),
        ("ended_at", "ended_at '31.01.2024' is before started_at '01.02.2024'"),
        ("from_hospital", "'kanskje' is not true/false (write true or false, ja or nei, 1 or 0)"),
    ]


def test_a_bed_census_rejects_negative_counts_unknown_units_and_duplicates(
    tmp_path: Path,
) -> None:
    parsed = other(tmp_path, "beds", (
        "unit;at;available;occupied\n"
        "Fosen DMS;04.03.2024 08:00;-1;2\n"
        "Levanger sykehus;04.03.2024 08:00;3;2\n"
        "Fosen DMS;04.03.2024 12:00;6;6\n"
        "fosen dms;2024-03-04 12:00;6;7\n"))
    assert [(e.row, e.column, e.reason) for e in parsed.errors] == [
        (2, "available", "available must be 0 or more, not '-1'"),
        (3, "unit", "unknown unit 'Levanger sykehus'"),
        (4, "unit", "duplicate unit 'Fosen DMS' with at '04.03.2024 12:00' (also on row 5)"),
        (5, "unit", "duplicate unit 'fosen dms' with at '2024-03-04 12:00' (also on row 4)"),
    ]


def test_a_long_value_is_shortened_in_the_reason_and_in_the_value(tmp_path: Path) -> None:
    error = only(stays(tmp_path, row(sector="x" * 200)))
    assert error.value == "x" * 60 + "…"  # an echo is cut, like the reason's quote
    assert len(error.reason) < 140


def test_a_file_with_many_bad_rows_counts_all_and_details_the_first_quickly(
    tmp_path: Path,
) -> None:
    bad = [row(f"S{i}", ready_at="31.02.2024", municipality="9999") for i in range(1, 50_001)]
    started = time.perf_counter()
    parsed = stays(tmp_path, *bad)
    elapsed = time.perf_counter() - started
    assert parsed.tally.count == 100_000 and parsed.tally.bad_rows == 50_000
    assert len(parsed.errors) == 10_000  # the default max_error_details
    assert [(e.row, e.column) for e in parsed.errors[:2]] == [(3, "municipality"),
                                                             (3, "ready_at")]
    assert parsed.errors[-1].row == 5_002
    assert elapsed < 15
