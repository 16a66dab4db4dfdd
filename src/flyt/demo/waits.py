"""How long UKP patients wait: days drawn from the model, held to the yearly targets."""

from __future__ import annotations

from datetime import date

import numpy as np

from flyt.demo import model
from flyt.demo.stays import DAYTIME_DISCHARGE_HOURS
from flyt.demo.timeline import (
    MINUTES_PER_DAY,
    day_number,
    sample_minutes_of_day,
    weekdays_of,
    years_of,
)

# Share of the yearly UKP days that the UKP stays drawn by hospital.ukp_stays are
# held to; the rest comes from weekend discharges moved to Monday and from
# readmitted patients declared ready again (measured on the generated data).
INDEX_SHARE_OF_TARGET = 0.961


def continuous_waits(u: np.ndarray, sector: np.ndarray, mult: np.ndarray) -> np.ndarray:
    """Wait in days before rounding: the sector's quantile times the multipliers
    (damped in mental health, where the few long waits would otherwise swing the tail)."""
    x = np.where(sector == 0, model.wait_quantile(u, model.SOMATIC),
                 model.wait_quantile(u, model.MENTAL))
    return x * np.where(sector == 0, mult, mult**0.5)


def round_waits(x: np.ndarray) -> np.ndarray:
    return np.floor(x + 0.5).astype(np.int64)


def _days_by_year(first: np.ndarray, first_len: np.ndarray, last: np.ndarray, d: np.ndarray,
                  origin: int, span: int) -> np.ndarray:
    starts = np.concatenate([first, last]) - origin
    ends = np.minimum(np.concatenate([first + first_len, last + d]) - origin, span)
    per_day = np.cumsum(np.bincount(starts, minlength=span + 1)[: span + 1]
                        - np.bincount(ends, minlength=span + 1)[: span + 1])
    return per_day[:span]


def held_to_targets(x: np.ndarray, first_day: np.ndarray, first_len: np.ndarray,
                    last_day: np.ndarray, start_day: int, cutoff_day: int,
                    scale: float) -> np.ndarray:
    """Whole wait days, scaled per ready year so that every full calendar year in
    the window gets its target UKP days (model.UKP_DAYS_BY_YEAR × scale).

    Random draws leave a few per cent between seeds (a handful of very long
    waits decide much of a year); a factor near 1 per year removes that and the
    cold start of the first year. Spill-over between years is why it iterates.
    """
    origin = min(start_day, int(first_day.min(initial=start_day)))
    span = max(cutoff_day, int(last_day.max(initial=cutoff_day))) + 1 - origin
    days_years = years_of(origin + np.arange(span))
    ready_year = years_of(first_day)
    full = [y for y in range(int(days_years.min()), int(days_years.max()) + 1)
            if start_day <= day_number(date(y, 1, 1))
            and day_number(date(y + 1, 1, 1)) <= cutoff_day]
    factor = np.ones(len(x))
    for _ in range(5):
        d = round_waits(x * factor)
        per_day = _days_by_year(first_day, first_len, last_day, d, origin, span)
        for y in full:
            actual = per_day[days_years == y].sum()
            target = model.UKP_DAYS_BY_YEAR.get(y, model.UKP_DAYS_BY_YEAR[max(
                model.UKP_DAYS_BY_YEAR)]) * scale * INDEX_SHARE_OF_TARGET
            if actual > 0:
                factor[ready_year == y] *= target / actual
    return round_waits(x * factor)


def ukp_discharge(rng: np.random.Generator, last_start: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Discharge d days after the start of the last UKP period; municipalities
    pick up fewer patients at weekends, so half of those are moved to Monday."""
    n = len(d)
    start_day, tod = last_start // MINUTES_PER_DAY, last_start % MINUTES_PER_DAY
    day = start_day + d
    wd = weekdays_of(day)
    shift = (d >= 1) & (wd >= 5) & (rng.random(n) < 0.5)
    day = day + np.where(shift, 7 - wd, 0)
    same_day = tod + 60 + (rng.random(n) * np.maximum(1, 1200 - tod - 60)).astype(np.int64)
    later = sample_minutes_of_day(rng, DAYTIME_DISCHARGE_HOURS, n)
    return day * MINUTES_PER_DAY + np.where(day == start_day, np.minimum(same_day, 1439), later)
