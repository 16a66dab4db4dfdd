"""The ``[payment]`` configuration: Helsedirektoratet's day rates, overrides, the steps."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from flyt.payment.basis import step_of
from flyt.payment.rates import PaymentConfigError, Step, load_payment_settings

# NOK per UKP day as Helsedirektoratet published them (2025 from a press report).
PUBLISHED = {2014: 4255, 2015: 4387, 2016: 4505, 2017: 4622, 2018: 4747, 2019: 4885,
             2020: 5036, 2021: 5167, 2022: 5306, 2023: 5508, 2024: 5745, 2025: 5981}


def test_without_a_configuration_the_rates_are_the_published_ones_and_the_steps_the_example(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("FLYT_CONFIG", str(tmp_path / "none.toml"))
    settings = load_payment_settings()
    assert {year: settings.rate(year) for year in PUBLISHED} == PUBLISHED
    assert not settings.configured_years
    assert [(s.from_day, s.factor) for s in settings.steps] == [(1, 1), (8, 1.5), (15, 2)]


def test_the_configuration_file_adds_a_year_and_overrides_another(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    config = tmp_path / "flyt.toml"
    config.write_text('[payment.rates]\n2026 = 6200\n2024 = 5800.25\n'
                      '[payment.scenario]\nsteps = [{from_day = 1, factor = 1.0}, '
                      '{from_day = 5, factor = 1.25}]\n', encoding="utf-8")
    monkeypatch.setenv("FLYT_CONFIG", str(config))
    settings = load_payment_settings()
    assert settings.rate(2026) == 6200
    assert settings.rate(2024) == Decimal("5800.25")
    assert settings.rate(2023) == 5508
    assert settings.configured_years == {2024, 2026}
    assert settings.steps == (Step(1, Decimal("1.0")), Step(5, Decimal("1.25")))
    assert [step_of(settings.steps, day) for day in (1, 4, 5, 400)] == [0, 0, 1, 1]


def test_a_year_before_every_rate_names_the_year_and_the_key_to_set():
    with pytest.raises(PaymentConfigError) as raised:
        load_payment_settings({}).rate(2013)
    assert "2013" in str(raised.value) and "[payment.rates]" in str(raised.value)


@pytest.mark.parametrize(("section", "named"), [
    ({"rates": {"2026": "much"}}, "[payment.rates] 2026"),
    ({"rates": {"2026": -1}}, "[payment.rates] 2026"),
    ({"rates": {"2026": 6200.125}}, "two decimals"),
    ({"rates": {"next": 6200}}, "'next' is not a year"),
    ({"scenario": {"steps": []}}, "non-empty list"),
    ({"scenario": {"steps": [{"from_day": 2, "factor": 1}]}}, "from_day = 1"),
    ({"scenario": {"steps": [{"from_day": 1, "factor": 1}, {"from_day": 1, "factor": 2}]}},
     "later day"),
    ({"scenario": {"steps": [{"from_day": 1, "factr": 1}]}}, "step 1"),
    ({"scenario": {"steps": [{"from_day": 1.5, "factor": 1}]}}, "whole number"),
])
def test_a_bad_payment_section_is_one_sentence_naming_the_key(section: dict, named: str):
    with pytest.raises(PaymentConfigError, match="payment") as raised:
        load_payment_settings({"payment": section})
    assert named in str(raised.value)
