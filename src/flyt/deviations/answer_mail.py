"""The reporter is told when a deviation is answered (spec/deviations.md, "Workflow":
"besvart needs a written answer … and the reporter is told").

One plain-text e-mail to the reporting organisation's addresses (``[deviations.contacts]``,
the same table the reminders use; users have no e-mail address in Flyt, so the
organisation's handlers are the reporter's inbox), sent through ``[mail]`` in
``[deviations.reminders] lang``. It holds the id, the summary, the answer and a link to
the deviation; never a patient_ref, a description or a person.

Each attempt is kept in the distribution's send log (``report_sends``) as kind
``deviation-answer``, period ``<id> v<version>`` (the version the answer made), so the
deviation's page can say when the reporter could not be told. The answer itself is
stored before this runs: a mail server that is down, a missing address or a bad
configuration is logged and recorded, never a failure of the step.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa

from flyt import i18n
from flyt.deviations.records import Deviation
from flyt.deviations.reminder_settings import ReminderSettings, load_reminder_settings
from flyt.deviations.reminders import Outgoing, _message
from flyt.distribution import send_log
from flyt.distribution.mail import MailError, send_message
from flyt.distribution.settings import DistributionSettings, load_distribution
from flyt.domain import clock
from flyt.store import schema
from flyt.store.db import Database

KIND = "deviation-answer"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    status: str  # "sent" or "failed"
    recipients: tuple[str, ...]
    error: str | None = None


def period(deviation_id: str, version: int) -> str:
    """The send log's key of the answer that made `version`."""
    return f"{deviation_id} v{version}"


def link(deviation_id: str, site: str | None) -> str:
    """The deviation's page: absolute when the site's address is known (the request the
    answer came with), else the path to open in Flyt."""
    path = f"/avvik/{deviation_id}"
    return site.rstrip("/") + path if site else path


def compose(item: Deviation, site: str | None, lang: str) -> tuple[str, str]:
    """The subject and body of the mail for the answered `item`."""
    answer = next((e.answer for e in reversed(item.history)
                   if e.to_status == "besvart" and e.answer), "")
    subject = i18n.t("devcase_mail_subject", lang).format(id=item.id)
    body = i18n.t("devcase_mail_body", lang).format(
        id=item.id, summary=item.summary, answer=answer, link=link(item.id, site),
        reported=i18n.day(item.reported_at, lang))
    return subject, body + "\n\n" + i18n.t("devrem_footer", lang) + "\n"


def tell_reporter(db: Database, item: Deviation, *, site: str | None = None,
                  reminder_settings: ReminderSettings | None = None,
                  dist: DistributionSettings | None = None) -> Outcome:
    """Mail the answer of `item` (just moved to besvart) to its reporter's organisation
    and log the attempt. Never raises: the answer is stored already."""
    try:
        return _send(db, item, site, reminder_settings, dist)
    except Exception as exc:  # the step is stored; nothing after it may undo or fail it
        log.exception("could not tell the reporter of %s about the answer", item.id)
        return _logged(db, item, (), f"{type(exc).__name__}: {exc}")


def _send(db: Database, item: Deviation, site: str | None,
          reminder_settings: ReminderSettings | None,
          dist: DistributionSettings | None) -> Outcome:
    own = reminder_settings or load_reminder_settings()
    dist = dist or load_distribution()
    recipients = own.contacts.get(item.reporter_org, ())
    if not recipients:
        log.warning("no address for organisation %s: the answer to %s was not mailed",
                    item.reporter_org, item.id)
        return _logged(db, item, (), f"no address for organisation {item.reporter_org} "
                                     "under [deviations.contacts]")
    subject, body = compose(item, site, own.lang)
    try:
        if not dist.mail.sender:
            raise MailError("no sender: set sender = \"flyt@example.no\" under [mail]")
        mail = Outgoing(KIND, period(item.id, item.version), (item.reporter_org,), subject,
                        body)
        send_message(_message(mail, dist.mail.sender, recipients), dist.mail)
    except MailError as exc:
        log.warning("the answer to %s could not be mailed: %s", item.id, exc)
        return _logged(db, item, recipients, str(exc))
    return _logged(db, item, recipients, None)


def _logged(db: Database, item: Deviation, recipients: tuple[str, ...],
            error: str | None) -> Outcome:
    status = "failed" if error else "sent"
    send_log.record(db, KIND, period(item.id, item.version), recipients, status, error,
                    clock.stamp())
    return Outcome(status, recipients, error)


def latest(db: Database, item: Deviation) -> Outcome | None:
    """The last attempt to mail the latest answer of `item` (None: none logged, or the
    deviation was never answered)."""
    answered = next((e.version for e in reversed(item.history) if e.to_status == "besvart"),
                    None)
    if answered is None:
        return None
    s = schema.report_sends.c
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(s.status, s.recipients, s.error)
                           .where(s.kind == KIND, s.period == period(item.id, answered))
                           .order_by(s.attempt.desc()).limit(1)).first()
    if row is None:
        return None
    recipients = tuple(r for r in (row.recipients or "").split(", ") if r)
    return Outcome(row.status, recipients, row.error)
