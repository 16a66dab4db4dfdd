"""PLO pasientlogistikk messages (MsgHead XML, standard v1.5 and v1.6): validation,
reading into PloMessage, and application receipts. Pure functions, no storage.

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
