"""The status rules of spec/plan.md at a date `at` (pure).

- Activity: its set status; when not done and `at` is after its end, at least yellow;
  when not done and `at` is more than `red_after_days` days after its end, red. A done
  activity is green unless set red by hand.
- Measure: the worst of its own set status and its activities' statuses; no status
  counts as green.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flyt.plan.model import STATUSES, Activity, Measure

GREEN, YELLOW, RED = STATUSES


def worst(statuses: Iterable[str | None]) -> str | None:
    """red > yellow > green; None when there is no status at all."""
    found = [s for s in statuses if s is not None]
    return max(found, key=STATUSES.index) if found else None


def activity_status(activity: Activity, at: date, red_after_days: int) -> str | None:
    if activity.done:
        return RED if activity.status == RED else GREEN
    if activity.end is None or at <= activity.end:
        return activity.status
    late = RED if (at - activity.end).days > red_after_days else YELLOW
    return worst([activity.status, late])


def measure_status(measure: Measure, at: date, red_after_days: int) -> str:
    """Never None: a measure without any status set counts as green (the spec)."""
    found = [measure.status] + [activity_status(a, at, red_after_days)
                                for a in measure.activities]
    return worst(s or GREEN for s in found) or GREEN
