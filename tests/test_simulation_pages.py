"""The what-if page (/hva-om; flyt.simulation.pages) through the real app on DuckDB and
PostgreSQL: a run's JSON rows are exactly run.simulate's with the same arguments, the
page writes them under the right labels, only admins and analysts may use it, a run
is its starter's, a bad form runs nothing (422), CSRF is asked, too little history is
said on the run page, a third run at once is refused (429).

The store: tests/test_simulation_command.seed (two years from 01.01.2022: in 5001 a
patient ready every second day, home three days later; in 5028 one a week, home the
same day)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from flyt import i18n
from flyt.accounts import audit, users
from flyt.simulation import run, scenario
from flyt.simulation.pages import jobs
from flyt.store import reference
from flyt.store.db import Database
from flyt.web.app import create_app
from tests.support.web import PASSWORD, Site, add_cast, csrf, fresh_store, signed_in_as
from tests.test_simulation_command import seed

FIRST, LAST = date(2024, 1, 1), date(2024, 3, 31)
FORM = {"first": "2024-01-01", "last": "2024-03-31", "replications": "20", "seed": "3"}


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         _duckdb_template: Path) -> Iterator[Site]:
    with pytest.MonkeyPatch.context() as env:
        url = fresh_store(request, tmp_path_factory.mktemp("simpage"), _duckdb_template, env)
        db = Database.open(url)
        seed(db)
        add_cast(db)
        users.add(db, "per", "analyst", password=PASSWORD)
        db.close()
        app = create_app(url)
        yield Site(url, app)
        app.state.db.close()


def client(site: Site, who: str) -> TestClient:
    if who not in site.clients:
        site.clients[who] = signed_in_as(site.app, who, follow_redirects=False)
    return site.clients[who]


def post(c: TestClient, **fields: str):
    return c.post("/hva-om", data={"csrf_token": csrf(c), **FORM, **fields})


def finished(c: TestClient, response, who: str = "ola") -> dict:
    """The run the POST started, waited for, as its JSON twin."""
    assert response.status_code == 303, response.text
    path = response.headers["location"]
    assert re.fullmatch(r"/hva-om/kjoring/[\w-]+", path)
    job = jobs.find(path.rsplit("/", 1)[1], who)
    assert job is not None and job.done.wait(180)
    doc = c.get(path + ".json").json()
    doc["path"] = path
    return doc


def test_a_baseline_run_gives_exactly_the_models_rows(site: Site):
    c = client(site, "ola")
    doc = finished(c, post(c))
    expected = run.simulate(site.app.state.db, FIRST, LAST, 20, 3)
    assert doc["status"] == "done" and doc["step"] == "summary"
    assert (doc["first"], doc["last"], doc["replications"], doc["seed"], doc["changes"]) == (
        "2024-01-01", "2024-03-31", 20, 3, [])
    assert doc["rows"] == [r.record() for r in expected.rows]
    assert {r["run"] for r in doc["rows"]} == {"baseline"}
    page = c.get(doc["path"])
    assert page.status_code == 200
    assert "Ingen endringer: bare grunnlaget simuleres." in page.text
    assert "Scenario" not in page.text  # only the baseline's columns


def test_a_scenario_run_and_its_table_under_the_right_labels(site: Site):
    c = client(site, "ola")
    doc = finished(c, post(c, kind1="ukp_wait", target1="m:5001", value1="-50",
                           from1="2024-02-01", to1="2024-03-31"))
    chosen = scenario.parse('[[change]]\nukp_wait = -0.5\nmunicipality = "5001"\n'
                            'from = 2024-02-01\nto = 2024-03-31\n', {"5001", "5028"},
                            {})
    expected = run.simulate(site.app.state.db, FIRST, LAST, 20, 3, chosen)
    assert doc["rows"] == [r.record() for r in expected.rows]
    assert doc["changes"] == [{"kind": "ukp_wait", "value": -0.5, "municipality": "5001",
                               "unit": None, "from": "2024-02-01", "to": "2024-03-31"}]
    page = c.get(doc["path"]).text
    names = {m.code: m.name for m in reference.municipalities(site.app.state.db)}
    assert (f"5001 {names['5001']}: ventetid som UKP -50,0\u00a0% (01.02.2024–31.03.2024)"
            in page)
    # The community's KPI 1: baseline, scenario and difference cells in that order.
    got = {(r["run"], r["measure"]): r for r in doc["rows"]
           if r["group_type"] == "community"}
    base, other, diff = (got[(name, "kpi1")] for name in run.summary.RUNS)
    cells = "".join(f'<td class="num">{fmt(r["mean"], 1)}</td>'
                    f'<td class="num">[{fmt(r["lower"], 1)}; {fmt(r["upper"], 1)}]</td>'
                    for r, fmt in ((base, number), (other, number), (diff, signed)))
    kpi1 = page.split('id="sim-kpi1"', 1)[1].split('id="sim-kpi2"', 1)[0]
    assert f'<th scope="row">Hele helsefellesskapet</th>{cells}</tr>' in kpi1
    # half the wait in 5001 for two months: fewer UKP days, never more
    assert diff["mean"] < 0 and other["mean"] < base["mean"]
    assert "<svg" in kpi1 and "Kommunene" in kpi1


def number(value: float, digits: int) -> str:
    return i18n.number(value, digits, "nb")


def signed(value: float, digits: int) -> str:
    return i18n.signed(value, digits, "nb")


def test_the_number_format_is_bokmals(site: Site):
    assert number(1234.5, 1) == "1\xa0234,5" and signed(-3.25, 2) == "-3,25"


def test_each_run_is_audited(site: Site):
    c = client(site, "anna")
    doc = finished(c, post(c, kind1="arrivals", value1="30"), who="anna")
    entry = next(e for e in audit.entries(site.app.state.db)
                 if e.action == "simulation.run" and e.user_name == "anna")
    assert entry.target == doc["path"].rsplit("/", 1)[1]
    assert entry.detail == "2024-01-01–2024-03-31, 20 replications, seed 3, 1 changes"


@pytest.mark.parametrize("who", ["asu", "malvik"])
def test_readers_and_municipalities_are_refused(site: Site, who: str):
    c = client(site, who)
    before = len(jobs._jobs)
    assert c.get("/hva-om").status_code == 403
    assert c.get("/hva-om.json").status_code == 403
    assert post(c).status_code == 403
    assert len(jobs._jobs) == before
    assert 'href="/hva-om"' not in c.get("/trends").text  # not in the menu either


def test_someone_elses_run_is_not_found(site: Site):
    c = client(site, "ola")
    doc = finished(c, post(c))
    other = client(site, "per")
    assert other.get(doc["path"]).status_code == 404
    assert other.get(doc["path"] + ".json").status_code == 404
    assert other.get("/hva-om/kjoring/nope").status_code == 404
    assert 'href="/hva-om"' in other.get("/hva-om").text  # an analyst's menu has it


@pytest.mark.parametrize(("fields", "field", "text"), [
    ({"kind1": "short_term_beds", "target1": "m:9999", "value1": "2"}, "change1",
     "ukjent kommunenummer «9999»"),
    ({"kind2": "short_term_beds", "target2": "m:5001", "value2": "5000"}, "change2",
     "utenfor det tillatte (fra -1\xa0000 til 1\xa0000)"),
    ({"kind1": "arrivals", "value1": "-100"}, "change1", "utenfor det tillatte"),
    ({"kind1": "arrivals", "value1": "10", "from1": "2024-03-01", "to1": "2024-02-01"},
     "change1", "«to» (2024-02-01) er før «from» (2024-03-01)."),
    ({"kind1": "arrivals", "value1": "ti"}, "change1", "«ti» er ikke et tall"),
    ({"value1": "10"}, "change1", "Velg hva som endres."),
    ({"toml": "[[change]]\narrivals = \n"}, "file", "feil på linje 2"),
    ({"last": "2023-12-31"}, "last", "Til-datoen kan ikke være før fra-datoen"),
    ({"replications": "5"}, "replications", "«5» må være et helt tall fra 10 til 5\xa0000."),
    ({"first": "01.01.2024"}, "first", "«01.01.2024» er ingen dato"),
])
def test_a_bad_form_is_shown_again_with_the_problem_and_runs_nothing(site, fields, field,
                                                                    text):
    c = client(site, "ola")
    before = len(jobs._jobs)
    response = post(c, **fields)
    assert response.status_code == 422
    assert len(jobs._jobs) == before
    assert text in response.text, response.text
    assert f'id="sim-{field}-error-1"' in response.text  # beside its field
    for name, value in fields.items():  # the user's input is kept
        if name.startswith(("value", "first", "last", "replications")):
            assert f'value="{value}"' in response.text


def test_the_form_in_english_and_a_huge_field_is_not_echoed(site: Site):
    c = client(site, "ola")
    page = c.get("/hva-om?lang=en")
    assert page.status_code == 200 and "What if: simulate a change" in page.text
    assert "Short-term beds" in page.text and 'value="1000"' in page.text
    c.cookies.delete("lang")
    response = post(c, kind1="arrivals", value1="1" * 100_000)
    assert response.status_code == 422 and "1" * 202 not in response.text


def test_csrf_is_required(site: Site):
    c = client(site, "ola")
    before = len(jobs._jobs)
    response = c.post("/hva-om", data=FORM)
    assert response.status_code == 403
    assert len(jobs._jobs) == before


def test_too_little_history_is_said_on_the_run_page(site: Site):
    c = client(site, "ola")
    doc = finished(c, post(c, first="2022-06-01", last="2022-06-30"))
    assert doc["status"] == "failed" and doc["rows"] == []
    page = c.get(doc["path"]).text
    assert "For kort historikk til å kalibrere modellen: 151 dager før startdatoen" in page


def test_a_third_run_at_once_is_refused(site: Site, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(jobs, "RUNNING", 0)  # as if two were under way
    c = client(site, "ola")
    before = len(jobs._jobs)
    response = post(c)
    assert response.status_code == 429
    assert "To simuleringer kjører allerede" in response.text
    assert len(jobs._jobs) == before


def test_a_running_run_says_its_step_and_asks_again(site: Site):
    job = jobs.Job("waiting", "ola", FIRST, LAST, 20, 3, None, step="baseline")
    jobs._jobs[job.id] = job
    try:
        c = client(site, "ola")
        page = c.get("/hva-om/kjoring/waiting").text
        assert "Simulerer grunnlaget …" in page and 'data-refresh="2"' in page
        assert c.get("/hva-om/kjoring/waiting.json").json()["status"] == "running"
    finally:
        del jobs._jobs[job.id]
