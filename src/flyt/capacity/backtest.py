"""The backtest: the forecast from earlier origins over the store's own history, beside
the two seasonal-naive forecasts (same weekday last week; same weekday 52 weeks before).

The origins are the last ``origins`` Mondays-or-whatever days, one week apart, whose
``horizon`` days all lie in the history. A day at or before an origin is the same in the
history sliced there as in the store read at that origin (the census rule only looks at
facts dated at or before the day; history.py), so one read serves every origin.

Scores per group (the community, the municipalities, each kind of unit) and horizon band:
MAE, MAPE over the days with an actual above 0, and the share of actuals inside the 80 %
interval (the naive forecasts have no interval).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from flyt.capacity.forecast import (
    MIN_HISTORY_DAYS,
    ForecastError,
    check_horizon,
    day_features,
    forecast_one,
    series,
)
from flyt.capacity.history import History

BANDS = ((1, 7), (8, 28), (29, 56), (57, 90))
METHODS = ("model", "naive_week", "naive_year")
ORIGIN_SPACING = 7
YEAR_LAG = 364  # 52 weeks: the same weekday a year before


@dataclass(frozen=True)
class Score:
    group: str  # community | municipality | aftercare_unit | short_term_unit
    band: tuple[int, int]
    method: str  # model | naive_week | naive_year
    mae: float
    mape: float | None  # None when no actual in the band is above 0
    coverage: float | None  # the model only
    n: int  # forecast days scored


@dataclass(frozen=True)
class Backtest:
    origins: list[date]
    horizon: int
    scores: list[Score]

    def score(self, group: str, band: tuple[int, int], method: str) -> Score | None:
        return next((s for s in self.scores if (s.group, s.band, s.method) ==
                     (group, band, method)), None)


def bands(horizon: int) -> list[tuple[int, int]]:
    return [(a, min(b, horizon)) for a, b in BANDS if a <= horizon]


def choose_origins(history: History, count: int, horizon: int) -> list[date]:
    """``count`` origins a week apart, the last with ``horizon`` days of history after it,
    the first with a year and ``MIN_HISTORY_DAYS`` before it (for the yearly naive)."""
    if history.first is None:
        raise ForecastError("capacity_empty_store")
    last = history.last - timedelta(days=horizon)
    found = [last - timedelta(days=ORIGIN_SPACING * i) for i in range(count)]
    earliest = history.first + timedelta(days=YEAR_LAG + MIN_HISTORY_DAYS)
    if count < 1 or found[-1] < earliest:
        raise ForecastError("capacity_backtest_too_short", origins=count, horizon=horizon,
                            days=(history.last - history.first).days + 1,
                            needed=(last - found[-1]).days + horizon + YEAR_LAG
                            + MIN_HISTORY_DAYS + 1)
    return sorted(found)


def _group(one_group_type: str, measure: str) -> str:
    if one_group_type != "unit":
        return one_group_type
    return "aftercare_unit" if measure == "aftercare_occupied" else "short_term_unit"


def _naive(values: pd.Series, origin: pd.Timestamp,
           days: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    steps = np.asarray((days - origin).days)
    week_back = days - pd.to_timedelta(7 * np.ceil(steps / 7), unit="D")
    year_back = days - pd.Timedelta(days=YEAR_LAG)
    return {"naive_week": values.reindex(week_back).to_numpy(),
            "naive_year": values.reindex(year_back).to_numpy()}


def run(history: History, origins: int = 12, horizon: int = 56) -> Backtest:
    """Score the forecast and the naive ones from ``origins`` origins, ``horizon`` days."""
    check_horizon(horizon)
    chosen = choose_origins(history, origins, horizon)
    with threadpool_limits(1):  # many small fits: threads only wait on each other
        return _run(history, chosen, horizon)


def _run(history: History, chosen: list[date], horizon: int) -> Backtest:
    features = day_features(history, history.last + timedelta(days=1))
    # (group, method) → arrays per origin: step, actual, forecast, inside the interval
    errors: dict[tuple[str, str], list[tuple[np.ndarray, ...]]] = {}
    for one in series(history):
        for origin_day in chosen:
            origin = pd.Timestamp(origin_day)
            past = one.values.loc[:origin]
            if past.dropna().size < MIN_HISTORY_DAYS or not (past > 0).any():
                continue  # not a series yet at this origin
            try:
                result = forecast_one(past, horizon, features)
            except ForecastError:
                continue
            actual = one.values.reindex(result.index).to_numpy()
            steps = np.arange(1, horizon + 1)
            inside = (actual >= result["lower"].to_numpy()) & (actual <= result["upper"].to_numpy())
            predictions = {"model": result["mean"].to_numpy(),
                           **_naive(one.values, origin, result.index)}
            group = _group(one.group_type, one.measure)
            for method, predicted in predictions.items():
                errors.setdefault((group, method), []).append(
                    (steps, actual, predicted, inside))
    scores: list[Score] = []
    for (group, method), parts in errors.items():
        steps = np.concatenate([p[0] for p in parts])
        actual = np.concatenate([p[1] for p in parts])
        predicted = np.concatenate([p[2] for p in parts])
        inside = np.concatenate([p[3] for p in parts])
        for band in bands(horizon):
            keep = (steps >= band[0]) & (steps <= band[1]) & np.isfinite(actual) & np.isfinite(
                predicted)
            if not keep.any():
                continue
            a, p = actual[keep], predicted[keep]
            positive = a > 0
            scores.append(Score(
                group=group, band=band, method=method, mae=float(np.mean(np.abs(a - p))),
                mape=(float(np.mean(np.abs(a - p)[positive] / a[positive]) * 100)
                      if positive.any() else None),
                coverage=float(np.mean(inside[keep])) if method == "model" else None,
                n=int(keep.sum())))
    order = {"community": 0, "municipality": 1, "aftercare_unit": 2, "short_term_unit": 3}
    scores.sort(key=lambda s: (order[s.group], s.band, METHODS.index(s.method)))
    return Backtest(origins=chosen, horizon=horizon, scores=scores)
