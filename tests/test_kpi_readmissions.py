"""KPI 5: of the UKP stays discharged alive in a month, the share whose patient has an
acute admission more than 8 hours and at most 30 x 24 hours after the discharge, by the
wall-clock times as given (any sector); preliminary until 30 days after the month."""

import pytest

from tests.support.records import load, results, stay

DISCHARGED = "2024-01-10 12:00"


def index_stay(patient: str = "p", **kw) -> object:
    """The UKP stay whose readmission is in question, discharged home on 10 January 12:00."""
    return stay("index", patient, ready="2024-01-08 09:00", discharged=DISCHARGED,
                destination="hjem", **kw)


def readmission(admitted: str, patient: str = "p", **kw) -> object:
    """A later stay of the same patient; it need not be a UKP stay itself."""
    return stay("again", patient, admitted=admitted, **kw)


@pytest.mark.parametrize(
    ("admitted", "counted"),
    [
        ("2024-01-10 20:00", False),  # exactly 8 h after: not more than 8 h
        ("2024-01-10 20:01", True),  # 8 h 1 min
        ("2024-02-09 12:00", True),  # exactly 30 x 24 h = 720 h (10 Jan + 30 days = 9 Feb)
        ("2024-02-09 12:01", False),  # 720 h 1 min
        ("2024-01-10 13:00", False),  # 1 h: a transfer, not a readmission
    ],
)
def test_an_acute_readmission_counts_after_more_than_8_hours_and_up_to_30_days(
    db, admitted, counted
):
    load(db, [index_stay(), readmission(admitted)])
    kpi5 = results(db, "2024-03-15").of("2024-01", 5)
    assert (kpi5.numerator, kpi5.denominator) == (int(counted), 1)
    assert kpi5.value == (100.0 if counted else 0.0)  # 1/1 or 0/1


def test_a_planned_admission_is_not_a_readmission(db):
    load(db, [index_stay(), readmission("2024-01-15 10:00", admission="planlagt")])
    kpi5 = results(db, "2024-03-15").of("2024-01", 5)
    assert (kpi5.numerator, kpi5.denominator, kpi5.value) == (0, 1, 0.0)


def test_an_acute_admission_in_the_other_sector_is_a_readmission(db):
    load(db, [index_stay(), readmission("2024-01-15 10:00", sector="psykisk_helsevern")])
    r = results(db, "2024-03-15")
    kpi5 = r.of("2024-01", 5)  # counted for the index stay's sector, somatikk
    assert (kpi5.numerator, kpi5.denominator, kpi5.value) == (1, 1, 100.0)
    assert r.of("2024-01", 5, sector="psykisk_helsevern").denominator == 0


def test_an_admission_of_another_patient_is_not_a_readmission(db):
    load(db, [index_stay(), readmission("2024-01-15 10:00", patient="someone-else")])
    kpi5 = results(db, "2024-03-15").of("2024-01", 5)
    assert (kpi5.numerator, kpi5.denominator) == (0, 1)


def test_a_readmission_after_the_cutoff_does_not_exist_yet(db):
    load(db, [index_stay(), readmission("2024-01-20 10:00")])
    kpi5 = results(db, "2024-01-18").of("2024-01", 5)
    assert (kpi5.numerator, kpi5.denominator, kpi5.value) == (0, 1, 0.0)


def test_a_readmission_from_another_source_counts(db):
    load(db, [index_stay()])
    load(db, [readmission("2024-01-15 10:00")], source="other-hospital")
    kpi5 = results(db, "2024-03-15").of("2024-01", 5)
    assert (kpi5.numerator, kpi5.denominator) == (1, 1)


def test_several_readmissions_count_the_index_stay_once(db):
    load(db, [index_stay(), stay("again-1", "p", admitted="2024-01-15 10:00"),
              stay("again-2", "p", admitted="2024-01-25 10:00")])
    kpi5 = results(db, "2024-03-15").of("2024-01", 5)
    assert (kpi5.numerator, kpi5.denominator, kpi5.value) == (1, 1, 100.0)


def test_a_death_is_left_out_of_the_readmission_share(db):
    load(db, [
        index_stay(),
        readmission("2024-01-15 10:00"),
        stay("died", "q", ready="2024-01-08 09:00", discharged="2024-01-12 12:00",
             destination="dod"),
    ])
    kpi5 = results(db, "2024-03-15").of("2024-01", 5)
    assert (kpi5.numerator, kpi5.denominator, kpi5.value) == (1, 1, 100.0)  # not 1/2


def test_the_share_pools_the_index_stays_of_the_month(db):
    load(db, [
        stay("a", "pa", ready="2024-01-05 09:00", discharged="2024-01-06 12:00"),
        stay("a2", "pa", admitted="2024-01-20 09:00"),  # 14 days later: readmitted
        stay("b", "pb", ready="2024-01-05 09:00", discharged="2024-01-07 12:00"),
        stay("c", "pc", ready="2024-01-05 09:00", discharged="2024-01-08 12:00"),
    ])
    kpi5 = results(db, "2024-03-15").of("2024-01", 5)
    assert (kpi5.numerator, kpi5.denominator, kpi5.value) == (1, 3, 33.3)  # 33.33.. -> 33.3


def test_a_stay_not_yet_discharged_at_the_cutoff_is_not_an_index_stay(db):
    load(db, [stay("index", "p", ready="2024-01-08 09:00", discharged="2024-01-20 12:00",
                   destination="hjem"),
              readmission("2024-01-25 10:00")])
    kpi5 = results(db, "2024-01-15").of("2024-01", 5)
    assert (kpi5.numerator, kpi5.denominator, kpi5.value) == (0, 0, None)


@pytest.mark.parametrize(
    ("discharged", "admitted", "counted"),
    [
        # Spring forward, 31 March 2024 02:00 -> 03:00: wall-clock 8 h is 7 h elapsed.
        ("2024-03-30 22:00", "2024-03-31 06:00", False),  # 8 h by the clock: not counted
        ("2024-03-30 22:00", "2024-03-31 06:01", True),  # 8 h 1 min by the clock (7 h 1 min)
        # Fall back, 27 October 2024 03:00 -> 02:00: wall-clock 8 h is 9 h elapsed.
        ("2024-10-26 22:00", "2024-10-27 06:00", False),  # 8 h by the clock (9 h elapsed)
        ("2024-10-26 22:00", "2024-10-27 06:01", True),
    ],
)
def test_the_8_hours_are_wall_clock_hours_across_a_daylight_saving_change(
    db, discharged, admitted, counted
):
    load(db, [
        stay("index", "p", ready=discharged, discharged=discharged, destination="hjem"),
        readmission(admitted),
    ])
    kpi5 = results(db, "2024-12-15").of(discharged[:7], 5)
    assert (kpi5.numerator, kpi5.denominator) == (int(counted), 1)


@pytest.mark.parametrize(
    ("cutoff", "preliminary"),
    [
        ("2024-03-01 23:59", True),  # January ends 1 Feb 00:00; + 30 days = 2 Mar 00:00
        ("2024-03-02 00:00", False),  # exactly 30 days after the end of January
        ("2024-03-05 00:00", False),
    ],
)
def test_the_readmission_share_is_preliminary_until_30_days_after_the_month(
    db, cutoff, preliminary
):
    load(db, [index_stay()])
    r = results(db, cutoff)
    assert r.of("2024-01", 5).preliminary is preliminary
    assert r.of("2024-01", 5, municipality="5001").preliminary is preliminary
    assert r.of("2024-01", 5, sector="alle").preliminary is preliminary
    assert r.of("2024-02", 5).preliminary is True  # February ends 1 Mar; + 30 days = 31 Mar


def test_only_the_readmission_share_is_ever_preliminary(db):
    load(db, [index_stay()])
    r = results(db, "2024-02-15")
    assert {row.kpi for row in r.rows if row.preliminary} == {5}
    assert all(row.preliminary for row in r.rows if row.kpi == 5)  # Jan, Feb: all open
