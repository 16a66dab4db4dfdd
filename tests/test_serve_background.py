"""`flyt serve` runs the PLO watcher and the mail schedule in threads of its own process
(flyt.cli.serving): what they receive shows on the next page view, a bad message or a
mail server that is down is said and the threads go on, and SIGTERM or Ctrl+C stop it
all cleanly. A real server process on the embedded database, real SMTP, real HTTP;
the loops themselves on both engines."""

from __future__ import annotations

import signal
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flyt.config import load_settings
from flyt.distribution.running import run_schedule
from flyt.distribution.send_log import history
from flyt.distribution.settings import load_distribution
from flyt.store.db import Database
from tests.support.mail import free_port, smtp_server, tiny_report
from tests.support.plo import plo_message, synthetic_fnr
from tests.support.server import Server, add_user, flyt, flyt_env, signed_in

ADMITTED = "2024-03-01T10:00:00"
SNAPSHOT = ["koordinator@stolav.no"]


def innlagt(msg_id: str, n: int) -> bytes:
    return plo_message("innlagt", msg_id, ids=[("FNR", synthetic_fnr(n))], at=ADMITTED)


def mail_config(port: int, retries: int = 0, wait: int = 0) -> str:
    return f"""
[mail]
host = "127.0.0.1"
port = {port}
starttls = false
sender = "flyt@stolav.no"
timeout = 5

[distribution]
monthly = []
snapshot = ["koordinator@stolav.no"]

[schedule]
retries = {retries}
retry_wait_seconds = {wait}
"""


def moved_in(folder: Path, name: str, data: bytes) -> None:
    """A message delivered the recommended way: written elsewhere, then moved in."""
    staging = folder.parent / f".{name}"
    staging.write_bytes(data)
    staging.rename(folder / name)


def test_serve_watches_a_plo_folder_mails_the_schedule_and_the_next_page_shows_it(
        tmp_path: Path):
    inbox, receipts = tmp_path / "inbox", tmp_path / "receipts"
    inbox.mkdir()
    with smtp_server() as (mailbox, port):
        env = flyt_env(tmp_path / "data", mail_config(port) + "\n[serve]\nplo_interval = 0.2\n")
        database = str(tmp_path / "data" / "flyt.duckdb")
        add_user(env, database, "kari")
        assert flyt(env, "plo", "receivers", "add", "5078", "5001").code == 0
        server = Server(env, ("--watch-plo", str(inbox), "--receipts", str(receipts),
                              "--schedule")).start()
        try:
            client = signed_in(server.url, "kari")
            assert client.get("/data.json").json()["history"] == []
            moved_in(inbox, "1-broken.xml", b"<not a message")
            assert "1-broken.xml: rejected" in server.wait_for("plo: 1-broken.xml")
            moved_in(inbox, "2-good.xml", innlagt("good", 130))
            assert "2-good.xml: applied" in server.wait_for("plo: 2-good.xml")
            server.wait_for("plo: Replayed: 1 stays")
            # The next page view, not a second later: the watcher dropped the caches.
            history = client.get("/data.json").json()["history"]
            assert ("stays", "(plo replay)", "ok", 1) in [
                (h["kind"], h["file"], h["status"], h["new"]) for h in history]
            # The schedule's first round caught up the latest Monday or Thursday snapshot.
            assert "schedule: Sendt: øyeblikksbilde" in server.wait_for("schedule:", 120)
            assert [e.rcpt_tos for e in mailbox.envelopes] == [SNAPSHOT]
            assert client.get("/").status_code == 200
        finally:
            code = server.stop(signal.SIGTERM)
    log = server.log()
    assert code == 0, log
    assert log.rstrip().endswith("Flyt er stoppet."), log
    assert "Traceback" not in log
    assert len(list(receipts.glob("*.xml"))) == 2  # both messages answered
    assert not (tmp_path / "data" / "flyt.duckdb.serve.json").exists()


def test_serve_with_a_mail_server_down_goes_on_serving_and_stops_on_ctrl_c(tmp_path: Path):
    env = flyt_env(tmp_path / "data", mail_config(free_port()))
    add_user(env, str(tmp_path / "data" / "flyt.duckdb"), "kari")
    server = Server(env, ("--schedule",)).start()
    try:
        line = server.wait_for("schedule:", 120)
        assert "schedule: Ikke sendt: øyeblikksbilde" in line, server.log()
        assert "cannot send through the SMTP server 127.0.0.1" in line
        assert signed_in(server.url, "kari").get("/data").status_code == 200
        assert server.process is not None and server.process.poll() is None
    finally:
        code = server.stop(signal.SIGINT)
    assert code == 0, server.log()
    assert "Traceback" not in server.log()


def test_serve_refuses_to_start_with_a_folder_that_does_not_exist(tmp_path: Path):
    env = flyt_env(tmp_path / "data", '[serve]\nplo_folders = ["missing"]\n')
    done = flyt(env, "serve", "--port", str(free_port()), timeout=60)
    assert done.code == 1
    assert done.err == (f"Error: [serve] plo_folders: {tmp_path / 'data' / 'missing'} "
                        "is not a folder\n")


def test_serve_with_schedule_and_no_smtp_server_refuses_to_start(tmp_path: Path):
    env = flyt_env(tmp_path / "data", '[distribution]\nsnapshot = ["a@stolav.no"]\n'
                                      '[mail]\nsender = "flyt@stolav.no"\n')
    done = flyt(env, "serve", "--port", str(free_port()), "--schedule", timeout=60)
    assert done.code == 1
    assert done.err == "Error: no SMTP server: set host under [mail] in the configuration\n"


# --- the schedule loop itself (flyt.distribution.running), on both engines ------------


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The renderer replaced by a fixed report (the loop is under test, not the report)."""
    kinds: list[str] = []

    def build(db, settings, kind, *, month=None, at=None, lang="nb"):  # type: ignore[no-untyped-def]
        kinds.append(kind)
        return tiny_report(kind)

    monkeypatch.setattr("flyt.reports.render_for_mail", build)
    return kinds


def configure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    config = tmp_path / "flyt.toml"
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("FLYT_CONFIG", str(config))


def test_an_error_in_a_round_is_said_and_the_next_round_sends(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str, built: list[str]):
    # Monday 4 March 2024 07:05 in Oslo: the 07:00 snapshot is due. The first look at
    # the clock fails as a round can (the store restarting); the loop goes on.
    monday = datetime(2024, 3, 4, 6, 5, tzinfo=UTC)
    calls = iter([RuntimeError("the store is restarting")])

    def clock() -> datetime:
        failure = next(calls, None)
        if failure:
            raise failure
        return monday

    stop, said = threading.Event(), []
    with smtp_server() as (mailbox, port):
        configure(tmp_path, monkeypatch, mail_config(port))

        def echo(line: str) -> None:
            said.append(line)
            stop.set()  # one send is enough

        db = Database.open(db_url)
        try:
            run_schedule(db, load_settings(db_url), load_distribution(), stop, clock=clock,
                         echo=echo, warn=said.append, max_sleep=0.1)
            sends = [(r.kind, r.period, r.status) for r in history(db)]
        finally:
            db.close()
    assert said[:2] == ["Error: RuntimeError: the store is restarting (trying again in 0 s)",
                        "Sendt: øyeblikksbilde 2024-03-04T07:00, mottakere: 1 (forsøk 1)."]
    # The same round's daily jobs may add their lines (the plan notes its activities).
    assert all(line.startswith(("deviations: ", "plan: ")) for line in said[2:]), said
    assert [e.rcpt_tos for e in mailbox.envelopes] == [SNAPSHOT]
    assert sends == [("snapshot", "2024-03-04T07:00", "sent")]


def test_a_stop_while_waiting_to_try_again_ends_the_loop_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str, built: list[str]):
    # The mail server is down; the next try would come in 10 minutes.
    configure(tmp_path, monkeypatch, mail_config(free_port(), retries=2, wait=600))
    stop = threading.Event()
    monday = datetime(2024, 3, 4, 6, 5, tzinfo=UTC)
    db = Database.open(db_url)
    try:
        loop = threading.Thread(target=run_schedule, args=(
            db, load_settings(db_url), load_distribution(), stop),
            kwargs={"clock": lambda: monday, "echo": lambda line: stop.set()})
        started = time.monotonic()
        loop.start()
        loop.join(30)
        stopped_after = time.monotonic() - started
        sends = [(r.kind, r.status, r.attempt) for r in history(db)]
    finally:
        db.close()
    assert not loop.is_alive() and stopped_after < 20
    assert sends == [("snapshot", "failed", 1)]


# --- the watch loop itself (flyt.plo.watching), on both engines ------------------------


def test_messages_whose_replay_failed_are_replayed_at_the_next_look(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str):
    from flyt.plo import receivers, watching
    from flyt.plo.limits import PloLimits
    from flyt.plo.replay import replay_messages

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    moved_in(inbox, "a.xml", innlagt("m1", 160))
    failures = [RuntimeError("the store is restarting")]

    def replay_failing_once(db: Database):  # type: ignore[no-untyped-def]
        if failures:
            raise failures.pop()
        return replay_messages(db)

    monkeypatch.setattr(watching, "replay_messages", replay_failing_once)
    said: list[str] = []
    replayed: list[int] = []
    report = watching.Reporter(received=lambda outcomes: said.extend(o.status for o in outcomes),
                               replayed=lambda result: replayed.append(result.stays),
                               failed=said.append)
    db = Database.open(db_url)
    try:
        receivers.add_receiver(db, "5078", "5001")
        watching.watch(db, load_settings(db_url),
                       watching.Watch([inbox], tmp_path / "r", PloLimits(), 0),
                       report, threading.Event(), max_cycles=2)
        with db.engine.connect() as conn:
            stays = conn.exec_driver_sql("SELECT count(*) FROM stays").scalar()
    finally:
        db.close()
    # The first look received the message and its replay failed; the second look found
    # no new file and replayed all the same.
    assert said == ["applied", "Error: the store is restarting (looking again in 0 s)"]
    assert replayed == [1] and stays == 1
