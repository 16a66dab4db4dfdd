"""An input file (CSV or XLSX, told apart by content) → its cells as text columns.

Every cell becomes text here, whatever the file type, so that one set of
value parsers (values.py) serves both: an Excel date cell becomes an ISO
date-time, a number cell its shortest decimal form (301.0 → "301").
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import zip_longest
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import pyarrow as pa
import python_calamine

from flyt.ingest import csvfile, xlsx_guard
from flyt.ingest.csvfile import Chunk, CsvSheet, RawSheet
from flyt.ingest.errors import InputError, Text
from flyt.ingest.limits import DEFAULT, Limits

ZIP_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 4096  # where a NUL byte means a binary file
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


class Sheet(Protocol):
    """A file being read: its header, then its rows in parts (warnings may grow meanwhile)."""

    @property
    def header(self) -> list[str]: ...

    @property
    def warnings(self) -> list[str]: ...

    def chunks(self) -> Iterator[Chunk]: ...


@dataclass
class WholeSheet:
    """A file read at once (XLSX): one part."""

    sheet: RawSheet

    @property
    def header(self) -> list[str]:
        return self.sheet.header

    @property
    def warnings(self) -> list[str]:
        return self.sheet.warnings

    def chunks(self) -> Iterator[Chunk]:
        yield Chunk(self.sheet.columns, self.sheet.rows, self.sheet.errors)


@contextmanager
def open_sheet(path: Path, kind: str, *, encoding: str | None = None,
               limits: Limits = DEFAULT) -> Iterator[Sheet]:
    """A CSV file, or the XLSX sheet for `kind` (named like it, else the first).

    `encoding`: "cp1252" to read a CSV file as Windows-1252; else UTF-8 (or the
    encoding its BOM names), and csvfile.NotUtf8 is raised if it is not. A file
    beyond `limits` raises InputError: an XLSX before it is read, a CSV as soon as
    the limit is passed.
    """
    first_read = max(csvfile.READ_BYTES, SNIFF_BYTES)
    try:
        file = Path(path).open("rb")
        size = os.fstat(file.fileno()).st_size
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror or e}") from e
    with file:
        if size > limits.max_file_bytes:
            raise file_too_big(size, limits)
        try:
            start = file.read(first_read)
        except OSError as e:
            raise InputError(f"cannot read {path}: {e.strerror or e}") from e
        if len(start) < first_read and not start.strip():
            raise InputError("the file is empty")
        if start.startswith(ZIP_MAGIC):
            xlsx_guard.inspect(file, limits)  # before calamine allocates anything
            yield WholeSheet(read_xlsx(file, kind))
            return
        if start.startswith(OLE_MAGIC):
            raise InputError("this is an old Excel (.xls) file; save it as .xlsx or CSV")
        if b"\x00" in start[:SNIFF_BYTES] and not start.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError("this is not a CSV or XLSX file")
        yield CsvSheet(file, start, encoding=encoding, limits=limits)


def file_too_big(size: int, limits: Limits) -> InputError:
    return InputError(Text.of("ingest_file_too_big", mb=size >> 20,
                              limit=limits.max_file_bytes >> 20))


def sheet_for(names: list[str], kind: str) -> int:
    wanted = kind.replace("_", "-").lower()
    for i, name in enumerate(names):
        if name.strip().replace("_", "-").replace(" ", "-").lower() == wanted:
            return i
    return 0


def read_xlsx(data: bytes | BinaryIO, kind: str) -> RawSheet:
    """The sheet for `kind`. Only for a workbook xlsx_guard.inspect has let through."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(
            io.BytesIO(data) if isinstance(data, bytes) else data)
        names = list(book.sheet_names)
        if not names:
            raise InputError("the workbook has no sheets")
        cells = book.get_sheet_by_index(sheet_for(names, kind)).to_python(skip_empty_area=False)
    except InputError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # noqa: BLE001 - calamine raises its own zoo of errors for
        # broken files, and a Rust panic arrives as pyo3's PanicException (a BaseException)
        raise InputError(Text.of("ingest_xlsx_unreadable", why=str(e)[:200])) from e
    header_at = next((i for i, r in enumerate(cells) if any(_text(v) for v in r)), None)
    if header_at is None:
        raise InputError("the file is empty")
    header = [_text(v) or "" for v in cells[header_at]]
    body = cells[header_at + 1 :]
    width = len(header)
    # Transposed with zip (C speed); each cell converted by its Python type.
    columns_of_cells = list(zip_longest(*body)) if body else [()] * width
    columns = [pa.array([_text(v) for v in col], pa.string()) for col in columns_of_cells[:width]]
    columns += [pa.nulls(len(body), pa.string())] * (width - len(columns))
    first_row = header_at + 2  # 1-based, the row after the header
    rows = pa.array(range(first_row, first_row + len(body)), pa.int32())
    return RawSheet(header, columns, rows)


def _number(v: float) -> str:
    if math.isfinite(v) and v == int(v) and abs(v) < 1e15:
        return str(int(v))  # 301.0 → "301", 7.0 → "7"
    return repr(v)


def _datetime(v: datetime) -> str:
    # Excel stores time as a fraction of a day: 14:05 can come back as 14:04:59.9999.
    v = (v + timedelta(microseconds=500_000)).replace(microsecond=0) if v.microsecond else v
    return v.isoformat(timespec="seconds")


CONVERTERS: dict[type, Callable[[Any], str]] = {
    str: lambda v: v,
    float: _number,
    int: str,
    bool: lambda v: "true" if v else "false",
    datetime: _datetime,
    date: lambda v: v.isoformat(),
    time: lambda v: v.isoformat(),
    timedelta: str,
}


def _text(v: object) -> str | None:
    if v is None or v == "":
        return None
    return CONVERTERS.get(type(v), str)(v)
