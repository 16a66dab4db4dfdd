"""``flyt report payment``: the CSV contract, the same days as ``flyt kpi``, xlsx and pdf."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from flyt.cli.main import cli
from tests.support.records import load, period, stay

CUTOFF = "2024-04-15"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def run(*args: str):
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def seed(db) -> None:
    """Trondheim 3 days in March 2024, Malvik 5 (the end of a 10-day wait), Melhus a stay
    in each sector, one still open at the cut-off, and one with two periods."""
    load(db, [
        stay("a", "p1", "5001", admitted="2024-03-01", ready="2024-03-10 09:00",
             discharged="2024-03-13 10:00"),
        stay("b", "p2", "5031", admitted="2024-02-20", ready="2024-02-25 10:00",
             discharged="2024-03-06 12:00"),
        stay("c", "p3", "5028", ready="2024-03-20", sector="psykisk_helsevern"),
        stay("d", "p4", "5028", ready="2024-01-28", discharged="2024-03-03"),
        stay("e", "p5", "5001", ready="2024-03-01", discharged="2024-03-30"),
    ], [period("e", "2024-03-01", "2024-03-05"), period("e", "2024-03-25")])


def test_the_csv_has_the_contract_columns_and_a_line_per_municipality(db, db_url):
    seed(db)
    out = rows(run("report", "payment", "--month", "2024-03", "--cutoff", CUTOFF,
                   "--db", db_url).stdout)
    assert list(out[0]) == ["month", "municipality", "ukp_days", "rate", "amount",
                            "rate_year", "rate_provisional"]
    by = {r["municipality"]: r for r in out}
    assert by["5001"] == {"month": "2024-03", "municipality": "5001", "ukp_days": "12",
                          "rate": "5745", "amount": "68940",  # 3 + 4 + 5 days x 5 745
                          "rate_year": "2024", "rate_provisional": "false"}
    assert by["5031"]["amount"] == "28725"  # 5 x 5 745
    assert by["5014"] == {"month": "2024-03", "municipality": "5014", "ukp_days": "0",
                          "rate": "5745", "amount": "0", "rate_year": "2024",
                          "rate_provisional": "false"}
    assert len(out) == len({r["municipality"] for r in out}) >= 20


def test_the_days_are_the_ones_flyt_kpi_gives_for_kpi_1_in_every_municipality(db, db_url):
    seed(db)
    common = ["--cutoff", CUTOFF, "--db", db_url]
    for month in ("2024-01", "2024-02", "2024-03", "2024-04"):
        kpi = {r["group_id"]: r["value"] for r in rows(run(
            "kpi", "--from", month, "--to", month, *common).stdout)
            if r["kpi"] == "1" and r["group_type"] == "municipality" and r["sector"] == "alle"}
        paid = {r["municipality"]: r["ukp_days"] for r in rows(run(
            "report", "payment", "--month", month, *common).stdout)}
        assert paid == kpi, month
    assert kpi["5028"] == "14"  # April: the open stay c, 1..14 April


def test_the_scenario_csv_adds_the_scenario_amount_and_the_difference(db, db_url):
    seed(db)
    out = rows(run("report", "payment", "--month", "2024-03", "--cutoff", CUTOFF,
                   "--scenario", "--db", db_url).stdout)
    assert list(out[0]) == ["month", "municipality", "ukp_days", "rate", "amount",
                            "scenario_amount", "difference", "rate_year", "rate_provisional"]
    malvik = next(r for r in out if r["municipality"] == "5031")
    # March holds wait days 6-10: 6, 7 at 1.0 and 8, 9, 10 at 1.5 -> 6.5 x 5 745
    assert (malvik["scenario_amount"], malvik["difference"]) == ("37342.50", "8617.50")
    melhus = next(r for r in out if r["municipality"] == "5028")
    # d: wait days 34-35 at 2.0 (1..2 March); c: 20..31 March, wait days 1-12
    assert melhus["ukp_days"] == "14"
    assert melhus["scenario_amount"] == "106282.50"  # (2 x 2.0 + 7 + 5 x 1.5) x 5 745


def test_a_year_before_the_first_rate_is_a_clear_error_with_exit_code_1(db, db_url):
    load(db, [stay("a", "p1", "5001", ready="2013-03-01", discharged="2013-03-04")])
    result = invoke("report", "payment", "--month", "2013-03", "--cutoff", "2013-04-01",
                    "--db", db_url)
    assert result.exit_code == 1
    assert "no day rate for 2013" in result.output and "[payment.rates]" in result.output
    assert "Traceback" not in result.output


def test_a_configured_rate_overrides_the_default_and_adds_a_year(
        db, db_url, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    config = tmp_path / "flyt.toml"
    config.write_text("[payment.rates]\n2024 = 6000\n2026 = 6200\n", encoding="utf-8")
    monkeypatch.setenv("FLYT_CONFIG", str(config))
    load(db, [stay("a", "p1", "5001", ready="2024-03-01", discharged="2024-03-04"),
              stay("b", "p2", "5001", ready="2026-03-01", discharged="2026-03-03")])
    for month, amount in (("2024-03", "18000"), ("2026-03", "12400")):
        out = rows(run("report", "payment", "--month", month, "--cutoff", "2026-04-01",
                       "--db", db_url).stdout)
        assert next(r for r in out if r["municipality"] == "5001")["amount"] == amount


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_xlsx_and_pdf_need_an_output_file(fmt: str, tmp_path: Path):
    result = invoke("report", "payment", "--month", "2024-03", "--format", fmt,
                    "--db", str(tmp_path / "x.duckdb"))
    assert result.exit_code == 2
    assert "--output" in result.output


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_pdf_shows_each_amount_in_norwegian_and_in_english_on_request(
        db, db_url, tmp_path: Path):
    seed(db)
    common = ["report", "payment", "--month", "2024-03", "--cutoff", CUTOFF, "--format", "pdf",
              "--db", db_url]
    run(*common, "--output", str(tmp_path / "nb.pdf"))
    text = pdf_text(tmp_path / "nb.pdf")
    assert "Betalingsgrunnlag" in text and "mars 2024" in text and "15.04.2024" in text
    # Thousands apart by a non-breaking space (U+00A0), as bokmål writes them (Babel).
    for amount in ("68\u00a0940", "28\u00a0725", "37\u00a0342,50", "5\u00a0745"):
        assert amount in text, amount
    # the total: 12 + 5 + 14 = 31 days x 5 745
    assert "178\u00a0095" in text
    run(*common, "--output", str(tmp_path / "en.pdf"), "--lang", "en")
    text = pdf_text(tmp_path / "en.pdf")
    assert "Payment basis" in text and "March 2024" in text
    assert "68,940" in text and "37,342.50" in text


def test_the_xlsx_has_the_basis_with_a_total_the_scenario_and_frozen_headers(
        db, db_url, tmp_path: Path):
    seed(db)
    path = tmp_path / "p.xlsx"
    run("report", "payment", "--month", "2024-03", "--cutoff", CUTOFF, "--format", "xlsx",
        "--output", str(path), "--db", db_url)
    book = openpyxl.load_workbook(path, data_only=True)
    basis, scenario = book["Grunnlag"], book["Scenario"]
    assert basis.freeze_panes == scenario.freeze_panes == "A2"
    table = list(basis.iter_rows(values_only=True))
    assert table[0] == ("Måned", "Kommunenr.", "Kommune", "UKP-døgn", "Døgnpris (kr)",
                        "Beløp (kr)", "Satsår", "Foreløpig sats")
    trondheim = next(r for r in table if r[1] == "5001")
    assert trondheim == ("2024-03", "5001", "Trondheim", 12, 5745, 68940, 2024, "nei")
    assert table[-1][0] == "Sum" and table[-1][3] == 31 and table[-1][5] == 31 * 5745
    assert basis.cell(row=2, column=6).number_format == "#,##0.00"
    days = [r for r in scenario.iter_rows(values_only=True)]
    assert days[-1][0] == "Sum" and days[-1][3] == sum(days[-1][4:7]) == 31
    assert days[-1][-2:] == (None, None)  # years and yes/no are not summed
