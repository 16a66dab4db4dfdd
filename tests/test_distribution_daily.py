"""A daily job in the schedule loop (flyt.distribution.daily): a failed run is tried
again after the retry wait — not at once in a tight loop, and not only the next day —
and one failing job does not keep another from its run (distribution.running)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time

from flyt.distribution import running
from flyt.distribution.daily import DailyJob


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


class Flaky(DailyJob):
    label = "flaky"

    def __init__(self, run_time: time, failures: int) -> None:
        super().__init__(run_time)
        self.failures = failures
        self.tries: list[datetime] = []

    def run(self, db, at: datetime) -> list[str]:  # noqa: ANN001 (no store needed)
        self.tries.append(at)
        if len(self.tries) <= self.failures:
            raise RuntimeError("the mail server is down")
        return [f"done at {at:%H:%M}"]


def test_a_failed_run_waits_for_the_retry_and_then_runs_once():
    job = Flaky(time(7, 0), failures=1)
    warnings: list[str] = []
    lines: list[str] = []
    # 2 December 2026 is winter time: 07:00 in Oslo is 06:00 UTC.
    running._run_daily(job, None, utc(2026, 12, 2, 6, 0), 300, lines.append, warnings.append)
    assert warnings == ["Error in the flaky daily run: RuntimeError: the mail server is down "
                        "(trying again in 300 s)"]
    assert not job.due(utc(2026, 12, 2, 6, 4, 59))
    assert job.seconds_to_next(utc(2026, 12, 2, 6, 1)) == 240.0
    assert job.due(utc(2026, 12, 2, 6, 5))
    running._run_daily(job, None, utc(2026, 12, 2, 6, 5), 300, lines.append, warnings.append)
    assert lines == ["flaky: done at 07:05"] and job.done_on == date(2026, 12, 2)
    # Done for the day: the next run is at 07:00 tomorrow, 23 h 55 min later.
    assert job.seconds_to_next(utc(2026, 12, 2, 6, 5)) == 23 * 3600 + 55 * 60
    assert len(job.tries) == 2


def test_one_failing_daily_job_does_not_starve_the_others(monkeypatch):
    broken, healthy = Flaky(time(7, 0), failures=99), Flaky(time(7, 0), failures=0)
    monkeypatch.setattr(running, "DailyRun", lambda run_time: broken)
    monkeypatch.setattr(running, "DailyNotify", lambda run_time: healthy)
    monkeypatch.setattr(running, "run_due", lambda *args, **kwargs: None)
    monkeypatch.setattr(running, "check_schedulable", lambda dist: [])
    stop = threading.Event()
    warnings: list[str] = []

    def warn(line: str) -> None:
        warnings.append(line)
        stop.set()  # one round is enough

    class Dist:
        class schedule:  # noqa: N801 (stands in for the settings' section)
            retry_wait_seconds = 60.0

    running.run_schedule(None, None, Dist(), stop, clock=lambda: utc(2026, 12, 2, 6, 30),
                         echo=lambda line: None, warn=warn)
    assert len(broken.tries) == 1 and len(healthy.tries) == 1
    assert healthy.done_on == date(2026, 12, 2) and broken.done_on is None
    assert warnings and "flaky daily run" in warnings[0]
