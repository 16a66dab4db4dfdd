"""`flyt import plo` and `flyt plo …` on both engines."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from flyt.cli.main import cli
from tests.support.plo import plo_message, synthetic_fnr

FNR = synthetic_fnr(100)
ADMITTED = "2024-03-01T10:00:00"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def folder_with(tmp_path: Path, *messages: tuple[str, bytes]) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name, data in messages:
        (folder / name).write_bytes(data)
    return folder


def innlagt(msg_id: str) -> bytes:
    return plo_message("innlagt", msg_id, ids=[("FNR", FNR)], at=ADMITTED)


def json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_import_plo_prints_one_json_object_per_message(tmp_path, db_url):
    folder = folder_with(tmp_path, ("a.xml", innlagt("m1")), ("b.xml", innlagt("m1")),
                         ("notes.txt", b"not a message"))
    assert run("plo", "receivers", "add", "5078", "5001", "--db", db_url)[0] == 0
    code, out = run("import", "plo", str(folder), "--format", "json", "--db", db_url,
                    "--receipts", str(tmp_path / "r"))
    assert code == 0, out
    assert json_lines(out) == [
        {"file": "a.xml", "msg_id": "m1", "type": "LOG_INNLAGT", "status": "applied",
         "reason": None},
        {"file": "b.xml", "msg_id": "m1", "type": "LOG_INNLAGT", "status": "duplicate",
         "reason": "already received (same MsgId)"},
    ]
    assert len(list((tmp_path / "r").glob("*.xml"))) == 2


def test_receipts_go_to_the_data_directory_by_default(tmp_path, db_url):
    folder = folder_with(tmp_path, ("a.xml", innlagt("m1")))
    code, out = run("import", "plo", str(folder / "a.xml"), "--db", db_url)
    assert code == 0 and "quarantined" in out
    assert len(list((tmp_path / "data" / "plo" / "receipts").glob("*.xml"))) == 1
    code, out = run("plo", "receipts", "--db", db_url)
    assert code == 0 and "m1" in out and "error" in out and "unknown receiver" in out


def test_receivers_add_list_remove(db_url):
    assert run("plo", "receivers", "add", "5078", "5001", "--db", db_url)[0] == 0
    code, out = run("plo", "receivers", "list", "--db", db_url)
    assert code == 0 and "5078\t5001" in out
    code, out = run("plo", "receivers", "add", "5079", "9999", "--db", db_url)
    assert code != 0 and "unknown municipality" in out
    assert run("plo", "receivers", "remove", "5078", "--db", db_url)[0] == 0
    assert "No receivers" in run("plo", "receivers", "list", "--db", db_url)[1]
    assert run("plo", "receivers", "remove", "5078", "--db", db_url)[0] != 0


def test_quarantine_then_retry_after_the_receiver_is_added(tmp_path, db_url):
    folder = folder_with(tmp_path, ("a.xml", innlagt("m1")))
    run("import", "plo", str(folder), "--db", db_url, "--receipts", str(tmp_path / "r"))
    code, out = run("plo", "quarantine", "--db", db_url)
    assert code == 0 and "m1" in out and "unknown receiver" in out
    run("plo", "receivers", "add", "99387", "5001", "--db", db_url)
    code, out = run("plo", "retry", "--db", db_url, "--format", "json",
                    "--receipts", str(tmp_path / "r"))
    assert code == 0 and [o["status"] for o in json_lines(out)] == ["applied"]
    assert "Nothing in quarantine" in run("plo", "quarantine", "--db", db_url)[1]


def test_watch_reads_files_as_they_come_and_stops_after_max_cycles(tmp_path, db_url):
    folder = folder_with(tmp_path, ("a.xml", innlagt("m1")))
    run("plo", "receivers", "add", "5078", "5001", "--db", db_url)
    code, out = run("import", "plo", str(folder), "--watch", "--interval", "0",
                    "--max-cycles", "2", "--format", "json", "--db", db_url,
                    "--receipts", str(tmp_path / "r"))
    assert code == 0 and [o["msg_id"] for o in json_lines(out)] == ["m1"]  # read once


def test_watch_picks_up_a_file_that_arrives_while_it_waits(tmp_path, db_url, monkeypatch):
    folder = folder_with(tmp_path, ("a.xml", innlagt("m1")))
    run("plo", "receivers", "add", "5078", "5001", "--db", db_url)
    arrivals = [("b.xml", plo_message("klar", "m2", ids=[("FNR", FNR)], at="2024-03-05",
                                      admitted=ADMITTED))]

    def pause(stopping, seconds: float) -> None:  # a message arrives while the watcher waits
        if arrivals:
            name, data = arrivals.pop()
            (folder / name).write_bytes(data)

    monkeypatch.setattr("flyt.plo.commands.pause", pause)
    code, out = run("import", "plo", str(folder), "--watch", "--max-cycles", "3",
                    "--format", "json", "--db", db_url, "--receipts", str(tmp_path / "r"))
    assert code == 0 and [o["msg_id"] for o in json_lines(out)] == ["m1", "m2"]
