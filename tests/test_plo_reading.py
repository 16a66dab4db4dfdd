"""Reading messages in worker processes gives exactly what reading them one by one
gives (flyt.plo.reading): same outcomes in the same order, same stored rows."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.plo import reading
from flyt.plo.receive import receive
from flyt.plo.receivers import add_receiver
from flyt.store import schema
from flyt.store.db import Database
from tests.support.plo import plo_settings

SETTINGS = plo_settings()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo stream with duplicates (same file twice) and unreadable files mixed in."""
    root = tmp_path_factory.mktemp("stream")
    result = CliRunner().invoke(cli, ["generate", "--output", str(root / "csv"), "--plo",
                                      str(root / "plo"), "--stays", "1000", "--seed", "3",
                                      "--until", "2019-06-01"])
    assert result.exit_code == 0, result.output
    plo = root / "plo"
    files = sorted(plo.glob("*.xml"))
    for i, f in enumerate(files[:40:4]):
        shutil.copy(f, plo / f"{f.stem}-again-{i}.xml")
    (plo / "broken-1.xml").write_bytes(b"<MsgHead><unclosed></MsgHead>")
    (plo / "empty-2.xml").write_bytes(b"")
    return plo


def receive_into(tmp_path: Path, folder: Path, name: str):
    db = Database.open(f"duckdb:///{tmp_path / name}.duckdb")
    with (folder / "receivers.csv").open() as f:
        for row in list(csv.DictReader(f))[:-1]:  # one receiver left unmapped: quarantine
            add_receiver(db, row["her_id"], row["municipality"])
    outcomes = receive(db, folder, SETTINGS, tmp_path / f"receipts-{name}", replay=False)
    m = schema.plo_messages.c
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(m.id, m.file_name, m.msg_id, m.status, m.reason,
                                      m.patient_key, m.receiver_her_id)
                            .order_by(m.id)).all()
        receipts = conn.execute(sa.select(schema.plo_receipts.c.message_id,
                                          schema.plo_receipts.c.status)
                                .order_by(schema.plo_receipts.c.id)).all()
    db.close()
    return outcomes, rows, receipts


def test_parallel_reading_gives_the_same_result_as_reading_one_by_one(
        folder, tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "PARALLEL_FROM", 10**9)
    serial = receive_into(tmp_path, folder, "serial")
    monkeypatch.setattr(reading, "PARALLEL_FROM", 1)
    monkeypatch.setattr(reading, "CHUNK", 7)
    monkeypatch.setattr(reading, "worker_count", lambda: 2)
    parallel = receive_into(tmp_path, folder, "parallel")
    assert parallel == serial
    statuses = {o.status for o in serial[0]}
    assert {"applied", "duplicate", "rejected", "quarantined"} <= statuses
    assert len(serial[0]) == len(list(folder.glob("*.xml")))
