"""The ``[deviations]`` section of the configuration file::

    [deviations]
    categories = ["meldinger", "utskrivning", "annet"]   # the taxonomy's codes
    acknowledge_working_days = 5   # receiver acknowledges (mottatt) within, working days
    answer_days = 30               # written answer for moderat_skade and worse, days
    close_after_days = 14          # besvart closes by itself after, days
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flyt.config import raw_config
from flyt.deviations.codes import DEFAULT_CATEGORIES

DEVIATION_KEYS = ("categories", "acknowledge_working_days", "answer_days",
                  "close_after_days", "contacts", "reminders", "attachment_max_bytes",
                  "attachment_max_count", "attachments_dir")
# [deviations.contacts] and [deviations.reminders] are read and checked by reminders.py,
# the attachment_* keys and attachments_dir by attachment_settings.py.


@dataclass(frozen=True)
class DeviationSettings:
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    acknowledge_working_days: int = 5
    answer_days: int = 30
    close_after_days: int = 14


def _whole(section: dict[str, Any], key: str, default: int) -> int:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"[deviations] {key} must be a whole number >= 1")
    return value


def _categories(section: dict[str, Any]) -> tuple[str, ...]:
    value = section.get("categories", list(DEFAULT_CATEGORIES))
    if (not isinstance(value, list) or not value
            or not all(isinstance(c, str) and c.strip() for c in value)):
        raise ValueError('[deviations] categories must be a list of codes: ["meldinger", …]')
    codes = tuple(c.strip().casefold() for c in value)
    if len(set(codes)) != len(codes):
        raise ValueError("[deviations] categories: a code is listed twice")
    return codes


def load_deviation_settings(raw: dict[str, Any] | None = None) -> DeviationSettings:
    """The defaults, overridden by ``[deviations]``; ValueError naming the key."""
    section = (raw_config() if raw is None else raw).get("deviations", {})
    if not isinstance(section, dict):
        raise ValueError("[deviations] in the configuration file must be a table")
    unknown = sorted(set(section) - set(DEVIATION_KEYS))
    if unknown:
        raise ValueError(f"[deviations] {unknown[0]}: unknown setting "
                         f"(known: {', '.join(DEVIATION_KEYS)})")
    defaults = DeviationSettings()
    return DeviationSettings(
        categories=_categories(section),
        acknowledge_working_days=_whole(section, "acknowledge_working_days",
                                        defaults.acknowledge_working_days),
        answer_days=_whole(section, "answer_days", defaults.answer_days),
        close_after_days=_whole(section, "close_after_days", defaults.close_after_days),
    )
