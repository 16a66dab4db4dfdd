"""The ``[plan]`` section of the configuration file::

    [plan]
    red_after_days = 30   # an activity not done this many days after its end is red
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flyt.config import raw_config

SECTION = "plan"
KEYS = ("red_after_days",)
# Sub-tables read by flyt.plan.notify_settings ([plan.contacts], [plan.notify]).
TABLES = ("contacts", "notify")


@dataclass(frozen=True)
class PlanSettings:
    red_after_days: int = 30


def load_plan_settings(raw: dict[str, Any] | None = None) -> PlanSettings:
    """The settings; ValueError naming the key for an unknown key or a bad value."""
    section = (raw_config() if raw is None else raw).get("plan", {})  # SECTION
    if not isinstance(section, dict):
        raise ValueError(f"[{SECTION}] in the configuration file must be a table")
    unknown = sorted(set(section) - set(KEYS) - set(TABLES))
    if unknown:
        raise ValueError(f"unknown key [{SECTION}] {unknown[0]} in the configuration file; "
                         f"known: {', '.join(KEYS)}")
    days = section.get("red_after_days", PlanSettings.red_after_days)
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"[{SECTION}] red_after_days must be a whole number >= 0")
    return PlanSettings(red_after_days=days)
