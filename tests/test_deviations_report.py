"""The annual report's long table (flyt.deviations.report), on DuckDB and PostgreSQL.

The deviations are made through records.create/transition; every expected count below
is worked out by hand from the list in `seed` (weekdays from 1 January 2024, a Monday).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from flyt.deviations import records
from flyt.deviations.records import NewDeviation, create, transition
from flyt.deviations.report import COLUMNS, Period, rows
from flyt.domain import clock


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch):
    """Set the one clock: at(datetime) makes it that moment from then on."""
    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)
    set_to(datetime(2024, 12, 10, 10, 0, 0))
    return set_to


def report(reporter: str, receivers: list[str], occurred: date | datetime, category: str,
           severity: str, level: str = "pasient") -> NewDeviation:
    return NewDeviation(reporter_org=reporter, receiver_orgs=receivers, occurred_at=occurred,
                        category=category, severity=severity, level=level,
                        agreement_clause="tjenesteavtale 3 §4.2" if level == "system" else None,
                        summary="Syntetisk avvik")


def step(db, item: records.Deviation, to: str, organisation: str,
         **text: str) -> records.Deviation:
    return transition(db, item.id, to, version=item.version, organisation=organisation,
                      user_id=None, **text)


def seed(db) -> None:
    """A  5001 -> stolav                Fri 15.03.2024 14:30  utskrivning moderat  meldt
    B  5001 -> stolav, fastlege-5001  Tue 30.04.2024 23:30  meldinger   ingen    mottatt
    C  stolav -> 5001, 5031           Wed 01.05.2024 00:10  utskrivning mindre   meldt (system)
    D  fastlege-5031 -> stolav        Sun 01.09.2024 (date) legemidler  ingen    besvart
    E  5031 -> stolav                 Mon 10.06.2024 09:00  meldinger   betydelig avvist
    F  5001 -> stolav                 Sun 31.12.2023 22:00  (the year before)
    G  5001 -> stolav                 Wed 01.01.2025 (date) (the year after)"""
    create(db, report("5001", ["stolav"], datetime(2024, 3, 15, 14, 30), "utskrivning",
                      "moderat_skade"), user_id=None)
    b = create(db, report("5001", ["stolav", "fastlege-5001"], datetime(2024, 4, 30, 23, 30),
                          "meldinger", "ingen_skade"), user_id=None)
    step(db, b, "mottatt", "stolav")
    create(db, report("stolav", ["5001", "5031"], datetime(2024, 5, 1, 0, 10), "utskrivning",
                      "Mindre skade", level="system"), user_id=None)
    d = create(db, report("fastlege-5031", ["stolav"], date(2024, 9, 1), "legemidler",
                          "ingen_skade"), user_id=None)
    d = step(db, d, "mottatt", "stolav")
    d = step(db, d, "under_behandling", "stolav")
    step(db, d, "besvart", "stolav", answer="Rutinen er endret.")
    e = create(db, report("5031", ["stolav"], datetime(2024, 6, 10, 9, 0), "meldinger",
                          "betydelig_skade"), user_id=None)
    step(db, e, "avvist", "stolav", reason="Ikke et samhandlingsavvik.")
    create(db, report("5001", ["stolav"], datetime(2023, 12, 31, 22, 0), "annet",
                      "dod"), user_id=None)
    create(db, report("5001", ["stolav"], date(2025, 1, 1), "annet", "dod"), user_id=None)


def table(found: list[dict[str, object]]) -> list[tuple[str, str, int]]:
    return [(r["dimension"], r["value"], r["count"]) for r in found]  # type: ignore[misc]


YEAR_2024 = [
    ("total", "alle", 4),  # A B C D; E is avvist
    ("category", "meldinger", 1), ("category", "utskrivning", 2),
    ("category", "legemidler", 1),
    ("severity", "ingen_skade", 2), ("severity", "mindre_skade", 1),
    ("severity", "moderat_skade", 1),
    ("level", "pasient", 3), ("level", "system", 1),
    # C's two municipalities are one direction; B's hospital and GPs are two.
    ("direction", "sykehus->kommune", 1), ("direction", "kommune->sykehus", 2),
    ("direction", "kommune->fastlege", 1), ("direction", "fastlege->sykehus", 1),
    ("reporter_org", "stolav", 1), ("reporter_org", "5001", 2),
    ("reporter_org", "fastlege-5031", 1),
    ("receiver_org", "stolav", 3), ("receiver_org", "5001", 1),
    ("receiver_org", "5031", 1), ("receiver_org", "fastlege-5001", 1),
    ("month", "2024-03", 1), ("month", "2024-04", 1), ("month", "2024-05", 1),
    ("month", "2024-09", 1),
    ("weekday", "2", 1), ("weekday", "3", 1), ("weekday", "5", 1), ("weekday", "7", 1),
    ("hour", "0", 1), ("hour", "14", 1), ("hour", "23", 1),  # D has no time
    ("status", "meldt", 2), ("status", "mottatt", 1), ("status", "besvart", 1),
    ("status", "avvist", 1),
]


def test_the_year_counts_every_dimension_in_the_documented_order(db, at):
    seed(db)
    found = rows(db, 2024)
    assert table(found) == YEAR_2024
    assert {(r["year"], r["period"]) for r in found} == {(2024, "2024")}
    assert all(list(r) == list(COLUMNS) for r in found)


def test_an_avvist_deviation_counts_only_under_status(db, at):
    seed(db)
    found = table(rows(db, 2024, 2))  # C and the avvist E occurred in May–August
    assert found == [
        ("total", "alle", 1), ("category", "utskrivning", 1),
        ("severity", "mindre_skade", 1), ("level", "system", 1),
        ("direction", "sykehus->kommune", 1), ("reporter_org", "stolav", 1),
        ("receiver_org", "5001", 1), ("receiver_org", "5031", 1),
        ("month", "2024-05", 1), ("weekday", "3", 1), ("hour", "0", 1),
        ("status", "meldt", 1), ("status", "avvist", 1),
    ]


def test_the_last_minutes_of_april_are_in_t1_and_the_first_of_may_in_t2(db, at):
    seed(db)
    first = rows(db, 2024, 1)
    assert {r["period"] for r in first} == {"2024-T1"}
    assert [(v, c) for d, v, c in table(first) if d in ("total", "month", "hour")] == [
        ("alle", 2), ("2024-03", 1), ("2024-04", 1), ("14", 1), ("23", 1)]  # A and B
    assert ("month", "2024-05", 1) in table(rows(db, 2024, 2))
    third = table(rows(db, 2024, 3))  # D alone: a Sunday, a date without a time
    assert [r for r in third if r[0] in ("total", "weekday", "hour", "status")] == [
        ("total", "alle", 1), ("weekday", "7", 1), ("status", "besvart", 1)]


def test_a_deviation_to_two_receivers_counts_once_under_each_and_once_in_total(db, at):
    create(db, report("5001", ["stolav", "fastlege-5001"], datetime(2024, 2, 1, 8, 0),
                      "transport", "ingen_skade"), user_id=None)
    found = table(rows(db, 2024))
    assert ("total", "alle", 1) in found
    assert [r for r in found if r[0] in ("direction", "receiver_org")] == [
        ("direction", "kommune->sykehus", 1), ("direction", "kommune->fastlege", 1),
        ("receiver_org", "stolav", 1), ("receiver_org", "fastlege-5001", 1)]


def test_two_receivers_of_the_same_kind_make_one_direction(db, at):
    create(db, report("stolav", ["5001", "5031"], datetime(2024, 2, 1, 8, 0), "transport",
                      "ingen_skade"), user_id=None)
    create(db, report("stolav", ["5028"], datetime(2024, 2, 2, 8, 0), "transport",
                      "ingen_skade"), user_id=None)
    found = table(rows(db, 2024))
    assert [r for r in found if r[0] == "direction"] == [("direction", "sykehus->kommune", 2)]


def test_only_deviations_with_a_time_have_an_hour(db, at):
    create(db, report("5001", ["stolav"], date(2024, 2, 1), "transport", "ingen_skade"),
           user_id=None)
    create(db, report("5001", ["stolav"], datetime(2024, 2, 1, 0, 0), "transport",
                      "ingen_skade"), user_id=None)  # midnight, given as a time
    found = table(rows(db, 2024))
    assert ("total", "alle", 2) in found
    assert [r for r in found if r[0] == "hour"] == [("hour", "0", 1)]


def test_a_period_with_only_rejected_deviations_has_only_status_rows(db, at):
    e = create(db, report("5031", ["stolav"], datetime(2024, 6, 10, 9, 0), "meldinger",
                          "ingen_skade"), user_id=None)
    step(db, e, "avvist", "stolav", reason="Ikke et samhandlingsavvik.")
    assert table(rows(db, 2024)) == [("status", "avvist", 1)]


def test_an_empty_year_has_no_rows(db, at):
    seed(db)
    assert rows(db, 2022) == []


def test_a_year_or_tertial_out_of_range_is_refused():
    with pytest.raises(ValueError):
        Period(1899)
    with pytest.raises(ValueError):
        Period(2024, 4)
    assert (Period(2024, 3).start, Period(2024, 3).end) == (date(2024, 9, 1), date(2025, 1, 1))
    assert (Period(2024, 1).start, Period(2024, 1).end) == (date(2024, 1, 1), date(2024, 5, 1))
