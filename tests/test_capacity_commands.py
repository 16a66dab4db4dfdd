"""`flyt forecast`: the contract's columns in CSV and JSON, --output, the backtest's
table, and clear errors."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

import numpy as np
import sqlalchemy as sa
from click.testing import CliRunner

from flyt.capacity import backtest
from flyt.capacity.text import backtest_table
from flyt.cli.main import cli
from flyt.store import schema
from tests.support.records import load, stay
from tests.test_capacity_forecast import made

COLUMNS = ["date", "group_type", "group_id", "measure", "mean", "lower", "upper"]
START = date(2024, 1, 1)


def invoke(*args: str):
    return CliRunner().invoke(cli, ["forecast", *args])


def seed(db) -> None:
    """100 days: in 5001 a patient ready each day at 10:00 and gone two days later at
    12:00 (two at every 08:00 from 03.01); in 5028 one a week; Øya helsehus counted
    daily at 07:00 with 10 beds taken."""
    stays = [stay(f"T{i}", ready=datetime.combine(START + timedelta(days=i),
                                                   datetime.min.time()).replace(hour=10),
                  discharged=datetime.combine(START + timedelta(days=i + 2),
                                              datetime.min.time()).replace(hour=12))
             for i in range(100)]
    stays += [stay(f"M{i}", municipality="5028",
                   ready=datetime.combine(START + timedelta(days=i), datetime.min.time()),
                   discharged=datetime.combine(START + timedelta(days=i + 3),
                                               datetime.min.time()))
              for i in range(0, 100, 7)]
    load(db, stays)
    with db.engine.begin() as conn:
        conn.execute(sa.insert(schema.bed_census), [
            {"source": "default", "unit": "Øya helsehus", "available": 20, "occupied": 10,
             "counted_at": datetime.combine(START + timedelta(days=i),
                                            datetime.min.time()).replace(hour=7),
             "over_capacity": False, "import_id": 0} for i in range(100)])


def test_csv_and_json_have_exactly_the_contract_columns(db, db_url, tmp_path):
    seed(db)
    out = invoke("--at", "2024-04-09T08:00", "--horizon", "3", "--format", "csv",
                 "--db", db_url)
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 3 * 4  # the community, 5001, 5028, Øya helsehus; three days
    assert sorted({r["date"] for r in rows}) == ["2024-04-10", "2024-04-11", "2024-04-12"]
    assert {(r["group_type"], r["group_id"], r["measure"]) for r in rows} == {
        ("community", "all", "ukp_patients"), ("municipality", "5001", "ukp_patients"),
        ("municipality", "5028", "ukp_patients"),
        ("unit", "Øya helsehus", "aftercare_occupied")}
    for r in rows:
        assert 0 <= float(r["lower"]) <= float(r["mean"]) <= float(r["upper"])
    steady = [r for r in rows if r["group_id"] in ("5001", "Øya helsehus")]
    for r in steady:  # two patients and ten beds every day: the forecast says so
        expected = 2.0 if r["group_id"] == "5001" else 10.0
        assert abs(float(r["mean"]) - expected) < 0.2, r
    target = tmp_path / "forecast.json"
    out = invoke("--at", "2024-04-09T08:00", "--horizon", "3", "--format", "json",
                 "--output", str(target), "--db", db_url)
    assert out.exit_code == 0 and out.stdout == ""
    objects = json.loads(target.read_text(encoding="utf-8"))
    assert all(list(o) == COLUMNS for o in objects) and len(objects) == len(rows)
    assert [o["date"] for o in objects] == [r["date"] for r in rows]


def test_before_08_the_first_day_is_still_the_day_after(db, db_url):
    seed(db)
    out = invoke("--at", "2024-04-09T07:00", "--horizon", "1", "--db", db_url)
    assert out.exit_code == 0, out.output
    assert {r["date"] for r in csv.DictReader(io.StringIO(out.stdout))} == {"2024-04-10"}


def test_clear_errors(db, db_url):
    out = invoke("--at", "2024-04-09T08:00", "--db", db_url, "--lang", "en")
    assert out.exit_code == 1
    assert "No UKP history in the store" in out.output and "Traceback" not in out.output
    seed(db)
    out = invoke("--at", "2024-02-01T08:00", "--db", db_url)
    assert out.exit_code == 1
    # 01.01 (5028's first, ready at 00:00) to 01.02: 32 days
    assert "For kort historikk: 32 dager, prognosen trenger minst 56." in out.output
    out = invoke("--at", "2024-04-09T08:00", "--backtest", "--db", db_url, "--lang", "en")
    assert out.exit_code == 1 and "Too little history for the backtest" in out.output
    assert invoke("--horizon", "0", "--db", db_url).exit_code == 2
    assert invoke("--horizon", "91", "--db", db_url).exit_code == 2


def test_the_backtest_table_names_every_band_and_method():
    rng = np.random.default_rng(5)
    history = made({"5001": rng.poisson(8.0, 600).astype(float)}, date(2025, 5, 4))
    result = backtest.run(history, 3, 10)
    assert [s.band for s in result.scores if s.method == "model"] == [(1, 7), (8, 10)] * 2
    text = backtest_table(result, "en")
    assert "Backtest of the forecast: 3 origins (2025-04-10–2025-04-24), 10 days ahead" in text
    assert "Municipalities (UKP)" in text and "Coverage 80 %" in text
    norsk = backtest_table(result, "nb")
    assert "3 startpunkter (10.04.2025–24.04.2025)" in norsk and "Kommuner (UKP)" in norsk
