"""The escalation plans kept (table ``escalation_plans``, one row per municipality).

A save names the version it was made from (0: no plan yet) and is refused (StalePlan)
when someone saved since: the row is updated only where its version still matches, and
a first plan is inserted only where none exists, so of two editors the second learns it.
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from flyt.capacity.plans import CONTACT_FIELDS, LEVELS, Contact, EscalationPlan, StalePlan, check
from flyt.domain import clock
from flyt.ingest.errors import Text
from flyt.store import schema
from flyt.store.db import Database

T = schema.escalation_plans
_ACTION_COLUMNS = tuple(f"actions_level_{level}" for level in LEVELS)


def _plan(row: sa.Row) -> EscalationPlan:
    contacts = tuple(Contact(**{f: str(c.get(f, "")) for f in CONTACT_FIELDS})
                     for c in json.loads(row.contacts))
    return EscalationPlan(
        row.municipality, actions=tuple(getattr(row, c) for c in _ACTION_COLUMNS),
        contacts=contacts, lendable_short_term_beds=row.lendable_short_term_beds,
        note=row.note, version=row.version, updated_at=row.updated_at,
        updated_by=row.updated_by)


def read(db: Database, municipality: str) -> EscalationPlan:
    """The municipality's plan; an empty one (version 0) when none is stored."""
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(T).where(T.c.municipality == municipality)).first()
    return _plan(row) if row is not None else EscalationPlan(municipality)


def read_all(db: Database) -> dict[str, EscalationPlan]:
    """Every stored plan by kommunenummer."""
    with db.engine.connect() as conn:
        return {r.municipality: _plan(r) for r in conn.execute(sa.select(T))}


def save(db: Database, plan: EscalationPlan, version: int, who: str | None) -> int:
    """Store `plan` for its municipality, made from `version`; the new version.
    StalePlan when the stored version is not `version` any more."""
    check(plan)
    values = {
        **dict(zip(_ACTION_COLUMNS, plan.actions, strict=True)),
        "contacts": json.dumps([{f: getattr(c, f) for f in CONTACT_FIELDS}
                                for c in plan.contacts], ensure_ascii=False),
        "lendable_short_term_beds": plan.lendable_short_term_beds, "note": plan.note,
        "version": version + 1, "updated_at": clock.stamp(), "updated_by": who}
    stale = StalePlan(Text.of("escplan_stale", municipality=plan.municipality))
    with db.engine.begin() as conn:
        exists = conn.execute(sa.select(T.c.version).where(
            T.c.municipality == plan.municipality)).first()
        if version == 0 and exists is None:
            try:
                conn.execute(sa.insert(T).values(municipality=plan.municipality, **values))
            except sa.exc.IntegrityError:  # created by someone else just now
                raise stale from None
        else:
            done = conn.execute(sa.update(T).where(T.c.municipality == plan.municipality,
                                                   T.c.version == version).values(**values))
            if done.rowcount != 1:
                raise stale
    return version + 1
