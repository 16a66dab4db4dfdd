"""Files of the data folder are for the user who runs Flyt alone (issue 10, item 3):
the data directory and every directory Flyt makes in it 0700, every file in it 0600
(the DuckDB file and its write-ahead log, the keys, the PLO receipts, the session
secret, the demo data). Also what a user asks for with --output (docs/deployment.md).

The real `flyt` command in subprocesses started with the common umask 022, as a
shell would start it; only the embedded database (the data folder is the point).
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from flyt.plo.build import plo_message, synthetic_fnr

STAYS = ("stay_id;patient_id;municipality;sector;admission_type;admitted_at;ready_at;"
         "discharged_at;discharge_destination\n"
         "S1;P1;5001;somatikk;akutt;01.03.2024 10:00;02.03.2024 12:00;05.03.2024 09:00;hjem\n")


def flyt(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "flyt", *args], env=environment(data_dir),
                          capture_output=True, text=True, umask=0o022, timeout=300)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("FLYT_PSEUDONYM_KEY", "FLYT_MESSAGE_KEY", "FLYT_WEB_SECRET",
                        "FLYT_DATABASE_URL", "FLYT_CONFIG")}
    return env | {"FLYT_DATA_DIR": str(data_dir)}


def modes(root: Path) -> dict[str, str]:
    """Every path under root (root itself as "."), with its permission bits."""
    found = {".": oct(stat.S_IMODE(root.stat().st_mode))}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def not_private(root: Path) -> dict[str, str]:
    return {name: mode for name, mode in modes(root).items()
            if mode != ("0o700" if (root / name).is_dir() else "0o600")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_until_it_answers(data_dir: Path) -> dict[str, str]:
    """Start `flyt serve`, wait for its login page, and take the data folder's modes
    while it runs (its database is open then: a write-ahead log may be there)."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "flyt", "serve", "--port", str(port)],
                              env=environment(data_dir), umask=0o022,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "flyt serve did not answer"
                time.sleep(0.3)
        return not_private(data_dir)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_everything_flyt_writes_in_its_data_folder_is_private(tmp_path: Path):
    data_dir = tmp_path / "flyt-data"
    stays = tmp_path / "stays.csv"
    stays.write_text(STAYS, encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.xml").write_bytes(plo_message("innlagt", "m1", ids=[("FNR", synthetic_fnr(100))],
                                              at="2024-03-01T10:00:00"))

    flyt(data_dir, "import", "stays", str(stays))  # the data folder, keys, the database
    flyt(data_dir, "plo", "receivers", "add", "5078", "5001")
    flyt(data_dir, "import", "plo", str(inbox))  # receipts in <data dir>/plo/receipts
    flyt(data_dir, "demo", "--stays", "1000")  # <data dir>/demo
    while_serving = serve_until_it_answers(data_dir)  # the session secret

    found = modes(data_dir)
    for expected in ("flyt.duckdb", "pseudonym.key", "message.key", "web-secret.key",
                     "plo", "plo/receipts", "demo", "demo/stays.csv"):
        assert expected in found, (expected, sorted(found))
    assert any(name.startswith("plo/receipts/apprec-") for name in found)
    assert while_serving == {}
    assert not_private(data_dir) == {}


def test_a_file_asked_for_with_output_is_private_too(tmp_path: Path):
    data_dir = tmp_path / "flyt-data"
    out = tmp_path / "kpi.csv"
    flyt(data_dir, "kpi", "--from", "2024-03", "--to", "2024-03", "--cutoff", "2024-04-01",
         "--output", str(out))
    assert oct(stat.S_IMODE(out.stat().st_mode)) == "0o600"
    assert oct(stat.S_IMODE(data_dir.stat().st_mode)) == "0o700"
