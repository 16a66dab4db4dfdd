"""Benchmark: the deviations' annual report at 100 000 deviations (issue 12). Not part of
the tests.

    python benchmarks/deviations_annual.py                       # DuckDB
    FLYT_BENCH_POSTGRES_URL=postgresql://flyt:flyt@127.0.0.1:5432/flyt_bench \\
        python benchmarks/deviations_annual.py                   # and PostgreSQL
    python benchmarks/deviations_annual.py --count 20000 --runs 1  # a quick look

Fills a fresh DuckDB file (and the PostgreSQL store of FLYT_BENCH_POSTGRES_URL, whose
deviation tables are emptied first) with --count deviations occurring in --year and as
many less a tenth in the year before (for the trend), with realistic distributions:
seasonal (more in summer and around Christmas), most about discharge and messages,
severities skewed towards no or minor harm, most from a municipality to the hospital,
a tenth with two receivers, and a full history of steps (mottatt, under_behandling,
besvart, lukket, or avvist) at working-hour times. Loaded by COPY from CSV (a bulk
INSERT; records.insert_many checks each row, which is the import's business, not the
report's). Then times `flyt report deviations --year Y --format pdf|csv` in their own
processes (wall time, CPU time of the process and peak RSS), --runs times each;
PostgreSQL's own CPU is not in the CPU figure (a separate server).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

FLYT = [sys.executable, "-m", "flyt"]

GOAL_SECONDS = 5.0
TABLES = ("deviation_events", "deviation_receivers", "deviations")
CATEGORIES = {"utskrivning": 30, "meldinger": 25, "legemidler": 12, "informasjon": 8,
              "innleggelse": 6, "tilgjengelighet": 6, "transport": 5, "hjelpemidler": 3,
              "avtalebrudd": 3, "annet": 2}
SUBCATEGORIES = {"utskrivning": ["epikrise", "utskrivningsklar-melding", "tidspunkt"],
                 "meldinger": ["plo-innleggelse", "plo-helseopplysninger", "kvittering"],
                 "legemidler": ["legemiddelliste", "resept"]}
SEVERITIES = {"ingen_skade": 50, "mindre_skade": 30, "moderat_skade": 15,
              "betydelig_skade": 4, "dod": 1}
# Where each deviation ends up (its path through the workflow).
ENDS = {"lukket": 55, "besvart": 15, "under_behandling": 10, "mottatt": 8, "meldt": 7,
        "avvist": 5}
PATH = ("meldt", "mottatt", "under_behandling", "besvart", "lukket")
# More in summer (holiday staffing) and around Christmas.
MONTH_WEIGHTS = (9, 8, 8, 8, 8, 10, 11, 10, 8, 8, 8, 11)


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def organisations() -> tuple[list[str], list[str]]:
    from flyt.store.reference import packaged_organisations

    orgs = packaged_organisations()
    return ([o.org_id for o in orgs if o.kind == "kommune"],
            [o.org_id for o in orgs if o.kind == "fastlege"])


def parties(rng: random.Random, municipalities: list[str],
            gps: list[str]) -> tuple[str, list[str]]:
    """Reporter and receivers: mostly a municipality to the hospital."""
    town = rng.choice(municipalities)
    roll = rng.random()
    if roll < 0.60:
        reporter, receivers = town, ["stolav"]
    elif roll < 0.85:
        reporter, receivers = "stolav", [town]
    elif roll < 0.95:
        reporter, receivers = f"fastlege-{town}", ["stolav"]
    else:
        reporter, receivers = town, [f"fastlege-{town}"]
    if rng.random() < 0.10:  # a second receiver
        extra = f"fastlege-{town}" if reporter != f"fastlege-{town}" else town
        if extra not in receivers and extra != reporter:
            receivers.append(extra)
    return reporter, receivers


def working_time(moment: datetime, rng: random.Random) -> datetime:
    """Moved to 08–16 on a weekday."""
    while moment.weekday() >= 5:
        moment += timedelta(days=1)
    return moment.replace(hour=rng.randint(8, 15), minute=rng.randint(0, 59), second=0)


def generate(count: int, year: int, folder: Path, seed: int) -> None:
    """Three CSV files, one per table, for `count` deviations in `year` and 90 % as many
    in the year before."""
    rng = random.Random(seed)
    municipalities, gps = organisations()
    numbers: dict[int, int] = {}
    files = {t: (folder / f"{t}.csv").open("w", newline="", encoding="utf-8") for t in TABLES}
    out = {t: csv.writer(f) for t, f in files.items()}
    out["deviations"].writerow(
        ["id", "reporter_org", "occurred_at", "occurred_has_time", "reported_at", "category",
         "subcategory", "severity", "level", "agreement_clause", "summary", "anonymous",
         "status", "version", "acknowledged_at", "answered_at", "closed_at"])
    out["deviation_receivers"].writerow(["deviation_id", "org_id"])
    out["deviation_events"].writerow(["deviation_id", "version", "created_at", "organisation",
                                      "from_status", "to_status", "comment", "answer",
                                      "reason"])
    event_id = 0
    for year_, how_many in ((year - 1, count * 9 // 10), (year, count)):
        for _ in range(how_many):
            month = rng.choices(range(1, 13), weights=MONTH_WEIGHTS)[0]
            day = rng.randint(1, 28)
            has_time = rng.random() < 0.7
            occurred = datetime(year_, month, day, rng.randint(0, 23) if has_time else 0,
                                rng.randint(0, 59) if has_time else 0)
            reported = working_time(occurred + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3))),
                                    rng)
            numbers[reported.year] = numbers.get(reported.year, 0) + 1
            ident = f"AV-{reported.year}-{numbers[reported.year]:05d}"
            reporter, receivers = parties(rng, municipalities, gps)
            category = pick(rng, CATEGORIES)
            subs = SUBCATEGORIES.get(category)
            sub = rng.choice(subs) if subs and rng.random() < 0.4 else ""
            level = "system" if category == "avtalebrudd" else "pasient"
            end = pick(rng, ENDS)
            steps = (["meldt", "avvist"] if end == "avvist"
                     else list(PATH[:PATH.index(end) + 1]))
            moments = [reported]
            stamps: dict[str, datetime] = {}
            for status in steps[1:]:
                gap = {"mottatt": timedelta(days=rng.choice((0, 1, 1, 2, 3, 4, 6, 9))),
                       "under_behandling": timedelta(hours=rng.randint(1, 48)),
                       "besvart": timedelta(days=rng.randint(3, 45)),
                       "lukket": timedelta(days=14),
                       "avvist": timedelta(days=rng.randint(0, 5))}[status]
                moments.append(working_time(moments[-1] + gap, rng))
                stamps[status] = moments[-1]
            out["deviations"].writerow([
                ident, reporter, occurred.isoformat(sep=" "), has_time,
                reported.isoformat(sep=" "), category, sub, pick(rng, SEVERITIES), level,
                "tjenesteavtale 3 §4.2" if level == "system" else "",
                "Syntetisk avvik", False, steps[-1], len(steps),
                *(stamps[s].isoformat(sep=" ") if s in stamps else ""
                  for s in ("mottatt", "besvart", "lukket"))])
            for org in receivers:
                out["deviation_receivers"].writerow([ident, org])
            previous = ""
            for version, (status, moment) in enumerate(zip(steps, moments, strict=True), 1):
                event_id += 1
                side = reporter if status in ("meldt", "lukket") else receivers[0]
                out["deviation_events"].writerow([
                    ident, version, moment.isoformat(sep=" "), side, previous, status, "",
                    "Svar" if status == "besvart" else "",
                    "Ikke vårt" if status == "avvist" else ""])
                previous = status
    for f in files.values():
        f.close()


def load(url: str, folder: Path) -> None:
    """Empty the deviation tables and COPY the CSV files in."""
    import sqlalchemy as sa

    from flyt.store.db import Database

    db = Database.open(url)
    with db.engine.begin() as conn:
        for table in TABLES:
            conn.execute(sa.text(f"DELETE FROM {table}"))
        raw = conn.connection.driver_connection
        for table in reversed(TABLES):
            path = folder / f"{table}.csv"
            columns = path.open(encoding="utf-8").readline().strip()
            if db.engine.dialect.name == "duckdb":
                conn.execute(sa.text(f"COPY {table} ({columns}) FROM '{path}' "
                                     "(HEADER, NULLSTR '')"))
            else:
                with raw.cursor().copy(f"COPY {table} ({columns}) FROM STDIN "  # type: ignore[union-attr]
                                       "(FORMAT csv, HEADER)") as copy, path.open("rb") as f:
                    while chunk := f.read(1 << 20):
                        copy.write(chunk)
    if db.engine.dialect.name == "postgresql":  # statistics, as autovacuum would make
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE " + ", ".join(TABLES)))
    db.close()


def run(args: list[str], label: str) -> dict:
    """One process: wall seconds, CPU seconds (user + system: the machine is shared, so
    wall time waits for other work) and peak RSS in MB."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{label} failed:\n{out}")
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024}


def bench(url: str, year: int, runs: int, work: Path) -> list[dict]:
    found = []
    for fmt in ("csv", "pdf"):
        for i in range(runs):
            target = work / f"avvik-{fmt}-{i}.{fmt}"
            result = run([*FLYT, "report", "deviations", "--year", str(year), "--format", fmt,
                          "--output", str(target), "--db", url], f"report {fmt}")
            found.append({**result, "format": fmt, "run": i + 1,
                          "bytes": target.stat().st_size})
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--engines", default="duckdb,postgresql")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="flyt-devann-") as tmp:
        work = Path(tmp)
        os.environ.setdefault("FLYT_DATA_DIR", str(work / "data"))
        generate(args.count, args.year, work, args.seed)
        wanted = args.engines.split(",")
        stores = [("duckdb", f"duckdb:///{work / 'flyt.duckdb'}")] if "duckdb" in wanted else []
        if os.environ.get("FLYT_BENCH_POSTGRES_URL") and "postgresql" in wanted:
            stores.append(("postgresql", os.environ["FLYT_BENCH_POSTGRES_URL"]))
        print(f"{args.count} deviations in {args.year}, {args.count * 9 // 10} in "
              f"{args.year - 1}; goal ≤ {GOAL_SECONDS:.0f} s")
        for engine, url in stores:
            load(url, work)
            for row in bench(url, args.year, args.runs, work):
                mark = "ok" if row["seconds"] <= GOAL_SECONDS else "SLOW"
                print(f"{engine:10} {row['format']} run {row['run']}: {row['seconds']:.2f} s "
                      f"(CPU {row['cpu']:.2f} s), peak {row['peak_mb']:.0f} MB, "
                      f"{row['bytes']} bytes  {mark}  load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
