"""KPI 5: of the UKP stays discharged alive in a month, the share whose patient has an
acute admission more than 8 hours and at most 30 x 24 hours after the discharge, by the
wall-clock times as given (any sector); preliminary until 30 days after the month."""

import pytest

from tests.support.records import load, results, shared_results, stay

# Each case is one patient in a municipality of its own, discharged home from a UKP stay
# on 10 January 2024 at 12:00, and what came after; one computation answers them all.
# (municipality, the patient's later stays, KPI 5 numerator and denominator for January)
CASES = [
    ("5001", [dict(admitted="2024-01-10 20:00")], 0, 1),  # exactly 8 h: not more than 8 h
    ("5031", [dict(admitted="2024-01-10 20:01")], 1, 1),  # 8 h 1 min
    ("5028", [dict(admitted="2024-02-09 12:00")], 1, 1),  # exactly 720 h (10 Jan + 30 days)
    ("5029", [dict(admitted="2024-02-09 12:01")], 0, 1),  # 720 h 1 min
    ("5027", [dict(admitted="2024-01-10 13:00")], 0, 1),  # 1 h: a transfer
    ("5057", [dict(admitted="2024-01-15 10:00", admission="planlagt")], 0, 1),  # planned
    ("5054", [dict(admitted="2024-01-15 10:00", sector="psykisk_helsevern")], 1, 1),
    ("5058", [dict(admitted="2024-01-15 10:00", patient="someone-else")], 0, 1),
    ("5020", [dict(admitted="2024-01-15 10:00"), dict(admitted="2024-01-25 10:00")], 1, 1),
    # the readmission is a UKP stay discharged alive in January itself: 1 of 2 index stays
    ("5059", [dict(admitted="2024-01-15 10:00", ready="2024-01-16 10:00",
                   discharged="2024-01-18 10:00", destination="hjem")], 1, 2),
]


def case_stays():
    stays = []
    for municipality, after, _, _ in CASES:
        patient = f"p{municipality}"
        stays.append(stay(f"index-{municipality}", patient, municipality,
                          ready="2024-01-08 09:00", discharged="2024-01-10 12:00",
                          destination="hjem"))
        for n, later in enumerate(after):
            later = {"patient": patient, **later}
            stays.append(stay(f"again-{municipality}-{n}", later.pop("patient"), municipality,
                              **later))
    return stays


@pytest.mark.parametrize(
    ("municipality", "numerator", "denominator"), [(m, n, d) for m, _, n, d in CASES],
    ids=["exactly-8h", "8h-1min", "exactly-720h", "720h-1min", "1h", "planned",
         "other-sector", "other-patient", "twice", "readmission-is-ukp-itself"],
)
def test_an_acute_readmission_counts_after_more_than_8_hours_and_up_to_30_days(
    db, municipality, numerator, denominator
):
    r = shared_results(db, "readmission-edges", "2024-03-15", case_stays())
    kpi5 = r.of("2024-01", 5, municipality=municipality)
    assert (kpi5.numerator, kpi5.denominator) == (numerator, denominator)
    assert kpi5.value == 100 * numerator / denominator  # 0.0, 50.0 or 100.0


def test_the_readmission_share_pools_the_index_stays_of_the_community(db):
    r = shared_results(db, "readmission-edges", "2024-03-15", case_stays())
    kpi5 = r.of("2024-01", 5)  # somatikk: the ten index stays of January
    # counted: 5031, 5028, 5054, 5020, 5059 = 5 of 10; the readmission in 5059 is itself a
    # UKP stay discharged alive in January, not readmitted: 5 / 11 = 45.45.. -> 45.5
    assert (kpi5.numerator, kpi5.denominator, kpi5.value) == (5, 11, 45.5)
    psych = r.of("2024-01", 5, sector="psykisk_helsevern")
    assert psych.denominator == 0  # the psychiatric readmission was not a UKP stay


def test_a_readmission_after_the_cutoff_does_not_exist_yet(db):
    load(db, [
        stay("index", "p", ready="2024-01-08 09:00", discharged="2024-01-10 12:00"),
        stay("again", "p", admitted="2024-01-20 10:00"),
    ])
    kpi5 = results(db, "2024-01-18").of("2024-01", 5)
    assert (kpi5.numerator, kpi5.denominator, kpi5.value) == (0, 1, 0.0)


def test_a_readmission_recorded_by_another_source_counts(db):
    load(db, [stay("index", "p", ready="2024-01-08 09:00", discharged="2024-01-10 12:00"),
              stay("again", "p", admitted="2024-01-15 10:00", source="other-hospital")])
    kpi5 = results(db, "2024-03-15").of("2024-01", 5)
    assert (kpi5.numerator, kpi5.denominator) == (1, 1)


def test_a_death_is_left_out_of_the_readmission_share(db):
    load(db, [
        stay("index", "p", ready="2024-01-08 09:00", discharged="2024-01-10 12:00"),
        stay("again", "p", admitted="2024-01-15 10:00"),
        stay("died", "q", ready="2024-01-08 09:00", discharged="2024-01-12 12:00",
             destination="dod"),
    ])
    kpi5 = results(db, "2024-03-15").of("2024-01", 5)
    assert (kpi5.numerator, kpi5.denominator, kpi5.value) == (1, 1, 100.0)  # not 1/2


def test_a_stay_not_yet_discharged_at_the_cutoff_is_not_an_index_stay(db):
    load(db, [
        stay("index", "p", ready="2024-01-08 09:00", discharged="2024-01-20 12:00"),
        stay("again", "p", admitted="2024-01-25 10:00"),
    ])
    kpi5 = results(db, "2024-01-15").of("2024-01", 5)
    assert (kpi5.numerator, kpi5.denominator, kpi5.value) == (0, 0, None)


# Around the daylight-saving changes of 2024, again one patient per municipality.
# (municipality, discharged, readmitted, counted)
DST_CASES = [
    # Spring forward, 31 March 02:00 -> 03:00: 8 h by the clock is 7 h elapsed.
    ("5001", "2024-03-30 22:00", "2024-03-31 06:00", False),  # 8 h by the clock
    ("5031", "2024-03-30 22:00", "2024-03-31 06:01", True),  # 8 h 1 min by the clock
    # Fall back, 27 October 03:00 -> 02:00: 8 h by the clock is 9 h elapsed.
    ("5028", "2024-10-26 22:00", "2024-10-27 06:00", False),  # 8 h by the clock
    ("5029", "2024-10-26 22:00", "2024-10-27 06:01", True),
]


def dst_stays():
    stays = []
    for municipality, discharged, readmitted, _ in DST_CASES:
        patient = f"p{municipality}"
        stays.append(stay(f"index-{municipality}", patient, municipality, ready=discharged,
                          discharged=discharged, destination="hjem"))
        stays.append(stay(f"again-{municipality}", patient, municipality, admitted=readmitted))
    return stays


@pytest.mark.parametrize(
    ("municipality", "month", "counted"),
    [(m, discharged[:7], counted) for m, discharged, _, counted in DST_CASES],
    ids=["spring-8h", "spring-8h-1min", "autumn-8h", "autumn-8h-1min"],
)
def test_the_8_hours_are_wall_clock_hours_across_a_daylight_saving_change(
    db, municipality, month, counted
):
    r = shared_results(db, "readmission-dst", "2024-12-15", dst_stays())
    kpi5 = r.of(month, 5, municipality=municipality)
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
    load(db, [stay("index", "p", ready="2024-01-08 09:00", discharged="2024-01-10 12:00")])
    r = results(db, cutoff)
    assert r.of("2024-01", 5).preliminary is preliminary
    assert r.of("2024-01", 5, municipality="5033").preliminary is preliminary  # empty too
    assert r.of("2024-01", 5, sector="alle").preliminary is preliminary
    assert r.of("2024-02", 5).preliminary is True  # February ends 1 Mar; + 30 days = 31 Mar
    assert not any(row.preliminary for row in r.rows if row.kpi != 5)  # only KPI 5


def test_every_month_still_within_its_follow_up_window_is_preliminary(db):
    load(db, [stay("index", "p", ready="2024-01-08 09:00", discharged="2024-01-10 12:00")])
    r = results(db, "2024-02-15")
    assert all(row.preliminary for row in r.rows if row.kpi == 5)  # January and February
