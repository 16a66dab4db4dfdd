"""The beds of the after-care and short-term units at a moment, from the bed census.

One rule, used by the escalation's occupancy and by the overview of free short-term beds:
a unit's beds at ``at`` are its latest count at or before ``at`` and not older than
``history.STALE_DAYS`` (an older count says nothing); several sources counting the same
moment give the largest figures, as ``history`` counts a day. A unit without such a
count is not in the list: no count is never taken as "no free beds" or "all free".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from flyt.capacity.history import STALE_DAYS
from flyt.store.db import Database

_LATEST = """
WITH counts AS (
    SELECT b.unit, b.counted_at, MAX(b.occupied) AS occupied, MAX(b.available) AS available
    FROM bed_census b JOIN units u ON u.name = b.unit
    WHERE u.kind IN ('aftercare', 'short_term')
        AND b.counted_at <= CAST(:at AS TIMESTAMP) AND b.counted_at > CAST(:stale AS TIMESTAMP)
    GROUP BY b.unit, b.counted_at
),
latest AS (SELECT unit, MAX(counted_at) AS counted_at FROM counts GROUP BY unit)
SELECT u.name, u.kind, u.owner, c.counted_at, c.occupied, c.available
FROM counts c JOIN latest l ON l.unit = c.unit AND l.counted_at = c.counted_at
    JOIN units u ON u.name = c.unit
ORDER BY u.owner, u.name
"""


@dataclass(frozen=True)
class UnitBeds:
    """One unit's latest count. ``free`` is negative when more beds are occupied than
    available (beds in corridors, rooms shared): shown as it is, never cut to 0."""

    unit: str
    kind: str  # aftercare | short_term
    owner: str  # kommunenummer, or the hospital
    counted_at: datetime
    occupied: int
    available: int

    @property
    def free(self) -> int:
        return self.available - self.occupied


def latest(db: Database, at: datetime) -> list[UnitBeds]:
    """Every after-care and short-term unit with a count valid at ``at``, by owner and
    name."""
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text(_LATEST), {
            "at": at, "stale": at - timedelta(days=STALE_DAYS)}).all()
    return [UnitBeds(r.name, r.kind, str(r.owner), r.counted_at, int(r.occupied),
                     int(r.available)) for r in rows]


def summed(units: list[UnitBeds], kind: str, owner: str | None) -> tuple[int, int] | None:
    """(occupied, available) of the units of ``kind`` (of ``owner``; None: all); None
    when there are none counted."""
    found = [u for u in units if u.kind == kind and (owner is None or u.owner == owner)]
    if not found:
        return None
    return sum(u.occupied for u in found), sum(u.available for u in found)
