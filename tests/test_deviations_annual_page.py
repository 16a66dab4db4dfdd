"""/avvik/rapport on the dashboard (flyt.deviations.pages.annual), on DuckDB and
PostgreSQL: the page shows the report's very numbers, its JSON twin gives them as
numbers, the files are those of `flyt report deviations`, every signed-in user may see
it, and a bad year is one sentence. The store holds the seed of
tests/test_deviations_timeliness.py and one deviation of 2023 (the figures are worked
out by hand there and in tests/test_deviations_annual.py)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import openpyxl
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from flyt.accounts import users
from flyt.cli.main import cli
from flyt.deviations import annual
from flyt.deviations.report import rows
from flyt.domain import clock
from flyt.store.db import Database
from flyt.web.app import create_app
from tests.test_deviations_annual import (
    TIMED_MADE,
    marked,
    seed_with_the_year_before,
    shown_counts,
)
from tests.test_deviations_timeliness import SECRET

PASSWORD = "correct horse battery"
# Each organisation kind and role: the improvement group, a municipality, a GP, the
# hospital's analyst, an ASU reader.
CAST = (("fg", "improvement", None), ("trd", "municipality", None),
        ("lege", "gp", "fastlege-5001"), ("ola", "analyst", None), ("asu", "reader", None))


@pytest.fixture
def site(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    db = Database.open(db_url)
    seed_with_the_year_before(db, monkeypatch)  # leaves the clock at TIMED_MADE
    for name, role, organisation in CAST:
        users.add(db, name, role, "5001" if role == "municipality" else None,
                  organisation=organisation, password=PASSWORD)
    db.close()
    app = create_app(db_url)
    yield app
    app.state.db.close()


def signed_in(app, name: str) -> TestClient:  # type: ignore[no-untyped-def]
    client = TestClient(app, base_url="https://testserver")
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"name": name, "password": PASSWORD,
                                           "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def test_the_page_shows_the_numbers_of_the_report_document(site, db_url):
    page = signed_in(site, "fg").get("/avvik/rapport?year=2024")
    assert page.status_code == 200
    document = annual.to_html(Database.open(db_url), 2024, made=TIMED_MADE)
    for attribute in ("data-figure", "data-area", "data-pair"):
        assert marked(page.text, attribute) == marked(document, attribute), attribute
    assert marked(page.text, "data-figure")["acknowledge_median"] == "3,5"
    assert shown_counts(page.text) == shown_counts(document)
    assert ("total", "alle", 7) in shown_counts(page.text)  # A B C D E G H
    assert '<div class="chart">' in page.text  # the charts, drawn as in the document
    for fmt in ("pdf", "html", "xlsx", "csv"):
        assert f'href="/avvik/rapport.{fmt}?year=2024"' in page.text
    assert SECRET not in page.text


def test_the_json_twin_gives_the_report_s_rows_and_figures_as_numbers(site, db_url):
    found = signed_in(site, "trd").get("/avvik/rapport.json?year=2024&tertial=1").json()
    assert found["period"] == "2024-T1" and found["previous_period"] == "2023-T1"
    assert found["rows"] == rows(Database.open(db_url), 2024, 1)
    assert found["previous_rows"] is None  # 2023-T1 has nothing: no invented zeros
    timed = found["timeliness"]
    assert (timed["counted"], timed["acknowledge_median"], timed["acknowledge_p90"]) == (
        4, 2.5, pytest.approx(5.4))
    assert (timed["acknowledge_share"], timed["end"]) == (0.75, "2024-05-01T00:00")
    assert found["problem_areas"][0] == {"category": "utskrivning", "subcategory": None,
                                         "direction": "kommune->sykehus", "count": 2,
                                         "previous": None}  # H and A
    assert SECRET not in str(found)


def test_the_downloads_are_the_files_of_the_command(site, db_url):
    client = signed_in(site, "asu")
    runner = CliRunner()
    csv = client.get("/avvik/rapport.csv?year=2024&tertial=2")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert 'filename="flyt-avvik-2024-T2.csv"' in csv.headers["content-disposition"]
    command = runner.invoke(cli, ["report", "deviations", "--year", "2024", "--tertial",
                                  "2", "--db", db_url])
    assert csv.text == command.stdout
    html = client.get("/avvik/rapport.html?year=2024")
    command = runner.invoke(cli, ["report", "deviations", "--year", "2024", "--format",
                                  "html", "--db", db_url])
    assert html.text.strip() == command.stdout.strip()  # the clock is fixed: the same
    pdf = client.get("/avvik/rapport.pdf?year=2024")
    assert pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
    book = openpyxl.load_workbook(io.BytesIO(client.get("/avvik/rapport.xlsx?year=2024")
                                             .content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["year", "period", "dimension", "value", "count"]
    assert [c.value for c in sheet[2]] == [2024, "2024", "total", "alle", 7]


@pytest.mark.parametrize("name", [name for name, _, _ in CAST])
def test_every_signed_in_role_sees_the_community_s_counts(site, name):
    response = signed_in(site, name).get("/avvik/rapport.json?year=2024")
    assert response.status_code == 200
    assert response.json()["rows"][0] == {"year": 2024, "period": "2024",
                                          "dimension": "total", "value": "alle", "count": 7}


def test_someone_not_signed_in_gets_nothing(site):
    client = TestClient(site, base_url="https://testserver")
    assert client.get("/avvik/rapport.json?year=2024").status_code == 401
    assert client.get("/avvik/rapport.csv?year=2024").status_code in (303, 401)


def test_a_bad_year_or_tertial_is_one_sentence_in_the_user_s_language(site):
    client = signed_in(site, "fg")
    page = client.get("/avvik/rapport?year=24")
    assert page.status_code == 422
    assert "Ugyldig år «24»: oppgi et firesifret år fra 1900 til 2999." in page.text
    assert "Traceback" not in page.text
    twin = client.get("/avvik/rapport.json?year=2024&tertial=4&lang=en")
    assert twin.status_code == 422
    assert twin.json()["detail"].startswith('Invalid tertial "4"')
    assert client.get("/avvik/rapport.pdf?year=1899").status_code == 422


def test_without_a_year_the_page_shows_the_last_whole_year(site, monkeypatch):
    assert clock.today().year == 2025  # TIMED_MADE
    page = signed_in(site, "fg").get("/avvik/rapport")
    assert page.status_code == 200
    assert "Samhandlingsavvik – årsrapport 2024" in page.text
