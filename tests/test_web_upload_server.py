"""Attacks on the upload against a real `flyt serve` process (as the testers did): an
XLSX bomb must not kill the server, and a big bad file must not hold up other pages.

The server runs on the embedded DuckDB store only: what is tested is the process and
its event loop, not the engine (the upload's engine paths are in test_web_data)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.xlsx import text_cell, workbook

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"
HEADER = "stay_id,patient_id,municipality,sector,admission_type,admitted_at"


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _flyt(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    done = subprocess.run([sys.executable, "-m", "flyt", *args], env=env, input=stdin,
                          capture_output=True, text=True, cwd=REPO, timeout=300, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("upload-server")
    env = {k: v for k, v in os.environ.items() if k not in ("FLYT_DATABASE_URL", "FLYT_CONFIG")}
    env |= {"FLYT_DATA_DIR": str(root / "data"), "FLYT_PSEUDONYM_KEY": "test-key",
            "PYTHONPATH": str(REPO)}
    (root / "data").mkdir()
    # Plain HTTP on loopback: cookies without Secure, as the web load benchmark does.
    (root / "data" / "flyt.toml").write_text("[web]\nsecure_cookies = false\n")
    db_url = f"duckdb:///{root / 'flyt.duckdb'}"
    _flyt(env, "user", "add", "ola", "--role", "analyst", "--password-stdin", "--db", db_url,
          stdin=PASSWORD + "\n")
    port = _free_port()
    log = root / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "flyt", "serve", "--port", str(port), "--db", db_url],
            cwd=REPO, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if httpx.get(url + "/static/flyt.css", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield Server(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def signed_in(server: Server) -> httpx.Client:
    """A client signed in as the analyst (closed with the process: a test has a few)."""
    client = httpx.Client(base_url=server.url, timeout=120)
    answer = client.post("/login", data={"name": "ola", "password": PASSWORD,
                                         "csrf_token": token(client)})
    assert answer.status_code in (200, 303), answer.text
    return client


def token(client: httpx.Client) -> str:
    page = client.get("/login").text
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def upload(client: httpx.Client, name: str, data: bytes) -> httpx.Response:
    return client.post("/data/upload.json", files={"file": (name, data)},
                       data={"kind": "stays", "source": "default", "csrf_token": token(client)})


def test_the_server_survives_an_xlsx_bomb_and_answers_the_next_page(server: Server) -> None:
    bomb = workbook('<row r="1">' + text_cell("A1", "stay_id") + "</row>"
                    '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
                    dimension="A1:XFD1048576")
    client = signed_in(server)
    answer = upload(client, "stays.xlsx", bomb)
    assert answer.status_code == 422
    assert "XFD1048576" in answer.json()["message"]
    assert server.process.poll() is None, server.log.read_text()
    assert client.get("/data.json").status_code == 200


def test_a_big_bad_upload_does_not_hold_up_other_pages(server: Server) -> None:
    rows = "".join(f"s{i},p{i},9999,somatikk,akutt,01.13.2024\n" for i in range(150_000))
    bad = (HEADER + "\n" + rows).encode()  # 6 MB, 300 000 errors
    waits: list[float] = []
    done = threading.Event()

    def other_user() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as other:
            while not done.is_set():
                started = time.perf_counter()
                assert other.get("/login").status_code == 200
                waits.append(time.perf_counter() - started)
                time.sleep(0.05)

    reader = threading.Thread(target=other_user)
    client = signed_in(server)
    form = {"kind": "stays", "source": "default", "csrf_token": token(client)}
    reader.start()
    started = time.perf_counter()
    try:
        answer = client.post("/data/upload", files={"file": ("stays.csv", bad)}, data=form)
    finally:
        took = time.perf_counter() - started
        done.set()
        reader.join()
    assert answer.status_code == 422
    assert "300\u00a0000 feil i 150\u00a0000 rader; de første 200 vises her." in answer.text
    assert len(answer.content) < 300_000
    assert len(waits) >= 5, (took, waits)
    assert max(waits) < max(1.5, took / 3), (took, sorted(waits)[-5:])
