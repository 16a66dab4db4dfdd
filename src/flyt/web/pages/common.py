"""What the pages share: the cut-off and month a request asks for, the figures a user
may see (one code path for every role), and a small cache of gathered results."""

from __future__ import annotations

import logging
import threading
from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Query, status

from flyt.config import Settings
from flyt.domain.months import add_months, default_cutoff, month_start, parse_moment, parse_month
from flyt.engine import compute as engine
from flyt.reports.data import MonthlyData, gather
from flyt.store.db import Database
from flyt.web.deps import User
from flyt.web.freshness import Memo

CACHE_SIZE = 64
log = logging.getLogger(__name__)


def cutoff_query(cutoff: Annotated[str | None, Query(
        description="Data as of this moment (YYYY-MM-DD or YYYY-MM-DDTHH:MM). "
                    "Default: 00:00 today.")] = None) -> datetime:
    if not cutoff:
        return default_cutoff()
    try:
        return parse_moment(cutoff)
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from None


def month_query(month: Annotated[str | None, Query(
        description="The month (YYYY-MM). Default: the month before the cut-off.")] = None
        ) -> date | None:
    if not month:
        return None
    try:
        return parse_month(month)
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from None


Cutoff = Annotated[datetime, Depends(cutoff_query)]
Month = Annotated[date | None, Depends(month_query)]


def report_month(month: date | None, cutoff: datetime) -> date:
    return month_start(month) if month else add_months(month_start(cutoff.date()), -1)


def edition(user: User) -> dict[str, str | bool | None]:
    """What `gather` gives this user: analysts everything exact, a municipality its own
    rows exact beside the shared figures, a reader the shared figures."""
    return {"exact": user.sees_exact,
            "municipality": user.own_municipality}


def edition_name(user: User) -> str:
    if user.sees_exact:
        return "exact"
    return f"municipality:{user.own_municipality}" if user.own_municipality else "shared"


_figures = Memo(CACHE_SIZE)
_results = Memo(CACHE_SIZE)
# One computation at a time: two new cut-offs asked for at once would otherwise write
# the result tables concurrently (a conflict on DuckDB).
_computing = threading.Lock()


def figures(db: Database, settings: Settings, user: User, month: date,
            cutoff: datetime) -> MonthlyData:
    """The KPI records the user may see, read from the stored results (computed once
    per cut-off by the engine). Kept per data stamp: disclosure control over three
    years of rows is the costly part of a page, and it only changes with an import."""
    options = edition(user)
    ensure_results(db, settings, cutoff)
    return _figures.get(
        db, (cutoff, month_start(month), options["exact"], options["municipality"]),
        lambda: gather(db, settings, month, cutoff,
                       options["municipality"],  # type: ignore[arg-type]
                       exact=bool(options["exact"])))


def ensure_results(db: Database, settings: Settings, cutoff: datetime) -> None:
    """The stored results of a cut-off, computed first if missing or stale (checked
    once per data stamp)."""
    def ensure() -> bool:
        with _computing:
            engine.ensure(db, cutoff, settings.goals)
        return True

    _results.get(db, (cutoff, engine.goals_key(settings.goals)), ensure)


def keep_warm(db: Database, settings: Settings, stop: threading.Event) -> None:
    """For `flyt serve`, in a thread of its own: today's results computed before the
    first visitor asks, and again just after each midnight (a new default cut-off)."""
    while not stop.is_set():
        try:
            ensure_results(db, settings, default_cutoff())
        except Exception:  # a page will try again and show the error; keep serving
            log.exception("could not compute today's results ahead of the first visitor")
        now = datetime.now()
        midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
        stop.wait((midnight - now).total_seconds() + 5)


def municipality_name(data: MonthlyData, code: str) -> str:
    found = next((m for m in data.municipalities if m.code == code), None)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"unknown municipality {code}")
    return found.name
