"""What a signed-in user (on a page, or a machine through the API) does with deviations,
each step checked against who may do it and written to the audit log: report one, read
one, move one through the workflow, list them. The pages and `/api/avvik` call these and
nothing below them, so both keep the same rules.

Audit actions: ``deviation.create``, ``deviation.read``, ``deviation.status``,
``deviation.list`` (target: the id, or the filters of a list). A refusal is not audited
as a change (nothing changed) and a read that is refused reveals nothing (404).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from flyt.accounts import User, audit, users
from flyt.deviations import access, answer_mail, listing, records
from flyt.deviations.errors import DeviationNotFound, InvalidDeviation, TransitionRefused
from flyt.deviations.records import Deviation, NewDeviation
from flyt.deviations.settings import DeviationSettings, load_deviation_settings
from flyt.store.db import Database


def user_id(db: Database, user: User) -> int | None:
    """The stored user's id (None for a user that is not stored, e.g. in tests)."""
    record = users.known(db, user.name)
    return record.id if record else None


def report(db: Database, user: User, new: NewDeviation, *, ip: str | None = None,
           settings: DeviationSettings | None = None) -> Deviation:
    """Report `new` for the user's own organisation (status meldt)."""
    if user.organisation is None:
        raise InvalidDeviation("dev_no_organisation", user=user.name)
    if new.reporter_org != user.organisation:
        raise InvalidDeviation("dev_not_own_organisation", given=new.reporter_org,
                               own=user.organisation)
    item = records.create(db, new, user_id=user_id(db, user),
                          settings=settings or load_deviation_settings())
    audit.record(db, user, "deviation.create", item.id,
                 f"{item.reporter_org}->{';'.join(item.receiver_orgs)}", ip)
    return item


def read(db: Database, user: User, deviation_id: str, *, ip: str | None = None) -> Deviation:
    """The deviation as `user` may see it (DeviationNotFound otherwise); audited."""
    try:
        item = access.get_for(db, deviation_id, user)
    except DeviationNotFound:
        # The id a user typed is not echoed into the log unbounded.
        audit.record(db, user, "deviation.read.refused", deviation_id[:40], ip=ip)
        raise
    audit.record(db, user, "deviation.read", item.id, ip=ip)
    return item


def change(db: Database, user: User, deviation_id: str, to: str, *, version: int,
           comment: str | None = None, answer: str | None = None,
           reason: str | None = None, ip: str | None = None,
           site: str | None = None) -> Deviation:
    """Move the deviation to `to` for the user's organisation, based on `version`.
    Refused with nothing changed: DeviationNotFound (not the user's to see or act on),
    TransitionRefused, StaleVersion. An answer (besvart) is mailed to the reporter
    (answer_mail; `site`: the address the deviation's link in it starts with)."""
    current = access.get_for(db, deviation_id, user)  # 404 before anything else
    if user.organisation not in (current.reporter_org, *current.receiver_orgs):
        # Seeing is not acting: the improvement group reads every deviation, and a user
        # of no organisation would otherwise act as the system.
        raise TransitionRefused("devcase_not_a_party", id=current.id)
    moved = records.transition(db, current.id, to, version=version,
                               organisation=user.organisation, user_id=user_id(db, user),
                               comment=comment, answer=answer, reason=reason)
    audit.record(db, user, "deviation.status", moved.id,
                 f"{current.status}->{moved.status} v{moved.version}", ip)
    if moved.status == "besvart":
        answer_mail.tell_reporter(db, moved, site=site)  # never fails the stored step
    return access.as_seen_by(moved, user)


def search(db: Database, user: User, filters: listing.Filters, *, on: date,
           offset: int = 0, limit: int = listing.PAGE_SIZE, ip: str | None = None,
           settings: DeviationSettings | None = None) -> listing.Page:
    """The list `user` may see; the filters asked for are on record."""
    page = listing.search(db, user, filters, on=on,
                          settings=settings or load_deviation_settings(),
                          offset=offset, limit=limit)
    # The free text may hold a name: the log says that one was given, not what it was.
    asked = ";".join(f"{k}={'…' if k == 'text' else v}" for k, v in asdict(filters).items()
                     if v not in (None, False, ""))
    audit.record(db, user, "deviation.list", f"{page.total} hits", asked[:500], ip)
    return page
