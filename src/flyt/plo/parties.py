"""Sender, receiver and copy receivers of a MsgHead message.

A party is a chain of levels from the outermost organisation down: a health
trust (HER-id 59), its department (90998), and sometimes a named health
professional at the bottom (a GP as copy receiver). Routing in the Norwegian
health network is by HER-id, so that is what each level keeps; organisation
names are kept for receipts and display, names of persons are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flyt.plo.xmltools import Element, attr, find, find_all, local_name, mh, text

HER = "HER"  # TypeId of an HER-id (code list 9051)
ENH = "ENH"  # organisation number in Enhetsregisteret
COPY_RECEIVER_ROLE = "COP"  # OtherReceiver/RoleReceiver: kopimottaker
# Some senders write HER-ids with a thousands separator ("369.767"); the register's
# ids are plain integers.
THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")


@dataclass(frozen=True)
class PartyLevel:
    her_id: str | None
    name: str | None  # organisation name; None for a person
    org_number: str | None = None  # ENH, a fallback identity for receipts
    is_person: bool = False


@dataclass(frozen=True)
class Party:
    levels: tuple[PartyLevel, ...] = ()

    @property
    def her_ids(self) -> tuple[str, ...]:
        """Every HER-id, outermost organisation first."""
        return tuple(level.her_id for level in self.levels if level.her_id)

    @property
    def top_her_id(self) -> str | None:
        ids = self.her_ids
        return ids[0] if ids else None

    @property
    def her_id(self) -> str | None:
        """The most specific HER-id (department or person), which is what the
        network delivers to."""
        ids = self.her_ids
        return ids[-1] if ids else None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(level.name for level in self.levels if level.name)


def normalize_her_id(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if THOUSANDS.fullmatch(value):
        value = value.replace(".", "")
    return value or None


def identifiers(element: Element) -> dict[str, str]:
    """TypeId code → Id for the element's own Ident children (first one of each type)."""
    found: dict[str, str] = {}
    for ident in find_all(element, mh("Ident")):
        kind, value = attr(ident, mh("TypeId")), text(ident, mh("Id"))
        if kind and value and kind.upper() not in found:
            found[kind.upper()] = value
    return found


def person_level(element: Element) -> PartyLevel:
    return PartyLevel(her_id=normalize_her_id(identifiers(element).get(HER)), name=None,
                      is_person=True)


def read_organisation(element: Element) -> Party:
    """The chain of an mh:Organisation: itself, its sub-organisation(s), and a
    health professional at the bottom if there is one."""
    levels: list[PartyLevel] = []
    current: Element | None = element
    while current is not None:
        ids = identifiers(current)
        levels.append(PartyLevel(her_id=normalize_her_id(ids.get(HER)),
                                 name=text(current, mh("OrganisationName")),
                                 org_number=ids.get(ENH)))
        professional = find(current, mh("HealthcareProfessional"))
        if professional is not None:
            levels.append(person_level(professional))
        current = find(current, mh("Organisation"))
    return Party(tuple(levels))


def read_party(holder: Element | None) -> Party:
    """The party inside a Sender, Receiver or OtherReceiver element (empty if none)."""
    if holder is None:
        return Party()
    for child in holder:
        if not isinstance(child.tag, str):
            continue  # a comment
        if local_name(child) == "Organisation":
            return read_organisation(child)
        if local_name(child) == "HealthcareProfessional":
            return Party((person_level(child),))
    return Party()


def read_copy_receivers(msg_info: Element) -> tuple[Party, ...]:
    """The OtherReceivers in the role of copy receiver (kopimottaker). Other roles
    (none occur in the pasientlogistikk messages) are not receivers of the content."""
    return tuple(
        read_party(other)
        for other in find_all(msg_info, mh("OtherReceiver"))
        if (attr(other, mh("RoleReceiver")) or "").upper() == COPY_RECEIVER_ROLE
    )
