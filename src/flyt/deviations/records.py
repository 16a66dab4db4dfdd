"""Deviations in the store: report one, read it with its history, move it through the
workflow. Every write is one transaction; a refusal stores nothing.

Optimistic concurrency: each deviation has a `version`, raised by every change. A
change names the version it was based on; the UPDATE only matches that version, so of
two writers with the same version exactly one wins (on PostgreSQL the second waits for
the first's row lock, then finds the version moved) and the other gets StaleVersion.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

import sqlalchemy as sa

from flyt.deviations import changes, codes, workflow
from flyt.deviations.errors import (
    DeviationNotFound,
    InvalidDeviation,
    StaleVersion,
)
from flyt.deviations.settings import DeviationSettings, load_deviation_settings
from flyt.domain import clock
from flyt.store import schema
from flyt.store.db import Database
from flyt.store.reference import packaged_organisations
from flyt.store.turns import advisory_key, local_lock

ID_PATTERN = re.compile(r"^AV-(\d{4})-(\d{5,})$")
# A national id is 11 digits; written with spaces, dots or hyphens it is still one.
_SEPARATORS = re.compile(r"[\s.\-]")
_ELEVEN_DIGITS = re.compile(r"\d{11}")


@dataclass(frozen=True)
class NewDeviation:
    """What a reporter gives (spec/deviations.md, "A deviation")."""

    reporter_org: str
    receiver_orgs: Sequence[str]
    occurred_at: date | datetime
    category: str
    severity: str
    level: str
    summary: str
    agreement_clause: str | None = None
    subcategory: str | None = None
    patient_ref: str | None = None
    place: str | None = None
    description: str | None = None
    immediate_action: str | None = None
    anonymous: bool = False


@dataclass(frozen=True)
class Event:
    version: int
    created_at: datetime
    user_id: int | None
    organisation: str | None
    from_status: str | None
    to_status: str
    comment: str | None
    answer: str | None
    reason: str | None


@dataclass(frozen=True)
class Deviation:
    id: str
    reporter_org: str
    receiver_orgs: tuple[str, ...]
    status: str
    version: int
    severity: str
    category: str
    level: str
    summary: str
    occurred_at: datetime
    occurred_has_time: bool
    reported_at: datetime
    source: str | None
    source_id: str | None
    reported_by: int | None
    agreement_clause: str | None
    subcategory: str | None
    patient_ref: str | None
    place: str | None
    description: str | None
    immediate_action: str | None
    anonymous: bool
    acknowledged_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    history: tuple[Event, ...] = field(default=())


def looks_like_national_id(text: str) -> bool:
    """11 digits in a row, spaces, dots and hyphens aside."""
    return bool(_ELEVEN_DIGITS.search(_SEPARATORS.sub("", text)))


def _text(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


@cache
def _organisations() -> frozenset[str]:
    return frozenset(o.org_id for o in packaged_organisations())


def checked(new: NewDeviation,
             settings: DeviationSettings) -> tuple[dict[str, object], list[str]]:
    """The row's values and the receivers, or InvalidDeviation for the first field that
    is wrong (public for the import, which checks every row before it writes any)."""
    known = _organisations()
    if new.reporter_org not in known:
        raise InvalidDeviation("dev_unknown_org", org=new.reporter_org)
    receivers = list(dict.fromkeys(r.strip() for r in new.receiver_orgs))
    if not receivers:
        raise InvalidDeviation("dev_no_receiver")
    for org in receivers:
        if org not in known:
            raise InvalidDeviation("dev_unknown_org", org=org)
        if org == new.reporter_org:
            raise InvalidDeviation("dev_receiver_is_reporter", org=org)
    level = codes.parse_level(new.level)
    clause = _text(new.agreement_clause)
    if level == "system" and clause is None:
        raise InvalidDeviation("dev_clause_required")
    summary = _text(new.summary)
    if summary is None:
        raise InvalidDeviation("dev_summary_required")
    patient_ref = _text(new.patient_ref)
    if patient_ref is not None and looks_like_national_id(patient_ref):
        raise InvalidDeviation("dev_patient_ref_national_id")
    has_time = isinstance(new.occurred_at, datetime)
    occurred = (new.occurred_at if isinstance(new.occurred_at, datetime)
                else datetime.combine(new.occurred_at, datetime.min.time()))
    return {
        "reporter_org": new.reporter_org,
        "occurred_at": clock.wall_clock(occurred), "occurred_has_time": has_time,
        "category": codes.parse_category(new.category, settings.categories),
        "subcategory": _text(new.subcategory),
        "severity": codes.parse_severity(new.severity), "level": level,
        "agreement_clause": clause, "patient_ref": patient_ref, "place": _text(new.place),
        "summary": summary, "description": _text(new.description),
        "immediate_action": _text(new.immediate_action), "anonymous": bool(new.anonymous),
    }, receivers


def _year_sequence(db: Database, year: int) -> sa.Sequence:
    """The year's number sequence, made the first time the year is used. Made in a
    transaction of its own under a lock every writer takes, so two first reports of a
    year at once do not both try to create it."""
    sequence = sa.Sequence(f"deviation_numbers_{year}")
    name = f"deviation numbers {year}"
    with local_lock(name), db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(advisory_key(name))))
        conn.execute(sa.schema.CreateSequence(sequence, if_not_exists=True))
        if db.engine.dialect.name == "postgresql":
            # Owned by the table, so TRUNCATE … RESTART IDENTITY restarts it and DROP
            # TABLE drops it (DuckDB has no OWNED BY).
            conn.execute(sa.text(f"ALTER SEQUENCE {sequence.name} OWNED BY deviations.id"))
    return sequence


def format_id(year: int, number: int) -> str:
    return f"AV-{year}-{number:05d}"


@dataclass(frozen=True)
class Prepared:
    """A checked new deviation, its year's number sequence made, ready to `insert`."""

    values: dict[str, object]
    receivers: list[str]
    sequence: sa.Sequence
    reported_at: datetime
    status: str
    imported: bool


def prepare(db: Database, new: NewDeviation, *, settings: DeviationSettings | None = None,
            source: str | None = None, source_id: str | None = None,
            reported_at: datetime | None = None, status: str | None = None) -> Prepared:
    """Check `new` (InvalidDeviation for the first wrong field) and make its year's
    sequence. `reported_at` and `status`: an imported deviation's own (default: now,
    meldt)."""
    values, receivers = checked(new, settings or load_deviation_settings())
    if (source is None) != (source_id is None):
        raise InvalidDeviation("dev_source_pair")
    at = clock.stamp() if reported_at is None else clock.wall_clock(reported_at)
    sequence = _year_sequence(db, at.year)
    if source is not None and _imported(db, source, source_id):
        raise InvalidDeviation("dev_source_taken", source=source, source_id=source_id)
    values = {**values, "source": source, "source_id": source_id}
    return Prepared(values, receivers, sequence, at,
                    "meldt" if status is None else codes.parse_status(status),
                    imported=reported_at is not None or status is not None)


# The fields the list's free text searches, in this order (migration 0015 made the
# column for the rows before it the same way, with SQL's concat_ws and lower).
SEARCHED = ("summary", "description", "immediate_action", "place", "agreement_clause")


def search_text(deviation_id: str, values: Mapping[str, object]) -> str:
    """The deviation's searchable text in lower case (deviations.search_text)."""
    parts = [deviation_id, *(values.get(name) for name in SEARCHED)]
    return " ".join(str(p) for p in parts if p is not None).lower()


def insert(conn: sa.Connection, prepared: Prepared, *, user_id: int | None) -> str:
    """Store a prepared deviation in the caller's transaction; its id. Its history starts
    with the report (or, for one imported with its own time or status, "imported")."""
    return insert_many(conn, [prepared], user_id=user_id)[0]


def insert_many(conn: sa.Connection, items: Sequence[Prepared], *,
                user_id: int | None) -> list[str]:
    """`insert` for many at once (an import): a few statements, not three a deviation."""
    ids = [format_id(p.reported_at.year, number)
           for p, number in zip(items, _numbers(conn, items), strict=True)]
    if not ids:
        return ids
    conn.execute(schema.deviations.insert(), [
        {"id": i, "reported_by": user_id, "reported_at": p.reported_at, "status": p.status,
         "version": 1, **p.values, "search_text": search_text(i, p.values)}
        for i, p in zip(ids, items, strict=True)])
    conn.execute(schema.deviation_receivers.insert(), [
        {"deviation_id": i, "org_id": org}
        for i, p in zip(ids, items, strict=True) for org in p.receivers])
    at = clock.stamp()
    conn.execute(schema.deviation_events.insert(), [
        {"deviation_id": i, "version": 1,
         "created_at": at if p.imported else p.reported_at, "user_id": user_id,
         "organisation": p.values["reporter_org"], "from_status": None,
         "to_status": p.status, "comment": IMPORTED if p.imported else None}
        for i, p in zip(ids, items, strict=True)])
    return ids


def _numbers(conn: sa.Connection, items: Sequence[Prepared]) -> list[int]:
    """The next number of each item's year sequence, in the items' order (one query a
    year, rising within it)."""
    wanted: dict[str, list[int]] = {}
    sequences: dict[str, sa.Sequence] = {}
    for i, p in enumerate(items):
        wanted.setdefault(p.sequence.name, []).append(i)
        sequences[p.sequence.name] = p.sequence
    numbers = [0] * len(items)
    for name, places in wanted.items():
        drawn = conn.execute(sa.select(sequences[name].next_value())
                             .select_from(sa.func.generate_series(1, len(places))))\
            .scalars().all()
        for place, number in zip(places, sorted(int(n) for n in drawn), strict=True):
            numbers[place] = number
    return numbers


IMPORTED = "imported"  # the comment of an imported deviation's first event


def create(db: Database, new: NewDeviation, *, user_id: int | None,
           settings: DeviationSettings | None = None, source: str | None = None,
           source_id: str | None = None, reported_at: datetime | None = None,
           status: str | None = None) -> Deviation:
    """Report a new deviation (status meldt, version 1, reported now by the clock). An
    imported one may keep its own `reported_at` and `status`; its first event is then
    "imported" (made now)."""
    prepared = prepare(db, new, settings=settings, source=source, source_id=source_id,
                       reported_at=reported_at, status=status)
    with db.engine.begin() as conn:
        deviation_id = insert(conn, prepared, user_id=user_id)
    changes.changed()  # after the commit: a list made meanwhile must not be kept
    return get(db, deviation_id)


def _imported(db: Database, source: str, source_id: str | None) -> bool:
    d = schema.deviations.c
    with db.engine.connect() as conn:
        return conn.execute(sa.select(d.id).where(d.source == source,
                                                  d.source_id == source_id)).first() is not None


def get(db: Database, deviation_id: str) -> Deviation:
    """The deviation with its receivers and history; DeviationNotFound if none."""
    d, r, e = schema.deviations.c, schema.deviation_receivers.c, schema.deviation_events.c
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(schema.deviations).where(d.id == deviation_id)).first()
        if row is None:
            raise DeviationNotFound("dev_not_found", id=deviation_id)
        receivers = conn.execute(sa.select(r.org_id).where(r.deviation_id == deviation_id)
                                 .order_by(r.org_id)).scalars().all()
        events = conn.execute(sa.select(e.version, e.created_at, e.user_id, e.organisation,
                                        e.from_status, e.to_status, e.comment, e.answer,
                                        e.reason)
                              .where(e.deviation_id == deviation_id)
                              .order_by(e.version)).all()
    values = dict(row._mapping)
    del values["search_text"]  # the list's search column, not a field
    return Deviation(receiver_orgs=tuple(receivers),
                     history=tuple(Event(**ev._mapping) for ev in events), **values)


def side_of(item: Deviation, organisation: str | None) -> workflow.Side:
    """The side `organisation` acts on (None: the system). An organisation that is
    neither reporter nor receiver may not see the deviation: DeviationNotFound."""
    if organisation is None:
        return "system"
    if organisation == item.reporter_org:
        return "reporter"
    if organisation in item.receiver_orgs:
        return "receiver"
    raise DeviationNotFound("dev_not_found", id=item.id)


# The timestamp column each status sets (the latest time it was reached).
_STAMPS = {"mottatt": "acknowledged_at", "besvart": "answered_at", "lukket": "closed_at"}


def transition(db: Database, deviation_id: str, to: str, *, version: int,
               organisation: str | None, user_id: int | None, comment: str | None = None,
               answer: str | None = None, reason: str | None = None) -> Deviation:
    """Move the deviation to `to` on behalf of `organisation` (None: the system), based
    on `version`. Refused, with nothing changed: DeviationNotFound, TransitionRefused,
    StaleVersion."""
    d = schema.deviations.c
    current = get(db, deviation_id)
    if current.version != version:
        raise StaleVersion("dev_stale_version", id=deviation_id, given=version,
                           current=current.version)
    workflow.check(current.status, to, side_of(current, organisation),
                   answer=answer, reason=reason)
    at = clock.stamp()
    stamps = {_STAMPS[to]: at} if to in _STAMPS else {}
    try:
        with db.engine.begin() as conn:
            moved = conn.execute(
                schema.deviations.update()
                .where(d.id == deviation_id, d.version == version)
                .values(status=to, version=version + 1, **stamps)
                .returning(d.version)).first()
            if moved is None:  # another writer's step came first
                now_at = conn.execute(sa.select(d.version).where(d.id == deviation_id))
                raise StaleVersion("dev_stale_version", id=deviation_id, given=version,
                                   current=now_at.scalar_one())
            conn.execute(schema.deviation_events.insert().values(
                deviation_id=deviation_id, version=version + 1, created_at=at,
                user_id=user_id, organisation=organisation, from_status=current.status,
                to_status=to, comment=_text(comment), answer=_text(answer),
                reason=_text(reason)))
    except sa.exc.DBAPIError as error:
        # DuckDB does not wait for a row another open transaction changed: it refuses
        # the second writer with a conflict, which here means the same as a lost race.
        if db.engine.dialect.name == "duckdb" and "conflict" in str(error.orig).lower():
            raise StaleVersion("dev_stale_version", id=deviation_id, given=version,
                               current=get(db, deviation_id).version) from None
        raise
    changes.changed()  # after the commit
    return get(db, deviation_id)


def reported_or_received(organisation: str) -> sa.ColumnElement[bool]:
    """The deviations an organisation reported or received: the one rule of who sees a
    deviation in full (flyt.deviations.access). (An OR with IN: PostgreSQL hashes the
    receivers once; a UNION of two index lookups measured 2.5× slower.)"""
    d, r = schema.deviations.c, schema.deviation_receivers.c
    received = sa.select(r.deviation_id).where(r.org_id == organisation)
    return sa.or_(d.reporter_org == organisation, d.id.in_(received))


def visible_ids(db: Database, organisation: str) -> list[str]:
    """The deviations `organisation` reported or received, newest first."""
    d = schema.deviations.c
    with db.engine.connect() as conn:
        return list(conn.execute(
            sa.select(d.id).where(reported_or_received(organisation))
            .order_by(d.reported_at.desc(), d.id.desc())).scalars())
