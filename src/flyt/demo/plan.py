"""The demo's action plan: the default plan (from the seeds) with periods, some progress,
statuses and comments, so the plan's pages, timeline and meeting report have something to
show. The seeds give no dates («Dato - dato» in the template) and no statuses; all of
that here is the demo's own invention, dated relative to the demo's day so the picture
stays current: some activities done, two past their end (one yellow, one red by the
rules), one set yellow by hand, a few comments. Every comment starts with «Demo:».

Applied only while the stored plan is still the default one: a community's own plan is
never overwritten by `flyt demo`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from flyt.plan import defaults, storage
from flyt.plan.model import Activity, Measure, Plan
from flyt.store.db import Database

WHO = "flyt demo"


@dataclass(frozen=True)
class Progress:
    """An item's demo period (days from the demo's day), progress and set status."""

    start: int
    end: int
    done: bool = False
    status: str | None = None
    comment: str = ""


# Measures first, then activities; the days are relative to the demo's day (`today`).
PROGRESS: dict[str, Progress] = {
    "T1": Progress(-240, 180, comment="Demo: utkast til overordnet plan drøftet i "
                                      "kompetansegruppen; sesonglinjene skrives nå."),
    "T1.1": Progress(-240, -12),  # past its end, not done: yellow by the rules
    "T1.2": Progress(-120, 60),
    "T1.3": Progress(-60, 150),
    "T2": Progress(-300, -45, comment="Demo: seks av ti kommuner har levert lokal plan."),
    "T3": Progress(-200, 90),
    "T4": Progress(-420, 240, status="yellow",
                   comment="Demo: konseptfasen forsinket av ressurssituasjonen sommeren."),
    "T4.1": Progress(-420, -330, done=True),
    "T4.2": Progress(-300, 30),
    "T4.3": Progress(-60, 240),
    "T5": Progress(-360, 300),
    "T5.1": Progress(-360, -200, done=True),
    "T5.2": Progress(-200, 120),
    "T5.3": Progress(-150, 60),
    "T5.4": Progress(-100, -3, done=True),
    "T6": Progress(-90, 270),
    "T7": Progress(-30, 365),
    "T8": Progress(-500, 90, comment="Demo: digitalt system tatt i bruk; årsrapport "
                                     "utarbeides."),
    "T8.1": Progress(-500, 200),
    "T8.2": Progress(-400, -60, done=True),
    "T8.3": Progress(-150, 60),
    "T9": Progress(-100, 60),
    "T10": Progress(-60, 120),
    "T11": Progress(-365, 0),
    "T12": Progress(-700, 365),
    "T12.1": Progress(-700, -400, done=True),
    "T12.2": Progress(-500, -40),  # more than 30 days past its end: red by the rules
}


def _activity(a: Activity, today: date) -> Activity:
    p = PROGRESS.get(a.id)
    if p is None:
        return a
    return replace(a, start=today + timedelta(days=p.start), end=today + timedelta(days=p.end),
                   done=p.done, status=p.status, comment=p.comment or a.comment)


def _measure(m: Measure, today: date) -> Measure:
    acts = tuple(_activity(a, today) for a in m.activities)
    p = PROGRESS.get(m.id)
    if p is None:
        return replace(m, activities=acts)
    return replace(m, start=today + timedelta(days=p.start), end=today + timedelta(days=p.end),
                   status=p.status, comment=p.comment or m.comment, activities=acts)


def demo_plan(plan: Plan, today: date) -> Plan:
    """`plan` with the demo's periods, progress, statuses and comments (pure)."""
    return replace(plan, measures=tuple(_measure(m, today) for m in plan.measures))


def _content(plan: Plan) -> Plan:
    """A plan without its stored versions, to compare with the default one."""
    return replace(plan, measures=tuple(
        replace(m, version=0, activities=tuple(replace(a, version=0) for a in m.activities))
        for m in plan.measures))


def store(db: Database, today: date) -> bool:
    """Give the stored plan the demo's progress if it is still the default plan; whether
    it did."""
    if _content(storage.read_plan(db)) != defaults.default_plan():
        return False
    storage.replace_plan(db, demo_plan(defaults.default_plan(), today), who=WHO)
    return True
