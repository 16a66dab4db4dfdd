"""Disclosure control (spec/kpi.md "Disclosure control"): which cells are hidden.

Most tests use small hand-built cells of a toy community: region R = municipalities
A, B, C, E; region S = D, F; region T = G. How the kept cells are displayed ("<5",
values, the CLI) is tests/test_kpi_table_output.py.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from flyt.domain import suppression
from flyt.domain.suppression import hidden_cells, hidden_windows, primary
from flyt.engine.read import KpiRow
from flyt.output.kpi_table import table
from tests.support.records import load, results, short_stay, stay

REGION_OF = {"A": "R", "B": "R", "C": "R", "E": "R", "D": "S", "F": "S", "G": "T"}
MONTH = "2024-03"


@dataclass(frozen=True)
class Cell:
    month: str
    group_type: str
    group_id: str
    sector: str
    kpi: int
    numerator: int | None
    denominator: int | None
    persons: int


def days(gid: str, stays: int, *, sector: str = "somatikk", month: str = MONTH) -> Cell:
    """A KPI 1 cell: ``stays`` UKP stays behind it (3 UKP days each)."""
    return Cell(month, _group_type(gid), gid, sector, 1, 3 * stays, None, stays)


def short(gid: str, stays: int, group_type: str | None = None) -> Cell:
    """A KPI 6 cell (sector alle): ``stays`` short-term stays of 10 days each."""
    return Cell(MONTH, group_type or _group_type(gid), gid, "alle", 6, 10 * stays, stays, stays)


def _group_type(gid: str) -> str:
    if gid == "all":
        return "community"
    return "region" if gid in ("R", "S", "T") else "municipality"


def ids(keys: set) -> set[str]:
    """The hidden cells by group id (the tests vary one dimension at a time)."""
    return {k[2] for k in keys}


# --- primary and secondary suppression among municipalities and regions ----------------


def test_a_municipality_with_three_stays_is_hidden_with_a_second_one_of_its_region():
    # R = A 3 + B 6 + C 9 = 18; S = D 20; community = 18 + 20 = 38
    cells = [days("A", 3), days("B", 6), days("C", 9), days("R", 18),
             days("D", 20), days("S", 20), days("all", 38)]

    hidden = hidden_cells(cells, 5, REGION_OF)

    # R - B - C would give A; with B hidden too, R - C = A + B is two unknowns
    assert ids(hidden) == {"A", "B"}


def test_the_second_municipality_hidden_is_the_smallest_non_empty_one():
    # R = A 3 + B 0 + C 12 + E 7 = 22: B has nothing to protect, E (7) is the smallest left
    cells = [days("A", 3), days("B", 0), days("C", 12), days("E", 7), days("R", 22),
             days("all", 22)]

    assert ids(hidden_cells(cells, 5, REGION_OF)) == {"A", "E"}


def test_a_region_with_a_single_non_empty_municipality_hides_the_region_total():
    # S = D 3 + F 0: the region total is D's own number, so S is hidden with D. Then the
    # community relation (all = R + S + T) has S alone: the smallest other region, R (18),
    # is hidden, and in R = A 6 + B 12 the hidden total needs A (6) hidden too.
    cells = [days("D", 3), days("F", 0), days("S", 3),
             days("A", 6), days("B", 12), days("R", 18),
             days("G", 30), days("T", 30), days("all", 3 + 18 + 30)]

    assert ids(hidden_cells(cells, 5, REGION_OF)) == {"D", "S", "R", "A"}


def test_psychiatry_hidden_beside_a_shown_alle_hides_somatikk_too():
    # alle 32 = somatikk 30 + psykisk_helsevern 2
    cells = [days("all", 30), days("all", 2, sector="psykisk_helsevern"),
             days("all", 32, sector="alle")]

    hidden = {k[3] for k in hidden_cells(cells, 5, REGION_OF)}

    assert "psykisk_helsevern" in hidden
    assert hidden & {"somatikk", "alle"}, "alle - somatikk would give psykisk helsevern"
    assert hidden == {"psykisk_helsevern", "somatikk"}  # the smallest other member


def test_a_short_term_unit_is_protected_among_the_units_apart_from_the_regions():
    # KPI 6, community 30 = unit U1 2 + U2 8 + U3 20 = region R 30 = municipality A 30
    cells = [short("all", 30), short("U1", 2, "unit"), short("U2", 8, "unit"),
             short("U3", 20, "unit"), short("R", 30), short("A", 30)]

    assert ids(hidden_cells(cells, 5, REGION_OF)) == {"U1", "U2"}


def test_cells_with_nobody_behind_them_are_never_hidden():
    # A share with an empty denominator has no value, KPI 1 with no stays is 0: nothing
    # to protect, and hiding them would only tell that something else is small
    empty_share = Cell(MONTH, "municipality", "B", "somatikk", 2, 0, 0, 0)
    cells = [days("A", 0), days("B", 0), days("R", 0), empty_share]

    assert primary(cells, 5) == set()
    assert hidden_cells(cells, 5, REGION_OF) == set()


def test_a_share_is_hidden_by_its_denominator_and_kpi_1_by_its_stays():
    cells = [
        Cell(MONTH, "municipality", "A", "somatikk", 2, 4, 4, 4),  # 4 discharged: hidden
        Cell(MONTH, "municipality", "B", "somatikk", 2, 4, 5, 5),  # 5 discharged: shown
        Cell(MONTH, "municipality", "C", "somatikk", 1, 40, None, 4),  # 40 days, 4 stays
        Cell(MONTH, "municipality", "E", "somatikk", 1, 5, None, 5),  # 5 days, 5 stays
    ]

    assert ids(primary(cells, 5)) == {"A", "C"}


def test_the_threshold_is_configurable():
    cells = [days("A", 2), days("B", 3), days("C", 4), days("E", 5)]

    assert ids(primary(cells, 5)) == {"A", "B", "C"}  # 1-4 stays
    assert ids(primary(cells, 3)) == {"A"}  # 1-2 stays


# --- rolling 12 months ------------------------------------------------------------------


def test_a_rolling_value_is_hidden_while_a_hidden_month_is_in_its_12_month_window():
    months = [f"2023-{m:02d}" for m in range(1, 13)] + [f"2024-{m:02d}" for m in range(1, 7)]
    hidden_march = {("2023-03", "municipality", "A", "somatikk", 1)}

    covers = hidden_windows(months, hidden_march)

    def series(gid: str, sector: str = "somatikk", kpi: int = 1) -> list[str]:
        return [m for m in months if covers((m, "municipality", gid, sector, kpi))]

    # 2023-03 is in the windows ending 2023-03 .. 2024-02 (12 windows); the window ending
    # 2024-03 is 2023-04 .. 2024-03
    assert series("A") == ["2023-03", "2023-04", "2023-05", "2023-06", "2023-07", "2023-08",
                           "2023-09", "2023-10", "2023-11", "2023-12", "2024-01", "2024-02"]
    assert series("B") == []
    assert series("A", sector="alle") == []
    assert series("A", kpi=2) == []


# --- end to end through the engine --------------------------------------------------------


def _march_stays(municipality: str, n: int) -> list:
    """``n`` UKP stays in March 2024, each 4 UKP days (1 -> 5 March)."""
    return [stay(f"{municipality}-{i}", None, municipality, ready="2024-03-01",
                 discharged="2024-03-05") for i in range(n)]


def test_the_engine_result_hides_a_municipality_with_three_stays_and_one_more_in_its_region(db):
    # Trondheimsområdet = Malvik 5031 (3 stays) + Melhus 5028 (6) + Skaun 5029 (9)
    #                     + Midtre Gauldal 5027 (0) = 18 stays; Trondheim 5001: 20 stays
    load(db, _march_stays("5031", 3) + _march_stays("5028", 6) + _march_stays("5029", 9)
         + _march_stays("5001", 20))
    res = results(db, "2024-04-01")
    region_of = {"5031": "Trondheimsområdet", "5028": "Trondheimsområdet",
                 "5029": "Trondheimsområdet", "5027": "Trondheimsområdet",
                 "5001": "Trondheim"}
    assert res.of(MONTH, 1, municipality="5031").persons == 3
    assert res.of(MONTH, 1, municipality="5031").numerator == 3 * 4

    records = table(res.rows, suppress=True, region_of=region_of)

    def suppressed(group_type: str, group_id: str) -> bool:
        (r,) = [r for r in records if (r["month"], r["kpi"], r["sector"], r["group_type"],
                                       r["group_id"]) == (MONTH, 1, "somatikk", group_type,
                                                          group_id)]
        return r["suppressed"]

    assert suppressed("municipality", "5031")
    assert suppressed("municipality", "5028")  # the smallest non-empty other (6 stays)
    assert not suppressed("municipality", "5029")
    assert not suppressed("municipality", "5027")  # nothing in it
    assert not suppressed("region", "Trondheimsområdet")
    assert not suppressed("community", "all")
    assert not suppressed("municipality", "5001")


def _random_community(seed: int) -> tuple[list, list]:
    """A few months of stays and short-term stays spread thinly, so that many cells are
    small and secondary suppression has work to do in every relation."""
    rng = random.Random(seed)
    codes = ["5001", "5031", "5028", "5029", "5027", "5057", "5054", "5058", "5059", "5055",
             "5025", "5026"]
    units = ["Øya helsehus korttid", "Trondheim korttid", "Malvik korttid", "Melhus korttid",
             "Røros korttid"]
    destinations = ["hjem", "hjem_med_tjenester", "korttidsopphold", "dod", "annet"]
    stays, shorts = [], []
    for i in range(160):
        month = rng.randint(1, 4)
        ready_day = rng.randint(1, 20)
        length = rng.choice([0, 0, 1, 2, 3, 5, 9, 15])
        discharged = (None if rng.random() < 0.1 else
                      f"2024-{month + (ready_day + length > 28):02d}-"
                      f"{(ready_day + length - 1) % 28 + 1:02d}")
        stays.append(stay(
            f"s{i}", f"p{rng.randint(1, 120)}", rng.choice(codes),
            admitted=f"2024-{month:02d}-{ready_day:02d}",
            ready=f"2024-{month:02d}-{ready_day:02d} 12:00",
            discharged=None if discharged is None else f"{discharged} 14:00",
            destination=None if discharged is None else rng.choice(destinations),
            sector="psykisk_helsevern" if rng.random() < 0.2 else "somatikk",
        ))
    for i in range(60):
        month = rng.randint(1, 4)
        start = rng.randint(1, 15)
        shorts.append(short_stay(
            f"k{i}", rng.choice(codes), rng.choice(units),
            started=f"2024-{month:02d}-{start:02d}",
            ended=f"2024-{month:02d}-{start + rng.randint(0, 12):02d}"))
    return stays, shorts


def _relations(rows: list[KpiRow], region_of: dict[str, str]) -> list[list[tuple]]:
    """Every additive relation of the contract, written out independently of the code:
    each is [total, part, part, ...] as keys (month, group_type, group_id, sector, kpi)."""
    present = {suppression.key(r) for r in rows}
    rels: dict[tuple, list[tuple]] = defaultdict(list)
    for month, gtype, gid, sector, kpi in present:
        if gtype == "municipality":  # region = its municipalities
            rels[("m", month, region_of[gid], sector, kpi)].append((month, gtype, gid, sector,
                                                                    kpi))
        if gtype in ("region", "unit"):  # community = regions; (KPI 6) = units
            rels[(gtype, month, sector, kpi)].append((month, gtype, gid, sector, kpi))
        if sector != "alle" and kpi != 6:  # alle = somatikk + psykisk helsevern
            rels[("s", month, gtype, gid, kpi)].append((month, gtype, gid, sector, kpi))
    out = []
    for name, parts in rels.items():
        if name[0] == "m":
            total = (name[1], "region", name[2], name[3], name[4])
        elif name[0] in ("region", "unit"):
            total = (name[1], "community", "all", name[2], name[3])
        else:
            total = (name[1], name[2], name[3], "alle", name[4])
        assert total in present, total
        out.append([total, *parts])
    return out


def test_no_hidden_cell_of_an_engine_result_is_alone_in_any_relation(db):
    stays, shorts = _random_community(seed=20240304)
    load(db, stays, short_stays=shorts)
    res = results(db, "2024-05-01")
    with db.engine.connect() as conn:
        region_of = dict(conn.exec_driver_sql("SELECT code, region FROM municipalities").all())
    by_key = {suppression.key(r): r for r in res.rows}

    records = table(res.rows, suppress=True, region_of=region_of)
    hidden = {(r["month"], r["group_type"], r["group_id"], r["sector"], r["kpi"])
              for r in records if r["suppressed"]}

    primary_hidden = primary(res.rows, 5)
    assert len(primary_hidden) > 20 and len(hidden) > len(primary_hidden), (
        "the data must exercise secondary suppression")
    assert primary_hidden <= hidden
    relations = _relations(res.rows, region_of)
    checked = 0
    for members in relations:
        lone = [k for k in members if k in hidden]
        assert len(lone) != 1, f"{lone[0]} can be recomputed from {members}"
        checked += bool(lone)
    assert checked > 20
    # a hidden cell shows neither value nor numerator
    for r in records:
        if r["suppressed"]:
            assert r["value"] is None and r["numerator"] is None
        else:
            exact = by_key[(r["month"], r["group_type"], r["group_id"], r["sector"], r["kpi"])]
            assert not 0 < suppression.size(exact) < 5
