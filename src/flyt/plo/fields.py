"""What Flyt stores about a message (the columns of plo_messages), from a PloMessage.

Pure, so that the reading workers (flyt.plo.reading) can take it out of the
message and the importer only adds what depends on the store: the patient's
canonical pseudonym, the receiver that matched, the status.
"""

from __future__ import annotations

from typing import Any

from flyt.domain.identity import mask_national_ids
from flyt.plo.message import PloMessage
from flyt.plo.parties import Party
from flyt.store import schema

APPLIED = "applied"
# Every column but the row's identity, file and sealed bytes, which the importer sets.
BLANK_FIELDS = {c.name: None for c in schema.plo_messages.columns
                if c.name not in ("id", "file_name", "received_at", "sealed")}


def blank_fields() -> dict[str, Any]:
    return dict(BLANK_FIELDS)


def message_fields(m: PloMessage) -> dict[str, Any]:
    main = m.main_event
    hints = [*m.sender.names, m.department, m.contact_unit_name, main.place if main else None]
    # Free text that reaches the stores in clear (and, as the stay's department, pages
    # for municipality users): a national id in it is masked, and the reason says so.
    department, in_department = _masked(m.department)
    sector_hint, in_hints = _masked(" | ".join(h for h in hints if h) or None)
    note = MASKED_NOTE if in_department or in_hints else None
    return blank_fields() | {
        "msg_id": m.msg_id, "msg_type": m.msg_type, "version": m.version, "status": APPLIED,
        "send_status": m.status, "refers_to": m.refers_to, "match_key": "|".join(m.match_key),
        "content_digest": m.content_digest, "gen_date": m.gen_date, "event_at": m.event_at,
        "admitted_at": m.admitted_at, "ready_at": m.ready_at,
        "ready_estimate": m.ready_is_estimate, "deregistered_at": m.deregistered_at,
        "discharged_at": m.discharged_at, "died_at": m.died_at,
        "discharged_to": m.discharged_to.code if m.discharged_to else None,
        "discharge_state": m.discharge_state.code if m.discharge_state else None,
        "sector_hint": sector_hint, "department": department, "birth_year": m.birth_year,
        "sex": m.sex, "reason": note,
    }


MASKED_NOTE = ("applied; the digits of what looks like a national identity number in the "
               "sender's names or department were masked (they are not stored or shown)")


def _masked(text: str | None) -> tuple[str | None, int]:
    return (None, 0) if text is None else mask_national_ids(text)


def receiver_candidates(m: PloMessage) -> list[tuple[str, Party, bool]]:
    """(HER-id, the party that answers, reached us as copy receiver): the receiver's
    HER-ids most specific first, then each copy receiver's."""
    candidates = [(her_id, m.receiver, False) for her_id in reversed(m.receiver.her_ids)]
    for party in m.copy_receivers:
        candidates += [(her_id, party, True) for her_id in reversed(party.her_ids)]
    return candidates
