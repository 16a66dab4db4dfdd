"""KPI 6: of the short-term stays ended in a month, the mean of date(ended) - date(started);
grouped by the stay's municipality (region, community) and by unit, sector "alle" only."""

from tests.support.records import load, results, shared_results, short_stay, stay

SHORT_STAYS = [
    short_stay("s1", "5001", "Øya helsehus korttid",
               started="2024-01-03 10:00", ended="2024-01-10 09:00"),  # 10 - 3 = 7 days
    short_stay("s2", "5001", "Trondheim korttid",
               started="2023-12-20", ended="2024-01-05"),  # 11 (20 -> 31 Dec) + 5 = 16 days
    short_stay("s3", "5031", "Malvik korttid",
               started="2024-01-15 08:00", ended="2024-01-15 18:00"),  # same day: 0 days
    short_stay("s4", "5031", "Øya helsehus korttid",  # a Malvik resident in a Trondheim unit
               started="2024-01-20 12:00", ended="2024-01-24 08:00"),  # 4 days
    short_stay("open", "5001", "Øya helsehus korttid", started="2024-01-05"),
    short_stay("ends-after-cutoff", "5001", "Øya helsehus korttid",
               started="2024-02-20", ended="2024-03-05"),
]


def january(db):
    return shared_results(db, "short-stays", "2024-03-01", short_stays=SHORT_STAYS)


def test_the_mean_length_is_grouped_by_the_municipality_of_the_stay(db):
    r = january(db)
    trondheim = r.of("2024-01", 6, municipality="5001")
    assert (trondheim.numerator, trondheim.denominator, trondheim.value) == (23, 2, 11.5)
    # (7 + 16) / 2 = 11.5; the open stay is not counted
    malvik = r.of("2024-01", 6, municipality="5031")
    assert (malvik.numerator, malvik.denominator, malvik.value) == (4, 2, 2.0)  # (0 + 4) / 2


def test_regions_and_the_community_pool_the_short_term_stays(db):
    r = january(db)
    region = r.of("2024-01", 6, region="Trondheimsområdet")
    assert (region.numerator, region.denominator, region.value) == (4, 2, 2.0)  # Malvik only
    community = r.of("2024-01", 6)
    assert (community.numerator, community.denominator, community.value) == (27, 4, 6.75)
    # (7 + 16 + 0 + 4) / 4 = 6.75, not the mean of the municipal means (11.5 + 2) / 2


def test_the_mean_length_is_grouped_by_unit(db):
    r = january(db)
    oya = r.of("2024-01", 6, unit="Øya helsehus korttid")
    assert (oya.numerator, oya.denominator, oya.value) == (11, 2, 5.5)  # (7 + 4) / 2
    assert r.of("2024-01", 6, unit="Trondheim korttid").value == 16  # 16 / 1
    malvik = r.of("2024-01", 6, unit="Malvik korttid")
    assert (malvik.numerator, malvik.denominator, malvik.value) == (0, 1, 0.0)  # a real 0
    melhus = r.of("2024-01", 6, unit="Melhus korttid")
    assert (melhus.numerator, melhus.denominator, melhus.value) == (0, 0, None)


def test_a_stay_is_counted_in_the_month_it_ended(db):
    r = january(db)
    assert r.of("2023-12", 6).denominator == 0  # s2 started in December, ended in January


def test_open_stays_and_stays_ended_after_the_cutoff_are_left_out(db):
    r = january(db)
    for month in ("2024-02", "2024-03"):
        row = r.of(month, 6, unit="Øya helsehus korttid")
        assert (row.value, row.numerator, row.denominator) == (None, 0, 0), month


def test_a_stay_ended_at_the_cutoff_itself_is_counted(db):
    load(db, short_stays=[short_stay("s", started="2024-02-20", ended="2024-03-01 00:00")])
    row = results(db, "2024-03-01").of("2024-03", 6)
    assert (row.numerator, row.denominator, row.value) == (10, 1, 10.0)  # 20 Feb -> 1 Mar 2024


def test_short_term_stays_are_reported_for_sector_alle_only(db):
    r = january(db)
    assert {row.sector for row in r.rows if row.kpi == 6} == {"alle"}
    assert not r.has("2024-01", 6, "community", "all", "somatikk")


def test_short_term_stays_do_not_touch_the_hospital_kpis(db):
    load(db, [stay("a", ready="2024-01-10", discharged="2024-01-12")], short_stays=SHORT_STAYS)
    r = results(db, "2024-03-01")
    assert r.of("2024-01", 1, sector="alle").value == 2  # the hospital stay's 2 days only
    assert r.of("2024-01", 3, sector="alle").denominator == 1


def test_a_mean_length_is_rounded_half_up(db):
    # 1 + 0 + 0 days over 3 stays at Øya: 0.333.. -> 0.33; 2 + 2 + 1: 1.666.. -> 1.67
    load(db, short_stays=[
        short_stay("a", started="2024-01-01", ended="2024-01-02"),
        short_stay("b", started="2024-01-01", ended="2024-01-01 12:00"),
        short_stay("c", started="2024-01-01", ended="2024-01-01 13:00"),
        short_stay("d", "5031", "Malvik korttid", started="2024-01-01", ended="2024-01-03"),
        short_stay("e", "5031", "Malvik korttid", started="2024-01-01", ended="2024-01-03"),
        short_stay("f", "5031", "Malvik korttid", started="2024-01-01", ended="2024-01-02"),
    ])
    r = results(db, "2024-02-01")
    assert r.of("2024-01", 6, unit="Øya helsehus korttid").value == 0.33
    assert r.of("2024-01", 6, unit="Malvik korttid").value == 1.67
