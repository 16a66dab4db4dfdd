"""The list of deviations one may see, filtered, searched and paged in the database
(the list page and its JSON twin, and `GET /api/avvik`).

Filters (all optional, combined with AND): the period of `occurred_at` (from, to:
dates, both inclusive), category, severity, an organisation (as reporter or receiver),
status, overdue (an open step past its deadline today) and free text (in the id,
summary, description, immediate action, place and agreement clause; case-insensitive).

Overdue is a deadline in Norwegian working days (deadlines.py), which SQL cannot count;
but a deadline only moves forward with the day a deviation was reported, so "overdue on
day D" is "reported before a cut day" — found once in Python, then one comparison in SQL.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from cachetools import LRUCache
from cachetools.keys import hashkey

from flyt.accounts import User
from flyt.deviations import access, changes, deadlines, records
from flyt.deviations.codes import OPEN_STATUSES, SEVERITIES, answer_required
from flyt.deviations.settings import DeviationSettings
from flyt.store import schema
from flyt.store.db import Database

D, R, E = schema.deviations.c, schema.deviation_receivers.c, schema.deviation_events.c
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_TEXT = 200  # a search text longer than this is refused by the callers


@dataclass(frozen=True)
class Filters:
    """What the user asked for; None or empty: no filter."""

    occurred_from: date | None = None
    occurred_to: date | None = None
    category: str | None = None
    severity: str | None = None
    organisation: str | None = None
    status: str | None = None
    overdue: bool = False
    text: str | None = None


@dataclass(frozen=True)
class Line:
    """One deviation as the list shows it (no patient_ref, no person)."""

    id: str
    reported_at: datetime
    occurred_at: datetime
    occurred_has_time: bool
    reporter_org: str
    category: str
    severity: str
    level: str
    status: str
    summary: str
    version: int
    receiver_orgs: tuple[str, ...] = ()
    overdue: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Page:
    lines: tuple[Line, ...]
    total: int  # every match, not only this page
    offset: int
    limit: int


def acknowledge_overdue_before(on: date, settings: DeviationSettings) -> date:
    """A `meldt` deviation is overdue for its acknowledgement on `on` when it was
    reported on a day before the returned one."""
    day = on
    # add_working_days is monotone in its start: step back to the first start whose
    # deadline is already past on `on`.
    while deadlines.acknowledge_due(datetime.combine(day, datetime.min.time()),
                                    settings) >= on:
        day -= timedelta(days=1)
    return day + timedelta(days=1)


def answer_overdue_before(on: date, settings: DeviationSettings) -> date:
    """An open deviation of moderat_skade or worse is overdue for its answer on `on`
    when it was reported on a day before the returned one."""
    return on - timedelta(days=settings.answer_days)


def _overdue_clause(on: date, settings: DeviationSettings) -> sa.ColumnElement[bool]:
    ack_before = datetime.combine(acknowledge_overdue_before(on, settings), datetime.min.time())
    answer_before = datetime.combine(answer_overdue_before(on, settings), datetime.min.time())
    answered = [s for s in SEVERITIES if answer_required(s)]
    return sa.or_(
        sa.and_(D.status == "meldt", D.reported_at < ack_before),
        sa.and_(D.severity.in_(answered), D.status.in_(sorted(OPEN_STATUSES)),
                D.reported_at < answer_before))


def _text_clause(text: str) -> sa.ColumnElement[bool]:
    # LIKE's own wildcards in the user's text are literal characters. One lower-cased
    # column (records.search_text): on PostgreSQL a trigram index serves it.
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return D.search_text.like(f"%{escaped}%", escape="\\")


def conditions(user: User, filters: Filters, on: date,
               settings: DeviationSettings) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    visible = access.visible_clause(user)
    if visible is not None:
        where.append(visible)
    if filters.occurred_from is not None:
        where.append(D.occurred_at >= datetime.combine(filters.occurred_from,
                                                       datetime.min.time()))
    if filters.occurred_to is not None:
        where.append(D.occurred_at < datetime.combine(filters.occurred_to + timedelta(days=1),
                                                      datetime.min.time()))
    for column, value in ((D.category, filters.category), (D.severity, filters.severity),
                          (D.status, filters.status)):
        if value:
            where.append(column == value)
    if filters.organisation:
        where.append(records.reported_or_received(filters.organisation))
    if filters.overdue:
        where.append(_overdue_clause(on, settings))
    if filters.text and filters.text.strip():
        where.append(_text_clause(filters.text.strip()))
    return where


_COLUMNS = (D.id, D.reported_at, D.occurred_at, D.occurred_has_time, D.reporter_org,
            D.category, D.severity, D.level, D.status, D.summary, D.version)


# Pages already made, per store and change stamp (changes.py): twenty people opening
# the list meet one query.
_pages: LRUCache[Hashable, Page] = LRUCache(maxsize=512)
_pages_lock = threading.Lock()


def search(db: Database, user: User, filters: Filters, *, on: date,
           settings: DeviationSettings, offset: int = 0,
           limit: int = PAGE_SIZE) -> Page:
    """The deviations `user` may see that match `filters`, newest reported first."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    offset = max(0, offset)
    seen_as = "*" if access.sees_every_deviation(user) else user.organisation
    key = hashkey(str(db.engine.url), changes.stamp(db), seen_as, filters, on, settings, offset,
                  limit)
    with _pages_lock:
        found = _pages.get(key)
    if found is None:
        found = _search(db, user, filters, on=on, settings=settings, offset=offset,
                        limit=limit)
        with _pages_lock:
            _pages[key] = found
    return found


def _search(db: Database, user: User, filters: Filters, *, on: date,
            settings: DeviationSettings, offset: int, limit: int) -> Page:
    where = conditions(user, filters, on, settings)
    with db.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(schema.deviations)
                             .where(*where)).scalar_one()
        rows = conn.execute(sa.select(*_COLUMNS).where(*where)
                            .order_by(D.reported_at.desc(), D.id.desc())
                            .offset(offset).limit(limit)).all()
        ids = [row.id for row in rows]
        receivers: dict[str, list[str]] = {i: [] for i in ids}
        if ids:
            for deviation_id, org in conn.execute(
                    sa.select(R.deviation_id, R.org_id).where(R.deviation_id.in_(ids))
                    .order_by(R.deviation_id, R.org_id)):
                receivers[deviation_id].append(org)
    lines = tuple(_line(row._mapping, receivers[row.id], on, settings) for row in rows)
    return Page(lines=lines, total=total, offset=offset, limit=limit)


def _line(values: object, receivers: Sequence[str], on: date,
          settings: DeviationSettings) -> Line:
    mapping = dict(values)  # type: ignore[call-overload]
    timeline = deadlines.Timeline(status=mapping["status"], severity=mapping["severity"],
                                  reported_at=mapping["reported_at"])
    return Line(**mapping, receiver_orgs=tuple(receivers),
                overdue=deadlines.overdue(timeline, on, settings))
