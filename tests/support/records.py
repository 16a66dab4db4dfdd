"""Build canonical records in a line each, load them, and read the KPI table back.

Times are written as ISO text (``"2024-01-30"`` is 00:00, ``"2024-01-30 14:05"``);
timestamps are naive local wall-clock time, as the store keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import pyarrow as pa

from flyt.engine.compute import compute
from flyt.engine.read import KpiRow, kpi_rows
from flyt.ingest.importer import import_table
from flyt.store import schema
from flyt.store.db import Database

Moment = datetime | str

TS = pa.timestamp("us")

STAY_SCHEMA = pa.schema([
    ("stay_id", pa.string()), ("patient_id", pa.string()), ("municipality", pa.string()),
    ("sector", pa.string()), ("admission_type", pa.string()), ("admitted_at", TS),
    ("ready_at", TS), ("discharged_at", TS), ("discharge_destination", pa.string()),
    ("location", pa.string()), ("department", pa.string()), ("birth_year", pa.int32()),
    ("sex", pa.string()), ("frailty_score", pa.int32()),
])
PERIOD_SCHEMA = pa.schema([("stay_id", pa.string()), ("ready_from", TS), ("ready_to", TS)])
SHORT_STAY_SCHEMA = pa.schema([
    ("stay_id", pa.string()), ("patient_id", pa.string()), ("municipality", pa.string()),
    ("unit", pa.string()), ("started_at", TS), ("ended_at", TS), ("from_hospital", pa.bool_()),
])

# Every table the tests write or the engine fills (dependents first); the reference data
# and the calendar stay.
KEPT_TABLES = {"calendar", "municipalities", "units"}
RECORD_AND_RESULT_TABLES = tuple(
    t.name for t in reversed(schema.metadata.sorted_tables) if t.name not in KEPT_TABLES
)


def at(moment: Moment | None) -> datetime | None:
    if moment is None or isinstance(moment, datetime):
        return moment
    return datetime.fromisoformat(moment)


@dataclass(frozen=True)
class Stay:
    stay_id: str
    patient_id: str
    municipality: str
    sector: str
    admission_type: str
    admitted_at: datetime
    ready_at: datetime | None
    discharged_at: datetime | None
    discharge_destination: str | None
    source: str = "default"  # the extract it comes from; stay ids are unique per source


@dataclass(frozen=True)
class Period:
    stay_id: str
    ready_from: datetime
    ready_to: datetime | None
    source: str = "default"  # the same as its stay's


@dataclass(frozen=True)
class ShortStay:
    stay_id: str
    patient_id: str
    municipality: str
    unit: str
    started_at: datetime
    ended_at: datetime | None


def stay(
    stay_id: str,
    patient: str | None = None,
    municipality: str = "5001",
    *,
    admitted: Moment | None = None,
    ready: Moment | None = None,
    discharged: Moment | None = None,
    destination: str | None = None,
    sector: str = "somatikk",
    admission: str = "akutt",
    source: str = "default",
) -> Stay:
    """A hospital stay. Admitted defaults to the moment it was declared ready; a discharged
    stay goes to ``annet`` (neither home nor death) unless told otherwise."""
    admitted_at = at(admitted) or at(ready)
    if admitted_at is None:
        raise ValueError("a stay needs admitted= or ready=")
    discharged_at = at(discharged)
    if discharged_at is not None and destination is None:
        destination = "annet"
    return Stay(stay_id, patient or f"patient-{stay_id}", municipality, sector, admission,
                admitted_at, at(ready), discharged_at, destination, source)


def period(
    stay_id: str, ready_from: Moment, ready_to: Moment | None = None, *, source: str = "default"
) -> Period:
    """One UKP period; ``ready_to`` is the withdrawal (avmelding), None while it lasts."""
    start = at(ready_from)
    assert start is not None
    return Period(stay_id, start, at(ready_to), source)


def short_stay(
    stay_id: str,
    municipality: str = "5001",
    unit: str = "Øya helsehus korttid",
    *,
    started: Moment,
    ended: Moment | None = None,
    patient: str | None = None,
) -> ShortStay:
    start = at(started)
    assert start is not None
    return ShortStay(stay_id, patient or f"patient-{stay_id}", municipality, unit, start,
                     at(ended))


def stays_table(stays: Iterable[Stay]) -> pa.Table:
    rows = [
        {"stay_id": s.stay_id, "patient_id": s.patient_id, "municipality": s.municipality,
         "sector": s.sector, "admission_type": s.admission_type, "admitted_at": s.admitted_at,
         "ready_at": s.ready_at, "discharged_at": s.discharged_at,
         "discharge_destination": s.discharge_destination, "location": None,
         "department": None, "birth_year": None, "sex": None, "frailty_score": None}
        for s in stays
    ]
    return pa.Table.from_pylist(rows, schema=STAY_SCHEMA)


def periods_table(periods: Iterable[Period]) -> pa.Table:
    rows = [{"stay_id": p.stay_id, "ready_from": p.ready_from, "ready_to": p.ready_to}
            for p in periods]
    return pa.Table.from_pylist(rows, schema=PERIOD_SCHEMA)


def short_stays_table(short_stays: Iterable[ShortStay]) -> pa.Table:
    rows = [
        {"stay_id": s.stay_id, "patient_id": s.patient_id, "municipality": s.municipality,
         "unit": s.unit, "started_at": s.started_at, "ended_at": s.ended_at,
         "from_hospital": None}
        for s in short_stays
    ]
    return pa.Table.from_pylist(rows, schema=SHORT_STAY_SCHEMA)


def load(
    db: Database,
    stays: Iterable[Stay] = (),
    periods: Iterable[Period] = (),
    short_stays: Iterable[ShortStay] = (),
) -> None:
    """Import the records, each into its source (stays before their periods), failing
    loudly on a rejection. Short-term stays go to the default source."""
    stays, periods = list(stays), list(periods)
    sources = sorted({s.source for s in stays} | {p.source for p in periods})
    batches = [(kind, source, table) for source in sources for kind, table in (
        ("stays", stays_table(s for s in stays if s.source == source)),
        ("ukp-periods", periods_table(p for p in periods if p.source == source)),
    )]
    batches.append(("short-stays", "default", short_stays_table(short_stays)))
    for kind, source, table in batches:
        if table.num_rows == 0:
            continue
        report = import_table(db, kind, table, source=source, recompute=False)
        assert report.status == "ok", (kind, [e.to_dict() for e in report.errors])


def clear(db: Database) -> None:
    """Empty the records and results, keeping the reference data and calendar."""
    with db.engine.begin() as conn:
        for table in RECORD_AND_RESULT_TABLES:
            conn.exec_driver_sql(f"DELETE FROM {table}")


@dataclass
class Results:
    """The KPI table of one cut-off, looked up by month, KPI and group."""

    cutoff: datetime
    rows: list[KpiRow]
    _index: dict[tuple[str, str, str, str, int], KpiRow] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index = {(r.month, r.group_type, r.group_id, r.sector, r.kpi): r
                       for r in self.rows}

    def of(
        self,
        month: str,
        kpi: int,
        *,
        sector: str | None = None,
        municipality: str | None = None,
        region: str | None = None,
        unit: str | None = None,
    ) -> KpiRow:
        """One row; the whole community unless a municipality, region or unit is named.
        The sector defaults to somatikk (KPI 6: alle, its only sector)."""
        group = ("community", "all")
        if municipality is not None:
            group = ("municipality", municipality)
        elif region is not None:
            group = ("region", region)
        elif unit is not None:
            group = ("unit", unit)
        sector = sector or ("alle" if kpi == 6 else "somatikk")
        key = (month, *group, sector, kpi)
        assert key in self._index, f"no result row {key}"
        return self._index[key]

    def has(self, month: str, kpi: int, group_type: str, group_id: str, sector: str) -> bool:
        return (month, group_type, group_id, sector, kpi) in self._index

    @property
    def months(self) -> list[str]:
        return sorted({r.month for r in self.rows})


def results(db: Database, cutoff: Moment) -> Results:
    """Compute every KPI for ``cutoff`` and read the stored table back."""
    moment = at(cutoff)
    assert moment is not None
    compute(db, moment)
    return Results(moment, kpi_rows(db, moment))


def month(text: str) -> date:
    """``"2024-01"`` -> 1 January 2024."""
    return date.fromisoformat(text + "-01")


# Results of fixed data sets that several tests read, computed once per engine and cut-off.
# Only the rows are kept (plain values), so a test never sees another test's store.
_SHARED: dict[tuple[str, str, datetime], Results] = {}


def shared_results(
    db: Database,
    name: str,
    cutoff: Moment,
    stays: Iterable[Stay] = (),
    periods: Iterable[Period] = (),
    short_stays: Iterable[ShortStay] = (),
) -> Results:
    """``results`` for the data set ``name``, loaded into ``db`` only the first time."""
    moment = at(cutoff)
    assert moment is not None
    key = (db.dialect, name, moment)
    if key not in _SHARED:
        clear(db)
        load(db, stays, periods, short_stays)
        _SHARED[key] = results(db, moment)
    return _SHARED[key]
