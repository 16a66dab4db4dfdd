"""Read stored results: the long KPI table and the goal rows (no computation here)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

import pyarrow as pa
import sqlalchemy as sa

from flyt.domain.months import month_start
from flyt.store import bulk, schema
from flyt.store.db import Database


@dataclass(frozen=True)
class KpiRow:
    month: str  # YYYY-MM
    group_type: str
    group_id: str
    sector: str
    kpi: int
    value: float | None
    numerator: int | None
    denominator: int | None
    preliminary: bool
    persons: int
    value_12m: float | None
    numerator_12m: int | None
    denominator_12m: int | None
    persons_12m: int | None
    hidden: bool = False  # in the shared edition (disclosure control)
    hidden_12m: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class GoalRow:
    month: str
    kpi: int
    sector: str
    group_type: str
    group_id: str
    baseline: float | None
    target: float | None
    value: float | None
    achievement: float | None
    expected: float
    status: str | None
    hidden: bool = False  # the shared edition hides this goal's value (disclosure control)


# The stored columns of the long KPI table, as kpi_table reads them (flyt.output.kpi_table).
# (Annotated: mypy joins the field types to object.)
_KPI_FIELDS: list[pa.Field] = [
    pa.field("month", pa.date32()), pa.field("group_type", pa.string()),
    pa.field("group_id", pa.string()), pa.field("sector", pa.string()),
    pa.field("kpi", pa.int16()), pa.field("value", pa.float64()),
    pa.field("numerator", pa.int64()), pa.field("denominator", pa.int64()),
    pa.field("preliminary", pa.bool_()), pa.field("persons", pa.int64()),
    pa.field("value_12m", pa.float64()), pa.field("numerator_12m", pa.int64()),
    pa.field("denominator_12m", pa.int64()), pa.field("persons_12m", pa.int64()),
    pa.field("hidden", pa.bool_()), pa.field("hidden_12m", pa.bool_())]
KPI_COLUMNS = pa.schema(_KPI_FIELDS)


def _kpi_query(cutoff: datetime, month_from: date | None, month_to: date | None) -> sa.Select:
    r = schema.kpi_results.c
    query = sa.select(schema.kpi_results).where(r.cutoff == cutoff)
    if month_from:
        query = query.where(r.month >= month_start(month_from))
    if month_to:
        query = query.where(r.month <= month_start(month_to))
    return query.order_by(r.month, r.kpi, r.group_type, r.group_id, r.sector)


def kpi_rows(
    db: Database, cutoff: datetime, month_from: date | None = None, month_to: date | None = None
) -> list[KpiRow]:
    with db.engine.connect() as conn:
        rows = conn.execute(_kpi_query(cutoff, month_from, month_to)).all()
    return [
        KpiRow(
            month=f"{row.month:%Y-%m}", group_type=row.group_type, group_id=row.group_id,
            sector=row.sector, kpi=row.kpi, value=row.value, numerator=row.numerator,
            denominator=row.denominator, preliminary=bool(row.preliminary), persons=row.persons,
            value_12m=row.value_12m, numerator_12m=row.numerator_12m,
            denominator_12m=row.denominator_12m, persons_12m=row.persons_12m,
            hidden=bool(row.hidden), hidden_12m=bool(row.hidden_12m),
        )
        for row in rows
    ]


def kpi_columns(
    db: Database, cutoff: datetime, month_from: date | None = None, month_to: date | None = None
) -> pa.Table:
    """What kpi_rows gives, as columns (KPI_COLUMNS): for the whole table at once."""
    with db.engine.connect() as conn:
        return bulk.fetch(conn, _kpi_query(cutoff, month_from, month_to), KPI_COLUMNS)


def goal_rows(db: Database, cutoff: datetime, month: date) -> list[GoalRow]:
    g = schema.goal_results.c
    query = (
        sa.select(schema.goal_results)
        .where(g.cutoff == cutoff, g.month == month_start(month))
        .order_by(g.kpi, g.group_type, g.group_id, g.sector)
    )
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        GoalRow(
            month=f"{row.month:%Y-%m}", kpi=row.kpi, sector=row.sector,
            group_type=row.group_type, group_id=row.group_id, baseline=row.baseline,
            target=row.target, value=row.value, achievement=row.achievement,
            expected=row.expected, status=row.status,
        )
        for row in rows
    ]
