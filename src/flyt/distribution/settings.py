"""The ``[mail]``, ``[distribution]`` and ``[schedule]`` sections of the configuration file.

Read from ``flyt.config.raw_config()`` and checked here, so that a mistake in the file
is one clear sentence naming the key, not a failure at 07:00 on a Monday. The SMTP
password is never in the file: ``password_env`` names the environment variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import time
from email.headerregistry import Address
from pathlib import Path
from typing import Any

from flyt.config import raw_config
from flyt.domain.months import SNAPSHOT_DAYS

KINDS = ("monthly", "snapshot", "capacity")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ConfigError(ValueError):
    """A bad value in the configuration file; the message names it (flyt.cli shows it)."""


@dataclass(frozen=True)
class MailSettings:
    host: str | None = None
    port: int = 587
    starttls: bool = True
    ssl: bool = False  # implicit TLS (port 465); wins over starttls
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    password_env: str = "FLYT_SMTP_PASSWORD"
    sender: str | None = None
    timeout: float = 60.0
    ca_file: Path | None = None  # an internal CA that signed the server's certificate


@dataclass(frozen=True)
class ScheduleSettings:
    snapshot_days: tuple[int, ...] = SNAPSHOT_DAYS  # Monday and Thursday (date.weekday())
    snapshot_time: time = time(7, 0)
    monthly_day: int = 20
    monthly_time: time = time(8, 0)
    # The weekly capacity report before the Monday meeting: the levels the daily run
    # stored at Sunday's 08:00 census are then less than a day old (flyt.capacity.report).
    capacity_day: int = 0  # Monday (date.weekday())
    capacity_time: time = time(7, 0)
    retries: int = 3  # after the first attempt
    retry_wait_seconds: float = 300.0


@dataclass(frozen=True)
class DistributionSettings:
    mail: MailSettings = MailSettings()
    recipients: dict[str, tuple[str, ...]] = field(default_factory=dict)
    schedule: ScheduleSettings = ScheduleSettings()

    def recipients_for(self, kind: str) -> tuple[str, ...]:
        found = self.recipients.get(kind, ())
        if not found:
            raise ConfigError(f"no recipients for the {kind} report: add "
                              f"{kind} = [\"name@kommune.no\"] under [distribution]")
        return found


def load_distribution(raw: dict[str, Any] | None = None) -> DistributionSettings:
    """The distribution settings from the configuration file (defaults where it is silent)."""
    raw = raw_config() if raw is None else raw
    return DistributionSettings(
        mail=_mail(_section(raw, "mail", MAIL_KEYS)),
        recipients=_recipients(_section(raw, "distribution", KINDS)),
        schedule=_schedule(_section(raw, "schedule", SCHEDULE_KEYS)),
    )


MAIL_KEYS = ("host", "port", "starttls", "ssl", "username", "password_env", "sender",
             "timeout", "ca_file")
SCHEDULE_KEYS = ("snapshot_days", "snapshot_time", "monthly_day", "monthly_time",
                 "capacity_day", "capacity_time", "retries", "retry_wait_seconds")


def _section(raw: dict[str, Any], name: str, known: tuple[str, ...]) -> dict[str, Any]:
    section = raw.get(name, {})
    if not isinstance(section, dict):
        raise ConfigError(f"[{name}] in the configuration file must be a table")
    if name == "mail" and "password" in section:
        raise ConfigError("[mail] password: do not write the SMTP password in the configuration "
                          "file; put it in the environment variable named by password_env "
                          "(default FLYT_SMTP_PASSWORD)")
    unknown = sorted(set(section) - set(known))
    if unknown:
        raise ConfigError(f"[{name}] {unknown[0]}: unknown setting (known: {', '.join(known)})")
    return section


def _mail(section: dict[str, Any]) -> MailSettings:
    d = MailSettings()
    password_env = _text(section, "mail", "password_env") or d.password_env
    sender = _text(section, "mail", "sender")
    ca_file = _text(section, "mail", "ca_file")
    return MailSettings(
        host=_text(section, "mail", "host"),
        port=_integer(section, "mail", "port", d.port, 1, 65535),
        starttls=_flag(section, "mail", "starttls", d.starttls),
        ssl=_flag(section, "mail", "ssl", d.ssl),
        username=_text(section, "mail", "username"),
        password=os.environ.get(password_env) or None,
        password_env=password_env,
        sender=address(sender, "[mail] sender") if sender else None,
        timeout=_number(section, "mail", "timeout", d.timeout),
        ca_file=Path(ca_file).expanduser() if ca_file else None,
    )


def _recipients(section: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    lists = {}
    for kind in KINDS:
        value = section.get(kind, [])
        if isinstance(value, str) or not isinstance(value, list):
            raise ConfigError(f"[distribution] {kind} must be a list of addresses, "
                              f"e.g. {kind} = [\"a@kommune.no\", \"b@stolav.no\"]")
        lists[kind] = tuple(address(v, f"[distribution] {kind}") for v in value)
    return lists


def _schedule(section: dict[str, Any]) -> ScheduleSettings:
    d = ScheduleSettings()
    days = section.get("snapshot_days")
    capacity_day = section.get("capacity_day")
    return ScheduleSettings(
        snapshot_days=_days(days) if days is not None else d.snapshot_days,
        snapshot_time=_clock(section, "snapshot_time", d.snapshot_time),
        # Up to the 28th, so that the day exists in every month.
        monthly_day=_integer(section, "schedule", "monthly_day", d.monthly_day, 1, 28),
        monthly_time=_clock(section, "monthly_time", d.monthly_time),
        capacity_day=(_day(capacity_day, "capacity_day") if capacity_day is not None
                      else d.capacity_day),
        capacity_time=_clock(section, "capacity_time", d.capacity_time),
        retries=_integer(section, "schedule", "retries", d.retries, 0, 100),
        retry_wait_seconds=_number(section, "schedule", "retry_wait_seconds",
                                   d.retry_wait_seconds, minimum=0.0),
    )


def address(value: Any, where: str) -> str:
    """A plain e-mail address (``a@kommune.no``), checked; the error names it and where."""
    text = str(value).strip()
    try:
        parsed = Address(addr_spec=text)
        ok = bool(parsed.username) and "." in parsed.domain and parsed.addr_spec == text
    except Exception:  # the header parser raises several kinds for bad input
        ok = False
    if not isinstance(value, str) or not ok:
        raise ConfigError(f"{where}: '{value}' is not an e-mail address "
                          "(write a plain address such as ola.nordmann@kommune.no)")
    return text


def time_of_day(value: Any, where: str) -> time:
    """A daily job's ``HH:MM`` (Oslo); the error names it and where (e.g. ``[plan.notify]
    time``)."""
    try:
        if isinstance(value, str) and len(value) == 5:
            return time.fromisoformat(value)
    except ValueError:
        pass
    raise ConfigError(f"{where}: '{value}' is not a time of day (write HH:MM, e.g. 07:00)")


def _days(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not value:
        raise ConfigError('[schedule] snapshot_days must be a list of days, e.g. ["mon", "thu"]')
    return tuple(sorted({_day(item, "snapshot_days") for item in value}))


def _day(value: Any, key: str) -> int:
    """A day's name (``mon`` … ``sun``) as its ``date.weekday()``."""
    name = str(value).strip().lower()
    if not isinstance(value, str) or name not in DAY_NAMES:
        raise ConfigError(f"[schedule] {key}: '{value}' is not a day "
                          f"(use {', '.join(DAY_NAMES)})")
    return DAY_NAMES.index(name)


def _clock(section: dict[str, Any], key: str, default: time) -> time:
    value = section.get(key)
    if value is None:
        return default
    try:
        parsed = time.fromisoformat(str(value))
    except ValueError:
        parsed = None
    if parsed is None or len(str(value)) != 5:
        raise ConfigError(f"[schedule] {key}: '{value}' is not a time of day (write HH:MM, "
                          "e.g. 07:00)")
    return parsed


def _text(section: dict[str, Any], name: str, key: str) -> str | None:
    value = section.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"[{name}] {key} must be a non-empty text")
    return value.strip()


def _flag(section: dict[str, Any], name: str, key: str, default: bool) -> bool:
    value = section.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"[{name}] {key} must be true or false, not '{value}'")
    return value


def _integer(section: dict[str, Any], name: str, key: str, default: int, low: int,
             high: int) -> int:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"[{name}] {key} must be a whole number from {low} to {high}, "
                          f"not '{value}'")
    return value


def _number(section: dict[str, Any], name: str, key: str, default: float,
            minimum: float = 0.001) -> float:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise ConfigError(f"[{name}] {key} must be a number of seconds of at least {minimum:g}, "
                          f"not '{value}'")
    return float(value)
