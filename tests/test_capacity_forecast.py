"""The capacity forecast on synthetic series with a known answer (no store needed)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from flyt.capacity import backtest
from flyt.capacity.forecast import MIN_HISTORY_DAYS, ForecastError, forecast
from flyt.capacity.history import History


def made(columns: dict[str, np.ndarray], last: date) -> History:
    """A history of UKP series (one per municipality) ending at ``last``, known at 08:00."""
    length = len(next(iter(columns.values())))
    index = pd.date_range(end=pd.Timestamp(last), periods=length, freq="D", name="day")
    ukp = pd.DataFrame(columns, index=index)
    return History(at=datetime.combine(last, datetime.min.time()).replace(hour=8),
                   first=index[0].date(), last=last, ukp=ukp,
                   units=pd.DataFrame(index=pd.DatetimeIndex([], name="day")),
                   unit_kinds={}, waits=pd.DataFrame(columns=["municipality", "first_day",
                                                              "last_day", "days"]))


def days_before(last: date, count: int) -> list[date]:
    return [last - timedelta(days=count - 1 - i) for i in range(count)]


def rows_of(result, group_id: str) -> dict[date, tuple[float, float, float]]:
    return {r.day: (r.mean, r.lower, r.upper) for r in result.rows if r.group_id == group_id}


def test_a_pure_weekly_pattern_is_learnt():
    last = date(2025, 6, 1)  # a Sunday
    # Monday–Friday 20 patients, Saturday and Sunday 5: the answer is the pattern itself.
    pattern = np.array([20.0 if d.weekday() < 5 else 5.0 for d in days_before(last, 730)])
    result = forecast(made({"5001": pattern}, last), 14)
    for day, (mean, lower, upper) in rows_of(result, "5001").items():
        expected = 20.0 if day.weekday() < 5 else 5.0
        assert mean == pytest.approx(expected, rel=0.05), day
        assert lower <= mean <= upper


def test_a_holiday_dip_appears():
    last = date(2025, 12, 20)
    # 30 patients a day, 10 on the public holidays (Christmas Day and Boxing Day ahead).
    from flyt.capacity.calendar import is_public_holiday
    values = np.array([10.0 if is_public_holiday(d) else 30.0 for d in days_before(last, 1100)])
    ahead = rows_of(forecast(made({"5001": values}, last), 14), "5001")
    assert ahead[date(2025, 12, 25)][0] < 15 and ahead[date(2025, 12, 26)][0] < 15
    assert ahead[date(2025, 12, 23)][0] == pytest.approx(30, rel=0.1)


def test_intervals_stay_at_or_above_0_and_a_quiet_municipality_has_rows():
    rng = np.random.default_rng(7)
    last = date(2025, 3, 2)
    history = made({"5001": rng.poisson(0.3, 800).astype(float),
                    "5020": np.zeros(800)}, last)
    result = forecast(history, 90)
    assert {r.group_id for r in result.rows} == {"all", "5001", "5020"}
    assert len(result.rows) == 3 * 90
    assert all(0 <= r.lower <= r.mean <= r.upper for r in result.rows)
    quiet = rows_of(result, "5020")
    assert len(quiet) == 90 and set(quiet.values()) == {(0.0, 0.0, 0.0)}
    assert min(quiet) == date(2025, 3, 3)  # the day after --at first


def test_coverage_on_simulated_poisson_data_is_near_80_per_cent():
    rng = np.random.default_rng(11)
    length, ahead = 1400, 28
    days = days_before(date(2025, 9, 30), length)
    rate = np.array([6.0 + 3.0 * (d.weekday() < 5) for d in days])
    inside = total = 0
    for end in range(length - 20 * ahead, length, ahead):  # 20 origins, fresh future each
        values = rng.poisson(rate).astype(float)
        history = made({"5001": values[:end]}, days[end - 1])
        for r in forecast(history, ahead).rows:
            if r.group_id != "5001":
                continue
            actual = values[end + (r.day - days[end]).days]
            inside += r.lower <= actual <= r.upper
            total += 1
    assert total == 20 * ahead
    assert 0.72 <= inside / total <= 0.90, inside / total


def test_it_beats_both_naive_forecasts_on_a_seasonal_series():
    rng = np.random.default_rng(3)
    days = days_before(date(2025, 10, 31), 4 * 365)
    season = np.array([15 + 6 * np.cos(2 * np.pi * d.timetuple().tm_yday / 365.25)
                       + (5 if d.weekday() < 5 else 0) for d in days])
    result = backtest.run(made({"5001": rng.poisson(season).astype(float)}, days[-1]), 8, 56)
    for band in backtest.bands(56):
        model = result.score("community", band, "model")
        for naive in ("naive_week", "naive_year"):
            other = result.score("community", band, naive)
            assert model is not None and other is not None
            assert model.mae < other.mae, (band, naive)


def test_errors_are_named():
    last = date(2025, 3, 2)
    with pytest.raises(ForecastError) as short:
        forecast(made({"5001": np.ones(MIN_HISTORY_DAYS - 1)}, last), 7)
    assert short.value.key == "capacity_too_little_history"
    assert short.value.values == {"days": MIN_HISTORY_DAYS - 1, "needed": MIN_HISTORY_DAYS}
    with pytest.raises(ForecastError) as horizon:
        forecast(made({"5001": np.ones(100)}, last), 91)
    assert horizon.value.key == "capacity_bad_horizon"
    with pytest.raises(ForecastError) as backtest_short:
        backtest.run(made({"5001": np.ones(200)}, last), 12, 56)
    assert backtest_short.value.key == "capacity_backtest_too_short"


def test_a_municipality_quiet_for_years_gets_a_zero_forecast_not_a_gap():
    # Patients in its first 100 days, none in the three years since: the recent window is
    # flat (its autocorrelation undefined), and the forecast is 0, not NaN.
    values = np.concatenate([np.full(100, 2.0), np.zeros(1200)])
    result = forecast(made({"5001": values, "5020": values}, date(2025, 3, 2)), 30)
    assert len(result.rows) == 3 * 30
    assert all(np.isfinite([r.mean, r.lower, r.upper]).all() for r in result.rows)
    assert max(r.upper for r in result.rows) < 0.05
