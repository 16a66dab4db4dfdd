"""Benchmark: 20 users at once click through every page of the dashboard (HTML and JSON)
on 1 M stays for a minute; prints p50/p95/max latency per page and requests per second.
The goal is p95 < 150 ms on every page.

    python benchmarks/web_load.py                           # 1 M stays, 20 users, 60 s
    python benchmarks/web_load.py --stays 100000 --seconds 30
    python benchmarks/web_load.py --reuse /tmp/flyt-bench   # a store made by an earlier run
    python benchmarks/web_load.py --db postgresql://flyt:flyt@127.0.0.1/flyt_bench

The store is made with the real commands (`flyt generate`, `flyt import`, `flyt recompute`,
`flyt user add`) and served by `flyt serve` in its own process, as in production. The
users sign in through /login and take turns as analyst, reader and municipality user, so
every edition of the figures is asked for. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import httpx

FLYT = [sys.executable, "-m", "flyt"]
PASSWORD = "benchmark-passord-lang-nok"
USERS = {"bench-analyst": ("analyst", None), "bench-reader": ("reader", None),
         "bench-malvik": ("municipality", "5031")}
SHARED = ["/", "/index.json", "/trends", "/trends.json", "/municipality/5031",
          "/municipality/5031.json", "/snapshot", "/snapshot.json", "/reports", "/reports.json"]
PAGES = {"analyst": [*SHARED, "/data", "/data.json"], "reader": SHARED,
         "municipality": [*SHARED, "/municipality/5031/patients",
                          "/municipality/5031/patients.json"]}
GOAL_P95_MS = 150


def flyt(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    started = time.perf_counter()
    done = subprocess.run([*FLYT, *args], env=env, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"flyt {' '.join(args)} failed:\n{done.stderr}")
    print(f"  flyt {args[0]} {args[1] if len(args) > 1 else ''}: "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)


def prepare(root: Path, stays: int, env: dict[str, str], db_url: str | None) -> str:
    """The store: the DuckDB file in `root`, or the PostgreSQL database `db_url` (made
    once; a later run with --reuse skips this when the store has stays)."""
    if db_url is None:
        db_url = f"duckdb:///{root / 'flyt.duckdb'}"
        if (root / "flyt.duckdb").exists():
            return db_url
    elif has_stays(db_url):
        return db_url
    flyt(env, "generate", "-o", str(root / "demo"), "--stays", str(stays),
         "--until", date.today().isoformat())
    for kind in ("stays", "ukp-periods", "short-stays", "beds"):
        flyt(env, "import", kind, str(root / "demo" / f"{kind.replace('-', '_')}.csv"),
             "--no-recompute", "--db", db_url)
    flyt(env, "recompute", "--db", db_url)
    for name, (role, municipality) in USERS.items():
        extra = ["--municipality", municipality] if municipality else []
        flyt(env, "user", "add", name, "--role", role, *extra, "--password-stdin",
             "--db", db_url, stdin=PASSWORD + "\n")
    return db_url


def has_stays(db_url: str) -> bool:
    import sqlalchemy as sa

    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return bool(conn.execute(sa.text("SELECT count(*) FROM stays")).scalar())
    except sa.exc.ProgrammingError:  # not migrated yet
        return False
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(base_url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if server.poll() is not None:
            sys.exit("the server stopped")
        try:
            if httpx.get(base_url + "/static/flyt.css", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    sys.exit("the server did not answer within 60 s")


async def sign_in(client: httpx.AsyncClient, name: str) -> None:
    form = (await client.get("/login")).text
    token = re.search(r'name="csrf_token" value="([^"]*)"', form)
    response = await client.post("/login", data={
        "name": name, "password": PASSWORD, "next": "/",
        "csrf_token": token.group(1) if token else ""})
    if response.status_code != 303:
        sys.exit(f"{name} could not sign in: {response.status_code} {response.text[:200]}")


async def user(client: httpx.AsyncClient, number: int, until: float,
               timings: dict[str, list[float]], errors: dict[str, int]) -> None:
    """One person, signed in: opens their pages in turn until time is up."""
    pages = PAGES[USERS[user_name(number)][0]]
    i = number  # start at different pages, as real users would
    while time.monotonic() < until:
        path = pages[i % len(pages)]
        started = time.perf_counter()
        response = await client.get(path)
        timings[path].append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            errors[f"{path} {response.status_code}"] += 1
        i += 1


def user_name(number: int) -> str:
    return list(USERS)[number % len(USERS)]


async def warm_up(base_url: str) -> None:
    """Each kind of user opens each page once: the first request of a cut-off fills the
    figures cache, which is what every later visitor of the day meets."""
    for name, (role, _) in USERS.items():
        async with httpx.AsyncClient(base_url=base_url, timeout=300) as client:
            await sign_in(client, name)
            for path in PAGES[role]:
                await client.get(path)


async def load(base_url: str, users: int, seconds: float) -> tuple[dict, dict, float]:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    clients = [httpx.AsyncClient(base_url=base_url, timeout=60) for _ in range(users)]
    try:
        # One after another, before the clock starts: the sign-in limits count an
        # attempt against its (name, address) pair while its password is checked, so
        # seven people signing in as one name from one address at once would be
        # stopped after five (web/auth/ratelimit.py), as they should be.
        for n, client in enumerate(clients):
            await sign_in(client, user_name(n))
        started = time.monotonic()
        await asyncio.gather(*(user(client, n, started + seconds, timings, errors)
                               for n, client in enumerate(clients)))
        return timings, errors, time.monotonic() - started
    finally:
        for client in clients:
            await client.aclose()


def report(timings: dict[str, list[float]], errors: dict[str, int], elapsed: float) -> bool:
    print(f"{'page':<36}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    ok = True
    for path in sorted(timings):
        ms = sorted(timings[path])
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        ok &= p95 < GOAL_P95_MS
        print(f"{path:<36}{len(ms):>6}{statistics.median(ms):>9.0f}{p95:>9.0f}{ms[-1]:>9.0f}"
              + ("" if p95 < GOAL_P95_MS else "  > goal"))
    total = sum(len(v) for v in timings.values())
    print(f"{total} requests in {elapsed:.0f} s: {total / elapsed:.1f} requests/s")
    for what, n in sorted(errors.items()):
        print(f"  not 200: {what} × {n}")
    print(f"p95 < {GOAL_P95_MS} ms on every page: {'yes' if ok else 'NO'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stays", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--reuse", type=Path, help="A folder to keep the store in and reuse.")
    parser.add_argument("--db", help="A PostgreSQL URL to load and serve instead of the "
                                     "embedded DuckDB file (an empty database, or one "
                                     "loaded by an earlier run).")
    args = parser.parse_args()
    root = args.reuse or Path(tempfile.mkdtemp(prefix="flyt-web-load-"))
    root.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("FLYT_DATABASE_URL", "FLYT_CONFIG")}
    env |= {"FLYT_DATA_DIR": str(root / "data"),
            "FLYT_PSEUDONYM_KEY": env.get("FLYT_PSEUDONYM_KEY", "benchmark-key")}
    # Plain HTTP on loopback: httpx, unlike a browser, sends no Secure cookie over http,
    # so the benchmark's server issues ordinary ones (the [web] setting meant for tests).
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "flyt.toml").write_text("[web]\nsecure_cookies = false\n")
    print(f"store in {root} ({args.stays} stays)", file=sys.stderr)
    db_url = prepare(root, args.stays, env, args.db)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([*FLYT, "serve", "--port", str(port), "--db", db_url], env=env)
    try:
        wait_until_up(base_url, server)
        asyncio.run(warm_up(base_url))
        print(f"{args.users} users for {args.seconds:.0f} s against {base_url}", file=sys.stderr)
        ok = report(*asyncio.run(load(base_url, args.users, args.seconds)))
    finally:
        server.terminate()
        server.wait(timeout=10)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
