"""Does the model hold what happened? Each past calendar year is simulated from the
years before it (calibrated at 1 January, nothing of the year known) and its UKP days
(KPI 1, both sectors) compared with the KPI engine's own for that year, for the community
and every municipality: inside the 90 % interval about 90 % of the time is the mark
(issue 15). `flyt simulate --validate`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
import sqlalchemy as sa

from flyt.domain.codes import ALL_SECTORS
from flyt.engine import compute, moments
from flyt.engine.read import kpi_rows
from flyt.simulation import run
from flyt.simulation.calibration import MIN_HISTORY_DAYS, CalibrationError
from flyt.store.db import Database

GROUP_TYPES = ("community", "municipality")


@dataclass(frozen=True)
class Check:
    year: int
    group_type: str
    group_id: str
    actual: int  # the KPI engine's UKP days of the year
    mean: float
    lower: float
    upper: float

    @property
    def inside(self) -> bool:
        return self.lower <= self.actual <= self.upper

    def record(self) -> dict[str, object]:
        return {"year": self.year, "group_type": self.group_type, "group_id": self.group_id,
                "actual": self.actual, "mean": self.mean, "lower": self.lower,
                "upper": self.upper, "inside": self.inside}


def years_to_check(db: Database, at: datetime | None = None) -> list[int]:
    """Calendar years with a year of UKP history before them and data after them (the
    newest event in the store is in a later year)."""
    with db.engine.connect() as conn:
        firsts = [conn.execute(sa.text(q)).scalar() for q in (
            "SELECT MIN(ready_from) FROM ukp_periods", "SELECT MIN(ready_at) FROM stays")]
    known = [pd.Timestamp(m).date() for m in firsts if m is not None]
    newest = moments.newest_event(db, at)
    if not known or newest is None:
        return []
    start = min(known)
    return [y for y in range(start.year + 1, newest.year)
            if (date(y, 1, 1) - start).days >= MIN_HISTORY_DAYS]


def actual_ukp_days(db: Database, year: int) -> dict[tuple[str, str], int]:
    """KPI 1 of the year (its twelve months, both sectors) per community and
    municipality, as the KPI engine computes it with the cut-off 1 January after."""
    cutoff = datetime(year + 1, 1, 1)
    compute.ensure(db, cutoff)
    days: dict[tuple[str, str], int] = defaultdict(int)
    for row in kpi_rows(db, cutoff, date(year, 1, 1), date(year, 12, 1)):
        if row.kpi == 1 and row.sector == ALL_SECTORS and row.group_type in GROUP_TYPES:
            days[(row.group_type, row.group_id)] += int(row.numerator or 0)
    return days


def validate(db: Database, years: int = run.DEFAULT_YEARS, replications: int = 1000,
             seed: int = 1, only: list[int] | None = None,
             progress: Callable[[int], None] = lambda year: None) -> list[Check]:
    """One check per year, community and municipality (years the calibration refuses are
    left out)."""
    checks = []
    for year in only or years_to_check(db):
        progress(year)
        try:
            result = run.simulate(db, date(year, 1, 1), date(year, 12, 31), replications,
                                  seed, years=years)
        except CalibrationError:
            continue
        actual = actual_ukp_days(db, year)
        for row in result.rows:
            if (row.run == "baseline" and row.measure == "kpi1"
                    and row.group_type in GROUP_TYPES and row.mean is not None):
                checks.append(Check(year, row.group_type, row.group_id,
                                    actual.get((row.group_type, row.group_id), 0),
                                    float(row.mean), float(row.lower or 0),
                                    float(row.upper or 0)))
    return checks


@dataclass(frozen=True)
class Coverage:
    community: tuple[int, int]  # years inside, years checked
    municipalities: tuple[int, int]  # municipality-years inside, checked


def coverage(checks: list[Check]) -> Coverage:
    def count(group_type: str) -> tuple[int, int]:
        mine = [c for c in checks if c.group_type == group_type]
        return sum(c.inside for c in mine), len(mine)

    return Coverage(count("community"), count("municipality"))
