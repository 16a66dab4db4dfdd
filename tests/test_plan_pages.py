"""The action plan's pages (/tiltaksplan …, flyt.plan.pages) through the real app on
DuckDB and PostgreSQL: the table's filters, the Theory of Change, the timeline, the
JSON twins (same content as the pages), who may read and who may change, a stale
save (409, the input kept), a bad date (400), the history and the audit log.

The plan below, at AT = 15.03.2026 (statuses by flyt.plan.rules, worked out by hand):

    M1 Tidlig avklaring  Kari hoy  01.01.2026–28.02.2026  yellow, late (A2 not done)
       A1 Kartlegge      Kari hoy  05.01.2026–31.01.2026  done → green
       A2 Rutiner        Ola middel 01.01.2026–10.03.2026  5 days after its end → yellow, late
    M2 Felles møter      Ola lav   no dates, set red       red
       A3 Planlegge      –         no dates                no status
    M3 Kompetanse        Kari middel 01.03.2026–30.06.2026 green (A4 set green)
       A4 Kurs           –         01.04.2026–31.05.2026  set green
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from flyt.accounts import users
from flyt.domain import clock
from flyt.plan import storage
from flyt.plan.model import Activity, Element, Measure, Plan
from flyt.store import schema
from flyt.store.db import Database
from flyt.web.app import create_app
from tests.conftest import _reset_postgres
from tests.support.web import HTTPS, csrf

PASSWORD = "correct horse battery"
PEOPLE = {"asu": ("reader", None), "komp": ("competence", None), "ola": ("analyst", None),
          "lege": ("gp", "fastlege-5001")}
NOW = datetime(2026, 3, 15, 10, 0)

PLAN = Plan(
    "Godt samarbeid & flyt",
    (Element("R1", "ressurs", "Kompetansegruppe", links=("T1",)),
     Element("T1", "aktivitet", "Møter <hver> uke", links=("E1",)),
     Element("E1", "effekt", "Færre liggedøgn", kpi=1)),
    (Measure("M1", "Tidlig avklaring", start=date(2026, 1, 1), end=date(2026, 2, 28),
             priority="hoy", responsible="Kari", activities=(
                 Activity("A1", "Kartlegge", date(2026, 1, 5), date(2026, 1, 31), "hoy",
                          responsible="Kari", done=True),
                 Activity("A2", "Rutiner", date(2026, 1, 1), date(2026, 3, 10), "middel",
                          responsible="Ola"))),
     Measure("M2", "Felles møter", priority="lav", responsible="Ola", status="red",
             comment="Mangler & <b>rom</b>", activities=(Activity("A3", "Planlegge"),)),
     Measure("M3", "Kompetanse", start=date(2026, 3, 1), end=date(2026, 6, 30),
             priority="middel", responsible="Kari", activities=(
                 Activity("A4", "Kurs", date(2026, 4, 1), date(2026, 5, 31),
                          status="green"),))))


@dataclass
class World:
    app: FastAPI
    clients: dict[str, TestClient] = field(default_factory=dict)

    def as_(self, name: str) -> TestClient:
        if name not in self.clients:
            client = TestClient(self.app, base_url=HTTPS, follow_redirects=False)
            response = client.post("/login", data={"name": name, "password": PASSWORD,
                                                   "csrf_token": csrf(client)})
            assert response.status_code == 303, name
            self.clients[name] = client
        return self.clients[name]


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          _duckdb_template: Path) -> Iterator[World]:
    with pytest.MonkeyPatch.context() as env:
        folder = tmp_path_factory.mktemp("plan-pages")
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
        for name, (role, organisation) in PEOPLE.items():
            users.add(db, name, role, password=PASSWORD, organisation=organisation)
        db.close()
        app = create_app(url)
        yield World(app)
        app.state.db.close()


@pytest.fixture
def site(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    """The plan above, stored afresh (versions 1, no history), at NOW."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    db = world.app.state.db
    with db.engine.begin() as conn:
        for table in ("plan_history", "audit_log"):
            conn.execute(sa.delete(schema.metadata.tables[table]))
    storage.replace_plan(db, Plan("x"), None)  # every item new again: version 1
    storage.replace_plan(db, PLAN, None)
    with db.engine.begin() as conn:
        conn.execute(sa.delete(schema.metadata.tables["plan_history"]))
    return world


def table_ids(html: str) -> list[str]:
    """The items of the table page, in order (their links)."""
    body = html.split('<table class="plan-table">', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<th scope="row"[^>]*><a href="/tiltaksplan/([^"]+)"', body)


def json_ids(doc: dict) -> list[str]:
    return [i for m in doc["measures"] for i in (m["id"], *(a["id"] for a in m["activities"]))]


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["M1", "A1", "A2", "M2", "A3", "M3", "A4"]),
    ("status=yellow", ["M1", "A2"]),
    ("status=green", ["M1", "A1", "M3", "A4"]),  # M1 (yellow) shown for its A1
    ("status=none", ["M2", "A3"]),
    ("status=red", ["M2"]),
    ("owner=Ola", ["M1", "A2", "M2"]),
    ("priority=hoy", ["M1", "A1"]),
    ("priority=middel&owner=Kari", ["M3"]),
    ("late=1", ["M1", "A2"]),  # A1 is done; M3 and A4 end after AT
    ("late=1&status=green", []),
])
def test_the_table_s_filters_and_its_json_twin_list_the_same_items(site, query, expected):
    client = site.as_("asu")
    page = client.get(f"/tiltaksplan?{query}")
    assert page.status_code == 200
    doc = client.get(f"/tiltaksplan.json?{query}").json()
    assert json_ids(doc) == expected
    if expected:
        assert table_ids(page.text) == expected
    else:
        assert "Ingen tiltak eller aktiviteter passer filteret." in page.text


def test_the_table_json_has_the_document_s_fields_with_computed_status_and_late(site):
    doc = site.as_("asu").get("/tiltaksplan.json?status=green").json()
    assert doc["at"] == "2026-03-15"
    assert doc["filters"] == {"status": "green", "owner": None, "priority": None,
                              "late": False}
    m1, m3 = doc["measures"]
    assert (m1["computed_status"], m1["late"], m1["matches"]) == ("yellow", True, False)
    assert m1["activities"] == [{
        "id": "A1", "name": "Kartlegge", "start": "2026-01-05", "end": "2026-01-31",
        "priority": "hoy", "scope": None, "responsible": "Kari", "done": True,
        "status": None, "computed_status": "green", "comment": "", "version": 1,
        "late": False, "matches": True}]
    assert (m3["computed_status"], m3["late"], m3["matches"]) == ("green", False, True)


def test_the_table_shows_status_in_words_dates_and_escaped_comments(site):
    html = site.as_("asu").get("/tiltaksplan").text
    assert "01.01.2026–28.02.2026" in html
    assert "! gul" in html and "✕ rød" in html and "– ingen status" in html
    assert html.count("⚠ forsinket") == 2  # M1 and A2
    assert "Mangler &amp; &lt;b&gt;rom&lt;/b&gt;" in html
    assert 'href="/tiltaksplan"' in html  # the nav link


def test_at_moves_the_date_the_statuses_are_computed_at(site):
    # 31.03.2026: A2 is 21 days late (yellow still); 11.04.2026: 32 days → red
    assert json_ids(site.as_("asu").get("/tiltaksplan.json?at=31.03.2026&status=red")
                    .json()) == ["M2"]
    assert json_ids(site.as_("asu").get("/tiltaksplan.json?at=2026-04-11&status=red")
                    .json()) == ["M1", "A2", "M2"]


@pytest.mark.parametrize("query", ["at=31.02.2026", "at=i+morgen", "status=blue",
                                   "priority=viktig", "owner=" + "x" * 201])
def test_a_bad_filter_is_a_400_with_one_sentence(site, query):
    page = site.as_("asu").get(f"/tiltaksplan?{query}")
    assert page.status_code == 400 and "Traceback" not in page.text
    assert 'role="alert"' in page.text
    twin = site.as_("asu").get(f"/tiltaksplan.json?{query}")
    assert twin.status_code == 400 and set(twin.json()) == {"error"}


def test_the_theory_of_change_page_has_the_picture_and_the_outline(site):
    client = site.as_("lege")
    html = client.get("/tiltaksplan/forandringsteori").text
    assert html.count("<svg") == 1 and 'role="img"' in html
    assert "Møter &lt;hver&gt; uke" in html and "<hver>" not in html
    assert "fører til: Færre liggedøgn" in html
    assert "KPI 1 · – ingen status" in html  # no KPI data in this store
    doc = client.get("/tiltaksplan/forandringsteori.json").json()
    assert doc["vision"] == "Godt samarbeid & flyt"
    assert [c["kind"] for c in doc["columns"]] == ["ressurs", "aktivitet", "utfall",
                                                    "resultat", "effekt"]
    assert doc["columns"][1]["items"] == [{"id": "T1", "text": "Møter <hver> uke",
                                           "kpi": None, "status": None,
                                           "leads_to": ["Færre liggedøgn"]}]
    for column in doc["columns"]:
        assert f"<h3>{column['heading']}</h3>" in html


def test_the_timeline_places_bars_and_today_and_lists_the_undated(site):
    client = site.as_("asu")
    doc = client.get("/tiltaksplan/tidslinje.json").json()
    # axis 01.01.2026–30.06.2026: 181 days; 15.03 is day 73 → 40.331 %
    assert (doc["start"], doc["end"], doc["today"]) == ("2026-01-01", "2026-06-30", 40.331)
    assert [m["month"] for m in doc["months"]] == [f"2026-0{i}-01" for i in range(1, 7)]
    assert [r["id"] for r in doc["rows"]] == ["M1", "A1", "A2", "M3", "A4"]
    m1 = doc["rows"][0]
    assert (m1["left"], m1["width"], m1["computed_status"]) == (0.0, 32.597, "yellow")
    assert [r["id"] for r in doc["undated"]] == ["M2", "A3"]
    html = client.get("/tiltaksplan/tidslinje").text
    assert "left: 0.0%; width: 32.597%" in html
    assert "(100% - var(--plan-name)) * 0.40331" in html
    assert "Uten datoer" in html and "Felles møter" in html
    assert ">jan 2026<" in html


def test_the_default_plan_has_no_dates_so_everything_is_undated(site):
    from flyt.plan.defaults import default_plan
    storage.replace_plan(site.app.state.db, default_plan(), None)
    doc = site.as_("asu").get("/tiltaksplan/tidslinje.json").json()
    assert doc["rows"] == [] and len(doc["undated"]) == sum(
        1 + len(m.activities) for m in default_plan().measures)
    html = site.as_("asu").get("/tiltaksplan/tidslinje").text
    assert "Ingen tiltak eller aktiviteter har både start- og sluttdato ennå." in html


def form(client: TestClient, version: int = 1, **changes: str) -> dict[str, str]:
    values = {"version": str(version), "name": "Rutiner", "start": "01.01.2026",
              "end": "10.03.2026", "priority": "middel", "scope": "", "responsible": "Ola",
              "status": "", "comment": "", "csrf_token": csrf(client)}
    return {**values, **changes}


def test_a_reader_reads_an_item_but_may_not_change_it(site):
    client = site.as_("asu")
    page = client.get("/tiltaksplan/A2")
    assert page.status_code == 200 and "Rutiner" in page.text
    assert 'name="version"' not in page.text
    assert client.post("/tiltaksplan/A2", data=form(client, status="green")).status_code == 403
    assert storage.read_plan(site.app.state.db).measures[0].activities[1].status is None


def test_competence_changes_an_activity_and_the_change_is_in_the_history_and_audit(site):
    client = site.as_("komp")
    assert 'name="version" value="1"' in client.get("/tiltaksplan/A2").text
    response = client.post("/tiltaksplan/A2", data=form(
        client, status="green", comment="Ferdig i april", done="1"))
    assert response.status_code == 303 and response.headers["location"] == "/tiltaksplan/A2"
    a2 = storage.read_plan(site.app.state.db).measures[0].activities[1]
    assert (a2.status, a2.comment, a2.done, a2.version) == ("green", "Ferdig i april", True, 2)
    page = client.get("/tiltaksplan/A2").text
    history = page.split("<table class=\"plan-history\">", 1)[1]
    assert "15.03.2026" in history and "komp" in history and "Ferdig i april" in history
    assert re.search(r"Satt status</td>\s*<td[^>]*>–</td><td[^>]*>grønn</td>", history)
    doc = client.get("/tiltaksplan/A2.json").json()
    assert [(h["at"], h["who"], h["field"], h["from"], h["to"]) for h in doc["history"]] == [
        ("2026-03-15T10:00", "komp", "status", None, "green"),
        ("2026-03-15T10:00", "komp", "comment", None, "Ferdig i april")]
    assert (doc["version"], doc["done"], doc["computed_status"], doc["may_edit"]) == (
        2, True, "green", True)
    with site.app.state.db.engine.connect() as conn:
        a = schema.audit_log.c
        rows = conn.execute(sa.select(a.user_name, a.action, a.target, a.detail).where(
            a.action == "plan.change")).all()
    assert [tuple(r) for r in rows] == [("komp", "plan.change", "A2",
                                         "comment, done, status")]


def test_a_measure_s_dates_and_description_are_changed(site):
    client = site.as_("ola")
    data = form(client, name="Tidlig avklaring", description="Ny beskrivelse",
                start="2026-01-01", end="31.03.2026", priority="hoy", responsible="Kari")
    assert client.post("/tiltaksplan/M1", data=data).status_code == 303
    m1 = storage.read_plan(site.app.state.db).measures[0]
    assert (m1.description, m1.end, m1.version) == ("Ny beskrivelse", date(2026, 3, 31), 2)


def test_a_stale_save_is_a_409_with_the_user_s_input_kept(site):
    first, second = site.as_("komp"), site.as_("ola")
    assert first.post("/tiltaksplan/A2", data=form(first, comment="Først")).status_code == 303
    response = second.post("/tiltaksplan/A2", data=form(second, comment="Min lange tekst",
                                                         status="red"))
    assert response.status_code == 409
    assert "Noen andre har lagret A2 etter at du åpnet skjemaet" in response.text
    assert "Min lange tekst</textarea>" in response.text
    assert '<option value="red" selected>' in response.text
    assert "Lagret nå: Først" in response.text  # what the other saved, beside the input
    assert 'name="version" value="2"' in response.text  # saving again is a choice
    assert storage.read_plan(site.app.state.db).measures[0].activities[1].comment == "Først"


@pytest.mark.parametrize(("changes", "message"), [
    ({"start": "32.01.2026"}, "«32.01.2026» er ikke en dato; skriv dd.mm.åååå."),
    ({"end": "i går"}, "«i går» er ikke en dato; skriv dd.mm.åååå."),
    ({"start": "01.04.2026"}, "Sluttdatoen er før startdatoen."),
    ({"name": "  "}, "Navn mangler."),
    ({"priority": "viktig"}, "«viktig» er ikke tillatt; bruk hoy, middel, lav."),
    ({"comment": "x" * 5_001}, "Kommentar er lengre enn 5\u00a0000 tegn."),  # nb: a no-break space
])
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_changed(site, changes, message):
    client = site.as_("komp")
    response = client.post("/tiltaksplan/A2", data=form(client, **changes))
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert storage.read_plan(site.app.state.db).measures[0].activities[1].version == 1


def test_an_unknown_item_is_404_and_not_signed_in_gets_no_plan(site):
    assert site.as_("asu").get("/tiltaksplan/X9").status_code == 404
    assert site.as_("asu").get("/tiltaksplan/X9.json").status_code == 404
    anonymous = TestClient(site.app, base_url=HTTPS, follow_redirects=False)
    assert anonymous.get("/tiltaksplan").status_code in (303, 401)
    assert anonymous.get("/tiltaksplan.json").status_code in (303, 401)


def test_the_pages_speak_english(site):
    html = site.as_("asu").get("/tiltaksplan?lang=en").text
    assert "Action plan" in html and "! yellow" in html and "⚠ late" in html
    site.as_("asu").cookies.delete("lang")
