"""The moments a user means when they give none — one rule for every command and page.

* **Cut-off: the data as of now.** Results at a cut-off depend on the events at or
  before it and on its calendar date, so "now" gives the same numbers as the latest
  of: 00:00 today, the newest event at or before now, the newest import. That moment
  is the default cut-off: it names what the numbers are built on, it changes only
  when data arrive or a day begins (so it is computed once, not every minute), and
  every import so far lies before it.
* **Month: the last complete month** before the cut-off.

Local wall-clock time in Europe/Oslo, as the data are given.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from flyt.domain import clock
from flyt.domain.months import add_months, month_start
from flyt.store import schema
from flyt.store.db import Database

# (table, column) of every moment that decides a KPI result.
_EVENTS = (
    (schema.stays, "admitted_at"), (schema.stays, "ready_at"),
    (schema.stays, "discharged_at"), (schema.ukp_periods, "ready_from"),
    (schema.ukp_periods, "ready_to"), (schema.short_stays, "started_at"),
    (schema.short_stays, "ended_at"),
)


def now() -> datetime:
    """Now in Europe/Oslo without a time zone (as the data are given): flyt.domain.clock."""
    return clock.now()


def start_of_day(moment: datetime) -> datetime:
    return datetime(moment.year, moment.month, moment.day)


def default_cutoff(db: Database, at: datetime | None = None) -> datetime:
    """The data as of ``at`` (default now): see the module's docstring."""
    at = at or now()
    i = schema.imports.c
    with db.engine.connect() as conn:
        imported = conn.execute(sa.select(sa.func.max(i.finished_at)).where(
            i.status == "ok", i.finished_at <= at)).scalar()
    moments = [imported, newest_event(db, at)]
    return max([start_of_day(at), *[m for m in moments if m is not None]])


def newest_event(db: Database, at: datetime | None = None) -> datetime | None:
    """The newest admission, readiness, discharge or short-term start/end at or before
    ``at`` (default now); None in an empty store."""
    at = at or now()
    with db.engine.connect() as conn:
        found = [conn.execute(sa.select(sa.func.max(table.c[column]))
                              .where(table.c[column] <= at)).scalar()
                 for table, column in _EVENTS]
    known = [m for m in found if m is not None]
    return max(known) if known else None


def last_complete_month(cutoff: datetime) -> date:
    """The month before the cut-off's month (the cut-off's own is not complete)."""
    return add_months(month_start(cutoff.date()), -1)
