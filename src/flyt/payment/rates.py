"""The ``[payment]`` section of the configuration file: day rates and the scenario's steps.

Municipalities pay the hospital a fixed amount for each UKP day (the day rate of the
year, published by Helsedirektoratet). The rates below are the published ones; the
configuration file adds years or overrides them::

    [payment.rates]
    2026 = 6200

    [payment.scenario]
    steps = [{from_day = 1, factor = 1.0}, {from_day = 8, factor = 1.5},
             {from_day = 15, factor = 2.0}]

A year after the last known rate (Helsedirektoratet sets each year's rate during
that year) is billed at the latest known rate, marked provisional on every output,
until the configuration gives the year's rate. A year before the first known rate
has none: an error naming the key to set.

Amounts are money: rates and factors are kept as ``Decimal`` (a TOML float such as
1.5 is read through its text), so an amount is exactly days x rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flyt.config import config_path, raw_config

# NOK per UKP day (Helsedirektoratet). 2025 is from a press report, not yet checked
# against Helsedirektoratet's own publication: see docs/payment.md.
DEFAULT_RATES: Mapping[int, Decimal] = {
    year: Decimal(rate) for year, rate in {
        2014: 4255, 2015: 4387, 2016: 4505, 2017: 4622, 2018: 4747, 2019: 4885,
        2020: 5036, 2021: 5167, 2022: 5306, 2023: 5508, 2024: 5745, 2025: 5981,
    }.items()
}


class PaymentConfigError(ValueError):
    """A missing or bad value in ``[payment]``; the message names the key to set."""


@dataclass(frozen=True)
class Step:
    """From the ``from_day``-th UKP day of a stay on, each day costs ``factor`` x the rate."""

    from_day: int
    factor: Decimal


# An example for discussion, not policy: the seed (002) notes that in somatics 13 % of
# the patients wait more than 8 days and make up over half of the days. Days 1-7 at the
# rate, the second week at 1.5 x, from day 15 on at 2 x.
DEFAULT_STEPS: tuple[Step, ...] = (
    Step(1, Decimal("1.0")), Step(8, Decimal("1.5")), Step(15, Decimal("2.0")),
)


@dataclass(frozen=True)
class DayRate:
    """The rate a year is billed at: its own, or while that is not known, the latest
    known rate before it (provisional)."""

    year: int  # the year billed
    amount: Decimal  # NOK per UKP day
    rate_year: int  # the year whose rate this is
    configured: bool  # from the configuration file, not Helsedirektoratet's defaults

    @property
    def provisional(self) -> bool:
        return self.rate_year != self.year


class NoDayRate(PaymentConfigError):
    """A year before every known rate. `known` is "2014–2025" (or "none")."""

    key = "payment_error_no_rate"  # the words in the user's language (flyt.i18n)

    def __init__(self, year: int, known: str) -> None:
        self.params = {"year": year, "known": known}
        super().__init__(f"no day rate for {year} (rates known for {known}): set it in the "
                         f"configuration file {config_path()} under [payment.rates] as "
                         f"{year} = <NOK per day>")


@dataclass(frozen=True)
class PaymentSettings:
    rates: Mapping[int, Decimal]
    configured_years: frozenset[int]  # years whose rate comes from the configuration file
    steps: tuple[Step, ...] = DEFAULT_STEPS

    def day_rate(self, year: int) -> DayRate:
        """The year's rate, else the latest one before it (provisional), else NoDayRate."""
        known = [y for y in self.rates if y <= year]
        if not known:
            raise NoDayRate(year, f"{min(self.rates)}–{max(self.rates)}"
                            if self.rates else "none")
        rate_year = max(known)
        return DayRate(year, self.rates[rate_year], rate_year,
                       rate_year in self.configured_years)

    def rate(self, year: int) -> Decimal:
        """NOK per day billed for the year (day_rate says whether it is provisional)."""
        return self.day_rate(year).amount


def _decimal(value: Any, key: str) -> Decimal:
    """A number >= 0 with at most two decimals: a rate in NOK and øre, or a factor."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise PaymentConfigError(f"{key} must be a number, not {value!r}")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise PaymentConfigError(f"{key} must be a number, not {value!r}") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise PaymentConfigError(f"{key} must be a number >= 0 with at most two decimals, "
                                 f"not {value!r}")
    return amount


def _rates(section: Any) -> dict[int, Decimal]:
    if not isinstance(section, dict):
        raise PaymentConfigError("[payment.rates] must be a table of year = NOK per day")
    rates = {}
    for year, value in section.items():
        if not (str(year).isdigit() and len(str(year)) == 4):
            raise PaymentConfigError(f"[payment.rates]: '{year}' is not a year (e.g. 2026)")
        rates[int(year)] = _decimal(value, f"[payment.rates] {year}")
    return rates


def _steps(section: Any) -> tuple[Step, ...]:
    where = "[payment.scenario] steps"
    if not isinstance(section, list) or not section:
        raise PaymentConfigError(f"{where} must be a non-empty list of "
                                 "{from_day = N, factor = X}")
    steps = []
    for i, item in enumerate(section, start=1):
        if not isinstance(item, dict) or set(item) != {"from_day", "factor"}:
            raise PaymentConfigError(f"{where}: step {i} must be {{from_day = N, factor = X}}")
        from_day = item["from_day"]
        if isinstance(from_day, bool) or not isinstance(from_day, int) or from_day < 1:
            raise PaymentConfigError(f"{where}: step {i}: from_day must be a whole number >= 1")
        steps.append(Step(from_day, _decimal(item["factor"], f"{where}: step {i}: factor")))
    days = [s.from_day for s in steps]
    if days[0] != 1 or days != sorted(set(days)):
        raise PaymentConfigError(f"{where}: the first step must start at from_day = 1 and "
                                 "each next step on a later day")
    return tuple(steps)


def load_payment_settings(raw: dict[str, Any] | None = None) -> PaymentSettings:
    """The defaults, overridden by ``[payment]`` in the configuration file."""
    section = (raw_config() if raw is None else raw).get("payment", {})
    if not isinstance(section, dict):
        raise PaymentConfigError("[payment] must be a table")
    configured = _rates(section.get("rates", {}))
    scenario = section.get("scenario", {})
    if not isinstance(scenario, dict):
        raise PaymentConfigError("[payment.scenario] must be a table")
    return PaymentSettings(
        rates={**DEFAULT_RATES, **configured},
        configured_years=frozenset(configured),
        steps=_steps(scenario["steps"]) if "steps" in scenario else DEFAULT_STEPS,
    )
