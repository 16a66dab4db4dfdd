"""What became of a received PLO message: its status, the outcome reported for it, and
the small helpers every step of receiving shares (a safe file name).

The statuses are described in flyt.plo.receive.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from flyt.plo.errors import ErrorCode
from flyt.plo.fields import APPLIED
from flyt.store import schema

DUPLICATE, CANCELLED = "duplicate", "cancelled"
QUARANTINED, REJECTED = "quarantined", "rejected"
UNREADABLE, FAILED = "unreadable", "failed"  # outcomes only: nothing stored, nothing answered

# Problems that are ours to fix (configuration, a bug), not the sender's: quarantined, retried.
CONFIGURATION_PROBLEMS = {ErrorCode.UNKNOWN_RECEIVER, ErrorCode.UNEXPECTED}
# Problems a retry cannot solve: the message's bytes were not kept.
NOT_RETRIED = {ErrorCode.TOO_LARGE}
M = schema.plo_messages
__all__ = ["APPLIED", "CANCELLED", "CONFIGURATION_PROBLEMS", "DUPLICATE", "FAILED", "M",
           "NOT_RETRIED", "QUARANTINED", "REJECTED", "UNREADABLE", "Outcome", "outcome",
           "safe_name"]


@dataclass(frozen=True)
class Outcome:
    file: str
    msg_id: str | None
    type: str | None  # MsgInfo/Type
    status: str
    reason: str | None  # plain words; None when applied

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def outcome(file_name: str, fields: dict[str, Any]) -> Outcome:
    return Outcome(file_name, fields.get("msg_id") or None, fields.get("msg_type") or None,
                   fields["status"], fields.get("reason"))


def safe_name(msg_id: str | None) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", msg_id or "unknown")[:80]

