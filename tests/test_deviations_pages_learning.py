"""The learning pages (/avvik/laering…) and the incident analysis page
(/avvik/{id}/hendelsesanalyse) through the app, signed in through the real form, on
DuckDB and PostgreSQL: the list and its filters, a new learning point, a measure and
its status, a stale save answered 409 with the typed text kept, 404 for what one may
not see, 422 for a non-notifiable deviation, CSRF on every form, JSON twins."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from flyt.accounts import users
from flyt.deviations.records import NewDeviation, create
from flyt.domain import clock
from flyt.store.db import Database
from flyt.web.app import create_app
from tests.support.web import PASSWORD

PEOPLE = (("trd", "municipality", "5001"), ("ola", "analyst", None),
          ("malvik", "municipality", "5031"), ("fg", "improvement", None),
          ("asu", "reader", None))


@pytest.fixture
def world(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FastAPI, dict]]:
    """Trondheim → the hospital: a death (dod) and a minor harm; the hospital → Malvik:
    a moderate harm. Today is 15.05.2024."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 5, 15, 9, 0))
    db = Database.open(db_url)
    for name, role, municipality in PEOPLE:
        users.add(db, name, role, municipality, password=PASSWORD)
    made = {}
    for key, reporter, receiver, severity in (("dod", "5001", "stolav", "dod"),
                                              ("minor", "5001", "stolav", "mindre_skade"),
                                              ("malvik", "stolav", "5031", "moderat_skade")):
        made[key] = create(db, NewDeviation(
            reporter_org=reporter, receiver_orgs=[receiver],
            occurred_at=datetime(2024, 5, 2, 7, 0), category="utskrivning",
            severity=severity, level="pasient", summary="Epikrise manglet"), user_id=None).id
    db.close()
    app = create_app(db_url)
    yield app, made
    app.state.db.close()


def token(client: TestClient, path: str = "/login") -> str:
    return client.get(path).text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def signed_in(app: FastAPI, name: str) -> TestClient:
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    response = client.post("/login", data={"name": name, "password": PASSWORD,
                                           "csrf_token": token(client)})
    assert response.status_code == 303, name
    return client


def post(client: TestClient, path: str, form: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(path, data={**form, "csrf_token": token(client, "/avvik/laering")})


def new_point(client: TestClient, deviations: str, title: str = "Epikrise samme dag") -> int:
    response = post(client, "/avvik/laering/ny", {
        "title": title, "description": "Sjekkliste", "deviations": deviations})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].split("/")[-1].split("?")[0])


def test_a_learning_point_is_made_and_shown_with_its_measure(world) -> None:  # type: ignore[no-untyped-def]
    app, made = world
    trd = signed_in(app, "trd")
    point = new_point(trd, f"{made['minor'].lower()} {made['dod']}")
    page = trd.get(f"/avvik/laering/{point}?done=created")
    assert page.status_code == 200
    assert "Læringspunktet er lagret." in page.text
    added = post(trd, f"/avvik/laering/{point}/tiltak", {
        "text": "Ring mottaker før utskrivning", "owner_org": "stolav",
        "owner_person": "Seksjonsleder", "due_on": "30.06.2024", "status": "planlagt"})
    assert added.status_code == 303
    shown = trd.get(f"/avvik/laering/{point}.json").json()
    assert shown["deviation_ids"] == sorted([made["minor"], made["dod"]])
    assert [(m["text"], m["due_on"], m["status"], m["version"]) for m in shown["measures"]] == [
        ("Ring mottaker før utskrivning", "2024-06-30", "planlagt", 1)]
    measure = shown["measures"][0]["id"]
    moved = post(trd, f"/avvik/laering/{point}/tiltak/{measure}", {
        "text": "Ring mottaker før utskrivning", "owner_org": "stolav", "due_on": "2024-06-30",
        "status": "pagar", "version": "1"})
    assert moved.status_code == 303
    assert trd.get(f"/avvik/laering/{point}.json").json()["measures"][0]["status"] == "pagar"
    html = trd.get(f"/avvik/laering/{point}?lang=en").text
    assert "in progress" in html and "30.06.2024" not in html and "2024-06-30" in html


def test_the_list_filters_and_shows_only_visible_points(world) -> None:  # type: ignore[no-untyped-def]
    app, made = world
    ola = signed_in(app, "ola")
    first = new_point(ola, made["dod"], "Trondheim")
    new_point(ola, made["malvik"], "Malvik")
    post(ola, f"/avvik/laering/{first}/tiltak", {"text": "t", "owner_org": "5001",
                                                 "status": "gjennomfort"})
    titles = lambda client, query="": sorted(  # noqa: E731
        p["title"] for p in client.get(f"/avvik/laering.json{query}").json()["points"])
    assert titles(ola) == ["Malvik", "Trondheim"]
    assert titles(ola, "?status=gjennomfort") == ["Trondheim"]
    assert titles(ola, "?organisation=5031") == ["Malvik"]
    assert titles(signed_in(app, "malvik")) == ["Malvik"]
    assert titles(signed_in(app, "fg")) == ["Malvik", "Trondheim"]
    assert titles(signed_in(app, "asu")) == []
    bad = ola.get("/avvik/laering?status=ferdig")
    assert bad.status_code == 422
    assert "Ukjent status for tiltak" in bad.text
    page = ola.get("/avvik/laering?organisation=5031")
    assert page.status_code == 200 and "Malvik" in page.text and "Trondheim</a>" not in page.text


def test_a_stale_save_answers_409_and_keeps_the_typed_text(world) -> None:  # type: ignore[no-untyped-def]
    app, made = world
    trd, ola = signed_in(app, "trd"), signed_in(app, "ola")
    point = new_point(trd, made["dod"])
    assert post(ola, f"/avvik/laering/{point}", {
        "title": "Sykehusets tittel", "description": "", "deviations": made["dod"],
        "version": "1"}).status_code == 303
    late = post(trd, f"/avvik/laering/{point}", {
        "title": "Kommunens nye tittel", "description": "Mitt lange notat",
        "deviations": made["dod"], "version": "1"})
    assert late.status_code == 409
    assert "Noen andre endret læringspunktet" in late.text
    assert 'value="Kommunens nye tittel"' in late.text
    assert "Mitt lange notat</textarea>" in late.text
    assert trd.get(f"/avvik/laering/{point}.json").json()["title"] == "Sykehusets tittel"
    stale_json = trd.get(f"/avvik/laering/{point}.json").json()
    assert stale_json["version"] == 2


def test_what_one_may_not_see_is_404_and_readers_may_not_write(world) -> None:  # type: ignore[no-untyped-def]
    app, made = world
    ola = signed_in(app, "ola")
    point = new_point(ola, made["malvik"])
    trd = signed_in(app, "trd")
    assert trd.get(f"/avvik/laering/{point}").status_code == 404
    assert trd.get(f"/avvik/laering/{point}.json").json() == {
        "error": f"Fant ikke læringspunkt {point}."}
    linked = post(trd, "/avvik/laering/ny", {"title": "x", "deviations": made["malvik"]})
    assert linked.status_code == 422
    assert f"Avvik {made['malvik']} finnes ikke eller er ikke synlig for deg." in linked.text
    asu = signed_in(app, "asu")
    assert asu.get("/avvik/laering/ny").status_code == 403
    assert post(asu, "/avvik/laering/ny", {"title": "x", "deviations": made["malvik"]}
                ).status_code == 403


def test_every_form_needs_its_csrf_token(world) -> None:  # type: ignore[no-untyped-def]
    app, made = world
    ola = signed_in(app, "ola")
    point = new_point(ola, made["dod"])
    for path in ("/avvik/laering/ny", f"/avvik/laering/{point}",
                 f"/avvik/laering/{point}/tiltak", f"/avvik/{made['dod']}/hendelsesanalyse"):
        assert ola.post(path, data={"title": "x", "deviations": made["dod"]}
                        ).status_code == 403, path
    page = ola.get(f"/avvik/laering/{point}").text
    assert page.count('name="csrf_token"') == page.count("<form method=\"post\"")


def test_the_incident_page_saves_the_checklist_for_a_notifiable_deviation(world) -> None:  # type: ignore[no-untyped-def]
    app, made = world
    trd = signed_in(app, "trd")
    path = f"/avvik/{made['dod']}/hendelsesanalyse"
    assert "Oppdrag (mandat) gitt av ledelsen" in trd.get(path).text
    saved = post(trd, path, {"version": "0", "notice": "sendt", "notice_sent_on": "2024-05-03",
                             "notice_reference": "HT 2024/1", "mandate_on": "06.05.2024",
                             "mandate_by": "Kommunalsjef", "conclusion": "Rutine mangler"})
    assert saved.status_code == 303
    record = trd.get(f"{path}.json").json()
    assert record["version"] == 1
    assert {s["code"]: s["done_on"] for s in record["steps"] if s["done_on"]} == {
        "mandate": "2024-05-06"}
    wrong = post(trd, path, {"version": "1", "notice": "ikke_sendt",
                             "conclusion": "Min nye konklusjon"})
    assert wrong.status_code == 422
    assert "Skriv en begrunnelse" in wrong.text
    assert "Min nye konklusjon</textarea>" in wrong.text
    stale = post(signed_in(app, "ola"), path, {"version": "0", "conclusion": "Sent"})
    assert stale.status_code == 409
    fg = signed_in(app, "fg")
    assert fg.get(f"{path}.json").json()["conclusion"] == "Rutine mangler"
    assert post(fg, path, {"version": "1", "conclusion": "x"}).status_code == 403


def test_the_incident_page_is_422_when_not_notifiable_and_404_when_not_visible(world) -> None:  # type: ignore[no-untyped-def]
    app, made = world
    trd = signed_in(app, "trd")
    minor = trd.get(f"/avvik/{made['minor']}/hendelsesanalyse")
    assert minor.status_code == 422
    assert "er ikke betydelig skade eller død" in minor.text
    assert trd.get(f"/avvik/{made['minor']}/hendelsesanalyse.json?lang=en").json() == {
        "error": f"Deviation {made['minor']} is not significant harm or death: it has no "
                 "notification duty or incident analysis."}
    assert signed_in(app, "malvik").get(
        f"/avvik/{made['dod']}/hendelsesanalyse").status_code == 404
