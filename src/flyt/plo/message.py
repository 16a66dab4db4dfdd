"""Read one PLO pasientlogistikk message (MsgHead XML, v1.5 or v1.6) into a PloMessage.

Pure: bytes in, a frozen dataclass or a MessageError out; storage, receiver
configuration and event-to-record logic belong to the importer. The checks run
in the order a receiver must answer them: well-formed XML, a namespace we know,
then sender, patient and schema together (a receipt lists every problem found),
then the content itself (type, status, the event reported).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from flyt.plo.errors import ErrorCode, MessageError, Problem
from flyt.plo.events import MESSAGE_TYPES, READY, Coded, Event, read_coded, read_events
from flyt.plo.head import MessageHead, read_head, sender_problems
from flyt.plo.parties import Party
from flyt.plo.patient import PatientId, read_patient
from flyt.plo.validate import MSGHEAD_NS, PLO_VERSIONS, schema_errors
from flyt.plo.xmltools import (
    FK1_NS,
    PO_NS,
    Element,
    attr,
    find,
    find_all,
    has_doctype,
    has_xinclude,
    local_name,
    mh,
    namespace_of,
    ns_path,
    parser,
    tag_of,
    text,
)

# InformasjonOmForsendelsen/Forsendelsesstatus. The samples use N and C; M and A
# are the other codes KITH's own display stylesheet for the PLO messages knows.
STATUSES = {"N": "new", "C": "cancellation", "M": "change", "A": "addition"}


@dataclass(frozen=True)
class PloMessage(MessageHead):
    version: str  # "1.5" | "1.6"
    status: str  # Forsendelsesstatus code: N | C | M | A
    patient_ids: tuple[PatientId, ...]  # raw numbers: pseudonymize at read time
    birth_year: int | None
    sex: str | None  # k | m
    patient_municipality: str | None  # Patient/Address/County when a kommunenummer
    events: tuple[Event, ...]
    discharged_to: Coded | None  # UtskrevetTil/UtTil, code list 8408 (LOG_UTSKREVET)
    discharge_state: Coded | None  # UtskrevetTil/Uttilstand, code list 8431
    department: str | None  # the sender's innermost organisation name
    contact_unit_name: str | None  # TilknyttetEnhet/Kontaktenhet, innermost name
    contact_unit_id: str | None  # "TYPE:Id" of that unit (e.g. "LAV:ORTØYA")
    content_digest: str  # SHA-256 of type, sender and Pasientlogistikk content (see below)

    @property
    def status_name(self) -> str:
        return STATUSES[self.status]

    @property
    def is_cancellation(self) -> bool:
        return self.status == "C"

    @property
    def is_change(self) -> bool:
        return self.status == "M"

    @property
    def event_code(self) -> str:
        """The main event of this message type (code list 9121)."""
        return MESSAGE_TYPES[self.msg_type].event

    @property
    def main_event(self) -> Event | None:
        return self.event(self.event_code)

    @property
    def event_at(self) -> datetime | None:
        main = self.main_event
        return main.at if main else None

    def event(self, code: str) -> Event | None:
        """The first event with this code that has a time."""
        return next((e for e in self.events if e.code == code and e.at is not None), None)

    def time_of(self, code: str) -> datetime | None:
        found = self.event(code)
        return found.at if found else None

    @property
    def admitted_at(self) -> datetime | None:
        return self.time_of("1")

    @property
    def ready_at(self) -> datetime | None:
        return self.time_of(READY)

    @property
    def ready_is_estimate(self) -> bool:
        ready = self.event(READY)
        return bool(ready and ready.estimate)

    @property
    def deregistered_at(self) -> datetime | None:
        return self.time_of("4")

    @property
    def discharged_at(self) -> datetime | None:
        return self.time_of("2")

    @property
    def died_at(self) -> datetime | None:
        return self.time_of("13")

    @property
    def match_key(self) -> tuple[str, ...]:
        """What ties a cancellation without RefToParent to the message it cancels
        (acceptance test 21/22): type, sender, main event and its time. The
        importer adds the patient's pseudonym; MsgId and status are left out."""
        main = self.main_event
        return (self.msg_type, self.sender_top_her_id or "", self.sender_her_id or "",
                self.event_code, main.at.isoformat() if main and main.at else "",
                str(main.estimate) if main else "")


DTD_REFUSED = "invalid XML: DTDs and entities are not allowed"
XINCLUDE_REFUSED = "invalid XML: XInclude is not allowed"


def read_message(data: bytes, *, today: date | None = None) -> PloMessage:
    """The message in `data` (the file's bytes: the XML declaration gives the
    encoding, UTF-8 or ISO-8859-1), or MessageError with every problem found.

    Whatever the bytes, the answer is one of the two: a message the reader fails on
    in a way nobody foresaw is a MessageError too (UNEXPECTED, quarantined for
    `flyt plo retry`), so that one message never stops the import of the others."""
    try:
        return _read(data, today)
    except MessageError:
        raise
    except Exception as exc:
        # The type only: an exception's text may quote the message (a national id).
        raise MessageError(ErrorCode.UNEXPECTED, f"unexpected error reading the message "
                           f"({type(exc).__name__}): kept for flyt plo retry") from exc


def _read(data: bytes, today: date | None) -> PloMessage:
    if has_doctype(data):  # before parsing: no entity is ever declared, fetched or expanded
        raise MessageError(ErrorCode.INVALID_XML, DTD_REFUSED)
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as e:
        raise MessageError(ErrorCode.INVALID_XML, f"not well-formed XML (line {e.lineno}: "
                           f"{e.msg})", head=salvaged_head(data)) from None
    if has_xinclude(root):
        raise MessageError(ErrorCode.INVALID_XML, XINCLUDE_REFUSED)
    if root.tag != f"{{{MSGHEAD_NS}}}MsgHead":
        raise MessageError(ErrorCode.UNKNOWN_NAMESPACE,
                           f"the document is {tag_of(root)}, not a MsgHead 1.2 message")
    head = read_head(root)
    plo = find_content(root, head)
    version = PLO_VERSIONS[namespace_of(plo) or ""]
    msg_info = find(root, mh("MsgInfo"))
    problems = sender_problems(head)
    patient, patient_problems = read_patient(msg_info, today=today)
    problems += patient_problems
    problems += [Problem(ErrorCode.SCHEMA_VIOLATION, f"schema {version}: {error}")
                 for error in schema_errors(root, version)]
    if problems or patient is None:
        raise MessageError.of(problems, head)
    po = PO_NS[version]
    status = attr(plo, ns_path(po, "InformasjonOmForsendelsen/Forsendelsesstatus")) or ""
    content = content_element(plo, head, status)
    events = read_events(content, po)
    unit_name, unit_id = contact_unit(plo, po)
    message = PloMessage(
        **vars(head),
        version=version,
        status=status,
        patient_ids=patient.ids,
        birth_year=patient.birth_year,
        sex=patient.sex,
        patient_municipality=patient.municipality,
        events=events,
        discharged_to=read_coded(content, ns_path(po, "UtskrevetTil/UtTil")),
        discharge_state=read_coded(content, ns_path(po, "UtskrevetTil/Uttilstand")),
        department=department(head.sender),
        contact_unit_name=unit_name,
        contact_unit_id=unit_id,
        content_digest=digest(head, plo),
    )
    if message.main_event is None and not (message.is_cancellation and message.refers_to):
        raise MessageError(ErrorCode.MISSING_EVENT,
                           f"no time for event {message.event_code} "
                           f"({MESSAGE_TYPES[message.msg_type].name_nb})", head=head)
    return message


def salvaged_head(data: bytes) -> MessageHead | None:
    """What a recovering parse can still read of a broken message's head, so its
    error receipt can carry the MsgId (acceptance test 2). Best effort: only for
    addressing the receipt, never for applying anything, so any failure is None.
    Not tried on bytes that may declare entities (a recovering parse goes on past
    errors), nor on a NUL byte, which hides such a declaration in UTF-16."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data or b"\0" in data:
        return None
    try:
        root = etree.fromstring(data, parser(recover=True))
        if root is None or root.tag != f"{{{MSGHEAD_NS}}}MsgHead":
            return None
        return read_head(root)
    except Exception:  # best effort, see above
        return None


def find_content(root: Element, head: MessageHead) -> Element:
    """The Pasientlogistikk element in Document/RefDoc/Content."""
    others = []
    for content in find_all(root, mh("Document/RefDoc/Content")):
        for child in content:
            if not isinstance(child.tag, str):
                continue
            if namespace_of(child) in PLO_VERSIONS and local_name(child) == "Pasientlogistikk":
                return child
            others.append(child.tag)
    if others:
        raise MessageError(ErrorCode.UNKNOWN_NAMESPACE,
                           f"the content is {others[0]}, not Pasientlogistikk v1.5 "
                           "(…/2009-06-30) or v1.6 (…/2012-04-01)", head=head)
    raise MessageError(ErrorCode.UNSUPPORTED_CONTENT,
                       "no Pasientlogistikk content in Document/RefDoc/Content", head=head)


def content_element(plo: Element, head: MessageHead, status: str) -> Element:
    """The message-type element (MeldingInnlagtPasient, ...), checked against MsgInfo/Type."""
    kind = MESSAGE_TYPES.get(head.msg_type)
    if kind is None:
        raise MessageError(ErrorCode.UNSUPPORTED_CONTENT,
                           f"message type {head.msg_type or '(none)'} is not a pasientlogistikk "
                           "message Flyt reads", head=head)
    if status not in STATUSES:
        raise MessageError(ErrorCode.UNSUPPORTED_CONTENT,
                           f"unknown Forsendelsesstatus {status or '(none)'}", head=head)
    found = find(plo, f"{{{namespace_of(plo)}}}{kind.content}")
    if found is None:
        raise MessageError(ErrorCode.UNSUPPORTED_CONTENT,
                           f"type {head.msg_type} but the content is not {kind.content}", head=head)
    return found


def department(sender: Party) -> str | None:
    organisations = [level for level in sender.levels if not level.is_person]
    return organisations[-1].name if len(organisations) > 1 else None


def contact_unit(plo: Element, po: str) -> tuple[str | None, str | None]:
    """(name, "TYPE:Id") of the innermost organisation of the first Kontaktenhet."""
    unit = find(plo, ns_path(po, "TilknyttetEnhet/Kontaktenhet"))
    name = unit_id = None
    while unit is not None:
        name = text(unit, ns_path(FK1_NS, "OrganisationName")) or name
        code = attr(unit, ns_path(FK1_NS, "Ident/TypeId"))
        value = text(unit, ns_path(FK1_NS, "Ident/Id"))
        if value:
            unit_id = f"{code}:{value}" if code else value
        unit = find(unit, ns_path(FK1_NS, "Organisation"))
    return name, unit_id


def digest(head: MessageHead, plo: Element) -> str:
    """Same digest = same message content from the same sender, whatever its MsgId:
    acceptance test 20 sends one message twice (to receiver and copy receiver) under
    two MsgIds. The patient is not in it (MsgHead/Patient is outside the content),
    so the importer pairs it with the patient's pseudonym; neither a name nor a
    national id can be recovered from it."""
    h = hashlib.sha256()
    h.update(f"{head.msg_type}\n{'/'.join(head.sender.her_ids)}\n".encode())
    h.update(etree.tostring(plo, method="c14n"))
    return h.hexdigest()
