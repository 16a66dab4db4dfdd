"""The seasonal calendar (periods, meeting dates, pressure) and the latest bed counts."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from flyt.capacity import beds, seasons
from flyt.capacity.seasons_settings import load_meetings
from tests.test_capacity_escalation import short_term
from tests.test_capacity_forecast import made


def by_key(found: list[seasons.Period]) -> dict[str, seasons.Period]:
    return {p.key: p for p in found}


def test_the_periods_of_2027_by_hand():
    # Easter Sunday 2027 is 28.03; ISO week 26 of 2027 begins Monday 28.06, week 33 ends
    # Sunday 22.08; 21.12.2027 is a Tuesday (its week's Monday 20.12); ISO week 40 of 2027
    # begins 04.10 and week 20 of 2028 ends Sunday 21.05.2028.
    found = by_key(seasons.periods(date(2027, 1, 1), date(2027, 12, 31)))
    assert list(found) == ["influenza-2026", "christmas-2026", "easter-2027", "summer-2027",
                           "influenza-2027", "christmas-2027"]  # 2026's Christmas ends 01.01
    assert found["easter-2027"] == seasons.Period(
        "easter", 2027, date(2027, 3, 22), date(2027, 3, 29), date(2027, 3, 1))
    assert found["summer-2027"] == seasons.Period(
        "summer", 2027, date(2027, 6, 28), date(2027, 8, 22), date(2027, 6, 7))
    assert found["christmas-2027"] == seasons.Period(
        "christmas", 2027, date(2027, 12, 21), date(2028, 1, 1), date(2027, 11, 29))
    assert found["influenza-2027"] == seasons.Period(
        "influenza", 2027, date(2027, 10, 4), date(2028, 5, 21), None)
    # The season under way on 01.01.2027 began in week 40 of 2026 (Monday 28.09.2026).
    assert found["influenza-2026"].start == date(2026, 9, 28)
    assert found["influenza-2026"].end == date(2027, 5, 23)


def test_a_period_touching_the_edge_is_in_and_one_past_it_is_out():
    found = by_key(seasons.periods(date(2027, 3, 29), date(2027, 3, 29)))
    assert "easter-2027" in found  # Easter Monday is its last day
    assert "easter-2027" not in by_key(seasons.periods(date(2027, 3, 30), date(2027, 6, 27)))
    assert "christmas-2026" in by_key(seasons.periods(date(2027, 1, 1), date(2027, 1, 1)))


def test_configured_meeting_dates_win_and_bad_ones_are_named():
    raw = {"capacity": {"meetings": {"easter-2027": date(2027, 2, 22)}}}
    meetings = load_meetings(raw)
    found = by_key(seasons.periods(date(2027, 3, 1), date(2027, 4, 1), meetings))
    assert found["easter-2027"].meeting == date(2027, 2, 22)
    assert load_meetings({}) == {}
    for bad, words in ((
            {"influenza-2027": date(2027, 9, 1)}, "easter-YYYY"),
            ({"easter-27": date(2027, 2, 22)}, "easter-YYYY"),
            ({"easter-2027": "next week"}, "must be a date"),
            ({"easter-2027": datetime(2027, 2, 22, 9)}, "must be a date")):
        with pytest.raises(ValueError, match=words):
            load_meetings({"capacity": {"meetings": bad}})
    with pytest.raises(ValueError, match="must be a table"):
        load_meetings({"capacity": {"meetings": 3}})


def test_a_busy_summer_shows_as_pressure_and_the_forecast_reaches_easter():
    # Three years of a census of 10 a day, 20 in ISO weeks 26-33: the normal learns it.
    index = pd.date_range(end="2027-02-28", periods=3 * 365, freq="D")
    week = index.isocalendar().week.to_numpy()
    values = np.where((week >= 26) & (week <= 33), 20, 10)
    known = made({"5001": values}, date(2027, 2, 28))
    found = seasons.ahead(known.at)
    assert found[0].key == "influenza-2026"  # under way
    result = seasons.pressure(known, found)
    assert set(result) == {p.key for p in found}
    summer, easter = result["summer-2027"], result["easter-2027"]
    assert summer.normal == pytest.approx(20, rel=0.15)
    assert summer.ratio > 1.4  # 20 against a year of about 12.2 a day
    assert easter.ratio < 1  # an ordinary fortnight
    assert summer.forecast_mean is None and summer.forecast_upper is None  # beyond 90 days
    assert easter.forecast_mean == pytest.approx(10, rel=0.15)
    assert easter.forecast_upper is not None and easter.forecast_upper >= easter.forecast_mean


def test_too_little_history_gives_no_pressure_not_a_guess():
    known = made({"5001": np.full(20, 3)}, date(2027, 2, 28))
    assert seasons.pressure(known, seasons.ahead(known.at)) == {}


def test_the_latest_count_of_each_unit_and_stale_ones_left_out(db):
    short_term(db, 18, 20, datetime(2024, 4, 3, 7, 0))  # Malvik korttid (5031)
    short_term(db, 23, 20, datetime(2024, 4, 9, 7, 30))
    found = beds.latest(db, datetime(2024, 4, 9, 8))
    assert [(u.unit, u.owner, u.occupied, u.available, u.free) for u in found] == [
        ("Malvik korttid", "5031", 23, 20, -3)]
    assert beds.latest(db, datetime(2024, 4, 9, 7))[0].occupied == 18  # before the 07:30
    assert beds.latest(db, datetime(2024, 4, 17, 8)) == []  # over seven days old
    assert beds.summed(found, "short_term", "5031") == (23, 20)
    assert beds.summed(found, "short_term", "5001") is None
    assert beds.summed(found, "aftercare", None) is None
