"""Learning points (læringspunkter) and their measures (tiltak), issue 12 point 5.

A learning point has a title and a description, is linked to one or more deviations and
carries measures: a text, an owner (an organisation and a free-text person or role), a
due day and a follow-up status. The improvement group (role `improvement`) and the
organisations' staff who see the deviations make them.

Who sees a learning point: the improvement group every one; an organisation those linked
to at least one deviation it may see, and of the links only the ones it may see (never
the id, let alone the text, of a deviation it may not see). A point one may not see is
"not found", as a deviation is.

Optimistic concurrency as for deviations: a learning point and each measure have a
`version`; a change names the version it saw and is refused (StaleVersion, 409) when
another came first. Every read and change is audited: ``learning.create``,
``learning.read``, ``learning.read.refused``, ``learning.change``, ``learning.list``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from flyt.accounts import User, audit
from flyt.deviations import access
from flyt.deviations.errors import (
    DeviationError,
    DeviationNotFound,
    InvalidDeviation,
    StaleVersion,
)
from flyt.domain import clock
from flyt.store import schema
from flyt.store.db import Database
from flyt.store.reference import packaged_organisations

# Follow-up status of a measure, in the order of its life (ASCII codes; words in i18n).
STATUSES = ("planlagt", "pagar", "gjennomfort", "forkastet")
MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_MEASURE = 2_000
MAX_PERSON = 200
MAX_LINKS = 100

P, L, M = schema.learning_points.c, schema.learning_links.c, schema.learning_measures.c
D, R = schema.deviations.c, schema.deviation_receivers.c
_ID_SPLIT = re.compile(r"[\s,;]+")


class NotAllowed(DeviationError):
    """The user may see it but not change it (a reader; the improvement group on an
    organisation's own record): HTTP 403."""


@dataclass(frozen=True)
class Measure:
    id: int
    learning_id: int
    text: str
    owner_org: str
    owner_person: str | None
    due_on: date | None
    status: str
    created_at: datetime
    updated_at: datetime
    version: int


@dataclass(frozen=True)
class LearningPoint:
    id: int
    title: str
    description: str | None
    created_by: str | None
    created_org: str | None
    created_at: datetime
    updated_at: datetime
    version: int
    deviation_ids: tuple[str, ...]  # as seen by the reader: only the visible ones
    measures: tuple[Measure, ...] = ()


@dataclass(frozen=True)
class Draft:
    """A learning point as typed: its deviations as ids."""

    title: str
    description: str | None
    deviation_ids: Sequence[str]


@dataclass(frozen=True)
class MeasureDraft:
    text: str
    owner_org: str
    owner_person: str | None = None
    due_on: date | None = None
    status: str = "planlagt"


def parse_ids(text: str) -> list[str]:
    """Deviation ids typed with spaces, commas or semicolons between, in any case."""
    return list(dict.fromkeys(p.upper() for p in _ID_SPLIT.split(text or "") if p))


def may_change(user: User) -> bool:
    """Readers read; the improvement group and every organisation's staff may write."""
    return user.role != "reader" and (access.sees_every_deviation(user)
                                      or user.organisation is not None)


def _text(value: str | None, limit: int, *, refusal: str) -> str | None:
    text = (value or "").strip() or None
    if text is not None and len(text) > limit:
        raise InvalidDeviation(refusal, limit=limit, length=len(text))
    return text


# --- who sees what -----------------------------------------------------------------


def _link_orgs(conn: sa.Connection, point_ids: Iterable[int] | None
               ) -> dict[int, dict[str, set[str]]]:
    """learning id → its deviation ids → their organisations (reporter and receivers).
    A link to a deviation no longer stored has no organisation (seen by the group only)."""
    query = (sa.select(L.learning_id, L.deviation_id, D.reporter_org, R.org_id)
             .select_from(schema.learning_links
                          .outerjoin(schema.deviations, D.id == L.deviation_id)
                          .outerjoin(schema.deviation_receivers, R.deviation_id == L.deviation_id)))
    if point_ids is not None:
        query = query.where(L.learning_id.in_(list(point_ids)))
    links: dict[int, dict[str, set[str]]] = {}
    for learning_id, deviation_id, reporter, receiver in conn.execute(query):
        orgs = links.setdefault(learning_id, {}).setdefault(deviation_id, set())
        orgs.update(o for o in (reporter, receiver) if o)
    return links


def _visible_links(user: User, links: dict[str, set[str]]) -> tuple[str, ...]:
    if access.sees_every_deviation(user):
        return tuple(sorted(links))
    own = user.organisation
    return tuple(sorted(i for i, orgs in links.items() if own is not None and own in orgs))


def _points(conn: sa.Connection, user: User, point_ids: Sequence[int] | None = None
            ) -> list[LearningPoint]:
    """The learning points (all, or `point_ids`) `user` may see, as seen, newest first."""
    links = _link_orgs(conn, point_ids)
    query = sa.select(schema.learning_points).order_by(P.updated_at.desc(), P.id.desc())
    if point_ids is not None:
        query = query.where(P.id.in_(list(point_ids)))
    points = []
    for row in conn.execute(query):
        seen = _visible_links(user, links.get(row.id, {}))
        if seen or access.sees_every_deviation(user):
            points.append(LearningPoint(**row._mapping, deviation_ids=seen))
    if not points:
        return points
    measures: dict[int, list[Measure]] = {}
    for row in conn.execute(sa.select(schema.learning_measures)
                            .where(M.learning_id.in_([p.id for p in points]))
                            .order_by(M.id)):
        measures.setdefault(row.learning_id, []).append(Measure(**row._mapping))
    return [replace(p, measures=tuple(measures.get(p.id, ()))) for p in points]


def get_for(db: Database, user: User, point_id: int) -> LearningPoint:
    """The learning point as `user` may see it, not audited (for a check by another
    function that audits its own work); DeviationNotFound if none or not theirs."""
    return _one(db, user, point_id)


def _one(db: Database, user: User, point_id: int) -> LearningPoint:
    with db.engine.connect() as conn:
        found = _points(conn, user, [point_id])
    if not found:
        raise DeviationNotFound("learn_not_found", id=point_id)
    return found[0]


def _checked_links(db: Database, user: User, ids: Sequence[str]) -> list[str]:
    """The typed ids, each a deviation `user` may see; one that does not exist and one
    the user may not see get the same sentence (existence is not revealed)."""
    wanted = list(dict.fromkeys(i.strip().upper() for i in ids if i.strip()))
    if not wanted:
        raise InvalidDeviation("learn_no_link")
    if len(wanted) > MAX_LINKS:
        raise InvalidDeviation("learn_too_many_links", limit=MAX_LINKS)
    for deviation_id in wanted:
        try:
            access.get_for(db, deviation_id, user)
        except DeviationNotFound:
            raise InvalidDeviation("learn_unknown_link", id=deviation_id[:40]) from None
    return wanted


def _checked(draft: Draft) -> dict[str, object]:
    title = _text(draft.title, MAX_TITLE, refusal="learn_title_too_long")
    if title is None:
        raise InvalidDeviation("learn_title_required")
    return {"title": title,
            "description": _text(draft.description, MAX_TEXT, refusal="learn_text_too_long")}


def _checked_measure(draft: MeasureDraft) -> dict[str, object]:
    text = _text(draft.text, MAX_MEASURE, refusal="learn_measure_too_long")
    if text is None:
        raise InvalidDeviation("learn_measure_required")
    owner = (draft.owner_org or "").strip()
    if owner not in {o.org_id for o in packaged_organisations()}:
        raise InvalidDeviation("learn_unknown_owner", org=owner[:40])
    status = (draft.status or "").strip().casefold()
    if status not in STATUSES:
        raise InvalidDeviation("learn_bad_status", value=status[:40], known=", ".join(STATUSES))
    return {"text": text, "owner_org": owner, "status": status, "due_on": draft.due_on,
            "owner_person": _text(draft.owner_person, MAX_PERSON, refusal="learn_person_too_long")}


def _writer(user: User) -> None:
    if not may_change(user):
        raise NotAllowed("learn_not_allowed")


def _lost_race(db: Database, error: sa.exc.DBAPIError) -> bool:
    """DuckDB refuses the second of two writers of one row with a conflict (PostgreSQL
    makes it wait, then the version no longer matches): the same as a lost race."""
    return db.engine.dialect.name == "duckdb" and "conflict" in str(error.orig).lower()


# --- what a signed-in user does ------------------------------------------------------


def create(db: Database, user: User, draft: Draft, *, ip: str | None = None) -> LearningPoint:
    """A new learning point linked to deviations `user` may see (version 1)."""
    _writer(user)
    values = _checked(draft)
    links = _checked_links(db, user, draft.deviation_ids)
    at = clock.stamp()
    with db.engine.begin() as conn:
        point_id = conn.execute(schema.learning_points.insert().values(
            **values, created_by=user.name, created_org=user.organisation, created_at=at,
            updated_at=at, version=1).returning(P.id)).scalar_one()
        conn.execute(schema.learning_links.insert(),
                     [{"learning_id": point_id, "deviation_id": i} for i in links])
    audit.record(db, user, "learning.create", str(point_id), ";".join(links)[:500], ip)
    return _one(db, user, point_id)


def read(db: Database, user: User, point_id: int, *, ip: str | None = None) -> LearningPoint:
    """The learning point as `user` may see it (DeviationNotFound otherwise); audited."""
    try:
        point = _one(db, user, point_id)
    except DeviationNotFound:
        audit.record(db, user, "learning.read.refused", str(point_id), ip=ip)
        raise
    audit.record(db, user, "learning.read", str(point.id), ip=ip)
    return point


def update(db: Database, user: User, point_id: int, draft: Draft, *, version: int,
           ip: str | None = None) -> LearningPoint:
    """Change the title, description and links, based on `version`. The links `user`
    may not see are kept as they are: one cannot remove what one cannot see."""
    current = _one(db, user, point_id)  # 404 first
    _writer(user)
    values = _checked(draft)
    links = _checked_links(db, user, draft.deviation_ids)
    if current.version != version:
        raise StaleVersion("learn_stale", id=point_id, given=version, current=current.version)
    try:
        with db.engine.begin() as conn:
            moved = conn.execute(schema.learning_points.update()
                                 .where(P.id == point_id, P.version == version)
                                 .values(**values, updated_at=clock.stamp(),
                                         version=version + 1).returning(P.id)).first()
            if moved is None:
                raise StaleVersion("learn_stale", id=point_id, given=version,
                                   current=version + 1)
            conn.execute(schema.learning_links.delete().where(
                L.learning_id == point_id, L.deviation_id.in_(current.deviation_ids)))
            conn.execute(schema.learning_links.insert(),
                         [{"learning_id": point_id, "deviation_id": i} for i in links])
    except sa.exc.DBAPIError as error:
        if _lost_race(db, error):
            raise StaleVersion("learn_stale", id=point_id, given=version,
                               current=version + 1) from None
        raise
    audit.record(db, user, "learning.change", str(point_id), f"v{version + 1}", ip)
    return _one(db, user, point_id)


def add_measure(db: Database, user: User, point_id: int, draft: MeasureDraft, *,
                ip: str | None = None) -> Measure:
    """A new measure of the learning point (version 1)."""
    _one(db, user, point_id)  # 404 first
    _writer(user)
    values = _checked_measure(draft)
    at = clock.stamp()
    with db.engine.begin() as conn:
        row = conn.execute(schema.learning_measures.insert().values(
            **values, learning_id=point_id, created_at=at, updated_at=at, version=1)
            .returning(*schema.learning_measures.c)).one()
    audit.record(db, user, "learning.change", str(point_id), f"measure {row.id} added", ip)
    return Measure(**row._mapping)


def change_measure(db: Database, user: User, point_id: int, measure_id: int,
                   draft: MeasureDraft, *, version: int, ip: str | None = None) -> Measure:
    """Change a measure (its text, owner, due day, status), based on its `version`."""
    point = _one(db, user, point_id)  # 404 first
    if measure_id not in {m.id for m in point.measures}:
        raise DeviationNotFound("learn_measure_not_found", id=measure_id)
    _writer(user)
    values = _checked_measure(draft)
    try:
        with db.engine.begin() as conn:
            row = conn.execute(schema.learning_measures.update()
                               .where(M.id == measure_id, M.learning_id == point_id,
                                      M.version == version)
                               .values(**values, updated_at=clock.stamp(), version=version + 1)
                               .returning(*schema.learning_measures.c)).first()
    except sa.exc.DBAPIError as error:
        if _lost_race(db, error):
            row = None
        else:
            raise
    if row is None:
        raise StaleVersion("learn_measure_stale", id=measure_id, given=version)
    audit.record(db, user, "learning.change", str(point_id),
                 f"measure {measure_id} {row.status} v{row.version}", ip)
    return Measure(**row._mapping)


@dataclass(frozen=True)
class Filters:
    status: str | None = None  # a measure status: points with at least one such measure
    organisation: str | None = None  # a measure's owner, or a linked (visible) deviation's


def _matches(point: LearningPoint, filters: Filters, orgs: dict[str, set[str]]) -> bool:
    if filters.status and not any(m.status == filters.status for m in point.measures):
        return False
    if filters.organisation:
        owners = {m.owner_org for m in point.measures}
        linked = set().union(*(orgs.get(i, set()) for i in point.deviation_ids))
        return filters.organisation in owners | linked
    return True


def search(db: Database, user: User, filters: Filters = Filters(), *,
           ip: str | None = None) -> list[LearningPoint]:
    """The learning points `user` may see that match, newest change first; audited.
    (Learning points are few — tens a year — so the filters are applied in Python.)"""
    with db.engine.connect() as conn:
        points = _points(conn, user)
        orgs = {d: o for links in _link_orgs(conn, [p.id for p in points]).values()
                for d, o in links.items()} if points else {}
    found = [p for p in points if _matches(p, filters, orgs)]
    asked = ";".join(f"{k}={v}" for k, v in (("status", filters.status),
                                             ("organisation", filters.organisation)) if v)
    audit.record(db, user, "learning.list", f"{len(found)} hits", asked[:200], ip)
    return found


# --- the annual report ---------------------------------------------------------------


@dataclass(frozen=True)
class PeriodMeasure:
    text: str
    owner_org: str
    due_on: date | None
    status: str


@dataclass(frozen=True)
class PeriodPoint:
    id: int
    title: str
    description: str | None
    deviation_ids: tuple[str, ...]  # its deviations that occurred in the period
    measures: tuple[PeriodMeasure, ...]


@dataclass(frozen=True)
class PeriodLearning:
    points: tuple[PeriodPoint, ...]
    by_status: dict[str, int]  # every status of STATUSES, 0 where none


def for_period(db: Database, start: date, end: date) -> PeriodLearning:
    """The learning points linked to deviations that occurred from `start` to `end`
    (both days included), with their measures (no owner person: a name does not go
    into the annual report) and the measures counted by status. Nothing of the
    deviations but their ids: no free text of theirs."""
    since = datetime.combine(start, datetime.min.time())
    until = datetime.combine(end + timedelta(days=1), datetime.min.time())
    with db.engine.connect() as conn:
        linked = conn.execute(
            sa.select(L.learning_id, L.deviation_id)
            .join(schema.deviations, D.id == L.deviation_id)
            .where(D.occurred_at >= since, D.occurred_at < until)
            .order_by(L.learning_id, L.deviation_id)).all()
        ids = sorted({row.learning_id for row in linked})
        points = conn.execute(sa.select(P.id, P.title, P.description)
                              .where(P.id.in_(ids)).order_by(P.id)).all() if ids else []
        measures = conn.execute(sa.select(M.learning_id, M.text, M.owner_org, M.due_on,
                                          M.status)
                                .where(M.learning_id.in_(ids)).order_by(M.id)).all() if ids else []
    by_point: dict[int, list[PeriodMeasure]] = {}
    for m in measures:
        by_point.setdefault(m.learning_id, []).append(
            PeriodMeasure(m.text, m.owner_org, m.due_on, m.status))
    counts = dict.fromkeys(STATUSES, 0)
    for m in measures:
        counts[m.status] = counts.get(m.status, 0) + 1
    return PeriodLearning(
        points=tuple(PeriodPoint(p.id, p.title, p.description,
                                 tuple(r.deviation_id for r in linked if r.learning_id == p.id),
                                 tuple(by_point.get(p.id, ()))) for p in points),
        by_status=counts)
