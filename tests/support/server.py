"""Real `flyt` processes for the one-process tests: `flyt serve` started as a
subprocess and read as it writes, commands run as subprocesses, and clients signed
in over real HTTP (httpx)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def flyt_env(data: Path, config: str = "") -> dict[str, str]:
    """The environment of a `flyt` process with its own data directory and, in it, a
    configuration: plain HTTP on loopback (cookies without Secure) and `config`."""
    data.mkdir(parents=True, exist_ok=True)
    (data / "flyt.toml").write_text("[web]\nsecure_cookies = false\n" + config, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("FLYT_DATABASE_URL", "FLYT_CONFIG")}
    return env | {"FLYT_DATA_DIR": str(data), "FLYT_PSEUDONYM_KEY": "test-key",
                  # This tree's flyt, also for a checkout beside the installed one
                  "PYTHONPATH": os.pathsep.join((str(REPO / "src"), str(REPO))),
                  "PYTHONUNBUFFERED": "1"}


@dataclass
class Done:
    code: int
    out: str
    err: str


def flyt(env: dict[str, str], *args: str, stdin: str | None = None, cwd: Path | None = None,
         timeout: float = 120) -> Done:
    """`flyt ARGS` as a process of its own."""
    done = subprocess.run([sys.executable, "-m", "flyt", *args], env=env, input=stdin,
                          capture_output=True, text=True, cwd=cwd or REPO, timeout=timeout,
                          check=False)
    return Done(done.returncode, done.stdout, done.stderr)


def add_user(env: dict[str, str], db_url: str, name: str, role: str = "analyst") -> None:
    done = flyt(env, "user", "add", name, "--role", role, "--password-stdin", "--db", db_url,
                stdin=PASSWORD + "\n")
    assert done.code == 0, done.err


@dataclass
class Server:
    """`flyt serve ARGS` (or another server program) on a free port; its standard error
    read line by line."""

    env: dict[str, str]
    args: tuple[str, ...]
    port: int = field(default_factory=free_port)
    # What runs: `flyt serve` unless told (uvicorn with the app factory, say).
    program: tuple[str, ...] = ("-m", "flyt", "serve")
    lines: list[str] = field(default_factory=list)
    process: subprocess.Popen[str] | None = None
    _reader: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Server:
        self.process = subprocess.Popen(
            [sys.executable, *self.program, "--port", str(self.port), *self.args],
            env=self.env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, self.log()
            try:
                if httpx.get(self.url + "/static/flyt.css", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                assert time.monotonic() < deadline, self.log()
                time.sleep(0.2)

    def _read(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    def log(self) -> str:
        time.sleep(0.2)  # what the process wrote last
        return "".join(self.lines)

    def wait_for(self, text: str, timeout: float = 60) -> str:
        """The first line the process wrote (since it started) that holds `text`: a
        line of one thread can come before the line of another that is waited for
        first."""
        deadline = time.monotonic() + timeout
        while True:
            found = next((line for line in list(self.lines) if text in line), None)
            if found is not None:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"no line with {text!r} in {timeout} s:\n{self.log()}")
            time.sleep(0.05)

    def stop(self, how: int = signal.SIGTERM, timeout: float = 60) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(how)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(
                    f"the server did not stop in {timeout} s:\n{self.log()}") from None
        if self._reader is not None:
            self._reader.join(10)  # every line it wrote before it ended
        return self.process.returncode


def signed_in(url: str, name: str, password: str = PASSWORD) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    answer = client.post("/login", data={"name": name, "password": password,
                                         "csrf_token": csrf_token(client)})
    assert answer.status_code == 303, answer.text
    return client


def csrf_token(client: httpx.Client) -> str:
    page = client.get("/login").text
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
