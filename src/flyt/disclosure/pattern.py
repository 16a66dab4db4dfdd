"""Which cells of the KPI table the shared edition hides (spec/kpi.md, "Disclosure
control"): one pattern per result set, decided here once and stored with the results.

* **Primary**: a cell about 1–4 people (threshold configurable): KPI 1 when 1–4 UKP
  stays lie behind its days, KPIs 2–6 when the denominator is 1–4. A month and its
  rolling 12 months are cells of their own, each judged by its own people.
* **Families**: KPIs 2 and 3 share their denominator (the UKP stays discharged), as
  do 4 and 5 (those discharged alive): a cell of one shown beside the other hidden
  would give the denominator away, so each pair is decided together.
* **Secondary** (flyt.disclosure.gauss): no hidden cell may lie in the span of the
  shown ones over every relation at once — community = regions = municipalities
  (KPI 6 also = units, through the (municipality, unit) pairs), ``alle`` = somatikk
  + psykisk helsevern, and each 12-month value = the sum of its months.
* **Least information lost**, the documented order in which cells are wanted shown
  (a secondary cell is the last of the cells that together would give a hidden one
  away):
    1. key cells — the community's figures per sector and every cell a goal is set
       on, month and 12 months — are never chosen;
    2. 12-month values before months (the goals, the municipality tables and the
       trend lines read them);
    3. ``alle`` before somatikk before psykisk helsevern (the total before its parts;
       mental health holds the small numbers);
    4. regions before municipalities and units;
    5. more people before fewer, then the newer month first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from flyt.disclosure import gauss
from flyt.disclosure.model import MONTH, ROLLING, Cell, Key, Structure
from flyt.domain.codes import ALL_SECTORS, COMMUNITY_ID

FAMILIES: dict[int, tuple[int, ...]] = {1: (1,), 2: (2, 3), 4: (4, 5), 6: (6,)}
FAMILY_OF = {kpi: family for family, kpis in FAMILIES.items() for kpi in kpis}
SECTOR_ORDER = {ALL_SECTORS: 0, "somatikk": 1, "psykisk_helsevern": 2}
LEVEL_ORDER = {"community": 0, "region": 1, "municipality": 2, "unit": 2}


class Row(Protocol):
    """What the pattern needs of a result row (flyt.engine.read.KpiRow has it, and
    flyt.engine.pattern.CellRow). Read-only: a frozen row or a named tuple will do."""

    @property
    def month(self) -> str: ...

    @property
    def group_type(self) -> str: ...

    @property
    def group_id(self) -> str: ...

    @property
    def sector(self) -> str: ...

    @property
    def kpi(self) -> int: ...

    @property
    def denominator(self) -> int | None: ...

    @property
    def persons(self) -> int: ...

    @property
    def numerator_12m(self) -> int | None: ...

    @property
    def denominator_12m(self) -> int | None: ...

    @property
    def persons_12m(self) -> int | None: ...


def key(row: Row) -> Key:
    return (row.month, row.group_type, row.group_id, row.sector, row.kpi)


def people(row: Row, part: str) -> int | None:
    """The people behind a part of a row; None when the 12-month value does not exist."""
    if part == MONTH:
        return row.persons if row.kpi == 1 else int(row.denominator or 0)
    if row.numerator_12m is None and row.denominator_12m is None:
        return None
    return int(row.persons_12m or 0) if row.kpi == 1 else int(row.denominator_12m or 0)


@dataclass(frozen=True)
class GoalCell:
    kpi: int
    sector: str
    group_type: str
    group_id: str


@dataclass
class Pattern:
    """The hidden cells of the shared edition, and why."""

    primary: set[Cell] = field(default_factory=set)
    secondary: set[Cell] = field(default_factory=set)
    key_hidden: set[Cell] = field(default_factory=set)  # key cells that had to go
    withheld: set[Cell] = field(default_factory=set)  # months not complete at the cut-off

    @property
    def hidden(self) -> set[Cell]:
        return self.primary | self.secondary | self.withheld

    def is_hidden(self, k: Key, part: str = MONTH) -> bool:
        return (k, part) in self.primary or (k, part) in self.secondary \
            or (k, part) in self.withheld


def is_key(k: Key, goals: Iterable[GoalCell]) -> bool:
    _, group_type, group_id, sector, kpi = k
    if group_type == "community" and group_id == COMMUNITY_ID:
        return True
    family = FAMILY_OF[kpi]
    return any(FAMILY_OF[g.kpi] == family and (g.sector, g.group_type, g.group_id)
               == (sector, group_type, group_id) for g in goals)


def decide(rows: Sequence[Row], structure: Structure, threshold: int,
           goals: Iterable[GoalCell] = (), complete_until: str | None = None) -> Pattern:
    """The pattern for every row of one result set (all months, so the rolling
    windows and their differences are all seen). Months after ``complete_until`` are
    withheld: a month not yet over is not shared (its zeros so far would give the
    same month a year before away through the 12-month values)."""
    goals = tuple(goals)
    pattern = Pattern()
    if complete_until is not None:
        pattern.withheld = {(key(r), part) for r in rows if r.month > complete_until
                            for part in (MONTH, ROLLING)}
        rows = [r for r in rows if r.month <= complete_until]
    for family, kpis in FAMILIES.items():
        leaders = [r for r in rows if r.kpi == family]
        cells: list[Cell] = []
        sizes: list[int] = []
        for row in leaders:
            for part in (MONTH, ROLLING):
                n = people(row, part)
                if n is not None and (part == MONTH or structure.has_rolling(row.month)):
                    cells.append((key(row), part))
                    sizes.append(n)
        primary, secondary, forced = _decide_family(family, cells, sizes, structure,
                                                    threshold, goals)
        for members, target in ((primary, pattern.primary), (secondary, pattern.secondary),
                                (forced, pattern.key_hidden)):
            target.update(((k[0], k[1], k[2], k[3], kpi), part)
                          for (k, part) in members for kpi in kpis)
    return pattern


def _decide_family(family: int, cells: list[Cell], sizes: list[int], structure: Structure,
                   threshold: int, goals: tuple[GoalCell, ...]
                   ) -> tuple[set[Cell], set[Cell], set[Cell]]:
    columns = [structure.vector(family, cell) for cell in cells]
    primary = [j for j, n in enumerate(sizes) if 0 < n < threshold]
    keys = {j for j, (k, _) in enumerate(cells) if is_key(k, goals)}
    order = sorted(range(len(cells)), key=lambda j: _wanted(cells[j], sizes[j], j in keys,
                                                            structure))
    secondary = gauss.suppress(columns, primary, order)
    return ({cells[j] for j in primary}, {cells[j] for j in secondary},
            {cells[j] for j in secondary & keys})


def _wanted(cell: Cell, size: int, is_key_cell: bool, structure: Structure) -> tuple:
    """Sort key: the cells most wanted shown first (see the module's docstring)."""
    (month, group_type, group_id, sector, _), part = cell
    newest_first = -structure.index[month]
    if is_key_cell:  # never chosen; their order only decides how sparse elimination stays
        return (0, part != ROLLING, -newest_first, SECTOR_ORDER[sector], group_id)
    return (1, part != ROLLING, SECTOR_ORDER[sector], LEVEL_ORDER[group_type], newest_first,
            -size, group_id)


Slot = tuple[str, str, str]  # level, part, sector


def information_loss(rows: Sequence[Row], pattern: Pattern,
                     months: Iterable[str] | None = None) -> dict[Slot, tuple[int, int]]:
    """Hidden and all non-empty cells per (level, part, sector), over ``months``."""
    wanted = set(months) if months is not None else None
    counts: Counter[Slot] = Counter()
    hidden: Counter[Slot] = Counter()
    for row in rows:
        if wanted is not None and row.month not in wanted:
            continue
        for part in (MONTH, ROLLING):
            if people(row, part) is None:
                continue
            slot = (row.group_type, part, row.sector)
            counts[slot] += 1
            hidden[slot] += pattern.is_hidden(key(row), part)
    return {slot: (hidden[slot], n) for slot, n in sorted(counts.items())}
