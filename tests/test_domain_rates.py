"""UKP days per 1 000 inhabitants (flyt.domain.rates): one function for the monthly
report, its workbook and the municipality page."""

from __future__ import annotations

from flyt.domain.rates import per_1000, total_population


def test_ukp_days_per_1000_inhabitants_are_rounded_to_one_decimal():
    # 123 days, 4 567 inhabitants: 123 000 / 4 567 = 26.93…
    assert per_1000(123, 4567) == 26.9
    # 45 days, 2 000 inhabitants: exactly 22.5
    assert per_1000(45, 2000) == 22.5


def test_there_is_no_rate_without_days_or_without_a_population():
    assert per_1000(None, 4567) is None
    assert per_1000(":", 4567) is None  # a hidden count
    assert per_1000(123, None) is None
    assert per_1000(123, 0) is None


def test_a_municipality_without_a_population_counts_none_in_a_total():
    assert total_population([1000, None, 250]) == 1250
