"""PLO pasientlogistikk messages (MsgHead XML, standard v1.5 and v1.6), an area of its
own (docs/plo.md).

Reading (pure, no storage): validate, xmltools, head, parties, patient, events,
message (into PloMessage), apprec (application receipts), build (demo messages).
Receiving: receive (files and folders) → reading (prepared in worker processes) →
batch (many in one transaction) or storing (one), classify (what a message is),
receipts, retry (the quarantine), sealing (kept encrypted), receivers (HER-id →
municipality); replay turns the applied messages into stays and UKP periods.

Its public surface: the names below, and ``commands`` (``flyt import plo``, ``flyt plo``).

    from flyt.plo import read_message, MessageError, build_apprec
"""

from flyt.plo.apprec import apprec_for_error, build_apprec
from flyt.plo.errors import ErrorCode, MessageError, Problem
from flyt.plo.events import Coded, Event
from flyt.plo.head import MessageHead
from flyt.plo.message import PloMessage, read_message
from flyt.plo.parties import Party, PartyLevel
from flyt.plo.patient import PatientId

__all__ = [
    "Coded",
    "ErrorCode",
    "Event",
    "MessageError",
    "MessageHead",
    "Party",
    "PartyLevel",
    "PatientId",
    "PloMessage",
    "Problem",
    "apprec_for_error",
    "build_apprec",
    "read_message",
]
