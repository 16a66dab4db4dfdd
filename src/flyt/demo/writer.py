"""Writing the canonical CSV files fast: numpy builds the text cells, pyarrow writes.

Cells are formatted in fixed-width byte arrays (dates, ids) or taken from small
dictionaries (codes, names), chunk by chunk, so ten million rows stay well
within memory. Missing values become empty cells, booleans `true`/`false`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from flyt.demo.timeline import MINUTES_PER_DAY, NONE

CHUNK_ROWS = 500_000
_OPTIONS = pacsv.WriteOptions(include_header=False, quoting_style="none", delimiter=",")


def _digits(out: np.ndarray, col: int, value: np.ndarray, width: int) -> None:
    for k in range(width):
        out[:, col + width - 1 - k] = 48 + (value // 10**k) % 10


def datetimes(minutes: np.ndarray) -> pa.Array:
    """`YYYY-MM-DDTHH:MM`; NONE becomes an empty cell."""
    missing = minutes == NONE
    m = np.where(missing, 0, minutes)
    day = (m // MINUTES_PER_DAY).astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    year = month.astype("datetime64[Y]").astype(np.int64) + 1970
    mon = month.astype(np.int64) % 12 + 1
    dom = (day - month.astype("datetime64[D]")).astype(np.int64) + 1
    mod = m % MINUTES_PER_DAY
    out = np.empty((len(m), 16), dtype=np.uint8)
    _digits(out, 0, year, 4)
    _digits(out, 5, mon, 2)
    _digits(out, 8, dom, 2)
    _digits(out, 11, mod // 60, 2)
    _digits(out, 14, mod % 60, 2)
    out[:, 4] = out[:, 7] = ord("-")
    out[:, 10] = ord("T")
    out[:, 13] = ord(":")
    return _strings(out, missing if missing.any() else None)


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Prefix plus zero-padded number, e.g. S00000042."""
    p = prefix.encode()
    out = np.empty((len(numbers), len(p) + width), dtype=np.uint8)
    out[:, : len(p)] = np.frombuffer(p, dtype=np.uint8)
    _digits(out, len(p), numbers.astype(np.int64), width)
    return _strings(out, None)


def _strings(cells: np.ndarray, missing: np.ndarray | None) -> pa.Array:
    flat = np.ascontiguousarray(cells).view(f"S{cells.shape[1]}").ravel()
    return pa.array(flat, type=pa.binary(), mask=missing).cast(pa.string())


def names(values: Sequence[str], index: np.ndarray) -> pa.Array:
    """values[index] as text; a negative index becomes an empty cell."""
    idx = pa.array(np.asarray(index, dtype=np.int32), type=pa.int32(),
                   mask=np.asarray(index) < 0)
    return pa.array(list(values), type=pa.string()).take(idx)


def integers(values: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return pa.array(values, mask=missing)


def booleans(values: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(values, dtype=bool))


def write(path: Path, header: Sequence[str], n: int,
          columns: Callable[[slice], list[pa.Array]]) -> None:
    """Write n rows, chunk by chunk; columns(rows) returns the cells of a slice of rows."""
    with open(path, "wb") as f:
        f.write((",".join(header) + "\n").encode())
        for lo in range(0, n, CHUNK_ROWS):
            cols = columns(slice(lo, min(n, lo + CHUNK_ROWS)))
            table = pa.Table.from_arrays(cols, names=list(header))
            pacsv.write_csv(table, f, _OPTIONS)
