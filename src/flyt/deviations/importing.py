"""`flyt deviations import`: an organisation's existing list of deviations (CSV or XLSX)
into the store, all or nothing (spec/deviations.md "Files in", spec/formats.md "Common
rules for every input file").

The file is read by the ingest readers (size bounds, separators, BOM, XLSX guard); every
row is checked before anything is written, and every bad row and cell is listed. The
rows are keyed by `source` + `source_id`: a row already stored unchanged is left alone,
a changed one updates its deviation (content, receivers and status; not its reporter nor
its `reported_at`, which fix who reported it and its id), a new one is created. All the
writes are one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from flyt.deviations import changes, codes, records
from flyt.deviations.errors import DeviationError
from flyt.deviations.records import NewDeviation
from flyt.deviations.settings import load_deviation_settings
from flyt.domain import clock
from flyt.i18n import t
from flyt.ingest import readers, values
from flyt.ingest.csvfile import NotUtf8
from flyt.ingest.errors import MASKED, InputError, RowError, Text
from flyt.ingest.limits import Limits
from flyt.ingest.limits import limits as configured_limits
from flyt.output.spreadsheet import FORMULA_STARTS, QUOTE_PREFIX
from flyt.store import schema
from flyt.store.db import Database
from flyt.store.reference import packaged_organisations

KIND = "deviations"  # the XLSX sheet looked for (else the first)
REQUIRED = ("source_id", "reporter_org", "receiver_org", "occurred_at", "reported_at",
            "category", "severity", "level", "status", "summary")
OPTIONAL = ("agreement_clause", "subcategory", "patient_ref", "place", "description",
            "immediate_action", "anonymous")
IGNORED = ("id",)  # Flyt's own id, written by the export: not the source's
# Characters a cell may hold: a summary is a line, the rest short codes and names.
MAX_LENGTH = {"source_id": 100, "reporter_org": 50, "receiver_org": 500,
              "agreement_clause": 200, "subcategory": 100, "patient_ref": 100, "place": 200,
              "summary": 500, "description": 10_000, "immediate_action": 10_000}
MAX_ROWS = 100_000  # a list of deviations, not an extract: each row is checked in Python
RECEIVER_SEPARATOR = ";"


@dataclass
class ImportOutcome:
    file_name: str
    source: str
    rows_read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file_name, "source": self.source,
                "status": "ok" if self.accepted else "rejected", "rows_read": self.rows_read,
                "new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "warnings": self.warnings, "errors": [e.to_dict() for e in self.errors]}


class ConcurrentChange(InputError):
    """Another writer changed the same deviations while the file was checked: nothing was
    stored, and importing again sees the new state."""


@dataclass(frozen=True)
class Row:
    """One checked row: the deviation and what the file says beyond the report."""

    number: int
    source_id: str
    new: NewDeviation
    reported_at: datetime
    status: str


def deviation_limits(base: Limits | None = None) -> Limits:
    """The `[ingest]` limits, with at most MAX_ROWS rows."""
    base = base or configured_limits()
    return replace(base, max_rows=min(base.max_rows, MAX_ROWS))


# --- reading ----------------------------------------------------------------

def read_cells(path: Path, limits: Limits) -> tuple[list[str], list[int],
                                                   list[list[str | None]], list[RowError],
                                                   list[str]]:
    """Header, row numbers, the columns (cleaned text) and malformed records of a file."""
    try:
        return _read_cells(path, limits, None)
    except NotUtf8:  # a Windows-1252 file from an older Excel: read it again so
        return _read_cells(path, limits, "cp1252")


def _read_cells(path: Path, limits: Limits, encoding: str | None):
    numbers: list[int] = []
    columns: list[list[str | None]] = []
    errors: list[RowError] = []
    with readers.open_sheet(path, KIND, encoding=encoding, limits=limits) as sheet:
        header = list(sheet.header)
        columns = [[] for _ in header]
        for chunk in sheet.chunks():
            numbers += [int(n) for n in chunk.rows.to_pylist() if n is not None]
            errors += chunk.errors
            for i, column in enumerate(chunk.columns):
                columns[i] += values.clean(column).to_pylist()
            if len(numbers) > limits.max_rows:
                raise InputError(Text.of("devio_too_many_rows", limit=limits.max_rows))
        warnings = list(sheet.warnings)
    return header, numbers, columns, errors, warnings


def columns_by_name(header: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Known column → its index (names matched case-insensitively), and warnings for
    the unknown ones. InputError for a missing required column."""
    found: dict[str, int] = {}
    warnings = []
    for i, name in enumerate(header):
        key = name.strip().casefold()
        if key in REQUIRED or key in OPTIONAL:
            found.setdefault(key, i)
        elif key not in IGNORED:
            warnings.append(f"unknown column {name.strip()!r} ignored")
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise InputError(Text.of("devio_missing_columns", columns=", ".join(missing)))
    return found, warnings


def unquoted(text: str | None) -> str | None:
    """A text cell as written before the export neutralised a formula start ('=x → =x)."""
    if text is not None and text.startswith(QUOTE_PREFIX) and text[1:2] and \
            text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


# --- checking -----------------------------------------------------------------

class RowChecks:
    """Every check of one row; the problems are collected, not raised."""

    def __init__(self, number: int, cells: dict[str, str | None]) -> None:
        self.number = number
        self.cells = cells
        self.errors: list[RowError] = []

    def fail(self, column: str | None, text: Text, *, mask: bool = False) -> None:
        value = MASKED if mask else (self.cells.get(column) if column else None)
        self.errors.append(RowError.of(self.number, column, value, text))

    def code(self, column: str, parse: Callable[[str], str]) -> str | None:
        try:
            return parse(self.cells[column] or "")
        except DeviationError as refused:
            self.fail(column, Text.of(refused.key, **refused.values))
            return None

    def required(self, column: str) -> str | None:
        value = self.cells.get(column)
        if value is None:
            self.fail(column, Text.of("devio_required"))
        return value


def _moments(raw: list[str | None]) -> list[values.Parsed]:
    return values.evaluate(raw, values.timestamp_value("x"), values.timestamp_error("x", "v"))


def _booleans(raw: list[str | None]) -> list[values.Parsed]:
    return values.evaluate(raw, values.boolean_value("x"), values.boolean_error("x", "v"))


_DATE_ONLY = (r"\d{1,2}\.\d{1,2}\.\d{4}", r"\d{4}-\d{2}-\d{2}")


def _is_date_only(text: str) -> bool:
    return any(re.fullmatch(p, text) for p in _DATE_ONLY)


FREE_TEXT = ("summary", "description", "immediate_action", "place")


@dataclass(frozen=True)
class FileContext:
    """What every row is checked against: the configuration, the organisations, and the
    columns parsed at once (one DuckDB pass a column, not one a cell)."""

    categories: tuple[str, ...]
    organisations: frozenset[str]
    occurred: list[values.Parsed]
    reported: list[values.Parsed]
    anonymous: list[values.Parsed]
    seen: dict[str, int] = field(default_factory=dict)  # source_id → its first row

    @classmethod
    def of(cls, cells: list[dict[str, str | None]]) -> FileContext:
        return cls(load_deviation_settings().categories,
                   frozenset(o.org_id for o in packaged_organisations()),
                   _moments([c.get("occurred_at") for c in cells]),
                   _moments([c.get("reported_at") for c in cells]),
                   _booleans([c.get("anonymous") for c in cells]))


def check_rows(numbers: list[int], cells: list[dict[str, str | None]]) -> tuple[
        list[Row], list[RowError], list[str]]:
    """The good rows, every problem of the bad ones, and warnings (free text that looks
    like it holds a national id: the contract warns, it does not refuse)."""
    context = FileContext.of(cells)
    rows: list[Row] = []
    errors: list[RowError] = []
    warnings: list[str] = []
    for i, (number, cell) in enumerate(zip(numbers, cells, strict=True)):
        check = RowChecks(number, cell)
        row = _checked_row(check, context, i)
        errors += check.errors
        if row is not None:
            rows.append(row)
            warnings += [t("devio_national_id_warning", "en").format(row=number, column=c)
                         for c in FREE_TEXT
                         if cell.get(c) and records.looks_like_national_id(cell[c] or "")]
    return rows, errors, warnings


def _checked_row(check: RowChecks, context: FileContext, i: int) -> Row | None:
    """The row's deviation, or None with its problems in `check.errors`."""
    cell = check.cells
    _lengths(check)
    source_id = _source_id(check, context.seen)
    reporter, receivers = _organisations(check, context.organisations)
    occurred = _moment(check, "occurred_at", context.occurred[i])
    reported = _moment(check, "reported_at", context.reported[i])
    category = check.code("category", lambda x: codes.parse_category(x, context.categories))
    severity = check.code("severity", codes.parse_severity)
    level = check.code("level", codes.parse_level)
    status = check.code("status", codes.parse_status)
    if level == "system" and cell.get("agreement_clause") is None:
        check.fail("agreement_clause", Text.of("dev_clause_required"))
    summary = check.required("summary")
    patient_ref = cell.get("patient_ref")
    if patient_ref is not None and records.looks_like_national_id(patient_ref):
        check.fail("patient_ref", Text.of("dev_patient_ref_national_id"), mask=True)
    flag = context.anonymous[i]
    if cell.get("anonymous") is not None and flag.value is None:
        check.fail("anonymous", Text.of("devio_bad_flag", why=flag.error or ""))
    if check.errors:
        return None
    assert source_id and reporter and category and severity and level and status
    assert summary and occurred and reported
    when = occurred.date() if _is_date_only(cell["occurred_at"] or "") else occurred
    return Row(check.number, source_id, NewDeviation(
        reporter_org=reporter, receiver_orgs=receivers, occurred_at=when,
        category=category, severity=severity, level=level, summary=summary,
        agreement_clause=cell.get("agreement_clause"), subcategory=cell.get("subcategory"),
        patient_ref=patient_ref, place=cell.get("place"),
        description=cell.get("description"), immediate_action=cell.get("immediate_action"),
        anonymous=bool(flag.value)), clock.wall_clock(reported), status)


def _lengths(check: RowChecks) -> None:
    for column, limit in MAX_LENGTH.items():
        text = check.cells.get(column)
        if text is not None and len(text) > limit:
            check.fail(column, Text.of("devio_too_long", max=limit, length=len(text)),
                       mask=column == "patient_ref")


def _source_id(check: RowChecks, seen: dict[str, int]) -> str | None:
    source_id = check.required("source_id")
    if source_id is not None:
        if source_id in seen:
            check.fail("source_id", Text.of("devio_duplicate", row=seen[source_id]))
        seen.setdefault(source_id, check.number)
    return source_id


def _organisations(check: RowChecks, known: frozenset[str]) -> tuple[str | None, list[str]]:
    reporter = check.required("reporter_org")
    if reporter is not None and reporter not in known:
        check.fail("reporter_org", Text.of("dev_unknown_org", org=reporter))
    receivers = [r.strip() for r in (check.cells.get("receiver_org") or "").split(
        RECEIVER_SEPARATOR) if r.strip()]
    if not receivers:
        check.fail("receiver_org", Text.of("dev_no_receiver"))
    for org in receivers:
        if org not in known:
            check.fail("receiver_org", Text.of("dev_unknown_org", org=org))
        elif org == reporter:
            check.fail("receiver_org", Text.of("dev_receiver_is_reporter", org=org))
    return reporter, receivers


def _moment(check: RowChecks, column: str, parsed: values.Parsed) -> datetime | None:
    if check.required(column) is not None and parsed.value is None:
        check.fail(column, Text.of("devio_bad_time", why=parsed.error or ""))
    return parsed.value


# --- storing ----------------------------------------------------------------

@dataclass(frozen=True)
class Stored:
    id: str
    values: dict[str, object]
    receivers: tuple[str, ...]
    status: str
    version: int
    reported_at: datetime


COMPARED = ("reporter_org", "occurred_at", "occurred_has_time", "category", "subcategory",
            "severity", "level", "agreement_clause", "patient_ref", "place", "summary",
            "description", "immediate_action", "anonymous")


def stored_of(db: Database, source: str) -> dict[str, Stored]:
    d, r = schema.deviations.c, schema.deviation_receivers.c
    with db.engine.connect() as conn:
        found = conn.execute(sa.select(schema.deviations).where(d.source == source)).all()
        pairs = conn.execute(sa.select(r.deviation_id, r.org_id).join(
            schema.deviations, d.id == r.deviation_id).where(d.source == source)
            .order_by(r.org_id)).all()
    receivers: dict[str, list[str]] = {}
    for deviation_id, org in pairs:
        receivers.setdefault(deviation_id, []).append(org)
    out = {}
    for row in found:
        m = row._mapping
        out[m["source_id"]] = Stored(m["id"], {c: m[c] for c in COMPARED},
                                     tuple(receivers.get(m["id"], ())), m["status"],
                                     m["version"], m["reported_at"])
    return out


def _fixed_changes(row: Row, stored: Stored, values_: dict[str, object]) -> list[RowError]:
    """What a re-import may not change: the reporter and reported_at."""
    errors = []
    if values_["reporter_org"] != stored.values["reporter_org"]:
        errors.append(RowError.of(row.number, "reporter_org", row.new.reporter_org,
                                  Text.of("devio_fixed", id=stored.id)))
    if row.reported_at != stored.reported_at:
        errors.append(RowError.of(row.number, "reported_at", row.reported_at.isoformat(),
                                  Text.of("devio_fixed", id=stored.id)))
    return errors


def _update(conn: sa.Connection, stored: Stored, values_: dict[str, object],
            receivers: list[str], status: str) -> None:
    d = schema.deviations.c
    moved = conn.execute(schema.deviations.update()
                         .where(d.id == stored.id, d.version == stored.version)
                         .values(status=status, version=stored.version + 1, **values_,
                                 search_text=records.search_text(stored.id, values_)))
    if moved.rowcount != 1:  # a step in Flyt came between reading and writing
        raise ConcurrentChange(Text.of("devio_changed_meanwhile", id=stored.id))
    conn.execute(schema.deviation_receivers.delete().where(
        schema.deviation_receivers.c.deviation_id == stored.id))
    conn.execute(schema.deviation_receivers.insert(),
                 [{"deviation_id": stored.id, "org_id": org} for org in receivers])
    conn.execute(schema.deviation_events.insert().values(
        deviation_id=stored.id, version=stored.version + 1, created_at=clock.stamp(),
        user_id=None, organisation=values_["reporter_org"], from_status=stored.status,
        to_status=status, comment=records.IMPORTED))


def import_file(db: Database, path: Path, source: str, *,
                limits: Limits | None = None) -> ImportOutcome:
    """Check every row of `path`, then store all of them or none (InputError: the file as
    a whole is unusable)."""
    outcome = ImportOutcome(Path(path).name, source)
    header, numbers, columns, malformed, warnings = read_cells(path, deviation_limits(limits))
    found, unknown = columns_by_name(header)
    outcome.warnings = warnings + unknown
    outcome.rows_read = len(numbers)
    cells = [{name: unquoted(columns[i][n]) for name, i in found.items()}
             for n in range(len(numbers))]
    rows, errors, suspicious = check_rows(numbers, cells)
    outcome.warnings += suspicious
    settings = load_deviation_settings()
    stored = stored_of(db, source)
    plan: list[tuple[Row, Stored | None, dict[str, object], list[str]]] = []
    for row in rows:
        try:
            values_, receivers = records.checked(row.new, settings)
        except DeviationError as refused:
            errors.append(RowError.of(row.number, None, None,
                                      Text.of(refused.key, **refused.values)))
            continue
        before = stored.get(row.source_id)
        if before is not None:
            errors += _fixed_changes(row, before, values_)
        plan.append((row, before, values_, receivers))
    outcome.errors = sorted(malformed + errors, key=lambda e: (e.row, e.order))
    if outcome.errors:
        return outcome
    _write(db, source, plan, outcome)
    return outcome


def _prepared(db: Database, source: str,
              rows: list[tuple[Row, dict[str, object], list[str]]]) -> list[records.Prepared]:
    """The new rows ready to insert. records.prepare (which makes the year's sequence in
    a transaction of its own) runs once a year; the other rows of that year reuse its
    sequence and the values checked already (a few milliseconds a row saved)."""
    first: dict[int, records.Prepared] = {}
    out = []
    for row, values_, receivers in rows:
        year = row.reported_at.year
        if year not in first:
            first[year] = records.prepare(db, row.new, source=source,
                                          source_id=row.source_id,
                                          reported_at=row.reported_at, status=row.status)
            out.append(first[year])
            continue
        out.append(records.Prepared({**values_, "source": source, "source_id": row.source_id},
                                    receivers, first[year].sequence, row.reported_at,
                                    row.status, imported=True))
    return out


def _write(db: Database, source: str, plan, outcome: ImportOutcome) -> None:
    fresh = _prepared(db, source, [(row, values_, receivers)
                                   for row, before, values_, receivers in plan
                                   if before is None])
    changed = [(before, values_, receivers, row.status)
               for row, before, values_, receivers in plan if before is not None
               and (values_ != before.values or tuple(sorted(receivers)) != before.receivers
                    or row.status != before.status)]
    try:
        with db.engine.begin() as conn:
            records.insert_many(conn, fresh, user_id=None)
            for before, values_, receivers, status in changed:
                _update(conn, before, values_, receivers, status)
    except sa.exc.IntegrityError:  # the same source's rows, stored by another import now
        raise ConcurrentChange(Text.of("devio_imported_meanwhile", source=source)) from None
    except sa.exc.DBAPIError as error:
        # DuckDB refuses a row another open transaction changed instead of waiting.
        if db.engine.dialect.name == "duckdb" and "conflict" in str(error.orig).lower():
            raise ConcurrentChange(Text.of("devio_imported_meanwhile", source=source)) \
                from None
        raise
    changes.changed()  # after the commit: a list made meanwhile must not be kept
    outcome.new = len(fresh)
    outcome.updated = len(changed)
    outcome.unchanged = len(plan) - len(fresh) - len(changed)


def lines(outcome: ImportOutcome, lang: str = "en") -> Iterator[str]:
    """The outcome for a person: a summary line, the warnings, every bad row."""
    for warning in outcome.warnings:
        yield f"warning: {warning}"
    if outcome.accepted:
        key = "devio_done_nothing" if outcome.new + outcome.updated == 0 else "devio_done"
        yield t(key, lang).format(file=outcome.file_name, rows=outcome.rows_read,
                                  new=outcome.new, updated=outcome.updated,
                                  unchanged=outcome.unchanged)
        return
    for e in outcome.errors:
        where = f"row {e.row}" + (f", {e.column}" if e.column else "")
        value = f" {e.value!r}" if e.value is not None else ""
        yield f"{where}:{value} {e.reason_in(lang)}"
