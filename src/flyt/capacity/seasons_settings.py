"""``[capacity.meetings]``: the dates of the planned seasonal meetings (docs/capacity.md,
"The seasonal calendar")::

    [capacity.meetings]
    easter-2027 = 2027-03-01
    christmas-2027 = 2027-11-29

A key is a period of ``seasons.PLANNED`` and the year it starts in; a period not named
meets on ``seasons.MEETING_WEEKS_BEFORE`` weeks before it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flyt.capacity.seasons import PLANNED
from flyt.config import raw_config

SECTION = "capacity.meetings"


def load_meetings(raw: dict[str, Any] | None = None) -> dict[str, date]:
    """``[capacity.meetings]``: period key → meeting date; ValueError naming the key."""
    section = (raw_config() if raw is None else raw).get("capacity", {})
    meetings = section.get("meetings", {}) if isinstance(section, dict) else None
    if not isinstance(meetings, dict):
        raise ValueError(f"[{SECTION}] in the configuration file must be a table")
    found = {}
    for key, value in meetings.items():
        kind, _, year = str(key).partition("-")
        if kind not in PLANNED or not (year.isdigit() and len(year) == 4):
            raise ValueError(f"[{SECTION}] {key}: the key must be easter-YYYY, summer-YYYY "
                             "or christmas-YYYY")
        if isinstance(value, datetime) or not isinstance(value, date):
            raise ValueError(f"[{SECTION}] {key} must be a date (YYYY-MM-DD), not {value!r}")
        found[str(key)] = value
    return found
