"""/admin/users offers the roles gp and improvement and the organisation a user acts
for; a wrong organisation is refused with one sentence in the user's language and
nothing stored."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from flyt.accounts import users
from flyt.store.db import Database
from flyt.web.app import create_app
from tests.support.web import add_cast
from tests.test_web_users_page import post, signed_in

NEW = "a-brand-new-passphrase"


@pytest.fixture
def app(db_url: str) -> Iterator[FastAPI]:
    db = Database.open(db_url)
    add_cast(db)
    db.close()
    app = create_app(db_url)
    yield app
    app.state.db.close()


def organisation_of(app: FastAPI, name: str) -> tuple[str, str | None] | None:
    record = users.get(app.state.db, name)
    return (record.role, record.organisation) if record else None


def test_the_page_offers_the_new_roles_and_the_organisations(app: FastAPI) -> None:
    anna = signed_in(app, "anna")
    page = anna.get("/admin/users").text
    assert '<option value="gp">Fastlege (felles tall)</option>' in page
    assert '<option value="improvement">Forbedringsgruppen (felles tall)</option>' in page
    assert '<option value="fastlege-5001">Fastlegene i Trondheim (fastlege-5001)</option>' in page
    listed = {u["name"]: u["organisation"] for u in anna.get("/admin/users.json").json()["users"]}
    assert listed == {"anna": "stolav", "ola": "stolav", "malvik": "5031", "melhus": "5028",
                      "asu": None}


def test_an_administrator_adds_a_gp_for_its_gp_party(app: FastAPI) -> None:
    anna = signed_in(app, "anna")
    response = post(anna, "/admin/users", name="lege", role="gp", password=NEW,
                    organisation="fastlege-5031")
    assert response.status_code == 303
    assert organisation_of(app, "lege") == ("gp", "fastlege-5031")
    response = post(anna, "/admin/users", name="fg", role="improvement", password=NEW)
    assert response.status_code == 303
    assert organisation_of(app, "fg") == ("improvement", None)


@pytest.mark.parametrize(("form", "message"), [
    ({"role": "gp"}, "En fastlegebruker må ha en organisasjon (fastlege-&lt;kommunenummer&gt;)."),
    ({"role": "gp", "organisation": "5031"},
     "En fastlegebruker handler for fastlegene i en kommune (fastlege-…)."),
    ({"role": "reader", "organisation": "fastlege-0000"}, "Ukjent organisasjon."),
    ({"role": "improvement", "organisation": "stolav"},
     "Forbedringsgruppen har ingen egen organisasjon; la feltet stå tomt."),
    ({"role": "municipality", "municipality": "5031", "organisation": "5028"},
     "En kommunebruker handler for sin egen kommune; velg ingen annen organisasjon."),
])
def test_a_wrong_organisation_is_refused_in_norwegian_and_nothing_stored(
        app: FastAPI, form: dict[str, str], message: str) -> None:
    anna = signed_in(app, "anna")
    response = post(anna, "/admin/users", name="kari", password=NEW, **form)
    assert response.status_code == 422
    assert f'<p class="error warn" role="alert">{message}</p>' in response.text
    assert organisation_of(app, "kari") is None
