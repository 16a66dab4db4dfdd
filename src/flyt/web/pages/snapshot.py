"""Øyeblikksbilde: the UKP patients in hospital at a moment (now by default), per
municipality, the Monday/Thursday snapshots before it, and the after-care beds.

The same numbers as `flyt snapshot` and the snapshot report (flyt.reports.snapshot),
with the report's disclosure control for readers and a municipality's own line exact.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status

from flyt.config import Settings
from flyt.domain.months import parse_moment, previous_snapshot
from flyt.engine import moments
from flyt.engine.snapshot import Snapshot, take
from flyt.reports import snapshot as report
from flyt.store.db import Database
from flyt.web.deps import AppSettings, CurrentUser, Db
from flyt.web.freshness import Memo
from flyt.web.pages import formats, page  # noqa: F401  (formats: the template filters)
from flyt.web.pages.common import edition_name

router = APIRouter()
HISTORY = 8  # snapshots before the one shown: four weeks of Mondays and Thursdays
# Pictures change only with an import (freshness): "now" is a new key each minute.
# The snapshots themselves are kept apart from the editions shown of them, so that the
# first visitors of a minute, whatever their role, share one query.
_pages = Memo(256)
_shots = Memo(512)


def shot(db: Database, at: datetime) -> Snapshot:
    return _shots.get(db, (at,), lambda: take(db, at))


def past_totals(db: Database, at: datetime) -> dict:
    """The totals of one earlier snapshot (exact: totals are the whole community)."""
    past = shot(db, at)
    return {"at": at.isoformat(timespec="minutes"), "total": past.total,
            "at_hospital": past.at_hospital, "utlokalisert": past.utlokalisert}


@page(router, "/snapshot", "snapshot.html.j2", title="snapshot")
def snapshot(user: CurrentUser, db: Db, settings: AppSettings,
             at: Annotated[str | None, Query(description="The moment (YYYY-MM-DDTHH:MM). "
                                                         "Default: now.")] = None) -> dict:
    try:
        moment = parse_moment(at) if at else moments.now().replace(second=0, microsecond=0)
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from None
    own = user.own_municipality
    edition = edition_name(user)  # names the municipality and whether figures are exact
    return _pages.get(db, (moment, edition), lambda: picture(
        db, settings, moment, own, user.sees_exact) | {"edition": edition})


def picture(db: Database, settings: Settings, moment: datetime, own: str | None,
            exact: bool) -> dict:
    built = report.build(db, settings, moment, own, shoot=lambda at: shot(db, at))
    if exact:  # a threshold of 1: no count is small, so no line is hidden
        built.threshold = 1
    now = built.now.as_dict()
    history, before = [], moment
    for _ in range(HISTORY):
        before = previous_snapshot(before)
        history.append(past_totals(db, before))
    return {
        "at": now["at"], "threshold": built.threshold,
        "total": now["total"], "at_hospital": now["at_hospital"],
        "utlokalisert": now["utlokalisert"], "change": built.now.total - built.before.total,
        "before": built.before.at.isoformat(timespec="minutes"),
        "municipalities": [asdict(line) for line in built.lines()],
        "aftercare": now["aftercare"], "history": history,
    }
