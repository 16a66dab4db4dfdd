"""Disclosure control as part of a result set: the cells the shared edition hides
(flyt.disclosure.pattern) are decided the first time a shared output asks for them,
and stored beside the results (``kpi_results.hidden`` / ``hidden_12m``, and the key of
the settings they were decided with in ``result_sets.pattern_key``). Every later
shared output only reads them; exact outputs never need them."""

from __future__ import annotations

import hashlib
import threading
from datetime import date, datetime
from typing import NamedTuple

import pyarrow as pa
import sqlalchemy as sa

from flyt.config import GoalSettings
from flyt.disclosure import pattern as disclosure
from flyt.disclosure.model import MONTH, Structure, kpi_atoms
from flyt.engine import compute, moments
from flyt.store import bulk, schema
from flyt.store.db import Database

STAGED = "hidden_cells"
# One decision at a time in this process: two editions asked for at once would write
# the same flags concurrently (a conflict on DuckDB).
_deciding = threading.Lock()


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


def pattern_key(goals: GoalSettings, threshold: int) -> str:
    """A pattern holds for the threshold and the goal cells (key cells) it was decided
    with, over results computed with the same goals."""
    return hashlib.sha256(repr((goals, threshold)).encode()).hexdigest()


def ensure(db: Database, cutoff: datetime, goals: GoalSettings | None = None,
           threshold: int = compute.DEFAULT_THRESHOLD) -> None:
    """Current results for ``cutoff`` with the shared edition's pattern decided."""
    goals = goals or GoalSettings()
    compute.ensure(db, cutoff, goals)
    key = pattern_key(goals, threshold)
    with _deciding:
        if _stored_key(db, cutoff) == key:
            return
        structure, rows = structure_from_store(db, cutoff)
        decided = disclosure.decide(
            rows, structure, threshold, goal_cells(goals),
            complete_until=f"{moments.last_complete_month(cutoff):%Y-%m}")
        with db.engine.begin() as conn:
            store(conn, cutoff, decided)
            r = schema.result_sets.c
            conn.execute(schema.result_sets.update().where(r.cutoff == cutoff)
                         .values(pattern_key=key))


def _stored_key(db: Database, cutoff: datetime) -> str | None:
    r = schema.result_sets.c
    with db.engine.connect() as conn:
        return conn.execute(sa.select(r.pattern_key).where(r.cutoff == cutoff)).scalar()


def store(conn: sa.Connection, cutoff: datetime, pattern: disclosure.Pattern) -> None:
    """Set the result set's hidden flags to the pattern's."""
    cells = sorted(pattern.hidden)
    table = pa.table({
        "month": pa.array([date.fromisoformat(k[0] + "-01") for k, _ in cells], pa.date32()),
        "group_type": pa.array([k[1] for k, _ in cells], pa.string()),
        "group_id": pa.array([k[2] for k, _ in cells], pa.string()),
        "sector": pa.array([k[3] for k, _ in cells], pa.string()),
        "kpi": pa.array([k[4] for k, _ in cells], pa.int16()),
        "is_month": pa.array([part == MONTH for _, part in cells], pa.bool_()),
    })
    bulk.stage(conn, STAGED, "kpi_results", table, {"is_month": "BOOLEAN"})
    k = schema.kpi_results
    conn.execute(k.update().where(k.c.cutoff == cutoff).values(hidden=False, hidden_12m=False))
    for flag, is_month in (("hidden", "TRUE"), ("hidden_12m", "FALSE")):
        conn.execute(sa.text(
            f"UPDATE kpi_results SET {flag} = TRUE FROM {STAGED} h "
            f"WHERE kpi_results.cutoff = :cutoff AND h.is_month = {is_month} "
            "AND h.month = kpi_results.month AND h.group_type = kpi_results.group_type "
            "AND h.group_id = kpi_results.group_id AND h.sector = kpi_results.sector "
            "AND h.kpi = kpi_results.kpi"), {"cutoff": cutoff})
    conn.exec_driver_sql(f"DROP TABLE {STAGED}")


def structure_from_store(db: Database, cutoff: datetime) -> tuple[Structure, list[CellRow]]:
    """A stored result set's rows and what its cells are made of (the municipalities'
    cells about somebody; KPI 6's municipality-unit pairs from the short-term stays)."""
    k = schema.kpi_results.c
    s = schema.short_stays.c
    m = schema.municipalities.c
    month = sa.func.date_trunc("month", s.ended_at)
    with db.engine.connect() as conn:
        rows = [CellRow(f"{r.month:%Y-%m}", r.group_type, r.group_id, r.sector, r.kpi,
                        r.denominator, r.persons, r.numerator_12m, r.denominator_12m,
                        r.persons_12m)
                for r in conn.execute(sa.select(
                    k.month, k.group_type, k.group_id, k.sector, k.kpi, k.denominator,
                    k.persons, k.numerator_12m, k.denominator_12m, k.persons_12m)
                    .where(k.cutoff == cutoff))]
        short = [(f"{when:%Y-%m}", municipality, unit) for when, municipality, unit in
                 conn.execute(sa.select(month, s.municipality, s.unit)
                              .where(s.ended_at <= cutoff, s.started_at <= cutoff).distinct())]
        region_of = dict(conn.execute(sa.select(m.code, m.region)).all())
    atoms = {family: kpi_atoms(rows, family) for family in (1, 2, 4)} | {6: short}
    return Structure(sorted({r.month for r in rows}), region_of, atoms), rows
