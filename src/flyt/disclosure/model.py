"""The cells of the KPI table as vectors, for the linear algebra of disclosure control
(flyt.disclosure.gauss).

**Atoms** are the finest cells, never shown on their own terms: for KPIs 1–5 one
municipality's sector in one month, for KPI 6 the short-term stays of one
municipality's residents in one unit in one month. A cell is a sum of atoms: a region
of its municipalities, ``alle`` of both sectors, a 12-month value of its 12 months, a
unit of its municipalities' stays there. Every relation of the spec (hierarchy,
sectors, months and rolling windows, units and their municipalities) is then linear
algebra over these vectors.

Only atoms about somebody exist. A finest cell about nobody is known to be empty: it
is shown as 0, and a 0 anywhere says its parts are 0 too, counts being never negative
(Statistics Norway's GaussSuppression does not hide zeros either).

**Basis.** The vectors are written in another basis of the same space, one in which
the cells shown most are single elements, so the elimination stays sparse (about ten
times faster; spans, and so every decision, are the same in any basis):

* time: for each series (a municipality's sector; for KPI 6 a municipality-unit
  pair), its month t is replaced by the 12-month sum ending at t (from the 12th month
  on), so a 12-month value is one element and a month x(t) = z(t) - z(t-1) + x(t-12);
* groups (KPIs 1–5): for each month and sector, a region about somebody takes the
  place of its largest municipality and the community that of its largest region, so
  a region's or the community's figure is one element too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from flyt.domain.codes import ALL_SECTORS, SECTORS

WINDOW = 12
MONTH, ROLLING = "month", "12m"  # the two parts of a cell: the month and its 12 months
Key = tuple[str, str, str, str, int]  # month, group_type, group_id, sector, kpi
Cell = tuple[Key, str]  # (key, part)
Atom = tuple[str, str, str]  # month, municipality, sector (KPI 6: unit)
Series = tuple[str, str]  # municipality, sector (KPI 6: unit)
Combination = dict[int, int]  # month index (of a series) or element id -> coefficient


def _add(target: dict, key: object, value: int) -> None:
    total = target.get(key, 0) + value
    if total:
        target[key] = total
    else:
        target.pop(key, None)


@dataclass
class Structure:
    """What the cells are made of: the months, the municipalities by region, and per
    family (the first KPI of it; see flyt.disclosure.pattern) the atoms about somebody."""

    months: Sequence[str]
    region_of: Mapping[str, str]
    atoms: Mapping[int, Iterable[Atom]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {m: i for i, m in enumerate(self.months)}
        self.members: dict[str, list[str]] = defaultdict(list)
        for code, region in sorted(self.region_of.items()):
            self.members[region].append(code)
        self._families = {family: _Family(self, family, atoms)
                          for family, atoms in self.atoms.items()}

    def has_rolling(self, month: str) -> bool:
        return self.index[month] >= WINDOW - 1

    def municipalities(self, group_type: str, group_id: str) -> list[str]:
        if group_type == "municipality":
            return [group_id]
        if group_type == "region":
            return self.members.get(group_id, [])
        return sorted(self.region_of)

    def vector(self, family: int, cell: Cell) -> dict[int, int]:
        found = self._families.get(family)
        return found.vector(cell) if found is not None else {}


class _Family:
    """The vectors of one family's cells, in the basis of the module's docstring."""

    def __init__(self, structure: Structure, family: int, atoms: Iterable[Atom]) -> None:
        self.structure, self.family = structure, family
        index = structure.index
        self.present: dict[Series, set[int]] = defaultdict(set)
        for month, municipality, part in atoms:
            if month in index:
                self.present[(municipality, part)].add(index[month])
        self.by_municipality: dict[str, list[Series]] = defaultdict(list)
        self.by_unit: dict[str, list[Series]] = defaultdict(list)
        for series in sorted(self.present):
            self.by_municipality[series[0]].append(series)
            self.by_unit[series[1]].append(series)
        self._months: dict[tuple[Series, int], Combination] = {}
        self._elements: dict[tuple, int] = {}
        self._nodes = self._node_tables() if family != 6 else {}
        self._node_cache: dict[tuple[int, str, str, str], Combination] = {}

    # --- time ------------------------------------------------------------------------

    def month(self, series: Series, t: int) -> Combination:
        """x(t) of the series over its own basis elements (month indexes: z(m) for
        m >= 11, x(m) before)."""
        found = self._months.get((series, t))
        if found is not None:
            return found
        present = self.present[series]
        if t not in present:
            out: Combination = {}
        elif t < WINDOW - 1:
            out = {t: 1}
        else:  # z(t) minus the other present months of its window
            out = {t: 1}
            for m in range(t - WINDOW + 1, t):
                if m in present:
                    for element, c in self.month(series, m).items():
                        _add(out, element, -c)
        self._months[(series, t)] = out
        return out

    def window(self, series: Series, t: int) -> Combination:
        if t >= WINDOW - 1 and t in self.present[series]:
            return {t: 1}
        out: Combination = {}
        for m in range(max(0, t - WINDOW + 1), t + 1):
            for element, c in self.month(series, m).items():
                _add(out, element, c)
        return out

    # --- groups ----------------------------------------------------------------------

    def _node_tables(self) -> dict[tuple[int, str], tuple[dict[str, str], str, dict]]:
        """Per (month, sector): the municipality each region stands in for, the region
        the community stands in for, and the municipalities about somebody by region."""
        weight: dict[str, int] = defaultdict(int)
        about: dict[tuple[int, str], list[str]] = defaultdict(list)
        for (municipality, sector), months in self.present.items():
            weight[municipality] += len(months)
            for t in months:
                about[(t, sector)].append(municipality)
        tables = {}
        for place, municipalities in about.items():
            by_region: dict[str, list[str]] = defaultdict(list)
            for m in sorted(municipalities):
                by_region[self.structure.region_of[m]].append(m)
            stand_in = {r: max(ms, key=lambda m: (weight[m], m)) for r, ms in by_region.items()}
            top = max(by_region, key=lambda r: (sum(weight[m] for m in by_region[r]), r))
            tables[place] = (stand_in, top, by_region)
        return tables

    def _element(self, name: tuple) -> int:
        found = self._elements.get(name)
        if found is None:
            found = self._elements[name] = len(self._elements)
        return found

    def node(self, t: int, sector: str, group_type: str, group_id: str) -> Combination:
        """A group's element t of one sector in the group basis (KPIs 1–5)."""
        place = (t, sector, group_type, group_id)
        found = self._node_cache.get(place)
        if found is None:
            found = self._node_cache[place] = self._node(t, sector, group_type, group_id)
        return found

    def _node(self, t: int, sector: str, group_type: str, group_id: str) -> Combination:
        entry = self._nodes.get((t, sector))
        if entry is None:
            return {}
        stand_in, top, by_region = entry
        if group_type == "community":
            return {self._element((t, sector, "community")): 1}
        if group_type == "region":
            if group_id not in by_region:
                return {}
            if group_id != top:
                return {self._element((t, sector, "region", group_id)): 1}
            out = {self._element((t, sector, "community")): 1}
            for region in by_region:
                if region != group_id:
                    out[self._element((t, sector, "region", region))] = -1
            return out
        region = self.structure.region_of[group_id]
        members = by_region.get(region, [])
        if group_id not in members:
            return {}
        if group_id != stand_in[region]:
            return {self._element((t, sector, "municipality", group_id)): 1}
        out = dict(self.node(t, sector, "region", region))
        for m in members:
            if m != group_id:
                out[self._element((t, sector, "municipality", m))] = -1
        return out

    def series_of(self, group_type: str, group_id: str, sector: str) -> list[Series]:
        if group_type == "unit":
            return self.by_unit.get(group_id, [])
        wanted = None if sector == ALL_SECTORS or self.family == 6 else sector
        return [series for m in self.structure.municipalities(group_type, group_id)
                for series in self.by_municipality.get(m, [])
                if wanted is None or series[1] == wanted]

    def vector(self, cell: Cell) -> dict[int, int]:
        (month, group_type, group_id, sector, _), part = cell
        t = self.structure.index[month]
        out: dict[int, int] = {}
        for series in self.series_of(group_type, group_id, sector):
            over_time = self.window(series, t) if part == ROLLING else self.month(series, t)
            for m, c in over_time.items():
                if self.family == 6:
                    _add(out, self._element((m, *series)), c)
                    continue
                municipality, s = series
                for element, g in self.node(m, s, "municipality", municipality).items():
                    _add(out, element, c * g)
        return out


def kpi_atoms(rows: Iterable, family: int) -> list[Atom]:
    """KPIs 1–5: the (month, municipality, sector) cells of the family about somebody,
    read off the municipalities' rows (``persons`` for KPI 1, else the denominator)."""
    out = []
    for row in rows:
        if row.kpi != family or row.group_type != "municipality" or row.sector not in SECTORS:
            continue
        people = row.persons if family == 1 else (row.denominator or 0)
        if people > 0:
            out.append((row.month, row.group_id, row.sector))
    return out
