"""The schedule as a loop: behind ``flyt schedule run`` and the schedule thread of
``flyt serve --schedule`` (docs/distribution.md).

Each round sends what is due (``delivery.run_due``, every try logged) and sleeps until
the next slot, at most ``MAX_SLEEP_SECONDS``. A mail server down is a failed try,
logged and tried again as ``[schedule]`` says; any other error of a round (the store
restarting, a bug) is reported and the round tried again after ``retry_wait_seconds``.
Only ``stop`` ends the loop: at once while it sleeps, else once the send under way
is done (an e-mail is never cut off half-way).
"""

from __future__ import annotations

import os
import threading
import traceback
from collections.abc import Callable
from datetime import datetime

from flyt.capacity.escalation_alert import DailyAlert
from flyt.capacity.escalation_settings import load_alert_settings, load_escalation_settings
from flyt.config import Settings
from flyt.deviations.reminder_settings import load_reminder_settings
from flyt.deviations.reminders import DailyRun
from flyt.distribution.daily import DailyJob
from flyt.distribution.delivery import (
    MAX_SLEEP_SECONDS,
    Clock,
    Echo,
    run_due,
    scheduled_kinds,
    sender_of,
    utc_now,
)
from flyt.distribution.schedule import next_wakeup, seconds_until
from flyt.distribution.settings import ConfigError, DistributionSettings
from flyt.plan.notify import DailyNotify
from flyt.plan.notify_settings import load_notify_settings
from flyt.store.db import Database


class Stopped(Exception):
    """Asked to stop while waiting between the tries of a send."""


def check_schedulable(dist: DistributionSettings) -> tuple[str, ...]:
    """The report kinds to send (none: a site that only reminds of deviations);
    ConfigError now, not at the first slot, when nothing can be sent."""
    kinds = scheduled_kinds(dist)
    # A bad [deviations.contacts], [plan.contacts] or [escalation] is refused now, not
    # at 07:00.
    if not kinds and not load_reminder_settings().contacts and not (
            load_notify_settings().contacts) and not load_alert_settings().recipients:
        raise ConfigError("nothing to schedule: no recipients under [distribution] and no "
                          "addresses under [deviations.contacts] or [plan.contacts], nor "
                          "[escalation.mail] recipients")
    sender_of(dist)
    if not dist.mail.host:
        raise ConfigError("no SMTP server: set host under [mail] in the configuration")
    load_reminder_settings()
    load_notify_settings()
    load_alert_settings()
    load_escalation_settings()
    return kinds


def run_schedule(db: Database, settings: Settings, dist: DistributionSettings,
                 stop: threading.Event, *, lang: str = "nb", clock: Clock = utc_now,
                 echo: Echo | None = None, warn: Echo | None = None,
                 max_sleep: float = MAX_SLEEP_SECONDS) -> None:
    """Send what is due, sleep until the next slot, again, until ``stop`` is set.
    ``echo``: one line per try; ``warn``: one line per failed round."""
    kinds = check_schedulable(dist)
    wait_between_tries = _interruptible(stop)
    # The daily jobs ride on the same loop: the deviations' run (close, reminders,
    # digests), the action plan's mails to owners whose activities turned yellow or red,
    # and the escalation levels at the 08:00 census with their mail when a level rises
    # (stored every day, also without recipients: the levels' history is kept).
    dailies: list[DailyJob] = [DailyRun(load_reminder_settings().run_time),
                               DailyNotify(load_notify_settings().run_time),
                               DailyAlert(load_alert_settings().run_time)]
    while not stop.is_set():
        try:
            run_due(db, settings, dist, clock(), lang=lang, sleep=wait_between_tries,
                    clock=clock, echo=echo)
            for daily in dailies:  # one failing job does not keep the other from its run
                _run_daily(daily, db, clock(), dist.schedule.retry_wait_seconds, echo, warn)
            now = clock()
            pause = min(daily.seconds_to_next(now) for daily in dailies)
            if kinds:
                pause = min(pause, seconds_until(next_wakeup(dist.schedule, kinds, now), now))
        except Stopped:
            return
        except Exception as exc:  # the loop must go on; say what happened
            if os.environ.get("FLYT_DEBUG"):
                traceback.print_exc()
            pause = dist.schedule.retry_wait_seconds
            if warn:
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                warn(f"Error: {type(exc).__name__}: {first} (trying again in {pause:g} s)")
        stop.wait(min(pause, max_sleep))


def _run_daily(daily: DailyJob, db: Database, now: datetime, retry_seconds: float,
               echo: Echo | None, warn: Echo | None) -> None:
    try:
        daily.run_if_due(db, now, echo)
    except Exception as exc:  # logged like a failed round; the job is tried again later
        daily.failed(now, retry_seconds)
        if os.environ.get("FLYT_DEBUG"):
            traceback.print_exc()
        if warn:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            warn(f"Error in the {daily.label} daily run: {type(exc).__name__}: {first} "
                 f"(trying again in {retry_seconds:g} s)")


def _interruptible(stop: threading.Event) -> Callable[[float], None]:
    def sleep(seconds: float) -> None:
        if stop.wait(seconds):
            raise Stopped

    return sleep
