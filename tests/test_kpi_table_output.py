"""The long KPI table, exact and as the shared edition shows it (spec/formats.md "Numbers
out", spec/kpi.md "Disclosure control"): how a hidden cell and an empty one look, and the
``flyt kpi --suppress`` command. Which cells are hidden is tests/test_disclosure_*.py.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.engine.read import KpiRow, kpi_rows
from flyt.output.kpi_table import columns, table
from flyt.output.writers import to_csv
from tests.support.records import load, stay

MONTH = "2024-03"


def row(group_id: str, kpi: int, *, numerator: int | None, denominator: int | None = None,
        value: float | None = None, persons: int = 0, hidden: bool = False,
        numerator_12m: int | None = None, denominator_12m: int | None = None,
        value_12m: float | None = None, hidden_12m: bool = False) -> KpiRow:
    return KpiRow(
        month=MONTH, group_type="municipality", group_id=group_id, sector="somatikk", kpi=kpi,
        value=value, numerator=numerator, denominator=denominator, preliminary=False,
        persons=persons, value_12m=value_12m, numerator_12m=numerator_12m,
        denominator_12m=denominator_12m, persons_12m=None, hidden=hidden,
        hidden_12m=hidden_12m)


def find(records: list[dict], group_id: str, kpi: int, sector: str = "somatikk") -> dict:
    (found,) = [r for r in records if (r["group_id"], r["kpi"], r["month"], r["sector"]) == (
        group_id, kpi, MONTH, sector)]
    return found


# --- one record -----------------------------------------------------------------------------


def test_a_shown_share_keeps_its_small_numerator_exact_no_under_five_mark():
    # 3 of 40 discharged alive went home: 7.5 %. The share is about 40 people: the 3
    # beside it tells nothing more, and a "<5" would protect nothing.
    records = table([row("A", 4, numerator=3, denominator=40, value=7.5)], suppress=True)
    a = find(records, "A", 4)
    assert (a["value"], a["numerator"], a["denominator"], a["suppressed"]) == (7.5, 3, 40, False)


def test_a_hidden_cell_has_no_number_at_all_and_says_it_is_hidden():
    records = table([row("A", 2, numerator=2, denominator=4, value=50.0, hidden=True)],
                    suppress=True)
    a = find(records, "A", 2)
    assert (a["value"], a["numerator"], a["denominator"], a["suppressed"]) == (
        None, None, None, True)


def test_an_empty_cell_is_empty_but_not_hidden():
    records = table([row("A", 2, numerator=0, denominator=0)], suppress=True)
    a = find(records, "A", 2)
    assert (a["value"], a["denominator"], a["suppressed"]) == (None, 0, False)


def test_the_month_and_its_12_months_are_hidden_each_on_its_own():
    rows = [row("A", 1, numerator=4, value=4.0, persons=2, hidden=True, numerator_12m=60,
                value_12m=60.0)]
    records = table(rows, rolling=True, suppress=True)
    a = find(records, "A", 1)
    assert (a["value"], a["suppressed"], a["value_12m"], a["numerator_12m"],
            a["suppressed_12m"]) == (None, True, 60, 60, False)
    hidden_year = table([replace(rows[0], hidden=False, hidden_12m=True)], rolling=True,
                        suppress=True)
    b = find(hidden_year, "A", 1)
    assert (b["value"], b["value_12m"], b["suppressed_12m"]) == (4, None, True)


def test_without_suppression_the_table_is_exact_and_has_no_suppressed_columns():
    rows = [row("A", 2, numerator=2, denominator=4, value=50.0, hidden=True)]
    assert find(table(rows), "A", 2) == {
        "month": MONTH, "group_type": "municipality", "group_id": "A", "sector": "somatikk",
        "kpi": 2, "value": 50.0, "numerator": 2, "denominator": 4, "preliminary": False}
    assert columns(rolling=True, suppress=False) == [
        "month", "group_type", "group_id", "sector", "kpi", "value", "numerator",
        "denominator", "preliminary", "value_12m", "numerator_12m", "denominator_12m"]
    assert columns(rolling=True, suppress=True)[-2:] == ["suppressed", "suppressed_12m"]


# --- the command ------------------------------------------------------------------------------


def _march_stays(municipality: str, n: int, *, days: int = 4) -> list:
    """``n`` UKP stays of ``municipality`` ready 1 March 2024, discharged ``days`` later."""
    return [stay(f"{municipality}-{i}", None, municipality, ready="2024-03-01",
                 discharged=f"2024-03-{1 + days:02d}") for i in range(n)]


def _kpi(db_url: str, *args: str) -> list[dict]:
    result = CliRunner().invoke(
        cli, ["kpi", "--cutoff", "2024-04-01", "--format", "json", "--db", db_url, *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _trondheimsomradet(db) -> None:
    # Malvik 3 stays, Melhus 6, Skaun 9 (4 UKP days each, none with 0 days); Trondheim 20
    load(db, _march_stays("5031", 3) + _march_stays("5028", 6) + _march_stays("5029", 9)
         + _march_stays("5001", 20))


def test_the_kpi_command_with_suppress_hides_a_small_municipality_and_the_next_smallest(
        db, db_url):
    _trondheimsomradet(db)

    records = _kpi(db_url, "--suppress")

    assert {"suppressed"} <= set(records[0])
    # Trondheimsområdet = Malvik 3 + Melhus 6 + Skaun 9 (+ Midtre Gauldal 0): the region
    # (72 days) is shown, so Malvik (3 people) goes with the smallest other, Melhus.
    for sector in ("somatikk", "alle"):
        for kpi in (1, 2, 3, 4, 5):
            malvik, melhus = find(records, "5031", kpi, sector), find(records, "5028", kpi,
                                                                      sector)
            assert (malvik["value"], malvik["numerator"], malvik["denominator"],
                    malvik["suppressed"]) == (None, None, None, True)
            assert (melhus["value"], melhus["suppressed"]) == (None, True)
    region = find(records, "Trondheimsområdet", 1)
    assert (region["value"], region["suppressed"]) == (72, False)  # (3 + 6 + 9) x 4
    assert find(records, "all", 1)["value"] == 152  # 72 + 20 x 4
    assert find(records, "5029", 1)["value"] == 9 * 4
    assert find(records, "5031", 1, "psykisk_helsevern")["value"] == 0  # nobody: shown
    # The month of the cut-off (April, not over) is not in the shared table at all.
    assert {r["month"] for r in records} <= {"2024-02", "2024-03"}


def test_the_kpi_command_without_suppress_shows_the_exact_numbers(db, db_url):
    _trondheimsomradet(db)

    records = _kpi(db_url)

    assert "suppressed" not in records[0]
    malvik = find(records, "5031", 1)
    assert (malvik["value"], malvik["numerator"]) == (12, 12)  # 3 stays x 4 days
    kpi2 = find(records, "5031", 2)
    assert (kpi2["value"], kpi2["numerator"], kpi2["denominator"]) == (0.0, 0, 3)
    assert "2024-04" in {r["month"] for r in records}


def test_the_kpi_command_takes_the_threshold_from_the_configuration(
        db, db_url, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _trondheimsomradet(db)
    # Trøndelag sørvest: Rennebu 2 stays (hidden) and Orkland 10, its only other
    # municipality with anybody (hidden with it).
    load(db, _march_stays("5022", 2) + _march_stays("5059", 10))
    config = tmp_path / "flyt.toml"
    config.write_text("suppression_threshold = 3\n")
    monkeypatch.setenv("FLYT_CONFIG", str(config))

    records = _kpi(db_url, "--suppress")

    malvik = find(records, "5031", 2)  # 3 discharged: not under 3
    assert (malvik["value"], malvik["numerator"], malvik["denominator"],
            malvik["suppressed"]) == (0.0, 0, 3, False)
    assert find(records, "5022", 2)["suppressed"] and find(records, "5059", 2)["suppressed"]
    assert not find(records, "5028", 2)["suppressed"]


@pytest.mark.parametrize("flags", [(), ("--suppress",), ("--rolling",),
                                   ("--suppress", "--rolling")])
def test_the_kpi_csv_from_the_stored_columns_is_the_csv_of_the_records(db, db_url, flags):
    """`flyt kpi` writes its CSV straight from the stored columns (kpi_table.csv_text):
    the same text as the records every other output is made of, hidden cells included."""
    _trondheimsomradet(db)
    load(db, _march_stays("5022", 2) + [stay("5059-long", None, "5059", ready="2024-02-27",
                                              discharged="2024-03-30")])
    result = CliRunner().invoke(cli, ["kpi", "--cutoff", "2024-04-01", "--db", db_url, *flags])
    assert result.exit_code == 0, result.output
    cutoff = datetime(2024, 4, 1)
    suppress, rolling = "--suppress" in flags, "--rolling" in flags
    rows = kpi_rows(db, cutoff, None, date(2024, 3, 1) if suppress else None)
    expected = to_csv(table(rows, rolling=rolling, suppress=suppress),
                      columns(rolling=rolling, suppress=suppress))
    assert result.stdout == expected
    assert any(r.hidden for r in rows) == suppress  # the hidden cells are in it
