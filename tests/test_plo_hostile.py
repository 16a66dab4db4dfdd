"""The PLO receiver against hostile and broken files (issue 10, items 2 and 5).

A message with a DOCTYPE (external entities, billion laughs, parameter entities, an
external DTD) or XInclude is rejected with an error receipt and kept like any invalid
message; a message that makes the reader fail unexpectedly, a file over the size
limit, an empty file, a file that cannot be read or that is gone: none stops the
import or the watcher, and every other message in the folder is answered. Real files
in a real folder, the real `flyt` command (a subprocess for the watcher). Both engines.
"""

from __future__ import annotations

import gc
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from flyt.cli.main import cli
from flyt.plo.build import plo_message, synthetic_fnr
from flyt.plo.errors import ErrorCode, MessageError
from flyt.plo.message import read_message
from flyt.store import schema

ADMITTED = "2024-03-01T10:00:00"
DTD_REFUSED = "invalid XML: DTDs and entities are not allowed"
SECRET = "flyt-must-never-read-this"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def innlagt(msg_id: str, n: int = 100) -> bytes:
    return plo_message("innlagt", msg_id, ids=[("FNR", synthetic_fnr(n))], at=ADMITTED)


def with_doctype(message: bytes, doctype: str, *, reference: str = "") -> bytes:
    """The message with `doctype` after its XML declaration and `reference` (an entity
    reference) as the start of its MsgId, where a reader that expands it would show it."""
    text = message.decode("utf-8")
    declaration_end = text.index("?>") + 2
    text = text[:declaration_end] + "\n" + doctype + text[declaration_end:]
    return text.replace("<MsgId>", f"<MsgId>{reference}", 1).encode("utf-8")


def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def hostile_messages(tmp_path: Path) -> dict[str, bytes]:
    """Each way a DOCTYPE can attack a parser, around a message that is otherwise valid."""
    secret = secret_file(tmp_path).as_uri()
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return {
        "external-entity": with_doctype(
            innlagt("xxe", 101), f'<!DOCTYPE MsgHead [<!ENTITY xxe SYSTEM "{secret}">]>',
            reference="&xxe;"),
        "billion-laughs": with_doctype(
            innlagt("laughs", 102), f'<!DOCTYPE MsgHead [<!ENTITY l0 "lol">{laughs}]>',
            reference="&l9;"),
        "parameter-entity": with_doctype(
            innlagt("pe", 103), f'<!DOCTYPE MsgHead [<!ENTITY % p SYSTEM "{secret}"> %p;]>'),
        "external-dtd": with_doctype(
            innlagt("dtd", 104), '<!DOCTYPE MsgHead SYSTEM "http://127.0.0.1:9/evil.dtd">'),
        "harmless-entity": with_doctype(
            innlagt("internal", 105), '<!DOCTYPE MsgHead [<!ENTITY x "m">]>', reference="&x;"),
        "utf-16": with_doctype(
            innlagt("utf16", 108), f'<!DOCTYPE MsgHead [<!ENTITY xxe SYSTEM "{secret}">]>',
            reference="&xxe;").decode("utf-8").replace(
                "encoding='UTF-8'", "encoding='UTF-16'").encode("utf-16"),
    }


def xinclude(msg_id: str) -> bytes:
    """A message whose Document pulls in a file by XInclude (never expanded: refused)."""
    text = innlagt(msg_id, 106).decode("utf-8")
    include = ('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
               'href="file:///etc/hostname" parse="text"/>')
    return text.replace("</MsgInfo>", "</MsgInfo>" + include, 1).encode("utf-8")


def crashed_the_reader(msg_id: str) -> bytes:
    """Not well-formed (a broken prefix) in a way that made the head's rescue for the
    error receipt raise ValueError, which stopped the import (a fuzzing find)."""
    return innlagt(msg_id, 107).replace(b"<Organisation>", b"<O:rganisation>", 1)


def folder_with(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def received(folder: Path, db_url: str, tmp_path: Path) -> list[dict]:
    """`flyt import plo FOLDER`'s outcomes (JSON), which must exit with 0."""
    code, out = run("import", "plo", str(folder), "--format", "json", "--db", db_url,
                    "--receipts", str(tmp_path / "r"))
    assert code == 0, out
    return json_lines(out)


def receipts(db_url: str) -> list[dict]:
    code, out = run("plo", "receipts", "--format", "json", "--db", db_url)
    assert code == 0, out
    return json_lines(out)


def stored(db_url: str) -> list[dict]:
    from flyt.store.db import Database

    db = Database.open(db_url)
    try:
        with db.engine.connect() as conn:
            m = schema.plo_messages.c
            return [dict(r._mapping) for r in conn.execute(
                sa.select(m.file_name, m.msg_id, m.status, m.error_code, m.reason)
                .order_by(m.id))]
    finally:
        db.close()


@pytest.fixture
def receiving(db_url: str) -> str:
    code, out = run("plo", "receivers", "add", "5078", "5001", "--db", db_url)
    assert code == 0, out
    return db_url


def test_an_external_entity_between_two_good_messages_is_refused_and_both_are_answered(
        receiving: str, tmp_path: Path):
    hostile = hostile_messages(tmp_path)["external-entity"]
    folder = folder_with(tmp_path, {"a.xml": innlagt("m1", 110), "b.xml": hostile,
                                    "c.xml": innlagt("m3", 111)})
    outcomes = received(folder, receiving, tmp_path)
    assert [(o["file"], o["status"], o["reason"]) for o in outcomes] == [
        ("a.xml", "applied", None), ("b.xml", "rejected", DTD_REFUSED),
        ("c.xml", "applied", None)]
    answered = receipts(receiving)
    assert [(r["status"], r["text"]) for r in answered] == [
        ("ok", None), ("error", DTD_REFUSED), ("ok", None)]
    assert len(list((tmp_path / "r").glob("*.xml"))) == 3
    error_receipt = Path(answered[1]["path"]).read_bytes()
    assert b'V="T01"' in error_receipt and DTD_REFUSED.encode() in error_receipt
    assert SECRET not in json.dumps(outcomes) and SECRET.encode() not in error_receipt
    code, out = run("plo", "quarantine", "--db", receiving)
    assert code == 0 and "b.xml" in out and DTD_REFUSED in out
    # Kept: a retry reads it again, and refuses it again.
    code, out = run("plo", "retry", "--format", "json", "--db", receiving,
                    "--receipts", str(tmp_path / "r"))
    assert code == 0 and [(o["status"], o["reason"]) for o in json_lines(out)] == [
        ("rejected", DTD_REFUSED)]


@pytest.mark.parametrize("attack", ["external-entity", "billion-laughs", "parameter-entity",
                                    "external-dtd", "harmless-entity", "utf-16"])
def test_every_kind_of_doctype_is_refused_with_the_same_reason(
        receiving: str, tmp_path: Path, attack: str):
    folder = folder_with(tmp_path, {"x.xml": hostile_messages(tmp_path)[attack]})
    started = time.monotonic()
    outcomes = received(folder, receiving, tmp_path)
    assert [(o["status"], o["reason"]) for o in outcomes] == [("rejected", DTD_REFUSED)]
    assert time.monotonic() - started < 30  # nothing expanded a billion times
    assert [r["text"] for r in receipts(receiving)] == [DTD_REFUSED]


def test_xinclude_is_refused_and_never_expanded(receiving: str, tmp_path: Path):
    folder = folder_with(tmp_path, {"x.xml": xinclude("xi")})
    outcomes = received(folder, receiving, tmp_path)
    assert [(o["status"], o["reason"]) for o in outcomes] == [
        ("rejected", "invalid XML: XInclude is not allowed")]


def test_a_message_that_made_the_reader_fail_is_answered_and_the_next_one_read(
        receiving: str, tmp_path: Path):
    folder = folder_with(tmp_path, {"a.xml": crashed_the_reader("broken"),
                                    "b.xml": innlagt("m2", 112)})
    outcomes = received(folder, receiving, tmp_path)
    assert [(o["file"], o["status"]) for o in outcomes] == [("a.xml", "rejected"),
                                                            ("b.xml", "applied")]
    assert outcomes[0]["reason"].startswith("not well-formed XML")
    assert [r["status"] for r in receipts(receiving)] == ["error", "ok"]


FUZZED = innlagt("fuzz", 124)
# Damage where it hurts a reader most: in and around the tags.
TAGS = [i + 1 for i, byte in enumerate(FUZZED) if byte == ord("<")]
DAMAGE = st.lists(st.tuples(st.sampled_from(TAGS), st.integers(0, 12), st.integers(0, 8),
                            st.text("<>&;:/=\"' !-Oab19", max_size=4).map(str.encode)),
                  min_size=1, max_size=3)


@settings(max_examples=200, deadline=None)
@given(edits=DAMAGE)
@example(edits=[(FUZZED.index(b"<Organisation>") + 1, 1, 0, b":")])  # what fuzzing found
def test_a_damaged_message_is_read_or_refused_with_a_reason_never_an_unexpected_error(
        edits: list[tuple[int, int, int, bytes]]):
    """Cut and paste markup into a valid message: the reader knows what is wrong with
    every result (the fuzzing that found the broken prefix, kept as a property)."""
    data = bytearray(FUZZED)
    for tag, offset, cut, paste in sorted(edits, reverse=True):
        data[tag + offset:tag + offset + cut] = paste
    try:
        read_message(bytes(data))
    except MessageError as error:
        assert error.code != ErrorCode.UNEXPECTED, repr(error.__cause__)


def test_a_message_over_the_size_limit_is_refused_without_being_kept(
        receiving: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    config = tmp_path / "flyt.toml"
    config.write_text("[plo]\nmax_message_mb = 0.01\n", encoding="utf-8")  # 10 485 bytes
    monkeypatch.setenv("FLYT_CONFIG", str(config))
    padded = innlagt("big", 113).replace(b"<MsgInfo>", b"<!--" + b"x" * 8000 + b"--><MsgInfo>")
    assert 10485 < len(padded) < 13000
    folder = folder_with(tmp_path, {"a.xml": padded, "b.xml": innlagt("m2", 114)})
    outcomes = received(folder, receiving, tmp_path)
    assert [(o["file"], o["status"]) for o in outcomes] == [("a.xml", "rejected"),
                                                            ("b.xml", "applied")]
    assert outcomes[0]["reason"] == (
        f"message too large: {len(padded)} bytes, the limit is 10485 bytes "
        "([plo] max_message_mb)")
    assert [r["status"] for r in receipts(receiving)] == ["error", "ok"]
    # Not retried: its bytes were never kept, the sender must send it again.
    code, out = run("plo", "retry", "--format", "json", "--db", receiving,
                    "--receipts", str(tmp_path / "r"))
    assert code == 0 and json_lines(out) == []


def test_the_default_size_limit_is_five_megabytes(receiving: str, tmp_path: Path):
    limit = 5 * 1024 * 1024
    message = innlagt("m1", 115)
    fits = message.replace(b"<MsgInfo>", b"<!--" + b"x" * (limit - len(message) - 7)
                           + b"--><MsgInfo>")
    assert len(fits) == limit
    folder = folder_with(tmp_path, {"a.xml": fits, "b.xml": fits.replace(b"<!--", b"<!-- ")})
    outcomes = received(folder, receiving, tmp_path)
    assert outcomes[0]["status"] == "applied"
    assert (outcomes[1]["status"], outcomes[1]["reason"]) == ("rejected", (
        f"message too large: {limit + 1} bytes, the limit is {limit} bytes "
        "([plo] max_message_mb)"))


@pytest.mark.parametrize("value", ['"big"', "0", "-1", "true", "inf", "nan"])
def test_a_bad_size_limit_is_one_clear_error_naming_the_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str):
    config = tmp_path / "flyt.toml"
    config.write_text(f"[plo]\nmax_message_mb = {value}\n", encoding="utf-8")
    monkeypatch.setenv("FLYT_CONFIG", str(config))
    folder = folder_with(tmp_path, {"a.xml": innlagt("m1")})
    code, out = run("import", "plo", str(folder), "--db", str(tmp_path / "x.duckdb"))
    assert code == 1
    assert "[plo] max_message_mb must be a number of megabytes > 0" in out
    assert "Traceback" not in out


def unreadable(path: Path) -> None:
    """A file in the folder that cannot be read. As root (who reads a mode-000 file),
    a link to /proc/self/mem: a regular file to stat, an I/O error to read."""
    if os.geteuid() == 0:
        path.symlink_to("/proc/self/mem")
    else:
        path.write_bytes(innlagt("locked", 116))
        path.chmod(0)


def test_an_unreadable_or_vanished_file_is_reported_and_the_others_are_received(
        receiving: str, tmp_path: Path):
    folder = folder_with(tmp_path, {"a.xml": innlagt("m1", 117), "c.xml": innlagt("m3", 118),
                                    "empty.xml": b""})
    unreadable(folder / "b.xml")
    code, out = run("import", "plo", str(folder), "--format", "json", "--db", receiving,
                    "--receipts", str(tmp_path / "r"))
    assert code == 1, out
    outcomes = {o["file"]: o for o in json_lines(out)}
    assert [outcomes[f]["status"] for f in ("a.xml", "b.xml", "c.xml", "empty.xml")] == [
        "applied", "unreadable", "applied", "rejected"]
    assert outcomes["b.xml"]["reason"].startswith("cannot read the file: ")
    assert outcomes["empty.xml"]["reason"].startswith("not well-formed XML")
    assert "1 file could not be read" in out
    assert [m["file_name"] for m in stored(receiving)] == ["a.xml", "c.xml", "empty.xml"]


def test_a_file_gone_between_listing_and_reading_is_reported_not_fatal(
        receiving: str, tmp_path: Path):
    from flyt.config import load_settings
    from flyt.plo.receive import receive_files
    from flyt.store.db import Database

    folder = folder_with(tmp_path, {"a.xml": innlagt("m1", 119)})
    listed = [folder / "gone.xml", folder / "a.xml"]  # as listed, then gone.xml vanished
    db = Database.open(receiving)
    try:
        outcomes = receive_files(db, listed, load_settings(receiving), tmp_path / "r")
    finally:
        db.close()
    assert [(o.file, o.status) for o in outcomes] == [("gone.xml", "unreadable"),
                                                      ("a.xml", "applied")]
    assert outcomes[0].reason == "cannot read the file: it is gone"


def test_a_message_the_store_refuses_is_quarantined_and_the_rest_of_its_batch_received(
        receiving: str, tmp_path: Path):
    """A real refusal by the database for one message of a batch: a CHECK constraint
    (PostgreSQL; DuckDB cannot add one to a table) that no applied message may be
    called "poison". Before, the whole batch was rolled back and the import stopped."""
    if not receiving.startswith("postgresql"):
        pytest.skip("DuckDB cannot add a CHECK constraint to an existing table")
    from flyt.store.db import Database

    db = Database.open(receiving)
    refuse = ("ALTER TABLE plo_messages ADD CONSTRAINT test_refuses_poison "
              "CHECK (status <> 'applied' OR msg_id <> 'poison')")
    with db.engine.begin() as conn:
        conn.exec_driver_sql(refuse)
    try:
        folder = folder_with(tmp_path, {"a.xml": innlagt("m1", 121),
                                        "b.xml": innlagt("poison", 122),
                                        "c.xml": innlagt("m3", 123)})
        outcomes = received(folder, receiving, tmp_path)
    finally:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE plo_messages DROP CONSTRAINT test_refuses_poison")
        db.close()
    assert [(o["file"], o["msg_id"], o["status"], o["reason"]) for o in outcomes] == [
        ("a.xml", "m1", "applied", None),
        ("b.xml", "poison", "quarantined",
         "unexpected error receiving the message (IntegrityError): kept for flyt plo retry"),
        ("c.xml", "m3", "applied", None)]
    answered = receipts(receiving)
    assert [(r["msg_id"], r["status"]) for r in answered] == [
        ("m1", "ok"), ("poison", "error"), ("m3", "ok")]
    # the rolled-back batch's receipts are gone: one file per recorded receipt
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == sorted(
        Path(r["path"]).name for r in answered)
    code, out = run("plo", "retry", "--format", "json", "--db", receiving,
                    "--receipts", str(tmp_path / "r"))
    assert code == 0 and [(o["msg_id"], o["status"]) for o in json_lines(out)] == [
        ("poison", "applied")]


def test_a_fifo_put_in_place_of_a_listed_file_does_not_hang_the_import(
        receiving: str, tmp_path: Path):
    from flyt.config import load_settings
    from flyt.plo.receive import receive_files
    from flyt.store.db import Database

    folder = folder_with(tmp_path, {"a.xml": innlagt("m1", 125)})
    os.mkfifo(folder / "pipe.xml")  # nobody writes to it: reading it would wait forever
    db = Database.open(receiving)
    try:
        outcomes = receive_files(db, [folder / "pipe.xml", folder / "a.xml"],
                                 load_settings(receiving), tmp_path / "r")
    finally:
        db.close()
    assert [(o.file, o.status, o.reason) for o in outcomes] == [
        ("pipe.xml", "unreadable", "cannot read the file: not a regular file"),
        ("a.xml", "applied", None)]


def test_the_watcher_skips_a_file_gone_before_it_looked_at_it(tmp_path: Path):
    from flyt.plo.watching import fresh_files

    folder = folder_with(tmp_path, {"a.xml": innlagt("m1")})
    seen: set = set()
    assert list(fresh_files([folder / "gone.xml", folder / "a.xml"], seen)) == [folder / "a.xml"]


# --- the watcher, as a process of its own ----------------------------------------------


class Watcher:
    """`flyt import plo FOLDER --watch` in a subprocess, its JSON lines read as they come."""

    def __init__(self, folder: Path, db_url: str, receipts_dir: Path, data_dir: Path) -> None:
        gc.collect()  # the commands run in this process let go of an embedded database
        env = {**os.environ, "FLYT_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flyt", "import", "plo", str(folder), "--watch",
             "--interval", "0.2", "--format", "json", "--db", db_url,
             "--receipts", str(receipts_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def outcomes(self, count: int, timeout: float = 60) -> list[dict]:
        found: list[dict] = []
        deadline = time.monotonic() + timeout
        while len(found) < count:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"{len(found)} of {count} outcomes: {found}; stderr: "
                                     f"{self.stop()}") from None
            if line.startswith("{"):
                found.append(json.loads(line))
        return found

    def stop(self, how: int = signal.SIGINT) -> str:
        if self.process.poll() is None:
            self.process.send_signal(how)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        assert self.process.stderr is not None
        return self.process.stderr.read()


def test_the_watcher_survives_hostile_broken_empty_and_unreadable_files(
        receiving: str, tmp_path: Path):
    hostile = hostile_messages(tmp_path)
    folder = folder_with(tmp_path, {"1-xxe.xml": hostile["external-entity"],
                                    "2-laughs.xml": hostile["billion-laughs"],
                                    "3-broken.xml": crashed_the_reader("broken"),
                                    "4-empty.xml": b""})
    unreadable(folder / "5-locked.xml")
    watcher = Watcher(folder, receiving, tmp_path / "r", tmp_path / "data")
    try:
        first = watcher.outcomes(5)
        assert [(o["file"], o["status"]) for o in first] == [
            ("1-xxe.xml", "rejected"), ("2-laughs.xml", "rejected"), ("3-broken.xml", "rejected"),
            ("4-empty.xml", "rejected"), ("5-locked.xml", "unreadable")]
        time.sleep(1)  # a few more looks at the folder: nothing is read twice
        assert watcher.process.poll() is None, watcher.stop()
        # A good message delivered the recommended way: written elsewhere, then moved in.
        (tmp_path / "6-good.xml").write_bytes(innlagt("good", 120))
        (tmp_path / "6-good.xml").rename(folder / "6-good.xml")
        (good,) = watcher.outcomes(1)
        assert (good["file"], good["status"], good["msg_id"]) == ("6-good.xml", "applied", "good")
        assert watcher.process.poll() is None
    finally:
        errors = watcher.stop()
    assert watcher.process.returncode == 0, errors
    assert "Traceback" not in errors and "Stopped watching." in errors
    assert [r["status"] for r in receipts(receiving)] == ["error"] * 4 + ["ok"]


def test_the_watcher_stops_cleanly_when_the_service_manager_asks(receiving: str,
                                                                  tmp_path: Path):
    # systemd stops a service with SIGTERM: the watcher finishes its look and says so.
    folder = folder_with(tmp_path, {"1-good.xml": innlagt("one", 121)})
    watcher = Watcher(folder, receiving, tmp_path / "receipts", tmp_path / "data")
    watcher.outcomes(1)
    errors = watcher.stop(signal.SIGTERM)
    assert watcher.process.returncode == 0, errors
    assert "Stopped watching." in errors
