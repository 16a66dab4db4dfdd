"""Receiving and replaying PLO messages take turns on a store: on PostgreSQL a watcher of
`flyt serve` and a `flyt import plo --watch` in another process may look at the same
moment. Without turns, two receivers each linked the same patient alias (a duplicate
key, one message quarantined), and a replay that had read fewer messages could write
last and remove the stays the other had just written."""

from __future__ import annotations

import threading
from pathlib import Path

from flyt.plo.receive import RECEIVING, receive_files
from flyt.plo.receivers import add_receiver
from flyt.plo.replay import replay_messages
from flyt.store import turns
from flyt.store.db import Database
from tests.support.plo import plo_message, plo_settings, synthetic_fnr


def innlagt(folder: Path, name: str, n: int, day: int) -> Path:
    path = folder / name
    path.write_bytes(plo_message("innlagt", name, ids=[("FNR", synthetic_fnr(n))],
                                 at=f"2024-03-{day:02}T10:00:00"))
    return path


def in_thread(work) -> tuple[threading.Thread, list]:
    """Run `work` in a thread; its result, or the exception it raised, lands in the list."""
    done: list = []

    def run() -> None:
        try:
            done.append(work())
        except Exception as error:  # shown in the test's assertion
            done.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, done


def test_a_receiver_waits_for_the_one_receiving_before_it(db: Database, tmp_path: Path):
    add_receiver(db, "5078", "5001")
    message = innlagt(tmp_path, "a.xml", 140, 1)
    with turns.one_at_a_time(db, RECEIVING):  # another receiver at work
        thread, done = in_thread(
            lambda: receive_files(db, [message], plo_settings(), tmp_path / "r"))
        thread.join(timeout=1.0)
        assert thread.is_alive() and done == []
    thread.join(timeout=60)
    assert [o.status for o in done[0]] == ["applied"]


def test_a_replay_waits_for_the_one_replaying_before_it(db: Database, tmp_path: Path):
    add_receiver(db, "5078", "5001")
    receive_files(db, [innlagt(tmp_path, "a.xml", 140, 1)], plo_settings(), tmp_path / "r")
    with turns.one_at_a_time(db, "plo replay"):
        thread, done = in_thread(lambda: replay_messages(db))
        thread.join(timeout=1.0)
        assert thread.is_alive() and done == []
    thread.join(timeout=60)
    assert done[0].stays == 1


def test_two_receivers_and_replays_at_once_keep_every_message_and_stay(db: Database,
                                                                       tmp_path: Path):
    add_receiver(db, "5078", "5001")
    folders = [tmp_path / "x", tmp_path / "y"]
    for folder in folders:
        folder.mkdir()
    for round_ in range(3):
        files = [innlagt(folder, f"{folder.name}{round_}.xml", 140 + 2 * round_ + i, 1 + i)
                 for i, folder in enumerate(folders)]
        start = threading.Barrier(2)

        def receive_and_replay(path: Path, start: threading.Barrier = start) -> list[str]:
            start.wait()
            outcomes = receive_files(db, [path], plo_settings(), tmp_path / "r")
            replay_messages(db)
            return [o.status for o in outcomes]

        threads = [in_thread(lambda p=path: receive_and_replay(p)) for path in files]
        for thread, _ in threads:
            thread.join(timeout=120)
        assert [done for _, done in threads] == [[["applied"]], [["applied"]]]
        assert replay_messages(db).stays == 2 * (round_ + 1)
