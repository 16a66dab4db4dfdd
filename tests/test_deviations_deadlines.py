"""Deadlines of a deviation in Norwegian working days (spec/deviations.md, "Workflow").
Every expected day is counted by hand on the 2024 calendar in the comments."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from flyt.deviations.deadlines import (
    Timeline,
    acknowledge_due,
    add_working_days,
    answer_due,
    is_working_day,
    overdue,
    should_close,
)
from flyt.deviations.settings import DeviationSettings, load_deviation_settings

DEFAULTS = DeviationSettings()


def test_the_easter_days_of_2024_are_not_working_days():
    # Maundy Thursday, Good Friday, Easter Monday; the Wednesday before and Tuesday after are.
    assert [is_working_day(date(2024, 3, d)) for d in (27, 28, 29)] == [True, False, False]
    assert [is_working_day(date(2024, 4, d)) for d in (1, 2)] == [False, True]


@pytest.mark.parametrize(("reported", "due"), [
    # Easter: Tue 26.03 (1), Wed 27.03 (2), Thu 28, Fri 29, the weekend, Mon 01.04 are
    # off, Tue 02.04 (3), Wed 03.04 (4), Thu 04.04 (5).
    (datetime(2024, 3, 25, 10, 0), date(2024, 4, 4)),
    # 17 May (a Friday) and Whit Monday 20.05: Tue 14 (1), Wed 15 (2), Thu 16 (3),
    # Tue 21 (4), Wed 22 (5).
    (datetime(2024, 5, 13, 9, 30), date(2024, 5, 22)),
    # Christmas into the new year: Tue 24.12 (1; not a public holiday), Fri 27.12 (2),
    # Mon 30.12 (3), Tue 31.12 (4), 01.01 is off, Thu 02.01.2025 (5).
    (datetime(2024, 12, 23, 15, 0), date(2025, 1, 2)),
    # A weekend: reported on a Friday, Mon 10.06 (1) … Fri 14.06 (5).
    (datetime(2024, 6, 7, 23, 59), date(2024, 6, 14)),
    # Reported on a Saturday: the same Monday is the first working day after it.
    (datetime(2024, 6, 8, 12, 0), date(2024, 6, 14)),
])
def test_the_acknowledgement_is_due_five_working_days_after_the_report(reported, due):
    assert acknowledge_due(reported, DEFAULTS) == due


def test_the_acknowledgement_deadline_is_configurable():
    settings = load_deviation_settings({"deviations": {"acknowledge_working_days": 3}})
    # Tue 26.03 (1), Wed 27.03 (2), then the Easter days, Tue 02.04 (3).
    assert acknowledge_due(datetime(2024, 3, 25, 8, 0), settings) == date(2024, 4, 2)


def test_adding_no_working_days_keeps_the_day():
    assert add_working_days(date(2024, 3, 29), 0) == date(2024, 3, 29)


def test_an_unacknowledged_deviation_is_overdue_the_day_after_its_deadline():
    item = Timeline("meldt", "ingen_skade", datetime(2024, 3, 25, 10, 0))
    assert overdue(item, date(2024, 4, 4), DEFAULTS) == frozenset()
    assert overdue(item, date(2024, 4, 5), DEFAULTS) == {"acknowledge"}


def test_an_acknowledged_deviation_is_not_overdue_for_its_acknowledgement():
    item = Timeline("mottatt", "ingen_skade", datetime(2024, 3, 25, 10, 0))
    assert overdue(item, date(2024, 6, 1), DEFAULTS) == frozenset()


def test_the_answer_is_due_30_days_after_the_report_for_moderate_harm_and_worse():
    reported = datetime(2024, 3, 25, 10, 0)
    # 25.03 + 30 days: 6 days left of March, 24 of April → 24.04.
    for severity in ("moderat_skade", "betydelig_skade", "dod"):
        item = Timeline("under_behandling", severity, reported)
        assert answer_due(item, DEFAULTS) == date(2024, 4, 24)
        assert overdue(item, date(2024, 4, 24), DEFAULTS) == frozenset()
        assert overdue(item, date(2024, 4, 25), DEFAULTS) == {"answer"}
    for severity in ("ingen_skade", "mindre_skade"):
        item = Timeline("under_behandling", severity, reported)
        assert answer_due(item, DEFAULTS) is None
        assert overdue(item, date(2024, 12, 31), DEFAULTS) == frozenset()


def test_a_deviation_still_reported_late_is_overdue_for_both():
    item = Timeline("meldt", "dod", datetime(2024, 3, 25, 10, 0))
    assert overdue(item, date(2024, 4, 25), DEFAULTS) == {"acknowledge", "answer"}


def test_an_answered_or_rejected_deviation_owes_no_answer():
    for status in ("besvart", "lukket", "avvist"):
        item = Timeline(status, "dod", datetime(2024, 3, 25, 10, 0))
        assert overdue(item, date(2024, 5, 1), DEFAULTS) == frozenset()


def test_an_answered_deviation_closes_itself_14_days_after_the_answer():
    item = Timeline("besvart", "moderat_skade", datetime(2024, 4, 2, 9, 0),
                    answered_at=datetime(2024, 5, 2, 14, 0))
    # 02.05 + 14 days = 16.05.
    assert not should_close(item, date(2024, 5, 15), DEFAULTS)
    assert should_close(item, date(2024, 5, 16), DEFAULTS)
    reopened = Timeline("gjenapnet", "moderat_skade", datetime(2024, 4, 2, 9, 0),
                        answered_at=datetime(2024, 5, 2, 14, 0))
    assert not should_close(reopened, date(2024, 6, 1), DEFAULTS)


def test_the_answer_and_close_deadlines_are_configurable():
    settings = load_deviation_settings(
        {"deviations": {"answer_days": 10, "close_after_days": 3}})
    item = Timeline("besvart", "dod", datetime(2024, 3, 25, 10, 0),
                    answered_at=datetime(2024, 3, 28, 8, 0))
    assert answer_due(item, settings) == date(2024, 4, 4)
    assert should_close(item, date(2024, 3, 31), settings)


@pytest.mark.parametrize(("section", "named"), [
    ({"answer_days": 0}, "answer_days"),
    ({"close_after_days": "14"}, "close_after_days"),
    ({"categories": []}, "categories"),
    ({"categories": ["annet", "ANNET"]}, "categories"),
    ({"reminder": 1}, "reminder"),
])
def test_a_bad_deviations_setting_is_refused_naming_its_key(section, named):
    with pytest.raises(ValueError, match=f"\\[deviations\\] {named}"):
        load_deviation_settings({"deviations": section})
