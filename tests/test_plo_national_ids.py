"""A national id in a PLO message's free text (the sender's department, which becomes
the stay's department) is masked when the message is received, and the message's
outcome says why. Both ways in: one message, and a folder through `flyt import plo`.

Messages are the standard's v1.6 examples as packaged (flyt.plo.build); the national
ids are synthetic (month + 80)."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.plo.build import plo_message, synthetic_fnr
from flyt.plo.receivers import add_receiver
from flyt.plo.replay import replay_messages
from flyt.plo.storing import receive_bytes
from flyt.store.db import Database
from tests.support.plo import plo_settings

SETTINGS = plo_settings()
PATIENT = synthetic_fnr(100)
IN_TEXT = synthetic_fnr(300, born="1980-01-01")  # another person's number, in free text
SPACED = f"{IN_TEXT[:6]} {IN_TEXT[6:]}"


def admitted(msg_id: str, department: str, at: str = "2024-03-01T10:00:00") -> bytes:
    return plo_message("innlagt", msg_id, ids=[("FNR", PATIENT)], at=at, department=department)


def stored(db: Database) -> tuple[list, list]:
    with db.engine.connect() as conn:
        messages = conn.execute(sa.text(
            "SELECT department, sector_hint, reason FROM plo_messages ORDER BY id")).all()
        stays = conn.execute(sa.text(
            "SELECT department FROM stays WHERE source = 'plo'")).scalars().all()
    return messages, stays


def test_a_national_id_in_the_department_is_masked_and_the_reason_kept(db, tmp_path: Path):
    add_receiver(db, "5078", "5001")
    outcome = receive_bytes(db, admitted("m1", f"Ortopedi, pas. {SPACED}"), "m1.xml", SETTINGS,
                            tmp_path / "receipts")
    assert outcome.status == "applied"
    assert "national identity number" in (outcome.reason or "")
    replay_messages(db, recompute=False)
    messages, stays = stored(db)
    assert messages[0].department == "Ortopedi, pas. ****** *****"
    assert IN_TEXT[:6] not in messages[0].sector_hint
    assert stays == ["Ortopedi, pas. ****** *****"]


def test_a_folder_of_messages_is_masked_too(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.xml").write_bytes(admitted("a1", f"Kirurgi {IN_TEXT}"))
    (folder / "b.xml").write_bytes(admitted("b1", "Medisin", at="2024-04-01T10:00:00"))
    db = Database.open(db_url)
    add_receiver(db, "5078", "5001")
    result = CliRunner().invoke(cli, ["import", "plo", str(folder), "--db", db_url,
                                      "--receipts", str(tmp_path / "receipts"),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert IN_TEXT not in result.output
    outcomes = [json.loads(line) for line in result.output.splitlines() if '"msg_id"' in line]
    reasons = {o["msg_id"]: o["reason"] for o in outcomes}
    assert "were masked" in reasons["a1"] and reasons["b1"] is None
    messages, stays = stored(db)
    assert sorted(m.department for m in messages) == ["Kirurgi ***********", "Medisin"]
    assert IN_TEXT not in repr(stays)


def test_a_department_stored_before_masking_is_masked_in_the_stay(db, tmp_path: Path):
    add_receiver(db, "5078", "5001")
    receive_bytes(db, admitted("m1", "Medisin"), "m1.xml", SETTINGS, tmp_path / "receipts")
    with db.engine.begin() as conn:  # as a message received by an earlier version kept it
        conn.execute(sa.text("UPDATE plo_messages SET department = :d"),
                     {"d": f"Medisin {IN_TEXT}"})
    replay_messages(db, recompute=False)
    assert stored(db)[1] == ["Medisin ***********"]
