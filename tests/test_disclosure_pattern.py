"""Which cells the shared edition hides (flyt.disclosure.pattern), on toy communities
whose answer is worked out by hand in each test. The audit of realistic volumes is
tests/test_disclosure_audit.py; the linear algebra itself tests/test_disclosure_gauss.py."""

from __future__ import annotations

from flyt.disclosure import audit
from flyt.disclosure.model import MONTH, ROLLING, Structure, kpi_atoms
from flyt.disclosure.pattern import GoalCell, decide, key, people
from tests.support.toy_cells import months, toy_rows

REGION_OF = {"A": "R", "B": "R", "C": "R", "D": "S"}


def structure_of(rows, month_list, region_of, unit_atoms=()) -> Structure:
    """The toy's structure: its atoms about somebody, read off its rows."""
    atoms = {family: kpi_atoms(rows, family) for family in (1, 2, 4)} | {6: list(unit_atoms)}
    return Structure(month_list, region_of, atoms)


def hidden_ids(pattern, kpi: int = 1, part: str = MONTH) -> set[tuple[str, str, str]]:
    """(month, group, sector) of the hidden cells of one KPI and part."""
    return {(k[0], k[2], k[3]) for k, p in pattern.hidden if k[4] == kpi and p == part}


def audit_clean(rows, structure, pattern) -> set:
    """The hidden cells the rest of the table would give away (must be none)."""
    cells = {(key(r), part) for r in rows for part in (MONTH, ROLLING)
             if people(r, part) is not None and (part == MONTH
                                                 or structure.has_rolling(r.month))}
    return audit.disclosed(structure, cells - pattern.hidden, pattern.hidden)


def test_a_municipality_with_three_stays_is_hidden_with_the_smallest_other_of_its_region():
    # March: A 3 stays, B 6, C 9 (region R = 18), D 20 (region S); somatics only.
    month = months(1)
    rows = toy_rows({(0, "A", "somatikk"): 3, (0, "B", "somatikk"): 6,
                     (0, "C", "somatikk"): 9, (0, "D", "somatikk"): 20}, month, REGION_OF)
    structure = structure_of(rows, month, REGION_OF)
    pattern = decide(rows, structure, threshold=5)
    m = month[0]
    assert hidden_ids(pattern) == {(m, "A", "somatikk"), (m, "A", "alle"),
                                   (m, "B", "somatikk"), (m, "B", "alle")}
    assert {(k[2], k[3]) for k, _ in pattern.primary} == {("A", "somatikk"), ("A", "alle")}
    assert audit_clean(rows, structure, pattern) == set()


def test_cells_with_nobody_behind_them_are_shown_and_never_primary():
    month = months(1)
    rows = toy_rows({(0, "A", "somatikk"): 30, (0, "D", "somatikk"): 20}, month, REGION_OF)
    pattern = decide(rows, structure_of(rows, month, REGION_OF), threshold=5)
    assert pattern.hidden == set()


def test_the_threshold_is_configurable():
    month = months(1)
    counts = {(0, "A", "somatikk"): 6, (0, "B", "somatikk"): 7, (0, "C", "somatikk"): 30,
              (0, "D", "somatikk"): 20}
    rows = toy_rows(counts, month, REGION_OF)
    assert decide(rows, structure_of(rows, month, REGION_OF), threshold=5).hidden == set()
    at_ten = decide(rows, structure_of(rows, month, REGION_OF), threshold=10)
    # A (6) and B (7) are both under 10: each protects the other within R.
    assert hidden_ids(at_ten) == {(month[0], g, s) for g in "AB" for s in ("somatikk", "alle")}


def test_mental_health_hidden_beside_a_shown_total_hides_somatics_not_the_total():
    # D alone in S: psychiatric 2 (primary), somatic 40. alle = 42 must stay, so the
    # second cell is D's somatics; region S = D, so S's psychiatric and somatic cells go
    # too, and the community's (key cells) stay: A carries the difference there (B and C
    # have nobody: their zeros are shown, and protect nothing).
    month = months(1)
    rows = toy_rows({(0, "D", "psykisk_helsevern"): 2, (0, "D", "somatikk"): 40,
                     (0, "A", "somatikk"): 30, (0, "A", "psykisk_helsevern"): 9},
                    month, REGION_OF)
    structure = structure_of(rows, month, REGION_OF)
    pattern = decide(rows, structure, threshold=5)
    m = month[0]
    assert hidden_ids(pattern) == {(m, "D", "psykisk_helsevern"), (m, "D", "somatikk"),
                                   (m, "S", "psykisk_helsevern"), (m, "S", "somatikk"),
                                   (m, "A", "psykisk_helsevern"), (m, "A", "somatikk"),
                                   (m, "R", "psykisk_helsevern"), (m, "R", "somatikk")}
    assert (m, "D", "alle") not in hidden_ids(pattern)
    assert audit_clean(rows, structure, pattern) == set()


def test_a_12_month_value_is_judged_by_its_own_people_not_hidden_with_its_months():
    # 13 months, region R = A + B = the community. A: 1 stay a month (every month hidden),
    # 12 a year (shown). B: 10 a month. The community's months are key cells, so every
    # month of B must go (community - B = A); every 12-month value stays.
    month = months(13)
    counts = {(t, "A", "somatikk"): 1 for t in range(13)}
    counts |= {(t, "B", "somatikk"): 10 for t in range(13)}
    region_of = {"A": "R", "B": "R"}
    rows = toy_rows(counts, month, region_of)
    structure = structure_of(rows, month, region_of)
    pattern = decide(rows, structure, threshold=5)
    assert hidden_ids(pattern, part=ROLLING) == set()
    assert hidden_ids(pattern) == {(m, g, s) for m in month for g in "AB"
                                   for s in ("somatikk", "alle")}
    assert audit_clean(rows, structure, pattern) == set()


def test_a_primary_key_cell_is_hidden_and_the_key_cell_that_would_give_it_away_is_reported():
    # The whole community has 2 psychiatric stays: its own figure is primary; alle and
    # somatics (key cells too) cannot both stay, and the one that goes is reported.
    month = months(1)
    rows = toy_rows({(0, "A", "psykisk_helsevern"): 2, (0, "A", "somatikk"): 30,
                     (0, "D", "somatikk"): 20}, month, REGION_OF)
    pattern = decide(rows, structure_of(rows, month, REGION_OF), threshold=5)
    assert ((month[0], "community", "all", "psykisk_helsevern", 1), MONTH) in pattern.primary
    assert {(k[1], k[3]) for k, _ in pattern.key_hidden} == {("community", "somatikk")}


def test_a_goal_cell_is_never_chosen_so_the_next_cheapest_one_is():
    # As in the first test, but a goal is set on B: C (9) goes instead of B (6).
    month = months(1)
    rows = toy_rows({(0, "A", "somatikk"): 3, (0, "B", "somatikk"): 6,
                     (0, "C", "somatikk"): 9, (0, "D", "somatikk"): 20}, month, REGION_OF)
    goals = [GoalCell(1, "somatikk", "municipality", "B"), GoalCell(1, "alle", "municipality",
                                                                     "B")]
    pattern = decide(rows, structure_of(rows, month, REGION_OF), threshold=5, goals=goals)
    m = month[0]
    assert hidden_ids(pattern) == {(m, "A", "somatikk"), (m, "A", "alle"),
                                   (m, "C", "somatikk"), (m, "C", "alle")}
    assert pattern.key_hidden == set()


def test_kpis_that_share_a_denominator_are_hidden_together():
    month = months(1)
    rows = toy_rows({(0, "A", "somatikk"): 3, (0, "B", "somatikk"): 6,
                     (0, "C", "somatikk"): 9, (0, "D", "somatikk"): 20}, month, REGION_OF,
                    kpis=(2, 3, 4, 5))
    pattern = decide(rows, structure_of(rows, month, REGION_OF), threshold=5)
    assert hidden_ids(pattern, kpi=2) == hidden_ids(pattern, kpi=3) == hidden_ids(pattern, 4) \
        == hidden_ids(pattern, kpi=5) != set()


def test_a_short_term_unit_holding_one_municipalitys_stays_is_hidden_with_it():
    # KPI 6: unit UA has only A's stays, so its cell is A's; A has 2 (primary).
    month = months(1)
    rows = [r for r in toy_rows({(0, "A", "somatikk"): 2, (0, "B", "somatikk"): 6,
                                 (0, "C", "somatikk"): 9, (0, "D", "somatikk"): 20},
                                month, REGION_OF, kpis=(6,)) if r.sector == "alle"]
    units = {"A": "UA", "B": "UB", "C": "UC", "D": "UD"}
    rows += [r.__class__(r.month, "unit", units[r.group_id], "alle", 6, r.denominator,
                         r.persons, None, None, None)
             for r in rows if r.group_type == "municipality"]
    unit_atoms = [(r.month, r.group_id, units[r.group_id]) for r in rows
                  if r.group_type == "municipality" and r.persons > 0]
    structure = structure_of(rows, month, REGION_OF, unit_atoms)
    pattern = decide(rows, structure, threshold=5)
    hidden = {(k[1], k[2]) for k, _ in pattern.hidden}
    assert ("unit", "UA") in hidden and ("municipality", "A") in hidden
    assert ("unit", "UB") in hidden and ("municipality", "B") in hidden  # the second one
    assert audit_clean(rows, structure, pattern) == set()
