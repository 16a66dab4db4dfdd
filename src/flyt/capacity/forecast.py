"""The capacity forecast: each daily 08:00 census 1–90 days ahead, mean and 80 % interval.

One model for every series (the community's and each municipality's UKP patients, each
unit's occupied beds), chosen by the backtest (docs/capacity.md):

1. the *normal* for a day: a Poisson regression (statsmodels GLM, log link) of the daily
   census on the calendar's features (weekday, season, holidays, influenza, trend);
2. the *start*: the census at the origin above or below its normal — the patients already
   waiting, the beds already taken — decays towards the normal as the series' own
   autocorrelation at that lag over the last three years says (statsmodels ``acf`` of
   the log ratio to the normal);
3. the *interval*: the model's own errors h days ahead over the history, on the square
   root scale (where count noise is about even), their 10 % and 90 % quantiles added to
   the forecast's root and squared back: never below 0, as wide as the history was wrong.

Use ``forecast(history, horizon)``; ``series(history)`` names the series, and
``forecast_one`` forecasts one of them (the backtest and the benchmark use both).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning, SingularMatrixWarning
from statsmodels.tsa.stattools import acf
from threadpoolctl import threadpool_limits

from flyt.capacity import calendar
from flyt.capacity.history import History

MAX_HORIZON = 90
LEVEL = 0.80
QUANTILES = ((1 - LEVEL) / 2, 1 - (1 - LEVEL) / 2)
MIN_HISTORY_DAYS = 56  # below this the weekday pattern and the errors are guesses
SEASON_DAYS, TREND_DAYS = 2 * 365, 365
FIT_DAYS = 3 * 365  # the normal is fitted on the last three years: the recent level counts
OFFSET = 0.5  # keeps log and ratio finite on days with 0

MEASURE_OF_KIND = {"aftercare": "aftercare_occupied", "short_term": "short_term_occupied"}


class ForecastError(Exception):
    """A forecast that cannot be made; ``key`` names the i18n text, ``values`` fill it."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Series:
    group_type: str  # community | municipality | unit
    group_id: str  # all | kommunenummer | unit name
    measure: str  # ukp_patients | aftercare_occupied | short_term_occupied
    values: pd.Series  # one value per day (NaN where unknown), a daily DatetimeIndex


@dataclass(frozen=True)
class ForecastRow:
    day: date
    group_type: str
    group_id: str
    measure: str
    mean: float
    lower: float
    upper: float


@dataclass(frozen=True)
class Forecast:
    at_day: date  # the last census day known
    rows: list[ForecastRow]
    skipped: list[Series] = field(default_factory=list)  # units with too little history


def series(history: History) -> list[Series]:
    """The series the spec's table has rows for: the community, every municipality with
    any UKP history, every after-care and short-term unit with counts."""
    found = [Series("community", "all", "ukp_patients", history.community.astype(float))]
    found += [Series("municipality", str(code), "ukp_patients", history.ukp[code].astype(float))
              for code in history.ukp.columns]
    found += [Series("unit", str(unit), MEASURE_OF_KIND[history.unit_kinds[unit]],
                     history.units[unit])
              for unit in history.units.columns if unit in history.unit_kinds]
    return found


def _fit_normal(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The fitted Poisson regression's coefficients (const first)."""
    design = np.column_stack([np.ones(len(y)), x])
    with warnings.catch_warnings():
        # A feature that never meets a patient (a holiday in a quiet municipality) drives its
        # coefficient towards minus infinity: harmless for the mean, so not worth a word.
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", SingularMatrixWarning)
        try:
            result = sm.GLM(y, design, family=sm.families.Poisson()).fit(maxiter=50)
            params = np.asarray(result.params)
        except (ValueError, np.linalg.LinAlgError):
            params = np.full(design.shape[1], np.nan)
    if not np.all(np.isfinite(params)):  # fall back to the mean level
        params = np.zeros(design.shape[1])
        params[0] = np.log(max(float(np.mean(y)), 1e-9))
    return params


def _usable(features: pd.DataFrame, days: int) -> pd.DataFrame:
    """The features a window of ``days`` can tell apart: the season and the influenza
    season take two years (else they bend to fit one year's chance), the trend one."""
    dropped = [*calendar.SEASON_COLUMNS, "influenza"] if days < SEASON_DAYS else []
    if days < TREND_DAYS:
        dropped.append("trend")
    return features.drop(columns=dropped)


def _rows(features: pd.DataFrame, days: pd.DatetimeIndex) -> np.ndarray:
    """The features of ``days`` (``features`` has one row per day from its first)."""
    return features.to_numpy()[np.asarray((days - features.index[0]).days)]


def _normal(params: np.ndarray, x: np.ndarray) -> np.ndarray:
    eta = params[0] + x @ params[1:]
    return np.exp(np.clip(eta, -30, 30))


@dataclass(frozen=True)
class Normal:
    """The fitted normal of a series: ``of(days)`` gives the expected census of each day
    by the calendar alone (no start), with the trend held at the series' last day for
    the days after it and capped at twice the most counted in the fitted window."""

    params: np.ndarray
    used: pd.DataFrame  # the usable features, one row per day from their first
    last: pd.Timestamp  # the series' last day
    ceiling: float

    def of(self, days: pd.DatetimeIndex) -> np.ndarray:
        x = _rows(self.used, days).copy()
        if "trend" in self.used.columns:
            # The trend sets the recent level; carried on, a slope fitted to a few
            # patients would run away within 90 days, so later days keep the last day's.
            trend = list(self.used.columns).index("trend")
            x[:, trend] = np.where(days > self.last,
                                   _rows(self.used, pd.DatetimeIndex([self.last]))[0, trend],
                                   x[:, trend])
        # Nor may a normal exceed twice the most ever counted in the window (a feature
        # that met no patient can still push a quiet series' fit far out).
        return np.minimum(_normal(self.params, x), self.ceiling)


def _observed(values: pd.Series) -> pd.Series:
    observed = values.dropna()
    if len(observed) < MIN_HISTORY_DAYS:
        raise ForecastError("capacity_too_little_history", days=len(observed),
                            needed=MIN_HISTORY_DAYS)
    return observed


def _fit(observed: pd.Series, last: pd.Timestamp, features: pd.DataFrame) -> Normal:
    recent = observed.iloc[-FIT_DAYS:]
    used = _usable(features, (recent.index[-1] - recent.index[0]).days + 1)
    params = _fit_normal(recent.to_numpy(), _rows(used, recent.index))
    return Normal(params, used, last, 2.0 * float(recent.max()) + 1.0)


def normal_model(values: pd.Series, features: pd.DataFrame) -> Normal:
    """The forecast's own normal for a daily series (``features`` as for
    ``forecast_one``); ForecastError with less than ``MIN_HISTORY_DAYS`` of values."""
    return _fit(_observed(values), values.index[-1], features)


def normal_level(values: pd.Series, features: pd.DataFrame, day: date) -> float:
    """The normal census of one day (of the series or after it) for a daily series."""
    return float(normal_model(values, features).of(pd.DatetimeIndex([pd.Timestamp(day)]))[0])


def forecast_one(values: pd.Series, steps: int, features: pd.DataFrame) -> pd.DataFrame:
    """Forecast a daily series ``steps`` days past its last day.

    ``features`` holds the calendar's features for every day of ``values`` and the
    ``steps`` days after. Returns a frame indexed by those days with mean, lower, upper."""
    last = values.index[-1]
    future = pd.date_range(last + pd.Timedelta(days=1), periods=steps, freq="D")
    observed = _observed(values)
    if float(observed.max()) <= 0:
        zeros = np.zeros(steps)
        return pd.DataFrame({"mean": zeros, "lower": zeros, "upper": zeros}, index=future)
    model = _fit(observed, last, features)
    normal_past = model.of(pd.DatetimeIndex(values.index))
    normal_future = model.of(future)
    # The log ratio of each day to its normal; NaN on days without a value.
    ratio = np.log(values.to_numpy() + OFFSET) - np.log(normal_past + OFFSET)
    window = ratio[-FIT_DAYS:]  # how fast today's excess fades, as lately
    lags = min(steps, len(window) - 2)
    with np.errstate(invalid="ignore", divide="ignore"):  # a flat window: nothing fades
        found = acf(window, nlags=lags, missing="conservative", fft=True)[1:]
    decay = np.clip(np.nan_to_num(found, nan=0.0), 0.0, 1.0)
    decay = np.concatenate([decay, np.full(steps - lags, decay[-1] if lags else 0.0)])
    start = ratio[-1] if np.isfinite(ratio[-1]) else 0.0
    mean = np.maximum(np.exp(np.log(normal_future + OFFSET) + decay * start) - OFFSET, 0.0)
    lower, upper = _interval(values.to_numpy(), normal_past, ratio, decay, mean)
    return pd.DataFrame({"mean": mean, "lower": np.minimum(lower, mean),
                         "upper": np.maximum(upper, mean)}, index=future)


def _interval(y: np.ndarray, normal: np.ndarray, ratio: np.ndarray, decay: np.ndarray,
              mean: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 80 % interval from the model's own errors h days ahead over the fitted window.

    Only the last ``FIT_DAYS``: the normal is fitted there, and years before it (a smaller
    community, another level) would give errors of one sign only — a lower bound far
    below the mean and an upper bound hugging it."""
    y, normal, ratio = y[-FIT_DAYS:], normal[-FIT_DAYS:], ratio[-FIT_DAYS:]
    steps = len(mean)
    lower, upper = np.zeros(steps), np.zeros(steps)
    low_q = high_q = 0.0
    for h in range(1, steps + 1):
        if h < len(y):
            predicted = np.maximum(
                np.exp(np.log(normal[h:] + OFFSET) + decay[h - 1] * ratio[:-h]) - OFFSET, 0.0)
            errors = np.sqrt(y[h:]) - np.sqrt(predicted)
            errors = errors[np.isfinite(errors)]
            if errors.size >= 10:  # else keep the last horizon's quantiles
                low_q, high_q = np.quantile(errors, QUANTILES)
        root = np.sqrt(mean[h - 1])
        lower[h - 1] = np.maximum(root + low_q, 0.0) ** 2
        upper[h - 1] = np.maximum(root + high_q, 0.0) ** 2
    return lower, upper


def day_features(history: History, until: date) -> pd.DataFrame:
    """The calendar's features of every day from the history's first (UKP or unit
    count) to ``until``; the trend counts from that first day."""
    starts = [d.date() for d in history.units.index[:1]]
    if history.first is not None:
        starts.append(history.first)
    origin = min(starts, default=history.last)
    span = pd.date_range(origin, until, freq="D")
    return calendar.features((d.date() for d in span), origin)


def check_horizon(horizon: int) -> None:
    if not 1 <= horizon <= MAX_HORIZON:
        raise ForecastError("capacity_bad_horizon", horizon=horizon, most=MAX_HORIZON)


def days_ahead(history: History, horizon: int) -> tuple[int, list[date]]:
    """The steps past the last census day, and the ``horizon`` days of the table: from
    the day after ``at`` (one step more when ``at`` is before 08:00)."""
    first = history.at.date() + timedelta(days=1)
    skip = (first - history.last).days - 1
    return skip + horizon, [first + timedelta(days=i) for i in range(horizon)]


def forecast(history: History, horizon: int) -> Forecast:
    """Every series' forecast for the ``horizon`` days after ``history.at``."""
    check_horizon(horizon)
    if history.first is None or history.ukp.shape[1] == 0:
        raise ForecastError("capacity_empty_store")
    with threadpool_limits(1):  # many small fits: threads only wait on each other
        return _forecast(history, horizon)


def _forecast(history: History, horizon: int) -> Forecast:
    steps, days = days_ahead(history, horizon)
    features = day_features(history, history.last + timedelta(days=steps))
    rows: list[ForecastRow] = []
    skipped: list[Series] = []
    wanted = pd.DatetimeIndex(days)
    for one in series(history):
        try:
            result = forecast_one(one.values, steps, features)
        except ForecastError:
            if one.group_type != "unit":
                raise
            skipped.append(one)
            continue
        part = result.loc[wanted]
        rows += [ForecastRow(day.date(), one.group_type, one.group_id, one.measure,
                             float(mean), float(lower), float(upper))
                 for day, mean, lower, upper in zip(part.index, part["mean"], part["lower"],
                                                    part["upper"], strict=True)]
    return Forecast(at_day=history.last, rows=rows, skipped=skipped)
