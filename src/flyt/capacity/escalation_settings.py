"""The ``[escalation]`` section of the configuration file (docs/capacity.md, "Escalation
levels")::

    [escalation]
    ukp_ratio = [1.15, 1.30, 1.50]          # UKP census / its normal: levels 2, 3, 4
    forecast_ratio = [1.15, 1.30, 1.50]     # the 7-day forecast peak / its normal
    min_excess = 2                          # and at least this many patients above it
    aftercare_occupancy = [90, 100, 110]    # occupied / available beds, per cent
    short_term_occupancy = [90, 100, 110]

    [escalation.mail]                       # the e-mail when a level rises
    recipients = ["beredskap@stolav.no"]    # none: no mail (the levels are still kept)
    time = "08:15"                          # the daily run in the schedule loop (Oslo)
    lang = "nb"                             # the mail's language: nb or en

An indicator reaches a level when its value is at or above that level's threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from flyt import i18n
from flyt.config import raw_config
from flyt.distribution.settings import ConfigError, address, time_of_day

SECTION = "escalation"
RATIO_KEYS = ("ukp_ratio", "forecast_ratio")
OCCUPANCY_KEYS = ("aftercare_occupancy", "short_term_occupancy")
THRESHOLD_KEYS = (*RATIO_KEYS, *OCCUPANCY_KEYS)
KEYS = (*THRESHOLD_KEYS, "min_excess", "mail")
MAIL_KEYS = ("recipients", "time", "lang")
MAX_RECIPIENTS = 100
MOST = 1000.0  # no threshold is sensibly above this (a ratio of 1000, 1000 %)

Thresholds = tuple[float, float, float]  # levels 2, 3 and 4


@dataclass(frozen=True)
class EscalationSettings:
    ukp_ratio: Thresholds = (1.15, 1.30, 1.50)
    forecast_ratio: Thresholds = (1.15, 1.30, 1.50)
    aftercare_occupancy: Thresholds = (90.0, 100.0, 110.0)
    short_term_occupancy: Thresholds = (90.0, 100.0, 110.0)
    min_excess: float = 2.0


DEFAULTS = EscalationSettings()


@dataclass(frozen=True)
class AlertSettings:
    """``[escalation.mail]``: who is mailed when a level rises, when and in which language."""

    recipients: tuple[str, ...] = ()
    run_time: time = time(8, 15)  # after the 08:00 census, when the day's counts are in
    lang: str = "nb"


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _thresholds(key: str, value: object) -> Thresholds:
    if (not isinstance(value, list) or len(value) != 3
            or not all(_number(v) and 0 < v <= MOST for v in value)):
        raise ValueError(f"[{SECTION}] {key} must be a list of three numbers above 0 and at "
                         f"most {MOST:g} (the thresholds of levels 2, 3 and 4)")
    low, middle, high = (float(v) for v in value)
    if not low < middle < high:
        raise ValueError(f"[{SECTION}] {key} must rise with the level: {value}")
    return low, middle, high


def load_escalation_settings(raw: dict[str, Any] | None = None) -> EscalationSettings:
    """The settings; ValueError naming the key for an unknown key or a bad value."""
    section = (raw_config() if raw is None else raw).get("escalation", {})  # SECTION
    if not isinstance(section, dict):
        raise ValueError(f"[{SECTION}] in the configuration file must be a table")
    unknown = sorted(set(section) - set(KEYS))
    if unknown:
        raise ValueError(f"unknown key [{SECTION}] {unknown[0]} in the configuration file; "
                         f"known: {', '.join(KEYS)}")
    found: dict[str, Any] = {}
    for key in THRESHOLD_KEYS:
        if key in section:
            found[key] = _thresholds(key, section.get(key))
    excess = section.get("min_excess", DEFAULTS.min_excess)
    if not _number(excess) or not 0 <= excess <= MOST:
        raise ValueError(f"[{SECTION}] min_excess must be a number from 0 to {MOST:g} "
                         "(patients)")
    return EscalationSettings(**found, min_excess=float(excess))


def load_alert_settings(raw: dict[str, Any] | None = None) -> AlertSettings:
    """``[escalation.mail]``; ConfigError naming the key. The thresholds are checked by
    ``load_escalation_settings``."""
    section = (raw_config() if raw is None else raw).get("escalation", {})
    if not isinstance(section, dict):
        raise ConfigError(f"[{SECTION}] in the configuration file must be a table")
    own = section.get("mail", {})
    if not isinstance(own, dict):
        raise ConfigError(f"[{SECTION}.mail] must be a table")
    unknown = sorted(set(own) - set(MAIL_KEYS))
    if unknown:
        raise ConfigError(f"[{SECTION}.mail] {unknown[0]}: unknown setting "
                          f"(known: {', '.join(MAIL_KEYS)})")
    listed = own.get("recipients", [])
    where = f"[{SECTION}.mail] recipients"
    if isinstance(listed, str) or not isinstance(listed, list) or len(listed) > MAX_RECIPIENTS:
        raise ConfigError(f'{where} must be a list of at most {MAX_RECIPIENTS} addresses, '
                          'e.g. ["beredskap@stolav.no"]')
    lang = own.get("lang", "nb")
    if lang not in i18n.LANGS:
        raise ConfigError(f"[{SECTION}.mail] lang: '{lang}' is not one of "
                          f"{', '.join(i18n.LANGS)}")
    recipients = tuple(dict.fromkeys(address(v, where) for v in listed))  # once each
    return AlertSettings(recipients, time_of_day(own.get("time", "08:15"),
                                                 f"[{SECTION}.mail] time"), lang)
