"""Compare two long KPI tables (CSV) cell by cell.

    python benchmarks/peers/compare.py FLYT.csv PEER.csv

A row is keyed by month, group type, group id, sector and KPI. Numbers are compared
as decimals (``27`` equals ``27.0``), an empty cell is no value, booleans as text.
Prints every difference (the first ``--show``) and exits 1 when there is one.
"""

from __future__ import annotations

import argparse
import csv
import sys
from decimal import Decimal
from pathlib import Path

KEY = ("month", "group_type", "group_id", "sector", "kpi")
CELLS = ("value", "numerator", "denominator", "preliminary", "value_12m", "numerator_12m",
         "denominator_12m")

Cell = Decimal | str | None


def _cell(text: str) -> Cell:
    if text == "":
        return None
    try:
        return Decimal(text)
    except ArithmeticError:
        return text.lower()


def read(path: Path) -> dict[tuple[str, ...], dict[str, Cell]]:
    """The table's rows by key; a column missing from the file is a difference too."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    table: dict[tuple[str, ...], dict[str, Cell]] = {}
    for row in rows:
        key = tuple(row[k] for k in KEY)
        if key in table:
            raise ValueError(f"{path}: row {key} appears twice")
        table[key] = {c: _cell(row[c]) if c in row else "<missing column>" for c in CELLS}
    return table


def differences(expected: Path, actual: Path) -> list[str]:
    """Every row or cell in which ``actual`` differs from ``expected``."""
    want, got = read(expected), read(actual)
    out = [f"missing row {k}" for k in sorted(want.keys() - got.keys())]
    out += [f"extra row {k}" for k in sorted(got.keys() - want.keys())]
    for key in sorted(want.keys() & got.keys()):
        for column in CELLS:
            if want[key][column] != got[key][column]:
                out.append(f"{key} {column}: expected {want[key][column]}, "
                           f"got {got[key][column]}")
    return out


def report(expected: Path, actual: Path, show: int = 20) -> bool:
    """Print the verdict; True when the tables agree on every cell."""
    found = differences(expected, actual)
    cells = len(read(expected)) * len(CELLS)
    if not found:
        print(f"{actual.name}: agrees with {expected.name} on all {cells:,} cells")
        return True
    print(f"{actual.name}: {len(found):,} differences from {expected.name}")
    for line in found[:show]:
        print("  " + line)
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("expected", type=Path, help="Flyt's table (flyt kpi --rolling).")
    parser.add_argument("actual", type=Path, help="A peer's table.")
    parser.add_argument("--show", type=int, default=20)
    args = parser.parse_args()
    sys.exit(0 if report(args.expected, args.actual, args.show) else 1)


if __name__ == "__main__":
    main()
