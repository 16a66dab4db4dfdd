"""``[deviations.contacts]`` (org_id → the addresses of its deviation handlers) and
``[deviations.reminders]`` (``time``, ``lang``), read and checked for
``deviations.reminders`` (docs/deployment.md). Apart from the rest of the ``[deviations]``
section, which ``deviations.settings`` reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Any

from flyt import i18n
from flyt.config import raw_config
from flyt.distribution.settings import ConfigError, address, time_of_day
from flyt.store.reference import packaged_organisations

REMINDER_KEYS = ("time", "lang")


@dataclass(frozen=True)
class ReminderSettings:
    contacts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    run_time: time = time(7, 0)
    lang: str = "nb"


def load_reminder_settings(raw: dict[str, Any] | None = None) -> ReminderSettings:
    """``[deviations.contacts]`` and ``[deviations.reminders]``; ConfigError naming the key."""
    section = (raw_config() if raw is None else raw).get("deviations", {})
    contacts = _contacts(section.get("contacts", {}) if isinstance(section, dict) else {})
    own = section.get("reminders", {}) if isinstance(section, dict) else {}
    if not isinstance(own, dict):
        raise ConfigError("[deviations.reminders] must be a table")
    unknown = sorted(set(own) - set(REMINDER_KEYS))
    if unknown:
        raise ConfigError(f"[deviations.reminders] {unknown[0]}: unknown setting "
                          f"(known: {', '.join(REMINDER_KEYS)})")
    lang = own.get("lang", "nb")
    if lang not in i18n.LANGS:
        raise ConfigError(f"[deviations.reminders] lang: '{lang}' is not one of "
                          f"{', '.join(i18n.LANGS)}")
    return ReminderSettings(contacts, _run_time(own.get("time", "07:00")), lang)


def _contacts(table: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(table, dict):
        raise ConfigError("[deviations.contacts] must be a table: org_id = [\"a@b.no\"]")
    known = {o.org_id for o in packaged_organisations()}
    contacts = {}
    for org, value in table.items():
        where = f"[deviations.contacts] {org}"
        if org not in known:
            raise ConfigError(f"{where}: unknown organisation (use an org_id of "
                              "organisations.csv, e.g. stolav or 5001)")
        if isinstance(value, str) or not isinstance(value, list):
            raise ConfigError(f"{where} must be a list of addresses, e.g. [\"avvik@stolav.no\"]")
        contacts[org] = tuple(address(v, where) for v in value)
    return contacts


def _run_time(value: Any) -> time:
    return time_of_day(value, "[deviations.reminders] time")
