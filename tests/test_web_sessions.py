"""Sessions that can be revoked and that really expire: a copied cookie dies with a
sign-out, a new password, a disable → enable; an idle one after `session_hours`, an
active one (re-signed as it is used) after `max_session_hours`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from flyt.accounts import users
from flyt.cli.main import cli
from flyt.store.db import Database
from flyt.web.app import create_app

PASSWORD = "correct horse battery"
NEW = "a-brand-new-passphrase"
HTTPS = "https://testserver"
COOKIE = "__Host-flyt"
HOUR = 3600.0


class Clock:
    """The sessions' clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def app(db_url: str):  # type: ignore[no-untyped-def]
    db = Database.open(db_url)
    users.add(db, "anna", "admin", password=PASSWORD)
    users.add(db, "ola", "analyst", password=PASSWORD)
    db.close()
    app = create_app(db_url)
    app.state.clock = Clock()
    yield app
    app.state.db.close()


def token(client: TestClient, path: str = "/login") -> str:
    return client.get(path).text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def signed_in(app, name: str, password: str = PASSWORD) -> TestClient:  # type: ignore[no-untyped-def]
    client = TestClient(app, base_url=HTTPS, follow_redirects=False)
    response = client.post("/login", data={"name": name, "password": password,
                                           "csrf_token": token(client)})
    assert response.status_code == 303, response.text
    return client


def copy_of(app, client: TestClient) -> TestClient:  # type: ignore[no-untyped-def]
    """Another browser with the same cookie, as a thief would have it."""
    thief = TestClient(app, base_url=HTTPS, follow_redirects=False)
    thief.cookies.set(COOKIE, client.cookies[COOKIE])
    return thief


def test_a_copied_cookie_stops_working_when_the_user_signs_out(app):
    ola = signed_in(app, "ola")
    thief = copy_of(app, ola)
    assert thief.get("/index.json").status_code == 200
    assert ola.post("/logout", data={"csrf_token": token(ola)}).status_code == 303
    assert thief.get("/index.json").status_code == 401
    assert signed_in(app, "ola").get("/index.json").status_code == 200  # a new sign-in works


def test_a_copied_cookie_stops_working_after_a_new_password_on_the_web(app):
    ola = signed_in(app, "ola")
    thief = copy_of(app, ola)
    anna = signed_in(app, "anna")
    changed = anna.post("/admin/users/password", data={
        "name": "ola", "password": NEW, "csrf_token": token(anna, "/admin/users")})
    assert changed.status_code == 303
    assert thief.get("/index.json").status_code == 401
    assert ola.get("/index.json").status_code == 401
    assert anna.get("/index.json").status_code == 200  # the administrator stays in


def test_a_copied_cookie_stops_working_after_flyt_user_passwd(app, db_url):
    ola = signed_in(app, "ola")
    thief = copy_of(app, ola)
    result = CliRunner().invoke(cli, ["user", "passwd", "ola", "--password-stdin",
                                      "--db", db_url], input=NEW + "\n")
    assert result.exit_code == 0, result.output
    users.forget_known()  # what the 2-second cache of a server process does by itself
    assert thief.get("/index.json").status_code == 401


def test_a_copied_cookie_stops_working_after_disable_and_enable(app):
    ola = signed_in(app, "ola")
    thief = copy_of(app, ola)
    anna = signed_in(app, "anna")
    for action in ("disable", "enable"):
        assert anna.post(f"/admin/users/{action}", data={
            "name": "ola", "csrf_token": token(anna, "/admin/users")}).status_code == 303
    assert thief.get("/index.json").status_code == 401
    assert signed_in(app, "ola").get("/index.json").status_code == 200


def test_an_idle_session_ends_after_session_hours(app):
    ola = signed_in(app, "ola")
    app.state.clock.now += 8 * HOUR - 60
    assert ola.get("/index.json").status_code == 200
    app.state.clock.now += 8 * HOUR + 1
    assert ola.get("/index.json").status_code == 401


def test_an_active_session_is_re_signed_and_lives_until_the_absolute_limit(app):
    ola = signed_in(app, "ola")
    clock = app.state.clock
    clock.now += 30
    assert "set-cookie" not in ola.get("/index.json").headers  # not re-signed every time
    for _ in range(2):  # 5 h, then 10 h after signing in: more than the 8 h idle limit
        clock.now += 5 * HOUR
        answer = ola.get("/index.json")
        assert answer.status_code == 200
        assert answer.headers["set-cookie"].startswith(COOKIE + "=")
    clock.now += 2 * HOUR + 1  # 12 h and a second after signing in
    assert ola.get("/index.json").status_code == 401


def test_a_copied_cookie_stops_working_after_a_new_role(app, db_url):
    ola = signed_in(app, "ola")
    thief = copy_of(app, ola)
    result = CliRunner().invoke(cli, ["user", "role", "ola", "--role", "municipality",
                                      "--municipality", "5031", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert thief.get("/index.json").status_code == 401
    record = users.get(app.state.db, "ola")
    assert (record.role, record.municipality) == ("municipality", "5031")
