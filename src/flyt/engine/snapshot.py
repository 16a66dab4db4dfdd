"""The Monday/Thursday snapshot (øyeblikksbilde, case 4/24), computed in the engine.

At a moment t the UKP patients in hospital are the stays admitted at or before t,
not discharged at or before t, with a UKP period that started at or before t and
has not ended at or before t. A patient is *utlokalisert* when the stay's location
is an after-care unit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

import sqlalchemy as sa

from flyt.engine.rules import DECLARED
from flyt.store.db import Database

_AT = "CAST(:at AS TIMESTAMP)"


def waiting_at(moment: str) -> str:
    """The rule, as an SQL condition on a row ``d`` of ``declared``: the stay is a UKP
    patient in hospital at ``moment`` (an SQL expression). The snapshot and the capacity
    history (a census per day) share it."""
    return (f"d.admitted_at <= {moment} AND (d.discharged_at IS NULL OR d.discharged_at > "
            f"{moment}) AND d.start_at <= {moment} AND (d.stop_at IS NULL OR d.stop_at > "
            f"{moment})")


# The stays waiting at :at, each with the start of its current period (the earliest start
# among periods that contain :at): shared by the counts and the municipality's own list.
_WAITING = f"""
WITH {DECLARED},
waiting AS (
    SELECT d.source, d.stay_id, d.patient_id, d.municipality, d.location, d.department,
           MIN(d.start_at) AS since
    FROM declared d
    WHERE {waiting_at(_AT)}
    GROUP BY d.source, d.stay_id, d.patient_id, d.municipality, d.location, d.department
)
"""

# One row per UKP patient in hospital at :at, and where the patient lies.
_CURRENT = f"""{_WAITING}
SELECT w.municipality,
       CASE WHEN u.kind = 'aftercare' THEN 1 ELSE 0 END AS utlokalisert,
       CAST({_AT} AS DATE) - CAST(w.since AS DATE) AS days_waited
FROM waiting w LEFT JOIN units u ON u.name = w.location
"""

# One municipality's own UKP patients at :at (pseudonymous ids only), longest wait first.
PATIENTS = f"""{_WAITING}
SELECT w.patient_id, w.stay_id, w.location, w.department, w.since,
       CASE WHEN u.kind = 'aftercare' THEN 1 ELSE 0 END AS utlokalisert,
       CAST({_AT} AS DATE) - CAST(w.since AS DATE) AS days_waited
FROM waiting w LEFT JOIN units u ON u.name = w.location
WHERE w.municipality = :municipality
ORDER BY days_waited DESC, w.patient_id, w.stay_id
"""

PER_MUNICIPALITY = f"""
SELECT m.code, m.name, m.region,
       COUNT(c.municipality) AS patients,
       COALESCE(SUM(c.utlokalisert), 0) AS utlokalisert,
       COALESCE(SUM(c.days_waited), 0) AS days_waited,
       MAX(c.days_waited) AS longest_wait
FROM municipalities m
LEFT JOIN ({_CURRENT}) c ON c.municipality = m.code
GROUP BY m.code, m.name, m.region
ORDER BY m.code
"""

# The latest census at or before :at of every after-care unit.
OCCUPANCY = f"""
SELECT u.name, b.counted_at, b.available, b.occupied
FROM units u
LEFT JOIN bed_census b ON b.unit = u.name AND b.counted_at = (
    SELECT MAX(counted_at) FROM bed_census x WHERE x.unit = u.name AND x.counted_at <= {_AT})
WHERE u.kind = 'aftercare'
ORDER BY u.name, b.source
"""


@dataclass(frozen=True)
class MunicipalityLine:
    municipality: str
    name: str
    region: str
    patients: int
    at_hospital: int
    utlokalisert: int
    days_waited: int  # sum over the patients of date(t) - date(start of current period)
    longest_wait: int | None


@dataclass(frozen=True)
class Occupancy:
    unit: str
    counted_at: datetime | None
    available: int | None
    occupied: int | None

    @property
    def occupancy_pct(self) -> float | None:
        if not self.available or self.occupied is None:
            return None
        return round(100.0 * self.occupied / self.available, 1)

    @property
    def over_capacity(self) -> bool:
        return self.available is not None and self.occupied is not None and (
            self.occupied > self.available)


@dataclass(frozen=True)
class Snapshot:
    at: datetime
    municipalities: list[MunicipalityLine] = field(default_factory=list)
    aftercare: list[Occupancy] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(m.patients for m in self.municipalities)

    @property
    def utlokalisert(self) -> int:
        return sum(m.utlokalisert for m in self.municipalities)

    @property
    def at_hospital(self) -> int:
        return self.total - self.utlokalisert

    def as_dict(self) -> dict:
        return {
            "at": self.at.isoformat(timespec="minutes"),
            "total": self.total,
            "at_hospital": self.at_hospital,
            "utlokalisert": self.utlokalisert,
            "municipalities": [asdict(m) for m in self.municipalities],
            "aftercare": [
                {"unit": o.unit,
                 "counted_at": o.counted_at.isoformat(timespec="minutes") if o.counted_at else None,
                 "available": o.available, "occupied": o.occupied,
                 "occupancy_pct": o.occupancy_pct, "over_capacity": o.over_capacity}
                for o in self.aftercare
            ],
        }


def take(db: Database, at: datetime) -> Snapshot:
    with db.engine.connect() as conn:
        lines = conn.execute(sa.text(PER_MUNICIPALITY), {"at": at}).all()
        beds = conn.execute(sa.text(OCCUPANCY), {"at": at}).all()
    return Snapshot(
        at=at,
        municipalities=[
            MunicipalityLine(
                municipality=r.code, name=r.name, region=r.region, patients=int(r.patients),
                at_hospital=int(r.patients) - int(r.utlokalisert),
                utlokalisert=int(r.utlokalisert), days_waited=int(r.days_waited),
                longest_wait=None if r.longest_wait is None else int(r.longest_wait),
            )
            for r in lines
        ],
        # One census per unit (two sources may count at the same moment); sorted here,
        # not by the database, whose collation may place Ø differently.
        aftercare=sorted(
            {r.name: Occupancy(r.name, r.counted_at, r.available, r.occupied)
             for r in reversed(beds)}.values(),
            key=lambda o: o.unit),
    )


@dataclass(frozen=True)
class Patient:
    """One UKP patient in hospital: what the home municipality needs to plan its service."""

    patient_id: str  # pseudonymous (flyt.domain.identity), never the national id
    stay_id: str
    location: str | None
    department: str | None
    since: datetime  # start of the current UKP period
    days_waited: int
    utlokalisert: bool


def patients(db: Database, at: datetime, municipality: str) -> list[Patient]:
    """The UKP patients of `municipality` in hospital at `at` (the stays `take` counts)."""
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text(PATIENTS), {"at": at, "municipality": municipality}).all()
    return [Patient(r.patient_id, r.stay_id, r.location, r.department, r.since,
                    int(r.days_waited), bool(r.utlokalisert)) for r in rows]
