"""What the pages share: the cut-off and month a request asks for, the figures a user
may see (one code path for every role), and a small cache of gathered results."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date, datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, HTTPException, Query, status

from flyt.config import Settings
from flyt.domain.months import add_months, default_cutoff, month_start, parse_moment, parse_month
from flyt.engine import compute as engine
from flyt.reports.data import MonthlyData, gather
from flyt.store import schema
from flyt.store.db import Database
from flyt.web.deps import User

CACHE_SIZE = 64


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


def require(user: User, *roles: str) -> None:
    if user.role not in roles:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "not for your role")


def edition(user: User) -> dict[str, str | bool | None]:
    """What `gather` gives this user: analysts everything exact, a municipality its own
    rows exact beside the shared figures, a reader the shared figures."""
    return {"exact": user.sees_exact,
            "municipality": user.municipality if user.role == "municipality" else None}


def edition_name(user: User) -> str:
    if user.sees_exact:
        return "exact"
    return f"municipality:{user.municipality}" if user.role == "municipality" else "shared"


_cache: OrderedDict[tuple, MonthlyData] = OrderedDict()
_lock = threading.Lock()


def figures(db: Database, settings: Settings, user: User, month: date,
            cutoff: datetime) -> MonthlyData:
    """The KPI records the user may see, read from the stored results (computed once
    per cut-off by the engine). Kept per data version: disclosure control over three
    years of rows is the costly part of a page, and it only changes with an import."""
    options = edition(user)
    key = (stored_version(db, settings, cutoff), month_start(month), options["exact"],
           options["municipality"])
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    data = gather(db, settings, month, cutoff, options["municipality"],  # type: ignore[arg-type]
                  exact=bool(options["exact"]))
    with _lock:
        _cache[key] = data
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return data


def stored_version(db: Database, settings: Settings, cutoff: datetime) -> tuple:
    """What identifies the stored results of a cut-off: computed first if missing or
    stale; a recomputation (after an import) gives a new `computed_at`."""
    engine.ensure(db, cutoff, settings.goals)
    r = schema.result_sets.c
    with db.engine.connect() as conn:
        computed_at = conn.execute(sa.select(r.computed_at).where(r.cutoff == cutoff)).scalar()
    return (str(db.engine.url), cutoff, computed_at)


def municipality_name(data: MonthlyData, code: str) -> str:
    found = next((m for m in data.municipalities if m.code == code), None)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"unknown municipality {code}")
    return found.name
