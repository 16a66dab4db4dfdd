"""The incident record of a notifiable deviation (`betydelig_skade`, `dod`; issue 12
point 2): the notification duty to Statens helsetilsyn and an incident analysis
(hendelsesanalyse) by Helsedirektoratet's method (handbook IS-0583), with its
checklist and its outcome.

The checklist (`STEPS`) follows the handbook's course of an analysis: the management
gives a mandate, an analysis team is appointed, the facts and the course of events
(timeline) are gathered, the people involved are interviewed, the causes are analysed
(direct and underlying), measures are proposed, the report is delivered to whoever gave
the mandate, and the management decides and follows up the measures. Each step records
the day it was done and by whom.

Only the deviation's own organisations (reporter and receivers) record it; whoever may
see the deviation reads it (the improvement group too). A deviation that is not
notifiable is refused (InvalidDeviation, 422); one the user may not see is "not found".
One record per deviation, with a `version` (optimistic concurrency: 409 when stale).
Audited: ``incident.read``, ``incident.change``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from flyt.accounts import User, audit
from flyt.deviations import access, codes, learning
from flyt.deviations.errors import DeviationNotFound, InvalidDeviation, StaleVersion
from flyt.deviations.records import Deviation
from flyt.domain import clock
from flyt.store import schema
from flyt.store.db import Database

# The analysis checklist, in the handbook's order (words in i18n: incident_step_<code>).
STEPS = ("mandate", "team", "facts", "interviews", "causes", "measures", "report",
         "followup")
# The notification to Statens helsetilsyn: sent, not sent (a reason), not applicable
# (a reason: e.g. the harm did not come from the health service).
NOTICES = ("sendt", "ikke_sendt", "ikke_aktuelt")
MAX_TEXT = 10_000
MAX_SHORT = 200

INC, S = schema.deviation_incidents.c, schema.deviation_incident_steps.c


@dataclass(frozen=True)
class Step:
    code: str
    done_on: date | None = None
    done_by: str | None = None


@dataclass(frozen=True)
class Incident:
    deviation_id: str
    severity: str
    notice: str | None
    notice_reason: str | None
    notice_sent_on: date | None
    notice_reference: str | None
    conclusion: str | None
    learning_id: int | None
    steps: tuple[Step, ...]  # every step of STEPS, in order
    updated_at: datetime | None
    updated_by: str | None
    version: int  # 0: nothing recorded yet
    may_change: bool  # for the page: whether this user may record it


@dataclass(frozen=True)
class Draft:
    notice: str | None = None
    notice_reason: str | None = None
    notice_sent_on: date | None = None
    notice_reference: str | None = None
    conclusion: str | None = None
    learning_id: int | None = None
    steps: Mapping[str, tuple[date | None, str | None]] = ()  # type: ignore[assignment]


def _own(item: Deviation, user: User) -> bool:
    own = user.organisation
    return user.role != "reader" and own is not None and (
        own == item.reporter_org or own in item.receiver_orgs)


def _notifiable(db: Database, user: User, deviation_id: str) -> Deviation:
    item = access.get_for(db, deviation_id, user)  # 404 before anything else
    if not codes.notifiable(item.severity):
        raise InvalidDeviation("incident_not_notifiable", id=item.id)
    return item


def _load(db: Database, item: Deviation, user: User) -> Incident:
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(schema.deviation_incidents)
                           .where(INC.deviation_id == item.id)).first()
        done = {r.step: r for r in conn.execute(
            sa.select(schema.deviation_incident_steps).where(S.deviation_id == item.id))}
    steps = tuple(Step(code, done[code].done_on, done[code].done_by) if code in done
                  else Step(code) for code in STEPS)
    values: dict[str, Any] = dict(row._mapping) if row is not None else {
        "notice": None, "notice_reason": None, "notice_sent_on": None,
        "notice_reference": None, "conclusion": None, "learning_id": None,
        "updated_at": None, "updated_by": None, "version": 0}
    values.pop("deviation_id", None)
    return Incident(deviation_id=item.id, severity=item.severity, steps=steps,
                    may_change=_own(item, user), **values)


def read(db: Database, user: User, deviation_id: str, *, ip: str | None = None) -> Incident:
    """The record as `user` may see it; audited."""
    item = _notifiable(db, user, deviation_id)
    audit.record(db, user, "incident.read", item.id, ip=ip)
    return _load(db, item, user)


def _short(value: str | None, limit: int, *, refusal: str) -> str | None:
    text = (value or "").strip() or None
    if text is not None and len(text) > limit:
        raise InvalidDeviation(refusal, limit=limit, length=len(text))
    return text


def _not_after_today(day: date | None, *, refusal: str) -> None:
    if day is not None and day > clock.today():
        raise InvalidDeviation(refusal, day=day.isoformat())


def checked(db: Database, user: User, draft: Draft) -> tuple[dict[str, object], list[dict]]:
    """The record's values and its done steps, or InvalidDeviation for the first
    wrong field."""
    notice = (draft.notice or "").strip() or None
    if notice is not None and notice not in NOTICES:
        raise InvalidDeviation("incident_bad_notice", value=notice[:40],
                               known=", ".join(NOTICES))
    reason = _short(draft.notice_reason, MAX_TEXT, refusal="incident_text_too_long")
    if notice in ("ikke_sendt", "ikke_aktuelt") and reason is None:
        raise InvalidDeviation("incident_reason_required")
    if notice == "sendt" and draft.notice_sent_on is None:
        raise InvalidDeviation("incident_sent_on_required")
    _not_after_today(draft.notice_sent_on, refusal="incident_day_in_future")
    if draft.learning_id is not None:
        try:
            learning.get_for(db, user, draft.learning_id)
        except DeviationNotFound:
            raise InvalidDeviation("incident_unknown_learning", id=draft.learning_id) from None
    steps = []
    for code, (done_on, done_by) in dict(draft.steps).items():
        if code not in STEPS:
            raise InvalidDeviation("incident_bad_step", value=str(code)[:40])
        who = _short(done_by, MAX_SHORT, refusal="incident_who_too_long")
        if done_on is None and who is not None:
            raise InvalidDeviation("incident_step_day_required", step=code)
        _not_after_today(done_on, refusal="incident_day_in_future")
        if done_on is not None:
            steps.append({"step": code, "done_on": done_on, "done_by": who})
    return {"notice": notice, "notice_reason": reason,
            "notice_sent_on": draft.notice_sent_on if notice == "sendt" else None,
            "notice_reference": _short(draft.notice_reference, MAX_SHORT,
                                       refusal="incident_who_too_long")
            if notice == "sendt" else None,
            "conclusion": _short(draft.conclusion, MAX_TEXT, refusal="incident_text_too_long"),
            "learning_id": draft.learning_id}, steps


def save(db: Database, user: User, deviation_id: str, draft: Draft, *, version: int,
         ip: str | None = None) -> Incident:
    """Record the notification duty, the checklist and the outcome, based on `version`
    (0 for the first save). Refused with nothing changed: DeviationNotFound,
    InvalidDeviation (not notifiable, a wrong field), learning.NotAllowed (not one of
    the deviation's organisations), StaleVersion."""
    item = _notifiable(db, user, deviation_id)
    if not _own(item, user):
        raise learning.NotAllowed("incident_not_allowed")
    values, steps = checked(db, user, draft)
    values |= {"updated_at": clock.stamp(), "updated_by": user.name, "version": version + 1}
    try:
        with db.engine.begin() as conn:
            if version == 0:
                taken = conn.execute(sa.select(INC.version).where(
                    INC.deviation_id == item.id)).first()
                if taken is not None:
                    raise StaleVersion("incident_stale", id=item.id)
                conn.execute(schema.deviation_incidents.insert().values(
                    deviation_id=item.id, **values))
            elif conn.execute(schema.deviation_incidents.update()
                              .where(INC.deviation_id == item.id, INC.version == version)
                              .values(**values).returning(INC.version)).first() is None:
                raise StaleVersion("incident_stale", id=item.id)
            conn.execute(schema.deviation_incident_steps.delete()
                         .where(S.deviation_id == item.id))
            if steps:
                conn.execute(schema.deviation_incident_steps.insert(),
                             [{"deviation_id": item.id, **s} for s in steps])
    except sa.exc.IntegrityError:  # two first saves at once: the key is taken
        raise StaleVersion("incident_stale", id=item.id) from None
    except sa.exc.DBAPIError as error:
        if db.engine.dialect.name == "duckdb" and "conflict" in str(error.orig).lower():
            raise StaleVersion("incident_stale", id=item.id) from None
        raise
    audit.record(db, user, "incident.change", item.id, f"v{version + 1}", ip)
    return _load(db, item, user)
