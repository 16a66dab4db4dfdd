"""Running Flyt's pipeline and the peers as whole processes, timed (shared by
benchmarks/pipeline.py and benchmarks/peers/check.py).

Flyt runs as a user runs it: the ``flyt`` command, one process per step, into a fresh
store (a new data folder with its embedded DuckDB file, or an emptied PostgreSQL
database), with ``--source bench``. Each step's wall time and peak memory (the child's
maximum resident set size, from ``wait4``) are its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = {"duckdb": HERE / "duckdb_pipeline.py", "pandas": HERE / "pandas_pipeline.py"}
IMPORTS = (("stays", "stays.csv"), ("ukp-periods", "ukp_periods.csv"),
           ("short-stays", "short_stays.csv"))
SOURCE = "bench"


def flyt_command() -> list[str]:
    """The ``flyt`` console script of this interpreter's environment (what a user types)."""
    script = Path(sys.executable).parent / "flyt"
    return [str(script)] if script.exists() else [sys.executable, "-m", "flyt"]


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    out: str
    cpu: float = 0.0  # user + system seconds: less sensitive than wall time to other load


def run(args: list[str], label: str, env: dict[str, str] | None = None) -> Run:
    """Run one process to its end; its wall time, peak RSS, output and CPU time. Stops
    the whole benchmark when it fails (a figure of a failed run means nothing)."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{label} failed:\n{out}")
    return Run(seconds, usage.ru_maxrss / 1024, out, usage.ru_utime + usage.ru_stime)


def generate(data: Path, stays: int, until: datetime, seed: int = 1) -> Run | None:
    """Demo data once: None when ``data`` already holds it."""
    if all((data / name).exists() for _, name in IMPORTS):
        return None
    return run(flyt_command() + ["generate", "--output", str(data), "--stays", str(stays),
                                 "--seed", str(seed), "--until", f"{until:%Y-%m-%dT%H:%M}"],
               "flyt generate")


def fresh_store(folder: Path, db: str | None) -> dict[str, str]:
    """The environment of a Flyt run into an empty store: a new data folder (embedded
    DuckDB file, pseudonymization key, configuration defaults) and, with ``db``, an
    emptied PostgreSQL database (Flyt migrates it on first use, as a new installation)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items()
           if k not in ("FLYT_DATABASE_URL", "FLYT_CONFIG")}
    env["FLYT_DATA_DIR"] = str(folder)
    if db:
        _empty_postgres(db)
        env["FLYT_DATABASE_URL"] = db
    return env


def _empty_postgres(url: str) -> None:
    import psycopg  # Flyt's own driver

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1),
                         autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def flyt_imports(data: Path, env: dict[str, str]) -> dict[str, Run]:
    """``flyt import`` of the three canonical files, in order, each recomputing as usual."""
    return {f"import {kind}": run(flyt_command() + ["import", kind, str(data / name),
                                                    "--source", SOURCE],
                                  f"flyt import {kind}", env)
            for kind, name in IMPORTS}


def flyt_kpi(cutoff: datetime, output: Path, env: dict[str, str]) -> Run:
    return run(flyt_command() + ["kpi", "--rolling", "--cutoff", f"{cutoff:%Y-%m-%dT%H:%M}",
                                 "--format", "csv", "--output", str(output)], "flyt kpi", env)


def peer_python(name: str) -> str:
    """The pandas peer runs in a virtual environment of its own (benchmarks/.venv-peers,
    made on first use; FLYT_PEER_PYTHON names another): with pandas installed beside
    Flyt, pyarrow imports it at its first array, 0.2 s of every flyt command."""
    if name != "pandas":
        return sys.executable
    if given := os.environ.get("FLYT_PEER_PYTHON"):
        return given
    venv = HERE.parent / ".venv-peers"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "pyarrow",
                        "-r", str(HERE.parent / "requirements.txt")], check=True)
    return str(python)


def peer(name: str, data: Path, cutoff: datetime, output: Path) -> Run:
    return run([peer_python(name), str(PEERS[name]), str(data),
                "--cutoff", f"{cutoff:%Y-%m-%dT%H:%M}", "--output", str(output)],
               f"{name} peer")
