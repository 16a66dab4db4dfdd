"""One clock, one rule: Flyt keeps time as naive wall-clock time in Europe/Oslo.

The data come so (stays, messages and files give Norwegian local time without a zone),
and every timestamp Flyt writes follows: imports, results, the audit log, users, PLO
messages and receipts, the send log. Whatever asks for "now" or "today" asks here;
nothing else names the zone or calls ``datetime.now`` (tests/test_clock.py checks).

Where an instant must be unambiguous (the schedule across the October hour that
repeats, an e-mail's Date header) it is taken aware (`instant`) and turned into wall
clock time with `wall_clock` when stored.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

TIME_ZONE_NAME = "Europe/Oslo"
OSLO = ZoneInfo(TIME_ZONE_NAME)


def now() -> datetime:
    """Now, naive Oslo wall-clock time (to the microsecond)."""
    return datetime.now(OSLO).replace(tzinfo=None)


def stamp() -> datetime:
    """Now to the second: what a stored timestamp holds."""
    return now().replace(microsecond=0)


def today() -> date:
    """Today's date in Oslo (not the machine's zone)."""
    return now().date()


def instant() -> datetime:
    """Now as an aware instant (UTC)."""
    return datetime.now(UTC)


def wall_clock(moment: datetime) -> datetime:
    """An aware instant as naive Oslo wall-clock time; a naive one is taken as that already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(OSLO).replace(tzinfo=None)


def local(moment: datetime) -> datetime:
    """Naive Oslo wall-clock time as an aware datetime in Oslo (for headers, instants)."""
    return moment.replace(tzinfo=OSLO) if moment.tzinfo is None else moment.astimezone(OSLO)
