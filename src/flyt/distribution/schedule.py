"""When each report is due: pure functions of the settings, the time and the send log.

A *slot* is a scheduled moment in Oslo wall-clock time: the snapshot on the configured
weekdays at ``snapshot_time``, the monthly report (for the month before) on
``monthly_day`` at ``monthly_time``, the weekly capacity report on ``capacity_day`` at
``capacity_time``. Only the latest slot of each kind at or before
now can be due: it is due until the log has a ``sent`` row for its period or its
attempts are used up. So a restart never sends twice, a slot missed while the machine
was off is caught up once, and older missed slots are superseded by the newer report.

Slots are compared as instants (UTC), never as wall-clock: across the switch to and
from summer time (last Sunday of March and October) wall-clock times skip or repeat.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flyt.distribution.send_log import SendRecord
from flyt.distribution.settings import ScheduleSettings
from flyt.domain import clock
from flyt.domain.months import add_months

OSLO = clock.OSLO


@dataclass(frozen=True)
class Slot:
    kind: str  # monthly | snapshot | capacity
    at: datetime  # Oslo wall-clock time, naive like the store's timestamps

    @property
    def month(self) -> date | None:
        """The month a monthly report covers: the one before its slot."""
        return add_months(self.at.date(), -1) if self.kind == "monthly" else None

    @property
    def period(self) -> str:
        """The key in the send log: ``2024-03`` for a month, ``2024-03-04T07:00``."""
        if self.month is not None:
            return f"{self.month:%Y-%m}"
        return snapshot_period(self.at)

    @property
    def instant(self) -> datetime:
        return instant(self.at)


@dataclass(frozen=True)
class Due:
    slot: Slot
    attempts_made: int  # failed attempts already logged for its period


def snapshot_period(at: datetime) -> str:
    return f"{at:%Y-%m-%dT%H:%M}"


def instant(local: datetime) -> datetime:
    """Oslo wall-clock → UTC. A time in the spring gap counts one hour later (fold=0),
    a repeated autumn time counts once, at its first occurrence."""
    return local.replace(tzinfo=OSLO).astimezone(UTC)


def as_instant(now: datetime) -> datetime:
    """``now`` in UTC; a naive time is Oslo wall-clock (as ``--now`` is written)."""
    return instant(now) if now.tzinfo is None else now.astimezone(UTC)


def wall_clock(now: datetime) -> datetime:
    """``now`` as naive Oslo wall-clock time."""
    return as_instant(now).astimezone(OSLO).replace(tzinfo=None)


def latest_slot(settings: ScheduleSettings, kind: str, now: datetime) -> Slot:
    """The newest slot of the kind at or before ``now``."""
    return _slot(settings, kind, now, step=-1)


def next_slot(settings: ScheduleSettings, kind: str, now: datetime) -> Slot:
    """The first slot of the kind after ``now``."""
    return _slot(settings, kind, now, step=1)


def _slot(settings: ScheduleSettings, kind: str, now: datetime, step: int) -> Slot:
    point = as_instant(now)
    today = wall_clock(now).date()

    def fits(slot: Slot) -> bool:
        return slot.instant <= point if step < 0 else slot.instant > point

    if kind == "monthly":
        # This month's slot or the one a month before/after it: one of the two fits.
        for offset in (0, step):
            month = add_months(today, offset)
            slot = Slot(kind, datetime.combine(month.replace(day=settings.monthly_day),
                                               settings.monthly_time))
            if fits(slot):
                return slot
    elif kind in ("snapshot", "capacity"):
        days, at = ((settings.snapshot_days, settings.snapshot_time) if kind == "snapshot"
                    else ((settings.capacity_day,), settings.capacity_time))
        for offset in range(8):  # a weekday recurs within a week
            day = today + timedelta(days=offset * step)
            slot = Slot(kind, datetime.combine(day, at))
            if day.weekday() in days and fits(slot):
                return slot
    raise ValueError(f"no {kind} slot near {now}: unknown kind or no snapshot days")


def remaining_attempts(settings: ScheduleSettings, failed: int) -> int:
    """The attempts a slot has left after ``failed`` failed ones: the first attempt and
    ``retries`` more; 0 when it is given up."""
    return max(0, 1 + settings.retries - failed)


def attempts(log: Iterable[SendRecord], slot: Slot) -> tuple[bool, int]:
    """Whether the slot's period was sent, and how many attempts failed."""
    rows = [r for r in log if r.kind == slot.kind and r.period == slot.period]
    return any(r.status == "sent" for r in rows), sum(r.status == "failed" for r in rows)


def due_sends(settings: ScheduleSettings, kinds: Iterable[str], now: datetime,
              log: Iterable[SendRecord]) -> list[Due]:
    """What to send at ``now``: each kind's latest slot, unless sent or given up."""
    log = list(log)
    found = []
    for kind in kinds:
        slot = latest_slot(settings, kind, now)
        sent, failed = attempts(log, slot)
        if not sent and remaining_attempts(settings, failed):
            found.append(Due(slot, failed))
    return found


def next_wakeup(settings: ScheduleSettings, kinds: Iterable[str], now: datetime) -> datetime:
    """The first slot after ``now`` of any kind, in UTC."""
    return min(next_slot(settings, kind, now).instant for kind in kinds)


def seconds_until(moment: datetime, now: datetime) -> float:
    return max(0.0, (as_instant(moment) - as_instant(now)).total_seconds())
