"""Application receipts (AppRec 1.0, namespace …/apprec/2004-11-21) for PLO messages.

The receiver of a message answers it: status 1 (OK) or 2 (Avvist, rejected)
from code list 8222, with one Error per problem, coded from code list 8221.
The receipt goes from us (the message's receiver, or a copy receiver) back to
its sender and carries the original MsgId. Element order follows
AppRec-v1-2004-11-21.xsd; the schema is not shipped, so tests check the shape.

Code list 8221 is not in ../shared/data/plo; the codes below are the published
list as NHN and NAV systems use it. Where it has no code for a problem
(a missing sender, a missing event) the receipt uses X99 (Annen feil) and the
reason in plain words (OT, original text), as the list intends.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from xml.sax.saxutils import escape

from lxml import etree

from flyt.domain import clock
from flyt.plo.errors import ErrorCode, MessageError, Problem
from flyt.plo.events import MESSAGE_TYPES
from flyt.plo.head import MessageHead
from flyt.plo.parties import HER, Party

APPREC_NS = "http://www.kith.no/xmlstds/apprec/2004-11-21"
APPREC_VERSION = "1.0 2004-11-21"
ERROR_CODE_LIST = "2.16.578.1.12.4.1.1.8221"
STATUS_OK = ("1", "OK")
STATUS_REJECTED = ("2", "Avvist")
OTHER_ERROR = ("X99", "Annen feil")
# Our error codes → code list 8221 (code, display name).
APPREC_ERRORS: dict[ErrorCode, tuple[str, str]] = {
    ErrorCode.INVALID_XML: ("T01", "Ikke XML / ikke 'well formed' / uleselig"),
    ErrorCode.SCHEMA_VIOLATION: ("T02", "XML validerer ikke"),
    ErrorCode.UNKNOWN_NAMESPACE: ("T10", "Støtter ikke meldingsformatet"),
    ErrorCode.UNSUPPORTED_CONTENT: ("T10", "Støtter ikke meldingsformatet"),
    ErrorCode.MISSING_SENDER: OTHER_ERROR,
    ErrorCode.MISSING_PATIENT: ("E36", "Pasientopplysninger er utilstrekkelige"),
    ErrorCode.MISSING_NATIONAL_ID: ("E30", "Pasientens fødselsnummer mangler"),
    ErrorCode.INVALID_NATIONAL_ID: ("E31", "Pasientens fødselsnummer er feil"),
    ErrorCode.MISSING_EVENT: OTHER_ERROR,
    ErrorCode.UNKNOWN_RECEIVER: ("E21", "Mottaker finnes ikke"),
    ErrorCode.TOO_LARGE: OTHER_ERROR,  # the reason (OT) gives the size and the limit
    ErrorCode.UNEXPECTED: OTHER_ERROR,
}
COPY_RECEIVER_ROLE = ("COP", "Kopimottaker")


def build_apprec(
    head: MessageHead | None,
    problems: Sequence[Problem] = (),
    *,
    as_party: Party | None = None,
    apprec_id: str | None = None,
    now: datetime | None = None,
    software: str = "Flyt",
) -> bytes:
    """The receipt for a message (UTF-8 XML bytes): OK without problems, rejected with them.

    `head`: the message's head (PloMessage or MessageError.head); None when the
    XML was unreadable, which gives a receipt with empty parties and MsgId.
    `as_party`: who answers, by default the message's receiver; pass one of its
    copy receivers when the message reached us as copy (the receipt then says so).
    """
    generated = now or clock.stamp()
    us = as_party if as_party is not None else (head.receiver if head else Party())
    root = etree.Element(f"{{{APPREC_NS}}}AppRec", nsmap={None: APPREC_NS})
    child(root, "MsgType", V="APPREC", DN="Applikasjonskvittering")
    child(root, "MIGversion").text = APPREC_VERSION
    child(root, "SoftwareName").text = software
    child(root, "GenDate").text = generated.isoformat()
    child(root, "Id").text = apprec_id or str(uuid.uuid4())
    copy = head is not None and us in head.copy_receivers and us != head.receiver
    add_party(child(root, "Sender"), us, COPY_RECEIVER_ROLE if copy else None)
    add_party(child(root, "Receiver"), head.sender if head else Party(), None)
    code, name = STATUS_REJECTED if problems else STATUS_OK
    child(root, "Status", V=code, DN=name)
    for problem in problems:
        error_code, error_name = APPREC_ERRORS.get(problem.code, OTHER_ERROR)
        child(root, "Error", V=error_code, S=ERROR_CODE_LIST, DN=error_name, OT=problem.reason)
    original = child(root, "OriginalMsgId")
    kind = MESSAGE_TYPES.get(head.msg_type) if head else None
    child(original, "MsgType", V=head.msg_type if head else "",
          **({"DN": kind.name_nb} if kind else {}))
    issued = head.gen_date if head and head.gen_date else generated  # required by the schema
    child(original, "IssueDate").text = issued.isoformat()
    child(original, "Id").text = head.msg_id if head else ""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def apprec_for_error(error: MessageError, *, as_party: Party | None = None,
                     apprec_id: str | None = None, now: datetime | None = None) -> bytes:
    """The rejection receipt for a message read_message refused."""
    return build_apprec(error.head, error.problems, as_party=as_party, apprec_id=apprec_id,
                        now=now)


def child(parent: etree._Element, name: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{APPREC_NS}}}{name}", attributes)


def add_party(holder: etree._Element, party: Party, role: tuple[str, str] | None) -> None:
    """Role?, HCP: the outermost organisation as Inst, its sub-organisations as Dept,
    a person at the bottom as HCPerson (HER-id only); a lone person as HCProf."""
    if role:
        child(holder, "Role", V=role[0], DN=role[1])
    hcp = child(holder, "HCP")
    levels = party.levels
    if levels and levels[0].is_person:
        prof = child(hcp, "HCProf")
        add_id(prof, levels[0].her_id, None)
        return
    inst = child(hcp, "Inst")
    if not levels:
        return
    top = levels[0]
    if top.name:
        child(inst, "Name").text = top.name
    add_id(inst, top.her_id, top.org_number)
    for level in levels[1:]:
        if not level.is_person:
            dept = child(inst, "Dept")
            if level.name:
                child(dept, "Name").text = level.name
            add_id(dept, level.her_id, level.org_number)
    if top.her_id and top.org_number:
        extra = child(inst, "AdditionalId")
        child(extra, "Id").text = top.org_number
        child(extra, "Type", V="ENH", DN="Organisasjonsnummeret i Enhetsregister")
    for level in levels[1:]:
        if level.is_person:
            add_id(child(inst, "HCPerson"), level.her_id, None)


def add_id(element: etree._Element, her_id: str | None, org_number: str | None) -> None:
    """Id + TypeId: the HER-id, else the organisation number."""
    if her_id:
        child(element, "Id").text = her_id
        child(element, "TypeId", V=HER, DN="HER-id")
    elif org_number:
        child(element, "Id").text = org_number
        child(element, "TypeId", V="ENH", DN="Organisasjonsnummeret i Enhetsregister")


# --- the OK receipt, many times over -------------------------------------------------

# Stand-ins that build_apprec writes where an OK receipt differs from message to
# message; the serialized template has them replaced (no XML special characters).
_ID, _MSG_ID = "flyt-apprec-id-8c1f", "flyt-msg-id-8c1f"
_ISSUED = datetime(1111, 11, 11, 11, 11, 11)


def ok_apprec(head: MessageHead, *, as_party: Party | None = None, now: datetime) -> bytes:
    """The same bytes as build_apprec(head, [], as_party=..., now=now), but built
    once per sender, receivers, message type and time, then filled in with the
    receipt's id, the MsgId and the message's date: a folder of messages from a
    few senders to a few receivers has a handful of distinct OK receipts, and
    building each with lxml was a fifth of the time to receive a message."""
    template = _ok_template(head.sender, head.receiver, head.copy_receivers, head.msg_type,
                            as_party, now)
    issued = (head.gen_date or now).isoformat()
    return (template.replace(_ID.encode(), str(uuid.uuid4()).encode())
            .replace(_MSG_ID.encode(), escape(head.msg_id).encode())
            .replace(_ISSUED.isoformat().encode(), issued.encode()))


@lru_cache(maxsize=256)
def _ok_template(sender: Party, receiver: Party, copy_receivers: tuple[Party, ...],
                 msg_type: str, as_party: Party | None, now: datetime) -> bytes:
    head = MessageHead(_MSG_ID, msg_type, _ISSUED, sender, receiver, copy_receivers, None, None)
    return build_apprec(head, [], as_party=as_party, apprec_id=_ID, now=now)
