"""Why a PLO message could not be read: codes the import and the receipts share."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flyt.plo.head import MessageHead


class ErrorCode(StrEnum):
    INVALID_XML = "invalid_xml"  # not well-formed, or not in its declared encoding
    UNKNOWN_NAMESPACE = "unknown_namespace"  # not MsgHead 1.2 + Pasientlogistikk 1.5/1.6
    SCHEMA_VIOLATION = "schema_violation"
    MISSING_SENDER = "missing_sender"  # no sender organisation, or none with a HER-id
    MISSING_PATIENT = "missing_patient"  # no patient, or one emptied of name and ids
    MISSING_NATIONAL_ID = "missing_national_id"  # no fødselsnummer, D- or hjelpenummer
    INVALID_NATIONAL_ID = "invalid_national_id"  # fails its check, or fits not its type
    UNSUPPORTED_CONTENT = "unsupported_content"  # unknown type/status, type ≠ content
    MISSING_EVENT = "missing_event"  # the event the message reports is absent or timeless
    UNKNOWN_RECEIVER = "unknown_receiver"  # decided by the importer from configuration
    TOO_LARGE = "message_too_large"  # over [plo] max_message_mb: not read, not kept
    UNEXPECTED = "unexpected_error"  # reading or storing it failed: a bug, ours to fix


@dataclass(frozen=True)
class Problem:
    code: ErrorCode
    reason: str  # plain words, for the operator and the receipt


class MessageError(Exception):
    """A message that cannot be applied: `code` and `reason` of the first problem,
    `problems` all that were found (a receipt lists them all), `head` what could be
    read of MsgInfo to address the receipt (None when the XML itself is unreadable)."""

    def __init__(self, code: ErrorCode, reason: str, *,
                 problems: tuple[Problem, ...] = (), head: MessageHead | None = None) -> None:
        self.code = ErrorCode(code)
        self.reason = reason
        self.problems = problems or (Problem(self.code, reason),)
        self.head = head
        super().__init__(f"{self.code}: {reason}")

    @classmethod
    def of(cls, problems: list[Problem], head: MessageHead | None = None) -> MessageError:
        first = problems[0]
        return cls(first.code, first.reason, problems=tuple(problems), head=head)
