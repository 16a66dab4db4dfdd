"""KPIs 2-4: of the UKP stays discharged in a month, the share with 0 UKP days, the mean
UKP days of the whole stay, and the share discharged alive that went straight home."""

from tests.support.records import load, results, shared_results, stay

JANUARY = [
    stay("zero", ready="2024-01-10 09:00", discharged="2024-01-10 15:00", destination="hjem"),
    stay("three", ready="2024-01-05 12:00", discharged="2024-01-08 10:00",
         destination="hjem_med_tjenester"),
    stay("five", ready="2023-12-28 12:00", discharged="2024-01-02 10:00",
         destination="korttidsopphold"),  # 28, 29, 30, 31 Dec and 1 Jan: 5 days
    stay("died", ready="2024-01-20 12:00", discharged="2024-01-22 10:00", destination="dod"),
    stay("never-ready", admitted="2024-01-03", discharged="2024-01-09", destination="hjem"),
    stay("open", ready="2024-01-25 12:00"),
    stay("after-cutoff", ready="2024-02-20 12:00", discharged="2024-03-03 10:00",
         destination="hjem"),
]


def january(db):
    return shared_results(db, "january", "2024-03-01", JANUARY)


def test_the_share_of_zero_day_stays_counts_every_ukp_stay_discharged_in_the_month(db):
    kpi2 = january(db).of("2024-01", 2)
    # zero / (zero, three, five, died): the dead count; never-ready and open do not
    assert (kpi2.numerator, kpi2.denominator, kpi2.value) == (1, 4, 25.0)  # 100 * 1/4


def test_the_mean_ukp_days_takes_the_whole_stay_also_days_before_the_month(db):
    kpi3 = january(db).of("2024-01", 3)
    # (0 + 3 + 5 + 2) / 4 = 2.5; "five" has 4 of its 5 days in December
    assert (kpi3.numerator, kpi3.denominator, kpi3.value) == (10, 4, 2.5)


def test_the_share_sent_home_counts_only_stays_discharged_alive(db):
    kpi4 = january(db).of("2024-01", 4)
    # home: zero (hjem), three (hjem_med_tjenester); alive: zero, three, five
    assert (kpi4.numerator, kpi4.denominator, kpi4.value) == (2, 3, 66.7)  # 66.66.. -> 66.7


def test_a_month_without_discharges_has_no_value_not_zero(db):
    r = january(db)
    for kpi in (2, 3, 4, 5):
        row = r.of("2024-02", kpi)  # "after-cutoff" is discharged 3 March: still in hospital
        assert (row.value, row.numerator, row.denominator) == (None, 0, 0), kpi


def test_a_stay_open_at_the_cutoff_is_not_discharged(db):
    load(db, [stay("a", ready="2024-01-10 09:00", discharged="2024-02-10 10:00",
                   destination="hjem")])
    r = results(db, "2024-02-05")
    for kpi in (2, 3, 4, 5):
        assert r.of("2024-02", kpi).denominator == 0, kpi


def test_a_stay_discharged_at_the_cutoff_itself_is_discharged(db):
    load(db, [stay("a", ready="2024-02-01 09:00", discharged="2024-02-05 00:00",
                   destination="hjem")])
    r = results(db, "2024-02-05")
    kpi3 = r.of("2024-02", 3)
    assert (kpi3.numerator, kpi3.denominator, kpi3.value) == (4, 1, 4.0)  # 1..4 February


def test_a_same_day_discharge_is_a_zero_and_pulls_the_mean_down(db):
    load(db, [
        stay("zero", ready="2024-01-10 09:00", discharged="2024-01-10 15:00"),
        stay("four", ready="2024-01-10 09:00", discharged="2024-01-14 15:00"),
    ])
    r = results(db, "2024-02-01")
    assert r.of("2024-01", 2).value == 50.0  # 1 zero-day / 2
    assert r.of("2024-01", 3).value == 2.0  # (0 + 4) / 2


def test_a_share_is_rounded_half_up_to_one_decimal(db):
    # 1 zero-day stay of 16: 6.25 % -> 6.3 (round-half-even would give 6.2)
    load(db, [stay("zero", ready="2024-01-10 09:00", discharged="2024-01-10 15:00")]
         + [stay(f"one-{i}", ready="2024-01-10 09:00", discharged="2024-01-11 09:00")
            for i in range(15)])
    kpi2 = results(db, "2024-02-01").of("2024-01", 2)
    assert (kpi2.numerator, kpi2.denominator, kpi2.value) == (1, 16, 6.3)


def test_a_mean_is_rounded_half_up_to_two_decimals(db):
    # 1 day over 8 stays: 0.125 -> 0.13 (round-half-even would give 0.12)
    load(db, [stay("one", ready="2024-01-10 09:00", discharged="2024-01-11 09:00")]
         + [stay(f"zero-{i}", ready="2024-01-10 09:00", discharged="2024-01-10 15:00")
            for i in range(7)])
    r = results(db, "2024-02-01")
    kpi3 = r.of("2024-01", 3)
    assert (kpi3.numerator, kpi3.denominator, kpi3.value) == (1, 8, 0.13)
    assert r.of("2024-01", 2).value == 87.5  # 7 / 8


def test_a_stay_is_counted_in_the_month_of_its_discharge_not_of_its_readiness(db):
    load(db, [stay("a", ready="2024-01-28 09:00", discharged="2024-02-03 15:00")])
    r = results(db, "2024-03-01")
    assert r.of("2024-01", 3).denominator == 0
    kpi3 = r.of("2024-02", 3)
    assert (kpi3.numerator, kpi3.denominator, kpi3.value) == (6, 1, 6.0)  # 28 Jan .. 2 Feb


def test_a_death_counts_for_zero_days_and_the_mean_but_not_for_going_home(db):
    load(db, [stay("died", ready="2024-01-10 09:00", discharged="2024-01-10 20:00",
                   destination="dod")])
    r = results(db, "2024-02-01")
    assert (r.of("2024-01", 2).numerator, r.of("2024-01", 2).denominator) == (1, 1)
    assert (r.of("2024-01", 3).numerator, r.of("2024-01", 3).denominator) == (0, 1)
    assert r.of("2024-01", 3).value == 0.0  # a mean of one 0: 0.00, not "no value"
    for kpi in (4, 5):
        row = r.of("2024-01", kpi)
        assert (row.value, row.numerator, row.denominator) == (None, 0, 0), kpi
