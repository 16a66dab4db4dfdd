"""Reading one canonical input file (spec/formats.md): the entry point of flyt.ingest.

    parsed = parse_file("stays", Path("stays.csv"), reference=Reference.default(),
                        pseudonym_key=key)
    if parsed.errors: report them all (nothing is imported)
    else: parsed.table holds the canonical typed columns and "_row"

A file that cannot be read at all raises InputError; a readable file with bad
rows comes back with every problem in `errors`. Nothing is written anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import pyarrow as pa
import pyarrow.compute as pc

from flyt.domain import clock
from flyt.domain.identity import mask_national_ids, pseudonymize
from flyt.ingest import checks
from flyt.ingest.csvfile import Chunk, NotUtf8
from flyt.ingest.echo import shown
from flyt.ingest.errors import ErrorTally, InputError, RowError, Text
from flyt.ingest.kinds import KIND_SPECS, Kind, schema
from flyt.ingest.limits import DEFAULT, Limits
from flyt.ingest.readers import open_sheet
from flyt.ingest.reference import Reference

KINDS = tuple(KIND_SPECS)  # the file kinds, in their order (one list: ingest/kinds.py)

__all__ = ["KINDS", "InputError", "ParsedFile", "Reference", "RowError", "parse_file"]


@dataclass
class ParsedFile:
    kind: str
    path: Path
    rows_read: int  # data rows in the file, empty rows not counted
    table: pa.Table  # canonical typed columns + "_row"; empty (0 rows) when there are errors
    tally: ErrorTally = field(default_factory=lambda: ErrorTally(DEFAULT.max_error_details))
    warnings: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[RowError]:
        """The bad rows and cells, in row order: every one, up to max_error_details."""
        return self.tally.errors

    @property
    def ok(self) -> bool:
        return not self.tally


def parse_file(kind: str, path: Path, *, reference: Reference, pseudonym_key: bytes,
               limits: Limits = DEFAULT) -> ParsedFile:
    spec = KIND_SPECS.get(kind)
    if spec is None:
        raise ValueError(f"unknown file kind {kind!r}; expected one of {', '.join(KINDS)}")
    path = Path(path)
    try:
        return _parse(spec, path, reference, pseudonym_key, limits, encoding=None)
    except NotUtf8:  # found out part-way through a CSV file: read it again
        return _parse(spec, path, reference, pseudonym_key, limits, encoding="cp1252")


def _parse(spec: Kind, path: Path, reference: Reference, pseudonym_key: bytes, limits: Limits,
           *, encoding: str | None) -> ParsedFile:
    with open_sheet(path, spec.name, encoding=encoding, limits=limits) as sheet:
        columns = match_header(spec, sheet.header)
        unnamed = [i for i, cell in enumerate(sheet.header) if not _name(cell)]
        with_values: set[int] = set()  # unnamed columns with a value somewhere
        sheet_errors = ErrorTally(limits.max_error_details)  # malformed rows, too long cells
        malformed = 0  # rows the reader could not split into cells (not checked further)
        with checks.Checker(spec, reference, this_year=clock.today().year,
                            keep=limits.max_error_details) as checker:
            for chunk in sheet.chunks():
                with_values |= {i for i in unnamed
                                if i not in with_values and _has_values(chunk.columns[i])}
                sheet_errors.add(chunk.errors, chunk.error_rows)
                malformed += len(chunk.errors if chunk.error_rows is None else chunk.error_rows)
                sheet_errors.extend(long_cells(chunk, sheet.header, limits))
                cells = {name: chunk.columns[i] for name, i in columns.items()}
                checker.add(pa.table({**cells, "_row": chunk.rows}))
                del chunk, cells
            checked = checker.finish()
        warnings = sheet.warnings + header_warnings(spec, sheet.header, columns, with_values)
    rows_read = checked.rows_read + malformed
    if rows_read == 0:
        raise InputError("the file has no data rows")
    errors = sheet_errors
    errors.extend(checked.errors)  # stable: a row's reading errors, then its checks
    if errors or checked.table is None:
        return ParsedFile(spec.name, path, rows_read, schema(spec).empty_table(), errors, warnings)
    table = checked.table
    if spec.has_identity:
        table = _patient_ids_from_fnr(table, pseudonym_key)
    return ParsedFile(spec.name, path, rows_read, table, errors, warnings)


def long_cells(chunk: Chunk, header: list[str], limits: Limits) -> ErrorTally:
    """Cells with more than max_text_length characters, any column (pyarrow, no row loop)."""
    tally = ErrorTally(limits.max_error_details)
    for i, cells in enumerate(chunk.columns):
        lengths = pc.utf8_length(cells)
        longest = pc.max(lengths).as_py()
        if longest is None or longest <= limits.max_text_length:
            continue
        # pa.scalar: what pyarrow makes of an int itself; pyarrow-stubs take no Python value.
        too_long = pc.greater(lengths, pa.scalar(limits.max_text_length))
        rows = pc.filter(chunk.rows, too_long)
        first = min(len(rows), limits.max_error_details)
        values = pc.filter(cells, too_long).slice(0, first).to_pylist()
        counts = pc.filter(lengths, too_long).slice(0, first).to_pylist()
        name = _name(header[i]) or f"column {i + 1}"
        tally.add([RowError.of(row, name, value, Text.of("ingest_cell_too_long", length=n,
                                                         limit=limits.max_text_length))
                   # cast: row numbers are never null
                   for row, value, n in zip(cast(list[int], rows.slice(0, first).to_pylist()),
                                            values, counts, strict=True)],
                  rows=rows.to_numpy())
    return tally


def match_header(spec: Kind, header: list[str]) -> dict[str, int]:
    """Canonical column name → its position in the file."""
    known = {c.name for c in spec.columns}
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = _name(cell)
        if name in found:
            twice = f"column '{name}' appears twice"
            raise InputError(f"{twice} (columns {found[name] + 1} and {i + 1})",
                             [RowError(1, name, cell, twice)])
        if name in known:
            found[name] = i
    missing = missing_columns(spec, found.keys())
    if missing:
        raise InputError(_missing_message(spec, missing, set(found) | _names(header)),
                         [RowError(1, n, None, f"missing required column '{n}'") for n in missing])
    return found


def header_warnings(spec: Kind, header: list[str], found: dict[str, int],
                    with_values: set[int]) -> list[str]:
    """What is ignored: unknown columns, and columns without a name that hold values."""
    known = {c.name for c in spec.columns}
    warnings: list[str] = []
    for i, cell in enumerate(header):
        name = _name(cell)
        if not name:
            if i in with_values:
                warnings.append(f"column {i + 1} has no name in the header and is ignored")
        elif name not in known:
            hidden = mask_national_ids(cell.strip())[0]  # a header cell is echoed too
            warnings.append(f"unknown column '{shown(hidden)}' ignored")
    if "patient_id" in found and "fnr" in found:
        warnings.append("both patient_id and fnr are given: where fnr is filled in, "
                        "patient_id is derived from it")
    return warnings


def missing_columns(spec: Kind, present: object) -> list[str]:
    names = set(present)  # type: ignore[call-overload]
    no_identity = spec.has_identity and not names & {"patient_id", "fnr"}
    return [c.name for c in spec.columns
            if (c.required and c.name not in names) or (c.name == "patient_id" and no_identity)]


def _name(cell: str) -> str:
    return cell.strip().lstrip("\ufeff").strip().lower()


def _names(header: list[str]) -> set[str]:
    return {_name(h) for h in header}


def _missing_message(spec: Kind, missing: list[str], present: set[str]) -> str:
    listed = ", ".join(f"'{n}'" + (" (or 'fnr')" if n == "patient_id" else "") for n in missing)
    message = f"missing required column{'s' if len(missing) > 1 else ''} {listed}"
    lookalikes = [k for k in KIND_SPECS.values()
                  if k is not spec and not missing_columns(k, present)]
    if lookalikes:
        best = max(lookalikes, key=lambda k: len(present & {c.name for c in k.columns}))
        message += f"; this looks like a {best.name} file"
    return message


def _has_values(cells: pa.Array | pa.ChunkedArray) -> bool:
    trimmed = pc.utf8_trim_whitespace(cells)
    # pa.scalar(""): what pyarrow makes of "" itself; pyarrow-stubs take no Python value.
    return bool(pc.any(pc.not_equal(trimmed, pa.scalar(""))).as_py())


def _patient_ids_from_fnr(table: pa.Table, key: bytes) -> pa.Table:
    """patient_id = "h:" + HMAC-SHA-256(key, fnr) where fnr is given; the fnr column goes."""
    fnr = table.column("fnr")
    table = table.drop_columns(["fnr"])
    if fnr.null_count == len(fnr):
        return table
    distinct = pc.unique(fnr).drop_null()  # each person hashed once
    # cast: drop_null left no None among the numbers
    hashed = pa.array(pseudonymize(cast(list[str], distinct.to_pylist()), key), pa.string())
    ids = hashed.take(pc.index_in(fnr, value_set=distinct))
    at = table.schema.get_field_index("patient_id")
    # cast: pyarrow-stubs give coalesce a Scalar result too; of arrays it makes an array
    patient_ids = cast("pa.Array | pa.ChunkedArray",
                       pc.coalesce(ids, table.column("patient_id")))
    return table.set_column(at, "patient_id", patient_ids)
