"""The long KPI table with and without disclosure control (spec/formats.md "Numbers out",
spec/kpi.md "Disclosure control"): what a hidden or small cell looks like, and the
``flyt kpi --suppress`` command. Which cells are hidden is tests/test_suppression.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.engine.read import KpiRow
from flyt.output.kpi_table import table
from tests.support.records import load, stay

MONTH = "2024-03"


def row(
    group_id: str, kpi: int, *, numerator: int | None, denominator: int | None = None,
    value: float | None = None, persons: int | None = None, month: str = MONTH,
    group_type: str = "municipality", sector: str = "somatikk",
    numerator_12m: int | None = None, denominator_12m: int | None = None,
    value_12m: float | None = None, persons_12m: int | None = None,
) -> KpiRow:
    """A result row; KPI 1's value is its numerator, persons its denominator otherwise."""
    if kpi == 1:
        value = float(numerator) if numerator is not None else None
        value_12m = float(numerator_12m) if numerator_12m is not None else None
    return KpiRow(
        month=month, group_type=group_type, group_id=group_id, sector=sector, kpi=kpi,
        value=value, numerator=numerator, denominator=denominator, preliminary=False,
        persons=persons if persons is not None else int(denominator or 0),
        value_12m=value_12m, numerator_12m=numerator_12m, denominator_12m=denominator_12m,
        persons_12m=persons_12m,
    )


def find(records: list[dict], group_id: str, kpi: int, month: str = MONTH,
         sector: str = "somatikk") -> dict:
    (found,) = [r for r in records if (r["group_id"], r["kpi"], r["month"], r["sector"]) == (
        group_id, kpi, month, sector)]
    return found


# --- one cell at a time (no relations between them) ---------------------------------------


def test_a_count_of_one_to_four_people_in_a_shown_cell_is_written_under_five():
    rows = [
        # 3 of 40 discharged alive went home: 3 / 40 = 7.5 %
        row("A", 4, numerator=3, denominator=40, value=7.5),
        # KPI 3's numerator is UKP days, not people: 3 days over 10 stays = 0.30
        row("B", 3, numerator=3, denominator=10, value=0.3),
    ]

    records = table(rows, suppress=True)

    assert (find(records, "A", 4)["value"], find(records, "A", 4)["numerator"],
            find(records, "A", 4)["denominator"], find(records, "A", 4)["suppressed"]) == (
        7.5, "<5", 40, False)
    assert (find(records, "B", 3)["value"], find(records, "B", 3)["numerator"],
            find(records, "B", 3)["denominator"]) == (0.3, 3, 10)


def test_a_share_of_four_people_is_hidden_and_a_share_of_five_is_shown():
    rows = [
        row("A", 2, numerator=2, denominator=4, value=50.0),  # 2 / 4
        row("B", 2, numerator=2, denominator=5, value=40.0),  # 2 / 5
    ]

    records = table(rows, suppress=True)

    a, b = find(records, "A", 2), find(records, "B", 2)
    assert (a["value"], a["numerator"], a["denominator"], a["suppressed"]) == (
        None, None, "<5", True)
    assert (b["value"], b["numerator"], b["denominator"], b["suppressed"]) == (
        40.0, "<5", 5, False)


def test_an_empty_cell_is_shown_as_it_is():
    rows = [row("A", 1, numerator=0, persons=0), row("A", 2, numerator=0, denominator=0)]

    records = table(rows, suppress=True)

    assert (find(records, "A", 1)["value"], find(records, "A", 1)["suppressed"]) == (0, False)
    assert (find(records, "A", 2)["value"], find(records, "A", 2)["denominator"],
            find(records, "A", 2)["suppressed"]) == (None, 0, False)


def test_the_threshold_decides_what_is_small():
    rows = [
        row("A", 2, numerator=2, denominator=4, value=50.0),
        row("B", 2, numerator=1, denominator=2, value=50.0),
    ]

    records = table(rows, suppress=True, threshold=3)

    a, b = find(records, "A", 2), find(records, "B", 2)
    assert (a["value"], a["numerator"], a["denominator"], a["suppressed"]) == (
        50.0, "<3", 4, False)
    assert (b["value"], b["numerator"], b["denominator"], b["suppressed"]) == (
        None, None, "<3", True)


def test_without_suppression_the_table_has_the_exact_numbers_and_no_suppressed_column():
    rows = [
        row("A", 2, numerator=2, denominator=4, value=50.0),
        row("A", 1, numerator=3, persons=1),
    ]

    records = table(rows)

    assert find(records, "A", 2) == {
        "month": MONTH, "group_type": "municipality", "group_id": "A", "sector": "somatikk",
        "kpi": 2, "value": 50.0, "numerator": 2, "denominator": 4, "preliminary": False}
    assert (find(records, "A", 1)["value"], find(records, "A", 1)["numerator"]) == (3, 3)


# --- rolling 12 months ----------------------------------------------------------------------


def test_a_rolling_value_is_hidden_while_its_window_covers_a_hidden_month():
    # The community's KPI 1, 2023-01 .. 2024-03: 5 stays / 10 days every month except
    # 2023-02 with 2 stays / 6 days (hidden). Windows of 12 months exist from 2023-12.
    months = [f"2023-{m:02d}" for m in range(1, 13)] + ["2024-01", "2024-02", "2024-03"]
    monthly = {m: (6, 2) if m == "2023-02" else (10, 5) for m in months}
    rows = []
    for i, m in enumerate(months):
        window = months[i - 11:i + 1] if i >= 11 else []
        rows.append(row(
            "all", 1, group_type="community", month=m, numerator=monthly[m][0],
            persons=monthly[m][1],
            numerator_12m=sum(monthly[w][0] for w in window) if window else None,
            persons_12m=sum(monthly[w][1] for w in window) if window else None))

    records = table(rows, rolling=True, suppress=True)

    def shown(m: str) -> tuple:
        r = find(records, "all", 1, month=m)
        return r["value"], r["value_12m"]

    assert shown("2023-02") == (None, None)
    # window 2023-01 .. 2023-12 = 11 x 10 + 6 = 116, it holds 2023-02
    assert shown("2023-12") == (10, None)
    # window 2023-02 .. 2024-01 = 116, it still holds 2023-02
    assert shown("2024-01") == (10, None)
    # window 2023-03 .. 2024-02 = 12 x 10 = 120
    assert shown("2024-02") == (10, 120)
    assert shown("2024-03") == (10, 120)
    assert [r for r in table(rows, rolling=True) if r["month"] == "2024-01"][0][
        "value_12m"] == 116


# --- subtraction ---------------------------------------------------------------------------


def test_the_denominator_of_a_hidden_share_cannot_be_recovered_from_the_others():
    # KPI 2 in region R = A + B + D: 20 UKP stays discharged = A 3 + B 12 + D 5.
    # A (3) is hidden, and D, the smallest other, with it.
    rows = [
        row("R", 2, group_type="region", numerator=10, denominator=20, value=50.0),
        row("A", 2, numerator=1, denominator=3, value=33.3),
        row("B", 2, numerator=4, denominator=12, value=33.3),
        row("D", 2, numerator=5, denominator=5, value=100.0),
    ]

    records = table(rows, suppress=True, region_of={"A": "R", "B": "R", "D": "R"})

    assert [r["group_id"] for r in records if r["suppressed"]] == ["A", "D"]
    parts = [find(records, g, 2)["denominator"] for g in ("A", "B", "D")]
    exact = [d for d in parts if isinstance(d, int)]
    # With 20, 12 and 5 all shown, A = 20 - 12 - 5 = 3 exactly although it is shown as <5:
    # at least two of the parts must not be exact.
    assert len(exact) <= len(parts) - 2, (
        f"region {find(records, 'R', 2)['denominator']} and parts {parts} "
        "give the hidden denominator by subtraction")


# --- the command ------------------------------------------------------------------------------


def _march_stays(municipality: str, n: int, *, days: int = 4) -> list:
    """``n`` UKP stays of ``municipality`` ready 1 March 2024, discharged ``days`` later."""
    return [stay(f"{municipality}-{i}", None, municipality, ready="2024-03-01",
                 discharged=f"2024-03-{1 + days:02d}") for i in range(n)]


def _kpi(db_url: str, *args: str) -> list[dict]:
    result = CliRunner().invoke(
        cli, ["kpi", "--cutoff", "2024-04-01", "--format", "json", "--db", db_url, *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _trondheimsomradet(db) -> None:
    # Malvik 3 stays, Melhus 6, Skaun 9 (4 UKP days each, none with 0 days); Trondheim 20
    load(db, _march_stays("5031", 3) + _march_stays("5028", 6) + _march_stays("5029", 9)
         + _march_stays("5001", 20))


def test_the_kpi_command_with_suppress_hides_small_municipalities_and_says_so(db, db_url):
    _trondheimsomradet(db)

    records = _kpi(db_url, "--suppress")

    assert "suppressed" in records[0]
    malvik, melhus = find(records, "5031", 1), find(records, "5028", 1)
    assert (malvik["value"], malvik["numerator"], malvik["suppressed"]) == (None, None, True)
    assert (melhus["value"], melhus["suppressed"]) == (None, True)
    # the region: (3 + 6 + 9) x 4 = 72 UKP days; the community 72 + 20 x 4 = 152
    region = find(records, "Trondheimsområdet", 1)
    assert (region["value"], region["suppressed"]) == (72, False)
    assert find(records, "all", 1)["value"] == 152
    assert find(records, "5029", 1)["value"] == 9 * 4
    # KPI 2 of Malvik: 3 discharged, hidden, the count written <5
    kpi2 = find(records, "5031", 2)
    assert (kpi2["value"], kpi2["numerator"], kpi2["denominator"]) == (None, None, "<5")


def test_the_kpi_command_without_suppress_shows_the_exact_numbers(db, db_url):
    _trondheimsomradet(db)

    records = _kpi(db_url)

    assert "suppressed" not in records[0]
    malvik = find(records, "5031", 1)
    assert (malvik["value"], malvik["numerator"]) == (12, 12)  # 3 stays x 4 days
    kpi2 = find(records, "5031", 2)
    assert (kpi2["value"], kpi2["numerator"], kpi2["denominator"]) == (0.0, 0, 3)


def test_the_kpi_command_takes_the_threshold_from_the_configuration(
        db, db_url, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _trondheimsomradet(db)
    # Trøndelag sørvest: Rennebu 2 stays (hidden) and Orkland 10 (hidden with it), so that
    # the region total stays shown and nothing spreads to Trondheimsområdet
    load(db, _march_stays("5022", 2) + _march_stays("5059", 10))
    config = tmp_path / "flyt.toml"
    config.write_text("suppression_threshold = 3\n")
    monkeypatch.setenv("FLYT_CONFIG", str(config))

    records = _kpi(db_url, "--suppress")

    malvik = find(records, "5031", 2)  # 3 discharged: not under 3
    assert (malvik["value"], malvik["numerator"], malvik["denominator"],
            malvik["suppressed"]) == (0.0, 0, 3, False)
    assert find(records, "5031", 1)["value"] == 12
    rennebu = find(records, "5022", 2)
    assert (rennebu["value"], rennebu["denominator"], rennebu["suppressed"]) == (
        None, "<3", True)


def test_a_rolling_value_stays_hidden_when_the_hidden_month_is_before_the_months_asked_for(
        db, db_url):
    # Trondheim alone, 2023-01 .. 2024-01: 5 stays of 2 UKP days (1 -> 3rd) every month,
    # except 2023-06 with 2 stays (4 days): June is hidden in the community too, as
    # Trondheim is its only member. The rolling value of 2024-01 (2023-02 .. 2024-01)
    # = 10 months x 10 + 4 + 10 = 114 covers June, so it must be hidden also when only
    # 2024-01 is asked for: else 114 - 10 x 11 shown months = June's 4 days.
    months = [(2023, m) for m in range(1, 13)] + [(2024, 1)]
    load(db, [
        stay(f"{y}-{m:02d}-{i}", None, "5001", ready=f"{y}-{m:02d}-01",
             discharged=f"{y}-{m:02d}-03")
        for y, m in months for i in range(2 if (y, m) == (2023, 6) else 5)
    ])

    def rolling_january(*months_asked: str) -> dict:
        result = CliRunner().invoke(cli, [
            "kpi", "--cutoff", "2024-02-01", "--rolling", "--suppress", "--format", "json",
            "--db", db_url, *months_asked])
        assert result.exit_code == 0, result.output
        return find(json.loads(result.output), "all", 1, month="2024-01")

    whole = rolling_january()
    assert (whole["value"], whole["value_12m"]) == (10, None)

    only_january = rolling_january("--from", "2024-01", "--to", "2024-01")

    assert (only_january["value"], only_january["value_12m"]) == (10, None)
