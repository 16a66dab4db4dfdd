"""The head of a PLO message (MsgHead/MsgInfo): who sends, who receives, which message.

Read tolerantly, also from a message that fails validation, because an error
receipt must still carry the original MsgId and go back to the sender.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flyt.plo.errors import ErrorCode, Problem
from flyt.plo.parties import Party, read_copy_receivers, read_party
from flyt.plo.xmltools import Element, attr, find, mh, parse_time, text


@dataclass(frozen=True)
class MessageHead:
    """What MsgInfo says: enough to address a receipt, also for a rejected message."""

    msg_id: str  # "" only in the head of a rejected message that lacks one
    msg_type: str  # MsgInfo/Type: LOG_INNLAGT, LOG_UTSKRIVNINGSKLAR, ... ("" if absent)
    gen_date: datetime | None  # naive local time
    sender: Party
    receiver: Party
    copy_receivers: tuple[Party, ...]
    refers_to: str | None  # ConversationRef/RefToParent: the MsgId a cancellation/change is about
    conversation_id: str | None  # ConversationRef/RefToConversation

    @property
    def sender_her_id(self) -> str | None:
        """The most specific HER-id of the sender (its department)."""
        return self.sender.her_id

    @property
    def sender_top_her_id(self) -> str | None:
        return self.sender.top_her_id

    @property
    def receiver_her_ids(self) -> tuple[str, ...]:
        """The receiver's HER-ids, top organisation first."""
        return self.receiver.her_ids

    @property
    def copy_receiver_her_ids(self) -> tuple[tuple[str, ...], ...]:
        return tuple(party.her_ids for party in self.copy_receivers)


def read_head(root: Element) -> MessageHead:
    info = find(root, mh("MsgInfo"))
    if info is None:
        return MessageHead("", "", None, Party(), Party(), (), None, None)
    gen_date, _ = parse_time(text(info, mh("GenDate")))
    return MessageHead(
        msg_id=text(info, mh("MsgId")) or "",
        msg_type=attr(info, mh("Type")) or "",
        gen_date=gen_date,
        sender=read_party(find(info, mh("Sender"))),
        receiver=read_party(find(info, mh("Receiver"))),
        copy_receivers=read_copy_receivers(info),
        refers_to=text(info, mh("ConversationRef/RefToParent")),
        conversation_id=text(info, mh("ConversationRef/RefToConversation")),
    )


def sender_problems(head: MessageHead) -> list[Problem]:
    if not head.sender.levels:
        return [Problem(ErrorCode.MISSING_SENDER, "the message has no sender organisation")]
    if not head.sender.her_ids:
        return [Problem(ErrorCode.MISSING_SENDER, "the sender has no HER-id")]
    return []
