"""/avvik/ny (the report form) and /avvik/veileder (the guide): every field stored as
given, a bad field re-shown with the others kept, the warning round for a national id or
a name, CSRF, the user's own organisation only, 403 for users without one, English,
and the guide's categories and severities with their examples. Both engines."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from flyt.accounts import User, users
from flyt.deviations import guide, records
from flyt.store import schema
from flyt.store.db import Database
from flyt.web.app import create_app
from tests.support.web import PASSWORD

CAST = (User("trd", "municipality", "5001"), User("ola", "analyst"),
        User("lege", "gp", organisation="fastlege-5001"), User("fg", "improvement"),
        User("asu", "reader"))
# A synthetic national id: month + 80 (never a real one), written with a space.
SYNTHETIC_ID = "010185 12345"


@pytest.fixture
def app(db_url: str) -> Iterator[FastAPI]:
    db = Database.open(db_url)
    for user in CAST:
        users.add(db, user.name, user.role, user.municipality, password=PASSWORD,
                  organisation=user.organisation if user.role == "gp" else None)
    db.close()
    app = create_app(db_url)
    yield app
    app.state.db.close()


def signed_in(app: FastAPI, name: str) -> TestClient:
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    response = client.post("/login", data={"name": name, "password": PASSWORD,
                                           "csrf_token": token(client, "/login")})
    assert response.status_code == 303
    return client


def token(client: TestClient, path: str = "/avvik/veileder") -> str:
    return client.get(path).text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def complete(**changes: object) -> dict[str, object]:
    """A whole form as a municipality case officer fills it in."""
    form: dict[str, object] = {
        "receiver_org": ["stolav", "fastlege-5001"], "occurred_date": "2024-11-20",
        "occurred_time": "14:30", "category": "utskrivning", "subcategory": "epikrise",
        "severity": "moderat_skade", "level": "system",
        "agreement_clause": "tjenesteavtale 3 §4.2", "patient_ref": "SAK-2024-118",
        "place": "Øya helsehus", "summary": "Utskrevet uten legemiddelliste",
        "description": "Pasienten kom kl. 21 uten legemiddelliste og uten epikrise.",
        "immediate_action": "Ringte vakthavende lege og fikk listen på faks.",
        "anonymous": "1"}
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def send(client: TestClient, form: dict[str, object], *, csrf: bool = True):  # type: ignore[no-untyped-def]
    data = {**form, **({"csrf_token": token(client)} if csrf else {})}
    return client.post("/avvik/ny", data=data)


def stored(app: FastAPI) -> list[str]:
    with app.state.db.engine.connect() as conn:
        return list(conn.execute(sa.select(schema.deviations.c.id)).scalars())


def shown(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", page))


def test_every_field_is_stored_as_given(app: FastAPI) -> None:
    trd = signed_in(app, "trd")
    response = send(trd, complete())
    assert response.status_code == 303
    deviation_id = response.headers["location"].removeprefix("/avvik/")
    assert re.fullmatch(r"AV-\d{4}-00001", deviation_id)
    item = records.get(app.state.db, deviation_id)
    assert item.reporter_org == "5001"
    assert item.receiver_orgs == ("fastlege-5001", "stolav")
    assert (item.occurred_at, item.occurred_has_time) == (datetime(2024, 11, 20, 14, 30), True)
    assert (item.category, item.subcategory, item.severity, item.level) == (
        "utskrivning", "epikrise", "moderat_skade", "system")
    assert item.agreement_clause == "tjenesteavtale 3 §4.2"
    assert item.patient_ref == "SAK-2024-118"
    assert item.place == "Øya helsehus"
    assert item.summary == "Utskrevet uten legemiddelliste"
    assert item.description == "Pasienten kom kl. 21 uten legemiddelliste og uten epikrise."
    assert item.immediate_action == "Ringte vakthavende lege og fikk listen på faks."
    assert item.anonymous is True
    assert item.status == "meldt"
    assert item.reported_by == users.known(app.state.db, "trd").id


def test_a_date_without_time_in_norwegian_writing_and_no_options_are_stored(
        app: FastAPI) -> None:
    trd = signed_in(app, "trd")
    response = send(trd, complete(occurred_date="03.10.2024", occurred_time="",
                                  level="pasient", agreement_clause="", subcategory="",
                                  patient_ref="", place="", description="",
                                  immediate_action="", anonymous=None,
                                  receiver_org=["stolav"]))
    assert response.status_code == 303
    item = records.get(app.state.db, response.headers["location"].removeprefix("/avvik/"))
    assert (item.occurred_at, item.occurred_has_time) == (datetime(2024, 10, 3), False)
    assert (item.level, item.agreement_clause, item.patient_ref, item.place) == (
        "pasient", None, None, None)
    assert item.receiver_orgs == ("stolav",)
    assert item.anonymous is False


def test_a_bad_field_keeps_the_other_values_and_names_the_field(app: FastAPI) -> None:
    trd = signed_in(app, "trd")
    response = send(trd, complete(agreement_clause="", summary=""))
    assert response.status_code == 422
    page = shown(response.text)
    # The reason at each field, in the summary on top too.
    assert ('<p class="field-error" id="agreement_clause-error">Et avvik på systemnivå må '
            'oppgi punktet i samarbeidsavtalen.</p>') in page
    assert ('<p class="field-error" id="summary-error">Avviket må ha en kort beskrivelse '
            '(sammendrag).</p>') in page
    # Everything else as it was typed.
    assert 'value="stolav" checked' in page and 'value="fastlege-5001" checked' in page
    assert 'name="occurred_date" value="2024-11-20"' in page
    assert 'name="occurred_time" value="14:30"' in page
    assert 'value="utskrivning" aria-describedby="category-utskrivning-hint" checked' in page
    assert 'value="moderat_skade" aria-describedby="severity-moderat_skade-hint" checked' in page
    assert 'value="system" aria-describedby="level-system-hint" checked' in page
    assert 'name="patient_ref" value="SAK-2024-118"' in page
    assert 'name="place" value="Øya helsehus"' in page
    assert ">Pasienten kom kl. 21 uten legemiddelliste og uten epikrise.</textarea>" in page
    assert 'name="anonymous" value="1" aria-describedby="anonymous-hint" checked' in page
    assert stored(app) == []


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"receiver_org": None}, "receiver_org", "Avviket må ha minst én mottaker."),
    ({"occurred_date": ""}, "occurred_date", "Oppgi datoen for hendelsen."),
    ({"occurred_date": "31.02.2024"}, "occurred_date", "Datoen må skrives som dd.mm.åååå."),
    ({"occurred_date": "2999-01-01"}, "occurred_date",
     "Hendelsen kan ikke ha skjedd fram i tid."),
    ({"occurred_time": "25:99"}, "occurred_time",
     "Klokkeslettet må skrives som tt:mm, for eksempel 14:30."),
    ({"category": ""}, "category", "Velg kategori."),
    ({"severity": "katastrofe"}, "severity", "Ukjent alvorlighetsgrad «katastrofe»"),
    ({"patient_ref": "010185 12345"}, "patient_ref",
     "Pasientreferansen ser ut som et fødselsnummer (11 sifre)"),
    ({"summary": "x" * 501}, "summary", "For lang: 501 tegn (høyst 500)."),
    ({"receiver_org": ["5001"]}, "receiver_org", "Melderen «5001» kan ikke også være mottaker."),
    ({"receiver_org": ["0000"]}, "receiver_org", "Ukjent organisasjon «0000»."),
])
def test_each_bad_field_is_named_at_the_field_and_nothing_is_stored(
        app: FastAPI, changes: dict[str, object], field: str, message: str) -> None:
    trd = signed_in(app, "trd")
    response = send(trd, complete(**changes))
    assert response.status_code == 422
    page = shown(response.text)
    assert f'<p class="field-error" id="{field}-error">{message}' in page
    assert "SAK-2024-118" in page or field == "patient_ref"
    assert "010185" not in page  # a refused national id is not shown back
    assert stored(app) == []


@pytest.mark.parametrize(("field", "text", "label"), [
    ("summary", "Kari Hansen fikk ikke legemiddelliste", "Kort beskrivelse"),
    ("description", f"Fnr {SYNTHETIC_ID} sto på følgeskrivet", "Hva skjedde?"),
    ("immediate_action", "Ringte fru Hansen og avtalte nytt besøk", "Hva ble gjort straks?"),
    ("place", "Rom 12, pasient Ola", "Sted"),
])
def test_a_name_or_national_id_warns_and_stores_nothing_until_confirmed(
        app: FastAPI, field: str, text: str, label: str) -> None:
    trd = signed_in(app, "trd")
    form = complete(**{field: text})
    first = send(trd, form)
    assert first.status_code == 200
    page = shown(first.text)
    assert '<div class="send-warning" role="alert" id="warning">' in page
    kind = "et fødselsnummer (11 sifre)" if "Fnr" in text else "et personnavn"
    assert f"{label}: teksten ser ut til å inneholde {kind}." in page
    assert 'name="confirm" value="1"' in page
    assert stored(app) == []
    confirmed = send(trd, {**form, "confirm": "1"})
    assert confirmed.status_code == 303
    item = records.get(app.state.db, confirmed.headers["location"].removeprefix("/avvik/"))
    assert getattr(item, field) == text


def test_place_names_and_plain_text_send_without_a_warning(app: FastAPI) -> None:
    trd = signed_in(app, "trd")
    response = send(trd, complete(place="St. Olavs hospital, Klinikk for medisin",
                                  description="Meldt fra Trondheim kommune til Øya helsehus "
                                              "og fastlegene i Melhus."))
    assert response.status_code == 303
    assert len(stored(app)) == 1


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(app: FastAPI) -> None:
    trd = signed_in(app, "trd")
    response = send(trd, complete(), csrf=False)
    assert response.status_code == 403
    assert stored(app) == []
    assert send(trd, complete()).status_code == 303  # the same form with its token
    assert len(stored(app)) == 1


def test_a_municipality_cannot_report_for_another_organisation(app: FastAPI) -> None:
    trd = signed_in(app, "trd")
    response = send(trd, complete(reporter_org="5028"))
    assert response.status_code == 422
    assert ("Du kan bare melde avvik for din egen organisasjon (5001), ikke 5028."
            in shown(response.text))
    assert stored(app) == []
    page = shown(trd.get("/avvik/ny").text)
    # Shown, not chosen: no field for it, and one's own is no receiver to pick.
    assert 'name="reporter_org"' not in page
    assert "<strong>Meldes fra:</strong> Trondheim kommune" in page
    assert 'value="5001"' not in page


@pytest.mark.parametrize("name", ["fg", "asu"])
def test_users_without_an_organisation_get_403_with_a_sentence(app: FastAPI,
                                                               name: str) -> None:
    client = signed_in(app, name)
    page = client.get("/avvik/ny")
    assert page.status_code == 403
    assert ("Du handler ikke for noen organisasjon og kan derfor ikke melde avvik."
            in shown(page.text))
    posted = send(client, complete())
    assert posted.status_code == 403
    assert stored(app) == []


@pytest.mark.parametrize(("name", "reporter", "own"), [
    ("ola", "St. Olavs hospital HF", "stolav"),
    ("lege", "Fastlegene i Trondheim", "fastlege-5001"),
])
def test_the_hospital_and_a_gp_report_for_their_own_organisation(
        app: FastAPI, name: str, reporter: str, own: str) -> None:
    client = signed_in(app, name)
    assert f"<strong>Meldes fra:</strong> {reporter}" in shown(client.get("/avvik/ny").text)
    response = send(client, complete(receiver_org=["5001"]))
    assert response.status_code == 303
    item = records.get(app.state.db, response.headers["location"].removeprefix("/avvik/"))
    assert (item.reporter_org, item.receiver_orgs) == (own, ("5001",))


def test_the_receivers_are_grouped_by_kind(app: FastAPI) -> None:
    page = shown(signed_in(app, "trd").get("/avvik/ny").text)
    hospital = page.index("<summary>Sykehuset</summary>")
    municipalities = page.index("<summary>Kommunene</summary>")
    gps = page.index("<summary>Fastlegene</summary>")
    assert hospital < page.index('value="stolav"') < municipalities
    assert municipalities < page.index('value="5031"') < gps < page.index('value="fastlege-5001"')


def test_the_form_is_in_english_with_lang_en(app: FastAPI) -> None:
    trd = signed_in(app, "trd")
    page = shown(trd.get("/avvik/ny?lang=en").text)
    assert "<title>Report a collaboration deviation – Flyt</title>" in page
    assert '<label for="occurred_date">Date of the event <span class="required">(required)' in page
    assert "Hide me as the reporter from the receiver" in page
    assert "Messages (PLO/e-messages)" in page
    assert guide.CATEGORIES["transport"]["en"][1] in page
    refused = send(trd, complete(summary=""))  # the cookie keeps the language
    assert "The deviation needs a summary." in shown(refused.text)


def test_the_form_explains_every_category_and_severity_with_an_example(app: FastAPI) -> None:
    page = shown(signed_in(app, "trd").get("/avvik/ny").text)
    for texts in (*guide.CATEGORIES.values(), *guide.SEVERITIES.values()):
        explanation, example = texts["nb"]
        assert explanation in page and example in page


def test_the_guide_shows_every_category_and_severity_with_its_example(app: FastAPI) -> None:
    for name in ("trd", "fg", "asu"):
        client = signed_in(app, name)
        response = client.get("/avvik/veileder")
        assert response.status_code == 200
        page = shown(response.text)
        for code, texts in (*guide.CATEGORIES.items(), *guide.SEVERITIES.items()):
            explanation, example = texts["nb"]
            assert f"{explanation}<br><em>Eksempel:</em> {example}" in page, code
        assert '<dt id="category-avtalebrudd">Brudd på samarbeidsavtalen</dt>' in page
        assert '<dt id="severity-dod">Død</dt>' in page
        # The deadlines from DeviationSettings' defaults.
        assert "innen 5 arbeidsdager" in page
        assert ("Ved moderat skade eller alvorligere skal mottakeren svare skriftlig innen "
                "30 dager") in page
        assert "automatisk 14 dager etter svaret" in page
        assert "eget avvikssystem" in page
    english = signed_in(app, "fg").get("/avvik/veileder.json?lang=en").json()
    assert [c["code"] for c in english["categories"]] == [
        "meldinger", "innleggelse", "utskrivning", "legemidler", "hjelpemidler", "transport",
        "tilgjengelighet", "informasjon", "avtalebrudd", "annet"]
    assert english["severities"][4] == {
        "code": "dod", "name": "Death", "explanation": guide.SEVERITIES["dod"]["en"][0],
        "example": guide.SEVERITIES["dod"]["en"][1]}
    assert english["may_report"] is False


def test_the_form_links_to_the_guide_and_the_guide_to_the_form(app: FastAPI) -> None:
    trd = signed_in(app, "trd")
    assert '<a href="/avvik/veileder">' in trd.get("/avvik/ny").text
    assert '<a class="button" href="/avvik/ny">' in trd.get("/avvik/veileder").text


def test_a_signed_out_visitor_is_sent_to_sign_in(app: FastAPI) -> None:
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    assert client.get("/avvik/ny").status_code in (303, 307)
    assert client.get("/avvik/veileder").status_code in (303, 307)
