"""Benchmark: the capacity forecast for every municipality and unit at 10 years of history
(issue 14, goal ≤ 10 s), and optionally its backtest.

    python benchmarks/forecast.py                          # 300 000 stays, 10 years, DuckDB
    python benchmarks/forecast.py --stays 20000 --backtest # the table in docs/capacity.md
    python benchmarks/forecast.py --db postgresql://flyt:flyt@127.0.0.1/flyt_bench

Generates the demo data (flyt.demo) from ``--until`` minus ``--years`` years, imports it
into a fresh store (a temporary DuckDB file unless ``--db``), then times reading the
history (in the database) and forecasting 90 days, each in this process, three times.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from flyt.capacity import backtest, forecast, history
from flyt.capacity.text import backtest_table
from flyt.config import load_settings
from flyt.demo.generate import generate
from flyt.ingest.importer import import_file
from flyt.ingest.kinds import KIND_SPECS
from flyt.store.db import Database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stays", type=int, default=300_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--until", type=date.fromisoformat, default=date(2026, 11, 30))
    parser.add_argument("--horizon", type=int, default=90)
    parser.add_argument("--db", help="A store URL (default: a temporary DuckDB file).")
    parser.add_argument("--backtest", action="store_true", help="Also run --origins 12 "
                        "--horizon 56 and print its table (English).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"duckdb:///{Path(folder) / 'flyt.duckdb'}"
        db = Database.open(url)
        start = args.until.replace(year=args.until.year - args.years)
        began = time.perf_counter()
        summary = generate(Path(folder) / "demo", stays=args.stays, seed=1, start=start,
                           until=args.until)
        settings = load_settings(url)
        for kind in KIND_SPECS:
            report = import_file(db, kind, summary.files[kind.replace("-", "_")],
                                 settings=settings, source="demo")
            if report.status != "ok":
                sys.exit(f"import of {kind} failed")
        print(f"{args.stays} stays from {start} to {args.until} generated and imported "
              f"in {time.perf_counter() - began:.1f} s ({db.dialect})")
        at = datetime.combine(args.until, datetime.min.time()).replace(hour=8)
        reads, forecasts = [], []
        for _ in range(3):
            began = time.perf_counter()
            known = history.read(db, at)
            reads.append(time.perf_counter() - began)
            began = time.perf_counter()
            made = forecast.forecast(known, args.horizon)
            forecasts.append(time.perf_counter() - began)
        print(f"history: {known.ukp.shape[0]} days, {known.ukp.shape[1]} municipalities, "
              f"{known.units.shape[1]} units with counts, community mean "
              f"{known.community.mean():.1f} UKP patients")
        print(f"forecast: {len(made.rows)} rows ({args.horizon} days)")
        print(f"read history  median {statistics.median(reads):.2f} s  "
              f"(runs: {', '.join(f'{s:.2f}' for s in reads)})")
        print(f"forecast      median {statistics.median(forecasts):.2f} s  "
              f"(runs: {', '.join(f'{s:.2f}' for s in forecasts)})")
        total = statistics.median(reads) + statistics.median(forecasts)
        print(f"together      {total:.2f} s  (goal ≤ 10 s)")
        if args.backtest:
            began = time.perf_counter()
            result = backtest.run(known, 12, 56)
            print(f"\nbacktest in {time.perf_counter() - began:.1f} s\n")
            print(backtest_table(result, "en"))
        db.close()


if __name__ == "__main__":
    main()
