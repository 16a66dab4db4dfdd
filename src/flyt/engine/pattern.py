"""Disclosure control as part of a result set: the cells the shared edition hides are
decided once, when the results are computed (flyt.disclosure.pattern), and stored
beside them (``kpi_results.hidden`` / ``hidden_12m``). Readers never decide again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

import pyarrow as pa
import sqlalchemy as sa

from flyt.config import GoalSettings
from flyt.disclosure import pattern as disclosure
from flyt.disclosure.model import MONTH, Structure, kpi_atoms
from flyt.engine import moments
from flyt.store import bulk, schema
from flyt.store.db import Database

STAGED = "hidden_cells"


class CellRow(NamedTuple):
    month: str
    group_type: str
    group_id: str
    sector: str
    kpi: int
    denominator: int | None
    persons: int
    numerator_12m: int | None
    denominator_12m: int | None
    persons_12m: int | None


def goal_cells(goals: GoalSettings) -> list[disclosure.GoalCell]:
    return [disclosure.GoalCell(g.kpi, g.sector, g.group_type, g.group_id)
            for g in goals.goals]


def decide(conn: sa.Connection, cutoff: datetime, goals: GoalSettings,
           threshold: int) -> disclosure.Pattern:
    """The pattern of the cells in the ``rolling`` step's temp table (flyt.engine.rules).
    The shared edition covers complete months: the cut-off's own month is withheld."""
    rows = [CellRow(f"{r.month:%Y-%m}", r.group_type, r.group_id, r.sector, r.kpi,
                    r.denominator, r.persons, r.numerator_12m, r.denominator_12m,
                    r.persons_12m)
            for r in conn.exec_driver_sql(
                "SELECT month, group_type, group_id, sector, kpi, denominator, persons, "
                "numerator_12m, denominator_12m, persons_12m FROM rolling")]
    short = [(f"{month:%Y-%m}", municipality, unit) for month, municipality, unit in
             conn.exec_driver_sql("SELECT month, municipality, unit FROM short_fact "
                                  "WHERE denominator > 0")]
    m = schema.municipalities.c
    region_of = dict(conn.execute(sa.select(m.code, m.region)).all())
    atoms = {family: kpi_atoms(rows, family) for family in (1, 2, 4)} | {6: short}
    structure = Structure(sorted({r.month for r in rows}), region_of, atoms)
    return disclosure.decide(rows, structure, threshold, goal_cells(goals),
                             complete_until=f"{moments.last_complete_month(cutoff):%Y-%m}")


def stage(conn: sa.Connection, pattern: disclosure.Pattern) -> None:
    """The hidden cells as a temp table the STORE step joins (see flyt.engine.rules)."""
    cells: Iterable = sorted(pattern.hidden)
    columns: list[Sequence[Any]] = list(zip(
        *[(date.fromisoformat(k[0] + "-01"), k[1], k[2], k[3], k[4], part)
          for k, part in cells], strict=True)) or [[] for _ in range(6)]
    table = pa.table({
        "month": pa.array(columns[0], pa.date32()),
        "group_type": pa.array(columns[1], pa.string()),
        "group_id": pa.array(columns[2], pa.string()),
        "sector": pa.array(columns[3], pa.string()),
        "kpi": pa.array(columns[4], pa.int16()),
        "is_month": pa.array([part == MONTH for part in columns[5]], pa.bool_()),
    })
    bulk.stage(conn, STAGED, "kpi_results", table, {"is_month": "BOOLEAN"})


def structure_from_store(db: Database, cutoff: datetime) -> tuple[Structure, list]:
    """The structure of a stored result set and its rows, for audits from outside the
    computation (the same atoms ``decide`` saw)."""
    from flyt.engine.read import kpi_rows

    rows = kpi_rows(db, cutoff)
    s = schema.short_stays.c
    month = sa.func.date_trunc("month", s.ended_at)
    query = (sa.select(month, s.municipality, s.unit)
             .where(s.ended_at <= cutoff, s.started_at <= cutoff).distinct())
    m = schema.municipalities.c
    with db.engine.connect() as conn:
        short = [(f"{when:%Y-%m}", municipality, unit)
                 for when, municipality, unit in conn.execute(query)]
        region_of = dict(conn.execute(sa.select(m.code, m.region)).all())
    atoms = {family: kpi_atoms(rows, family) for family in (1, 2, 4)} | {6: short}
    return Structure(sorted({r.month for r in rows}), region_of, atoms), rows
