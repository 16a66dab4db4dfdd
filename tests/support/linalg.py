"""Exact rational linear algebra for tests: an independent reference for the disclosure
audit (dense, small, obviously right)."""

from __future__ import annotations

from fractions import Fraction


def rank(vectors: list[dict]) -> int:
    """Rank over the rationals by dense Gaussian elimination with Fractions."""
    atoms = sorted({a for v in vectors for a in v}, key=repr)
    rows = [[Fraction(v.get(a, 0)) for a in atoms] for v in vectors]
    r = 0
    for c in range(len(atoms)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c] / rows[r][c]
                rows[i] = [x - f * y for x, y in zip(rows[i], rows[r], strict=True)]
        r += 1
    return r


def in_span(v: dict, basis: list[dict]) -> bool:
    return rank(basis + [v]) == rank(basis)
