"""Which cells the KPI table has, and how municipalities add up to regions, the community
and both sectors together (spec/kpi.md, "The six KPIs"; design: every month from the first
month with data to the cut-off's month, every group of the reference data)."""

from tests.support.records import load, results, short_stay, stay

# The default reference data: 20 municipalities in 6 regions, 21 short-term units.
MUNICIPALITIES = 20
REGIONS = 6
SHORT_TERM_UNITS = 21


def test_results_run_from_the_first_month_with_data_to_the_month_of_the_cutoff(db):
    load(db, [stay("a", admitted="2023-11-20 10:00")])
    r = results(db, "2024-02-10 08:00")
    assert r.months == ["2023-11", "2023-12", "2024-01", "2024-02"]


def test_a_short_term_stay_can_be_the_first_data(db):
    load(db, [stay("a", admitted="2024-01-20 10:00")],
         short_stays=[short_stay("k", started="2023-12-20", ended="2024-01-05")])
    r = results(db, "2024-01-31")
    assert r.months == ["2023-12", "2024-01"]


def test_records_after_the_cutoff_do_not_start_the_results(db):
    # Nothing after the cut-off exists: with only a stay admitted on 20 February and a
    # short-term stay started on 25 February, there are no data as of 10 February.
    load(db, [stay("late", admitted="2024-02-20 10:00")],
         short_stays=[short_stay("k", started="2024-02-25")])
    r = results(db, "2024-02-10")
    assert r.months == []


def test_every_municipality_region_sector_and_unit_has_a_row(db):
    load(db, [stay("a", admitted="2024-01-20 10:00")])
    r = results(db, "2024-01-31")
    groups = 1 + REGIONS + MUNICIPALITIES
    # KPI 1-5 in three sectors, KPI 6 in "alle" for every group and every short-term unit
    assert len(r.rows) == groups * 3 * 5 + groups + SHORT_TERM_UNITS
    assert {row.group_type for row in r.rows if row.kpi != 6} == {
        "community", "region", "municipality"}
    assert {row.sector for row in r.rows if row.kpi == 6} == {"alle"}
    assert r.has("2024-01", 6, "unit", "Malvik korttid", "alle")
    assert not r.has("2024-01", 6, "unit", "Øya helsehus", "alle")  # after-care, not short-term


def test_a_municipality_without_stays_has_zero_days_and_no_ratio(db):
    load(db, [stay("a", ready="2024-01-10 09:00", discharged="2024-01-12 09:00")])
    r = results(db, "2024-02-01")
    tydal = r.of("2024-01", 1, municipality="5033")
    assert (tydal.value, tydal.numerator, tydal.denominator) == (0, 0, None)
    for kpi in (2, 3, 4, 5, 6):
        row = r.of("2024-01", kpi, municipality="5033")
        assert (row.value, row.numerator, row.denominator) == (None, 0, 0), kpi


def test_regions_and_the_community_add_up_their_municipalities(db):
    load(db, [
        stay("malvik", municipality="5031", ready="2024-01-10", discharged="2024-01-13"),  # 3
        stay("melhus", municipality="5028", ready="2024-01-10", discharged="2024-01-12"),  # 2
        stay("trondheim", municipality="5001", ready="2024-01-10", discharged="2024-01-14"),  # 4
    ])
    r = results(db, "2024-02-01")
    assert r.of("2024-01", 1, region="Trondheimsområdet").value == 5  # Malvik 3 + Melhus 2
    assert r.of("2024-01", 1, region="Trondheim").value == 4  # Trondheim alone
    assert r.of("2024-01", 1, region="Fosen").value == 0
    assert r.of("2024-01", 1).value == 9  # 3 + 2 + 4
    kpi3 = r.of("2024-01", 3, region="Trondheimsområdet")
    assert (kpi3.numerator, kpi3.denominator, kpi3.value) == (5, 2, 2.5)  # (3 + 2) / 2
    kpi3 = r.of("2024-01", 3)
    assert (kpi3.numerator, kpi3.denominator, kpi3.value) == (9, 3, 3.0)  # 9 / 3


def test_sector_alle_is_both_sectors_together(db):
    load(db, [
        stay("s", ready="2024-01-10", discharged="2024-01-13", destination="hjem"),  # 3 days
        stay("p", ready="2024-01-10 10:00", discharged="2024-01-10 12:00",
             sector="psykisk_helsevern", destination="dod"),  # 0 days, died
    ])
    r = results(db, "2024-02-01")
    assert r.of("2024-01", 1, sector="somatikk").value == 3
    assert r.of("2024-01", 1, sector="psykisk_helsevern").value == 0
    assert r.of("2024-01", 1, sector="alle").value == 3  # 3 + 0
    kpi2 = r.of("2024-01", 2, sector="alle")
    assert (kpi2.numerator, kpi2.denominator, kpi2.value) == (1, 2, 50.0)  # 1 zero-day / 2
    kpi3 = r.of("2024-01", 3, sector="alle")
    assert (kpi3.numerator, kpi3.denominator, kpi3.value) == (3, 2, 1.5)  # (3 + 0) / 2
    kpi4 = r.of("2024-01", 4, sector="alle")
    assert (kpi4.numerator, kpi4.denominator, kpi4.value) == (1, 1, 100.0)  # the dead excluded
    kpi4 = r.of("2024-01", 4, sector="psykisk_helsevern")
    assert (kpi4.numerator, kpi4.denominator, kpi4.value) == (0, 0, None)
