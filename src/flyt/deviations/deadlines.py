"""When each step of a deviation is due, in Norwegian working days where the spec says
so, and what is overdue on a given day. Pure: the calendar comes from the ``holidays``
package (Norway's public holidays: Easter, Ascension, Whit Monday, 1 and 17 May,
Christmas …), nothing is read from the store.

A deadline is a date: the step is on time when it is taken on or before that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Protocol

import holidays

from flyt.deviations.codes import OPEN_STATUSES, answer_required
from flyt.deviations.settings import DeviationSettings


@cache
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NO", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Norwegian public holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (`start` itself not counted)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


class Timed(Protocol):
    """What the deadlines need of a deviation (records.Deviation has it)."""

    @property
    def status(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def reported_at(self) -> datetime: ...
    @property
    def answered_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class Timeline:
    """The deadlines' view of a deviation, without the rest of it."""

    status: str
    severity: str
    reported_at: datetime
    answered_at: datetime | None = None  # when it became besvart (the latest time)


def acknowledge_due(reported_at: datetime, settings: DeviationSettings) -> date:
    """The receiver acknowledges (mottatt) by this day."""
    return add_working_days(reported_at.date(), settings.acknowledge_working_days)


def answer_due(item: Timed, settings: DeviationSettings) -> date | None:
    """The written answer is due by this day (calendar days after reported_at); None
    below moderat_skade, where no answer deadline applies."""
    if not answer_required(item.severity):
        return None
    return item.reported_at.date() + timedelta(days=settings.answer_days)


def close_due(item: Timed, settings: DeviationSettings) -> date | None:
    """An answered deviation closes by itself on this day (None unless besvart)."""
    if item.status != "besvart" or item.answered_at is None:
        return None
    return item.answered_at.date() + timedelta(days=settings.close_after_days)


def overdue(item: Timed, on: date, settings: DeviationSettings) -> frozenset[str]:
    """What is overdue on the day `on`: ``acknowledge`` (still meldt after its day),
    ``answer`` (moderat_skade or worse, still unanswered after its day)."""
    late: set[str] = set()
    if item.status == "meldt" and on > acknowledge_due(item.reported_at, settings):
        late.add("acknowledge")
    due = answer_due(item, settings)
    if due is not None and item.status in OPEN_STATUSES and on > due:
        late.add("answer")
    return frozenset(late)


def should_close(item: Timed, on: date, settings: DeviationSettings) -> bool:
    """Whether the automatic close is due on the day `on`."""
    due = close_due(item, settings)
    return due is not None and on >= due
