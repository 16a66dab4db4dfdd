"""Benchmark: the deviations list with filters at 100 000 deviations — 20 users at once,
each opening list pages (HTML and JSON) with one filter after another for a minute;
prints p50/p95/max per page (goal: p95 ≤ 150 ms, issue 12), and the time of one cold
query per filter (no page kept) against a plain SQL peer of the same query.

    python benchmarks/deviations_list.py                       # DuckDB file, 100 000
    python benchmarks/deviations_list.py --db postgresql://flyt:flyt@127.0.0.1/flyt_bench
    python benchmarks/deviations_list.py --deviations 20000 --seconds 20

The deviations are written straight into the tables in bulk (Arrow → DuckDB, COPY →
PostgreSQL), made as records.checked would take them: synthetic, between the packaged
organisations (the hospital a party to most), spread over two years. The users are
made with `flyt user add`, the server is `flyt serve` in its own process, as in
production. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import numpy as np
import pyarrow as pa
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent))
import web_load  # noqa: E402  (the shared sign-in, server start and report)

from flyt.accounts import User  # noqa: E402
from flyt.deviations import listing  # noqa: E402
from flyt.deviations.codes import DEFAULT_CATEGORIES, SEVERITIES, STATUSES  # noqa: E402
from flyt.deviations.records import search_text  # noqa: E402
from flyt.deviations.settings import load_deviation_settings  # noqa: E402
from flyt.store import bulk, schema  # noqa: E402
from flyt.store.db import Database  # noqa: E402
from flyt.store.reference import packaged_organisations  # noqa: E402

USERS = {"bench-sykehus": ("analyst", []), "bench-trondheim": ("municipality", ["5001"]),
         "bench-forbedring": ("improvement", [])}
# Each user's list pages: the default list, each filter, free text, a later page.
FILTERS = ["", "category=utskrivning", "severity=moderat_skade", "status=meldt",
           "overdue=1", "text=legemiddel", "from=2025-03-01&to=2025-03-31",
           "organisation=5031", "category=meldinger&status=besvart", "offset=50"]
PAGES = [f"/avvik{suffix}?{query}" for query in FILTERS for suffix in ("", ".json")]
SUMMARIES = ("Manglende epikrise ved utskrivning", "PLO-melding om innleggelse kom ikke",
             "Utskrevet uten oppdatert legemiddelliste", "Hjelpemidler ikke bestilt",
             "Transport bestilt for sent", "Fikk ikke tak i sykehuset på telefon",
             "Feil informasjon om tilsynsbehov", "Brudd på tjenesteavtale 3",
             "Resept manglet ved hjemreise", "Sent varsel om utskrivningsklar pasient")


def generate(n: int, seed: int = 12) -> tuple[pa.Table, pa.Table, pa.Table]:
    """`n` deviations with their receivers and first event, as Arrow tables."""
    rng = np.random.default_rng(seed)
    orgs = [o.org_id for o in packaged_organisations()]
    others = [o for o in orgs if o != "stolav"]
    start = datetime(2024, 1, 1)
    minutes = np.sort(rng.integers(0, 2 * 365 * 24 * 60, n))
    reported = [start + timedelta(minutes=int(m)) for m in minutes]
    hospital_reports = rng.random(n) < 0.35
    party = rng.choice(others, n)  # the other side
    reporter = np.where(hospital_reports, "stolav", party)
    receiver = np.where(hospital_reports, party, np.where(rng.random(n) < 0.85, "stolav",
                                                            rng.choice(others, n)))
    receiver = np.where(receiver == reporter, "stolav", receiver)
    receiver = np.where(receiver == reporter, others[0], receiver)
    category = rng.choice(DEFAULT_CATEGORIES, n, p=[.25, .08, .3, .1, .05, .05, .05, .06,
                                                     .03, .03])
    severity = rng.choice(SEVERITIES, n, p=[.45, .35, .14, .055, .005])
    status = rng.choice(STATUSES, n, p=[.08, .06, .08, .1, .6, .05, .03])
    summary = rng.choice(SUMMARIES, n)
    numbers: dict[int, int] = defaultdict(int)
    ids = []
    for at in reported:
        numbers[at.year] += 1
        ids.append(f"AV-{at.year}-{numbers[at.year]:05d}")
    occurred = [at - timedelta(hours=int(h)) for at, h in zip(reported, rng.integers(1, 72, n),
                                                                strict=True)]
    deviations = pa.table({
        "id": ids, "reporter_org": reporter, "occurred_at": occurred,
        "occurred_has_time": np.ones(n, dtype=bool), "reported_at": reported,
        "category": category, "severity": severity, "level": np.full(n, "pasient"),
        "summary": summary, "anonymous": np.zeros(n, dtype=bool), "status": status,
        "version": np.ones(n, dtype=np.int32),
        "search_text": [search_text(i, {"summary": s}) for i, s in zip(ids, summary,
                                                                      strict=True)]})
    receivers = pa.table({"deviation_id": ids, "org_id": receiver})
    events = pa.table({"deviation_id": ids, "version": np.ones(n, dtype=np.int32),
                       "created_at": reported, "organisation": reporter,
                       "to_status": status, "comment": np.full(n, "imported")})
    return deviations, receivers, events


def load(db_url: str, n: int) -> None:
    db = Database.open(db_url)
    tables = dict(zip(("deviations", "deviation_receivers", "deviation_events"),
                      generate(n), strict=True))
    with db.engine.begin() as conn:
        for name, table in tables.items():
            bulk.stage(conn, f"bench_{name}", name, table, {})
            columns = ", ".join(table.column_names)
            conn.exec_driver_sql(f"INSERT INTO {name} ({columns}) "
                                 f"SELECT {columns} FROM bench_{name}")
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE")
    db.close()


def count(db_url: str) -> int:
    db = Database.open(db_url)
    try:
        with db.engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM deviations")).scalar_one())
    finally:
        db.close()


def cold_queries(db_url: str) -> None:
    """One query per filter, the kept pages emptied first, against the same SQL run
    bare (the peer: what any script asking the database would pay)."""
    db = Database.open(db_url)
    settings = load_deviation_settings()
    on = date(2026, 1, 15)
    cases = {"all": listing.Filters(), "category": listing.Filters(category="utskrivning"),
             "overdue": listing.Filters(overdue=True),
             "text": listing.Filters(text="legemiddel"),
             "period": listing.Filters(occurred_from=date(2025, 3, 1),
                                       occurred_to=date(2025, 3, 31))}
    print(f"{'cold query':<28}{'flyt ms':>9}{'peer ms':>9}{'ratio':>7}")
    for who in (User("h", "analyst"), User("k", "municipality", "5001"),
                User("f", "improvement")):
        for name, filters in cases.items():
            flyt_ms, peer_ms = [], []
            where = listing.conditions(who, filters, on, settings)
            peer = sa.select(listing.D.id).where(*where).order_by(
                listing.D.reported_at.desc(), listing.D.id.desc()).limit(50)
            for _ in range(5):
                listing._pages.clear()
                started = time.perf_counter()
                listing.search(db, who, filters, on=on, settings=settings)
                flyt_ms.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                with db.engine.connect() as conn:
                    conn.execute(sa.select(sa.func.count()).select_from(
                        schema.deviations).where(*where)).scalar()
                    conn.execute(peer).all()
                peer_ms.append((time.perf_counter() - started) * 1000)
            f, p = statistics.median(flyt_ms), statistics.median(peer_ms)
            print(f"{who.role + ' ' + name:<28}{f:>9.1f}{p:>9.1f}{f / p:>7.2f}")
    db.close()


async def person(client: httpx.AsyncClient, number: int, until: float, think: float,
                 timings: dict[str, list[float]], errors: dict[str, int]) -> None:
    i = number * 3  # each starts elsewhere in the list of pages
    pauses = np.random.default_rng(number)
    while time.monotonic() < until:
        if think:  # a person reads the page before the next click (exponential pauses)
            await asyncio.sleep(float(pauses.exponential(think)))
        path = PAGES[i % len(PAGES)]
        started = time.perf_counter()
        response = await client.get(path)
        timings[path].append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            errors[f"{path} {response.status_code}"] += 1
        i += 1


async def run_load(base_url: str, users: int, seconds: float,
                   think: float = 0.0) -> tuple[dict, dict, float]:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    names = list(USERS)
    clients = [httpx.AsyncClient(base_url=base_url, timeout=60) for _ in range(users)]
    try:
        for n, client in enumerate(clients):  # one after another: the sign-in limits
            await web_load.sign_in(client, names[n % len(names)])
        started = time.monotonic()
        await asyncio.gather(*(person(c, n, started + seconds, think, timings, errors)
                               for n, c in enumerate(clients)))
        return timings, errors, time.monotonic() - started
    finally:
        for client in clients:
            await client.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deviations", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=0.0,
                        help="Mean seconds a user pauses between clicks (exponential); "
                             "0, the default, clicks without pause.")
    parser.add_argument("--db", help="An empty PostgreSQL database (or one loaded by an "
                                     "earlier run) instead of a DuckDB file.")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="flyt-deviations-list-"))
    env = {k: v for k, v in os.environ.items() if k not in ("FLYT_DATABASE_URL", "FLYT_CONFIG")}
    env |= {"FLYT_DATA_DIR": str(root / "data"),
            "FLYT_PSEUDONYM_KEY": env.get("FLYT_PSEUDONYM_KEY", "benchmark-key")}
    os.environ.update({k: env[k] for k in ("FLYT_DATA_DIR", "FLYT_PSEUDONYM_KEY")})
    (root / "data").mkdir()
    (root / "data" / "flyt.toml").write_text("[web]\nsecure_cookies = false\n")
    db_url = args.db or f"duckdb:///{root / 'flyt.duckdb'}"
    if count(db_url) == 0:
        started = time.perf_counter()
        load(db_url, args.deviations)
        print(f"  loaded {args.deviations} deviations in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
        for name, (role, extra) in USERS.items():
            more = ["--municipality", *extra] if extra else []
            web_load.flyt(env, "user", "add", name, "--role", role, *more,
                          "--password-stdin", "--db", db_url, stdin=web_load.PASSWORD + "\n")
    cold_queries(db_url)
    port = web_load.free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([*web_load.FLYT, "serve", "--port", str(port), "--db", db_url],
                              env=env)
    try:
        web_load.wait_until_up(base_url, server)
        print(f"{args.users} users for {args.seconds:.0f} s against {base_url}, pausing "
              f"{args.think:g} s between clicks on average", file=sys.stderr)
        timings, errors, elapsed = asyncio.run(run_load(base_url, args.users, args.seconds,
                                                        args.think))
        ok = web_load.report(timings, errors, elapsed) and not errors
    finally:
        server.terminate()
        server.wait(timeout=10)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
