"""Sign-in with OpenID Connect against a real provider running locally
(oidc-provider-mock: authorization, token, JWKS and discovery endpoints over HTTP)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from flyt.accounts import audit, users
from flyt.store.db import Database
from flyt.web.app import create_app

oidc_provider_mock = pytest.importorskip("oidc_provider_mock")


@pytest.fixture(scope="module")
def issuer():  # type: ignore[no-untyped-def]
    with oidc_provider_mock.run_server_in_thread(require_nonce=True) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def client(db_url: str, issuer: str, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FLYT_TEST_OIDC_SECRET", "a client secret")
    config = tmp_path / "data" / "flyt.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[web.oidc]\nissuer = "{issuer}"\nclient_id = "flyt"\n'
                      'client_secret_env = "FLYT_TEST_OIDC_SECRET"\n'
                      'scopes = "openid profile"\nlabel = "HelseID"\n')
    db = Database.open(db_url)
    users.add(db, "kari", "analyst", oidc_subject="kari-at-provider")
    users.add(db, "per", "reader", oidc_subject="per-at-provider")
    users.disable(db, "per")
    db.close()
    app = create_app(db_url)
    yield TestClient(app, base_url="https://testserver")
    app.state.db.close()


def through_provider(client: TestClient, subject: str, next_path: str = "/"):
    start = client.get("/login/oidc", params={"next": next_path}, follow_redirects=False)
    assert start.status_code == 302
    authorize = start.headers["location"]
    # The provider's own form: the user says who they are there.
    answer = httpx.post(authorize, data={"sub": subject}, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    callback = answer.headers["location"]
    assert callback.startswith("https://testserver/login/oidc/callback?")
    return authorize, client.get(callback, follow_redirects=False)


def test_the_login_page_offers_the_configured_provider(client):
    assert "Logg inn med HelseID" in client.get("/login").text


def test_it_signs_in_a_known_subject_with_pkce_state_and_nonce(client):
    authorize, done = through_provider(client, "kari-at-provider", "/trends")
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] and query["nonce"] and query["code_challenge"]
    assert "code_verifier" not in query
    assert done.status_code == 303 and done.headers["location"] == "/trends"
    assert client.get("/index.json").status_code == 200
    rows = audit.entries(client.app.state.db, audit.Filters(action="sign_in"))
    assert [(e.user_name, e.action, e.detail) for e in rows] == [
        ("kari", "sign_in.ok", "oidc")]


def test_it_refuses_unknown_and_disabled_subjects(client):
    _, unknown = through_provider(client, "somebody-else")
    assert unknown.status_code == 403
    assert client.get("/index.json").status_code == 401
    _, disabled = through_provider(client, "per-at-provider")
    assert disabled.status_code == 403


def test_a_callback_with_a_forged_state_fails(client):
    client.get("/login/oidc", follow_redirects=False)
    forged = client.get("/login/oidc/callback", params={"code": "x", "state": "forged"},
                        follow_redirects=False)
    assert forged.status_code == 401
    assert client.get("/index.json").status_code == 401
