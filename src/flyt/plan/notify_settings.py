"""``[plan.contacts]`` (an owner as the plan names it → addresses) and ``[plan.notify]``
(``time``, ``lang``, ``base_url``), read and checked for flyt.plan.notify
(docs/plan.md, "E-mail to owners"; docs/deployment.md)::

    [plan.contacts]
    "Kompetansegruppen" = ["kompetansegruppen@stolav.no"]
    "Eirik/Runar" = ["eirik@stolav.no", "runar@trondheim.kommune.no"]

    [plan.notify]
    time = "07:00"                        # the daily run in the schedule loop (Oslo)
    lang = "nb"                           # the mails' language: nb or en
    base_url = "https://flyt.example.no"  # links in the mails (none: no link)

`responsible` is free text, so an owner is found by its exact name first, then by the
name with case and surrounding spaces ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Any
from urllib.parse import urlsplit

from flyt import i18n
from flyt.config import raw_config
from flyt.distribution.settings import ConfigError, address, time_of_day

NOTIFY_KEYS = ("time", "lang", "base_url")
MAX_URL = 500


@dataclass(frozen=True)
class NotifySettings:
    contacts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    run_time: time = time(7, 0)
    lang: str = "nb"
    base_url: str | None = None

    def addresses(self, owner: str) -> tuple[str, ...]:
        """The addresses of `owner` (the plan's `responsible`): exact name, else the same
        name with case and outer spaces ignored; () when none is configured."""
        if owner in self.contacts:
            return self.contacts[owner]
        wanted = _folded(owner)
        return next((found for name, found in self.contacts.items()
                     if _folded(name) == wanted), ()) if wanted else ()


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def load_notify_settings(raw: dict[str, Any] | None = None) -> NotifySettings:
    """``[plan.contacts]`` and ``[plan.notify]``; ConfigError naming the key."""
    section = (raw_config() if raw is None else raw).get("plan", {})
    if not isinstance(section, dict):
        raise ConfigError("[plan] in the configuration file must be a table")
    contacts = _contacts(section.get("contacts", {}))
    own = section.get("notify", {})
    if not isinstance(own, dict):
        raise ConfigError("[plan.notify] must be a table")
    unknown = sorted(set(own) - set(NOTIFY_KEYS))
    if unknown:
        raise ConfigError(f"[plan.notify] {unknown[0]}: unknown setting "
                          f"(known: {', '.join(NOTIFY_KEYS)})")
    lang = own.get("lang", "nb")
    if lang not in i18n.LANGS:
        raise ConfigError(f"[plan.notify] lang: '{lang}' is not one of {', '.join(i18n.LANGS)}")
    return NotifySettings(contacts, _run_time(own.get("time", "07:00")), lang,
                          _base_url(own.get("base_url")))


def _contacts(table: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(table, dict):
        raise ConfigError('[plan.contacts] must be a table: "Kompetansegruppen" = ["a@b.no"]')
    contacts = {}
    for owner, value in table.items():
        where = f"[plan.contacts] {owner}"
        if isinstance(value, str) or not isinstance(value, list) or not value:
            raise ConfigError(f'{where} must be a list of addresses, e.g. ["a@stolav.no"]')
        contacts[owner] = tuple(address(v, where) for v in value)
    return contacts


def _run_time(value: Any) -> time:
    return time_of_day(value, "[plan.notify] time")


def _base_url(value: Any) -> str | None:
    """The site's address as people open it (http or https, no query); None: not set."""
    if value is None:
        return None
    parts = urlsplit(value) if isinstance(value, str) and len(value) <= MAX_URL else None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.netloc
            or parts.query or parts.fragment or any(c.isspace() for c in value)):
        raise ConfigError(f"[plan.notify] base_url: '{str(value)[:80]}' is not the address of "
                          "the site (write e.g. https://flyt.example.no)")
    return value.rstrip("/")
