"""Write a list of flat records as CSV, JSON, XLSX or Parquet.

CSV and XLSX are opened by people in spreadsheets: text stays text there
(flyt.output.spreadsheet)."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path

from flyt.output import spreadsheet

FORMATS = ("csv", "json", "xlsx", "parquet")
BINARY = ("xlsx", "parquet")


def to_csv(records: Sequence[dict], columns: Sequence[str]) -> str:
    return spreadsheet.csv_document(columns, ([spreadsheet.csv_value(r.get(c)) for c in columns]
                                              for r in records))


def to_json(records: Sequence[dict], columns: Sequence[str]) -> str:
    return json.dumps([{c: r.get(c) for c in columns} for r in records], ensure_ascii=False,
                      indent=1, default=str) + "\n"


def to_xlsx(records: Sequence[dict], columns: Sequence[str], path: Path | io.BytesIO,
            sheet: str = "data") -> None:
    book = spreadsheet.workbook(path)
    ws = book.add_worksheet(sheet)
    bold = book.add_format({"bold": True})
    ws.write_row(0, 0, columns, bold)
    for i, r in enumerate(records, start=1):
        ws.write_row(i, 0, ["" if r.get(c) is None else r.get(c) for c in columns])
    ws.freeze_panes(1, 0)
    book.close()


def to_parquet(records: Sequence[dict], columns: Sequence[str], path: Path | io.BytesIO) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = {c: [r.get(c) for r in records] for c in columns}
    # Suppressed cells mix numbers and "<5": keep such columns as text.
    arrays = {}
    for c, values in data.items():
        if any(isinstance(v, str) for v in values) and any(
                isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            values = [None if v is None else str(v) for v in values]
        arrays[c] = pa.array(values)
    pq.write_table(pa.table(arrays), path)


def write(records: Sequence[dict], columns: Sequence[str], fmt: str,
          output: Path | None, stdout) -> None:
    """To ``output`` if given, else to standard output (binary formats need a file)."""
    if fmt in BINARY:
        target: Path | io.BytesIO = output if output is not None else io.BytesIO()
        (to_xlsx if fmt == "xlsx" else to_parquet)(records, columns, target)
        if isinstance(target, io.BytesIO):
            stdout.buffer.write(target.getvalue())
        return
    write_text(to_csv(records, columns) if fmt == "csv" else to_json(records, columns),
               output, stdout)


def write_text(text: str, output: Path | None, stdout) -> None:
    """To ``output`` (UTF-8) if given, else to standard output."""
    if output is None:
        stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
