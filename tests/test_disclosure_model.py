"""The cells as vectors (flyt.disclosure.model): in whatever basis they are written, they
must have exactly the linear relations of the plain sums of atoms they stand for."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from flyt.disclosure.model import MONTH, ROLLING, WINDOW, Structure
from tests.support.linalg import rank
from tests.support.toy_cells import months

REGION_OF = {"A": "R", "B": "R", "C": "R", "D": "S", "E": "S", "F": "T"}
UNITS = ("U1", "U2", "U3")
SECTORS = ("somatikk", "psykisk_helsevern")


def plain(structure: Structure, family: int, cell, atoms: set) -> dict:
    """The cell as the plain sum of the atoms about somebody it covers."""
    (month, group_type, group_id, sector, _), part = cell
    t = structure.index[month]
    span = structure.months[max(0, t - WINDOW + 1):t + 1] if part == ROLLING else [month]
    if group_type == "unit":
        return {a: 1 for a in atoms if a[0] in span and a[2] == group_id}
    where = structure.municipalities(group_type, group_id)
    return {a: 1 for a in atoms if a[0] in span and a[1] in where
            and (family == 6 or sector == "alle" or a[2] == sector)}


def cells_of(structure: Structure, family: int) -> list:
    groups = [("community", "all")] + [("region", r) for r in sorted(set(REGION_OF.values()))] \
        + [("municipality", m) for m in REGION_OF]
    if family == 6:
        groups += [("unit", u) for u in UNITS]
    sectors = ("alle",) if family == 6 else ("somatikk", "psykisk_helsevern", "alle")
    return [((m, g, i, s, family), part) for m in structure.months for g, i in groups
            for s in sectors for part in (MONTH, ROLLING)
            if part == MONTH or structure.has_rolling(m)]


def atoms_strategy(family: int):
    parts = UNITS if family == 6 else SECTORS
    return st.sets(st.tuples(st.integers(0, 15), st.sampled_from(sorted(REGION_OF)),
                             st.sampled_from(parts)), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([1, 6]), st.data())
def test_any_set_of_cells_has_the_same_rank_as_the_plain_sums_it_stands_for(family, data):
    month_list = months(16)
    drawn = data.draw(atoms_strategy(family))
    atoms = {(month_list[t], m, p) for t, m, p in drawn}
    structure = Structure(month_list, REGION_OF, {family: atoms})
    cells = cells_of(structure, family)
    chosen = data.draw(st.lists(st.sampled_from(cells), min_size=1, max_size=25))
    assert rank([structure.vector(family, c) for c in chosen]) == rank(
        [plain(structure, family, c, atoms) for c in chosen])


def test_a_12_month_value_of_a_municipality_about_somebody_each_month_is_one_element():
    month_list = months(14)
    atoms = {(m, "A", "somatikk") for m in month_list}
    structure = Structure(month_list, REGION_OF, {1: atoms})
    rolling = structure.vector(1, ((month_list[13], "municipality", "A", "somatikk", 1),
                                   ROLLING))
    assert list(rolling.values()) == [1]
    # ... and its month 13 is z(13) - z(12) + x(1): three elements.
    month = structure.vector(1, ((month_list[13], "municipality", "A", "somatikk", 1), MONTH))
    assert sorted(month.values()) == [-1, 1, 1]


def test_a_cell_about_nobody_has_no_atoms():
    month_list = months(3)
    structure = Structure(month_list, REGION_OF, {1: {(month_list[0], "A", "somatikk")}})
    assert structure.vector(1, ((month_list[1], "region", "R", "alle", 1), MONTH)) == {}
    assert structure.vector(1, ((month_list[0], "municipality", "B", "alle", 1), MONTH)) == {}


def add(*vectors: dict, signs: tuple[int, ...] | None = None) -> dict:
    out: dict = {}
    for v, sign in zip(vectors, signs or (1,) * len(vectors), strict=True):
        for k, c in v.items():
            out[k] = out.get(k, 0) + sign * c
    return {k: c for k, c in out.items() if c}


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([1, 6]), st.data())
def test_every_relation_of_the_spec_holds_between_the_vectors(family, data):
    month_list = months(16)
    drawn = data.draw(atoms_strategy(family))
    structure = Structure(month_list, REGION_OF, {family: {(month_list[t], m, p)
                                                           for t, m, p in drawn}})

    def v(month: str, group_type: str, group_id: str, sector: str = "alle",
          part: str = MONTH) -> dict:
        return structure.vector(family, ((month, group_type, group_id, sector, family), part))

    regions = sorted(set(REGION_OF.values()))
    for t, month in enumerate(month_list):
        assert v(month, "community", "all") == add(*(v(month, "region", r) for r in regions))
        for region in regions:
            assert v(month, "region", region) == add(
                *(v(month, "municipality", m) for m, r in REGION_OF.items() if r == region))
        if family == 6:
            assert v(month, "community", "all") == add(*(v(month, "unit", u) for u in UNITS))
        else:
            for m in REGION_OF:
                assert v(month, "municipality", m) == add(
                    v(month, "municipality", m, "somatikk"),
                    v(month, "municipality", m, "psykisk_helsevern"))
        if structure.has_rolling(month):
            for group_type, group_id in [("community", "all"), ("region", "R"),
                                         ("municipality", "A"), ("municipality", "F")]:
                assert v(month, group_type, group_id, part=ROLLING) == add(
                    *(v(m, group_type, group_id) for m in month_list[t - 11:t + 1]))
