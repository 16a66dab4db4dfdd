"""On PostgreSQL several processes work side by side: `flyt serve` watching a PLO
folder, the dashboard in two uvicorn workers (the app factory), a separate
`flyt import plo --watch` and a `flyt import` from the command line, all on one
database at the same time. The pages answer throughout, every import lands and shows
on every server, nothing fails. Real processes, real HTTP."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from flyt.store.db import Database
from tests.conftest import POSTGRES_URL, _reset_postgres
from tests.support.plo import plo_message, synthetic_fnr
from tests.support.server import REPO, Server, add_user, flyt, flyt_env, signed_in

HEADER = ("stay_id,patient_id,municipality,sector,admission_type,admitted_at,ready_at,"
          "discharged_at,discharge_destination,location")
STAY = "s1,p1,5031,somatikk,akutt,2024-03-01 10:00,2024-03-03 09:00,2024-03-05 12:00,hjem,"


@pytest.fixture
def postgres(_postgres: Database | None) -> str:
    if _postgres is None:
        pytest.skip("FLYT_TEST_POSTGRES_URL not set")
    _reset_postgres(_postgres)
    return POSTGRES_URL or ""


def innlagt(msg_id: str, n: int, day: int) -> bytes:
    return plo_message("innlagt", msg_id, ids=[("FNR", synthetic_fnr(n))],
                       at=f"2024-03-{day:02}T10:00:00")


def imports_seen(client: httpx.Client) -> set[tuple[str, str]]:
    answer = client.get("/data.json")
    assert answer.status_code == 200, answer.text
    return {(h["file"], h["status"]) for h in answer.json()["history"]}


def stored_stays(url: str) -> list[tuple[str, int]]:
    db = Database.open(url)
    try:
        with db.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT source, count(*) FROM stays GROUP BY source ORDER BY source").all()
    finally:
        db.close()
    return [(row[0], int(row[1])) for row in rows]


def test_serve_two_workers_a_watcher_and_an_import_work_side_by_side(postgres: str,
                                                                    tmp_path: Path):
    env = flyt_env(tmp_path / "data", "[serve]\nplo_interval = 0.2\n")
    env["FLYT_DATABASE_URL"] = postgres
    add_user(env, postgres, "kari")
    assert flyt(env, "plo", "receivers", "add", "5078", "5001").code == 0
    served, watched = tmp_path / "served", tmp_path / "watched"
    served.mkdir()
    watched.mkdir()
    serve = Server(env, ("--watch-plo", str(served), "--receipts", str(tmp_path / "r1")))
    workers = Server(env, ("--host", "127.0.0.1", "--workers", "2"),
                     program=("-m", "uvicorn", "--factory", "flyt.web.app:create_app"))
    watcher = subprocess.Popen(
        [sys.executable, "-m", "flyt", "import", "plo", str(watched), "--watch",
         "--interval", "0.2", "--receipts", str(tmp_path / "r2")],
        env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        serve.start()
        workers.start()
        clients = [signed_in(serve.url, "kari")] + [signed_in(workers.url, "kari")
                                                     for _ in range(4)]
        pages = 0

        def asking_pages_until(done: Callable[[], bool]) -> list[set[tuple[str, str]]]:
            """Pages asked for on every server while a writer works, until it is done."""
            nonlocal pages
            deadline = time.monotonic() + 60
            while True:
                seen = [imports_seen(client) for client in clients]
                pages += len(clients)
                if done():
                    return seen
                assert time.monotonic() < deadline, (stored_stays(postgres), seen, serve.log())
                time.sleep(0.2)

        # Three writers at the same instant: the server's watcher, the other watcher and
        # a CLI import (ids from the store's sequences; one PLO replay at a time).
        stays = tmp_path / "stays.csv"
        stays.write_text(f"{HEADER}\n{STAY}\n", encoding="utf-8")
        (served / "a.xml").write_bytes(innlagt("from-serve", 140, 1))
        (watched / "b.xml").write_bytes(innlagt("from-watcher", 141, 2))
        importing = subprocess.Popen(
            [sys.executable, "-m", "flyt", "import", "stays", str(stays), "--source", "epj"],
            env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        asking_pages_until(lambda: importing.poll() is not None
                           and stored_stays(postgres) == [("epj", 1), ("plo", 2)])
        out, err = importing.communicate(timeout=30)
        assert importing.returncode == 0, err
        assert out == ("stays.csv: read 1 rows, accepted 1 (1 new, 0 updated, 0 unchanged), "
                       "rejected 0.\n")
        assert stored_stays(postgres) == [("epj", 1), ("plo", 2)]
        # Within a second (the data stamp's life) every server shows the import.
        time.sleep(1.1)
        seen = [imports_seen(client) for client in clients]
        assert all({("stays.csv", "ok"), ("(plo replay)", "ok")} <= s for s in seen), seen
        assert all(client.get("/").status_code == 200 for client in clients)
        assert pages >= 5
    finally:
        watcher.send_signal(signal.SIGTERM)
        watched_out, watched_err = watcher.communicate(timeout=60)
        codes = (serve.stop(), workers.stop())
    assert "plo: a.xml: applied (LOG_INNLAGT from-serve)" in serve.log()
    assert "b.xml: applied (LOG_INNLAGT from-watcher)" in watched_out
    assert watcher.returncode == 0 and "Stopped watching." in watched_err
    assert codes[0] == 0, serve.log()
    for log in (serve.log(), workers.log(), watched_err):
        assert "Traceback" not in log and " 500 " not in log
