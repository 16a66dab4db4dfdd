"""Correctness of the peers: each must give Flyt's KPI table, cell for cell.

    python benchmarks/peers/check.py                   # 20 000 demo stays + the edge cases
    python benchmarks/peers/check.py --stays 100000 --db postgresql://flyt:flyt@127.0.0.1/x

For each data set Flyt imports the files into a fresh store, then for each cut-off
``flyt kpi --rolling --format csv`` is compared with both peers' tables
(benchmarks/peers/compare.py). The data sets: demo data (``flyt generate``, data to
01.11.2026) at the end of the data, in the middle of it at a time of day, and near its
start; and the hand-made edge cases in benchmarks/peers/edge/ (overlapping periods,
withdrawals, open stays, the 8 h and 720 h readmission bounds, ties in rounding; the
hand-computed values are asserted in test_peers.py) at cut-offs on and around those
events. Exits 1 on any difference. A comparison is only meaningful when this passes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import compare
import harness

DEMO_UNTIL = datetime(2026, 11, 1)
DEMO_CUTOFFS = (DEMO_UNTIL, datetime(2024, 3, 15, 13, 30), datetime(2020, 1, 1, 8, 0))
EDGE = harness.HERE / "edge"
# The edge set's cut-off of test_peers.py, one exactly at three discharges, and one
# exactly at the readmission 720 hours after them.
EDGE_CUTOFFS = (datetime(2024, 3, 10, 12, 0), datetime(2024, 2, 1, 10, 0),
                datetime(2024, 3, 2, 10, 0))


def check(name: str, data: Path, cutoffs: tuple[datetime, ...], work: Path,
          db: str | None) -> bool:
    """Import ``data`` once into a fresh store; compare the peers at every cut-off."""
    env = harness.fresh_store(work / f"store-{name}", db)
    harness.flyt_imports(data, env)
    agree = True
    for cutoff in cutoffs:
        print(f"{name}, cut-off {cutoff:%Y-%m-%d %H:%M}:", flush=True)
        stamp = f"{name}-{cutoff:%Y%m%dT%H%M}"
        expected = work / f"flyt-{stamp}.csv"
        harness.flyt_kpi(cutoff, expected, env)
        for peer in harness.PEERS:
            actual = work / f"{peer}-{stamp}.csv"
            harness.peer(peer, data, cutoff, actual)
            agree = compare.report(expected, actual) and agree
    return agree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stays", type=int, default=20_000, help="Demo stays (default "
                        "20 000).")
    parser.add_argument("--db", help="Flyt on this PostgreSQL database (emptied first) "
                        "instead of a fresh embedded DuckDB file.")
    parser.add_argument("--work", type=Path, help="Keep the files here (default: a "
                        "temporary folder, removed).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="flyt-peers-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        demo = work / f"demo-{args.stays}"
        harness.generate(demo, args.stays, DEMO_UNTIL)
        agree = check("edge", EDGE, EDGE_CUTOFFS, work, args.db)
        agree = check(f"demo-{args.stays}", demo, DEMO_CUTOFFS, work, args.db) and agree
    print("The peers agree with Flyt on every cell." if agree else
          "DIFFERENCES: fix the peer (or report Flyt's bug with a minimal example).")
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()
