"""The codes of a deviation (spec/deviations.md, "A deviation" and "Workflow")."""

from __future__ import annotations

import re

from flyt.deviations.errors import InvalidDeviation

# Mildest first: the order is the scale (`at_least`).
SEVERITIES = ("ingen_skade", "mindre_skade", "moderat_skade", "betydelig_skade", "dod")
# From this severity on the receiver owes a written answer within the answer deadline.
ANSWER_REQUIRED_FROM = "moderat_skade"
# Candidates for the notification duty (Statens helsetilsyn) and an incident analysis
# (hendelsesanalyse, Helsedirektoratet IS-0583).
NOTIFIABLE = frozenset({"betydelig_skade", "dod"})

LEVELS = ("pasient", "system")

STATUSES = ("meldt", "mottatt", "under_behandling", "besvart", "lukket", "avvist",
            "gjenapnet")
OPEN_STATUSES = frozenset({"meldt", "mottatt", "under_behandling", "gjenapnet"})

DEFAULT_CATEGORIES = ("meldinger", "innleggelse", "utskrivning", "legemidler",
                      "hjelpemidler", "transport", "tilgjengelighet", "informasjon",
                      "avtalebrudd", "annet")

_SPACES = re.compile(r"[\s_]+")


def parse_severity(text: str) -> str:
    """The severity code of `text`: a code or its Norwegian spelling with spaces
    (``Moderat skade``) or ``død``, in any case."""
    key = _SPACES.sub("_", str(text).strip().casefold())
    key = "dod" if key == "død" else key
    if key not in SEVERITIES:
        raise InvalidDeviation("dev_bad_severity", value=str(text).strip(),
                               known=", ".join(SEVERITIES))
    return key


def at_least(severity: str, floor: str) -> bool:
    """Whether `severity` is `floor` or worse."""
    return SEVERITIES.index(severity) >= SEVERITIES.index(floor)


def answer_required(severity: str) -> bool:
    return at_least(severity, ANSWER_REQUIRED_FROM)


def notifiable(severity: str) -> bool:
    return severity in NOTIFIABLE


def parse_level(text: str) -> str:
    key = str(text).strip().casefold()
    if key not in LEVELS:
        raise InvalidDeviation("dev_bad_level", value=str(text).strip(),
                               known=", ".join(LEVELS))
    return key


def parse_category(text: str, categories: tuple[str, ...]) -> str:
    key = str(text).strip().casefold()
    if key not in categories:
        raise InvalidDeviation("dev_bad_category", value=str(text).strip(),
                               known=", ".join(categories))
    return key


def parse_status(text: str) -> str:
    key = str(text).strip().casefold()
    if key not in STATUSES:
        raise InvalidDeviation("dev_bad_status", value=str(text).strip(),
                               known=", ".join(STATUSES))
    return key
