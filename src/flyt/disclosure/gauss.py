"""Linear algebra of disclosure: which hidden cells the shown ones give away.

A published cell is a linear combination of *atoms* (unknowns the reader does not
see), so it is a sparse integer vector. A hidden cell can be recovered from the shown
ones exactly when its vector lies in their span. Two uses:

* ``suppress`` — secondary suppression as Statistics Norway's GaussSuppression does
  it (Langsrud 2024): candidates are taken in order of how much we want to show
  them; each shown one eliminates one atom from every column still to come, unless
  that would wipe out a primary cell's column (the primary cell would then be in
  the span of what is shown): then the candidate is hidden instead. Every hidden
  cell, primary or secondary, ends outside the span of the shown ones: a secondary
  cell inside that span could not have completed a primary cell's either.
* ``disclosed`` — the audit: the hidden cells that lie in the span of the shown ones.

Arithmetic is exact over the rationals: fraction-free elimination on Python
integers, each column kept divided by the gcd of its entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from math import gcd

Vector = Mapping[int, int]  # atom -> non-zero integer coefficient


class Elimination:
    """Columns (cells) over rows (atoms), reduced as shown cells are used up."""

    def __init__(self, columns: Sequence[Vector]) -> None:
        self.columns: list[dict[int, int]] = [dict(c) for c in columns]
        self.rows: dict[int, set[int]] = defaultdict(set)  # atom -> columns holding it
        for j, column in enumerate(self.columns):
            for atom in column:
                self.rows[atom].add(j)

    def is_zero(self, j: int) -> bool:
        return not self.columns[j]

    def parallel(self, j: int, k: int) -> bool:
        """Whether column j is a non-zero multiple of column k."""
        a, b = self.columns[j], self.columns[k]
        if len(a) != len(b) or not a:
            return False
        atom, y = next(iter(b.items()))
        x = a.get(atom)
        return x is not None and all(a.get(r, 0) * y == c * x for r, c in b.items())

    def rarest_atom(self, j: int) -> int:
        return min(self.columns[j], key=lambda atom: len(self.rows[atom]))

    def eliminate(self, j: int) -> None:
        """Use (non-zero) column j to remove one atom from every other column; drop j.
        The pivot is the atom fewest columns hold, a unit coefficient if there is one:
        the least fill-in and no scaling."""
        column = self.columns[j]
        rows = self.rows
        pivot = min(column, key=lambda a: (len(rows[a]), abs(column[a]) != 1))
        b = column[pivot]
        rest = [(atom, c) for atom, c in column.items() if atom != pivot]
        columns = self.columns
        for k in rows[pivot]:
            if k == j:
                continue
            other = columns[k]
            a = other.pop(pivot)
            if b == 1 or b == -1:
                factor = a * b
            else:  # other := (b/g) * other - (a/g) * column, then divided by its gcd
                g = gcd(a, b)
                scale, factor = b // g, a // g
                if scale < 0:
                    scale, factor = -scale, -factor
                for atom in other:
                    other[atom] *= scale
            get = other.get
            for atom, c in rest:
                value = get(atom, 0) - factor * c
                if value:
                    if atom not in other:
                        rows[atom].add(k)
                    other[atom] = value
                elif atom in other:
                    del other[atom]
                    rows[atom].discard(k)
            if b != 1 and b != -1:
                _divide_by_gcd(other)
        rows[pivot] = set()
        self.drop(j)

    def drop(self, j: int) -> None:
        for atom in self.columns[j]:
            self.rows[atom].discard(j)
        self.columns[j] = {}


def _divide_by_gcd(vector: dict[int, int]) -> None:
    g = 0
    for value in vector.values():
        g = gcd(g, value)
        if g == 1:
            return
    if g > 1:
        for atom in vector:
            vector[atom] //= g


def suppress(columns: Sequence[Vector], primary: Iterable[int],
             order: Sequence[int]) -> set[int]:
    """The secondary cells: candidates (``order``, most wanted shown first) hidden so that
    no primary column lies in the span of the shown ones. Columns not in ``order`` and
    not primary are neither shown nor protected."""
    gauss = Elimination(columns)
    primary = set(primary)
    secondary: set[int] = set()
    for j in order:
        if j in primary or gauss.is_zero(j):  # zero: in the span already, free to show
            continue
        # A primary column is wiped out by j exactly when it is a multiple of j, so it
        # holds every atom of j: the columns of j's rarest atom are enough to search.
        if any(k in primary and gauss.parallel(k, j)
               for k in gauss.rows[gauss.rarest_atom(j)]):
            secondary.add(j)
            gauss.drop(j)
        else:
            gauss.eliminate(j)
    return secondary


def disclosed(columns: Sequence[Vector], shown: Iterable[int],
              hidden: Iterable[int]) -> set[int]:
    """The hidden columns that lie in the span of the shown ones (shown columns are
    used narrowest first, which keeps the elimination sparse)."""
    gauss = Elimination(columns)
    hidden = set(hidden)
    for j in sorted(set(shown) - hidden, key=lambda j: len(columns[j])):
        if not gauss.is_zero(j):
            gauss.eliminate(j)
    return {j for j in hidden if gauss.is_zero(j)}
