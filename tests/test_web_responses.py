"""What every answer looks like: HEAD like GET without a body, no /docs that breaks the
page's own CSP, and an unhandled error that still has the security headers and shows
no traceback."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from flyt.accounts import users
from flyt.store.db import Database
from flyt.web.app import SECURITY_HEADERS, create_app

PASSWORD = "correct horse battery"
HTTPS = "https://testserver"


@pytest.fixture
def app(db_url: str):  # type: ignore[no-untyped-def]
    db = Database.open(db_url)
    users.add(db, "anna", "admin", password=PASSWORD)
    db.close()
    app = create_app(db_url)

    @app.get("/test/boom")
    def boom() -> dict:
        raise RuntimeError("a secret detail from deep inside")

    yield app
    app.state.db.close()


def signed_in(app) -> TestClient:  # type: ignore[no-untyped-def]
    client = TestClient(app, base_url=HTTPS, follow_redirects=False)
    token = client.get("/login").text.split('name="csrf_token" value="', 1)[1].split('"')[0]
    answer = client.post("/login", data={"name": "anna", "password": PASSWORD,
                                         "csrf_token": token})
    assert answer.status_code == 303
    return client


@pytest.mark.parametrize("path", ["/login", "/", "/index.json", "/admin/users",
                                  "/static/flyt.css", "/openapi.json"])
def test_get_pages_answer_head_with_200_and_no_body(app, path):
    client = signed_in(app)
    got = client.get(path)
    head = client.head(path)
    assert got.status_code == 200 and got.content
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["x-frame-options"] == "DENY"


def test_head_is_refused_where_get_is(app):
    client = TestClient(app, base_url=HTTPS, follow_redirects=False)
    assert client.head("/logout").status_code == 405  # a POST-only action
    assert client.head("/index.json").status_code == 401  # not signed in, as for GET


def test_there_is_no_docs_page_that_loads_scripts_from_elsewhere_but_openapi_json_stays(app):
    client = signed_in(app)
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        assert client.get(path).status_code == 404, path
    spec = client.get("/openapi.json")
    assert spec.status_code == 200
    assert "/index.json" in spec.json()["paths"]


def test_an_unhandled_error_answers_500_with_the_security_headers_and_no_traceback(app):
    client = TestClient(app, base_url=HTTPS, raise_server_exceptions=False)
    answer = client.get("/test/boom")
    assert answer.status_code == 500
    for name in SECURITY_HEADERS:
        assert name in answer.headers, name
    assert "max-age" in answer.headers["strict-transport-security"]
    assert answer.text.startswith("Beklager, noe gikk galt på serveren.")
    assert "secret detail" not in answer.text
    assert "Traceback" not in answer.text and "RuntimeError" not in answer.text
    english = client.get("/test/boom", params={"lang": "en"})
    assert english.text.startswith("Sorry, something went wrong on the server.")
