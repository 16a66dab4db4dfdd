"""How much of an input file Flyt reads before it refuses it: the `[ingest]` section.

A file beyond a limit is refused whole, with one clear message, before the
expensive work: an XLSX is inspected before its reader sees it (xlsx_guard), a
CSV is measured while it streams (csvfile). The defaults let a 10 M-row stays
extract through (about 1 GB of CSV, benchmarks/README.md) and stop files built
to exhaust memory: an XLSX with one cell at XFD1048576 (a reader would allocate
a dense sheet of 17 billion cells), a sheet that inflates a thousandfold.

    [ingest]
    max_file_bytes = 4294967296
    max_rows = 20000000
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from flyt.config import raw_config


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 4 << 30  # a file (CSV or XLSX) as stored
    max_upload_bytes: int = 512 << 20  # a web upload, counted before the body is read
    max_rows: int = 20_000_000  # data rows of a file
    max_columns: int = 200  # cells in the header (the canonical kinds have up to 15)
    # XLSX: rows × columns from A1. The reader holds them all, as Python objects: about
    # 140 bytes and 5 µs a cell (200 000 rows × 14 columns: 0.4 GB, 14 s), so 5 M cells
    # are some 0.7 GB; a bigger extract comes as CSV, which is read in parts.
    max_cells: int = 5_000_000
    max_uncompressed_bytes: int = 512 << 20  # XLSX: every part of the zip, inflated
    max_compression_ratio: int = 100  # XLSX: inflated / compressed size of a part
    max_record_bytes: int = 1 << 20  # CSV: one record (line), as stored
    max_text_length: int = 32_767  # characters in a cell (Excel's own maximum)
    max_error_details: int = 10_000  # bad rows and cells kept in detail (all are counted)


DEFAULT = Limits()
SECTION = "ingest"


def limits(raw: dict[str, Any] | None = None) -> Limits:
    """The limits of the configuration file's `[ingest]` section (defaults for the rest).

    Raises ValueError, naming the key, for an unknown key or a value that is not a
    positive whole number.
    """
    section = (raw_config() if raw is None else raw).get("ingest", {})  # SECTION
    if not isinstance(section, dict):
        raise ValueError(f"[{SECTION}] in the configuration file must be a table of limits")
    known = {f.name for f in fields(Limits)}
    unknown = sorted(set(section) - known)
    if unknown:
        raise ValueError(f"unknown key [{SECTION}] {unknown[0]} in the configuration file; "
                         f"known: {', '.join(sorted(known))}")
    for name, value in section.items():
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"[{SECTION}] {name} must be a whole number above 0, "
                             f"not {value!r}")
    return Limits(**section)
