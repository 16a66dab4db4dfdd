"""What the capacity page and the weekly capacity report show, gathered once
(docs/capacity.md, "The overview").

- the 08:00 census of the last ``RECENT_DAYS`` days and the forecast of the next
  ``horizon`` days (80 % interval) of one series: the community, a municipality or a unit;
- the escalation levels last stored at or before ``at`` (``flyt escalation`` and the daily
  run store them; computing them here would take seconds per page);
- the seasonal calendar of the year ahead with its pressure;
- the latest bed count of every after-care and short-term unit (free beds).

Exact figures: disclosure control for the shared edition is the caller's (the page and
the report know who reads); ``census`` gives the counts it needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa
from threadpoolctl import threadpool_limits

from flyt.capacity import beds, escalation_store, forecast, history, seasons
from flyt.capacity.seasons_settings import load_meetings
from flyt.store.db import Database

RECENT_DAYS = 28
DEFAULT_HORIZON = 56
COMMUNITY = ("community", "all")

_MUNICIPALITIES = "SELECT code, name, region FROM municipalities ORDER BY code"


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    region: str


@dataclass(frozen=True)
class Series:
    """One series' recent census and forecast; ``forecast`` None with too little history
    (``problem`` says why: the code "too_little_history")."""

    group_type: str  # community | municipality | unit
    group_id: str
    measure: str  # ukp_patients | aftercare_occupied | short_term_occupied
    recent: pd.Series  # day → count (NaN: no count covered the day)
    forecast: pd.DataFrame | None  # day → mean, lower, upper
    problem: str | None = None


@dataclass(frozen=True)
class Overview:
    at: datetime
    last: datetime  # the last 08:00 census known at ``at``
    municipalities: list[Municipality]
    census: dict[str, int]  # municipality → UKP patients at the last census (0 included)
    series: Series
    levels: list[escalation_store.Stored]
    periods: list[seasons.Period]
    pressure: dict[str, seasons.Pressure]
    beds: list[beds.UnitBeds]

    @property
    def community_census(self) -> int:
        return sum(self.census.values())


def series_of(known: history.History, group: tuple[str, str], horizon: int) -> Series:
    group_type, group_id = group
    if group_type == "unit":
        values = known.units[group_id] if group_id in known.units.columns else pd.Series(
            dtype=float)
        measure = forecast.MEASURE_OF_KIND[known.unit_kinds[group_id]]
    else:
        values = (known.community if group_type == "community" else
                  known.ukp[group_id] if group_id in known.ukp.columns else pd.Series(
                      dtype=float))
        measure = "ukp_patients"
    values = values.astype(float)
    recent = values.iloc[-RECENT_DAYS:]
    if values.dropna().size < forecast.MIN_HISTORY_DAYS:
        return Series(group_type, group_id, measure, recent, None, "too_little_history")
    steps, days = forecast.days_ahead(known, horizon)
    features = forecast.day_features(known, known.last + timedelta(days=steps))
    observed = values.loc[values.first_valid_index():]
    with threadpool_limits(1), np.errstate(all="ignore"):
        made = forecast.forecast_one(observed, steps, features)
    return Series(group_type, group_id, measure, recent, made.loc[pd.DatetimeIndex(days)])


def groups(known: history.History) -> list[tuple[str, str]]:
    """The series one can ask for: the community, each municipality with UKP history, each
    unit with bed counts."""
    return [COMMUNITY, *(("municipality", str(c)) for c in known.ukp.columns),
            *(("unit", str(u)) for u in known.units.columns)]


def build(db: Database, at: datetime, group: tuple[str, str] = COMMUNITY,
          horizon: int = DEFAULT_HORIZON) -> Overview:
    """The overview at ``at``; ValueError for a group the store has no series of."""
    forecast.check_horizon(horizon)
    known = history.read(db, at)
    if group != COMMUNITY and group not in groups(known):
        raise ValueError(f"no series for {group[0]} {group[1]}")
    with db.engine.connect() as conn:
        municipalities = [Municipality(str(r.code), r.name, r.region)
                          for r in conn.execute(sa.text(_MUNICIPALITIES))]
    last_row = known.ukp.iloc[-1] if len(known.ukp) else pd.Series(dtype=int)
    census = {m.code: int(last_row.get(m.code, 0)) for m in municipalities}
    periods = seasons.ahead(at, load_meetings())
    return Overview(
        at=at, last=datetime.combine(known.last, history.CENSUS_HOUR),
        municipalities=municipalities, census=census,
        series=series_of(known, group, horizon), levels=escalation_store.latest(db, at),
        periods=periods, pressure=seasons.pressure(known, periods),
        beds=beds.latest(db, at))
