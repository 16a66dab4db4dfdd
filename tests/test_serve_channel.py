"""While `flyt serve` holds the embedded database, `flyt import` and `flyt user
disable|enable|passwd` go through it (the local channel, flyt.cli.channel): a real
server process, real command processes, real HTTP. Every request is audited; one
without the channel file's token is refused; any other command says the server holds
the file and exits with 2."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from flyt.accounts import audit
from flyt.store.db import Database
from tests.support.plo import plo_message, synthetic_fnr
from tests.support.server import PASSWORD, Server, add_user, csrf_token, flyt, flyt_env, signed_in

HEADER = ("stay_id,patient_id,municipality,sector,admission_type,admitted_at,ready_at,"
          "discharged_at,discharge_destination,location")
GOOD = "s1,p1,5031,somatikk,akutt,2024-03-01 10:00,2024-03-03 09:00,2024-03-05 12:00,hjem,"
BAD = "s2,p2,9999,somatikk,akutt,2024-03-01 10:00,,,,"


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Server]:
    """`flyt serve` on the embedded database in its own data directory, with an
    administrator `ada` and an analyst `kari` added before it started."""
    env = flyt_env(tmp_path / "data")
    database = tmp_path / "data" / "flyt.duckdb"
    add_user(env, str(database), "ada", role="admin")
    add_user(env, str(database), "kari")
    server = Server(env, ()).start()
    try:
        yield server
    finally:
        server.stop()


def database_of(server: Server) -> Path:
    return Path(server.env["FLYT_DATA_DIR"]) / "flyt.duckdb"


def channel_info(server: Server) -> dict:
    path = database_of(server).with_name("flyt.duckdb.serve.json")
    return dict(json.loads(path.read_text(encoding="utf-8")))


def audited(server: Server) -> list[tuple[str | None, str, str, str]]:
    """(user, action, target, detail) of the audit log, oldest first; the server stopped."""
    server.stop()
    db = Database.open(f"duckdb:///{database_of(server)}")
    try:
        return [(e.user_name, e.action, e.target, e.detail)
                for e in reversed(audit.entries(db, limit=None))]
    finally:
        db.close()


def test_an_import_while_the_server_runs_goes_through_it_and_the_dashboard_shows_it(
        running: Server, tmp_path: Path):
    stays = tmp_path / "stays.csv"
    stays.write_text(f"{HEADER}\n{GOOD}\n", encoding="utf-8")
    client = signed_in(running.url, "kari")
    assert client.get("/data.json").json()["history"] == []  # the page has been seen empty
    done = flyt(running.env, "import", "stays", "stays.csv", cwd=tmp_path)
    assert done.code == 0, done.err
    assert done.out == ("stays.csv: read 1 rows, accepted 1 (1 new, 0 updated, "
                        "0 unchanged), rejected 0.\n")
    assert done.err.startswith("Databasen er i bruk av `flyt serve` (pid "
                               f"{running.process.pid}): kommandoen går gjennom den.")
    history = client.get("/data.json").json()["history"]
    assert [(h["kind"], h["file"], h["status"], h["new"]) for h in history] == [
        ("stays", "stays.csv", "ok", 1)]
    assert ("local channel: import stays: stays.csv: ok, 1 rows"
            in running.wait_for("local channel:"))
    assert (None, "local.command", "import stays", "stays.csv: ok, 1 rows") in audited(running)


def test_a_plo_import_while_the_server_runs_goes_through_it(tmp_path: Path):
    env = flyt_env(tmp_path / "data")
    assert flyt(env, "plo", "receivers", "add", "5078", "5001").code == 0
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.xml").write_bytes(plo_message("innlagt", "m1", ids=[("FNR", synthetic_fnr(150))],
                                              at="2024-03-01T10:00:00"))
    server = Server(env, ()).start()
    try:
        done = flyt(env, "import", "plo", str(inbox), "--format", "json", "--receipts",
                    str(tmp_path / "receipts"))
    finally:
        assert server.stop() == 0
    assert done.code == 0, done.err
    assert [json.loads(line) for line in done.out.splitlines()] == [
        {"file": "a.xml", "msg_id": "m1", "type": "LOG_INNLAGT", "status": "applied",
         "reason": None}]
    assert len(list((tmp_path / "receipts").glob("*.xml"))) == 1
    assert (None, "local.command", "import plo", "1 messages") in audited(server)


def test_a_rejected_import_through_the_server_prints_its_errors_and_exits_1(
        running: Server, tmp_path: Path):
    stays = tmp_path / "stays.csv"
    stays.write_text(f"{HEADER}\n{GOOD}\n{BAD}\n", encoding="utf-8")
    done = flyt(running.env, "import", "stays", str(stays))
    assert done.code == 1
    assert "stays.csv: REJECTED, nothing was imported." in done.err
    assert "row 3, column municipality (value '9999')" in done.err
    assert "Traceback" not in done.err and done.out == ""


def test_user_disable_through_the_server_stops_the_users_sign_in_and_is_audited(
        running: Server):
    client = signed_in(running.url, "kari")
    assert client.get("/data.json").status_code == 200
    done = flyt(running.env, "user", "disable", "kari")
    assert (done.code, done.err.splitlines()[-1]) == (0, "disabled kari"), done.err
    fresh = httpx.Client(base_url=running.url, timeout=30)
    answer = fresh.post("/login", data={"name": "kari", "password": PASSWORD,
                                        "csrf_token": csrf_token(fresh)})
    assert answer.status_code != 303
    done = flyt(running.env, "user", "passwd", "kari", "--password-stdin",
                stdin="a brand new passphrase\n")
    assert (done.code, done.err.splitlines()[-1]) == (0, "password set for kari"), done.err
    done = flyt(running.env, "user", "enable", "kari")
    assert (done.code, done.err.splitlines()[-1]) == (0, "enabled kari"), done.err
    signed_in(running.url, "kari", "a brand new passphrase")
    log = audited(running)
    assert [e for e in log if e[1] in ("user.disable", "user.password", "user.enable")] == [
        (None, "user.disable", "kari", ""), (None, "user.password", "kari", ""),
        (None, "user.enable", "kari", "")]
    assert [e for e in log if e[1] == "local.command"] == [
        (None, "local.command", "user disable", "kari"),
        (None, "local.command", "user passwd", "kari"),
        (None, "local.command", "user enable", "kari")]


def test_a_request_without_the_token_is_refused_and_audited(running: Server):
    info = channel_info(running)
    url = f"http://127.0.0.1:{info['port']}/v1/user/disable"
    body = {"name": "ada"}
    wrong = {"Authorization": "Bearer " + "x" * len(info["token"])}
    from_a_page = {"Authorization": f"Bearer {info['token']}", "Origin": "http://evil.example"}
    answers = [httpx.post(url, json=body, headers=headers).status_code
               for headers in ({}, wrong, from_a_page)]
    assert answers == [401, 401, 401]
    signed_in(running.url, "ada")  # still enabled
    refused = [e for e in audited(running) if e[1] == "local.refused"]
    assert refused == [(None, "local.refused", "user disable", "no valid token")] * 3


def test_the_channel_file_is_private_and_gone_when_the_server_stops(running: Server):
    path = database_of(running).with_name("flyt.duckdb.serve.json")
    info = channel_info(running)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert info["pid"] == running.process.pid and info["port"] != running.port
    assert len(info["token"]) >= 40
    assert running.stop() == 0
    assert not path.exists()


def test_a_command_that_does_not_go_through_says_the_server_holds_the_file(running: Server):
    done = flyt(running.env, "kpi")
    assert done.code == 2
    assert done.err.startswith(f"Feil: databasen er i bruk av en kjørende `flyt serve` "
                               f"(pid {running.process.pid}). Stopp den først, eller gjør "
                               "dette i dashbordet"), done.err
    assert len(done.err.strip().splitlines()) == 1 and done.out == ""
    english = flyt(running.env, "goals", "--lang", "en")
    assert english.err.startswith("Error: the database is in use by a running `flyt serve` "
                                  f"(pid {running.process.pid}). Stop it first"), english.err
    assert english.code == 2


def test_a_watch_is_not_forwarded_the_server_watches_folders_itself(running: Server,
                                                                   tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    done = flyt(running.env, "import", "plo", str(inbox), "--watch")
    assert done.code == 2
    assert "`flyt serve --watch-plo MAPPE`" in done.err and "Traceback" not in done.err


def test_a_stale_channel_file_of_a_killed_server_is_not_used(tmp_path: Path):
    # The file names a pid that holds no lock now: the command opens the database itself.
    env = flyt_env(tmp_path / "data")
    assert flyt(env, "user", "add", "kari", "--role", "analyst", "--password-stdin",
                stdin=PASSWORD + "\n").code == 0
    stale = tmp_path / "data" / "flyt.duckdb.serve.json"
    stale.write_text(json.dumps({"pid": 1, "port": 9, "token": "t", "version": 1}),
                     encoding="utf-8")
    stale.chmod(0o600)
    done = flyt(env, "user", "disable", "kari")
    assert (done.code, done.err) == (0, "disabled kari\n")
