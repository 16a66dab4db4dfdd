"""Disclosure control for figures that leave the owning organisation (spec/kpi.md).

Primary: a cell about 1–4 people (threshold configurable) is hidden — KPI 1 when
1–4 UKP stays lie behind its days, KPIs 2–6 when the denominator is 1–4; any
other count of 1–4 people is shown as ``<5``.

Secondary: a hidden cell must not be recoverable by subtraction. Within every
additive relation — community = its regions, region = its municipalities,
community = its short-term units (KPI 6), ``alle`` = somatikk + psykisk helsevern —
a relation with exactly one hidden member gets a second one hidden (the smallest
non-empty other member, or the total when no other member has anything). A
short-term unit and the municipality that owns it (KPI 6) are hidden together,
since they often hold the same stays. This is repeated until nothing changes.
A rolling-12 value is hidden when any month of its window is hidden, since 12
months minus 11 shown months would reveal it.

Pure code over the aggregated result rows; no patient-level data comes here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from flyt.domain.codes import ALL_SECTORS, COMMUNITY_ID, SECTORS

Key = tuple[str, str, str, str, int]  # month, group_type, group_id, sector, kpi
PEOPLE_COUNT_NUMERATOR = (2, 4, 5)  # KPIs whose numerator counts people


class Cell(Protocol):
    month: str
    group_type: str
    group_id: str
    sector: str
    kpi: int
    numerator: int | None
    denominator: int | None
    persons: int


def key(cell: Cell) -> Key:
    return (cell.month, cell.group_type, cell.group_id, cell.sector, cell.kpi)


def size(cell: Cell) -> int:
    """People behind the cell: the UKP stays for KPI 1, the denominator otherwise."""
    return cell.persons if cell.kpi == 1 else int(cell.denominator or 0)


def primary(cells: Iterable[Cell], threshold: int) -> set[Key]:
    return {key(c) for c in cells if 0 < size(c) < threshold}


def relations(cells: Sequence[Cell], region_of: dict[str, str]) -> list[tuple[Key, list[Key]]]:
    """Every (total, parts) relation among the cells present."""
    present = {key(c) for c in cells}
    parts: dict[Key, list[Key]] = defaultdict(list)
    for c in cells:
        month, gtype, gid, sector, kpi = key(c)
        if gtype == "municipality" and gid in region_of:
            parts[(month, "region", region_of[gid], sector, kpi)].append(key(c))
        elif gtype in ("region", "unit"):
            parts[(month, "community", COMMUNITY_ID, sector, kpi)].append(key(c))
        if sector in SECTORS:
            parts[(month, gtype, gid, ALL_SECTORS, kpi)].append(key(c))
    return [(total, members) for total, members in parts.items() if total in present]


def _by_relation_kind(total: Key, members: list[Key]) -> list[list[Key]]:
    """A community total has two decompositions for KPI 6 (regions, units): keep apart."""
    groups: dict[str, list[Key]] = defaultdict(list)
    for m in members:
        groups[m[1] if m[3] == total[3] else "sector"].append(m)
    return list(groups.values())


def linked(cells: Sequence[Cell], owner_of_unit: dict[str, str]) -> list[tuple[Key, Key]]:
    """KPI 6 cells of a short-term unit and of the municipality that owns it: often the
    same stays, so one must not be shown while the other is hidden."""
    present = {key(c) for c in cells}
    pairs = []
    for c in cells:
        month, gtype, gid, sector, kpi = key(c)
        if gtype == "unit" and gid in owner_of_unit:
            other = (month, "municipality", owner_of_unit[gid], sector, kpi)
            if other in present:
                pairs.append((key(c), other))
    return pairs


def secondary(
    cells: Sequence[Cell], hidden: set[Key], region_of: dict[str, str],
    owner_of_unit: dict[str, str] | None = None,
) -> set[Key]:
    """Extend ``hidden`` until no additive relation has exactly one hidden member."""
    sizes = {key(c): size(c) for c in cells}
    hidden = set(hidden)
    rels = [
        (total, part)
        for total, members in relations(cells, region_of)
        for part in _by_relation_kind(total, members)
    ]
    pairs = linked(cells, owner_of_unit or {})
    changed = True
    while changed:
        changed = False
        for a, b in pairs:
            if (a in hidden) != (b in hidden):
                hidden.update((a, b))
                changed = True
        for total, members in rels:
            lone = [k for k in [total, *members] if k in hidden and sizes[k] > 0]
            if len(lone) != 1:
                continue
            candidates = sorted(
                (sizes[m], m) for m in members if m not in hidden and sizes[m] > 0
            )
            extra = candidates[0][1] if candidates else total
            if extra in hidden:
                continue
            hidden.add(extra)
            changed = True
    return hidden


@dataclass(frozen=True)
class Shown:
    """A cell as it may be shown outside the owning organisation."""

    hidden: bool
    value: float | None
    numerator: int | str | None
    denominator: int | str | None


def mask_count(n: int | None, threshold: int) -> int | str | None:
    return f"<{threshold}" if n is not None and 0 < n < threshold else n


def show(cell: Cell, value: float | None, hidden: bool, threshold: int) -> Shown:
    if hidden:  # a secondary cell's exact denominator would undo the suppression
        small = cell.denominator is not None and 0 < cell.denominator < threshold
        return Shown(True, None, None, f"<{threshold}" if small else None)
    numerator: int | str | None = cell.numerator
    if cell.kpi in PEOPLE_COUNT_NUMERATOR:
        numerator = mask_count(cell.numerator, threshold)
    return Shown(False, value, numerator, mask_count(cell.denominator, threshold))


def hidden_cells(
    cells: Sequence[Cell], threshold: int, region_of: dict[str, str],
    owner_of_unit: dict[str, str] | None = None,
) -> set[Key]:
    return secondary(cells, primary(cells, threshold), region_of, owner_of_unit)


def hidden_windows(
    months: Sequence[str], hidden_monthly: set[Key], window: int = 12
) -> Callable[[Key], bool]:
    """Whether the rolling value at a key's month covers a hidden month of that cell."""
    order = {m: i for i, m in enumerate(sorted(set(months)))}
    by_series: dict[tuple[str, str, str, int], list[int]] = defaultdict(list)
    for month, gtype, gid, sector, kpi in hidden_monthly:
        by_series[(gtype, gid, sector, kpi)].append(order[month])

    def covers_hidden(k: Key) -> bool:
        i = order[k[0]]
        return any(i - window < j <= i for j in by_series.get(k[1:], ()))

    return covers_hidden
