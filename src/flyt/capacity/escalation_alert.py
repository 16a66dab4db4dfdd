"""The escalation levels at every snapshot, and one e-mail when a level rises (issue 14,
item 3; docs/capacity.md, "At every snapshot and the e-mail"). Behind ``flyt escalation
notify`` and the daily run of the schedule loop (flyt.distribution.running).

At the snapshot moment (08:00 Oslo wall-clock time, naive like the rest of the store) the
levels are computed and stored (``escalation_store.save``), then each group's level is
compared with the one kept in ``escalation_notices``:

- no row (the first run, or a group that has data for the first time): the level is kept,
  no mail — like the action plan's mails, the first run sets the starting point;
- higher than kept: a rise. Every group that rose goes into ONE mail to ``[escalation.mail]
  recipients``, and their new levels are kept once it is sent;
- lower than kept: kept without a mail, so 2 → 1 → 2 mails again;
- the same: nothing.

A mail that fails is logged in the send log (kind ``escalation-notice``) and nothing is
kept, so the next run mails again. Without recipients the rises are listed and logged and
nothing is kept as mailed: the mail goes once recipients are configured.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from flyt import i18n
from flyt.capacity import escalation_inputs, escalation_store
from flyt.capacity.escalation import GroupLevel
from flyt.capacity.escalation_settings import (
    AlertSettings,
    EscalationSettings,
    load_alert_settings,
    load_escalation_settings,
)
from flyt.capacity.escalation_text import (
    INDICATOR_KEYS,
    group_label,
    indicator_value,
    level_name,
)
from flyt.distribution import send_log
from flyt.distribution.daily import DailyJob
from flyt.distribution.mail import MailError, send_text
from flyt.distribution.settings import DistributionSettings, load_distribution
from flyt.domain import clock
from flyt.store import reference, schema
from flyt.store.db import Database

KIND = "escalation-notice"  # the send log's kind
SNAPSHOT = time(8, 0)  # the daily census the levels are computed at
log = logging.getLogger(__name__)

N = schema.escalation_notices


@dataclass(frozen=True)
class Change:
    """A group whose level differs from the one kept (last mailed or recorded)."""

    group: GroupLevel
    before: int


@dataclass
class AlertResult:
    moment: datetime
    lang: str = "nb"
    lines: list[str] = field(default_factory=list)  # what was done, one line each
    rises: list[Change] = field(default_factory=list)
    sent: bool = False
    failures: int = 0  # 1 when the mail could not be sent


def snapshot_moment(now: datetime) -> datetime:
    """The latest 08:00 at or before ``now`` (wall-clock): today's from 08:00, else
    yesterday's — a run at 07:00 does not judge a census that has not been taken."""
    day = now.date() if now.time() >= SNAPSHOT else now.date() - timedelta(days=1)
    return datetime.combine(day, SNAPSHOT)


def _kept(db: Database) -> dict[tuple[str, str], int]:
    with db.engine.connect() as conn:
        return {(r.group_type, r.group_id): r.level
                for r in conn.execute(sa.select(N.c.group_type, N.c.group_id, N.c.level))}


def _keep(db: Database, groups: list[GroupLevel], at: datetime,
          notified_at: datetime | None) -> None:
    """Keep each group's level (one row per group, updated in place: a key deleted and
    inserted again in one transaction trips DuckDB's unique index)."""
    with db.engine.begin() as conn:
        for group in groups:
            values = {"level": group.level, "at": at, "notified_at": notified_at}
            where = (N.c.group_type == group.group_type, N.c.group_id == group.group_id)
            if not conn.execute(sa.update(N).where(*where).values(**values)).rowcount:
                conn.execute(sa.insert(N).values(group_type=group.group_type,
                                                 group_id=group.group_id, **values))


def alert(db: Database, at: datetime | None = None, *, dry_run: bool = False,
          settings: AlertSettings | None = None, thresholds: EscalationSettings | None = None,
          dist: DistributionSettings | None = None) -> AlertResult:
    """Compute and store the levels at ``at`` (default: the latest 08:00), mail the
    groups that rose and keep every change; with ``dry_run`` say what would be done and
    change nothing (the levels are not stored either)."""
    own = settings or load_alert_settings()
    thresholds = thresholds or load_escalation_settings()
    dist = dist or load_distribution()
    moment = (at or snapshot_moment(clock.now())).replace(second=0, microsecond=0)
    result = AlertResult(moment, own.lang)
    lang = own.lang
    levels, _ = escalation_inputs.assess_all(db, moment, thresholds)
    if not levels:
        result.lines.append(i18n.t("esc_nothing", lang))
        return result
    names = {m.code: m.name for m in reference.municipalities(db)}
    if not dry_run:
        escalation_store.save(db, moment, levels, clock.stamp())
    verb = "escalert_would_compute" if dry_run else "escalert_computed"
    result.lines.append(i18n.t(verb, lang).format(at=i18n.moment(moment, lang),
                                                   count=len(levels)))
    kept = _kept(db)
    first, falls = [], []
    for group in levels:
        before = kept.get((group.group_type, group.group_id))
        if before is None:
            first.append(group)
        elif group.level < before:
            falls.append(Change(group, before))
        elif group.level > before:
            result.rises.append(Change(group, before))
    if first:
        verb = "escalert_would_record_first" if dry_run else "escalert_recorded_first"
        result.lines.append(i18n.t(verb, lang).format(count=len(first)))
    result.lines += [i18n.t("escalert_fell", lang).format(change=_words(f, lang, names))
                     for f in falls]
    if not dry_run:
        _keep(db, first + [f.group for f in falls], moment, None)
    result.lines += [i18n.t("escalert_rose", lang).format(change=_words(r, lang, names))
                     for r in result.rises]
    if result.rises:
        _deliver(db, result, own, dist, dry_run, names)
    return result


def _words(change: Change, lang: str, names: Mapping[str, str]) -> str:
    """«5031 Malvik: 1 normal → 4 kritisk»."""
    return (f"{group_label(change.group, lang, names)}: {level_name(change.before, lang)} → "
            f"{level_name(change.group.level, lang)}")


def message_text(result: AlertResult, names: Mapping[str, str]) -> tuple[str, str]:
    """The subject and plain-text body of the mail: every group that rose, old → new
    level in words, and the indicators that passed a threshold with their values."""
    lang, moment = result.lang, result.moment
    highest = max(r.group.level for r in result.rises)
    subject = i18n.t("escalert_subject", lang).format(
        day=i18n.day(moment, lang), level=level_name(highest, lang))
    parts = [i18n.t("escalert_body", lang).format(at=i18n.moment(moment, lang))]
    for rise in result.rises:
        lines = [_words(rise, lang, names)]
        for indicator in rise.group.indicators:
            if indicator.threshold is None:
                continue
            lines.append(i18n.t("escalert_indicator", lang).format(
                name=i18n.t(INDICATOR_KEYS[indicator.name], lang),
                value=indicator_value(indicator, indicator.value, lang),
                threshold=indicator_value(indicator, indicator.threshold, lang),
                level=indicator.level))
        parts.append("\n".join(lines))
    parts.append(i18n.t("escalert_footer", lang))
    return subject, "\n\n".join(parts) + "\n"


def _deliver(db: Database, result: AlertResult, own: AlertSettings,
             dist: DistributionSettings, dry_run: bool, names: Mapping[str, str]) -> None:
    lang, count = own.lang, len(own.recipients)
    if not own.recipients:
        result.lines.append(i18n.t("escalert_no_recipients", lang))
        log.warning("escalation levels rose at %s but [escalation.mail] has no recipients",
                    result.moment)
        return
    if dry_run:
        result.lines.append(i18n.t("escalert_would_send", lang).format(count=count))
        return
    subject, body = message_text(result, names)
    error = None
    try:
        send_text(subject, body, own.recipients, dist.mail)
    except MailError as exc:
        error = str(exc)
        log.warning("the escalation mail could not be sent: %s", error)
    stamp = clock.stamp()
    row = send_log.record(db, KIND, result.moment.isoformat(timespec="minutes"),
                          own.recipients, "failed" if error else "sent", error, stamp)
    if error:
        result.failures += 1
        result.lines.append(i18n.t("escalert_failed", lang).format(
            error=error, attempt=row.attempt))
        return
    _keep(db, [r.group for r in result.rises], result.moment, stamp)
    result.sent = True
    result.lines.append(i18n.t("escalert_sent", lang).format(count=count))


class DailyAlert(DailyJob):
    """`alert` once a day at ``[escalation.mail] time`` (Oslo, default 08:15: after the
    08:00 census), in the schedule loop (flyt.distribution.daily: a restart repeats the
    day's run, which stores the same moment again and mails nothing twice)."""

    label = "escalation"

    def run(self, db: Database, at: datetime) -> list[str]:
        return alert(db, snapshot_moment(at)).lines
