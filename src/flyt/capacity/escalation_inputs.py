"""What the escalation rules need at a moment, read from the store (DuckDB or PostgreSQL).

- the UKP census at the last 08:00 at or before ``at`` and the forecast's normal for
  that day (``forecast.normal_model``), for the community and each municipality with at
  least ``forecast.MIN_HISTORY_DAYS`` of history;
- the forecast's highest mean of the 7 days after ``at`` and the normal of that day;
- the beds of the after-care and short-term units at ``at``: each unit's latest count at
  or before ``at`` and not older than ``history.STALE_DAYS`` (several sources counting
  the same moment: the largest figures), as ``history`` counts a day; the community sums
  every such unit, a municipality the units it owns.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa
from threadpoolctl import threadpool_limits

from flyt.capacity import forecast, history
from flyt.capacity.escalation import Beds, GroupInput, GroupLevel, Ratio, assess
from flyt.capacity.escalation_settings import EscalationSettings
from flyt.store.db import Database

PEAK_DAYS = 7

_BEDS = """
WITH counts AS (
    SELECT b.unit, b.counted_at, MAX(b.occupied) AS occupied, MAX(b.available) AS available
    FROM bed_census b JOIN units u ON u.name = b.unit
    WHERE u.kind IN ('aftercare', 'short_term')
        AND b.counted_at <= CAST(:at AS TIMESTAMP) AND b.counted_at > CAST(:stale AS TIMESTAMP)
    GROUP BY b.unit, b.counted_at
),
latest AS (SELECT unit, MAX(counted_at) AS counted_at FROM counts GROUP BY unit)
SELECT u.kind, u.owner, c.occupied, c.available
FROM counts c JOIN latest l ON l.unit = c.unit AND l.counted_at = c.counted_at
    JOIN units u ON u.name = c.unit
ORDER BY u.name
"""
_MUNICIPALITIES = "SELECT code FROM municipalities ORDER BY code"


def _beds(rows: list[sa.Row], kind: str, owner: str | None) -> Beds | None:
    """The group's units of ``kind`` summed; None when it has none counted."""
    found = [r for r in rows if r.kind == kind and (owner is None or r.owner == owner)]
    if not found:
        return None
    return Beds(sum(int(r.occupied) for r in found), sum(int(r.available) for r in found))


def _ratios(values: pd.Series, steps: int, days: pd.DatetimeIndex,
            features: pd.DataFrame) -> tuple[Ratio, Ratio] | None:
    """(census / normal at the last day, the 7-day peak / its day's normal); None with
    too little history."""
    try:
        model = forecast.normal_model(values, features)
        ahead = forecast.forecast_one(values, steps, features).loc[days, "mean"]
    except forecast.ForecastError:
        return None
    last = pd.DatetimeIndex([values.index[-1]])
    peak_day = ahead.idxmax()
    return (Ratio(float(values.iloc[-1]), float(model.of(last)[0])),
            Ratio(float(ahead.max()), float(model.of(pd.DatetimeIndex([peak_day]))[0])))


def read(db: Database, at: datetime) -> list[GroupInput]:
    """The community first, then every municipality (the store's, and any other with
    UKP history), by code."""
    known = history.read(db, at)
    with db.engine.connect() as conn:
        beds = list(conn.execute(sa.text(_BEDS), {
            "at": at, "stale": at - timedelta(days=history.STALE_DAYS)}))
        codes = sorted({*conn.execute(sa.text(_MUNICIPALITIES)).scalars(),
                        *map(str, known.ukp.columns)})
    ratios: dict[str, tuple[Ratio, Ratio] | None] = {}
    if known.first is not None:
        steps, wanted = forecast.days_ahead(known, PEAK_DAYS)
        features = forecast.day_features(known, known.last + timedelta(days=steps))
        days = pd.DatetimeIndex(wanted)
        series = {"all": known.community.astype(float),
                  **{str(c): known.ukp[c].astype(float) for c in known.ukp.columns}}
        with threadpool_limits(1), np.errstate(all="ignore"):  # many small fits
            ratios = {key: _ratios(values, steps, days, features)
                      for key, values in series.items()}
    groups = [("community", "all", None), *(("municipality", c, c) for c in codes)]
    found = []
    for group_type, group_id, owner in groups:
        pair = ratios.get(group_id)
        found.append(GroupInput(
            group_type, group_id, ukp=pair[0] if pair else None, peak=pair[1] if pair else None,
            aftercare=_beds(beds, "aftercare", owner),
            short_term=_beds(beds, "short_term", owner)))
    return found


def assess_all(db: Database, at: datetime,
               settings: EscalationSettings) -> tuple[list[GroupLevel], list[str]]:
    """The levels at ``at`` of the community and each municipality with data, and the
    ids of the groups left out for want of any indicator."""
    levels, left_out = [], []
    for group in read(db, at):
        level = assess(group, settings)
        if level is None:
            left_out.append(group.group_id)
        else:
            levels.append(level)
    return levels, left_out
