"""The store's history as daily series, computed in the database (DuckDB or PostgreSQL).

Three things, each as the store knows them at a moment ``at`` (no peeking):

- ``ukp_census``: the 08:00 census of UKP patients in hospital per day and municipality,
  by the snapshot's own rule (``flyt.engine.snapshot.waiting_at``), for every day from
  the first UKP period to the last 08:00 at or before ``at``;
- ``unit_census``: the occupied beds of each after-care and short-term unit at 08:00,
  the latest count at or before 08:00 of the day (not older than ``STALE_DAYS``);
- ``waits``: each stay's run as a UKP patient at 08:00 (first and last census day, the
  days counted, whether it still waits at the last census): the patients already
  waiting at the start and the distribution of wait lengths.

A day before ``at`` is counted from facts dated at or before it, so the periods and
discharges that come after ``at`` cannot change it. The store keeps only the newest
version of each record (its ``import_id`` is the latest import that wrote it), so what
an import after ``at`` changed cannot be undone here; that is said in docs/capacity.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
import sqlalchemy as sa

from flyt.engine.rules import DECLARED
from flyt.engine.snapshot import waiting_at
from flyt.store.db import Database

CENSUS_HOUR = time(8, 0)
STALE_DAYS = 7  # a unit's count older than this at 08:00 says nothing about the day
UNIT_KINDS = ("aftercare", "short_term")

# The days of the history, each with its 08:00 moment.
_DAYS = """
days AS (
    SELECT c.d AS day, CAST(c.d AS TIMESTAMP) + INTERVAL '8 hours' AS t
    FROM calendar c WHERE c.d BETWEEN :first AND :last
)"""

# One row per stay and day it is a UKP patient at 08:00 (a stay counted once, even when
# two of its periods overlap).
_WAITING_DAYS = f"""
WITH {DECLARED}, {_DAYS},
waiting AS (
    SELECT DISTINCT days.day, d.source, d.stay_id, d.municipality
    FROM declared d JOIN days
        -- implied by the rule, but a plain date range the engines join fast
        ON days.day BETWEEN CAST(d.start_at AS DATE)
            AND CAST(COALESCE(d.stop_at, d.discharged_at, CAST(:last AS TIMESTAMP)) AS DATE)
        AND {waiting_at("days.t")}
)"""

_FIRST_START = f"WITH {DECLARED} SELECT MIN(start_at) FROM declared"
# Every municipality with any UKP history known at :at, also when never counted at 08:00.
_MUNICIPALITIES = f"""WITH {DECLARED}
SELECT DISTINCT municipality FROM declared
WHERE start_at <= CAST(:at AS TIMESTAMP) AND admitted_at <= CAST(:at AS TIMESTAMP)
ORDER BY municipality"""

_UKP_CENSUS = f"""{_WAITING_DAYS}
SELECT day, municipality, COUNT(*) AS patients
FROM waiting GROUP BY day, municipality ORDER BY day, municipality
"""

_WAITS = f"""{_WAITING_DAYS}
SELECT municipality, MIN(day) AS first_day, MAX(day) AS last_day, COUNT(*) AS days
FROM waiting GROUP BY source, stay_id, municipality
ORDER BY first_day, municipality
"""

# Each count valid from its moment until the next count of the unit; several sources
# counting the same unit at the same moment give one figure (the largest).
_UNIT_CENSUS = f"""
WITH {_DAYS.strip()},
counts AS (
    SELECT b.unit, b.counted_at, MAX(b.occupied) AS occupied
    FROM bed_census b JOIN units u ON u.name = b.unit
    WHERE u.kind IN ('aftercare', 'short_term') AND b.counted_at <= CAST(:at AS TIMESTAMP)
    GROUP BY b.unit, b.counted_at
),
spans AS (
    SELECT unit, counted_at, occupied,
           LEAD(counted_at) OVER (PARTITION BY unit ORDER BY counted_at) AS next_at
    FROM counts
)
SELECT days.day, s.unit, s.occupied
FROM spans s JOIN days ON s.counted_at <= days.t
    AND (s.next_at IS NULL OR s.next_at > days.t)
    AND s.counted_at > days.t - INTERVAL '{STALE_DAYS} days'
ORDER BY days.day, s.unit
"""

_UNITS = "SELECT name, kind FROM units WHERE kind IN ('aftercare', 'short_term') ORDER BY name"
_FIRST_COUNT = "SELECT MIN(counted_at) FROM bed_census WHERE counted_at <= CAST(:at AS TIMESTAMP)"


def last_census_day(at: datetime) -> date:
    """The last day whose 08:00 census is known at ``at``."""
    return at.date() if at.time() >= CENSUS_HOUR else at.date() - timedelta(days=1)


def census_day(moment: datetime) -> date:
    """The first day whose 08:00 is at or after ``moment``."""
    return moment.date() if moment.time() <= CENSUS_HOUR else moment.date() + timedelta(days=1)


@dataclass(frozen=True)
class History:
    """What the store knows at ``at``, as daily series from ``first`` to ``last``.

    ``ukp`` has a row per day (index) and a column per municipality with any UKP history
    (0 on days without patients); ``units`` a column per unit with counts (NaN where no
    count covers the day); ``unit_kinds`` maps a unit to ``aftercare`` or ``short_term``;
    ``waits`` one row per stay (municipality, first_day, last_day, days)."""

    at: datetime
    first: date | None
    last: date
    ukp: pd.DataFrame
    units: pd.DataFrame
    unit_kinds: dict[str, str]
    waits: pd.DataFrame

    @property
    def community(self) -> pd.Series:
        return self.ukp.sum(axis=1)

    def waiting_at_start(self) -> pd.DataFrame:
        """The stays still waiting at the last census: municipality and days waited."""
        current = self.waits[self.waits["last_day"] == self.last]
        return current[["municipality", "days"]].reset_index(drop=True)


def _index(first: date | None, last: date) -> pd.DatetimeIndex:
    if first is None or first > last:
        return pd.DatetimeIndex([], name="day")
    return pd.date_range(first, last, freq="D", name="day")


def _frame(conn: sa.Connection, query: str, params: dict, columns: list[str]) -> pd.DataFrame:
    """A query's rows as a frame. pandas reads the cursor in bulk: building a frame from
    SQLAlchemy's Row objects probes each row's attributes and took 9 of the 14 s of a
    10-year store's history."""
    found = pd.read_sql(sa.text(query), conn, params=params)
    found.columns = columns
    # Plain object strings, as the rest of the package compares them with str keys.
    return found.astype({c: object for c in columns if c in ("municipality", "unit")})


def read(db: Database, at: datetime) -> History:
    """The history known at ``at`` (naive Oslo wall-clock time, as the store keeps it)."""
    last = last_census_day(at)
    with db.engine.connect() as conn:
        start = conn.execute(sa.text(_FIRST_START)).scalar_one_or_none()
        first = census_day(start) if start is not None and start <= at else None
        params = {"first": first or last, "last": last, "at": at}
        known = [r[0] for r in conn.execute(sa.text(_MUNICIPALITIES), params)]
        census = _frame(conn, _UKP_CENSUS, params, ["day", "municipality", "patients"])
        waits = _frame(conn, _WAITS, params, ["municipality", "first_day", "last_day", "days"])
        kinds = {r.name: r.kind for r in conn.execute(sa.text(_UNITS))}
        counted = conn.execute(sa.text(_FIRST_COUNT), {"at": at}).scalar_one_or_none()
        unit_first = census_day(counted) if counted is not None else None
        unit_rows = _frame(conn, _UNIT_CENSUS,
                           {"first": unit_first or last, "last": last, "at": at},
                           ["day", "unit", "occupied"])
    index = _index(first, last)
    ukp = (census.assign(day=pd.to_datetime(census["day"]))
           .pivot(index="day", columns="municipality", values="patients")
           .reindex(index=index, columns=known).fillna(0).astype(int))
    ukp.columns.name = None
    units = (unit_rows.assign(day=pd.to_datetime(unit_rows["day"]))
             .pivot(index="day", columns="unit", values="occupied")
             .reindex(_index(unit_first, last)).astype(float))
    units.columns.name = None
    for column in ("first_day", "last_day"):
        waits[column] = pd.to_datetime(waits[column]).dt.date
    return History(at=at, first=first if index.size else None, last=last, ukp=ukp,
                   units=units, unit_kinds=kinds, waits=waits)
