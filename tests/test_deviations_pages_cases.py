"""The deviations' list (/avvik, .json), a deviation's page (/avvik/{id}, .json) and its
workflow buttons (POST /avvik/{id}/status), through the real app on DuckDB and
PostgreSQL: filters, paging, who sees what (404 alike for another's and a missing one),
which buttons each side gets, every refusal, a stale version (409) that keeps the
typed text, the audit log, and the answer mailed to the reporter (a real SMTP server).
Dates, deadlines and counts are worked out by hand in the comments."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from flyt.accounts import User, audit, users
from flyt.deviations import handling, listing, records
from flyt.deviations.errors import TransitionRefused
from flyt.deviations.records import NewDeviation
from flyt.domain import clock
from flyt.store import schema
from flyt.store.db import Database
from flyt.web.app import create_app
from tests.conftest import _reset_postgres
from tests.support.config import configure
from tests.support.mail import smtp_server

PASSWORD = "correct horse battery"
# name: (role, municipality, organisation); organisations: 5001 Trondheim, 5031 Malvik,
# stolav the hospital, fastlege-5001 Trondheim's GPs; fg and asu act for none.
PEOPLE = {
    "trd": ("municipality", "5001", None),
    "ola": ("analyst", None, None),
    "lege": ("gp", None, "fastlege-5001"),
    "fg": ("improvement", None, None),
    "asu": ("reader", None, None),
    "malvik": ("municipality", "5031", None),
}
TODAY = datetime(2024, 4, 5, 10, 0)  # a Friday after Easter 2024
PATIENT_REF = "pas-117"


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch):
    """The one clock, settable: now(moment) from then on; TODAY to begin with."""
    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)
    set_to(TODAY)
    return set_to


_worlds: dict[int, World] = {}


@dataclass
class World:
    app: FastAPI
    clients: dict[str, TestClient] = field(default_factory=dict)


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          _duckdb_template: Path) -> Iterator[World]:
    """The people (each with a password) and the app, once per module and engine: an
    Argon2 hash and a sign-in take about a second each on a busy machine."""
    with pytest.MonkeyPatch.context() as env:
        folder = tmp_path_factory.mktemp("cases")
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
        for name, (role, municipality, organisation) in PEOPLE.items():
            users.add(db, name, role, municipality, password=PASSWORD,
                      organisation=organisation)
        db.close()
        application = create_app(url)
        _worlds[id(application)] = World(application)
        yield _worlds[id(application)]
        del _worlds[id(application)]
        application.state.db.close()


@pytest.fixture
def app(world: World, now) -> FastAPI:  # type: ignore[no-untyped-def]
    """The module's app with no deviations and no mail sent yet."""
    with world.app.state.db.engine.begin() as conn:
        for table in ("deviation_events", "deviation_receivers", "deviations",
                      "report_sends"):
            conn.execute(sa.delete(schema.metadata.tables[table]))
    return world.app


def token(client: TestClient) -> str:
    """The session's CSRF token, from the sign-in page (it reads no deviation, so the
    audit log stays as the test left it)."""
    return client.get("/login").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def signed_in(app: FastAPI, name: str, *, fresh: bool = False) -> TestClient:
    """A client signed in as `name` through the real form; one per name and module
    unless `fresh` (a second session: a colleague at another desk)."""
    clients = _worlds[id(app)].clients
    if name in clients and not fresh:
        client = clients[name]
        client.cookies.delete("lang")
        return client
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    response = client.post("/login", data={"name": name, "password": PASSWORD,
                                           "csrf_token": token(client)})
    assert response.status_code == 303, f"{name} could not sign in"
    if not fresh:
        clients[name] = client
    return client


def uid(db: Database, name: str) -> int:
    record = users.get(db, name)
    assert record is not None
    return record.id


def make(db: Database, now, at: datetime, reporter: str = "5001",
         receivers: tuple[str, ...] = ("stolav",), *, by: str | None = "trd",
         severity: str = "mindre_skade", category: str = "utskrivning",
         summary: str = "Utskrevet uten epikrise", occurred: date | datetime | None = None,
         anonymous: bool = False, **extra: str) -> str:
    now(at)
    item = records.create(db, NewDeviation(
        reporter_org=reporter, receiver_orgs=list(receivers),
        occurred_at=occurred or at.date(), category=category, severity=severity,
        level="pasient", summary=summary, anonymous=anonymous, **extra),
        user_id=uid(db, by) if by else None)
    now(TODAY)
    return item.id


def step(client: TestClient, deviation_id: str, to: str, version: int, **texts: str):  # type: ignore[no-untyped-def]
    form = {"to": to, "version": str(version), "csrf_token": token(client),
            **texts}
    return client.post(f"/avvik/{deviation_id}/status", data=form)


def listed(client: TestClient, **query: str) -> list[str]:
    response = client.get("/avvik.json", params=query)
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["rows"]]


def buttons(client: TestClient, deviation_id: str) -> list[str]:
    page = client.get(f"/avvik/{deviation_id}").text
    return re.findall(r'<input type="hidden" name="to" value="(\w+)">', page)


# --- the list ---------------------------------------------------------------------------


@pytest.fixture
def five(app: FastAPI, now) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Five deviations, reported 25.–29.03.2024 (one a day), newest first in the list."""
    db = app.state.db
    return {
        # Still meldt on 05.04: its acknowledgement was due 04.04 (26, 27.03, 02, 03,
        # 04.04: Easter's 28.03, 29.03 and 01.04 are holidays) — overdue.
        "late": make(db, now, datetime(2024, 3, 25, 9), occurred=date(2024, 3, 20)),
        "medicine": make(db, now, datetime(2024, 3, 26, 9), severity="moderat_skade",
                         category="legemidler", summary="Legemiddelliste 50% feil",
                         occurred=datetime(2024, 3, 24, 14, 30)),
        "malvik": make(db, now, datetime(2024, 3, 27, 9), "stolav", ("5031",), by="ola",
                       category="transport", summary="Transport ikke bestilt",
                       occurred=date(2024, 2, 29)),
        "gp": make(db, now, datetime(2024, 3, 28, 9), "fastlege-5001", ("stolav",),
                   by="lege", severity="dod", category="informasjon",
                   summary="Manglende informasjon om allergi", occurred=date(2024, 3, 1)),
        "mine": make(db, now, datetime(2024, 3, 29, 9), "5001", ("stolav", "fastlege-5001"),
                     severity="betydelig_skade", category="meldinger",
                     summary="PLO-melding kom aldri", place="Øya helsehus",
                     occurred=date(2024, 3, 28)),
    }


def test_the_list_filters_each_way_and_the_json_twin_equals_handling_search(app, five):
    ola = signed_in(app, "ola")
    # The hospital is reporter or receiver of all five; newest reported first.
    everything = [five[k] for k in ("mine", "gp", "malvik", "medicine", "late")]
    assert listed(ola) == everything
    assert listed(ola, category="legemidler") == [five["medicine"]]
    assert listed(ola, severity="dod") == [five["gp"]]
    assert listed(ola, severity="Betydelig skade") == [five["mine"]]
    assert listed(ola, organisation="5031") == [five["malvik"]]
    assert listed(ola, organisation="fastlege-5001") == [five["mine"], five["gp"]]
    assert listed(ola, status="meldt") == everything
    assert listed(ola, status="mottatt") == []
    # Overdue on 05.04: "late" (acknowledgement due 04.04), and none of the others: their
    # acknowledgements are due 05.04 (26.03) or later, their answers 25.04 or later.
    assert listed(ola, overdue="1") == [five["late"]]
    # Occurred: 20.03, 24.03, 29.02, 01.03, 28.03; both ends inclusive, either spelling.
    assert listed(ola, **{"from": "01.03.2024", "to": "24.03.2024"}) == [
        five["gp"], five["medicine"], five["late"]]
    assert listed(ola, **{"from": "01.03.2024", "to": "19.03.2024"}) == [five["gp"]]
    assert listed(ola, **{"from": "2024-03-24"}) == [five["mine"], five["medicine"]]
    assert listed(ola, to="29.02.2024") == [five["malvik"]]
    # Free text: the summary, the place, an id; "%" is a character, not a wildcard.
    assert listed(ola, text="plo-MELDING") == [five["mine"]]
    assert listed(ola, text="øya") == [five["mine"]]
    assert listed(ola, text="50%") == [five["medicine"]]
    assert listed(ola, text="%") == [five["medicine"]]
    assert listed(ola, text=five["gp"]) == [five["gp"]]
    # Trondheim sees what it reported or received: three of the five.
    assert listed(signed_in(app, "trd")) == [five["mine"], five["medicine"], five["late"]]
    # The twin's numbers are handling.search's.
    body = ola.get("/avvik.json", params={"severity": "moderat_skade"}).json()
    page = handling.search(app.state.db, User("ola", "analyst"),
                           listing.Filters(severity="moderat_skade"), on=TODAY.date())
    assert (body["total"], body["offset"], body["limit"]) == (page.total, 0, 50) == (1, 0, 50)
    row = body["rows"][0]
    assert row == {
        "id": five["medicine"], "reported_at": "2024-03-26T09:00",
        "occurred_at": "2024-03-24T14:30", "reporter_org": "5001",
        "receiver_orgs": ["stolav"], "category": "legemidler", "severity": "moderat_skade",
        "level": "pasient", "status": "meldt", "summary": "Legemiddelliste 50% feil",
        "version": 1, "overdue": [], "notifiable": False}


def test_the_list_page_shows_words_names_flags_and_marks(app, five):
    page = signed_in(app, "ola").get("/avvik").text
    row = page.split(f'<a href="/avvik/{five["late"]}">', 1)[1].split("</tr>", 1)[0]
    assert "25.03.2024" in row and "20.03.2024" in row
    assert "Trondheim kommune → St. Olavs hospital HF" in row
    assert "Utskrivning" in row and "Mindre skade" in row and "Meldt" in row
    assert "Kvittering forsinket" in row  # a word, not only a colour
    gp = page.split(f'<a href="/avvik/{five["gp"]}">', 1)[1].split("</tr>", 1)[0]
    assert "Død" in gp and "Mulig meldeplikt" in gp and "I rute" in gp
    english = signed_in(app, "ola").get("/avvik?lang=en").text
    assert "Acknowledgement overdue" in english and "Possibly notifiable" in english


@pytest.mark.parametrize(("query", "message"), [
    ({"from": "31.02.2024"}, "Ugyldig dato «31.02.2024» i «from»"),
    ({"to": "i går"}, "Ugyldig dato «i går» i «to»"),
    ({"from": "10.03.2024", "to": "01.03.2024"}, "Fra-datoen 10.03.2024 er etter til-datoen"),
    ({"category": "ukjent"}, "Ukjent kategori «ukjent»"),
    ({"severity": "litt"}, "Ukjent alvorlighetsgrad «litt»"),
    ({"status": "ferdig"}, "Ukjent status «ferdig»"),
    ({"organisation": "9999"}, "Ukjent organisasjon «9999»"),
    ({"text": "x" * 201}, "text er for lang (201 tegn; høyst 200)"),
    ({"offset": "-1"}, "Ugyldig verdi «-1» for «offset»"),
    ({"limit": "501"}, "Ugyldig verdi «501» for «limit»"),
])
def test_a_bad_filter_value_is_a_clear_message_not_a_500(app, query, message):
    ola = signed_in(app, "ola")
    page = ola.get("/avvik", params=query)
    assert page.status_code == 422 and message in page.text
    assert "Traceback" not in page.text
    twin = ola.get("/avvik.json", params=query)
    assert twin.status_code == 422 and message in twin.json()["error"]


def test_the_list_pages_fifty_at_a_time_with_links(app, now):
    db = app.state.db
    made = [make(db, now, datetime(2024, 3, 1 + i // 10, 8, i % 10)) for i in range(55)]
    trd = signed_in(app, "trd")
    first = trd.get("/avvik.json").json()
    # Newest first: the last made is the first shown.
    assert (first["total"], len(first["rows"])) == (55, 50)
    assert [r["id"] for r in first["rows"]] == made[::-1][:50]
    page = trd.get("/avvik").text
    assert "Viser 1–50 av 55 avvik." in page
    assert 'href="/avvik?offset=50&amp;limit=50" rel="next"' in page
    assert 'rel="prev"' not in page
    second = trd.get("/avvik.json", params={"offset": "50"}).json()
    assert [r["id"] for r in second["rows"]] == made[::-1][50:]
    page = trd.get("/avvik", params={"offset": "50"}).text
    assert "Viser 51–55 av 55 avvik." in page and 'rel="next"' not in page
    assert 'href="/avvik?offset=0&amp;limit=50" rel="prev"' in page
    # The filters ride along in the links.
    page = trd.get("/avvik", params={"category": "utskrivning"}).text
    assert 'href="/avvik?category=utskrivning&amp;offset=50&amp;limit=50"' in page


def test_a_user_without_an_organisation_sees_an_empty_list_with_a_sentence(app, five):
    asu = signed_in(app, "asu")
    body = asu.get("/avvik.json").json()
    assert (body["total"], body["rows"], body["sees_any"]) == (0, [], False)
    page = asu.get("/avvik").text
    assert "handler ikke for noen organisasjon" in page
    assert 'href="/avvik/ny"' not in page and 'href="/avvik/veileder"' in page
    # Those with an organisation may report; the improvement group sees all, reports none.
    assert 'href="/avvik/ny"' in signed_in(app, "trd").get("/avvik").text
    fg = signed_in(app, "fg")
    assert len(listed(fg)) == 5
    assert 'href="/avvik/ny"' not in fg.get("/avvik").text


# --- a deviation's page -----------------------------------------------------------------


def test_the_page_shows_every_field_the_deadlines_and_the_history(app, now):
    db = app.state.db
    made = make(db, now, datetime(2024, 3, 25, 9, 0), severity="moderat_skade",
                category="legemidler", summary="Legemiddelliste manglet",
                occurred=datetime(2024, 3, 24, 14, 30), subcategory="legemiddelliste",
                patient_ref=PATIENT_REF, place="Øya helsehus",
                description="Pasienten kom hjem uten liste.",
                immediate_action="Ringte avdelingen.")
    trd = signed_in(app, "trd")
    body = trd.get(f"/avvik/{made}.json").json()
    assert {k: body[k] for k in ("id", "status", "version", "reporter_org", "receiver_orgs",
                                 "occurred_at", "reported_at", "reported_by", "category",
                                 "subcategory", "severity", "level", "patient_ref", "place",
                                 "description", "immediate_action", "anonymous",
                                 "notifiable", "side", "next")} == {
        "id": made, "status": "meldt", "version": 1, "reporter_org": "5001",
        "receiver_orgs": ["stolav"], "occurred_at": "2024-03-24T14:30",
        "reported_at": "2024-03-25T09:00", "reported_by": "trd", "category": "legemidler",
        "subcategory": "legemiddelliste", "severity": "moderat_skade", "level": "pasient",
        "patient_ref": PATIENT_REF, "place": "Øya helsehus",
        "description": "Pasienten kom hjem uten liste.",
        "immediate_action": "Ringte avdelingen.", "anonymous": False,
        "notifiable": False, "side": "reporter", "next": []}
    # Acknowledge by the 5th working day after 25.03 (Easter aside): 04.04, so overdue on
    # 05.04; the answer (moderat_skade) by 25.03 + 30 days = 24.04; no close day yet.
    assert body["deadlines"] == {
        "acknowledge_due": "2024-04-04", "acknowledged": False, "answer_due": "2024-04-24",
        "answer_required": True, "answered": False, "close_due": None,
        "overdue": ["acknowledge"]}
    assert body["history"] == [{
        "version": 1, "at": "2024-03-25T09:00", "who": {"kind": "user", "name": "trd"},
        "organisation": "5001", "from": None, "to": "meldt", "comment": None,
        "answer": None, "reason": None}]
    page = trd.get(f"/avvik/{made}").text
    for shown in ("Legemiddelliste manglet", "24.03.2024 14:30", "25.03.2024 09:00",
                  "Legemidler", "legemiddelliste", "Moderat skade", "Pasientnivå",
                  PATIENT_REF, "Øya helsehus", "Pasienten kom hjem uten liste.",
                  "Ringte avdelingen.", "04.04.2024", "24.04.2024", "forsinket",
                  "St. Olavs hospital", "Trondheim"):
        assert shown in page, shown
    assert "hendelsesanalyse" not in page  # not notifiable


def test_significant_harm_and_death_get_the_notification_box_and_the_analysis_link(app, now):
    db = app.state.db
    for severity in ("betydelig_skade", "dod"):
        made = make(db, now, datetime(2024, 3, 25, 9), severity=severity)
        page = signed_in(app, "ola").get(f"/avvik/{made}").text
        assert "Statens helsetilsyn" in page and "IS-0583" in page
        assert f'href="/avvik/{made}/hendelsesanalyse"' in page


def test_the_page_offers_attachments_and_a_learning_point_to_its_own_organisations(app, now):
    made = make(app.state.db, now, datetime(2024, 3, 25, 9))
    for name in ("ola", "trd"):  # receiver and reporter
        client = signed_in(app, name)
        page = client.get(f"/avvik/{made}").text
        assert f'action="/avvik/{made}/vedlegg"' in page
        assert f'href="/avvik/laering/ny?avvik={made}"' in page
        part = client.get(f"/avvik/{made}.json").json()["attachments"]
        assert (part["deviation_id"], part["files"], part["hidden"], part["may_add"]) == (
            made, [], False, True)
    fg = signed_in(app, "fg")  # the improvement group: no attachments, no upload
    page = fg.get(f"/avvik/{made}").text
    assert "/vedlegg" not in page and "laering/ny" not in page
    assert fg.get(f"/avvik/{made}.json").json()["attachments"]["hidden"] is True


def test_another_organisations_deviation_is_the_same_404_as_a_missing_one(app, now):
    made = make(app.state.db, now, datetime(2024, 3, 25, 9))
    malvik = signed_in(app, "malvik")
    hidden = malvik.get(f"/avvik/{made}")
    missing = malvik.get("/avvik/AV-2024-99999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace(made, "ID") == missing.text.replace("AV-2024-99999", "ID")
    for client in (malvik, signed_in(app, "asu")):
        assert client.get(f"/avvik/{made}.json").status_code == 404
        refused = step(client, made, "mottatt", 1)
        assert refused.status_code == 404
    assert records.get(app.state.db, made).version == 1


def test_the_improvement_group_sees_no_patient_ref_and_no_reporter_person(app, now):
    db = app.state.db
    made = make(db, now, datetime(2024, 3, 25, 9), patient_ref=PATIENT_REF)
    ola = signed_in(app, "ola")
    step(ola, made, "mottatt", 1)
    fg = signed_in(app, "fg")
    body = fg.get(f"/avvik/{made}.json").json()
    assert body["patient_ref"] is None and body["reported_by"] is None
    assert [e["who"] for e in body["history"]] == [
        {"kind": "hidden", "name": None}, {"kind": "user", "name": "ola"}]
    assert (body["side"], body["next"]) == (None, [])
    page = fg.get(f"/avvik/{made}").text
    assert PATIENT_REF not in page and ">trd<" not in page and "trd" not in page


def test_an_anonymous_report_hides_the_reporter_person_from_the_receiver(app, now):
    db = app.state.db
    made = make(db, now, datetime(2024, 3, 25, 9), anonymous=True, patient_ref=PATIENT_REF)
    ola = signed_in(app, "ola")
    body = ola.get(f"/avvik/{made}.json").json()
    assert body["reported_by"] is None
    assert body["history"][0]["who"] == {"kind": "anonymous", "name": None}
    assert body["patient_ref"] == PATIENT_REF  # the receiver handles the patient
    page = ola.get(f"/avvik/{made}").text
    assert "anonym" in page and "trd" not in page
    # The reporter's own organisation still sees who it was.
    assert signed_in(app, "trd").get(f"/avvik/{made}.json").json()["reported_by"] == "trd"


# --- the buttons ------------------------------------------------------------------------


def test_every_button_is_shown_only_to_the_side_that_may_take_it(app, now):
    made = make(app.state.db, now, datetime(2024, 3, 25, 9))
    ola, trd = signed_in(app, "ola"), signed_in(app, "trd")
    fg = signed_in(app, "fg")
    expected = [  # status: (receiver's buttons, reporter's buttons)
        ("meldt", ["mottatt", "avvist"], []),
        ("mottatt", ["under_behandling", "avvist"], []),
        ("under_behandling", ["besvart", "avvist"], []),
        ("besvart", [], ["lukket", "gjenapnet"]),
        ("lukket", [], ["gjenapnet"]),
        ("gjenapnet", ["under_behandling"], []),
    ]
    moves = {"mottatt": (ola, {}), "under_behandling": (ola, {}),
             "besvart": (ola, {"answer": "Rutinen er endret."}), "lukket": (trd, {}),
             "gjenapnet": (trd, {})}
    for version, (status, receiver, reporter) in enumerate(expected, start=1):
        assert records.get(app.state.db, made).status == status
        assert buttons(ola, made) == receiver, status
        assert buttons(trd, made) == reporter, status
        assert buttons(fg, made) == [], status
        if version < len(expected):
            to = expected[version][0]
            client, texts = moves[to]
            assert step(client, made, to, version, **texts).status_code == 303


def test_a_step_redirects_back_and_is_in_the_history_with_its_texts(app, now):
    made = make(app.state.db, now, datetime(2024, 3, 25, 9))
    ola = signed_in(app, "ola")
    now(datetime(2024, 3, 26, 13, 5))
    done = step(ola, made, "mottatt", 1, comment="Sett på saken")
    assert done.status_code == 303 and done.headers["location"] == f"/avvik/{made}"
    history = ola.get(f"/avvik/{made}.json").json()["history"]
    assert history[1] == {"version": 2, "at": "2024-03-26T13:05",
                          "who": {"kind": "user", "name": "ola"}, "organisation": "stolav",
                          "from": "meldt", "to": "mottatt", "comment": "Sett på saken",
                          "answer": None, "reason": None}
    page = ola.get(f"/avvik/{made}").text
    assert "26.03.2024 13:05" in page and "Kommentar: Sett på saken" in page


@pytest.mark.parametrize(("who", "to", "texts", "message"), [
    ("ola", "avvist", {}, "Et avvik kan bare avvises med en begrunnelse."),
    ("ola", "avvist", {"reason": "   "}, "Et avvik kan bare avvises med en begrunnelse."),
    ("ola", "besvart", {"answer": "Svar"}, "kan ikke få status «besvart»"),
    ("trd", "mottatt", {}, "Bare mottakeren kan endre status fra «meldt» til «mottatt»."),
    ("ola", "ferdig", {}, "Ukjent status «ferdig»"),
    ("ola", "mottatt", {"comment": "k" * 10_001}, "comment er for lang (10001 tegn"),
])
def test_each_refusal_is_shown_on_the_page_with_422_and_nothing_changes(
        app, now, who, to, texts, message):
    made = make(app.state.db, now, datetime(2024, 3, 25, 9))
    refused = step(signed_in(app, who), made, to, 1, **texts)
    assert refused.status_code == 422
    assert message in refused.text and "Traceback" not in refused.text
    assert records.get(app.state.db, made).version == 1


def test_answering_without_an_answer_keeps_the_comment_typed(app, now):
    made = make(app.state.db, now, datetime(2024, 3, 25, 9))
    ola = signed_in(app, "ola")
    step(ola, made, "mottatt", 1)
    step(ola, made, "under_behandling", 2)
    refused = step(ola, made, "besvart", 3, comment="Må sjekke med avdelingen")
    assert refused.status_code == 422
    assert "Et avvik kan bare besvares med et skriftlig svar." in refused.text
    assert ">Må sjekke med avdelingen</textarea>" in refused.text


def test_a_form_without_a_version_is_refused_with_a_sentence(app, now):
    made = make(app.state.db, now, datetime(2024, 3, 25, 9))
    ola = signed_in(app, "ola")
    refused = ola.post(f"/avvik/{made}/status", data={
        "to": "mottatt", "version": "", "csrf_token": token(ola)})
    assert refused.status_code == 422 and "mangler versjonen" in refused.text


def test_a_stale_version_shows_the_current_deviation_and_keeps_the_typed_text(app, now):
    made = make(app.state.db, now, datetime(2024, 3, 25, 9))
    ola, colleague = signed_in(app, "ola"), signed_in(app, "ola", fresh=True)
    step(ola, made, "mottatt", 1)
    step(ola, made, "under_behandling", 2)
    # The colleague rejects it while ola writes the answer on the page of version 3.
    assert step(colleague, made, "avvist", 3, reason="Gjelder ikke oss").status_code == 303
    answer = "Vi har endret rutinen for legemiddellister.\nHilsen avdelingen"
    stale = step(ola, made, "besvart", 3, answer=answer, comment="Se svaret")
    assert stale.status_code == 409
    assert "Noen andre endret avviket i mellomtiden" in stale.text
    assert "teksten din er tatt vare på" in stale.text
    # The current version is shown (avvist, version 4) with the text kept.
    assert "<strong>Avvist</strong> (versjon 4)" in stale.text
    assert answer in stale.text and "Se svaret" in stale.text
    assert records.get(app.state.db, made).status == "avvist"
    # When the step can still be taken, the text is back in its own form, at the new
    # version: ola's reopen-comment after the colleague closed an answered one.


def test_a_stale_step_that_can_still_be_taken_puts_the_text_back_in_its_form(app, now):
    made = make(app.state.db, now, datetime(2024, 3, 25, 9))
    ola, colleague = signed_in(app, "ola"), signed_in(app, "ola", fresh=True)
    step(ola, made, "mottatt", 1)
    step(colleague, made, "under_behandling", 2, comment="Tar den")
    stale = step(ola, made, "avvist", 2, reason="Ikke vårt ansvar", comment="Se avtalen")
    assert stale.status_code == 409
    form = stale.text.split('name="to" value="avvist">', 1)[1].split("</form>", 1)[0]
    assert 'name="version" value="3"' in form
    assert ">Ikke vårt ansvar</textarea>" in form and ">Se avtalen</textarea>" in form


def test_reads_lists_and_changes_are_in_the_audit_log(app, now):
    made = make(app.state.db, now, datetime(2024, 3, 25, 9))
    ola, malvik = signed_in(app, "ola"), signed_in(app, "malvik")
    before = len(audit.entries(app.state.db, audit.Filters(action="deviation"), limit=None))
    ola.get("/avvik", params={"text": "Kari Nordmann"})
    ola.get(f"/avvik/{made}")
    ola.get(f"/avvik/{made}.json")
    step(ola, made, "mottatt", 1)
    malvik.get(f"/avvik/{made}")
    entries = [(e.user_name, e.action, e.target, e.detail) for e in reversed(
        audit.entries(app.state.db, audit.Filters(action="deviation"), limit=None))][before:]
    assert entries == [
        ("ola", "deviation.list", "0 hits", "text=…"),
        ("ola", "deviation.read", made, ""),
        ("ola", "deviation.read", made, ""),
        ("ola", "deviation.status", made, "meldt->mottatt v2"),
        ("malvik", "deviation.read.refused", made, ""),
    ]


# --- the answer mailed to the reporter --------------------------------------------------


def answered(app: FastAPI, now, made: str) -> TestClient:
    ola = signed_in(app, "ola")
    step(ola, made, "mottatt", 1)
    step(ola, made, "under_behandling", 2)
    done = step(ola, made, "besvart", 3, answer="Rutinen for legemiddellister er endret.")
    assert done.status_code == 303
    return ola


def sends(db: Database) -> list[tuple[str, str, str, str]]:
    s = schema.report_sends.c
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            sa.select(s.kind, s.period, s.status, s.recipients).order_by(s.id))]


def test_the_answer_is_mailed_to_the_reporters_contact(app, now, tmp_path, monkeypatch):
    made = make(app.state.db, now, datetime(2024, 3, 25, 9), patient_ref=PATIENT_REF,
                description="Hemmelig beskrivelse")
    with smtp_server() as (inbox, port):
        configure(tmp_path, monkeypatch, f"""
[mail]
host = "127.0.0.1"
port = {port}
starttls = false
sender = "flyt@example.no"
timeout = 5
[deviations.contacts]
5001 = ["avvik@trondheim.kommune.no"]
stolav = ["avvik@stolav.no"]
""")
        ola = answered(app, now, made)
        messages: list[EmailMessage] = inbox.messages()
    assert [m["To"] for m in messages] == ["avvik@trondheim.kommune.no"]
    body = str(messages[0].get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]
    assert messages[0]["Subject"] == f"Svar på avvik {made}"
    assert "Rutinen for legemiddellister er endret." in body
    assert f"https://testserver/avvik/{made}" in body and "25.03.2024" in body
    assert PATIENT_REF not in body and "Hemmelig" not in body and "trd" not in body
    assert sends(app.state.db) == [("deviation-answer", f"{made} v4", "sent",
                                    "avvik@trondheim.kommune.no")]
    page = ola.get(f"/avvik/{made}").text
    assert "Svaret ble sendt på e-post til melderen (avvik@trondheim.kommune.no)." in page
    # The reporter reads the answer first thing on the page; it is not told of the mail.
    body = signed_in(app, "trd").get(f"/avvik/{made}.json").json()
    assert body["answer"] == "Rutinen for legemiddellister er endret."
    page = signed_in(app, "trd").get(f"/avvik/{made}").text
    assert ('<dd class="devcase-text devcase-answer">Rutinen for legemiddellister er endret.'
            in page) and "Svaret ble sendt" not in page


def test_a_failing_mail_server_neither_undoes_nor_fails_the_answer(app, now, tmp_path,
                                                                    monkeypatch):
    made = make(app.state.db, now, datetime(2024, 3, 25, 9))
    with smtp_server() as (_, port):
        pass  # started and stopped: nothing listens on the port now
    configure(tmp_path, monkeypatch, f"""
[mail]
host = "127.0.0.1"
port = {port}
starttls = false
sender = "flyt@example.no"
timeout = 2
[deviations.contacts]
5001 = ["avvik@trondheim.kommune.no"]
""")
    ola = answered(app, now, made)
    assert records.get(app.state.db, made).status == "besvart"
    [(kind, period, status, recipients)] = sends(app.state.db)
    assert (kind, period, status) == ("deviation-answer", f"{made} v4", "failed")
    page = ola.get(f"/avvik/{made}").text
    assert "Svaret er lagret, men e-posten til melderen kunne ikke sendes" in page


def test_an_answer_without_an_address_is_noted_not_refused(app, now):
    made = make(app.state.db, now, datetime(2024, 3, 25, 9))
    ola = answered(app, now, made)  # no configuration: no [deviations.contacts]
    assert records.get(app.state.db, made).status == "besvart"
    [(_, _, status, _)] = sends(app.state.db)
    assert status == "failed"
    assert "no address for organisation 5001" in ola.get(f"/avvik/{made}").text


# --- who may do what: organisation × role × action --------------------------------------

# A deviation from Trondheim (5001) to the hospital. Acknowledge, answer: the receiver
# (the hospital's analyst); close, reopen: the reporter (Trondheim); read: both, and the
# improvement group; the GPs of Trondheim and a reader without organisation: nothing (404).
ACTIONS = {  # action: (status it needs first, the step, its texts)
    "acknowledge": ("meldt", "mottatt", {}),
    "answer": ("under_behandling", "besvart", {"answer": "Svar"}),
    "close": ("besvart", "lukket", {}),
    "reopen": ("besvart", "gjenapnet", {"comment": "Uenig"}),
}
MAY = {
    ("trd", "read"): 200, ("ola", "read"): 200, ("fg", "read"): 200, ("lege", "read"): 404,
    ("asu", "read"): 404,
    ("ola", "acknowledge"): 303, ("ola", "answer"): 303,
    ("trd", "close"): 303, ("trd", "reopen"): 303,
}


def brought_to(db: Database, made: str, status: str) -> int:
    path = ["meldt", "mottatt", "under_behandling", "besvart"]
    for version, to in enumerate(path[1:path.index(status) + 1], start=1):
        records.transition(db, made, to, version=version, user_id=None,
                           organisation="stolav",
                           answer="Svar" if to == "besvart" else None)
    return path.index(status) + 1


@pytest.mark.parametrize("who", ["trd", "ola", "lege", "fg", "asu"])
@pytest.mark.parametrize("action", ["read", "acknowledge", "answer", "close", "reopen"])
def test_organisation_role_action_matrix(app, now, who, action):
    db = app.state.db
    made = make(db, now, datetime(2024, 3, 25, 9))
    client = signed_in(app, who)
    expected = MAY.get((who, action))
    if action == "read":
        assert client.get(f"/avvik/{made}").status_code == expected
        assert client.get(f"/avvik/{made}.json").status_code == expected
        return
    status, to, texts = ACTIONS[action]
    version = brought_to(db, made, status)
    response = step(client, made, to, version, **texts)
    # Not allowed to see it: 404 (existence not revealed); a party on the wrong side,
    # or the improvement group, which sees every deviation but acts on none: 422.
    sees = MAY.get((who, "read")) == 200
    assert response.status_code == (expected or (422 if sees else 404))
    after = records.get(db, made)
    assert (after.status, after.version) == ((to, version + 1) if expected == 303
                                             else (status, version))


def test_the_improvement_group_reads_every_deviation_but_moves_none(app, now):
    db = app.state.db
    made = make(db, now, datetime(2024, 3, 25, 9))
    version = brought_to(db, made, "besvart")
    # Without the check a user of no organisation was taken for the system, which may
    # close an answered deviation.
    with pytest.raises(TransitionRefused) as refused:
        handling.change(db, User("fg", "improvement"), made, "lukket", version=version)
    assert refused.value.key == "devcase_not_a_party"
    page = step(signed_in(app, "fg"), made, "lukket", version)
    assert page.status_code == 422
    assert (f"Du kan lese avvik {made}, men bare melderen og mottakerne kan endre status."
            in page.text)
    assert (records.get(db, made).status, records.get(db, made).version) == ("besvart", 4)
