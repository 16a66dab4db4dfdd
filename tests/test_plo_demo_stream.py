"""`flyt generate --plo`: the demo data as PLO messages gives the same KPI table (KPI 1–5)
as the CSV files. Both engines."""

from __future__ import annotations

import csv
import time
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.engine import compute as engine
from flyt.ingest.importer import import_file
from flyt.plo.message import read_message
from flyt.plo.receive import receive
from flyt.plo.replay import replay_messages
from flyt.store import schema
from tests.support.plo import plo_settings

SETTINGS = plo_settings()
UNTIL = "2021-07-01"
CUTOFF = datetime(2021, 7, 1)


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("demo")
    out = run("generate", "--output", str(root / "csv"), "--plo", str(root / "plo"),
              "--stays", "1000", "--seed", "7", "--until", UNTIL)
    assert "PLO messages" in out
    return root / "csv", root / "plo"


def kpi_table(db) -> dict[tuple, tuple]:
    k = schema.kpi_results.c
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(k.month, k.group_type, k.group_id, k.sector, k.kpi,
                                      k.value, k.numerator, k.denominator)
                            .where(k.cutoff == CUTOFF, k.kpi <= 5)).all()
    return {tuple(r[:5]): (None if r.value is None else round(r.value, 9), r.numerator,
                           r.denominator) for r in rows}


def clear_records(db) -> None:
    with db.engine.begin() as conn:
        for table in (schema.kpi_results, schema.ukp_periods, schema.stays):
            conn.execute(table.delete())


def test_stream_is_schema_valid_and_complete(demo):
    csv_dir, plo_dir = demo
    files = sorted(plo_dir.glob("*.xml"))
    with (csv_dir / "stays.csv").open() as f:
        stays = list(csv.DictReader(f))
    innlagt = [read_message(p.read_bytes()) for p in files[:200]]  # validates the schema
    assert {m.msg_type for m in innlagt} >= {"LOG_INNLAGT", "LOG_UTSKREVET"}
    kinds = [p.read_text(encoding="utf-8").count('V="LOG_INNLAGT"') for p in files]
    assert sum(kinds) == len(stays)
    for path in files[::max(1, len(files) // 300)]:
        read_message(path.read_bytes())


def test_importing_the_stream_gives_the_csv_kpi_table(demo, db, tmp_path):
    csv_dir, plo_dir = demo
    for kind, name in (("stays", "stays.csv"), ("ukp-periods", "ukp_periods.csv")):
        report = import_file(db, kind, csv_dir / name, settings=SETTINGS, source="demo",
                             recompute=False)
        assert report.status == "ok", report.message
    engine.compute(db, CUTOFF)
    from_csv = kpi_table(db)
    clear_records(db)

    url = db.engine.url.render_as_string(hide_password=False)
    with (plo_dir / "receivers.csv").open() as f:
        for row in csv.DictReader(f):
            run("plo", "receivers", "add", row["her_id"], row["municipality"], "--db", url)
    started = time.perf_counter()
    outcomes = receive(db, plo_dir, SETTINGS, tmp_path / "receipts", replay=False)
    assert {o.status for o in outcomes} == {"applied"}, [o for o in outcomes
                                                           if o.status != "applied"][:3]
    result = replay_messages(db, recompute=False)
    assert result.pending == 0 and result.ignored == 0
    engine.compute(db, CUTOFF)
    print(f"{len(outcomes)} messages in {time.perf_counter() - started:.1f} s")
    from_plo = kpi_table(db)

    assert from_csv, "no KPI rows"
    assert any(v[1] for v in from_csv.values())
    differ = {k: (from_csv.get(k), from_plo.get(k))
              for k in from_csv.keys() | from_plo.keys() if from_csv.get(k) != from_plo.get(k)}
    assert not differ, sorted(differ.items())[:10]
