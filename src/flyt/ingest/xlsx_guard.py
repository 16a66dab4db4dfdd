"""An XLSX file inspected before its reader sees it: refused when it would exhaust memory.

calamine builds a sheet as one dense block from A1 to the last cell it finds,
and python-calamine turns that block into Python lists: a 1.9 KB workbook with
one cell at XFD1048576 asks for 512 GiB and kills the process; a sheet of a few
MB can inflate to gigabytes of XML. So, with the zip read by Python's zipfile:

1. It must be a zip, without two parts of the same name (two readers could pick
   different ones) and without a DTD (Excel never writes one; entities can blow
   up).
2. The parts' declared sizes: their sum, and each part's compression ratio.
3. Every part inflated as it streams: the real sizes (a zip directory can lie;
   zipfile stops at the declared size and the CRC check then fails), and every
   worksheet scanned for its extent: the `<dimension ref=…>` it declares and the
   cells it holds, as calamine would place them.

Everything is refused before anything big is allocated. A sheet's extent is found
with byte counts and regular expressions over each block (C speed) when every
cell carries its reference first (`<c r="B7" …>`: what Excel, LibreOffice,
openpyxl and XlsxWriter write); a sheet with cells placed by position is walked
once more with expat.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, BinaryIO
from xml.parsers import expat

from flyt.ingest.errors import InputError, Text
from flyt.ingest.limits import Limits

BLOCK = 4 << 20  # bytes inflated at a time
RATIO_FLOOR = 1 << 20  # parts smaller than this may compress as well as they like
MAX_TAG = 1 << 20  # one XML tag longer than this is not a spreadsheet's
SMALL_PART = 16 << 20  # workbook.xml and its relationships are read whole (for sheet names)
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384


class _Broken(Exception):
    """The zip cannot be read: said as "this is not a readable XLSX file (…)"."""


@dataclass
class Extent:
    rows: int = 0  # the last row a cell is in (1-based), 0 when none
    columns: int = 0  # the last column

    @property
    def cells(self) -> int:
        return self.rows * self.columns  # the reader's block starts at A1


def inspect(file: BinaryIO, limits: Limits) -> None:
    """Raise InputError when the XLSX in `file` is not one Flyt will read; rewinds `file`."""
    try:
        with zipfile.ZipFile(file) as book:
            _inspect(book, limits)
    except zipfile.BadZipFile as e:
        raise _unreadable(str(e)) from None
    except (_Broken, NotImplementedError, RuntimeError, EOFError, zlib.error, OSError) as e:
        raise _unreadable(str(e)) from None
    finally:
        file.seek(0)


def _unreadable(why: str) -> InputError:
    return InputError(Text.of("ingest_xlsx_unreadable", why=why[:200]))


def _inspect(book: zipfile.ZipFile, limits: Limits) -> None:
    parts = book.infolist()
    names = [p.filename for p in parts]
    if len(set(names)) != len(names):
        raise _Broken("the zip holds two parts with the same name")
    _declared_sizes(parts, limits)
    sheet_names = _sheet_names(book)
    inflated = 0
    for part in parts:
        if part.is_dir():
            continue
        scan = None
        if _is_worksheet(part.filename):
            scan = SheetScan(sheet_names.get(part.filename, posixpath.basename(part.filename)),
                             limits)
        inflated = _stream(book, part, inflated, limits, scan)
        if scan is not None and not scan.positions_known:
            scan.walk(book.open(part))  # cells without a reference: place them as calamine


def _declared_sizes(parts: list[zipfile.ZipInfo], limits: Limits) -> None:
    total = sum(p.file_size for p in parts)
    if total > limits.max_uncompressed_bytes:
        raise _too_big(total, limits)
    for p in parts:
        _ratio(p.filename, p.file_size, p.compress_size, limits)


def _ratio(name: str, inflated: int, compressed: int, limits: Limits) -> None:
    if inflated > RATIO_FLOOR and inflated > limits.max_compression_ratio * max(compressed, 1):
        raise InputError(Text.of("ingest_xlsx_ratio", part=name[:60],
                                 ratio=inflated // max(compressed, 1),
                                 limit=limits.max_compression_ratio))


def _too_big(size: int, limits: Limits) -> InputError:
    return InputError(Text.of("ingest_xlsx_inflated", mb=size >> 20,
                              limit=limits.max_uncompressed_bytes >> 20))


def _stream(book: zipfile.ZipFile, part: zipfile.ZipInfo, inflated: int, limits: Limits,
            scan: SheetScan | None) -> int:
    """Inflate `part` block by block, counting; returns the bytes inflated so far in all."""
    seen = 0
    carry = b""  # the end of the last block, where a "<!DOCTYPE" may begin
    with book.open(part) as stream:
        while block := stream.read(BLOCK):
            seen += len(block)
            inflated += len(block)
            if inflated > limits.max_uncompressed_bytes:
                raise _too_big(inflated, limits)
            _ratio(part.filename, seen, part.compress_size, limits)
            if b"<!DOCTYPE" in carry + block[:16] or b"<!DOCTYPE" in block:
                raise _Broken(f"{part.filename} holds a DTD")
            carry = block[-16:]
            if scan is not None:
                scan.feed(block)
    if scan is not None:
        scan.finish()
    return inflated


def _is_worksheet(name: str) -> bool:
    return "worksheets/" in name and name.endswith(".xml") and "_rels/" not in name


# --- sheet names, for the messages ---------------------------------------------------

SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
ATTRIBUTE = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")


def _attributes(tag: bytes) -> dict[str, str]:
    found = {}
    for name, double, single in ATTRIBUTE.findall(tag):
        found[name.decode("utf-8", "replace").split(":")[-1]] = (double or single).decode(
            "utf-8", "replace")
    return found


def _sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → the name the user sees ("Ark1"), as far as it can be told."""
    try:
        workbook = _small(book, "xl/workbook.xml")
        rels = _small(book, "xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for tag in RELATIONSHIP.findall(rels):
        a = _attributes(tag)
        if "Id" in a and "Target" in a:
            target = a["Target"].lstrip("/") if a["Target"].startswith("/") else \
                posixpath.normpath(posixpath.join("xl", a["Target"]))
            targets[a["Id"]] = target
    names = {}
    for tag in SHEET.findall(workbook):
        a = _attributes(tag)
        if a.get("id") in targets and "name" in a:
            names[targets[a["id"]]] = a["name"]
    return names


def _small(book: zipfile.ZipFile, name: str) -> bytes:
    info = book.getinfo(name)
    if info.file_size > SMALL_PART:
        raise _Broken(f"{name} is too large")
    with book.open(info) as f:
        return f.read(SMALL_PART)


# --- a sheet's extent --------------------------------------------------------------

BEYOND = 10**12  # stands for a row or column number too long to be read as one


def _row_number(digits: bytes | str) -> int:
    return int(digits) if len(digits) <= 12 else BEYOND


def _column_number(letters: str) -> int:
    if len(letters) > 6:
        return BEYOND
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _column_name(n: int) -> str:
    name = ""
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def _greater(value: str, alphabet: str, first: str, lower: bool = False) -> str:
    """A regex for the strings over `alphabet` (in order) that stand for a larger number
    than `value`, none starting with the alphabet's zero: the longer ones, and those of
    the same length that are larger at the first place they differ. `first`: the
    characters a string may start with; `lower`: letters may be lower case too (a
    case-blind pattern would lose the regex engine's fast literal search)."""

    def span(low: str, high: str) -> str:
        return f"{low}-{high}" + (f"{low.lower()}-{high.lower()}" if lower else "")

    every = f"[{span(alphabet[0], alphabet[-1])}]"
    length = len(value)
    options = [f"[{span(first[0], first[-1])}]{every}{{{length},}}"]  # longer
    for i, ch in enumerate(value):
        above = alphabet[alphabet.index(ch) + 1 :]
        if above:
            same = "".join(f"[{c}{c.lower()}]" if lower else re.escape(c) for c in value[:i])
            options.append(f"{same}[{span(above[0], above[-1])}]{every}{{{length - i - 1}}}")
    return "(?:" + "|".join(options) + ")"


LETTERS, DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"


def _columns_above(n: int) -> str:
    return _greater(_column_name(n), LETTERS, "AZ", lower=True) if n else "[A-Za-z]+"


def _rows_above(n: int) -> str:
    return "0*" + (_greater(str(n), DIGITS, "19") if n else "[1-9][0-9]*")


REFERENCE = re.compile(rb"([A-Za-z]+)0*([0-9]+)$")  # B7; no bound: an absurd one is refused


class SheetScan:
    """A worksheet's XML as it streams by → the extent calamine would give it.

    Fed block by block; each block is cut after its last complete tag, the rest
    carried to the next. Refuses (InputError) as soon as a limit is passed.
    """

    def __init__(self, name: str, limits: Limits) -> None:
        self.name, self.limits = name, limits
        self.extent = Extent()
        self.cells = 0  # <c> elements
        self.unreferenced = False  # some <c> does not start with its reference r="…"
        self.prefix: bytes | None = None  # the namespace prefix of the sheet's elements
        self.declared_done = False
        self._carry = b""

    @property
    def positions_known(self) -> bool:
        """Every cell carries its reference: the extent found from them is calamine's."""
        return not self.unreferenced

    def feed(self, block: bytes) -> None:
        data = self._carry + block
        cut = data.rfind(b"<")
        if cut == -1:  # text only: nothing to count
            self._carry = b""
            return
        end = data.find(b">", cut)
        if end == -1:  # the last tag goes on in the next block
            if len(data) - cut > MAX_TAG:
                raise _Broken(f"an XML tag in {self.name} is longer than {MAX_TAG} bytes")
            self._carry = data[cut:]
            self._scan(data[:cut])
        else:  # what follows the last tag is text: it can go
            self._carry = b""
            self._scan(data[: end + 1])

    def finish(self) -> None:
        self._scan(self._carry)
        self._carry = b""
        self._check(self.extent, declared=False)

    def _scan(self, xml: bytes) -> None:
        if not xml:
            return
        if self.prefix is None:
            root = re.search(rb"<(\w+:)?worksheet\b", xml)
            if root is None:
                if len(xml) > MAX_TAG:
                    raise _Broken(f"{self.name} is not a worksheet")
                self._carry = xml + self._carry
                return
            self.prefix = root.group(1) or b""
        p = b"<" + self.prefix
        if not self.declared_done:
            self._declared(xml, p)
        referenced = xml.count(p + b"c r=")
        if not self.unreferenced and xml.count(p + b"c") > referenced:
            # Other elements start so too (<col>, <cfRule>): is there a cell whose first
            # attribute is not its reference?
            self.unreferenced = bool(re.search(re.escape(p) + rb"c(?:[/>]|\s+(?!r=))", xml))
        if self.unreferenced:  # counted one way after another (rare: few programs do it)
            self.cells += sum(xml.count(p + b"c" + end)
                              for end in (b" ", b">", b"/", b"\t", b"\n", b"\r"))
        else:
            self.cells += referenced
        if self.cells > self.limits.max_cells:
            raise self._refused(Extent(self.cells, 1), declared=False, counted=True)
        self._furthest(xml, p)
        self._check(self.extent, declared=False)

    def _declared(self, xml: bytes, p: bytes) -> None:
        found = re.search(re.escape(p) + rb"""dimension\s+ref=["']([A-Za-z0-9$:]+)["']""", xml)
        if found is None:
            if re.search(re.escape(p) + rb"sheetData\b", xml):
                self.declared_done = True  # no dimension: it would have come before the data
            return
        self.declared_done = True
        end = found.group(1).replace(b"$", b"").split(b":")[-1]
        ref = REFERENCE.match(end)
        if ref:
            self._check(Extent(_row_number(ref.group(2)), _column_number(ref.group(1).decode())),
                        declared=True)

    def _furthest(self, xml: bytes, p: bytes) -> None:
        """Raise the extent to the furthest cell reference in `xml`.

        In a sheet as spreadsheet programs write it the last reference is the
        furthest row, and the columns are all in the first rows: one search each
        finds nothing beyond, at C speed. Only when one does are all the block's
        references read (a sheet's cells need not be in order)."""
        start = re.escape(p + b"c r=") + rb"""["']"""
        last = max(xml.rfind(p + b'c r="'), xml.rfind(p + b"c r='"))
        if last >= 0:
            ref = re.match(start + rb"([A-Za-z]+)0*([0-9]+)", xml[last : last + MAX_TAG])
            if ref:
                self._grow(_row_number(ref.group(2)), _column_number(ref.group(1).decode()))
        beyond = (start + rb"(?:[A-Za-z]+" + _rows_above(self.extent.rows).encode() + rb"\b|"
                  + _columns_above(self.extent.columns).encode() + rb"[0-9])")
        if re.search(beyond, xml):
            every = re.findall(start + rb"([A-Za-z]+)0*([0-9]+)", xml)
            if every:
                self._grow(max(_row_number(row) for _, row in every),
                           max(_column_number(c.decode()) for c in {c for c, _ in every}))

    def _grow(self, row: int, column: int) -> None:
        self.extent.rows = max(self.extent.rows, row)
        self.extent.columns = max(self.extent.columns, column)
        self._check(self.extent, declared=False)

    def walk(self, stream: IO[bytes]) -> None:
        """Place every cell as calamine does (a cell without a reference: the next column;
        a row without one: the next row) and check the extent: the slow way, in expat."""
        row, column = 0, 0
        extent = Extent()
        parser = expat.ParserCreate()

        def start(name: str, attributes: dict[str, str]) -> None:
            nonlocal row, column
            local = name.rsplit(":", 1)[-1]
            if local == "row":
                number = attributes.get("r", "")
                row = _row_number(number) if number.isascii() and number.isdigit() else row + 1
                column = 0
            elif local == "c":
                ref = REFERENCE.match(attributes.get("r", "").encode())
                if ref:
                    cell_row = _row_number(ref.group(2))
                    column = _column_number(ref.group(1).decode())
                else:
                    cell_row, column = max(row, 1), column + 1
                if cell_row > extent.rows or column > extent.columns:
                    extent.rows, extent.columns = max(extent.rows, cell_row), max(
                        extent.columns, column)
                    self._check(extent, declared=False)

        parser.StartElementHandler = start
        try:
            with stream:
                while block := stream.read(BLOCK):
                    parser.Parse(block, False)
                parser.Parse(b"", True)
        except expat.ExpatError as e:
            raise _Broken(f"{self.name}: {e}") from None

    def _check(self, extent: Extent, *, declared: bool) -> None:
        limits = self.limits
        if (extent.rows > limits.max_rows + 1 or extent.columns > limits.max_columns
                or extent.cells > limits.max_cells):
            raise self._refused(extent, declared=declared)

    def _refused(self, extent: Extent, *, declared: bool, counted: bool = False) -> InputError:
        limits = self.limits
        common = {"sheet": self.name[:60], "max_rows": limits.max_rows,
                  "max_columns": limits.max_columns, "max_cells": limits.max_cells}
        if counted:
            return InputError(Text.of("ingest_xlsx_cells", cells=extent.rows, **common))
        cell = f"{_column_name(min(extent.columns, EXCEL_COLUMNS * 1000))}{extent.rows}"
        key = "ingest_xlsx_declares" if declared else "ingest_xlsx_reaches"
        return InputError(Text.of(key, cell=cell, rows=extent.rows, columns=extent.columns,
                                  **common))
