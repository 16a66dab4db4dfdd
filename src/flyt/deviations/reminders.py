"""Deadlines kept: the automatic close, overdue reminders and the daily digest
(docs/deviations.md, "Reminders and the automatic close"). Behind ``flyt deviations
remind`` and the daily run of the schedule loop.

SQL finds the candidates (open, with a deadline); ``deadlines`` decides the exact rule.
What was mailed is kept in the distribution's send log (``report_sends``), so nothing
new in the schema: a reminder is kind ``deviation-reminder`` with period
``<id> <acknowledge|answer>`` (a ``sent`` row: never again), a digest kind
``deviation-digest`` with period ``<yyyy-mm-dd> <org_id>`` (one a day).

Configuration (``reminder_settings``)::

    [deviations.contacts]          # org_id → the addresses of its deviation handlers
    stolav = ["avvik@stolav.no"]
    5001 = ["avvik@trondheim.kommune.no"]

    [deviations.reminders]
    time = "07:00"                 # the daily run in the schedule loop (Oslo time)
    lang = "nb"                    # the mails' language: nb or en

No mail holds a patient_ref or the reporting person: only id, summary, status, due day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import sqlalchemy as sa

from flyt import i18n
from flyt.deviations import deadlines, records
from flyt.deviations.codes import OPEN_STATUSES, SEVERITIES, answer_required
from flyt.deviations.errors import StaleVersion, TransitionRefused
from flyt.deviations.reminder_settings import ReminderSettings, load_reminder_settings
from flyt.deviations.settings import DeviationSettings, load_deviation_settings
from flyt.distribution import send_log
from flyt.distribution.daily import DailyJob
from flyt.distribution.mail import MailError, send_message
from flyt.distribution.settings import DistributionSettings, load_distribution
from flyt.domain import clock
from flyt.store import schema
from flyt.store.db import Database

REMINDER_KIND = "deviation-reminder"
DIGEST_KIND = "deviation-digest"
DIGEST_HORIZON_WORKING_DAYS = 2  # the digest lists what is due within this many

Echo = Callable[[str], None]


# --- what the store holds -------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An open deviation's fields the deadlines and mails need (no patient_ref, no
    reporting person: they are never read here)."""

    id: str
    version: int
    status: str
    severity: str
    summary: str
    reporter_org: str
    reported_at: datetime
    answered_at: datetime | None
    receiver_orgs: tuple[str, ...]


_FIELDS = ("id", "version", "status", "severity", "summary", "reporter_org", "reported_at",
           "answered_at")


def _fetch(db: Database, where: sa.ColumnElement[bool]) -> list[Candidate]:
    d, r = schema.deviations.c, schema.deviation_receivers.c
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(*(d[f] for f in _FIELDS)).where(where)
                            .order_by(d.id)).all()
        ids = [row.id for row in rows]
        receivers: dict[str, list[str]] = {}
        if ids:
            for dev, org in conn.execute(sa.select(r.deviation_id, r.org_id)
                                         .where(r.deviation_id.in_(ids))
                                         .order_by(r.org_id)):
                receivers.setdefault(dev, []).append(org)
    return [Candidate(**row._mapping, receiver_orgs=tuple(receivers.get(row.id, ())))
            for row in rows]


def _open_with_deadline(db: Database, on: date,
                        settings: DeviationSettings) -> list[Candidate]:
    """Open deviations that may be overdue or due by the digest's horizon: every meldt
    one, and those needing an answer reported early enough to be due by then."""
    d = schema.deviations.c
    horizon = deadlines.add_working_days(on, DIGEST_HORIZON_WORKING_DAYS)
    answer_cutoff = datetime.combine(horizon - timedelta(days=settings.answer_days - 1),
                                     time())
    needs_answer = [s for s in SEVERITIES if answer_required(s)]
    return _fetch(db, sa.or_(
        d.status == "meldt",
        sa.and_(d.status.in_(sorted(OPEN_STATUSES)), d.severity.in_(needs_answer),
                d.reported_at < answer_cutoff)))


# --- the automatic close --------------------------------------------------------


def close_due(db: Database, on: date, settings: DeviationSettings, *, lang: str = "nb",
              dry_run: bool = False) -> tuple[list[str], list[str]]:
    """Close every besvart deviation whose close day has come: (closed ids, skipped
    lines). A deviation changed meanwhile (stale version) is skipped, not fatal."""
    d = schema.deviations.c
    cutoff = datetime.combine(on - timedelta(days=settings.close_after_days - 1), time())
    candidates = _fetch(db, sa.and_(d.status == "besvart", d.answered_at < cutoff))
    closed, skipped = [], []
    for item in candidates:
        if not deadlines.should_close(item, on, settings):
            continue
        if dry_run:
            closed.append(item.id)
            continue
        assert item.answered_at is not None  # should_close needs it
        comment = i18n.t("devrem_close_comment", lang).format(
            answered=i18n.day(item.answered_at, lang), days=settings.close_after_days)
        try:
            records.transition(db, item.id, "lukket", version=item.version,
                               organisation=None, user_id=None, comment=comment)
            closed.append(item.id)
        except (StaleVersion, TransitionRefused) as refused:
            skipped.append(f"{item.id}: {refused.message(lang)}")
    return closed, skipped


# --- mails ----------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    """One mail to send: its log key, the organisations it is for and its text."""

    kind: str
    period: str
    orgs: tuple[str, ...]
    subject: str
    body: str


def _reminder(item: Candidate, late: str, settings: DeviationSettings,
              lang: str) -> Outgoing:
    due = (deadlines.acknowledge_due(item.reported_at, settings) if late == "acknowledge"
           else deadlines.answer_due(item, settings))
    assert due is not None
    subject = i18n.t(f"devrem_reminder_subject_{late}", lang).format(id=item.id)
    body = i18n.t(f"devrem_reminder_body_{late}", lang).format(
        id=item.id, summary=item.summary, status=_status(item.status, lang),
        reported=i18n.day(item.reported_at, lang), due=i18n.day(due, lang))
    return Outgoing(REMINDER_KIND, f"{item.id} {late}", item.receiver_orgs, subject,
                    body + "\n\n" + i18n.t("devrem_footer", lang) + "\n")


def _status(code: str, lang: str) -> str:
    return i18n.t(f"devrem_status_{code}", lang)


def reminders_due(candidates: Iterable[Candidate], on: date, settings: DeviationSettings,
                  sent: set[str], lang: str) -> list[Outgoing]:
    """A reminder for each overdue step not yet reminded (``sent``: the log's periods)."""
    found = []
    for item in candidates:
        for late in sorted(deadlines.overdue(item, on, settings)):
            if f"{item.id} {late}" not in sent:
                found.append(_reminder(item, late, settings, lang))
    return found


@dataclass(frozen=True)
class DigestLine:
    item: Candidate
    due: date
    overdue: bool


def _next_due(item: Candidate, settings: DeviationSettings) -> date | None:
    """The day of the earliest step still to take (acknowledge, answer)."""
    days = []
    if item.status == "meldt":
        days.append(deadlines.acknowledge_due(item.reported_at, settings))
    answer = deadlines.answer_due(item, settings)
    if answer is not None and item.status in OPEN_STATUSES:
        days.append(answer)
    return min(days, default=None)


def digest_lines(candidates: Iterable[Candidate], on: date,
                 settings: DeviationSettings) -> list[DigestLine]:
    """The open deviations overdue on `on` or due within the horizon, soonest first."""
    horizon = deadlines.add_working_days(on, DIGEST_HORIZON_WORKING_DAYS)
    lines = []
    for item in candidates:
        due = _next_due(item, settings)
        if due is not None and due <= horizon:
            lines.append(DigestLine(item, due, overdue=on > due))
    return sorted(lines, key=lambda line: (line.due, line.item.id))


def _digest(org: str, lines: list[DigestLine], on: date, lang: str) -> Outgoing:
    received = [line for line in lines if org in line.item.receiver_orgs]
    reported = [line for line in lines if line.item.reporter_org == org]
    parts = [i18n.t("devrem_digest_intro", lang).format(
        day=i18n.day(on, lang), horizon=DIGEST_HORIZON_WORKING_DAYS)]
    for heading, group in ((i18n.t("devrem_digest_received", lang), received),
                           (i18n.t("devrem_digest_reported", lang), reported)):
        if group:
            parts.append(heading + "\n" + "\n".join(_line(g, lang) for g in group))
    parts.append(i18n.t("devrem_footer", lang))
    subject = i18n.t("devrem_digest_subject", lang).format(day=i18n.day(on, lang),
                                                           count=len(lines))
    return Outgoing(DIGEST_KIND, f"{on.isoformat()} {org}", (org,), subject,
                    "\n\n".join(parts) + "\n")


def _line(line: DigestLine, lang: str) -> str:
    text = (i18n.t("devrem_digest_line_overdue", lang) if line.overdue
            else i18n.t("devrem_digest_line", lang))
    return text.format(id=line.item.id, summary=line.item.summary,
                                    status=_status(line.item.status, lang),
                                    due=i18n.day(line.due, lang))


def digests_due(candidates: list[Candidate], on: date, settings: DeviationSettings,
                sent: set[str], lang: str) -> list[Outgoing]:
    """One digest per organisation with something listed, unless sent today already."""
    lines = digest_lines(candidates, on, settings)
    by_org: dict[str, list[DigestLine]] = {}
    for line in lines:
        for org in (*line.item.receiver_orgs, line.item.reporter_org):
            by_org.setdefault(org, []).append(line)
    return [_digest(org, org_lines, on, lang) for org, org_lines in sorted(by_org.items())
            if f"{on.isoformat()} {org}" not in sent]


def _message(mail: Outgoing, sender: str, recipients: tuple[str, ...]) -> EmailMessage:
    """The mail; to several organisations (a deviation with two receivers) the addresses
    go in Bcc, so no organisation learns another's contact addresses."""
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = sender
    if len(mail.orgs) > 1:
        # No To at all: smtplib would make the group "undisclosed-recipients:;" a
        # recipient <> of its own. It sends to the Bcc addresses and leaves the header out.
        message["Bcc"] = ", ".join(recipients)
    else:
        message["To"] = ", ".join(recipients)
    message["Date"] = format_datetime(clock.local(clock.now()))
    message["Message-ID"] = make_msgid("flyt", domain=sender.rpartition("@")[2])
    message.set_content(mail.body)
    return message


# --- one run --------------------------------------------------------------------


@dataclass
class RunResult:
    closed: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # what was done, one line each
    failures: int = 0  # mails that could not be sent (the run goes on)
    lang: str = "nb"  # the language of the lines and mails


def _sent_periods(db: Database, kind: str) -> set[str]:
    s = schema.report_sends.c
    with db.engine.connect() as conn:
        return set(conn.execute(sa.select(s.period).where(s.kind == kind,
                                                          s.status == "sent")).scalars())


def _deliver(db: Database, mail: Outgoing, contacts: dict[str, tuple[str, ...]],
             dist: DistributionSettings, lang: str, dry_run: bool, result: RunResult) -> None:
    missing = [org for org in mail.orgs if not contacts.get(org)]
    for org in missing:
        result.lines.append(i18n.t("devrem_no_address", lang).format(org=org,
                                                                     period=mail.period))
    recipients = tuple(dict.fromkeys(a for org in mail.orgs for a in contacts.get(org, ())))
    if not recipients:
        return
    if dry_run:
        result.lines.append(i18n.t("devrem_would_send", lang).format(
            what=i18n.t(f"dist_kind_{mail.kind}", lang), period=mail.period,
            count=len(recipients)))
        return
    try:
        if not dist.mail.sender:
            raise MailError("no sender: set sender = \"flyt@example.no\" under [mail]")
        send_message(_message(mail, dist.mail.sender, recipients), dist.mail)
        status, error = "sent", None
    except MailError as exc:
        status, error = "failed", str(exc)
        result.failures += 1
    row = send_log.record(db, mail.kind, mail.period, recipients, status, error,
                          clock.stamp())
    key = "devrem_sent" if status == "sent" else "devrem_send_failed"
    result.lines.append(i18n.t(key, lang).format(
        what=i18n.t(f"dist_kind_{mail.kind}", lang), period=mail.period,
        count=len(recipients), error=error or "", attempt=row.attempt))


def remind(db: Database, at: datetime | None = None, *, dry_run: bool = False,
           settings: DeviationSettings | None = None,
           reminder_settings: ReminderSettings | None = None,
           dist: DistributionSettings | None = None, lang: str | None = None) -> RunResult:
    """The close, the reminders and the digests for the day of `at` (default: now).
    The close comes first and never depends on the mail server."""
    on = (at or clock.now()).date()
    settings = settings or load_deviation_settings()
    own = reminder_settings or load_reminder_settings()
    dist = dist or load_distribution()
    lang = lang or own.lang
    result = RunResult(lang=lang)
    result.closed, skipped = close_due(db, on, settings, lang=lang, dry_run=dry_run)
    verb = "devrem_would_close" if dry_run else "devrem_closed"
    result.lines += [i18n.t(verb, lang).format(id=i) for i in result.closed] + skipped
    candidates = _open_with_deadline(db, on, settings)
    outgoing = (reminders_due(candidates, on, settings, _sent_periods(db, REMINDER_KIND), lang)
                + digests_due(candidates, on, settings, _sent_periods(db, DIGEST_KIND), lang))
    for mail in outgoing:
        _deliver(db, mail, own.contacts, dist, lang, dry_run, result)
    return result  # no lines: nothing was due (the command says so; the loop keeps quiet)


# --- the daily run in the schedule loop -----------------------------------------


class DailyRun(DailyJob):
    """`remind` once a day at ``[deviations.reminders] time`` (Oslo; flyt.distribution.daily:
    the timing, a restart repeats the day's run, which changes nothing)."""

    label = "deviations"

    def run(self, db: Database, at: datetime) -> list[str]:
        return remind(db, at).lines
