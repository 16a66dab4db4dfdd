"""The overall capacity plan's seasonal calendar (issue 14, item 4; docs/capacity.md,
"The seasonal calendar").

The known peaks the committee meets for by plan — Easter, summer, Christmas — and the
influenza season it meets for at short notice (seed 000: "Kjente sesongvariasjoner:
påske, jul, sommer – planmessig møter; andre sesongvariasjoner: influensa – møte på kort
varsel"). The periods are the calendar's own (``calendar.py``), so the forecast and the
calendar agree on what Easter is:

- ``easter``: Monday of Holy Week to Easter Monday;
- ``summer``: ISO weeks 26–33;
- ``christmas``: 21.12 to 01.01;
- ``influenza``: ISO week 40 to ISO week 20 (no planned meeting: short notice).

A planned period's meeting is the Monday ``MEETING_WEEKS_BEFORE`` weeks before the week
it starts in, unless ``[capacity.meetings]`` in the configuration names its date
(``seasons_settings.py``).

The pressure of a period is the community's UKP census the forecast's normal expects on
its days (season, weekday, holidays; the trend held at the last day), against the normal
over the 365 days from the day after ``at``; where the 90-day forecast reaches the
period, its mean and the top of its 80 % interval there too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
from dateutil.easter import easter
from threadpoolctl import threadpool_limits

from flyt.capacity import calendar, forecast
from flyt.capacity.history import History

KINDS = ("easter", "summer", "christmas", "influenza")
PLANNED = ("easter", "summer", "christmas")
MEETING_WEEKS_BEFORE = 3
AHEAD_DAYS = 365


@dataclass(frozen=True)
class Period:
    kind: str  # one of KINDS
    year: int  # the year it starts in
    start: date
    end: date  # inclusive
    meeting: date | None  # None: influenza, met at short notice

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.year}"


@dataclass(frozen=True)
class Pressure:
    """The community's expected UKP census over a period (patients per day)."""

    normal: float  # the mean of the normal over the period's days
    ratio: float  # normal / the normal's mean over the year ahead
    forecast_mean: float | None  # over the days the forecast reaches; None: beyond it
    forecast_upper: float | None  # the highest upper bound (80 %) there


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _spans(year: int) -> list[tuple[str, date, date]]:
    sunday = easter(year)
    return [
        ("easter", sunday - timedelta(days=6), sunday + timedelta(days=1)),
        ("summer", date.fromisocalendar(year, calendar.SUMMER_WEEKS[0], 1),
         date.fromisocalendar(year, calendar.SUMMER_WEEKS[-1], 7)),
        ("christmas", date(year, 12, 21), date(year + 1, 1, 1)),
        ("influenza", date.fromisocalendar(year, calendar.INFLUENZA_FROM_WEEK, 1),
         date.fromisocalendar(year + 1, calendar.INFLUENZA_TO_WEEK, 7)),
    ]


def periods(first: date, last: date, meetings: dict[str, date] | None = None) -> list[Period]:
    """The periods that overlap ``first``..``last``, by start."""
    meetings = {} if meetings is None else meetings
    found = []
    for year in range(first.year - 1, last.year + 1):
        for kind, start, end in _spans(year):
            if end < first or start > last:
                continue
            meeting = None
            if kind in PLANNED:
                meeting = meetings.get(f"{kind}-{year}",
                                       _monday(start) - timedelta(weeks=MEETING_WEEKS_BEFORE))
            found.append(Period(kind, year, start, end, meeting))
    return sorted(found, key=lambda p: (p.start, KINDS.index(p.kind)))


def ahead(at: datetime, meetings: dict[str, date] | None = None) -> list[Period]:
    """The periods under way or starting in the year after ``at``."""
    first = at.date() + timedelta(days=1)
    return periods(first, first + timedelta(days=AHEAD_DAYS - 1), meetings)


def _days(start: date, end: date) -> pd.DatetimeIndex:
    return pd.date_range(start, end, freq="D")


def pressure(known: History, found: list[Period]) -> dict[str, Pressure]:
    """Each period's pressure (key → Pressure); {} when the history is too short."""
    if known.first is None or not found:
        return {}
    community = known.community.astype(float)
    first = known.at.date() + timedelta(days=1)
    until = max(max(p.end for p in found), first + timedelta(days=AHEAD_DAYS))
    features = forecast.day_features(known, until)
    try:
        with threadpool_limits(1), np.errstate(all="ignore"):
            model = forecast.normal_model(community, features)
            steps, days = forecast.days_ahead(known, forecast.MAX_HORIZON)
            made = forecast.forecast_one(community, steps, features)
    except forecast.ForecastError:
        return {}
    year = float(model.of(_days(first, first + timedelta(days=AHEAD_DAYS - 1))).mean())
    reach = made.loc[pd.DatetimeIndex(days)]
    result = {}
    for period in found:
        span = _days(max(period.start, first), period.end)
        normal = float(model.of(span).mean())
        covered = reach.loc[(reach.index >= span[0]) & (reach.index <= span[-1])]
        result[period.key] = Pressure(
            normal=normal, ratio=normal / year if year > 0 else float("nan"),
            forecast_mean=float(covered["mean"].mean()) if len(covered) else None,
            forecast_upper=float(covered["upper"].max()) if len(covered) else None)
    return result
