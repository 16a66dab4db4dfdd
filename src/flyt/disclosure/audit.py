"""The audit: does anything shown give a hidden cell away? (spec/kpi.md: "Proof, not
hope".)

It takes what outputs *actually show* — the KPI table, the reports, the pages, the
goals (an achievement shows its 12-month value; a baseline the baseline's) — as cells,
and checks every hidden cell against all relations at once by linear algebra
(flyt.disclosure.gauss): a hidden cell is safe only if it is outside the span of the
shown ones. A cell of KPI 2 or 3 (4 or 5) shows the denominator the pair shares, so
the pair is audited as one cell: shown if either is shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from flyt.disclosure import gauss
from flyt.disclosure.model import Cell, Structure
from flyt.disclosure.pattern import FAMILY_OF


def _family(cell: Cell) -> Cell:
    (month, group_type, group_id, sector, kpi), part = cell
    return (month, group_type, group_id, sector, FAMILY_OF[kpi]), part


def disclosed(structure: Structure, shown: Iterable[Cell], hidden: Iterable[Cell]) -> set[Cell]:
    """The hidden cells that what is shown gives away: shown as well, or in the span of
    the shown cells (cells about nobody have no atoms: they give nothing and need no
    protection)."""
    shown_by_family: dict[int, set[Cell]] = defaultdict(set)
    for cell in shown:
        family_cell = _family(cell)
        shown_by_family[family_cell[0][4]].add(family_cell)
    hidden_by_family: dict[int, dict[Cell, list[Cell]]] = defaultdict(lambda: defaultdict(list))
    for cell in hidden:
        family_cell = _family(cell)
        hidden_by_family[family_cell[0][4]][family_cell].append(cell)
    found: set[Cell] = set()
    for family, hidden_cells in hidden_by_family.items():
        shown_cells = shown_by_family.get(family, set())
        both = shown_cells & set(hidden_cells)
        cells = sorted(shown_cells | set(hidden_cells))
        columns = [structure.vector(family, cell) for cell in cells]
        index = {cell: j for j, cell in enumerate(cells)}
        spanned = gauss.disclosed(columns, [index[c] for c in shown_cells - both],
                                  [index[c] for c in hidden_cells if c not in both])
        for family_cell in both | {cells[j] for j in spanned}:
            found.update(hidden_cells[family_cell])
    return found
