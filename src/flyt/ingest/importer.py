"""Run an import: validate, check against stored records, write, log.

All or nothing: the rows are written in one transaction, and any bad row rejects
the whole file. Every attempt is logged in ``imports``, a rejected one too, so the
import history shows what was tried and why it failed.

Every bad row is counted; the first `max_error_details` errors (flyt.ingest.limits)
are kept in detail, so a file of millions of bad rows takes little memory.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import sqlalchemy as sa

from flyt.config import Settings
from flyt.domain.identity import mask_national_ids
from flyt.engine import compute as engine
from flyt.engine import moments
from flyt.ingest import elsewhere
from flyt.ingest.elsewhere import Elsewhere
from flyt.ingest.errors import ErrorTally, InputError, RowError, Text
from flyt.ingest.limits import DEFAULT, Limits
from flyt.ingest.limits import limits as configured_limits
from flyt.ingest.sources import checked_source
from flyt.store import schema
from flyt.store.db import Database
from flyt.store.ids import in_id_order, next_id
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
    tally: ErrorTally = field(default_factory=lambda: ErrorTally(DEFAULT.max_error_details))
    warnings: list[str] = field(default_factory=list)
    message: str | None = None  # English (the command line, the import log)
    import_id: int | None = None
    text: Text | None = None  # the message in other languages, where it has a key
    elsewhere: Elsewhere | None = None  # stopped: the records exist under another source

    @property
    def errors(self) -> list[RowError]:
        """The first bad rows and cells in detail (all of them up to max_error_details)."""
        return self.tally.errors

    @property
    def error_count(self) -> int:
        return self.tally.count

    @property
    def rejected_rows(self) -> int:
        return self.tally.bad_rows if self.status != "ok" else 0

    @property
    def accepted(self) -> int:
        return self.new + self.updated + self.unchanged if self.status == "ok" else 0

    def message_in(self, lang: str) -> str | None:
        return self.text(lang) if self.text else self.message

    def as_dict(self, *, lang: str | None = None, max_errors: int | None = None) -> dict:
        """The report as plain data. `lang`: messages in that language (else English);
        `max_errors`: list at most that many errors (`error_count` has them all)."""
        shown = self.errors if max_errors is None else self.errors[:max_errors]
        return {
            "kind": self.kind, "file": self.file_name, "source": self.source,
            "status": self.status, "read": self.rows_read, "accepted": self.accepted,
            "rejected": self.rejected_rows,
            "new": self.new, "updated": self.updated, "unchanged": self.unchanged,
            "removed": self.removed,
            "message": self.message_in(lang) if lang else self.message,
            "warnings": self.warnings, "error_count": self.error_count,
            "errors": [e.to_dict(lang) for e in shown], "import_id": self.import_id,
            "exists_under": None if self.elsewhere is None else {
                "source": self.elsewhere.source, "count": self.elsewhere.count,
                "sources": self.elsewhere.sources},
        }


class _Rejected(Exception):
    def __init__(self, errors: ErrorTally, text: Text | None = None,
                 elsewhere: Elsewhere | None = None):
        self.errors, self.text, self.elsewhere = errors, text, elsewhere


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


def _check_against_store(conn: sa.Connection, kind: str, source: str, keep: int) -> ErrorTally:
    """What only the store can tell is wrong: every bad row counted, the first in detail."""
    tally = ErrorTally(keep)
    if kind != "ukp-periods":
        return tally
    params = {"source": source}
    for column, value, where, reason in _PERIOD_CHECKS:
        rows = conn.execute(sa.text(f"SELECT i._row {where}"), params).scalars().all()
        if not rows:
            continue
        first = conn.execute(sa.text(f"SELECT i._row, {value} {where} ORDER BY i._row "
                                     f"LIMIT {int(keep)}"), params).all()
        tally.add([RowError(r[0], column, r[1], reason) for r in first],
                  rows=np.array(rows, dtype=np.int32))
    return tally


def _log(conn: sa.Connection, report: ImportReport, sha256: str, started: datetime) -> None:
    """Log the attempt under the id its records carry, or (a rejection) a new one."""
    row = dict(
        kind=report.kind, source=report.source, file_name=report.file_name,
        file_sha256=sha256, started_at=started, finished_at=moments.now(), status=report.status,
        rows_read=report.rows_read, rows_new=report.new, rows_updated=report.updated,
        rows_unchanged=report.unchanged, rows_rejected=report.rejected_rows,
        message=report.message,
    )
    if report.import_id is not None:
        row["id"] = report.import_id
    report.import_id = conn.execute(schema.imports.insert().values(**row)
                                    .returning(schema.imports.c.id)).scalar_one()


def import_table(
    db: Database, kind: str, table: pa.Table, *, source: str = "default",
    file_name: str = "(table)", sha256: str = "", warnings: list[str] | None = None,
    recompute: bool = False, limits: Limits = DEFAULT, check_other_sources: bool = False,
) -> ImportReport:
    """Write an already validated table; checks that need the store happen here.

    `check_other_sources`: stop (rejected, nothing written) when records of the table
    exist under another source (flyt.ingest.elsewhere): an import of files does, unless
    the user says they are new records; the PLO replay and tests' fixtures do not."""
    checked_source(source)
    started = moments.now()
    report = ImportReport(kind, file_name, source, "ok", rows_read=table.num_rows,
                          warnings=list(warnings or []))
    if "_row" not in table.column_names:
        table = table.append_column("_row", pa.array(range(2, table.num_rows + 2), pa.int32()))
    try:
        # In id order: the newest accepted import's id dates the stored results.
        with in_id_order(db, schema.imports) as conn:
            report.import_id = next_id(conn, schema.imports)  # its records carry it
            stage_records(conn, kind, table)
            found = elsewhere.find(conn, kind, source, table.num_rows) \
                if check_other_sources else None
            if found is not None:
                raise _Rejected(ErrorTally(limits.max_error_details), found.text(), found)
            errors = _check_against_store(conn, kind, source, limits.max_error_details)
            if errors:
                raise _Rejected(errors)
            counts: WriteCounts = write_staged(conn, kind, source=source,
                                               import_id=report.import_id)
            report.new, report.updated = counts.new, counts.updated
            report.unchanged, report.removed = counts.unchanged, counts.removed
            _log(conn, report, sha256, started)
            if report.new or report.updated or report.removed:
                engine.forget_stale(conn)  # computed again when next asked for, once
    except _Rejected as rejected:
        report.elsewhere = rejected.elsewhere
        return reject(db, report, rejected.errors, sha256, started, text=rejected.text)
    if recompute and (report.new or report.updated or report.removed):
        engine.compute(db, moments.default_cutoff(db))
    return report


def reject(db: Database, report: ImportReport, errors: ErrorTally, sha256: str,
           started: datetime, message: str | None = None, *,
           text: Text | None = None) -> ImportReport:
    report.status, report.tally = "rejected", errors
    report.new = report.updated = report.unchanged = report.removed = 0
    if text is None and message is None:
        text = Text.of("ingest_bad_rows", rows=errors.bad_rows)
    report.text = text
    report.message = text("en") if text else message
    report.import_id = None
    with db.engine.begin() as conn:
        _log(conn, report, sha256, started)
    return report


def import_file(
    db: Database, kind: str, path: Path, *, settings: Settings, source: str = "default",
    recompute: bool = False, limits: Limits | None = None, new_records: bool = False,
) -> ImportReport:
    """Parse, validate and import one file (CSV or XLSX). A bad source name raises
    sources.BadSourceName (a ValueError) before anything is read or logged.

    `limits`: how much of a file is read (default: the configuration's [ingest]).
    `new_records`: the user says the file's records are not those already stored
    under another source (else such a file is stopped: flyt.ingest.elsewhere)."""
    from flyt.ingest.parse import parse_file

    checked_source(source)
    limits = limits or configured_limits()
    started = moments.now()
    sha256 = _sha256(path, limits.max_file_bytes)
    file_name = mask_national_ids(path.name)[0]  # the name is logged and shown
    report = ImportReport(kind, file_name, source, "rejected")
    try:
        parsed = parse_file(kind, path, reference=reference_from_store(db),
                            pseudonym_key=settings.pseudonym_key, limits=limits)
    except InputError as exc:
        tally = ErrorTally(limits.max_error_details)
        tally.add(exc.errors)
        return reject(db, report, tally, sha256, started, message=exc.message, text=exc.text)
    report.rows_read, report.warnings = parsed.rows_read, list(parsed.warnings)
    if not parsed.ok:
        return reject(db, report, parsed.tally, sha256, started)
    return import_table(db, kind, parsed.table, source=source, file_name=file_name,
                        sha256=sha256, warnings=parsed.warnings, recompute=recompute,
                        limits=limits, check_other_sources=not new_records)


def _sha256(path: Path, max_bytes: int) -> str:
    """The file's SHA-256, read in blocks; "" for a file that will be refused as too big."""
    if not path.is_file() or path.stat().st_size > max_bytes:
        return ""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def reference_from_store(db: Database):
    """The municipalities and units as configured in the store (editable reference data)."""
    from flyt.ingest.parse import Reference

    with db.engine.connect() as conn:
        codes = conn.execute(sa.select(schema.municipalities.c.code)).scalars().all()
        units = conn.execute(sa.select(schema.units.c.name, schema.units.c.kind)).all()
    return Reference(municipalities=frozenset(codes), units={n: k for n, k in units})
