"""Excel editions of the reports (XlsxWriter): one sheet per table, the same numbers
as the PDF, as numbers (not text) where they are numbers, so they can be worked with,
and names as text, never as formulas or links (flyt.output.spreadsheet)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from flyt.output import spreadsheet


class Workbook:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.book = spreadsheet.workbook(self.buffer)
        self.bold = self.book.add_format({"bold": True, "bg_color": "#F0F0F0", "text_wrap": True,
                                          "valign": "top"})
        self.title = self.book.add_format({"bold": True, "font_size": 14})

    def sheet(self, name: str, title: str, header: Sequence[str],
              rows: Sequence[Sequence[Any]], widths: Sequence[int] = ()) -> None:
        """A sheet with a title row, a frozen header and the rows (None: an empty cell)."""
        ws = self.book.add_worksheet(name[:31])
        ws.write(0, 0, title, self.title)
        ws.write_row(2, 0, list(header), self.bold)
        for i, row in enumerate(rows, start=3):
            for j, value in enumerate(row):
                if value is not None:
                    ws.write(i, j, value)
        ws.freeze_panes(3, 0)
        for j, width in enumerate(widths or [14] * len(header)):
            ws.set_column(j, j, width)

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()
