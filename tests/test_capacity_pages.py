"""The capacity pages (/kapasitet, /kapasitet/treffsikkerhet; flyt.capacity.pages) through
the real app on DuckDB and PostgreSQL: every role reads; the JSON twin carries
overview.build's figures under the right labels; who sees which census; bad queries.

The store (tests/test_capacity_commands.seed, 100 days from 01.01.2024) at AT =
09.04.2024 09:00, the last census 09.04.2024 08:00, worked out by hand:

    5001 Trondheim  2 UKP patients (a stay a day, gone after two days)
    5028 Melhus     1 (stay M98, ready 08.04 00:00, discharged 11.04)
    the others      0; the community 3
    Øya helsehus    aftercare, 10 of 20 beds taken at 07:00: 10 free
    Malvik korttid  short-term, 19 of 18 taken at 07:30: -1 free, over capacity

Threshold 5: the shared edition hides 5001 and 5028 (two small counts); Trondheim's
user sees its own 2, and 5028 is then the only small count left: hidden alone.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from flyt.accounts import users
from flyt.capacity import backtest, escalation_store, overview, plans_store
from flyt.capacity.escalation import GroupLevel, Indicator
from flyt.capacity.pages import accuracy
from flyt.capacity.plans import EscalationPlan
from flyt.domain import clock
from flyt.store.db import Database
from flyt.web.app import create_app
from tests.conftest import _reset_postgres
from tests.support.web import HTTPS, csrf
from tests.test_capacity_commands import seed
from tests.test_capacity_escalation import short_term

PASSWORD = "correct horse battery"
# name → (role, municipality, organisation)
PEOPLE = {"ola": ("analyst", None, None), "anna": ("admin", None, None),
          "trond": ("municipality", "5001", None), "malvik": ("municipality", "5031", None),
          "asu": ("reader", None, None), "lege": ("gp", None, "fastlege-5001"),
          "forb": ("improvement", None, None), "komp": ("competence", None, None)}
AT = datetime(2024, 4, 9, 9)
QUERY = "?at=2024-04-09T09:00"
LEVELS_AT = datetime(2024, 4, 9, 8)


@dataclass
class World:
    app: FastAPI
    db: Database
    clients: dict[str, TestClient] = field(default_factory=dict)

    def as_(self, name: str) -> TestClient:
        if name not in self.clients:
            client = TestClient(self.app, base_url=HTTPS, follow_redirects=False)
            response = client.post("/login", data={"name": name, "password": PASSWORD,
                                                   "csrf_token": csrf(client)})
            assert response.status_code == 303, name
            self.clients[name] = client
        return self.clients[name]


def _levels(db: Database) -> None:
    ukp = Indicator("ukp_vs_normal", 4.0, 3.0, 3)
    beds = Indicator("short_term_occupancy", 105.6, 100.0, 4)
    escalation_store.save(db, LEVELS_AT, [
        GroupLevel("community", "all", 2, (Indicator("ukp_vs_normal", 1.5, 1.3, 2),), ()),
        GroupLevel("municipality", "5001", 3, (ukp,), ()),
        GroupLevel("municipality", "5028", 1, (Indicator("ukp_vs_normal", 1.0, None, 1),), ()),
        GroupLevel("municipality", "5031", 4, (beds,), ())], LEVELS_AT)


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          _duckdb_template: Path) -> Iterator[World]:
    with pytest.MonkeyPatch.context() as env:
        folder = tmp_path_factory.mktemp("capacity-pages")
        env.setenv("FLYT_DATA_DIR", str(folder / "data"))
        env.setenv("FLYT_PSEUDONYM_KEY", "test-key")
        env.delenv("FLYT_DATABASE_URL", raising=False)
        env.delenv("FLYT_CONFIG", raising=False)
        if request.param == "duckdb":
            shutil.copy(_duckdb_template, folder / "flyt.duckdb")
            url = f"duckdb:///{folder / 'flyt.duckdb'}"
        else:
            pg = request.getfixturevalue("_postgres")
            if pg is None:
                pytest.skip("FLYT_TEST_POSTGRES_URL not set")
            _reset_postgres(pg)
            url = pg.engine.url.render_as_string(hide_password=False)
        db = Database.open(url)
        seed(db)
        short_term(db, 19, 18, datetime(2024, 4, 9, 7, 30))
        _levels(db)
        for code, lend in (("5031", 2), ("5028", 3), ("5001", 0)):
            plans_store.save(db, EscalationPlan(code, lendable_short_term_beds=lend), 0, "t")
        for name, (role, municipality, organisation) in PEOPLE.items():
            users.add(db, name, role, municipality, password=PASSWORD,
                      organisation=organisation)
        db.close()
        app = create_app(url)
        yield World(app, app.state.db)
        app.state.db.close()


def tiles(doc: dict) -> dict[str, dict]:
    return {m["code"]: m for m in doc["municipalities"]}


@pytest.mark.parametrize("who", list(PEOPLE))
def test_every_role_reads_the_page(world: World, who: str):
    client = world.as_(who)
    page = client.get(f"/kapasitet{QUERY}")
    assert page.status_code == 200, page.text
    assert page.text.count('class="cap-tile ') == 20
    assert "Beredskapsnivå" in page.text and "<svg" in page.text
    assert "Grafen som tabell" in page.text  # the chart's text alternative
    assert 'href="/kapasitet/treffsikkerhet"' in page.text
    doc = client.get(f"/kapasitet.json{QUERY}").json()
    assert doc["community_census"] == 3  # the total is everyone's
    assert len(doc["municipalities"]) == 20


def test_the_twin_carries_the_overviews_figures_under_their_labels(world: World):
    doc = world.as_("ola").get(f"/kapasitet.json{QUERY}").json()
    found = overview.build(world.db, AT)
    assert doc["at"] == "2024-04-09T09:00" and doc["last_census"] == "2024-04-09T08:00"
    assert doc["edition"] == "exact"
    assert {c: m["census"] for c, m in tiles(doc).items()} == found.census
    assert (tiles(doc)["5001"]["census"], tiles(doc)["5028"]["census"],
            tiles(doc)["5031"]["census"]) == (2, 1, 0)
    assert tiles(doc)["5001"]["label"] == "5001 Trondheim"
    # the levels as stored, each under its own municipality
    assert [(c, tiles(doc)[c]["level"], tiles(doc)[c]["word"]) for c in
            ("5001", "5028", "5031", "5020")] == [
        ("5001", 3, "høyt press"), ("5028", 1, "normal"), ("5031", 4, "kritisk"),
        ("5020", None, "ingen data")]
    assert tiles(doc)["5001"]["indicators"] == [
        {"name": "ukp_vs_normal", "label": "UKP-pasienter mot normalen", "level": 3,
         "value": 4.0, "value_text": "4,00"}]
    assert tiles(doc)["5031"]["indicators"][0]["value_text"] == "105,6\xa0%"
    assert doc["levels"]["at"] == "2024-04-09T08:00"
    assert doc["levels"]["community"]["level"] == 2
    assert doc["levels"]["community"]["since"] == "2024-04-09T08:00"
    # the series: 28 counted days, 56 forecast, the overview's own numbers
    assert doc["series"]["recent"][-1] == {"date": "2024-04-09", "count": 3.0}
    assert len(doc["series"]["recent"]) == 28 and len(doc["series"]["forecast"]) == 56
    assert found.series.forecast is not None
    first = found.series.forecast.iloc[0]
    assert doc["series"]["forecast"][0] == {
        "date": "2024-04-10", "mean": round(first["mean"], 2),
        "lower": round(first["lower"], 2), "upper": round(first["upper"], 2)}
    # the calendar: each period's dates, meeting and pressure under its own key
    assert [p["key"] for p in doc["calendar"]] == [p.key for p in found.periods]
    summer = next(p for p in doc["calendar"] if p["key"] == "summer-2024")
    assert (summer["name"], summer["start"], summer["end"], summer["meeting"]) == (
        "Sommer", "2024-06-24", "2024-08-18", "2024-06-03")  # ISO weeks 26–33; 3 weeks before
    pressure = found.pressure["summer-2024"]
    assert summer["vs_year_percent"] == round((pressure.ratio - 1) * 100, 1)
    influenza = next(p for p in doc["calendar"] if p["kind"] == "influenza")
    assert influenza["meeting"] is None
    # the beds: free = available - occupied, negative kept and marked
    units = {u["unit"]: u for u in doc["beds"]["units"]}
    assert (units["Øya helsehus"]["free"], units["Øya helsehus"]["over_capacity"]) == (10, False)
    assert (units["Malvik korttid"]["free"], units["Malvik korttid"]["over_capacity"],
            units["Malvik korttid"]["owner_label"]) == (-1, True, "5031 Malvik")
    sums = {(s["kind"], s["owner"]): (s["occupied"], s["available"], s["free"])
            for s in doc["beds"]["sums"]}
    assert sums[("short_term", "5031")] == (19, 18, -1)
    assert {(s["owner"], s["units"]) for s in doc["beds"]["sums"]
            if s["kind"] == "short_term"} == {("5031", 1), (None, 1)}
    assert sums[("short_term", None)] == (19, 18, -1)
    assert sums[("aftercare", None)] == (10, 20, 10)


def test_the_page_words_the_figures(world: World):
    html = world.as_("ola").get(f"/kapasitet{QUERY}").text
    assert "5031 Malvik" in html and "4 kritisk" in html and "3 høyt press" in html
    assert "overbelegg" in html and "møte på kort varsel" in html
    assert "03.06.2024" in html  # summer's planned meeting, dd.mm.yyyy
    assert "09.04.2024 08:00" in html  # when the levels were computed


@pytest.mark.parametrize("who", ["asu", "lege", "forb", "komp"])
def test_the_shared_edition_never_shows_a_small_census(world: World, who: str):
    client = world.as_(who)
    doc = client.get(f"/kapasitet.json{QUERY}").json()
    found = tiles(doc)
    assert doc["edition"] == "shared"
    assert (found["5001"]["census"], found["5001"]["census_hidden"]) == (None, True)
    assert (found["5028"]["census"], found["5028"]["census_hidden"]) == (None, True)
    assert found["5031"]["census"] == 0
    assert all(m["census"] is None or m["census"] == 0 or m["census"] >= 5
               for m in doc["municipalities"])
    # the level and the indicator's name, not its value
    assert (found["5001"]["level"], found["5001"]["indicators"][0]["label"]) == (
        3, "UKP-pasienter mot normalen")
    assert found["5001"]["indicators"][0]["value"] is None
    # occupancy is shown to all: the free-beds table shows the same beds
    assert found["5031"]["indicators"][0]["value_text"] == "105,6\xa0%"
    assert [o["value"] for o in doc["options"] if o["value"][0].isdigit()] == []
    refused = client.get(f"/kapasitet.json{QUERY}&gruppe=5001")
    assert refused.status_code == 404 and "5001" in refused.json()["error"]
    page = client.get(f"/kapasitet{QUERY}&gruppe=5028")
    assert page.status_code == 404 and "analytikere" in page.text
    assert client.get(f"/kapasitet.json{QUERY}&gruppe=all").status_code == 200


def test_a_municipality_user_sees_its_own_census_exact(world: World):
    trond = world.as_("trond").get(f"/kapasitet.json{QUERY}").json()
    assert trond["edition"] == "own"
    assert (tiles(trond)["5001"]["census"], tiles(trond)["5028"]["census"]) == (2, None)
    assert tiles(trond)["5001"]["indicators"][0]["value"] == 4.0
    assert tiles(trond)["5028"]["indicators"][0]["value"] is None
    own = world.as_("trond").get(f"/kapasitet.json{QUERY}&gruppe=5001")
    assert own.status_code == 200
    assert own.json()["series"]["recent"][-1] == {"date": "2024-04-09", "count": 2.0}
    malvik = world.as_("malvik").get(f"/kapasitet.json{QUERY}").json()
    assert (tiles(malvik)["5001"]["census"], tiles(malvik)["5028"]["census"]) == (None, None)
    assert world.as_("malvik").get(f"/kapasitet.json{QUERY}&gruppe=5001").status_code == 404


def test_a_unit_series(world: World):
    doc = world.as_("asu").get(
        f"/kapasitet.json{QUERY}&gruppe=unit:%C3%98ya%20helsehus").json()
    assert (doc["group"]["type"], doc["group"]["id"], doc["group"]["measure"]) == (
        "unit", "Øya helsehus", "aftercare_occupied")
    assert doc["series"]["recent"][-1] == {"date": "2024-04-09", "count": 10.0}


@pytest.mark.parametrize(("query", "status", "words"), [
    ("?at=igår", 400, "igår"),
    ("?at=1850-01-01", 400, "1850-01-01"),
    ("?at=" + "9" * 500, 400, "tidspunkt"),
    ("?gruppe=Trondheim", 400, "Trondheim"),
    ("?gruppe=unit:", 400, "unit:"),
    ("?gruppe=9999", 404, "9999"),
    ("?gruppe=unit:Ingen%20slik", 404, "Ingen slik"),
])
def test_bad_queries_are_refused_with_a_sentence(world: World, query: str, status: int,
                                                 words: str):
    client = world.as_("ola")
    twin = client.get(f"/kapasitet.json{query}")
    assert twin.status_code == status and words in twin.json()["error"]
    page = client.get(f"/kapasitet{query}")
    assert page.status_code == status and 'role="alert"' in page.text
    assert "Traceback" not in page.text


def test_no_level_stored_says_how_to_get_one(world: World):
    html = world.as_("asu").get("/kapasitet?at=2024-04-08T09:00").text
    assert "flyt escalation" in html
    assert html.count("ingen data") == 20


def test_signed_out_is_sent_to_sign_in(world: World):
    client = TestClient(world.app, base_url=HTTPS, follow_redirects=False)
    assert client.get("/kapasitet.json").status_code in (401, 303)


# --- /kapasitet/treffsikkerhet ---------------------------------------------------------

FAKE = backtest.Backtest(
    origins=[date(2024, 1, 1), date(2024, 1, 8)], horizon=56, scores=[
        backtest.Score("community", (1, 7), "model", 0.5, 12.5, 0.8, 14),
        backtest.Score("community", (1, 7), "naive_week", 0.75, 20.0, None, 14),
        backtest.Score("community", (1, 7), "naive_year", 1.25, None, None, 14),
        backtest.Score("municipality", (8, 28), "model", 0.25, 5.0, 0.9, 42)])


@pytest.fixture
def fresh_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accuracy, "_jobs", {})


def test_the_backtest_scores_under_their_labels(world: World, fresh_jobs,
                                                monkeypatch: pytest.MonkeyPatch):
    calls = []
    monkeypatch.setattr(backtest, "run", lambda known, origins, horizon: calls.append(
        (origins, horizon)) or FAKE)
    client = world.as_("asu")
    first = client.get("/kapasitet/treffsikkerhet.json")
    assert first.status_code in (200, 202)
    assert accuracy.job(world.db).done.wait(30)
    doc = client.get("/kapasitet/treffsikkerhet.json").json()
    assert calls == [(12, 56)]  # once per store state and day
    assert doc["status"] == "done" and doc["origins"] == ["2024-01-01", "2024-01-08"]
    community, municipality = doc["scores"]
    assert (community["group"], community["band"], community["model"]["mae"],
            community["model"]["mape"], community["model"]["coverage"]) == (
        "community", [1, 7], 0.5, 12.5, 0.8)
    assert (community["naive_week"]["mae"], community["naive_year"]["mae"],
            community["naive_year"]["mape"]) == (0.75, 1.25, None)
    assert (municipality["group"], municipality["band_text"], municipality["model"]["mae"],
            municipality["naive_week"]) == ("municipality", "8–28", 0.25, None)
    html = client.get("/kapasitet/treffsikkerhet").text
    assert "Fellesskapet (UKP)" in html and "12,5\xa0%" in html and "80,0\xa0%" in html
    assert calls == [(12, 56)]


def test_the_backtest_page_says_it_is_computing(world: World, fresh_jobs,
                                                monkeypatch: pytest.MonkeyPatch):
    import threading

    release = threading.Event()
    monkeypatch.setattr(backtest, "run",
                        lambda known, origins, horizon: release.wait(30) and FAKE)
    client = world.as_("komp")
    waiting = client.get("/kapasitet/treffsikkerhet")
    assert waiting.status_code == 200 and "Beregner" in waiting.text
    assert 'src="/static/capacity.js"' in waiting.text
    assert client.get("/kapasitet/treffsikkerhet.json").json() == {"status": "running"}
    release.set()
    assert accuracy.job(world.db).done.wait(30)
    assert client.get("/kapasitet/treffsikkerhet.json").json()["status"] == "done"


def test_too_short_a_history_for_the_backtest(world: World, fresh_jobs,
                                              monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(clock, "now", lambda: AT)
    client = world.as_("ola")
    client.get("/kapasitet/treffsikkerhet.json")
    assert accuracy.job(world.db).done.wait(60)
    doc = client.get("/kapasitet/treffsikkerhet.json").json()
    assert doc["status"] == "problem" and "For kort historikk" in doc["problem"]


def test_the_beds_the_plans_offer_beside_the_free_beds_now(world: World):
    doc = world.as_("ola").get(f"/kapasitet.json{QUERY}").json()
    # 5001 offers none and is left out; 5028 has no short-term unit counted: no figure.
    assert doc["lending"] == [
        {"municipality": "5028", "label": "5028 Melhus", "lendable": 3, "free_now": None},
        {"municipality": "5031", "label": "5031 Malvik", "lendable": 2, "free_now": -1}]
    page = world.as_("ola").get(f"/kapasitet{QUERY}").text
    assert "Korttidsplasser kommunene kan låne ut" in page
    assert 'href="/kapasitet/beredskapsplaner/5031">5031 Malvik</a>' in page
