"""Text stays text in the files people open in a spreadsheet.

Names in Flyt's exports come from outside: a source name typed at an import, the
municipalities and units of the reference data, the user names of the audit log. A
name such as ``=HYPERLINK("http://x","y")`` or ``=cmd|' /C calc'!A0`` (DDE) must
reach the reader as those characters, never as a live formula or link.

- Excel: every workbook Flyt writes comes from `workbook`, which tells XlsxWriter not
  to turn strings into formulas, links or numbers (its defaults do the first two).
  Formulas Flyt means (the payment basis's totals) are written with ``write_formula``.
- CSV: `csv_cell` neutralises text that a spreadsheet would start a formula with
  (``=``, ``+``, ``-``, ``@``, TAB, CR: OWASP "CSV injection") by a leading single
  quote. Numbers stay numbers, also written as text (``-1,5``, ``-2872.50``).
  `csv_document` writes the whole file so: rows end in LF, and a cell holding a CR
  or LF is quoted (so the row stays one row for every reader).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import xlsxwriter

TEXT_STAYS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False,
                   "strings_to_numbers": False}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number, decimal point or comma, optional exponent: "-1,5", "+7", "-2872.50".
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def workbook(target: str | Path | io.BytesIO) -> xlsxwriter.Workbook:
    """An XlsxWriter workbook that stores every string as a string."""
    return xlsxwriter.Workbook(target, {"in_memory": True, **TEXT_STAYS_TEXT})


def csv_cell(value: object) -> object:
    """`value` as a CSV cell a spreadsheet shows as it is (see the module's note)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(
            value):
        return "'" + value
    return value


class _Line:
    """Keeps the one row a csv writer just wrote (it writes a row in one call)."""

    text = ""

    def write(self, text: str) -> None:
        self.text = text


def csv_document(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A header and the rows, each cell through `csv_cell`, each row ending in LF.

    The writer ends rows in CRLF because it quotes only cells holding a character of
    its line terminator: with LF alone a CR inside a name would go out bare and split
    the row for a reader. The CRLF is then made the LF Flyt's files end rows in."""
    line = _Line()
    writer = csv.writer(line, lineterminator="\r\n")
    out = []
    for cells in (columns, *([csv_cell(v) for v in row] for row in rows)):
        writer.writerow(cells)
        out.append(line.text[:-2] + "\n")
    return "".join(out)
