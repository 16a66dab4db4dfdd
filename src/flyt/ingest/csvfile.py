"""CSV bytes → text columns, with the row numbers the user sees.

Norwegian Excel habits: `;` separators, a UTF-8 BOM or no UTF-8 at all
(Windows-1252), CRLF line ends, quoted cells with line breaks inside. The
parsing itself is pyarrow's (C++, multi-threaded); this module decodes the
bytes, detects the separator and works out each record's row number, since
pyarrow skips empty lines while a user counts them (Excel shows them as rows).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv

from flyt.ingest.errors import InputError, RowError

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SEPARATORS = (";", ",", "\t")
NEWLINE, CARRIAGE_RETURN, QUOTE = 10, 13, 34


@dataclass
class RawSheet:
    """A file's cells as text: one string array per header cell, and each data row's number."""

    header: list[str]
    columns: list[pa.Array]
    rows: pa.Array  # int32, header = 1
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def to_utf8(data: bytes, warnings: list[str]) -> bytes:
    """The file as UTF-8 without BOM; Windows-1252 when it is not valid UTF-8 (with a warning)."""
    if data.startswith(UTF8_BOM):
        return data[len(UTF8_BOM) :]
    if data.startswith(UTF16_BOMS):  # Excel's "Unicode text"
        return data.decode("utf-16").encode("utf-8")
    try:  # validated in C++, without building a Python str of the whole file
        pa.array([data], pa.large_binary()).cast(pa.large_string())
    except (pa.ArrowInvalid, UnicodeDecodeError):
        warnings.append("the file is not UTF-8; it was read as Windows-1252")
        return data.decode("cp1252", errors="replace").encode("utf-8")
    return data


def detect_separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])  # ties: the order of SEPARATORS
    return best if counts[best] else ","


def record_rows(data: bytes, *, mind_quotes: bool) -> np.ndarray:
    """Row numbers (1-based, empty lines counted) of the non-empty records in `data`.

    With `mind_quotes`, a line break inside a quoted cell does not end a record
    (quote parity: an even number of quotes before it).
    """
    if not data:
        return np.zeros(0, dtype=np.int64)
    buf = np.frombuffer(data, dtype=np.uint8)
    lone_cr = NEWLINE not in data and CARRIAGE_RETURN in data  # classic Mac line ends
    ends = np.flatnonzero(buf == (CARRIAGE_RETURN if lone_cr else NEWLINE))
    if mind_quotes and ends.size:
        quotes = np.flatnonzero(buf == QUOTE)
        if quotes.size:
            ends = ends[np.searchsorted(quotes, ends) % 2 == 0]
    starts = np.concatenate(([0], ends + 1))
    ends = np.concatenate((ends, [len(data)]))
    empty = ends == starts
    if not lone_cr:  # CRLF: a line holding only "\r" is empty too
        first = buf[np.minimum(starts, len(data) - 1)]
        empty |= (ends - starts == 1) & (first == CARRIAGE_RETURN)
    return np.flatnonzero(~empty).astype(np.int64) + 1


HEADER_SEARCH_LIMIT = 1 << 16  # a header longer than this is not a header


def split_header(data: bytes) -> tuple[bytes, bytes, int]:
    """The first non-empty record, the rest of the file, and the header's row number."""
    pos, row = 0, 1
    while pos < len(data):
        end = _record_end(data, pos)
        record = data[pos:end]
        if record.strip():
            return record, data[end + 1 :], row
        pos, row = end + 1, row + 1
    raise InputError("the file is empty")


def _record_end(data: bytes, pos: int) -> int:
    """Index of the line break ending the record that starts at `pos` (quotes respected)."""
    in_quotes = False
    limit = min(len(data), pos + HEADER_SEARCH_LIMIT)
    for i in range(pos, limit):
        c = data[i]
        if c == QUOTE:
            in_quotes = not in_quotes
        elif not in_quotes and c in (NEWLINE, CARRIAGE_RETURN):
            if c == CARRIAGE_RETURN and i + 1 < len(data) and data[i + 1] == NEWLINE:
                return i + 1
            return i
    if limit < len(data):  # unbalanced quotes: fall back to the first physical line
        breaks = [i for i in (data.find(b"\n", pos), data.find(b"\r", pos)) if i >= 0]
        return min(breaks) if breaks else len(data)
    return len(data)


def read_csv(data: bytes) -> RawSheet:
    warnings: list[str] = []
    data = to_utf8(data, warnings)
    if not data.strip():
        raise InputError("the file is empty")
    header_bytes, body, header_line = split_header(data)
    header_text = header_bytes.decode("utf-8").rstrip("\r\n")
    sep = detect_separator(header_text)
    parse = pcsv.ParseOptions(delimiter=sep, newlines_in_values=True)
    header = _header_cells(header_bytes.rstrip(b"\r\n") + b"\n", parse)
    names = [f"c{i}" for i in range(len(header))]
    if not body.strip():
        empty = [pa.array([], pa.string())] * len(header)
        return RawSheet(header, empty, pa.array([], pa.int32()), [], warnings)
    table, bad = _read_body(body, names, sep, serial=False)
    if bad:  # ask again, one thread, to learn which records were malformed
        table, bad = _read_body(body, names, sep, serial=True)
    rows, errors = _number_rows(body, table.num_rows, bad, header_line, len(header), warnings)
    columns = [table.column(i).combine_chunks() for i in range(table.num_columns)]
    return RawSheet(header, columns, rows, errors, warnings)


def _header_cells(line: bytes, parse: pcsv.ParseOptions) -> list[str]:
    width = pcsv.read_csv(io.BytesIO(line), parse_options=parse,
                          read_options=pcsv.ReadOptions(autogenerate_column_names=True)).num_columns
    names = [f"c{i}" for i in range(width)]
    table = pcsv.read_csv(  # again, every cell as text ("01" is not 1)
        io.BytesIO(line), parse_options=parse, read_options=pcsv.ReadOptions(column_names=names),
        convert_options=pcsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                            strings_can_be_null=False),
    )
    return [table.column(i)[0].as_py() or "" for i in range(width)]


def _read_body(
    body: bytes, names: list[str], sep: str, *, serial: bool
) -> tuple[pa.Table, list[tuple[int | None, int, str]]]:
    bad: list[tuple[int | None, int, str]] = []  # (record number, fields, text)

    def on_invalid(row: pcsv.InvalidRow) -> str:
        bad.append((row.number, row.actual_columns, row.text))
        return "skip"

    table = pcsv.read_csv(
        io.BytesIO(body),
        read_options=pcsv.ReadOptions(column_names=names, use_threads=not serial,
                                      block_size=16 << 20),
        parse_options=pcsv.ParseOptions(delimiter=sep, newlines_in_values=True,
                                        invalid_row_handler=on_invalid),
        convert_options=pcsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return table, bad


def _number_rows(
    body: bytes,
    n_rows: int,
    bad: list[tuple[int | None, int, str]],
    header_line: int,
    n_columns: int,
    warnings: list[str],
) -> tuple[pa.Array, list[RowError]]:
    """Row numbers of the parsed rows, and errors for the malformed records pyarrow skipped."""
    skipped = {number for number, _, _ in bad if number is not None}
    lines = None
    for mind_quotes in (True, False):  # a stray quote inside a cell breaks quote parity
        candidate = record_rows(body, mind_quotes=mind_quotes)
        if candidate.size == n_rows + len(bad):
            lines = candidate
            break
    if lines is None:
        warnings.append("row numbers in this report may be off: "
                        "the file mixes quotes and line breaks")
        lines = np.arange(1, n_rows + len(bad) + 1, dtype=np.int64)
    lines = lines + header_line
    errors = []
    for number, fields, text in bad:
        if number is None or text.strip() == "":
            continue  # a line of blanks: an empty row, not an error
        noun = "field" if fields == 1 else "fields"
        errors.append(RowError(int(lines[number - 1]), None, None,
                               f"the row has {fields} {noun}, the header has {n_columns}"))
    if skipped:
        keep = np.ones(lines.size, dtype=bool)
        keep[np.array(sorted(skipped)) - 1] = False
        lines = lines[keep]
    return pa.array(lines, pa.int32()), errors
