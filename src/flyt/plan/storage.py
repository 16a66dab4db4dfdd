"""The plan in the store (schema `plan_*`, migration 0016): read it whole, replace it
whole (an import) in one transaction, change a measure's or activity's fields with
optimistic concurrency, and the append-only history of status and comment changes.

A store whose plan is empty gets the default plan (flyt.plan.defaults) when the plan is
first read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from flyt.domain import clock
from flyt.ingest.errors import Text
from flyt.plan import defaults
from flyt.plan.errors import InvalidPlan, ItemNotFound, StaleVersion
from flyt.plan.model import Activity, Element, Measure, Plan, check
from flyt.store import schema
from flyt.store.db import Database

TRACKED = ("status", "comment")  # the fields whose every change is kept
# Model field → column, where they differ.
COLUMN = {"start": "start_on", "end": "end_on"}
ITEM_FIELDS = ("name", "description", "start", "end", "priority", "scope", "responsible",
               "done", "status", "comment")


@dataclass(frozen=True)
class Change:
    """One change of a status or comment, as kept in plan_history."""

    changed_at: datetime
    changed_by: str | None
    item_type: str  # measure | activity
    item_id: str
    field: str
    old: str | None
    new: str | None


# --- reading -------------------------------------------------------------------

def read_plan(db: Database) -> Plan:
    """The whole plan, the default one seeded first into a store without a plan."""
    with db.engine.connect() as conn:
        plan = _read(conn)
    if plan is not None:
        return plan
    try:
        replace_plan(db, defaults.default_plan(), who=None)
    except sa.exc.IntegrityError:  # another process seeded it meanwhile
        pass
    with db.engine.connect() as conn:
        return _read(conn) or defaults.default_plan()


def _read(conn: sa.Connection) -> Plan | None:
    vision = conn.execute(sa.select(schema.plan_vision.c.text)).scalar()
    if vision is None:
        return None
    links: dict[str, list[str]] = {}
    link = schema.plan_links.c
    for row in conn.execute(sa.select(link.from_id, link.to_id).order_by(link.position)):
        links.setdefault(row.from_id, []).append(row.to_id)
    e = schema.plan_elements.c
    elements = tuple(
        Element(row.id, row.kind, row.text, row.kpi, tuple(links.get(row.id, ())))
        for row in conn.execute(sa.select(schema.plan_elements).order_by(e.position)))
    toc: dict[str, list[str]] = {}
    tc = schema.plan_measure_toc.c
    for row in conn.execute(sa.select(tc.measure_id, tc.element_id).order_by(tc.position)):
        toc.setdefault(row.measure_id, []).append(row.element_id)
    activities: dict[str, list[Activity]] = {}
    a = schema.plan_activities.c
    for row in conn.execute(sa.select(schema.plan_activities).order_by(a.position)):
        activities.setdefault(row.measure_id, []).append(Activity(**_item(row, Activity)))
    m = schema.plan_measures.c
    measures = tuple(
        Measure(**_item(row, Measure), toc=tuple(toc.get(row.id, ())),
                activities=tuple(activities.get(row.id, ())))
        for row in conn.execute(sa.select(schema.plan_measures).order_by(m.position)))
    return Plan(vision, elements, measures)


def _item(row: Any, kind: type) -> dict[str, Any]:
    names = [f.name for f in fields(kind) if f.name not in ("toc", "activities")]
    return {name: getattr(row, COLUMN.get(name, name)) for name in names}


# --- replacing the whole plan ----------------------------------------------------

def replace_plan(db: Database, plan: Plan, who: str | None) -> Plan:
    """Store `plan` in place of the one stored, all or nothing. A measure or activity
    keeps its version when unchanged, else gets the next; status and comment changes go
    into the history. InvalidPlan when the plan does not pass the model's checks."""
    problems = check(plan)
    if problems:
        raise InvalidPlan(Text.of("plan_invalid", count=len(problems), first=problems[0].text))
    now = clock.stamp()
    with db.engine.begin() as conn:
        old = _read(conn)
        before = {x.id: x for x in _items(old)} if old else {}
        for table in (schema.plan_links, schema.plan_elements, schema.plan_measure_toc,
                      schema.plan_activities, schema.plan_measures, schema.plan_vision):
            conn.execute(table.delete())
        conn.execute(schema.plan_vision.insert().values(
            id=1, text=plan.vision, version=1, updated_at=now, updated_by=who))
        _insert_elements(conn, plan.elements)
        stored = _insert_measures(conn, plan.measures, before, now, who)
        if old is not None:
            _record(conn, _changes(before, _items(Plan("", (), stored)), now, who))
    return replace(plan, measures=stored)


def _items(plan: Plan) -> Iterable[Measure | Activity]:
    for m in plan.measures:
        yield m
        yield from m.activities


def _content(x: Measure | Activity) -> tuple:
    return tuple(getattr(x, name, None) for name in ITEM_FIELDS) + (
        getattr(x, "toc", None), tuple(a.id for a in getattr(x, "activities", ())))


def _version(x: Measure | Activity, before: dict[str, Measure | Activity]) -> int:
    old = before.get(x.id)
    if old is None or type(old) is not type(x):
        return 1
    return old.version if _content(old) == _content(x) else old.version + 1


def _insert_elements(conn: sa.Connection, elements: tuple[Element, ...]) -> None:
    if not elements:
        return
    conn.execute(schema.plan_elements.insert(), [
        {"id": e.id, "kind": e.kind, "text": e.text, "kpi": e.kpi, "position": i}
        for i, e in enumerate(elements)])
    links = [{"from_id": e.id, "to_id": to, "position": j}
             for e in elements for j, to in enumerate(e.links)]
    if links:
        conn.execute(schema.plan_links.insert(), links)


def _row(x: Measure | Activity, position: int, now: datetime, who: str | None) -> dict:
    row = {COLUMN.get(n, n): getattr(x, n) for n in ITEM_FIELDS if hasattr(x, n)}
    return {**row, "id": x.id, "position": position, "version": x.version,
            "updated_at": now, "updated_by": who}


def _insert_measures(conn: sa.Connection, measures: tuple[Measure, ...],
                     before: dict[str, Measure | Activity], now: datetime,
                     who: str | None) -> tuple[Measure, ...]:
    stored: list[Measure] = []
    for m in measures:
        acts = tuple(replace(a, version=_version(a, before)) for a in m.activities)
        stored.append(replace(m, activities=acts, version=_version(m, before)))
    if stored:
        conn.execute(schema.plan_measures.insert(),
                     [_row(m, i, now, who) for i, m in enumerate(stored)])
    toc = [{"measure_id": m.id, "element_id": e, "position": j}
           for m in stored for j, e in enumerate(m.toc)]
    if toc:
        conn.execute(schema.plan_measure_toc.insert(), toc)
    rows = [{**_row(a, j, now, who), "measure_id": m.id}
            for m in stored for j, a in enumerate(m.activities)]
    if rows:
        conn.execute(schema.plan_activities.insert(), rows)
    return tuple(stored)


def _changes(before: dict[str, Measure | Activity], after: Iterable[Measure | Activity],
             now: datetime, who: str | None) -> list[Change]:
    out = []
    for x in after:
        old = before.get(x.id)
        for name in TRACKED:
            was = getattr(old, name) if old is not None else None
            if was != getattr(x, name) and (old is not None or getattr(x, name)):
                out.append(Change(now, who, _type(x), x.id, name, was or None,
                                  getattr(x, name) or None))
    return out


def _type(x: Measure | Activity) -> str:
    return "measure" if isinstance(x, Measure) else "activity"


def _record(conn: sa.Connection, changes: list[Change]) -> None:
    if changes:
        conn.execute(schema.plan_history.insert(), [
            {"changed_at": c.changed_at, "changed_by": c.changed_by,
             "item_type": c.item_type, "item_id": c.item_id, "field": c.field,
             "old_value": c.old, "new_value": c.new} for c in changes])


# --- changing one measure or activity --------------------------------------------

def update_item(db: Database, item_id: str, version: int, who: str | None,
                **changes: object) -> int:
    """Change fields (ITEM_FIELDS) of the measure or activity `item_id`, saved from
    `version`; returns the new version. StaleVersion when someone saved it since,
    ItemNotFound for an unknown id, InvalidPlan when the result breaks a check."""
    plan = read_plan(db)
    old = next((x for x in _items(plan) if x.id == item_id), None)
    if old is None:
        raise ItemNotFound(Text.of("plan_item_not_found", id=item_id))
    unknown = set(changes) - ({f.name for f in fields(old)} & set(ITEM_FIELDS))
    if unknown:  # a programming error: the pages offer only the item's own fields
        raise ValueError(f"{item_id} has no field {sorted(unknown)[0]}")
    if old.version != version:
        raise StaleVersion(Text.of("plan_stale", id=item_id))
    new = replace(old, **changes)  # type: ignore[arg-type]
    _check_changed(plan, new)
    table = schema.plan_measures if isinstance(old, Measure) else schema.plan_activities
    now = clock.stamp()
    values = {COLUMN.get(n, n): v for n, v in changes.items()}
    with db.engine.begin() as conn:
        done = conn.execute(table.update().where(
            table.c.id == item_id, table.c.version == version).values(
            **values, version=version + 1, updated_at=now, updated_by=who))
        if done.rowcount != 1:
            raise StaleVersion(Text.of("plan_stale", id=item_id))
        # The version matched, so the row still holds `old`: its values are the "from".
        _record(conn, _changes({item_id: old}, [new], now, who))
    return version + 1


def _check_changed(plan: Plan, new: Measure | Activity) -> None:
    def swap(m: Measure) -> Measure:
        if isinstance(new, Measure):
            return new if m.id == new.id else m
        return replace(m, activities=tuple(new if a.id == new.id else a
                                           for a in m.activities))
    problems = check(replace(plan, measures=tuple(swap(m) for m in plan.measures)))
    if problems:
        raise InvalidPlan(Text.of("plan_invalid", count=len(problems), first=problems[0].text))


def history(db: Database, item_id: str | None = None) -> list[Change]:
    """The changes kept, oldest first (of one item when given)."""
    h = schema.plan_history.c
    query = sa.select(schema.plan_history).order_by(h.changed_at, h.id)
    if item_id is not None:
        query = query.where(h.item_id == item_id)
    with db.engine.connect() as conn:
        return [Change(r.changed_at, r.changed_by, r.item_type, r.item_id, r.field,
                       r.old_value, r.new_value) for r in conn.execute(query)]
