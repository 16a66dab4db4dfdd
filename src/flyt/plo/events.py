"""The timed events (TidsfestetHendelse) of a Pasientlogistikk message.

Each of the five message types has its own content element and reports one
main event (code list 9121); utskrivningsklar and avmelding repeat earlier
events of the stay (innlagt, utskrivningsklar) as context.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flyt.plo.xmltools import Element, attr, find_all, ns_path, parse_bool, parse_time, tag_of, text

# Hendelsekode, code list 9121
ADMITTED, DISCHARGED, READY, DEREGISTERED, DIED = "1", "2", "3", "4", "13"


@dataclass(frozen=True)
class MessageType:
    code: str  # MsgInfo/Type, code list 8279
    content: str  # the element under Pasientlogistikk that carries it
    event: str  # its main event, code list 9121
    name_nb: str


MESSAGE_TYPES = {
    t.code: t
    for t in (
        MessageType("LOG_INNLAGT", "MeldingInnlagtPasient", ADMITTED, "Melding om innlagt pasient"),
        MessageType("LOG_UTSKRIVNINGSKLAR", "MeldingUtskrivningsklarPasient", READY,
                    "Melding om utskrivningsklar pasient"),
        MessageType("LOG_AVMELDING", "AvmeldingUtskrivningsklarPasient", DEREGISTERED,
                    "Avmelding av utskrivningsklar pasient"),
        MessageType("LOG_UTSKREVET", "MeldingOmUtskrevetPasient", DISCHARGED,
                    "Melding om utskrevet pasient"),
        MessageType("LOG_DOD", "OrienteringOmDod", DIED, "Orientering om dødsfall"),
    )
}
# Content elements that hold exactly one event: there a missing Hendelsekode
# (optional in the schema) can only mean the main one.
SINGLE_EVENT = {"MeldingInnlagtPasient", "MeldingOmUtskrevetPasient", "OrienteringOmDod"}


@dataclass(frozen=True)
class Event:
    code: str | None  # Hendelsekode
    at: datetime | None  # naive local time; None when missing or coarser than a day
    date_only: bool  # the message gave a date without a time of day
    estimate: bool | None  # Anslag: true = an estimated time, to be replaced by a firm one
    place: str | None = None  # StedForHendelse/StedHendelse (free text, e.g. the department)


@dataclass(frozen=True)
class Coded:
    code: str
    text: str | None  # the DN (display name) as sent


def read_events(content: Element, po_ns: str) -> tuple[Event, ...]:
    tag = tag_of(content)
    single = tag.rsplit("}", 1)[-1] in SINGLE_EVENT
    events = []
    for element in find_all(content, ns_path(po_ns, "TidsfestetHendelse")):
        at, date_only = parse_time(attr(element, ns_path(po_ns, "TidspunktForHendelse")))
        events.append(Event(
            code=attr(element, ns_path(po_ns, "Hendelsekode")),
            at=at,
            date_only=date_only,
            estimate=parse_bool(text(element, ns_path(po_ns, "Anslag"))),
            place=text(element, ns_path(po_ns, "StedForHendelse/StedHendelse")),
        ))
    if single and len(events) == 1 and events[0].code is None:
        main = next(t.event for t in MESSAGE_TYPES.values() if tag.endswith(t.content))
        events[0] = Event(main, events[0].at, events[0].date_only, events[0].estimate,
                          events[0].place)
    return tuple(events)


def read_coded(element: Element | None, path: str) -> Coded | None:
    code = attr(element, path)
    return Coded(code, attr(element, path, "DN")) if code else None
