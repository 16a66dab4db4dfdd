"""Sign-in limits: failures count per (name, address) and per address, never per name
alone; the client address is the socket peer unless the peer is a configured proxy."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from flyt.accounts import users
from flyt.store.db import Database
from flyt.web.app import create_app
from flyt.web.auth.ratelimit import SignInLimiter

PASSWORD = "correct horse battery"
WRONG = "not the right one"
HTTPS = "https://testserver"
A = ("198.51.100.7", 40000)  # the attacker's address (documentation range)
B = ("192.0.2.20", 40001)  # the real user's address


@pytest.fixture
def store(db_url: str) -> Database:
    db = Database.open(db_url)
    users.add(db, "anna", "admin", password=PASSWORD)
    users.add(db, "reader", "reader", password=PASSWORD)
    yield db
    db.close()


def configure(tmp_path: Path, text: str) -> None:
    config = tmp_path / "data" / "flyt.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text)


@pytest.fixture
def app(db_url: str, store: Database):  # type: ignore[no-untyped-def]
    app = create_app(db_url)
    yield app
    app.state.db.close()


def client_at(app, address: tuple[str, int]) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app, base_url=HTTPS, client=address)


def sign_in(client: TestClient, name: str = "anna", password: str = PASSWORD,
            headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    page = client.get("/login", headers=headers).text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    return client.post("/login", data={"name": name, "password": password,
                                       "csrf_token": token},
                       headers=headers, follow_redirects=False)


def failed_sign_in_addresses(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return [r.ip for r in conn.execute(sa.text(
            "SELECT ip FROM audit_log WHERE action = 'sign_in.failed' ORDER BY id"))]


def test_five_wrong_passwords_from_one_address_do_not_stop_the_right_one_from_another(app):
    attacker = client_at(app, A)
    for _ in range(5):
        assert sign_in(attacker, password=WRONG).status_code == 401
    assert sign_in(attacker).status_code == 429  # that address, for that name: stopped
    assert sign_in(client_at(app, B)).status_code == 303  # the real user, elsewhere: in


def test_an_address_is_stopped_after_too_many_failures_across_names(app):
    attacker = client_at(app, A)
    limiter: SignInLimiter = app.state.login_limiter
    names = [f"guess{i}" for i in range(limiter.address_limit)]
    for name in names:
        assert sign_in(attacker, name=name, password=WRONG).status_code == 401
    assert sign_in(attacker, name="reader").status_code == 429
    assert sign_in(client_at(app, B), name="reader").status_code == 303


def test_the_right_password_from_a_clean_address_is_only_slowed_when_a_name_is_attacked(app):
    limiter: SignInLimiter = app.state.login_limiter
    for i in range(limiter.name_limit):  # many addresses, one try each: no address blocked
        assert sign_in(client_at(app, (f"198.51.100.{i + 10}", 1)),
                       password=WRONG).status_code == 401
    assert limiter.delay("anna") > 0  # the name is under attack: every try waits first
    started = time.monotonic()
    assert sign_in(client_at(app, B)).status_code == 303
    assert time.monotonic() - started >= limiter.delay_seconds


def test_forgotten_failures_unblock_the_pair_after_the_window(app):
    now = [1000.0]
    app.state.login_limiter = SignInLimiter(clock=lambda: now[0])
    attacker = client_at(app, A)
    for _ in range(5):
        sign_in(attacker, password=WRONG)
    assert sign_in(attacker).status_code == 429
    now[0] += 15 * 60 + 1
    assert sign_in(attacker).status_code == 303


def test_x_forwarded_for_from_a_peer_that_is_not_a_configured_proxy_is_ignored(app, store):
    loopback = client_at(app, ("127.0.0.1", 50000))
    sign_in(loopback, password=WRONG, headers={"X-Forwarded-For": "203.0.113.66"})
    assert failed_sign_in_addresses(store) == ["127.0.0.1"]


def test_x_forwarded_for_from_a_configured_proxy_names_the_client(db_url, store, tmp_path):
    configure(tmp_path, '[web]\ntrusted_proxies = ["127.0.0.1"]\n')
    app = create_app(db_url)
    try:
        proxy = client_at(app, ("127.0.0.1", 50000))
        forwarded = {"X-Forwarded-For": "203.0.113.66, 127.0.0.1"}
        for _ in range(5):
            sign_in(proxy, password=WRONG, headers=forwarded)
        # The proxy is not blamed: another client behind it signs in.
        assert sign_in(proxy, headers={"X-Forwarded-For": "192.0.2.99"}).status_code == 303
        assert sign_in(proxy, headers=forwarded).status_code == 429
    finally:
        app.state.db.close()
    assert failed_sign_in_addresses(store) == ["203.0.113.66"] * 5


def test_a_trusted_proxy_that_is_not_an_address_is_refused_with_a_clear_message(
        db_url, store, tmp_path):
    configure(tmp_path, '[web]\ntrusted_proxies = ["proxy.example"]\n')
    with pytest.raises(ValueError, match=r"\[web\] trusted_proxies: 'proxy.example' is not"):
        create_app(db_url)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_flyt_serve_does_not_trust_forwarded_headers_from_loopback_by_default(
        db_url, store, tmp_path):
    """uvicorn trusts X-Forwarded-For from 127.0.0.1 unless told not to: the real server."""
    configure(tmp_path, "[web]\nsecure_cookies = false\n")
    store.close()  # DuckDB: one process at a time
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "flyt", "serve", "--port", str(port), "--db", db_url],
        env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        with httpx.Client(base_url=base) as client:
            page = client.get("/login").text
            token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            client.post("/login", data={"name": "anna", "password": WRONG, "csrf_token": token},
                        headers={"X-Forwarded-For": "203.0.113.66"})
            client.post("/login", data={"name": "anna", "password": PASSWORD,
                                        "csrf_token": token})
            entries = client.get("/admin/audit.json", params={"action": "sign_in.failed"})
        assert entries.status_code == 200, entries.text
        assert [e["ip"] for e in entries.json()["entries"]] == ["127.0.0.1"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_concurrent_guesses_from_one_address_get_no_more_than_five_tries(app, store):
    """Twelve wrong passwords sent at once: the count may not lag behind the checks."""
    from concurrent.futures import ThreadPoolExecutor

    clients = [client_at(app, A) for _ in range(12)]
    tokens = [c.get("/login").text.split('name="csrf_token" value="', 1)[1].split('"')[0]
              for c in clients]

    def guess(i: int) -> int:
        return clients[i].post("/login", data={"name": "anna", "password": f"{WRONG} {i}",
                                               "csrf_token": tokens[i]},
                               follow_redirects=False).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = sorted(pool.map(guess, range(12)))
    assert answers == [401] * 5 + [429] * 7
    assert len(failed_sign_in_addresses(store)) == 5


def test_the_addresses_of_one_ipv6_network_count_as_one_address(app):
    """Whoever has one IPv6 address usually has the whole /64 around it."""
    for i in range(5):
        attacker = client_at(app, (f"2001:db8:1:2::{i + 1:x}", 1))
        assert sign_in(attacker, password=WRONG).status_code == 401
    assert sign_in(client_at(app, ("2001:db8:1:2::ff", 1))).status_code == 429
    assert sign_in(client_at(app, ("2001:db8:1:3::1", 1))).status_code == 303


def test_the_limiter_keeps_a_bounded_number_of_keys_and_forgets_the_quietest(monkeypatch):
    from flyt.web.auth import ratelimit

    monkeypatch.setattr(ratelimit, "MAX_KEYS", 30)
    limiter = SignInLimiter(clock=lambda: 0.0)
    for _ in range(5):
        assert limiter.attempt("target", "192.0.2.1")
        limiter.finished("target", "192.0.2.1", right=False)
    for i in range(100):  # a flood of fresh names from fresh addresses
        assert limiter.attempt(f"name{i}", f"198.51.100.{i}")
        limiter.finished(f"name{i}", f"198.51.100.{i}", right=False)
    assert len(limiter._failures) <= 30
    assert limiter._count("pair:192.0.2.1:target") == 0  # the quietest went first
    assert limiter._count("pair:198.51.100.99:name99") == 1  # the newest are kept
    assert limiter._in_flight == {}  # nothing under way is left behind


def test_many_people_behind_one_address_signing_in_at_once_are_all_let_in(app, store):
    """A hospital's NAT: 25 right passwords from one address at the same moment."""
    from concurrent.futures import ThreadPoolExecutor

    names = [f"kollega{i}" for i in range(25)]
    for name in names:
        users.add(store, name, "reader", password=PASSWORD)
    clients = [client_at(app, A) for _ in names]
    tokens = [c.get("/login").text.split('name="csrf_token" value="', 1)[1].split('"')[0]
              for c in clients]

    def enter(i: int) -> int:
        return clients[i].post("/login", data={"name": names[i], "password": PASSWORD,
                                               "csrf_token": tokens[i]},
                               follow_redirects=False).status_code

    with ThreadPoolExecutor(max_workers=25) as pool:
        assert list(pool.map(enter, range(25))) == [303] * 25
