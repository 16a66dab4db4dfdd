"""Benchmark: generate N stays, import them and recompute every KPI, on each engine.

    python benchmarks/run.py                      # 1 M and 10 M stays, DuckDB and PostgreSQL
    python benchmarks/run.py --stays 1000000 --engines duckdb

Each phase runs as its own ``flyt`` process, so its wall time and peak memory
(the child's maximum resident set size) are its own. For PostgreSQL the server's
memory is not included (it is a separate service). PostgreSQL comes from
``FLYT_BENCH_POSTGRES_URL`` or ``FLYT_TEST_POSTGRES_URL`` (``scripts/test-postgres.sh``);
its tables are emptied first. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLYT = [sys.executable, "-m", "flyt"]
CUTOFF = "2026-11-01"


def run(args: list[str], label: str) -> dict:
    """Run one phase; return wall seconds, peak RSS in MB and its output."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{label} failed:\n{out}")
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "out": out}


def reset_postgres(url: str) -> None:
    import sqlalchemy as sa

    from flyt.store.db import Database

    db = Database.open(url)
    with db.engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE stays, ukp_periods, short_stays, bed_census, imports, "
                             "kpi_results, goal_results, result_sets"))
    db.close()


def bench(stays: int, engine: str, data: Path, work: Path, pg_url: str | None) -> list[str]:
    if engine == "duckdb":
        url = f"duckdb:///{work / f'bench-{stays}.duckdb'}"
        Path(url.removeprefix("duckdb:///")).unlink(missing_ok=True)
    else:
        if not pg_url:
            return [f"{stays:>10,} {engine:<10} skipped: no PostgreSQL URL"]
        url = pg_url
        reset_postgres(url)
    lines = []
    for kind, name in (("stays", "stays"), ("ukp-periods", "ukp_periods"),
                       ("short-stays", "short_stays"), ("beds", "beds")):
        r = run(FLYT + ["import", kind, str(data / f"{name}.csv"), "--db", url,
                        "--no-recompute"], f"import {kind}")
        lines.append(f"{stays:>10,} {engine:<10} import {kind:<12} {r['seconds']:8.1f} s "
                     f"{r['peak_mb']:8.0f} MB")
    for attempt in (1, 2):
        r = run(FLYT + ["recompute", "--cutoff", CUTOFF, "--db", url], "recompute")
        inner = re.search(r"in ([0-9.]+) s", r["out"])
        lines.append(f"{stays:>10,} {engine:<10} recompute #{attempt:<6} "
                     f"{float(inner.group(1)) if inner else float('nan'):8.2f} s "
                     f"{r['peak_mb']:8.0f} MB  (process {r['seconds']:.1f} s)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stays", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--engines", nargs="+", default=["duckdb", "postgresql"])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "flyt-bench")
    parser.add_argument("--keep", action="store_true", help="Keep generated files and databases.")
    args = parser.parse_args()
    pg_url = os.environ.get("FLYT_BENCH_POSTGRES_URL") or os.environ.get("FLYT_TEST_POSTGRES_URL")
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"{'stays':>10} {'engine':<10} {'phase':<19} {'wall':>10} {'peak RSS':>11}")
    for n in args.stays:
        data = args.work / f"data-{n}"
        if not (data / "stays.csv").exists():
            r = run(FLYT + ["generate", "--output", str(data), "--stays", str(n),
                            "--until", CUTOFF], "generate")
            print(f"{n:>10,} {'-':<10} generate            {r['seconds']:8.1f} s "
                  f"{r['peak_mb']:8.0f} MB", flush=True)
        for engine in args.engines:
            for line in bench(n, engine, data, args.work, pg_url):
                print(line, flush=True)
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
