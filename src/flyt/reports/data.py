"""What the monthly report shows, gathered from the engine's stored results.

The numbers are the records of the long KPI table (flyt.output.kpi_table.table),
exactly as `flyt kpi --rolling` prints them: with disclosure control for the
shared edition (`flyt kpi --suppress`), exact for a municipality's own rows in
its edition. Nothing here computes a KPI.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

import sqlalchemy as sa

from flyt.config import Settings
from flyt.domain.codes import COMMUNITY_ID
from flyt.domain.months import add_months, month_start
from flyt.engine import compute as engine
from flyt.engine import pattern
from flyt.engine.read import GoalRow, KpiRow, goal_rows, kpi_rows
from flyt.output import kpi_table
from flyt.store import completeness, reference, schema
from flyt.store.db import Database
from flyt.store.reference import Municipality

TREND_MONTHS = 36  # the trend charts cover at least three years
Key = tuple[str, str, str, str, int]  # month, group_type, group_id, sector, kpi


@dataclass(frozen=True)
class SourceStatus:
    """Data completeness: the newest accepted import of one kind from one source."""

    kind: str
    source: str
    last_import: datetime
    rows: int


@dataclass
class MonthlyData:
    month: date
    cutoff: datetime
    edition: str | None  # None: the shared edition; else the municipality's code
    threshold: int
    records: dict[Key, dict]  # the kpi_table records of every month shown
    goals: list[GoalRow]
    municipalities: list[Municipality]
    regions: list[str]
    sources: list[SourceStatus]
    plo_last: datetime | None  # the newest PLO message read

    @property
    def months(self) -> list[str]:
        first = add_months(self.month, -(TREND_MONTHS - 1))
        return [f"{add_months(first, i):%Y-%m}" for i in range(TREND_MONTHS)]

    @property
    def month_key(self) -> str:
        return f"{self.month:%Y-%m}"

    def record(self, group_type: str, group_id: str, sector: str, kpi: int,
               month: str | None = None) -> dict | None:
        return self.records.get((month or self.month_key, group_type, group_id, sector, kpi))

    def community(self, sector: str, kpi: int, month: str | None = None) -> dict | None:
        return self.record("community", COMMUNITY_ID, sector, kpi, month)

    def goal(self, kpi: int, sector: str) -> GoalRow | None:
        return next((g for g in self.goals if g.kpi == kpi and g.sector == sector
                     and g.group_type in ("community", "unit")), None)

    def in_region(self, region: str) -> list[Municipality]:
        return [m for m in self.municipalities if m.region == region]


def gather(db: Database, settings: Settings, month: date, cutoff: datetime,
           municipality: str | None = None, *, exact: bool = False) -> MonthlyData:
    """The report's numbers for `month` as of `cutoff`: the shared edition, or with
    `municipality` that municipality's own rows exact, or with `exact` every row exact
    (the hospital's analysts: `flyt kpi` without `--suppress`)."""
    month = month_start(month)
    if exact:
        engine.ensure(db, cutoff, settings.goals)
    else:  # the shared edition's hidden cells too
        pattern.ensure(db, cutoff, settings.goals, settings.suppression_threshold)
    municipalities = reference.municipalities(db)
    if municipality is not None and municipality not in {m.code for m in municipalities}:
        raise ValueError(f"unknown municipality {municipality} (see flyt reference show "
                         "municipalities)")
    first = add_months(month, -(TREND_MONTHS - 1))
    rows = kpi_rows(db, cutoff, first, month)
    records = {_key(r): r for r in kpi_table.table(rows, rolling=True, suppress=True)}
    if exact or municipality is not None:
        owners = reference.unit_owners(db)
        own = {municipality} | {u for u, owner in owners.items() if owner == municipality}
        for row in rows:
            if exact or (row.group_type in ("municipality", "unit") and row.group_id in own):
                records[_key_of(row)] = kpi_table.record(row, rolling=True) | {
                    "suppressed": False, "suppressed_12m": False}
    goals = goal_rows(db, cutoff, month)
    if not exact:
        goals = shared_goals(db, settings, cutoff, goals)
    return MonthlyData(
        month=month, cutoff=cutoff, edition=municipality,
        threshold=settings.suppression_threshold, records=records,
        goals=goals, municipalities=municipalities,
        regions=sorted({m.region for m in municipalities}),
        sources=_sources(db, cutoff), plo_last=_plo_last(db, cutoff))


def shared_goals(db: Database, settings: Settings, cutoff: datetime,
                 goals: list[GoalRow]) -> list[GoalRow]:
    """Goals as the shared edition may show them: achievement and status are linear in
    the 12-month value (and the baseline), so they go where those are hidden; a target
    set relative to the baseline goes with it."""
    baseline_month = date(settings.goals.baseline_year, 12, 1)
    hidden = {(r.month, r.group_type, r.group_id, r.sector, r.kpi)
              for month in {baseline_month, *(month_start(date.fromisoformat(g.month + "-01"))
                                               for g in goals)}
              for r in kpi_rows(db, cutoff, month, month) if r.hidden_12m}
    relative = {(s.kpi, s.sector, s.group_type, s.group_id)
                for s in settings.goals.goals if s.target_factor is not None}
    out = []
    for g in goals:
        cell = (g.group_type, g.group_id, g.sector, g.kpi)
        value_hidden = (g.month, *cell) in hidden
        baseline_hidden = (f"{baseline_month:%Y-%m}", *cell) in hidden
        if not (value_hidden or baseline_hidden):
            out.append(g)
            continue
        out.append(replace(
            g, value=None if value_hidden else g.value, achievement=None, status=None,
            baseline=None if baseline_hidden else g.baseline,
            target=None if baseline_hidden and (g.kpi, g.sector, g.group_type, g.group_id)
            in relative else g.target, hidden=True))
    return out


def _key_of(row: KpiRow) -> Key:
    return (row.month, row.group_type, row.group_id, row.sector, row.kpi)


def _key(record: dict) -> Key:
    return (record["month"], record["group_type"], record["group_id"], record["sector"],
            record["kpi"])


def _sources(db: Database, cutoff: datetime) -> list[SourceStatus]:
    """The sources with an accepted import by the cut-off (flyt.store.completeness)."""
    return [SourceStatus(s.kind, s.source, s.last_ok, s.rows)
            for s in completeness.sources(db, cutoff) if s.last_ok is not None]


def _plo_last(db: Database, cutoff: datetime) -> datetime | None:
    m = schema.plo_messages.c
    with db.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.max(m.received_at))
                            .where(m.received_at <= cutoff)).scalar_one()
