"""/admin/users: administrators list, add, re-password and disable users on the web,
as `flyt user` does on the command line; every change is audited; nothing for others."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from flyt.accounts import audit, users
from flyt.store.db import Database
from flyt.web.app import create_app
from tests.support.web import PASSWORD, add_cast

NEW = "a-brand-new-passphrase"


@pytest.fixture
def app(db_url: str):  # type: ignore[no-untyped-def]
    """The cast (tests/support/web.py): anna is the administrator, ola an analyst."""
    db = Database.open(db_url)
    add_cast(db)
    db.close()
    app = create_app(db_url)
    yield app
    app.state.db.close()


def client_of(app) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


def token(client: TestClient, path: str = "/login") -> str:
    return client.get(path).text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def signed_in(app, name: str, password: str = PASSWORD) -> TestClient:  # type: ignore[no-untyped-def]
    client = client_of(app)
    response = client.post("/login", data={"name": name, "password": password,
                                           "csrf_token": token(client)})
    assert response.status_code == 303, f"{name} could not sign in"
    return client


def post(client: TestClient, path: str, **form: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={**form, "csrf_token": token(client, "/admin/users")})


def changes(app) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(e.user_name, e.action, e.target) for e in
            reversed(audit.entries(app.state.db, audit.Filters(action="user.")))
            if e.user_name == "anna"]


def test_only_administrators_open_or_change_users(app):
    assert client_of(app).get("/admin/users.json").status_code == 401
    ola = signed_in(app, "ola")
    assert ola.get("/admin/users").status_code == 403
    assert ola.get("/admin/users.json").status_code == 403
    form_token = token(ola, "/")
    refused = ola.post("/admin/users", data={"name": "eve", "role": "admin", "password": NEW,
                                             "csrf_token": form_token})
    assert refused.status_code == 403
    assert users.get(app.state.db, "eve") is None


def test_the_list_shows_roles_and_sign_in_methods_but_never_a_hash(app):
    anna = signed_in(app, "anna")
    listed = anna.get("/admin/users.json").json()["users"]
    assert [(u["name"], u["role"], u["municipality"], u["password"], u["oidc"], u["disabled"])
            for u in listed] == [
        ("anna", "admin", None, True, False, False), ("asu", "reader", None, True, False, False),
        ("malvik", "municipality", "5031", True, False, False),
        ("melhus", "municipality", "5028", True, False, False),
        ("ola", "analyst", None, True, False, False)]
    page = anna.get("/admin/users").text
    assert "Analytiker (sykehuset)" in page and "/admin/users" in anna.get("/").text
    for text in (page, str(listed)):
        assert "$argon2" not in text and "password_hash" not in text


def test_an_administrator_adds_a_municipality_user_who_can_then_sign_in(app):
    anna = signed_in(app, "anna")
    response = post(anna, "/admin/users", name="kari", role="municipality",
                    municipality="5031", password=NEW)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/users?done=added"
    assert "Brukeren er lagt til." in anna.get(response.headers["location"]).text
    kari = signed_in(app, "kari", NEW)
    assert kari.get("/municipality/5031/patients.json").status_code == 200
    assert changes(app) == [("anna", "user.add", "kari")]


@pytest.mark.parametrize(("form", "message"), [
    ({"name": "kari", "role": "reader", "password": "short"}, "Passordet må ha minst 12 tegn."),
    ({"name": "ola", "role": "reader", "password": NEW},
     "Det finnes allerede en bruker med det navnet."),
    ({"name": "kari", "role": "municipality", "password": NEW},
     "En kommunebruker må ha en kommune."),
    ({"name": "kari", "role": "municipality", "municipality": "9999", "password": NEW},
     "Ukjent kommune."),
    ({"name": "kari nordmann", "role": "reader", "password": NEW},
     "Brukernavnet må ha 1–100 tegn: bokstaver (a–å), sifre og . _ - @"),
    ({"name": "helse/kari", "role": "reader", "password": NEW},
     "Brukernavnet må ha 1–100 tegn: bokstaver (a–å), sifre og . _ - @"),
    ({"name": "kari", "role": "reader", "password": " " * 12},
     "Passordet kan ikke være tomt eller bare mellomrom."),
    ({"name": "kari", "role": "reader", "password": "kari-er-best-2024"},
     "Passordet kan ikke inneholde brukernavnet."),
    ({"name": "kari", "role": "reader", "password": "123456789012"},
     "Passordet kan ikke være en rekke tegn etter hverandre, som 123456789012."),
    ({"name": "kari", "role": "reader", "password": "Passord2024!"},
     "Passordet er blant de første som prøves ved gjetting. Velg et annet."),
])
def test_a_refused_user_gets_a_norwegian_reason_and_nothing_changes(app, form, message):
    anna = signed_in(app, "anna")
    before = [u.name for u in users.all_users(app.state.db)]
    response = post(anna, "/admin/users", **form)
    assert response.status_code == 422
    assert message in response.text
    assert [u.name for u in users.all_users(app.state.db)] == before
    assert changes(app) == []


def test_a_disabled_user_is_signed_out_at_the_next_request_until_enabled(app):
    ola = signed_in(app, "ola")
    assert ola.get("/index.json").status_code == 200
    anna = signed_in(app, "anna")
    assert post(anna, "/admin/users/disable", name="ola").status_code == 303
    assert ola.get("/index.json").status_code == 401
    listed = {u["name"]: u for u in anna.get("/admin/users.json").json()["users"]}
    assert listed["ola"]["disabled"] is True
    assert post(anna, "/admin/users/enable", name="ola").status_code == 303
    assert "Brukeren kan logge inn igjen." in anna.get("/admin/users?done=enabled").text
    signed_in(app, "ola")
    assert changes(app) == [("anna", "user.disable", "ola"), ("anna", "user.enable", "ola")]


def test_an_administrator_cannot_disable_themself(app):
    anna = signed_in(app, "anna")
    response = post(anna, "/admin/users/disable", name="anna")
    assert response.status_code == 422
    assert "Du kan ikke sperre deg selv" in response.text
    assert users.get(app.state.db, "anna").disabled is False


def test_a_new_password_replaces_the_old_one(app):
    anna = signed_in(app, "anna")
    assert post(anna, "/admin/users/password", name="ola", password=NEW).status_code == 303
    signed_in(app, "ola", NEW)
    stale = client_of(app)
    refused = stale.post("/login", data={"name": "ola", "password": PASSWORD,
                                         "csrf_token": token(stale)})
    assert refused.status_code != 303
    assert changes(app) == [("anna", "user.password", "ola")]


def test_changes_need_the_forms_csrf_token(app):
    anna = signed_in(app, "anna")
    response = anna.post("/admin/users/disable", data={"name": "ola"})
    assert response.status_code == 403
    assert users.get(app.state.db, "ola").disabled is False


def test_a_user_whose_name_has_a_slash_can_be_managed_on_the_page(app):
    """Names like "helse/kari" were accepted before names were restricted: such a user
    (inserted here as the older version stored it) must still be manageable."""
    db = app.state.db
    with db.engine.begin() as conn:
        conn.execute(users.U.insert().values(
            id=99, name="helse/kari", role="reader", password_hash=None, disabled=False,
            created_at=audit.now()))
    anna = signed_in(app, "anna")
    page = anna.get("/admin/users").text
    assert 'name="name" value="helse/kari"' in page
    assert post(anna, "/admin/users/disable", name="helse/kari").status_code == 303
    assert users.get(db, "helse/kari").disabled is True
    assert post(anna, "/admin/users/enable", name="helse/kari").status_code == 303
    assert post(anna, "/admin/users/password", name="helse/kari",
                password=NEW).status_code == 303
    signed_in(app, "helse/kari", NEW)
    assert changes(app) == [("anna", "user.disable", "helse/kari"),
                            ("anna", "user.enable", "helse/kari"),
                            ("anna", "user.password", "helse/kari")]


@pytest.mark.parametrize(("path", "form", "message"), [
    ("/admin/users", {"name": "k" * 101, "role": "reader", "password": NEW},
     "Feltet «Brukernavn» kan ha høyst 100 tegn."),
    ("/admin/users", {"name": "kari", "role": "reader", "password": "p" * 1025},
     "Feltet «Passord» kan ha høyst 1\u00a0024 tegn."),
    ("/admin/users", {"name": "kari", "role": "r" * 21, "password": NEW},
     "Feltet «Rolle» kan ha høyst 20 tegn."),
    ("/admin/users", {"name": "kari", "role": "municipality", "municipality": "50311",
                      "password": NEW}, "Feltet «Kommune» kan ha høyst 4 tegn."),
    ("/admin/users/password", {"name": "o" * 101, "password": NEW},
     "Feltet «Brukernavn» kan ha høyst 100 tegn."),
    ("/admin/users/disable", {"name": "o" * 101}, "Feltet «Brukernavn» kan ha høyst 100 tegn."),
])
def test_too_long_fields_are_refused_with_a_clear_message(app, path, form, message):
    anna = signed_in(app, "anna")
    before = users.all_users(app.state.db)
    response = post(anna, path, **form)
    assert response.status_code == 422
    assert message in response.text
    assert users.all_users(app.state.db) == before
    assert changes(app) == []
