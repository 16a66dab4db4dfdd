"""A month of a year without a published day rate (issue 10, item 4): the payment basis
uses the latest known rate, says on every output which year's rate that is and that it
is provisional, in a column or line of its own, until the configuration gives the
year's rate; it never fails for it (no error on the command line, no HTTP 500).

Helsedirektoratet's rates end with 2025 (NOK 5 981). Malvik's patient waits 10 UKP
days in March 2026: 10 x 5 981 = 59 810; the scenario weighs wait days 1-7 at 1.0 and
8-10 at 1.5: 11.5 x 5 981 = 68 781.50, 8 971.50 more. Both engines.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pypdf import PdfReader

from flyt.accounts import users
from flyt.cli.main import cli
from flyt.payment.rates import DayRate, PaymentConfigError, load_payment_settings
from flyt.store.db import Database
from flyt.web.app import create_app
from tests.support.records import load, stay

MONTH, CUTOFF = "2026-03", "2026-04-01"
PASSWORD = "correct horse battery"
NB_MARK = ("Foreløpig sats: 2025-satsen (5\u00a0981 kr) brukes til satsen for 2026 er satt i "
           "konfigurasjonen ([payment.rates] 2026 = …).")
EN_MARK = ("Provisional rate: the 2025 rate (NOK 5,981) is used until the 2026 rate is set "
           "in the configuration ([payment.rates] 2026 = …).")


@pytest.fixture
def march_2026(db) -> str:
    load(db, [stay("a", "p1", "5031", ready="2026-03-10", discharged="2026-03-20")])
    return db.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def rate_2026(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "flyt.toml"
    config.write_text("[payment.rates]\n2026 = 6200\n", encoding="utf-8")
    monkeypatch.setenv("FLYT_CONFIG", str(config))


def payment(*args: str):
    result = CliRunner().invoke(cli, ["report", "payment", "--month", MONTH, "--cutoff", CUTOFF,
                                      *args])
    assert result.exit_code == 0, result.output
    return result


def rows(text: str) -> dict[str, dict[str, str]]:
    return {r["municipality"]: r for r in csv.DictReader(io.StringIO(text))}


# --- the rate -----------------------------------------------------------------------------


def test_a_year_after_the_known_rates_gets_the_latest_one_marked_provisional():
    settings = load_payment_settings({"payment": {"rates": {"2027": 6300}}})
    assert settings.day_rate(2026) == DayRate(2026, Decimal(5981), 2025, configured=False)
    assert settings.day_rate(2026).provisional
    assert settings.day_rate(2028) == DayRate(2028, Decimal(6300), 2027, configured=True)
    assert settings.day_rate(2027) == DayRate(2027, Decimal(6300), 2027, configured=True)
    assert not settings.day_rate(2027).provisional and not settings.day_rate(2024).provisional


def test_a_year_before_the_first_known_rate_is_still_refused_naming_the_key():
    with pytest.raises(PaymentConfigError) as raised:
        load_payment_settings({}).day_rate(2013)
    assert str(raised.value).startswith("no day rate for 2013 (rates known for 2014–2025)")
    assert "[payment.rates] as 2013 = <NOK per day>" in str(raised.value)


# --- the command line ---------------------------------------------------------------------


def test_the_csv_of_a_2026_month_bills_the_2025_rate_and_says_it_is_provisional(march_2026):
    result = payment("--scenario", "--db", march_2026)
    out = rows(result.stdout)
    assert list(next(iter(out.values()))) == [
        "month", "municipality", "ukp_days", "rate", "amount", "scenario_amount", "difference",
        "rate_year", "rate_provisional"]
    assert out["5031"] == {"month": "2026-03", "municipality": "5031", "ukp_days": "10",
                           "rate": "5981", "amount": "59810", "scenario_amount": "68781.50",
                           "difference": "8971.50", "rate_year": "2025",
                           "rate_provisional": "true"}
    assert {(r["rate_year"], r["rate_provisional"]) for r in out.values()} == {("2025", "true")}
    assert NB_MARK in result.stderr
    english = payment("--db", march_2026, "--lang", "en")
    assert EN_MARK in english.stderr


def test_a_configured_2026_rate_removes_the_mark(march_2026, rate_2026):
    result = payment("--db", march_2026)
    malvik = rows(result.stdout)["5031"]
    assert (malvik["rate"], malvik["amount"], malvik["rate_year"],
            malvik["rate_provisional"]) == ("6200", "62000", "2026", "false")
    assert "Foreløpig sats" not in result.stderr


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_the_xlsx_and_the_pdf_mark_the_rate_provisional_on_every_sheet_and_page(
        march_2026, tmp_path: Path):
    book_path, pdf_path = tmp_path / "p.xlsx", tmp_path / "p.pdf"
    payment("--format", "xlsx", "--output", str(book_path), "--db", march_2026)
    book = openpyxl.load_workbook(book_path, data_only=True)
    basis = list(book["Grunnlag"].iter_rows(values_only=True))
    assert basis[0][-2:] == ("Satsår", "Foreløpig sats")
    assert next(r for r in basis if r[1] == "5031") == (
        "2026-03", "5031", "Malvik", 10, 5981, 59810, 2025, "ja")
    scenario = list(book["Scenario"].iter_rows(values_only=True))
    assert scenario[0][-2:] == ("Satsår", "Foreløpig sats")
    assert next(r for r in scenario if r[1] == "5031")[-5:] == (
        59810, 68781.5, 8971.5, 2025, "ja")
    notes = [r[0] for r in book["Forklaring"].iter_rows(values_only=True)]
    assert NB_MARK in notes
    payment("--format", "pdf", "--output", str(pdf_path), "--db", march_2026)
    pages = pdf_pages(pdf_path)
    assert len(pages) == 2
    assert all("foreløpig sats" in page for page in pages)  # the footer of every page
    assert all("Foreløpig sats: 2025-satsen" in page for page in pages)  # basis and scenario


def test_the_xlsx_of_a_configured_rate_says_no(march_2026, rate_2026, tmp_path: Path):
    book_path = tmp_path / "p.xlsx"
    payment("--format", "xlsx", "--output", str(book_path), "--db", march_2026, "--lang", "en")
    book = openpyxl.load_workbook(book_path, data_only=True)
    basis = list(book["Basis"].iter_rows(values_only=True))
    assert basis[0][-2:] == ("Rate year", "Provisional rate")
    assert next(r for r in basis if r[1] == "5031")[-4:] == (6200, 62000, 2026, "no")


# --- the reports page, its JSON twin and the downloads ------------------------------------


@pytest.fixture
def site(march_2026):
    db = Database.open(march_2026)
    users.add(db, "ola", "analyst", password=PASSWORD)
    users.add(db, "asu", "reader", password=PASSWORD)
    db.close()
    app = create_app(march_2026)
    yield app
    app.state.db.close()


def signed_in(app, name: str) -> TestClient:
    client = TestClient(app, base_url="https://testserver")
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
    return client


def test_the_reports_page_and_its_twin_say_which_rate_is_used_and_that_it_is_provisional(site):
    analyst = signed_in(site, "ola")
    query = f"month={MONTH}&cutoff={CUTOFF}"
    data = analyst.get(f"/reports.json?{query}").json()
    assert data["payment"] == {"year": 2026, "rate": 5981, "rate_year": 2025,
                               "provisional": True, "configured": False, "note": NB_MARK}
    assert NB_MARK in analyst.get(f"/reports?{query}").text
    assert EN_MARK in analyst.get(f"/reports?{query}&lang=en").text
    reader = signed_in(site, "asu")
    assert "payment" not in reader.get(f"/reports.json?{query}").json()
    page = reader.get(f"/reports?{query}")
    assert page.status_code == 200 and "Foreløpig sats" not in page.text


def test_the_payment_downloads_of_a_2026_month_answer_with_the_provisional_rate(site):
    analyst = signed_in(site, "ola")
    query = f"month={MONTH}&cutoff={CUTOFF}"
    answer = analyst.get(f"/reports/payment.csv?{query}")
    assert answer.status_code == 200, answer.text
    malvik = rows(answer.text)["5031"]
    assert (malvik["amount"], malvik["rate_year"], malvik["rate_provisional"]) == (
        "59810", "2025", "true")
    for fmt in ("xlsx", "pdf"):
        assert analyst.get(f"/reports/payment.{fmt}?{query}").status_code == 200, fmt


def test_a_configured_rate_removes_the_mark_on_the_page(rate_2026, site):
    analyst = signed_in(site, "ola")
    data = analyst.get(f"/reports.json?month={MONTH}&cutoff={CUTOFF}").json()
    assert data["payment"] == {"year": 2026, "rate": 6200, "rate_year": 2026,
                               "provisional": False, "configured": True,
                               "note": "Døgnpris 2026: 6\u00a0200 kr (satt i konfigurasjonen)."}
    page = analyst.get(f"/reports?month={MONTH}&cutoff={CUTOFF}").text
    assert "Døgnpris 2026: 6\u00a0200 kr (satt i konfigurasjonen)." in page
    assert "Foreløpig sats" not in page
    csv_answer = analyst.get(f"/reports/payment.csv?month={MONTH}&cutoff={CUTOFF}")
    assert rows(csv_answer.text)["5031"]["rate_provisional"] == "false"


def test_a_year_before_the_first_rate_is_a_clear_refusal_never_a_500(db, site):
    load(db, [stay("b", "p2", "5031", ready="2013-03-10", discharged="2013-03-20")])
    analyst = signed_in(site, "ola")
    page = analyst.get("/reports.json?month=2013-03&cutoff=2013-04-01")
    assert page.status_code == 200
    refusal = ("Ingen døgnpris for 2013 (satser finnes for 2014–2025): sett den i "
               "konfigurasjonen under [payment.rates] som 2013 = <kroner per døgn>.")
    assert page.json()["payment"] == {"year": 2013, "error": refusal}
    assert refusal.replace("<", "&lt;").replace(">", "&gt;") in analyst.get(
        "/reports?month=2013-03&cutoff=2013-04-01").text
    answer = analyst.get("/reports/payment.csv?month=2013-03&cutoff=2013-04-01&lang=en")
    assert answer.status_code == 422
    assert answer.json()["detail"] == (
        "No day rate for 2013 (rates known for 2014–2025): set it in the configuration "
        "under [payment.rates] as 2013 = <NOK per day>.")
