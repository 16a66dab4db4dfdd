"""The owner of an activity that turns yellow or red is told by e-mail, once per change
(spec: issue 13, item 2; docs/plan.md, "E-mail to owners"). Behind ``flyt plan notify``
and the daily run of the schedule loop (flyt.distribution.running).

Each activity's status by rule at the day (flyt.plan.view.computed_statuses; no status
counts as green) is compared with the one kept in ``plan_notices``:

- first seen (no row: the first run over a plan, or a new activity): its status is kept,
  no mail — the group set the plan up knowing what was late then; from now on its owner
  hears of every change;
- worse than kept and yellow or red (green → yellow, green → red, yellow → red): a mail to
  the owner, and the new status kept once it is sent;
- better (red → yellow, anything → green): kept without a mail, so red → green → red
  mails again;
- the same: nothing.

The owner is the activity's ``responsible`` (the measure's when the activity names none),
found in ``[plan.contacts]``. An owner without an address is listed and logged each run
and nothing is kept, so the mail goes once an address is configured; a mail that fails
is logged in the send log (kind ``plan-notice``) and tried again at the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from flyt import i18n
from flyt.distribution import send_log
from flyt.distribution.daily import DailyJob
from flyt.distribution.mail import MailError, send_text
from flyt.distribution.settings import DistributionSettings, load_distribution
from flyt.domain import clock
from flyt.plan import storage
from flyt.plan.model import STATUSES, Activity, Measure
from flyt.plan.notify_settings import NotifySettings, load_notify_settings
from flyt.plan.settings import PlanSettings, load_plan_settings
from flyt.plan.text import STATUS_WORDS
from flyt.plan.view import computed_statuses
from flyt.store import schema
from flyt.store.db import Database

KIND = "plan-notice"  # the send log's kind
GREEN = "green"
WARNINGS = ("yellow", "red")  # the statuses an owner is told of
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    """An activity whose status differs from the one kept (`before` None: first seen)."""

    measure: Measure
    activity: Activity
    before: str | None
    now: str

    @property
    def mailed(self) -> bool:
        return (self.before is not None and self.now in WARNINGS
                and STATUSES.index(self.now) > STATUSES.index(self.before))

    @property
    def owner(self) -> str:
        return (self.activity.responsible or self.measure.responsible).strip()


@dataclass
class NotifyResult:
    lines: list[str] = field(default_factory=list)  # what was done, one line each
    sent: int = 0
    failures: int = 0  # mails that could not be sent (the run goes on)
    missing: list[str] = field(default_factory=list)  # activity ids whose owner has no address
    lang: str = "nb"


def changes(db: Database, at: date, settings: PlanSettings) -> list[Change]:
    """Every activity whose status at `at` differs from the one kept, in the plan's order."""
    plan = storage.read_plan(db)
    computed = computed_statuses(plan, at, settings)
    kept = _kept(db)
    return [Change(m, a, kept.get(a.id), computed.get(a.id) or GREEN)
            for m, a in _activities(plan.measures)
            if kept.get(a.id) != (computed.get(a.id) or GREEN)]


def _activities(measures: tuple[Measure, ...]) -> Iterator[tuple[Measure, Activity]]:
    for m in measures:
        for a in m.activities:
            yield m, a


def _kept(db: Database) -> dict[str, str]:
    n = schema.plan_notices.c
    with db.engine.connect() as conn:
        return {r.activity_id: r.status for r in conn.execute(sa.select(n.activity_id, n.status))}


def _keep(db: Database, change: Change, moment: datetime, mailed: bool) -> None:
    n = schema.plan_notices.c
    with db.engine.begin() as conn:
        conn.execute(schema.plan_notices.delete().where(n.activity_id == change.activity.id))
        conn.execute(schema.plan_notices.insert().values(
            activity_id=change.activity.id, status=change.now, changed_at=moment,
            notified_at=moment if mailed else None))


def message_text(change: Change, at: date, settings: NotifySettings) -> tuple[str, str]:
    """The subject and the plain-text body of the mail about `change`."""
    lang, a = settings.lang, change.activity
    status = STATUS_WORDS[change.now](lang)
    subject = i18n.t("planmail_subject", lang).format(name=a.name, status=status)
    if a.end is not None and at > a.end and not a.done:
        why = i18n.t("planmail_why_late", lang).format(days=(at - a.end).days,
                                                        end=i18n.day(a.end, lang))
    else:  # not late: the status was set by hand
        why = i18n.t("planmail_why_set", lang)
    parts = [i18n.t("planmail_body", lang).format(
        name=a.name, measure=change.measure.name, owner=change.owner or "–",
        end=i18n.day(a.end, lang) if a.end else "–", status=status,
        before=STATUS_WORDS[change.before](lang), why=why, day=i18n.day(at, lang))]
    if settings.base_url:
        parts.append(i18n.t("planmail_link", lang).format(
            link=f"{settings.base_url}/tiltaksplan/{a.id}"))
    parts.append(i18n.t("planmail_footer", lang))
    return subject, "\n\n".join(parts) + "\n"


def notify(db: Database, at: date | None = None, *, dry_run: bool = False,
           settings: NotifySettings | None = None, plan_settings: PlanSettings | None = None,
           dist: DistributionSettings | None = None) -> NotifyResult:
    """Mail the owners of the activities that turned yellow or red by `at` (default:
    today) and keep every change of status; with `dry_run` say what would be sent and
    change nothing."""
    at = at or clock.today()
    own = settings or load_notify_settings()
    dist = dist or load_distribution()
    result = NotifyResult(lang=own.lang)
    found = changes(db, at, plan_settings or load_plan_settings())
    first = [c for c in found if c.before is None]
    if first:
        verb = "planmail_would_record_first" if dry_run else "planmail_recorded_first"
        result.lines.append(i18n.t(verb, own.lang).format(count=len(first)))
    for change in found:
        if not change.mailed:
            if not dry_run:
                _keep(db, change, clock.stamp(), mailed=False)
            continue
        _deliver(db, change, at, own, dist, dry_run, result)
    return result


def _deliver(db: Database, change: Change, at: date, own: NotifySettings,
             dist: DistributionSettings, dry_run: bool, result: NotifyResult) -> None:
    lang, a = own.lang, change.activity
    words = {"id": a.id, "name": a.name, "owner": change.owner or "–",
             "status": STATUS_WORDS[change.now](lang)}
    recipients = own.addresses(change.owner)
    if not recipients:
        result.missing.append(a.id)
        result.lines.append(i18n.t("planmail_no_address", lang).format(**words))
        log.warning("no address for the owner %r of activity %s under [plan.contacts]",
                    change.owner, a.id)
        return
    if dry_run:
        result.lines.append(i18n.t("planmail_would_send", lang).format(
            **words, count=len(recipients)))
        return
    subject, body = message_text(change, at, own)
    error = None
    try:
        send_text(subject, body, recipients, dist.mail)
    except MailError as exc:
        error = str(exc)
        log.warning("the mail about activity %s could not be sent: %s", a.id, error)
    moment = clock.stamp()
    row = send_log.record(db, KIND, f"{a.id} {change.now} {at.isoformat()}", recipients,
                          "failed" if error else "sent", error, moment)
    if error:
        result.failures += 1
        result.lines.append(i18n.t("planmail_failed", lang).format(
            **words, error=error, attempt=row.attempt))
        return
    _keep(db, change, moment, mailed=True)
    result.sent += 1
    result.lines.append(i18n.t("planmail_sent", lang).format(**words, count=len(recipients)))


class DailyNotify(DailyJob):
    """`notify` once a day at ``[plan.notify] time`` (Oslo), in the schedule loop beside
    the deviations' run (flyt.distribution.daily: a restart repeats the day's run, which
    mails nothing twice)."""

    label = "plan"

    def run(self, db: Database, at: datetime) -> list[str]:
        return notify(db, at.date()).lines
