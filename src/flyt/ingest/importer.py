"""Run an import: validate, check against stored records, write, log, recompute.

All or nothing: the rows are written in one transaction, and any bad row rejects
the whole file. Every attempt is logged in ``imports``, a rejected one too, so the
import history shows what was tried and why it failed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import sqlalchemy as sa

from flyt.config import Settings
from flyt.domain.months import default_cutoff
from flyt.engine import compute as engine
from flyt.ingest.errors import InputError, RowError
from flyt.ingest.sources import checked_source
from flyt.store import schema
from flyt.store.db import Database
from flyt.store.records import WriteCounts, stage_records, write_staged


@dataclass
class ImportReport:
    kind: str
    file_name: str
    source: str
    status: str  # ok | rejected
    rows_read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    message: str | None = None
    import_id: int | None = None

    @property
    def accepted(self) -> int:
        return self.new + self.updated + self.unchanged if self.status == "ok" else 0

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "file": self.file_name, "source": self.source,
            "status": self.status, "read": self.rows_read, "accepted": self.accepted,
            "rejected": len({e.row for e in self.errors}) if self.status != "ok" else 0,
            "new": self.new, "updated": self.updated, "unchanged": self.unchanged,
            "removed": self.removed, "message": self.message, "warnings": self.warnings,
            "errors": [e.to_dict() for e in self.errors], "import_id": self.import_id,
        }


class _Rejected(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors


# Periods must belong to a stored stay of the same source and lie within it.
_PERIOD_CHECKS = (
    ("stay_id", "i.stay_id",
     "FROM incoming i LEFT JOIN stays s ON s.source = :source AND s.stay_id = i.stay_id "
     "WHERE s.stay_id IS NULL", "unknown stay_id: import the stay first"),
    ("ready_from", "CAST(i.ready_from AS VARCHAR)",
     "FROM incoming i JOIN stays s ON s.source = :source AND s.stay_id = i.stay_id "
     "WHERE i.ready_from < s.admitted_at", "ready_from is before the stay's admitted_at"),
    ("ready_from", "CAST(i.ready_from AS VARCHAR)",
     "FROM incoming i JOIN stays s ON s.source = :source AND s.stay_id = i.stay_id "
     "WHERE i.ready_from > s.discharged_at", "ready_from is after the stay's discharged_at"),
    ("ready_to", "CAST(i.ready_to AS VARCHAR)",
     "FROM incoming i JOIN stays s ON s.source = :source AND s.stay_id = i.stay_id "
     "WHERE i.ready_to > s.discharged_at", "ready_to is after the stay's discharged_at"),
)


def _check_against_store(conn: sa.Connection, kind: str, source: str) -> list[RowError]:
    if kind != "ukp-periods":
        return []
    errors: list[RowError] = []
    for column, value, where, reason in _PERIOD_CHECKS:
        rows = conn.execute(
            sa.text(f"SELECT i._row, {value} {where} ORDER BY i._row"), {"source": source}
        ).all()
        errors += [RowError(row=r[0], column=column, value=r[1], reason=reason) for r in rows]
    return sorted(errors, key=lambda e: e.row)


def _next_import_id(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.max(schema.imports.c.id))).scalar() or 0) + 1


def _log(conn: sa.Connection, report: ImportReport, sha256: str, started: datetime) -> None:
    report.import_id = report.import_id or _next_import_id(conn)
    conn.execute(schema.imports.insert().values(
        id=report.import_id, kind=report.kind, source=report.source, file_name=report.file_name,
        file_sha256=sha256, started_at=started, finished_at=datetime.now(), status=report.status,
        rows_read=report.rows_read, rows_new=report.new, rows_updated=report.updated,
        rows_unchanged=report.unchanged, rows_rejected=len({e.row for e in report.errors}),
        message=report.message,
    ))


def import_table(
    db: Database, kind: str, table: pa.Table, *, source: str = "default",
    file_name: str = "(table)", sha256: str = "", warnings: list[str] | None = None,
    recompute: bool = True,
) -> ImportReport:
    """Write an already validated table; checks that need the store happen here."""
    checked_source(source)
    started = datetime.now()
    report = ImportReport(kind, file_name, source, "ok", rows_read=table.num_rows,
                          warnings=list(warnings or []))
    if "_row" not in table.column_names:
        table = table.append_column("_row", pa.array(range(2, table.num_rows + 2), pa.int32()))
    try:
        with db.engine.begin() as conn:
            report.import_id = _next_import_id(conn)
            stage_records(conn, kind, table)
            errors = _check_against_store(conn, kind, source)
            if errors:
                raise _Rejected(errors)
            counts: WriteCounts = write_staged(conn, kind, source=source,
                                               import_id=report.import_id)
            report.new, report.updated = counts.new, counts.updated
            report.unchanged, report.removed = counts.unchanged, counts.removed
            _log(conn, report, sha256, started)
    except _Rejected as rejected:
        return reject(db, report, rejected.errors, sha256, started)
    if recompute and (report.new or report.updated or report.removed):
        cutoff = default_cutoff()
        engine.compute(db, cutoff)
        engine.forget_other_cutoffs(db, cutoff)
    return report


def reject(db: Database, report: ImportReport, errors: list[RowError], sha256: str,
           started: datetime, message: str | None = None) -> ImportReport:
    report.status, report.errors = "rejected", errors
    report.new = report.updated = report.unchanged = report.removed = 0
    bad_rows = len({e.row for e in errors})
    report.message = message or f"{bad_rows} bad row(s): nothing was imported"
    report.import_id = None
    with db.engine.begin() as conn:
        _log(conn, report, sha256, started)
    return report


def import_file(
    db: Database, kind: str, path: Path, *, settings: Settings, source: str = "default",
    recompute: bool = True,
) -> ImportReport:
    """Parse, validate and import one file (CSV or XLSX). A bad source name raises
    sources.BadSourceName (a ValueError) before anything is read or logged."""
    from flyt.ingest.parse import parse_file

    checked_source(source)
    started = datetime.now()
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    report = ImportReport(kind, path.name, source, "rejected")
    try:
        parsed = parse_file(kind, path, reference=reference_from_store(db),
                            pseudonym_key=settings.pseudonym_key)
    except InputError as exc:
        return reject(db, report, list(exc.errors), sha256, started, message=str(exc))
    report.rows_read, report.warnings = parsed.rows_read, list(parsed.warnings)
    if parsed.errors:
        return reject(db, report, parsed.errors, sha256, started)
    return import_table(db, kind, parsed.table, source=source, file_name=path.name,
                        sha256=sha256, warnings=parsed.warnings, recompute=recompute)


def reference_from_store(db: Database):
    """The municipalities and units as configured in the store (editable reference data)."""
    from flyt.ingest.parse import Reference

    with db.engine.connect() as conn:
        codes = conn.execute(sa.select(schema.municipalities.c.code)).scalars().all()
        units = conn.execute(sa.select(schema.units.c.name, schema.units.c.kind)).all()
    return Reference(municipalities=frozenset(codes), units={n: k for n, k in units})
