"""A job the schedule loop runs once a day (the deviations' reminders, the action plan's
mails to owners): at its time of day (Oslo), or at the first wake after it — a server
started at 09:00 catches up on a 07:00 job. Remembered in memory: after a restart the
day's run repeats, so every daily job must be idempotent (each of theirs is: every step
and every mail is kept, and nothing kept is done twice)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from flyt.domain import clock
from flyt.store.db import Database

Echo = Callable[[str], None]


class DailyJob:
    """Subclasses name themselves (`label`, the prefix of their lines) and do the day's
    work in `run`, returning the lines to show."""

    label = "daily"

    def __init__(self, run_time: time) -> None:
        self.run_time = run_time
        self.done_on: date | None = None
        self.not_before: datetime | None = None  # after a failed run: when to try again

    def run(self, db: Database, at: datetime) -> list[str]:
        raise NotImplementedError

    def _pending(self, local: datetime) -> bool:
        return local.time() >= self.run_time and self.done_on != local.date()

    def due(self, now: datetime) -> bool:
        local = clock.wall_clock(now)
        return self._pending(local) and (self.not_before is None or local >= self.not_before)

    def failed(self, now: datetime, retry_seconds: float) -> None:
        """The run failed: try again in `retry_seconds`, not at once."""
        self.not_before = clock.wall_clock(now) + timedelta(seconds=retry_seconds)

    def seconds_to_next(self, now: datetime) -> float:
        local = clock.wall_clock(now)
        if self.due(now):
            return 0.0
        if self._pending(local) and self.not_before is not None:
            return (self.not_before - local).total_seconds()
        day = local.date() + timedelta(days=0 if local.time() < self.run_time else 1)
        return max(0.0, (datetime.combine(day, self.run_time) - local).total_seconds())

    def run_if_due(self, db: Database, now: datetime, echo: Echo | None) -> None:
        if not self.due(now):
            return
        lines = self.run(db, clock.wall_clock(now))
        self.done_on = clock.wall_clock(now).date()
        self.not_before = None
        if echo:
            for line in lines:
                echo(f"{self.label}: {line}")
