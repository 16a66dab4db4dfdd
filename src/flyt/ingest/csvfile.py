"""CSV files → text columns, a part at a time, with the row numbers the user sees.

Norwegian Excel habits: `;` separators, a UTF-8 BOM or no UTF-8 at all
(Windows-1252), CRLF line ends, quoted cells with line breaks inside. The
parsing itself is pyarrow's (C++, multi-threaded); this module decodes the
bytes, detects the separator and works out each record's row number, since
pyarrow skips empty lines while a user counts them (Excel shows them as rows).

A file is read in parts of CHUNK_ROWS records or CHUNK_BYTES bytes (a small
file is one part), each cut where a record ends as pyarrow reads it (a line
break outside quoted cells), so that the memory needed does not grow with the
file. The encoding, the separator and the header are worked out once, from the
start of the file.
"""

from __future__ import annotations

import codecs
import io
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, Literal

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv

from flyt.ingest.errors import InputError, RowError, Text
from flyt.ingest.limits import DEFAULT, Limits

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SEPARATORS = (";", ",", "\t")
NEWLINE, CARRIAGE_RETURN, QUOTE = 10, 13, 34

CHUNK_ROWS = 1_000_000  # records (empty lines too) per part of a file read
CHUNK_BYTES = 128 << 20  # and at most this many bytes (unless one record is longer)
READ_BYTES = 16 << 20  # the file is read in blocks of this size
LINE_END_PROBE = 1 << 20  # bytes looked at to tell classic Mac line ends (lone CR) apart
NOT_UTF8 = "the file is not UTF-8; it was read as Windows-1252"
ROWS_MAY_BE_OFF = "row numbers in this report may be off: the file mixes quotes and line breaks"


@dataclass
class RawSheet:
    """A file's cells as text: one string array per header cell, and each data row's number."""

    header: list[str]
    columns: list[pa.StringArray]
    rows: pa.Array  # int32, header = 1
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Chunk:
    """Some consecutive rows of a file: text columns (one per header cell) and row numbers."""

    columns: Sequence[pa.StringArray | pa.ChunkedArray[pa.StringScalar]]
    rows: pa.Array  # int32, header = 1
    errors: list[RowError]  # malformed records among these rows (the first, in detail)
    error_rows: np.ndarray | None = None  # the row of every malformed record (None: `errors`)


class NotUtf8(Exception):  # noqa: N818 - a signal, not a failure
    """A file read as UTF-8 turned out not to be: read it again as Windows-1252."""


def is_utf8(data: bytes | memoryview) -> bool:
    """Validated in C++, without copying and without building a Python str."""
    # .data: the same memory as a memoryview (numpy's stubs give ndarray the buffer
    # protocol's __buffer__ only from Python 3.12 on).
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64).data)
    try:
        pa.LargeStringArray.from_buffers(1, offsets, pa.py_buffer(data)).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def detect_separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])  # ties: the order of SEPARATORS
    return best if counts[best] else ","


def record_rows(data: bytes | memoryview, *, mind_quotes: bool,
                lone_cr: bool | None = None) -> np.ndarray:
    """Row numbers (1-based, empty lines counted) of the non-empty records in `data`.

    With `mind_quotes`, a line break inside a quoted cell does not end a record
    (quote parity: an even number of quotes before it). `lone_cr`: the file's
    lines end in CR alone (classic Mac); worked out from `data` when not given.
    """
    if not len(data):
        return np.zeros(0, dtype=np.int64)
    buf = np.frombuffer(data, dtype=np.uint8)
    if lone_cr is None:
        lone_cr = NEWLINE not in data and CARRIAGE_RETURN in data
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


def find_header(data: bytes, *, complete: bool) -> tuple[int, int, int] | None:
    """Where the first non-empty record starts and ends (its line break), and its row number.

    None when `data`, the start of a file, is too short to tell; with `complete`
    (`data` is the whole file) a file without one is empty.
    """
    pos, row = 0, 1
    while pos < len(data):
        end = _record_end(data, pos)
        if not complete and end >= len(data) - 1:  # the record, or its CRLF, may go on
            return None
        if data[pos:end].strip():
            return pos, end, row
        pos, row = end + 1, row + 1
    if not complete:
        return None
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


class Decoder:
    """A file's blocks → UTF-8 blocks: as they are (UTF-8), or decoded (UTF-16, Windows-1252)."""

    def __init__(self, start: bytes, encoding: str | None) -> None:
        self.skip = 0
        self.name = "utf-8"
        self.check_utf8 = False  # the caller validates: a file that is not UTF-8 is cp1252
        self.transcode: Callable[[bytes, bool], bytes] | None = None
        if start.startswith(UTF8_BOM):
            self.skip = len(UTF8_BOM)
        elif start.startswith(UTF16_BOMS):  # Excel's "Unicode text"
            self.name = "utf-16"
            utf16 = codecs.getincrementaldecoder("utf-16")()
            self.transcode = lambda block, final: utf16.decode(block, final).encode("utf-8")
        elif encoding == "cp1252":
            self.name = "cp1252"
            self.transcode = lambda block, final: (
                block.decode("cp1252", errors="replace").encode("utf-8"))
        else:
            self.check_utf8 = True

    def __call__(self, block: bytes, final: bool) -> bytes:
        if self.skip:
            block, self.skip = block[self.skip :], 0
        return self.transcode(block, final) if self.transcode else block


class RecordEnds:
    """Where records end, block after block: the line breaks outside quoted cells.

    Quoted as pyarrow quotes: a quote opens a quoted cell only at the start of
    a cell; inside, "" is a quote and a lone quote closes it. When every quote
    that opens one follows a separator, a line break or a quote, simple quote
    parity says the same (the usual case, worked out with numpy); otherwise
    the quotes are followed one by one.
    """

    def __init__(self, separator: str, line_end: int) -> None:
        self.line_end = line_end
        self.cell_ends = (ord(separator), NEWLINE, CARRIAGE_RETURN)
        # A quote after one of these opens a quoted cell both by parity and for pyarrow
        # (after a quote: the second of "" inside a quoted cell).
        self.opens_after = np.array([*self.cell_ends, QUOTE], dtype=np.uint8)
        self.quoted = False  # inside a quoted cell at the end of what was seen
        self.last = NEWLINE  # the byte before the next block: the body starts a record
        self.offset = 0  # bytes seen
        self.held = b""  # quotes at the end of a block: whether "" follows is not known yet

    def __call__(self, block: bytes | memoryview, final: bool) -> np.ndarray:
        """Positions (from the start of all blocks) of the line breaks ending records."""
        data = self.held + bytes(block) if self.held else block
        held = 0
        while not final and held < len(data) and data[len(data) - 1 - held] == QUOTE:
            held += 1
        if held:
            self.held, data = bytes(data[len(data) - held :]), data[: len(data) - held]
        else:
            self.held = b""
        ends = self._ends(data) + self.offset
        self.offset += len(data)
        if len(data):
            self.last = data[-1]
        return ends

    def _ends(self, data: bytes | memoryview) -> np.ndarray:
        buf = np.frombuffer(data, dtype=np.uint8)
        breaks = np.flatnonzero(buf == self.line_end)
        quotes = np.flatnonzero(buf == QUOTE)
        if not quotes.size:
            return breaks[:0] if self.quoted else breaks
        first = 1 if self.quoted else 0  # quotes[first::2] open quoted cells by parity
        openers = quotes[first::2]
        before = np.where(openers > 0, buf[openers - 1], self.last)
        if np.isin(before, self.opens_after).all():
            inside = (np.searchsorted(quotes, breaks) + first) % 2 == 1
            self.quoted = (quotes.size + first) % 2 == 1
            return breaks[~inside]
        return breaks[~self._inside(buf, quotes.tolist(), breaks)]

    def _inside(self, buf: np.ndarray, quotes: list[int], breaks: np.ndarray) -> np.ndarray:
        """Which line breaks lie in a quoted cell, following pyarrow's rules quote by quote."""
        cell_ends = set(self.cell_ends)
        opens: list[int] = []
        closes: list[int] = []
        quoted, i, n = self.quoted, 0, len(quotes)
        if quoted:
            opens.append(-1)
        while i < n:
            p = quotes[i]
            if quoted:
                if i + 1 < n and quotes[i + 1] == p + 1:  # "" inside a quoted cell
                    i += 2
                    continue
                closes.append(p)
                quoted = False
            elif (buf[p - 1] if p else self.last) in cell_ends:  # opens a quoted cell
                opens.append(p)
                quoted = True
            i += 1  # else a quote inside an unquoted cell: just a character
        if quoted:
            closes.append(len(buf))
        self.quoted = quoted
        if not opens:
            return np.zeros(breaks.size, dtype=bool)
        starts, stops = np.array(opens), np.array(closes)
        at = np.searchsorted(starts, breaks) - 1
        return (at >= 0) & (breaks < stops[np.maximum(at, 0)])


class CsvSheet:
    """A CSV file being read: its header at once, then its rows part by part (`chunks`)."""

    def __init__(self, file: BinaryIO, start: bytes, *, encoding: str | None = None,
                 limits: Limits = DEFAULT) -> None:
        self.warnings: list[str] = []
        self._file = file
        self._eof = False
        self._limits = limits
        self._bytes = len(start)  # read from the file so far
        self._decode = Decoder(start, encoding)
        if self._decode.name == "cp1252":
            self.warnings.append(NOT_UTF8)
        data = self._decode(start, False)
        while (found := find_header(data, complete=self._eof)) is None:
            if len(data) > max(limits.max_record_bytes, READ_BYTES):
                raise record_too_long(1, limits)
            data += self._read()
        start_at, end, self._header_line = found
        if end - start_at > limits.max_record_bytes:
            raise record_too_long(self._header_line, limits)
        if self._decode.check_utf8 and not is_utf8(data[: end + 1]):
            raise NotUtf8
        header_bytes = data[start_at:end]
        header_text = header_bytes.decode("utf-8").rstrip("\r\n")
        self._sep = detect_separator(header_text)
        parse = pcsv.ParseOptions(delimiter=self._sep, newlines_in_values=True)
        self.header = _header_cells(header_bytes.rstrip(b"\r\n") + b"\n", parse)
        if len(self.header) > limits.max_columns:
            raise InputError(Text.of("ingest_too_many_columns", columns=len(self.header),
                                     limit=limits.max_columns))
        self._names = [f"c{i}" for i in range(len(self.header))]
        body = data[end + 1 :]
        while len(body) < LINE_END_PROBE and NEWLINE not in body and not self._eof:
            body += self._read()
        probe = body[:LINE_END_PROBE]
        self._lone_cr = NEWLINE not in probe and CARRIAGE_RETURN in probe  # classic Mac
        self._body = body

    def _read(self) -> bytes:
        """The next block of the file as UTF-8; b"" at its end (then `_eof` is set)."""
        while not self._eof:
            raw = self._file.read(READ_BYTES)
            self._eof = not raw
            self._bytes += len(raw)
            if self._bytes > self._limits.max_file_bytes:  # it grew since it was opened
                raise InputError(Text.of("ingest_file_too_big", mb=self._bytes >> 20,
                                         limit=self._limits.max_file_bytes >> 20))
            block = self._decode(raw, self._eof)
            if block:
                return block
        return b""

    def chunks(self) -> Iterator[Chunk]:
        """The data rows, CHUNK_ROWS records (or CHUNK_BYTES bytes) at a time, in file order."""
        scan = RecordEnds(self._sep, CARRIAGE_RETURN if self._lone_cr else NEWLINE)
        parts: list[bytes | memoryview] = [self._body]
        ends = [scan(self._body, self._eof)]
        self._body = b""
        size, found = len(parts[0]), ends[0].size
        base = 0  # where parts[0] starts in the body
        line = self._header_line  # rows before this part
        while size or not self._eof:
            while not self._eof and (found < CHUNK_ROWS and size < CHUNK_BYTES or not found):
                if not found and size > self._limits.max_record_bytes:
                    raise record_too_long(line + 1, self._limits)
                block = self._read()
                ends.append(scan(block, self._eof))
                parts.append(block)
                size, found = size + len(block), found + ends[-1].size
            if not size:
                break
            at = (np.concatenate(ends) if len(ends) > 1 else ends[0]) - base
            if self._eof and (at.size <= CHUNK_ROWS and size <= CHUNK_BYTES or not at.size):
                records, cut = at.size, size  # the rest of the file
            else:  # as many records as fit (at least one)
                records = max(min(int(np.searchsorted(at, CHUNK_BYTES)), CHUNK_ROWS), 1)
                cut = int(at[records - 1]) + 1
            self._within_limits(at[:records], cut, line)
            data = parts[0] if len(parts) == 1 else b"".join(parts)
            view = memoryview(data)
            chunk = self._parse(view[:cut], line)
            rest = view[cut:]  # copied when small, so that the big buffer goes before the next
            parts = [bytes(rest) if len(rest) * 4 <= len(data) else rest]
            ends = [at[records:] + base]
            base, size, found = base + cut, size - cut, at.size - records
            del data, view, rest
            yield chunk
            line += records

    def _within_limits(self, ends: np.ndarray, cut: int, line: int) -> None:
        """The next `ends.size` records (ending at `ends`, the last part of them at
        `cut`) after row `line`: neither too many rows nor a record too long."""
        limits = self._limits
        if line - self._header_line + ends.size > limits.max_rows:
            raise InputError(Text.of("ingest_too_many_rows", limit=limits.max_rows))
        # Record k runs from the byte after ends[k - 1] to ends[k]; the last may end at `cut`.
        lengths = np.diff(np.concatenate(([-1], ends, [cut]))) - 1
        if lengths.size and lengths.max() > limits.max_record_bytes:
            raise record_too_long(line + 1 + int(np.argmax(lengths > limits.max_record_bytes)),
                                  limits)

    def _parse(self, body: memoryview, line: int) -> Chunk:
        if self._decode.check_utf8 and not is_utf8(body):
            raise NotUtf8
        table, bad = _read_body(body, self._names, self._sep, serial=False)
        if bad:  # ask again, one thread, to learn which records were malformed
            table, bad = _read_body(body, self._names, self._sep, serial=True)
        warnings: list[str] = []
        rows, errors, error_rows = _number_rows(body, table.num_rows, bad, line,
                                                len(self.header), warnings,
                                                lone_cr=self._lone_cr,
                                                keep=self._limits.max_error_details)
        self.warnings += [w for w in warnings if w not in self.warnings]
        return Chunk(list(table.columns), rows, errors, error_rows)


def record_too_long(row: int, limits: Limits) -> InputError:
    return InputError(Text.of("ingest_record_too_long", row=row,
                              limit=limits.max_record_bytes >> 10))


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


class BadRecords:
    """The malformed records pyarrow skipped: compact, however many there are."""

    def __init__(self) -> None:
        self.numbers = array("q")  # record number in the part (1-based); 0: not known
        self.fields = array("l")  # how many fields it had
        self.blank = bytearray()  # 1: only blanks (an empty row, not an error)

    def __len__(self) -> int:
        return len(self.numbers)

    def add(self, row: pcsv.InvalidRow) -> Literal["skip"]:
        self.numbers.append(row.number or 0)
        self.fields.append(row.actual_columns)
        self.blank.append(not row.text.strip())
        return "skip"


def _read_body(
    body: bytes | memoryview, names: list[str], sep: str, *, serial: bool
) -> tuple[pa.Table, BadRecords]:
    bad = BadRecords()
    table = pcsv.read_csv(
        # pyarrow-stubs types the input as a path or typing.IO, but read_csv takes any
        # pyarrow NativeFile (docs: "string, path or file-like object").
        pa.BufferReader(pa.py_buffer(body)),  # type: ignore[arg-type]
        read_options=pcsv.ReadOptions(column_names=names, use_threads=not serial,
                                      block_size=16 << 20),
        parse_options=pcsv.ParseOptions(delimiter=sep, newlines_in_values=True,
                                        invalid_row_handler=bad.add),
        convert_options=pcsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return table, bad


def _number_rows(
    body: bytes | memoryview,
    n_rows: int,
    bad: BadRecords,
    header_line: int,
    n_columns: int,
    warnings: list[str],
    *,
    lone_cr: bool | None = None,
    keep: int = DEFAULT.max_error_details,
) -> tuple[pa.Array, list[RowError], np.ndarray]:
    """Row numbers of the parsed rows, and the malformed records pyarrow skipped: the
    first `keep` as errors, and the row of each.

    `header_line`: the rows before `body` (the header's row number for the first part).
    """
    numbers = np.frombuffer(bad.numbers, dtype=np.int64) if len(bad) else np.zeros(0, np.int64)
    lines = None
    for mind_quotes in (True, False):  # a stray quote inside a cell breaks quote parity
        candidate = record_rows(body, mind_quotes=mind_quotes, lone_cr=lone_cr)
        if candidate.size == n_rows + len(bad):
            lines = candidate
            break
    if lines is None:
        warnings.append(ROWS_MAY_BE_OFF)
        lines = np.arange(1, n_rows + len(bad) + 1, dtype=np.int64)
    lines = lines + header_line
    # A line of blanks is an empty row, not an error; a record of unknown number is skipped.
    wrong = (numbers > 0) & (np.frombuffer(bytes(bad.blank), dtype=np.uint8) == 0)
    wrong_numbers = numbers[wrong]
    error_rows = lines[wrong_numbers - 1].astype(np.int32)
    fields = np.frombuffer(bad.fields, dtype=np.dtype(f"i{bad.fields.itemsize}"))[wrong]
    errors = [RowError(int(row), None, None, f"the row has {int(n)} "
                       f"{'field' if n == 1 else 'fields'}, the header has {n_columns}")
              for row, n in zip(error_rows[:keep], fields[:keep], strict=True)]
    skipped = np.unique(numbers[numbers > 0])
    if skipped.size:
        kept = np.ones(lines.size, dtype=bool)
        kept[skipped - 1] = False
        lines = lines[kept]
    return pa.array(lines, pa.int32()), errors, error_rows
