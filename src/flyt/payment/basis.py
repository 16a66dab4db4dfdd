"""The payment basis: what each municipality pays the hospital for a month's UKP days.

The UKP days are KPI 1 (municipality, both sectors) as stored by the engine, the very
numbers ``flyt kpi`` prints; the amount is days x the year's day rate
(flyt.payment.rates; provisional, the latest known one, while the year's rate
is not known). Beside it, a scenario for discussion: a rate that rises
with the length of the wait, each UKP day weighted by its place in the stay's wait.
The wait is ranked in SQL over the engine's own UKP days (rules.UKP_DAY), so the
scenario counts exactly the days the basis counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from flyt.config import GoalSettings
from flyt.domain.codes import ALL_SECTORS, SECTORS
from flyt.domain.months import add_months
from flyt.engine import compute as engine
from flyt.engine.read import kpi_rows
from flyt.engine.rules import STAY_MONTH, UKP_DAY, UKP_PERIOD, UKP_STAY
from flyt.payment.rates import DayRate, PaymentSettings, Step
from flyt.store import reference
from flyt.store.db import Database

ORE = Decimal("0.01")

# The engine's first steps: the UKP periods at the cut-off, one row per UKP day, and
# each UKP stay with its municipality and sector (as KPI 1 attributes the days).
_DAY_STEPS = (("ukp_period", UKP_PERIOD), ("ukp_day", UKP_DAY), ("stay_month", STAY_MONTH),
              ("ukp_stay", UKP_STAY))

_SECTORS = ", ".join(f"'{s}'" for s in SECTORS)

# A UKP day's wait day: its rank among its stay's UKP days in date order (1 = the stay's
# first UKP day, over all its periods and months; ukp_day holds each calendar day once).
# Counted per municipality for the month's days, in the groups KPI 1 reports (a
# municipality of the reference data, a sector of both). Wait days from the last step on
# weigh the same, so they are counted together.
WAIT_DAYS = f"""
SELECT municipality, wait_day, COUNT(*) AS days
FROM (
    SELECT u.municipality, LEAST(r.wait_day, CAST(:last_step AS INTEGER)) AS wait_day
    FROM (SELECT source, stay_id, month,
                 ROW_NUMBER() OVER (PARTITION BY source, stay_id ORDER BY d) AS wait_day
          FROM ukp_day) r
    JOIN ukp_stay u ON u.source = r.source AND u.stay_id = r.stay_id
    JOIN municipalities m ON m.code = u.municipality
    WHERE r.month = :month AND u.sector IN ({_SECTORS})
) ranked
GROUP BY municipality, wait_day
"""


class PaymentError(ValueError):
    """The basis cannot be made for this month and cut-off; the message says why, in
    English; `key` and `params` say it in the user's language (flyt.i18n)."""

    def __init__(self, message: str, key: str, **params: object) -> None:
        super().__init__(message)
        self.key, self.params = key, params


@dataclass(frozen=True)
class PaymentLine:
    municipality: str  # kommunenummer
    name: str
    ukp_days: int
    amount: Decimal  # ukp_days x rate, exact
    step_days: tuple[int, ...]  # the UKP days in each scenario step (sum = ukp_days)
    scenario_amount: Decimal  # rounded half up to whole øre

    @property
    def difference(self) -> Decimal:
        return self.scenario_amount - self.amount


@dataclass(frozen=True)
class PaymentBasis:
    month: date  # first day of the month
    cutoff: datetime
    day_rate: DayRate
    steps: tuple[Step, ...]
    lines: tuple[PaymentLine, ...]

    @property
    def rate(self) -> Decimal:
        return self.day_rate.amount

    @property
    def rate_configured(self) -> bool:
        """The rate comes from the configuration file, not the defaults."""
        return self.day_rate.configured

    @property
    def complete(self) -> bool:
        """False while the cut-off lies inside the month: more days can still come."""
        return self.cutoff >= datetime.combine(add_months(self.month, 1), datetime.min.time())

    @property
    def ukp_days(self) -> int:
        return sum(line.ukp_days for line in self.lines)

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def scenario_amount(self) -> Decimal:
        return sum((line.scenario_amount for line in self.lines), Decimal(0))

    @property
    def step_days(self) -> tuple[int, ...]:
        return tuple(sum(days) for days in zip(*(line.step_days for line in self.lines),
                                               strict=True)) if self.lines else ()


def step_of(steps: tuple[Step, ...], wait_day: int) -> int:
    """The index of the step a wait day falls in (steps start at day 1, ascending)."""
    return max(i for i, s in enumerate(steps) if s.from_day <= wait_day)


def ukp_days_of_month(db: Database, cutoff: datetime, month: date) -> dict[str, int]:
    """KPI 1 per municipality, both sectors, as stored for the cut-off (already computed)."""
    found = [r for r in kpi_rows(db, cutoff, month, month)
             if r.kpi == 1 and r.group_type == "municipality" and r.sector == ALL_SECTORS]
    return {r.group_id: int(r.numerator or 0) for r in found}


def wait_days(db: Database, cutoff: datetime, month: date,
              steps: tuple[Step, ...]) -> dict[str, tuple[int, ...]]:
    """Per municipality, the month's UKP days in each step of the scenario."""
    counted: dict[str, list[int]] = defaultdict(lambda: [0] * len(steps))
    # Rolled back, never committed: the temp tables go with the transaction (the pooled
    # connection lives on, and the engine's compute builds tables of the same names).
    with db.engine.connect() as conn:
        engine.run_steps(conn, cutoff, _DAY_STEPS)
        rows = conn.execute(sa.text(WAIT_DAYS),
                            {"month": month, "last_step": steps[-1].from_day}).all()
        conn.rollback()
    for municipality, wait_day, days in rows:
        counted[municipality][step_of(steps, int(wait_day))] += int(days)
    return {code: tuple(days) for code, days in counted.items()}


def municipality_names(db: Database) -> dict[str, str]:
    return {m.code: m.name for m in reference.municipalities(db)}


def scenario_amount(step_days: tuple[int, ...], rate: Decimal, steps: tuple[Step, ...]) -> Decimal:
    exact = sum((days * rate * step.factor for days, step in zip(step_days, steps, strict=True)),
                Decimal(0))
    return exact.quantize(ORE, rounding=ROUND_HALF_UP)


def gather(db: Database, month: date, cutoff: datetime, payment: PaymentSettings,
           goals: GoalSettings | None = None) -> PaymentBasis:
    """The basis and the scenario for every municipality of the reference data.

    ``goals`` are the configured ones, so that the stored results ``flyt kpi`` reads are
    reused rather than recomputed for other goal settings.
    """
    day_rate = payment.day_rate(month.year)  # before any work: a missing rate is a config error
    rate = day_rate.amount
    if datetime.combine(month, datetime.min.time()) > cutoff:
        raise PaymentError(f"{month:%Y-%m} begins after the cut-off "
                           f"{cutoff:%Y-%m-%d %H:%M}: it has no UKP days yet",
                           "payment_error_after_cutoff", month=month, cutoff=cutoff)
    engine.ensure(db, cutoff, goals)
    days = ukp_days_of_month(db, cutoff, month)
    if not days:
        raise PaymentError(f"no results for {month:%Y-%m} at cut-off "
                           f"{cutoff:%Y-%m-%d %H:%M}: the month is before the first data",
                           "payment_error_before_data", month=month, cutoff=cutoff)
    waits = wait_days(db, cutoff, month, payment.steps)
    lines = []
    for code, name in municipality_names(db).items():
        if code not in days:
            raise PaymentError(f"no stored UKP days for municipality {code}: run "
                               f"flyt recompute --cutoff {cutoff:%Y-%m-%dT%H:%M}",
                               "payment_error_not_computed", code=code, cutoff=cutoff)
        step_days = waits.get(code, (0,) * len(payment.steps))
        if sum(step_days) != days[code]:  # the same rule twice must agree; else a bug
            raise RuntimeError(f"scenario counts {sum(step_days)} UKP days for {code} in "
                               f"{month:%Y-%m}, KPI 1 {days[code]}")
        lines.append(PaymentLine(code, name, days[code], days[code] * rate, step_days,
                                 scenario_amount(step_days, rate, payment.steps)))
    return PaymentBasis(month, cutoff, day_rate, payment.steps, tuple(lines))
