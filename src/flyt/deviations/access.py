"""Who sees which deviation (spec/deviations.md, "Who sees what").

* The reporter's and the receivers' organisations: their own deviations, in full.
* The improvement group (role `improvement`): every deviation, without `patient_ref`
  and without the reporter person (`without_reporter_details`).
* Everyone else (other organisations, a reader without one): nothing. A deviation one
  may not see is "not found" (DeviationNotFound, 404): its existence is not revealed.

`may_see` and `as_seen_by` are pure; `visible_clause` is the same rule as a condition
on the store (the list page and the API), `visible_to` asks the store with it.
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from flyt.accounts import User
from flyt.deviations import records
from flyt.deviations.errors import DeviationNotFound
from flyt.deviations.records import Deviation
from flyt.store import schema
from flyt.store.db import Database

IMPROVEMENT = "improvement"


def sees_every_deviation(user: User) -> bool:
    return user.role == IMPROVEMENT


def may_see(item: Deviation, user: User) -> bool:
    """Whether `user` may see `item` at all."""
    if sees_every_deviation(user):
        return True
    own = user.organisation
    return own is not None and (own == item.reporter_org or own in item.receiver_orgs)


def without_reporter_person(item: Deviation) -> Deviation:
    """`item` without the person on the reporter's side (who reported it, who took its
    steps); the organisations stay."""
    history = tuple(dataclasses.replace(event, user_id=None)
                    if event.organisation == item.reporter_org else event
                    for event in item.history)
    return dataclasses.replace(item, reported_by=None, history=history)


def without_reporter_details(item: Deviation) -> Deviation:
    """`item` as the improvement group sees it: no `patient_ref`, and no person on the
    reporter's side."""
    return dataclasses.replace(without_reporter_person(item), patient_ref=None)


def as_seen_by(item: Deviation, user: User) -> Deviation:
    """`item` as `user` may see it, or DeviationNotFound. Its own organisations see it
    in full even when the user is also in the improvement group's role, except that a
    receiver never sees the person who reported an anonymous deviation."""
    own = user.organisation
    if own is not None and own == item.reporter_org:
        return item
    if own is not None and own in item.receiver_orgs:
        # An anonymous report hides the reporting person from the receiver (the spec).
        return without_reporter_person(item) if item.anonymous else item
    if sees_every_deviation(user):
        return without_reporter_details(item)
    raise DeviationNotFound("dev_not_found", id=item.id)


def visible_clause(user: User) -> sa.ColumnElement[bool] | None:
    """The deviations `user` may see as a condition on `deviations`; None: every one
    (the improvement group). The list page, its JSON twin and the API filter by it."""
    if sees_every_deviation(user):
        return None
    if user.organisation is None:
        return sa.false()
    return records.reported_or_received(user.organisation)


def visible_to(db: Database, user: User) -> list[str]:
    """The ids of the deviations `user` may see, newest first."""
    d = schema.deviations.c
    query = sa.select(d.id).order_by(d.reported_at.desc(), d.id.desc())
    where = visible_clause(user)
    if where is not None:
        query = query.where(where)
    with db.engine.connect() as conn:
        return list(conn.execute(query).scalars())


def get_for(db: Database, deviation_id: str, user: User) -> Deviation:
    """The deviation as `user` may see it; DeviationNotFound if none or not theirs."""
    return as_seen_by(records.get(db, deviation_id), user)
