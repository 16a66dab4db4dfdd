"""The peers (and Flyt) on the hand-made edge cases of benchmarks/peers/edge/, against
values computed by hand. Not part of the suite (tests/): run it on its own,

    pytest benchmarks/peers/test_peers.py -q

Cut-off 10.03.2024 12:00. The stays (S = somatikk, P = psykisk helsevern):

- E02 (5001 S): periods 12.01 08:00-16.01 12:00 and 15.01 09:00-open, discharged 20.01:
  days 12-19 January = 8 (not 4 + 5 = 9: the 15th is counted once).
- E03 (5001 S): ready and discharged (dead) on 05.01: 0 days.
- E04 (5031 S): ready 30.01, discharged 02.02: 2 days in January, 1 in February.
- E20 (5031 S): ready_at 01.01 but its period starts 03.01, discharged 05.01: 2 days.
- E07, E09, E12 (5001 S, 1 day each, in January) and E05 (5001 P, 4 days) are discharged
  01.02 10:00. Acute admissions of the same patients: E05's exactly 8 h later (not a
  readmission), E07's exactly 720 h later in the other sector (one), E09's 720 h + 1 min
  later and a planned one 9 h later (none), E12's 8 h 1 min later (one).
- E19 (5001 S): periods 10.02-12.02 (withdrawn) and 20.02-discharge 22.02: 4 days.
- E14 (5001 S): ready 25.02, discharged 01.03 08:00: 5 days, all in February; its
  patient's acute admission 10.03 13:00 is after the cut-off.
- In March, open at the cut-off: E16 (5031 P) 9 days, E22 (5031 P, withdrawn after the
  cut-off) 4 days, E17 (5031 S, discharged after the cut-off) 5 days, E21 (5001 S, second
  period after the cut-off) 2 days; E18 is ready after the cut-off: not UKP.
- Skaun (5029 S), December 2023: 16 stays, one with 0 days, twelve with 1, three with 2
  (18 days), one of them to a short-term stay.
- Short stays ended in February 2024 in Malvik korttid: eight from 5031, seven of 1
  calendar day (12 hours) and one of 2 (8 hours over two midnights), and one from 5001
  of 7 days. The first short stay (Øya helsehus korttid, 5001, 16 days) starts in
  December 2022, before any hospital stay.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import compare
import harness
import pytest

EDGE = harness.HERE / "edge"
CUTOFF = datetime(2024, 3, 10, 12, 0)
PRODUCERS = ("flyt", *harness.PEERS)

Table = dict[tuple[str, ...], dict[str, compare.Cell]]


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Table]:
    """Flyt's table and each peer's, for the edge cases at the cut-off."""
    work = tmp_path_factory.mktemp("edge")
    env = harness.fresh_store(work / "store", None)
    harness.flyt_imports(EDGE, env)
    outputs = {"flyt": work / "flyt.csv"}
    harness.flyt_kpi(CUTOFF, outputs["flyt"], env)
    for name in harness.PEERS:
        outputs[name] = work / f"{name}.csv"
        harness.peer(name, EDGE, CUTOFF, outputs[name])
    return {name: compare.read(path) for name, path in outputs.items()}


def cell(table: Table, month: str, group: str, sector: str, kpi: int) -> dict[str, object]:
    group_type, _, group_id = group.partition(":")
    row = table[(month, group_type, group_id, sector, str(kpi))]
    return {k: v for k, v in row.items() if v is not None}


def d(text: str) -> Decimal:
    return Decimal(text)


@pytest.mark.parametrize("producer", PRODUCERS)
def test_overlapping_periods_count_a_day_once(tables: dict[str, Table], producer: str) -> None:
    # 5001 S, January 2024: E02 8 + E07, E09, E12 1 each (E03 has none).
    got = cell(tables[producer], "2024-01", "municipality:5001", "somatikk", 1)
    assert got["value"] == d("11") and got["numerator"] == d("11")


@pytest.mark.parametrize("producer", PRODUCERS)
def test_days_fall_in_their_month_and_periods_replace_ready_at(
        tables: dict[str, Table], producer: str) -> None:
    # 5031 S: January E04 2 + E20 2 (not 4); February E04 1.
    assert cell(tables[producer], "2024-01", "municipality:5031", "somatikk", 1)[
        "numerator"] == d("4")
    assert cell(tables[producer], "2024-02", "municipality:5031", "somatikk", 1)[
        "numerator"] == d("1")


@pytest.mark.parametrize("producer", PRODUCERS)
def test_open_stays_count_their_days_up_to_the_cutoff(
        tables: dict[str, Table], producer: str) -> None:
    # March: 5031 alle = E16 9 + E22 4 + E17 5; community S = E17 5 + E21 2.
    assert cell(tables[producer], "2024-03", "municipality:5031", "alle", 1)[
        "numerator"] == d("18")
    assert cell(tables[producer], "2024-03", "community:all", "somatikk", 1)[
        "numerator"] == d("7")


@pytest.mark.parametrize("producer", PRODUCERS)
def test_a_readmission_is_acute_more_than_8_and_at_most_720_hours_after(
        tables: dict[str, Table], producer: str) -> None:
    # February, discharged alive: S E04, E07, E09, E12, E19; P E05. Readmitted: E07, E12.
    somatic = cell(tables[producer], "2024-02", "community:all", "somatikk", 5)
    both = cell(tables[producer], "2024-02", "community:all", "alle", 5)
    assert (somatic["numerator"], somatic["denominator"], somatic["value"]) == (
        d("2"), d("5"), d("40.0"))
    assert (both["numerator"], both["denominator"], both["value"]) == (
        d("2"), d("6"), d("33.3"))


@pytest.mark.parametrize("producer", PRODUCERS)
def test_kpi5_is_preliminary_until_30_days_after_its_month(
        tables: dict[str, Table], producer: str) -> None:
    # January ends 01.02: final from 02.03. February: preliminary until 31.03.
    assert cell(tables[producer], "2024-01", "community:all", "alle", 5)[
        "preliminary"] == "false"
    assert cell(tables[producer], "2024-02", "community:all", "alle", 5)[
        "preliminary"] == "true"


@pytest.mark.parametrize("producer", PRODUCERS)
def test_shares_and_means_round_half_up(tables: dict[str, Table], producer: str) -> None:
    # Skaun, December 2023: 1/16 = 6.25 % -> 6.3; 18/16 = 1.125 days -> 1.13.
    # Malvik (5031), short stays ended February 2024: 9/8 = 1.125 days -> 1.13.
    t = tables[producer]
    assert cell(t, "2023-12", "municipality:5029", "somatikk", 2)["value"] == d("6.3")
    assert cell(t, "2023-12", "municipality:5029", "somatikk", 3)["value"] == d("1.13")
    assert cell(t, "2023-12", "municipality:5029", "somatikk", 4)["value"] == d("93.8")
    assert cell(t, "2024-02", "municipality:5031", "alle", 6)["value"] == d("1.13")


@pytest.mark.parametrize("producer", PRODUCERS)
def test_short_stays_count_calendar_days_by_unit_and_month_ended(
        tables: dict[str, Table], producer: str) -> None:
    # Malvik korttid, February: 8 stays of 9 days from 5031 + one of 7 from 5001 = 16/9.
    # March: the stay ended after the cut-off is not counted: no value.
    t = tables[producer]
    february = cell(t, "2024-02", "unit:Malvik korttid", "alle", 6)
    assert (february["numerator"], february["denominator"], february["value"]) == (
        d("16"), d("9"), d("1.78"))
    assert cell(t, "2024-03", "unit:Malvik korttid", "alle", 6) == {
        "numerator": d("0"), "denominator": d("0"), "preliminary": "false",
        "value_12m": d("1.78"), "numerator_12m": d("16"), "denominator_12m": d("9")}


@pytest.mark.parametrize("producer", PRODUCERS)
def test_a_ratio_without_stays_has_no_value_and_kpi1_counts_zero(
        tables: dict[str, Table], producer: str) -> None:
    t = tables[producer]
    assert "value" not in cell(t, "2024-01", "municipality:5001", "psykisk_helsevern", 2)
    assert cell(t, "2024-01", "municipality:5020", "alle", 1)["value"] == d("0")


@pytest.mark.parametrize("producer", PRODUCERS)
def test_months_run_from_the_first_record_to_the_cutoff(
        tables: dict[str, Table], producer: str) -> None:
    months = sorted({key[0] for key in tables[producer]})
    assert (months[0], months[-1], len(months)) == ("2022-12", "2024-03", 16)


@pytest.mark.parametrize("producer", PRODUCERS)
def test_rolling_12_months_begin_with_the_twelfth_month_and_pool_the_stays(
        tables: dict[str, Table], producer: str) -> None:
    t = tables[producer]
    # 2022-12 is the first month: 2023-10 has 11 months behind it, 2023-11 twelve
    # (E01's 3 days of January 2023).
    assert "value_12m" not in cell(t, "2023-10", "community:all", "somatikk", 1)
    assert cell(t, "2023-11", "community:all", "somatikk", 1)["value_12m"] == d("3")
    # S days March 2023 - February 2024: 18 + 15 + 10; to March 2024: + 7.
    assert cell(t, "2024-02", "community:all", "somatikk", 1)["value_12m"] == d("43")
    assert cell(t, "2024-03", "community:all", "somatikk", 1)["value_12m"] == d("50")
    # KPI 3 pooled, S to February 2024: (18 + 10 + 10) days / (16 + 3 + 5) stays.
    pooled = cell(t, "2024-02", "community:all", "somatikk", 3)
    assert (pooled["numerator_12m"], pooled["denominator_12m"], pooled["value_12m"]) == (
        d("38"), d("24"), d("1.58"))


def test_the_check_reports_a_changed_cell_and_a_missing_row(tmp_path: Path) -> None:
    header = ",".join(compare.KEY + compare.CELLS)
    flyt = tmp_path / "flyt.csv"
    flyt.write_text(f"{header}\n2024-01,community,all,alle,1,5,5,,false,,,\n"
                    f"2024-01,community,all,alle,2,50.0,1,2,false,,,\n")
    peer = tmp_path / "peer.csv"
    peer.write_text(f"{header}\n2024-01,community,all,alle,1,5.0,5,,false,,,\n")
    assert compare.differences(flyt, flyt) == []
    assert compare.differences(flyt, peer) == [
        "missing row ('2024-01', 'community', 'all', 'alle', '2')"]
    peer.write_text(f"{header}\n2024-01,community,all,alle,1,5,5,,false,,,\n"
                    f"2024-01,community,all,alle,2,50.0,1,3,false,,,\n")
    assert compare.differences(flyt, peer) == [
        "('2024-01', 'community', 'all', 'alle', '2') denominator: expected 2, got 3"]
