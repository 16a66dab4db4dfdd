"""Months and cut-offs as users write them (``2024-03``, ``2025-02-15``, ``2024-03-04T08:00``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta


def month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def parse_month(text: str) -> date:
    """``YYYY-MM`` -> the first day of that month."""
    try:
        parsed = datetime.strptime(text.strip(), "%Y-%m")
    except ValueError:
        raise ValueError(f"'{text}' is not a month: write it as YYYY-MM, e.g. 2024-03") from None
    return parsed.date()


def parse_moment(text: str) -> datetime:
    """A date (00:00 of that day) or a date-time, ISO 8601 or Norwegian ``dd.mm.yyyy``."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
                "%d.%m.%Y", "%d.%m.%Y %H:%M"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(
        f"'{text}' is not a date or time: write e.g. 2025-02-15, 2024-03-04T08:00 or 15.02.2025"
    )


def add_months(d: date, n: int) -> date:
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


# The snapshot (øyeblikksbilde, case 4/24) is taken on Mondays and Thursdays
# (date.weekday()): the report's previous snapshot, the schedule's default days and the
# demo's bed counts all follow it.
SNAPSHOT_DAYS = (0, 3)


def previous_snapshot(at: datetime) -> datetime:
    """The snapshot before `at`: the latest Monday or Thursday before its date, same time."""
    day = at - timedelta(days=1)
    while day.weekday() not in SNAPSHOT_DAYS:
        day -= timedelta(days=1)
    return day
