"""Benchmark: importing the demo data as PLO messages (issue 3). Not part of the tests.

    python benchmarks/plo.py                 # ~100 000 messages (--stays 50000)
    python benchmarks/plo.py --stays 3000    # a quick look
    python benchmarks/plo.py --keep DIR      # keep the messages; a second run reuses them

Generates demo data with `flyt generate --plo`, then times
`python -m flyt import plo DIR --db URL` in a child process on a fresh DuckDB
file (and on PostgreSQL when FLYT_BENCH_POSTGRES_URL is set; its PLO tables are
emptied first): wall time and peak RSS (os.wait4), as benchmarks/run.py does.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import FLYT, run  # noqa: E402


def reset_postgres(url: str) -> None:
    import sqlalchemy as sa

    from flyt.store.db import Database

    db = Database.open(url)
    with db.engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE plo_receipts, plo_messages, plo_patient_links, "
                             "plo_receivers, stays, ukp_periods, kpi_results, goal_results, "
                             "result_sets"))
    db.close()


def register(url: str, plo_dir: Path) -> None:
    from flyt.plo.receivers import add_receiver
    from flyt.store.db import Database

    db = Database.open(url)
    with (plo_dir / "receivers.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            add_receiver(db, row["her_id"], row["municipality"])
    db.close()


def children_cpu() -> tuple[float, float]:
    """User and system CPU seconds of the finished child processes, the import's workers
    included: on a shared machine a steadier figure than the wall time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime, usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stays", type=int, default=50_000)
    parser.add_argument("--until", default="2026-11-01")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it; messages "
                        "already generated there are imported again, not generated anew")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="flyt-plo-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    plo_dir = work / "plo"
    reuse = (plo_dir / "receivers.csv").is_file()
    if not reuse:
        gen = run([*FLYT, "generate", "--output", str(work / "csv"), "--plo", str(plo_dir),
                   "--stays", str(args.stays), "--until", args.until], "generate")
    messages = len(list(plo_dir.glob("*.xml")))
    if reuse:
        print(f"reusing the {messages} messages in {plo_dir}")
    else:
        print(f"generate: {messages} messages from {args.stays} stays in "
              f"{gen['seconds']:.1f} s, peak {gen['peak_mb']:.0f} MB")
    duckdb_file = work / "flyt.duckdb"
    for stale in (duckdb_file, Path(f"{duckdb_file}.wal")):
        stale.unlink(missing_ok=True)
    targets = [("duckdb", f"duckdb:///{duckdb_file}")]
    if os.environ.get("FLYT_BENCH_POSTGRES_URL"):
        targets.append(("postgresql", os.environ["FLYT_BENCH_POSTGRES_URL"]))
    for engine, url in targets:
        if engine == "postgresql":
            reset_postgres(url)
        run([*FLYT, "plo", "receivers", "list", "--db", url], "migrate")
        register(url, plo_dir)
        shutil.rmtree(work / f"receipts-{engine}", ignore_errors=True)
        os.sync()  # not the removal of the last run's files during this one
        started, cpu = time.perf_counter(), children_cpu()
        result = run([*FLYT, "import", "plo", str(plo_dir), "--db", url, "--receipts",
                      str(work / f"receipts-{engine}")], f"import plo ({engine})")
        seconds = time.perf_counter() - started
        user, system = (after - before for after, before in zip(children_cpu(), cpu, strict=True))
        print(f"import plo, {engine}: {messages} messages in {seconds:.1f} s "
              f"({1000 * seconds / max(messages, 1):.2f} ms a message), "
              f"CPU {user:.0f} s user + {system:.0f} s system "
              f"({1000 * (user + system) / max(messages, 1):.2f} ms a message), "
              f"peak {result['peak_mb']:.0f} MB")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
