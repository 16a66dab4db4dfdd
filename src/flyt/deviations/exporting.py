"""`flyt deviations export`: every deviation with its receivers and current status, in
the import's columns (so an export imports back unchanged), as CSV, XLSX or JSON.

Text stays text (flyt.output.spreadsheet): in CSV a cell starting like a formula gets a
leading quote, which the import takes off again; in XLSX every string is a string.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TextIO

import sqlalchemy as sa

from flyt.deviations.importing import RECEIVER_SEPARATOR
from flyt.output import writers
from flyt.store import schema
from flyt.store.db import Database

FORMATS = ("csv", "xlsx", "json")
COLUMNS = ("id", "source_id", "reporter_org", "receiver_org", "occurred_at", "reported_at",
           "category", "subcategory", "severity", "level", "agreement_clause", "patient_ref",
           "place", "status", "summary", "description", "immediate_action", "anonymous")


def moment(at: datetime, has_time: bool = True) -> str:
    """ISO 8601, Oslo wall clock: a date alone, or to the minute (seconds when set)."""
    if not has_time:
        return at.date().isoformat()
    return at.isoformat(timespec="seconds" if at.second else "minutes")


def records_of(db: Database) -> list[dict[str, object]]:
    """Every deviation as an export row, by id. `source_id`: the source's id for an
    imported one, else Flyt's id (a re-import elsewhere then keys by it)."""
    d, r = schema.deviations.c, schema.deviation_receivers.c
    with db.engine.connect() as conn:
        found = conn.execute(sa.select(schema.deviations).order_by(d.id)).all()
        pairs = conn.execute(sa.select(r.deviation_id, r.org_id).order_by(r.org_id)).all()
    receivers: dict[str, list[str]] = {}
    for deviation_id, org in pairs:
        receivers.setdefault(deviation_id, []).append(org)
    out = []
    for row in found:
        m = dict(row._mapping)
        m["source_id"] = m["source_id"] or m["id"]
        m["receiver_org"] = RECEIVER_SEPARATOR.join(receivers.get(m["id"], ()))
        m["occurred_at"] = moment(m["occurred_at"], m["occurred_has_time"])
        m["reported_at"] = moment(m["reported_at"])
        out.append({c: m[c] for c in COLUMNS})
    return out


def _as_json(record: dict[str, object]) -> dict[str, object]:
    receivers = str(record["receiver_org"])
    return {**record, "receiver_org": receivers.split(RECEIVER_SEPARATOR) if receivers else []}


def export(db: Database, fmt: str, output: Path | None, stdout: TextIO) -> int:
    """Write every deviation in `fmt` to `output` (else standard output); how many."""
    rows = records_of(db)
    if fmt == "json":
        writers.write_text(writers.to_json([_as_json(r) for r in rows], COLUMNS), output,
                           stdout)
    elif fmt == "xlsx":
        cells = [{c: _xlsx_cell(v) for c, v in r.items()} for r in rows]
        writers.write(cells, COLUMNS, "xlsx", output, stdout)
    else:
        writers.write(rows, COLUMNS, "csv", output, stdout)
    return len(rows)


def _xlsx_cell(value: object) -> object:
    """Booleans as the CSV's words, so both files read back the same."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
