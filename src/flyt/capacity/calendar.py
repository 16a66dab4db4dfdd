"""Day features for the forecast: weekday, season, holidays, influenza season, trend.

Pure: a day in, numbers out, the same for the history and the days ahead.

- weekday: six indicators (Monday is the base);
- season: two pairs of annual Fourier terms (sin/cos of 2πk·day-of-year/365.25, k = 1, 2),
  smooth where twelve month indicators would jump;
- public holidays: Norway's (the ``holidays`` package; Sundays are not holidays there);
- school holidays: Trøndelag's usual weeks, an approximation until the municipalities'
  own calendars are configured: winter break ISO week 9, Easter (Monday of Holy Week to
  Easter Monday), summer ISO weeks 26–33, autumn ISO week 40, Christmas 21.12–01.01;
- influenza season: ISO weeks 40 to 20 (Folkehelseinstituttet's surveillance season);
- trend: years since ``origin`` (the first day of the history).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd
from dateutil.easter import easter

WINTER_WEEK = 9
SUMMER_WEEKS = range(26, 34)
AUTUMN_WEEK = 40
INFLUENZA_FROM_WEEK, INFLUENZA_TO_WEEK = 40, 20
FOURIER_PAIRS = 2
YEAR_DAYS = 365.25

SEASON_COLUMNS = tuple(f"{f}_{k}" for k in range(1, FOURIER_PAIRS + 1) for f in ("sin", "cos"))
COLUMNS = (
    *(f"weekday_{i}" for i in range(1, 7)),
    *SEASON_COLUMNS,
    "public_holiday", "school_holiday", "influenza", "trend",
)


@lru_cache(maxsize=256)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NO", years=year))


def is_public_holiday(day: date) -> bool:
    return day in _public_holidays(day.year)


def is_school_holiday(day: date) -> bool:
    week = day.isocalendar().week
    if week in (WINTER_WEEK, AUTUMN_WEEK) or week in SUMMER_WEEKS:
        return True
    if (day.month, day.day) >= (12, 21) or (day.month, day.day) <= (1, 1):
        return True
    sunday = easter(day.year)
    return sunday - timedelta(days=6) <= day <= sunday + timedelta(days=1)


def is_influenza_season(day: date) -> bool:
    week = day.isocalendar().week
    return week >= INFLUENZA_FROM_WEEK or week <= INFLUENZA_TO_WEEK


def features(days: Iterable[date], origin: date) -> pd.DataFrame:
    """One row per day (in order), the columns of ``COLUMNS``, floats."""
    index = pd.DatetimeIndex(list(days), name="day")
    years = range(index.year.min(), index.year.max() + 1) if len(index) else range(0)
    week = index.isocalendar().week.to_numpy()
    month_day = index.month * 100 + index.day
    easter_days = [pd.Timestamp(easter(y)) for y in years]
    in_easter = np.zeros(len(index), dtype=bool)
    for sunday in easter_days:  # Monday of Holy Week to Easter Monday
        in_easter |= (index >= sunday - pd.Timedelta(days=6)) & (
            index <= sunday + pd.Timedelta(days=1))
    public = {pd.Timestamp(d) for y in years for d in _public_holidays(y)}
    columns: dict[str, np.ndarray] = {
        f"weekday_{i}": np.asarray(index.day_of_week == i, dtype=float) for i in range(1, 7)}
    for k in range(1, FOURIER_PAIRS + 1):
        angle = 2 * math.pi * k * index.day_of_year.to_numpy() / YEAR_DAYS
        columns[f"sin_{k}"] = np.sin(angle)
        columns[f"cos_{k}"] = np.cos(angle)
    columns["public_holiday"] = np.asarray(index.isin(list(public)), dtype=float)
    columns["school_holiday"] = np.asarray(
        np.isin(week, [WINTER_WEEK, AUTUMN_WEEK, *SUMMER_WEEKS]) | (month_day >= 1221)
        | (month_day <= 101) | in_easter, dtype=float)
    columns["influenza"] = np.asarray(
        (week >= INFLUENZA_FROM_WEEK) | (week <= INFLUENZA_TO_WEEK), dtype=float)
    columns["trend"] = np.asarray((index - pd.Timestamp(origin)).days / YEAR_DAYS, dtype=float)
    return pd.DataFrame(columns, index=index, columns=list(COLUMNS))
