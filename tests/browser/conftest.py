"""The browser tests' world: a real Flyt server on a fresh store with demo data, the
fixed cast of users, and Debian's Chromium driven by Playwright (sync API).

Chromium and axe-core come from scripts/system-deps.sh. Without them the tests skip
locally, and fail under CI (CI=true).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.helpers import (
    AXE_JS,
    CAST,
    DESKTOP,
    Site,
    chromium_path,
    require,
)

REPO = Path(__file__).resolve().parents[2]
DEMO_STAYS = 20_000  # enough for every KPI tile to have a value, small enough for ~15 s


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _flyt(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    """Run the real `flyt` command, as an operator would."""
    done = subprocess.run([sys.executable, "-m", "flyt", *args], env=env, input=stdin,
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, f"flyt {' '.join(args)} failed:\n{done.stderr}"
    return done.stdout


def isolated(root: Path) -> tuple[dict[str, str], str]:
    """The environment of the tests' own `flyt` (its data folder in `root`; no store or
    configuration from outside) and the URL of a DuckDB file in `root`."""
    env = {k: v for k, v in os.environ.items() if k not in ("FLYT_DATABASE_URL", "FLYT_CONFIG")}
    env |= {"FLYT_DATA_DIR": str(root / "data"), "FLYT_PSEUDONYM_KEY": "test-key",
            "PYTHONPATH": str(REPO)}
    return env, f"duckdb:///{root / 'flyt.duckdb'}"


def _wait_until_up(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server stopped (exit {server.returncode}):\n{log.read_text()}")
        try:
            if httpx.get(base_url + "/static/flyt.css", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not answer within 60 s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def _tools() -> str:
    """Chromium's path, once axe-core is there too (checked before any data is made)."""
    executable = chromium_path()
    require("Debian's chromium (apt-get install chromium)", executable is not None)
    require(f"axe-core ({AXE_JS.relative_to(REPO)}: npm ci --prefix tests/browser)",
            AXE_JS.is_file())
    return executable or ""


@pytest.fixture(scope="session")
def site(_tools: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A server on a free port with 20 000 demo stays and one user of each role."""
    root = tmp_path_factory.mktemp("browser")
    env, db_url = isolated(root)
    today = datetime.now(ZoneInfo("Europe/Oslo")).date()
    _flyt(env, "generate", "-o", str(root / "demo"), "--stays", str(DEMO_STAYS),
          "--until", today.isoformat())
    for kind in ("stays", "ukp-periods", "short-stays", "beds"):
        # One recompute at the end instead of one per file.
        _flyt(env, "import", kind, str(root / "demo" / f"{kind.replace('-', '_')}.csv"),
              "--no-recompute", "--db", db_url)
    _flyt(env, "recompute", "--db", db_url)
    for person in CAST.values():
        extra = ["--municipality", person.municipality] if person.municipality else []
        _flyt(env, "user", "add", person.name, "--role", person.role, *extra,
              "--password-stdin", "--db", db_url, stdin=person.password + "\n")
    # DuckDB lets one process write a file: `flyt kpi` reads a copy taken before the
    # server opens the store (the results are already computed, so they are the same).
    shutil.copy(root / "flyt.duckdb", root / "kpi.duckdb")

    with served(root, db_url, env) as base_url:
        routes = frozenset(httpx.get(base_url + "/openapi.json", timeout=10).json()["paths"])
        yield Site(base_url=base_url, kpi_db_url=f"duckdb:///{root / 'kpi.duckdb'}", env=env,
                   routes=routes)


@contextmanager
def served(root: Path, db_url: str, env: dict[str, str]) -> Iterator[str]:
    """`flyt serve` on `db_url` in its own process (its log in `root`), as in
    production; its base URL until the block ends, then stopped."""
    port = _free_port()
    log = root / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "flyt", "serve", "--port", str(port), "--db", db_url],
            cwd=REPO, stdout=out, stderr=subprocess.STDOUT, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, server, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def browser(_tools: str) -> Iterator[Browser]:
    # Chromium refuses to run as root with its sandbox on (CI runs as root).
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=_tools, args=args)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """`new_page(viewport=PHONE)`: a page in a fresh context (own cookies), in Norwegian
    as the users are; closed after the test."""
    contexts = []

    def make(viewport: dict[str, int] = DESKTOP) -> Page:
        context = browser.new_context(viewport=viewport, locale="nb-NO")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
