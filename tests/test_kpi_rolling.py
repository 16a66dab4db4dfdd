"""Rolling 12 months: KPI 1 summed over the 12 months ending with M, KPIs 2-6 recomputed
over the pooled stays of those months; no value while the window reaches before the data."""

from tests.support.records import load, results, shared_results, short_stay, stay

STAYS = [
    stay("jan23", ready="2023-01-10", discharged="2023-01-14"),  # 4 days in Jan 2023
    stay("jun23", ready="2023-06-01", discharged="2023-06-11"),  # 10 days in Jun 2023
    *[stay(f"nov23-{i}", ready="2023-11-15 09:00", discharged="2023-11-15 14:00")
      for i in range(4)],  # four 0-day stays in Nov 2023
    stay("newyear", ready="2023-12-30", discharged="2024-01-02"),  # 2 in Dec, 1 in Jan 2024
]
SHORT_STAYS = [
    short_stay("k-jan23", started="2023-01-05", ended="2023-01-15"),  # 10 days
    *[short_stay(f"k-dec23-{i}", started="2023-12-05", ended="2023-12-06")
      for i in range(3)],  # three of 1 day
]


def rolling(db):
    return shared_results(db, "rolling", "2024-03-01", STAYS, short_stays=SHORT_STAYS)


def test_there_is_no_rolling_value_before_twelve_months_of_data(db):
    r = rolling(db)
    for month in ("2023-01", "2023-06", "2023-11"):  # the window starts before Jan 2023
        for kpi in range(1, 7):
            row = r.of(month, kpi)
            assert (row.value_12m, row.numerator_12m, row.denominator_12m) == (None,) * 3


def test_the_rolling_ukp_days_sum_the_last_twelve_months(db):
    r = rolling(db)
    dec = r.of("2023-12", 1)  # Jan..Dec 2023: 4 + 10 + 0 + 2
    assert (dec.value_12m, dec.numerator_12m, dec.denominator_12m) == (16, 16, None)
    jan = r.of("2024-01", 1)  # Feb 2023..Jan 2024: 10 + 0 + 2 + 1; January 2023 left
    assert (jan.value_12m, jan.numerator_12m) == (13, 13)
    assert r.of("2024-03", 1).value_12m == 13  # Apr 2023..Mar 2024: 10 + 2 + 1


def test_the_rolling_mean_pools_the_stays_instead_of_averaging_monthly_means(db):
    r = rolling(db)
    dec = r.of("2023-12", 3)
    # (4 + 10 + 0 + 0 + 0 + 0) / 6 stays = 2.333.. -> 2.33;
    # the mean of the monthly means would be (4 + 10 + 0) / 3 = 4.67
    assert (dec.numerator_12m, dec.denominator_12m, dec.value_12m) == (14, 6, 2.33)
    jan = r.of("2024-01", 3)
    # Feb 2023..Jan 2024: (10 + 0 * 4 + 3) / 6 = 2.1666.. -> 2.17 ("newyear" has 3 days)
    assert (jan.numerator_12m, jan.denominator_12m, jan.value_12m) == (13, 6, 2.17)


def test_the_rolling_share_pools_the_stays(db):
    dec = rolling(db).of("2023-12", 2)
    # 4 zero-day stays of 6 discharged in 2023: 66.666.. -> 66.7
    assert (dec.numerator_12m, dec.denominator_12m, dec.value_12m) == (4, 6, 66.7)


def test_the_rolling_short_term_stay_length_pools_the_stays(db):
    r = rolling(db)
    dec = r.of("2023-12", 6, unit="Øya helsehus korttid")
    # (10 + 1 + 1 + 1) / 4 = 3.25, not the mean of the monthly means (10 + 1) / 2 = 5.5
    assert (dec.numerator_12m, dec.denominator_12m, dec.value_12m) == (13, 4, 3.25)
    jan = r.of("2024-01", 6, unit="Øya helsehus korttid")
    assert (jan.numerator_12m, jan.denominator_12m, jan.value_12m) == (3, 3, 1.0)  # 3 / 3


def test_a_rolling_ratio_without_stays_in_the_window_has_no_value(db):
    r = rolling(db)
    tydal = r.of("2023-12", 3, municipality="5033")
    assert (tydal.numerator_12m, tydal.denominator_12m, tydal.value_12m) == (0, 0, None)
    tydal_days = r.of("2023-12", 1, municipality="5033")
    assert (tydal_days.numerator_12m, tydal_days.value_12m) == (0, 0)  # a count: 0


def test_the_rolling_values_exist_once_the_first_month_with_data_is_twelve_months_back(db):
    load(db, [stay("first", admitted="2023-03-20"), *STAYS[1:]])  # data start in March 2023
    r = results(db, "2024-03-01")
    assert r.of("2024-01", 1).value_12m is None  # Feb 2023..Jan 2024 reaches before March
    assert r.of("2024-02", 1).value_12m == 13  # Mar 2023..Feb 2024: 10 + 2 + 1


def test_a_stay_spanning_several_months_is_one_person_in_the_12_month_count(db):
    # Data start January 2023; one stay ready 20 Jan 2024, discharged 10 Mar 2024: UKP days
    # in January, February and March, but one person behind the 12-month KPI 1 in March
    # (the monthly counts 1 + 1 + 1 would say 3).
    from tests.support.records import load, results, stay

    load(db, [stay("early", admitted="2023-01-05"),
              stay("long", ready="2024-01-20", discharged="2024-03-10")])
    r = results(db, "2024-04-01")
    march = r.of("2024-03", 1)
    assert march.numerator_12m == 12 + 29 + 9  # 20-31 Jan, all of Feb (leap), 1-9 Mar
    assert march.persons_12m == 1
