"""Mail a report and log the attempt; run what the schedule says is due, with retries.

The decisions are in ``schedule`` (pure) and the transport in ``mail``; this module
joins them to the store and the clock, so the loop behind ``flyt schedule run`` and
``flyt serve --schedule`` (``running``) is a thin shell around ``run_due``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flyt import reports
from flyt.config import Settings
from flyt.distribution.mail import MailError, build_message, send_message
from flyt.distribution.schedule import (
    Slot,
    due_sends,
    latest_slot,
    remaining_attempts,
    snapshot_period,
    wall_clock,
)
from flyt.distribution.send_log import SendRecord, history, record
from flyt.distribution.settings import KINDS, ConfigError, DistributionSettings
from flyt.domain import clock
from flyt.i18n import t
from flyt.reports import RenderedReport
from flyt.store.db import Database

# The loop wakes at least this often, so a suspended machine or a changed clock
# does not make it oversleep a slot (time.sleep counts elapsed, not calendar, time).
MAX_SLEEP_SECONDS = 600.0

Clock = Callable[[], datetime]
Echo = Callable[[str], None]


@dataclass(frozen=True)
class Target:
    """One report to send: its kind, its key in the send log and what it covers."""

    kind: str
    period: str
    month: date | None = None
    at: datetime | None = None

    @classmethod
    def monthly(cls, month: date) -> Target:
        return cls("monthly", f"{month:%Y-%m}", month=month)

    @classmethod
    def snapshot(cls, at: datetime) -> Target:
        return cls("snapshot", snapshot_period(at), at=at)

    @classmethod
    def capacity(cls, at: datetime) -> Target:
        return cls("capacity", snapshot_period(at), at=at)

    @classmethod
    def of(cls, slot: Slot) -> Target:
        # A scheduled snapshot or capacity report shows the picture at its slot, also
        # when caught up later.
        return cls.monthly(slot.month) if slot.month else cls(slot.kind, slot.period,
                                                               at=slot.at)


def utc_now() -> datetime:
    # Aware, so that the repeated hour in October is not ambiguous; the log stores
    # Oslo wall-clock time (the store's convention), converted when written.
    return clock.instant()


def render(db: Database, settings: Settings, target: Target, lang: str) -> RenderedReport:
    # Looked up on the module at call time, so that tests can replace the renderer.
    return reports.render_for_mail(db, settings, target.kind, month=target.month,
                                   at=target.at, lang=lang)


def sender_of(dist: DistributionSettings) -> str:
    if not dist.mail.sender:
        raise ConfigError("no sender: set sender = \"flyt@example.no\" under [mail]")
    return dist.mail.sender


def deliver(db: Database, settings: Settings, dist: DistributionSettings, target: Target, *,
            lang: str = "nb", attempts: int = 1, wait_seconds: float = 0.0,
            sleep: Callable[[float], None] = time.sleep, clock: Clock = utc_now,
            echo: Echo | None = None) -> SendRecord:
    """Send ``target`` to its list, trying up to ``attempts`` times; every try is logged.
    Returns the last attempt's log row (``sent`` or ``failed``)."""
    recipients = dist.recipients_for(target.kind)
    sender = sender_of(dist)
    report: RenderedReport | None = None  # built once, also when the sending is retried
    row: SendRecord | None = None
    for n in range(attempts):
        if n:
            sleep(wait_seconds)
        try:
            report = report or render(db, settings, target, lang)
            refused = send_message(build_message(report, sender, recipients, lang), dist.mail)
            status, error = "sent", _refused_text(refused)
        except MailError as exc:
            status, error = "failed", str(exc)
        except Exception as exc:  # a renderer failing is logged and reported like the rest
            status, error = "failed", f"cannot build the report: {type(exc).__name__}: {exc}"
        row = record(db, target.kind, target.period, recipients, status, error,
                     wall_clock(clock()))
        if echo:
            echo(outcome_line(row, lang))
        if status == "sent":
            break
    assert row is not None, "attempts must be at least 1"
    return row


def _refused_text(refused: dict[str, str]) -> str | None:
    if not refused:
        return None
    return "refused by the server: " + "; ".join(f"{a} ({r})" for a, r in refused.items())


def outcome_line(row: SendRecord, lang: str) -> str:
    """One line for the user and the journal; a partial refusal is appended to ``sent``."""
    kind = t(f"dist_kind_{row.kind}", lang)
    if row.status == "sent":
        count = len(row.recipients.split(", "))
        line = t("dist_sent", lang).format(kind=kind, period=row.period, count=count,
                                           attempt=row.attempt)
        return f"{line} {row.error}" if row.error else line
    return t("dist_failed", lang).format(kind=kind, period=row.period, attempt=row.attempt,
                                         error=row.error)


def scheduled_kinds(dist: DistributionSettings) -> tuple[str, ...]:
    """The kinds with a distribution list: a kind without recipients is not scheduled."""
    return tuple(kind for kind in KINDS if dist.recipients.get(kind))


def run_due(db: Database, settings: Settings, dist: DistributionSettings, now: datetime, *,
            lang: str = "nb", sleep: Callable[[float], None] = time.sleep,
            clock: Clock = utc_now, echo: Echo | None = None) -> list[SendRecord]:
    """Send what is due at ``now`` (each with its remaining attempts); the final rows."""
    kinds = scheduled_kinds(dist)
    periods = tuple(latest_slot(dist.schedule, kind, now).period for kind in kinds)
    log = history(db, kinds=kinds, periods=periods)
    rows = []
    for due in due_sends(dist.schedule, kinds, now, log):
        attempts = remaining_attempts(dist.schedule, due.attempts_made)
        rows.append(deliver(db, settings, dist, Target.of(due.slot), lang=lang,
                            attempts=attempts, wait_seconds=dist.schedule.retry_wait_seconds,
                            sleep=sleep, clock=clock, echo=echo))
    return rows
