"""What the snapshot tests need beyond tests/support/records.py: where a UKP patient
lies (``location``) and bed censuses of the after-care units.

Stays and periods are built with ``records.stay`` / ``records.period``; a location is
given per stay id when loading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from flyt.ingest.importer import import_table
from flyt.store.db import Database
from tests.support import records
from tests.support.records import Moment, Period, Stay

BEDS_SCHEMA = pa.schema([
    ("unit", pa.string()), ("at", records.TS), ("available", pa.int32()),
    ("occupied", pa.int32()), ("over_capacity", pa.bool_()),
])


@dataclass(frozen=True)
class Census:
    unit: str
    at: datetime
    available: int
    occupied: int


def census(unit: str, at: Moment, available: int, occupied: int) -> Census:
    moment = records.at(at)
    assert moment is not None
    return Census(unit, moment, available, occupied)


def _ok(report) -> None:
    assert report.status == "ok", (report.kind, [e.to_dict() for e in report.errors])


def load(
    db: Database,
    stays: Iterable[Stay] = (),
    periods: Iterable[Period] = (),
    *,
    locations: Mapping[str, str] | None = None,
    beds: Iterable[Census] = (),
) -> None:
    """Import stays (with ``locations[stay_id]`` as their location), their periods and
    bed censuses, failing loudly on a rejection."""
    stays = list(stays)
    locations = locations or {}
    unknown = set(locations) - {s.stay_id for s in stays}
    assert not unknown, f"locations for unknown stays: {unknown}"
    if stays:
        table = records.stays_table(stays)
        column = table.schema.get_field_index("location")
        table = table.set_column(
            column, "location",
            pa.array([locations.get(s.stay_id) for s in stays], pa.string()))
        _ok(import_table(db, "stays", table, source="default", recompute=False))
    periods = list(periods)
    if periods:
        _ok(import_table(db, "ukp-periods", records.periods_table(periods),
                         source="default", recompute=False))
    # over_capacity is derived when a file is read; import_table takes it ready-made
    rows = [{"unit": b.unit, "at": b.at, "available": b.available, "occupied": b.occupied,
             "over_capacity": b.occupied > b.available} for b in beds]
    if rows:
        _ok(import_table(db, "beds", pa.Table.from_pylist(rows, schema=BEDS_SCHEMA),
                         source="default", recompute=False))
