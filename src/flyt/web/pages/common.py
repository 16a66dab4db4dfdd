"""What the pages share: the cut-off and month a request asks for, the figures a user
may see (one code path for every role), and a small cache of gathered results."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Query, status

from flyt.config import Settings
from flyt.domain.months import month_start, parse_moment, parse_month
from flyt.engine import compute as engine
from flyt.engine import moments
from flyt.reports.data import MonthlyData, gather
from flyt.store.db import Database
from flyt.web.deps import AppSettings, CurrentUser, Db, User
from flyt.web.freshness import Memo

CACHE_SIZE = 64
log = logging.getLogger(__name__)


# New cut-offs a user may have computed per hour (a result set is seconds of work and
# megabytes stored); the default cut-off and stored ones cost nothing and are not counted.
NEW_CUTOFFS_PER_HOUR = {"admin": 30, "analyst": 30, "municipality": 6, "reader": 6}
_defaults = Memo(4)


class Quota:
    """At most ``limit(key)`` events per key within ``window`` seconds (in memory)."""

    def __init__(self, window: float = 3600, clock: Callable[[], float] = time.monotonic):
        self.window, self.clock = window, clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, limit: int) -> bool:
        """Count one event for ``key`` if the limit allows it; False when it does not."""
        with self._lock:
            now = self.clock()
            for k in [k for k, e in self._events.items() if e and e[-1] <= now - self.window]:
                del self._events[k]  # forget quiet keys: memory stays bounded
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= limit:
                return False
            events.append(now)
            return True


_new_cutoffs = Quota()


def default_cutoff(db: Database) -> datetime:
    """The data as of now (flyt.engine.moments), looked up once a minute per data stamp."""
    at = moments.now()
    return _defaults.get(db, (at.replace(second=0, microsecond=0),),
                         lambda: moments.default_cutoff(db, at))


def cutoff_query(user: CurrentUser, db: Db, settings: AppSettings, cutoff: Annotated[
        str | None, Query(description="Data as of this moment (YYYY-MM-DD; analysts also "
                                      "YYYY-MM-DDTHH:MM). Default: now, the newest data.")]
        = None) -> datetime:
    """The cut-off asked for, bounded: a day for users who see the shared edition (the
    hospital's analysts may give a minute), never in the future, and at most
    NEW_CUTOFFS_PER_HOUR not yet computed per user."""
    if not cutoff:
        return default_cutoff(db)
    try:
        moment = parse_moment(cutoff)
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from None
    if not user.sees_exact:
        moment = moments.start_of_day(moment)
    if moment > moments.now():
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY,
                            f"the cut-off {cutoff} is in the future")
    if not engine.is_current(db, moment, settings.goals):
        allowed = NEW_CUTOFFS_PER_HOUR.get(user.role, 6)
        if not _new_cutoffs.take(user.name, allowed):
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                                f"at most {allowed} new cut-offs an hour: use one computed "
                                "before, or the default (now)")
    return moment


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
    """The month asked for, else the last complete month before the cut-off."""
    return month_start(month) if month else moments.last_complete_month(cutoff)


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


WARM_SECONDS = 60


def keep_warm(db: Database, settings: Settings, stop: threading.Event) -> None:
    """For `flyt serve`, in a thread of its own: the results of the default cut-off (the
    data as of now) computed before a visitor asks — at start, after an import made by
    another process, and when a day begins; looked at once a minute (cheap while nothing
    changed: the data stamp and the stored result set say so)."""
    while not stop.is_set():
        try:
            ensure_results(db, settings, default_cutoff(db))
        except Exception:  # a page will try again and show the error; keep serving
            log.exception("could not compute the current results ahead of the visitors")
        stop.wait(WARM_SECONDS)


def municipality_name(data: MonthlyData, code: str) -> str:
    found = next((m for m in data.municipalities if m.code == code), None)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"unknown municipality {code}")
    return found.name
