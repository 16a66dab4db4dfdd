"""KPI 1, UKP days: each night in hospital while ready belongs to the month of its date
(spec/kpi.md, "UKP days of one stay" and "Several UKP periods in one stay")."""

from tests.support.records import load, period, results, stay


def test_the_spec_example_gives_two_days_to_january_and_one_to_february(db):
    load(db, [stay("a", ready="2024-01-30 10:00", discharged="2024-02-02 14:00")])
    r = results(db, "2024-03-01")
    assert r.of("2024-01", 1).value == 2  # nights of 30 and 31 January
    assert r.of("2024-02", 1).value == 1  # night of 1 February; 2 Feb is the discharge day
    assert r.of("2024-01", 1).numerator == 2
    assert r.of("2024-01", 1).denominator is None  # KPI 1 is a count
    assert r.of("2024-03", 1).value == 0


def test_days_are_split_across_a_year_end(db):
    load(db, [stay("a", ready="2023-12-30 08:00", discharged="2024-01-03 11:00")])
    r = results(db, "2024-02-01")
    assert r.of("2023-12", 1).value == 2  # 30 and 31 December
    assert r.of("2024-01", 1).value == 2  # 1 and 2 January


def test_a_patient_discharged_the_day_he_was_ready_has_no_ukp_day(db):
    load(db, [stay("a", ready="2024-01-10 09:00", discharged="2024-01-10 17:00")])
    r = results(db, "2024-02-01")
    assert r.of("2024-01", 1).value == 0  # 0 days, a count: 0 and not "no value"


def test_an_open_stay_counts_up_to_the_date_of_the_cutoff(db):
    load(db, [stay("a", ready="2024-01-29 10:00")])
    r = results(db, "2024-02-03 15:00")
    assert r.of("2024-01", 1).value == 3  # 29, 30, 31 January
    assert r.of("2024-02", 1).value == 2  # 1 and 2 February; 3 Feb, date(cut-off), is not


def test_a_stay_discharged_after_the_cutoff_counts_as_open(db):
    load(db, [stay("a", ready="2024-01-29 10:00", discharged="2024-02-10 12:00")])
    r = results(db, "2024-02-03 15:00")
    assert r.of("2024-01", 1).value == 3  # 29, 30, 31 January
    assert r.of("2024-02", 1).value == 2  # 1, 2 February: the discharge on 10 Feb has not happened


def test_an_open_stay_at_a_midnight_cutoff_counts_the_nights_before_it(db):
    load(db, [stay("a", ready="2024-01-29 10:00")])
    r = results(db, "2024-02-01")
    assert r.of("2024-01", 1).value == 3  # 29, 30, 31 January
    assert r.of("2024-02", 1).value == 0  # date(cut-off) = 1 Feb: no February night yet


def test_a_stay_admitted_after_the_cutoff_is_ignored(db):
    load(db, [
        stay("early", admitted="2024-01-05 10:00"),  # never ready: only starts the data
        stay("late", admitted="2024-02-05 10:00", ready="2024-02-05 12:00",
             discharged="2024-02-09 12:00"),
    ])
    r = results(db, "2024-02-03")
    assert r.months == ["2024-01", "2024-02"]
    assert r.of("2024-02", 1).value == 0  # the stay admitted 5 Feb does not exist yet
    assert r.of("2024-02", 3).denominator == 0


def test_a_stay_declared_ready_after_the_cutoff_has_no_ukp_day(db):
    load(db, [stay("a", admitted="2024-01-20 10:00", ready="2024-02-05 12:00")])
    r = results(db, "2024-02-03")
    assert r.of("2024-01", 1).value == 0
    assert r.of("2024-02", 1).value == 0


def test_a_stay_ready_at_the_cutoff_itself_has_no_ukp_day_yet(db):
    load(db, [stay("a", admitted="2024-01-20 10:00", ready="2024-02-03 00:00")])
    r = results(db, "2024-02-03")
    assert r.of("2024-02", 1).value == 0  # date(ready) = date(cut-off): 0 nights


def test_a_day_covered_by_overlapping_periods_counts_once(db):
    load(
        db,
        [stay("a", admitted="2024-01-09", ready="2024-01-10 08:00", discharged="2024-01-25 12:00")],
        [period("a", "2024-01-10 08:00", "2024-01-15 12:00"),  # 10..14 January: 5 nights
         period("a", "2024-01-13 09:00", "2024-01-20 10:00")],  # 13..19 January: 7 nights
    )
    r = results(db, "2024-02-01")
    assert r.of("2024-01", 1).value == 10  # union 10..19 January = 10 nights, not 5 + 7 = 12
    assert r.of("2024-01", 3).value == 10  # the stay's own UKP days: 10 / 1 stay


def test_periods_nested_in_an_earlier_one_touching_and_crossing_a_month_end_count_each_day_once(db):
    load(
        db,
        [stay("a", admitted="2024-01-09", ready="2024-01-10 08:00", discharged="2024-02-10 12:00")],
        [period("a", "2024-01-10 08:00", "2024-01-20 08:00"),  # 10..19 January
         period("a", "2024-01-12 08:00", "2024-01-14 08:00"),  # inside the first
         period("a", "2024-01-15 08:00", "2024-01-18 08:00"),  # after the second, inside the first
         period("a", "2024-01-20 10:00", "2024-02-03 09:00"),  # 20 January..2 February: touches
         period("a", "2024-01-30 08:00", "2024-02-01 08:00")],  # inside the fourth
    )
    r = results(db, "2024-03-01")
    assert r.of("2024-01", 1).value == 22  # 10..31 January, each night once
    assert r.of("2024-02", 1).value == 2  # 1 and 2 February
    assert r.of("2024-02", 3).value == 24  # the stay's own UKP days, ended in February


def test_a_period_withdrawn_the_day_it_began_has_no_day_and_a_new_declaration_counts(db):
    load(
        db,
        [stay("a", admitted="2024-01-05", ready="2024-01-10 09:00", discharged="2024-01-24 11:00")],
        [period("a", "2024-01-10 09:00", "2024-01-10 18:00"),  # withdrawn the same day: 0
         period("a", "2024-01-20 08:00")],  # ready again, until discharge: 20..23 January
    )
    r = results(db, "2024-02-01")
    assert r.of("2024-01", 1).value == 4  # 0 + 4 (20, 21, 22, 23 January)
    assert r.of("2024-01", 3).value == 4  # the stay has 4 UKP days: 4 / 1
    assert r.of("2024-01", 2).value == 0  # 4 days is not a 0-day stay: 0 / 1 = 0 %


def test_the_days_between_a_withdrawal_and_a_new_declaration_do_not_count(db):
    load(
        db,
        [stay("a", admitted="2024-01-05", ready="2024-01-10 09:00", discharged="2024-01-24 11:00")],
        [period("a", "2024-01-10 09:00", "2024-01-14 10:00"),  # 10..13 January: 4 nights
         period("a", "2024-01-20 08:00")],  # 20..23 January: 4 nights
    )
    r = results(db, "2024-02-01")
    assert r.of("2024-01", 1).value == 8  # 4 + 4; 14..19 January the patient was not ready


def test_a_withdrawal_before_the_cutoff_ends_a_period_and_one_after_it_leaves_it_open(db):
    load(
        db,
        [stay("a", admitted="2024-01-05", ready="2024-01-10 09:00")],
        [period("a", "2024-01-10 09:00", "2024-01-14 10:00"),  # 10..13 January: 4 nights
         period("a", "2024-01-20 08:00", "2024-02-10 10:00")],  # withdrawn after the cut-off
    )
    r = results(db, "2024-02-03 12:00")
    assert r.of("2024-01", 1).value == 16  # 4 + 12 (20..31 January)
    assert r.of("2024-02", 1).value == 2  # 1, 2 February; open at the cut-off (3 Feb)


def test_periods_replace_the_single_period_implied_by_ready_at(db):
    load(
        db,
        [stay("a", admitted="2024-01-05", ready="2024-01-06 09:00", discharged="2024-01-24 11:00")],
        [period("a", "2024-01-20 08:00")],  # ready_at says 6 Jan, the period file says 20 Jan
    )
    r = results(db, "2024-02-01")
    assert r.of("2024-01", 1).value == 4  # 20..23 January, not 6..23 (18)


def test_the_leap_day_is_a_ukp_day_of_february(db):
    load(db, [
        stay("a", ready="2024-02-27 10:00", discharged="2024-03-02 09:00"),
        stay("b", ready="2024-02-01 00:00", municipality="5031"),  # open all February
    ])
    r = results(db, "2024-03-01")
    assert r.of("2024-02", 1, municipality="5001").value == 3  # 27, 28, 29 February
    assert r.of("2024-02", 1, municipality="5031").value == 29  # 1..29 February 2024
    assert r.of("2024-03", 1, municipality="5001").value == 0  # cut-off 1 March: none yet


def test_the_leap_day_counts_in_a_whole_stay(db):
    load(db, [stay("a", ready="2024-02-27 10:00", discharged="2024-03-02 09:00")])
    r = results(db, "2024-04-01")
    assert r.of("2024-02", 1).value == 3  # 27, 28, 29 February
    assert r.of("2024-03", 1).value == 1  # 1 March
    assert r.of("2024-03", 3).value == 4  # whole stay: 2 Mar - 27 Feb = 4 days in 2024


def test_a_stay_within_the_spring_daylight_saving_night_has_no_ukp_day(db):
    # 31 March 2024: clocks jump from 02:00 to 03:00; 01:30 and 03:30 are both that date.
    load(db, [stay("a", ready="2024-03-31 01:30", discharged="2024-03-31 03:30")])
    r = results(db, "2024-04-15")
    assert r.of("2024-03", 1).value == 0
    assert r.of("2024-03", 2).value == 100  # 1 zero-day stay / 1 = 100 %


def test_the_long_autumn_daylight_saving_day_is_one_ukp_day(db):
    # 27 October 2024 has 25 hours; it is still one date, so one night.
    load(db, [stay("a", ready="2024-10-26 20:00", discharged="2024-10-28 10:00")])
    r = results(db, "2024-11-15")
    assert r.of("2024-10", 1).value == 2  # 26 and 27 October


def test_the_short_spring_daylight_saving_day_is_one_ukp_day(db):
    load(db, [stay("a", ready="2024-03-30 23:30", discharged="2024-04-01 00:30")])
    r = results(db, "2024-04-15")
    assert r.of("2024-03", 1).value == 2  # 30 and 31 March (31 March has 23 hours)
    assert r.of("2024-04", 1).value == 0
