"""Deciding what a message is: rejected or quarantined (and why), a duplicate, a
cancellation or change applied to its target, undone by one that came first, or
applied; and the patient it is about, known by several identifiers (link_patient)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from flyt.config import Settings
from flyt.domain.identity import pseudonymize
from flyt.plo.errors import ErrorCode, MessageError, Problem
from flyt.plo.fields import blank_fields, message_fields, receiver_candidates
from flyt.plo.message import PloMessage, read_message
from flyt.plo.outcomes import (
    APPLIED,
    CANCELLED,
    CONFIGURATION_PROBLEMS,
    DUPLICATE,
    QUARANTINED,
    REJECTED,
    M,
)
from flyt.plo.parties import Party
from flyt.store import schema


@dataclass
class Decision:
    """What classifying one message gave: the row's fields, the receipt to send."""

    fields: dict[str, Any]
    problems: list[Problem]
    head: Any  # MessageHead | None: what the receipt answers
    as_party: Party | None = None
    error: MessageError | None = None


def classify(conn: sa.Connection, message_id: int, data: bytes, settings: Settings, *,
             refused: MessageError | None = None) -> Decision:
    try:
        if refused is not None:
            raise refused
        message = read_message(data)
    except MessageError as error:
        head = error.head
        status = QUARANTINED if error.code in CONFIGURATION_PROBLEMS else REJECTED
        fields = blank_fields() | {
            "msg_id": head.msg_id if head else None, "msg_type": head.msg_type if head else None,
            "status": status, "reason": error.reason, "error_code": str(error.code)}
        return Decision(fields, list(error.problems), head, error=error)
    patient_key = link_patient(conn, pseudonymize([p.value for p in message.patient_ids],
                                                  settings.pseudonym_key))
    fields = message_fields(message) | {"patient_key": patient_key}
    found = mapped_receiver(conn, message)
    if found is None:
        ids = ", ".join(dict.fromkeys(all_receiver_ids(message))) or "(none)"
        reason = (f"unknown receiver: HER-id {ids} is not mapped to a municipality "
                  "(flyt plo receivers add HER_ID KOMMUNENUMMER)")
        fields |= {"status": QUARANTINED, "reason": reason,
                   "error_code": str(ErrorCode.UNKNOWN_RECEIVER),
                   "receiver_her_id": message.receiver.her_id}
        return Decision(fields, [Problem(ErrorCode.UNKNOWN_RECEIVER, reason)], message)
    her_id, party, as_copy = found
    fields |= {"receiver_her_id": her_id, "as_copy": as_copy}
    effect = decide_effect(conn, message_id, message, patient_key)
    fields |= effect | {"reason": effect["reason"] or fields["reason"]}  # keep a masking note
    return Decision(fields, [], message, as_party=party)


def all_receiver_ids(m: PloMessage) -> list[str]:
    """The receiver's HER-ids, most specific first, then each copy receiver's."""
    return [her_id for her_id, _, _ in receiver_candidates(m)]


def mapped_receiver(conn: sa.Connection, m: PloMessage) -> tuple[str, Party, bool] | None:
    """(HER-id, the party that answers, reached us as copy receiver) of the first
    receiver HER-id that is mapped to a municipality, receiver before copy receivers."""
    candidates = receiver_candidates(m)
    if not candidates:
        return None
    r = schema.plo_receivers.c
    known = set(conn.execute(sa.select(r.her_id).where(
        r.her_id.in_([c[0] for c in candidates]))).scalars())
    return next((c for c in candidates if c[0] in known), None)


def decide_effect(conn: sa.Connection, message_id: int, m: PloMessage,
                  patient_key: str) -> dict[str, Any]:
    """Duplicate, a cancellation/change (applied to its target when present), an
    original already cancelled by an earlier-arrived cancellation, or applied."""
    duplicate = conn.execute(sa.select(M.c.msg_id).where(
        M.c.id != message_id, M.c.status.in_((APPLIED, CANCELLED)),
        sa.or_(M.c.msg_id == m.msg_id,
               sa.and_(M.c.content_digest == m.content_digest,
                       M.c.patient_key == patient_key))).limit(1)).one_or_none()
    if duplicate is not None:
        same = "MsgId" if duplicate[0] == m.msg_id else f"content as MsgId {duplicate[0]}"
        return {"status": DUPLICATE, "reason": f"already received (same {same})"}
    if m.is_cancellation or m.is_change:
        target = conn.execute(sa.select(M.c.id).where(
            M.c.id != message_id, M.c.status == APPLIED, M.c.send_status.in_(("N", "A")),
            targets(m.refers_to, "|".join(m.match_key), patient_key)).order_by(M.c.id)
            .limit(1)).scalar_one_or_none()
        if target is not None:
            verb = "cancelled" if m.is_cancellation else "replaced"
            conn.execute(M.update().where(M.c.id == target).values(
                status=CANCELLED, reason=f"{verb} by message {m.msg_id}", replaced_by=message_id))
        return {"status": APPLIED, "reason": None}
    if m.status in ("N", "A"):
        c = M.alias("c")
        undone_by = conn.execute(sa.select(c.c.id, c.c.msg_id, c.c.send_status).where(
            c.c.status == APPLIED, c.c.send_status.in_(("C", "M")),
            sa.or_(c.c.refers_to == m.msg_id,
                   sa.and_(c.c.refers_to.is_(None), c.c.match_key == "|".join(m.match_key),
                           c.c.patient_key == patient_key)),
            ~sa.exists().where(M.c.replaced_by == c.c.id)).order_by(c.c.id).limit(1)).one_or_none()
        if undone_by is not None:
            verb = "cancelled" if undone_by.send_status == "C" else "replaced"
            return {"status": CANCELLED, "replaced_by": undone_by.id,
                    "reason": f"{verb} by message {undone_by.msg_id}, which arrived first"}
    return {"status": APPLIED, "reason": None}


def targets(refers_to: str | None, match_key: str, patient_key: str) -> sa.ColumnElement[bool]:
    """The message a cancellation or change is about: by RefToParent, else by content
    (type, sender, event and its time) and patient (acceptance tests 21 and 22)."""
    if refers_to:
        return M.c.msg_id == refers_to
    return sa.and_(M.c.match_key == match_key, M.c.patient_key == patient_key)



# --- patients known by several identifiers ------------------------------------------


def link_patient(conn: sa.Connection, keys: Iterable[str]) -> str:
    """The canonical pseudonym of a patient known by these pseudonyms.

    The smallest pseudonym of everything linked, so the result does not depend on
    the order messages come in; when a message joins two patients, every earlier
    link and message of the other moves to the canonical key (retroactively).
    """
    keys = sorted(set(keys))
    links = schema.plo_patient_links.c
    existing = set(conn.execute(sa.select(links.patient_key).where(
        links.alias_key.in_(keys))).scalars())
    canonical = min(set(keys) | existing)
    merged = existing - {canonical}
    if merged:
        conn.execute(schema.plo_patient_links.update().where(
            links.patient_key.in_(merged)).values(patient_key=canonical))
        conn.execute(M.update().where(M.c.patient_key.in_(merged)).values(
            patient_key=canonical))
    known = set(conn.execute(sa.select(links.alias_key).where(
        links.alias_key.in_(keys))).scalars())
    if new := [{"alias_key": k, "patient_key": canonical} for k in keys if k not in known]:
        conn.execute(schema.plo_patient_links.insert(), new)
    conn.execute(schema.plo_patient_links.update().where(
        links.alias_key.in_(keys)).values(patient_key=canonical))
    return canonical

