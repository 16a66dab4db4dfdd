"""Files whose records already exist under another source are stopped: the demo's own
files imported again without `--source demo` would count every stay twice. The
user says `--source demo` (an update) or `--new-records` (other events)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flyt.cli.main import cli
from tests.conftest import count
from tests.test_cli_import import db_url_db

STAYS = ("stay_id;patient_id;municipality;sector;admission_type;admitted_at;ready_at;"
         "discharged_at;discharge_destination\n"
         "S1;P1;5001;somatikk;akutt;30.01.2024 10:00;30.01.2024 12:00;02.02.2024 09:00;hjem\n"
         "S2;P2;5031;psykisk_helsevern;planlagt;01.02.2024;;;\n"
         "S3;P3;5001;somatikk;akutt;03.02.2024;;;\n")
# The same events under other ids (another system's extract of them) and one more.
RENAMED = STAYS.replace("S1;", "X1;").replace("S2;", "X2;").replace("S3;P3;", "X3;P9;")
PERIODS = "stay_id,ready_from,ready_to\nS1,2024-01-30T12:00,2024-02-01T08:00\n"
PERIODS_RENAMED = PERIODS.replace("S1,", "X1,")
SHORT = ("stay_id,patient_id,municipality,unit,started_at\n"
         "K1,P1,5031,Malvik korttid,02.02.2024 12:00\n")
BEDS = "unit,at,available,occupied\nØya helsehus,2024-02-01 08:00,10,9\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def flyt(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def imported(db_url: str, kind: str, path: Path, *args: str) -> dict:
    code, out = flyt("import", kind, str(path), "--db", db_url, "--format", "json",
                     "--no-recompute", *args)
    report = json.loads(out)
    assert code == (0 if report["status"] == "ok" else 1)
    return report


def test_stays_imported_again_under_another_source_are_stopped(tmp_path: Path,
                                                               db_url: str) -> None:
    path = write(tmp_path, "stays.csv", STAYS)
    assert imported(db_url, "stays", path, "--source", "demo")["new"] == 3
    code, out = flyt("import", "stays", str(path), "--db", db_url)
    assert code == 1
    assert ("REJECTED, nothing was imported. 3 of 3 stays already exist under source 'demo' "
            "(same patient, admission time and municipality); nothing was imported") in out
    assert ("Import with --source demo to update them, or --new-records if these are other "
            "stays.") in out
    assert count(db_url_db(db_url), "stays") == 3
    with db_url_db(db_url).engine.connect() as conn:
        log = conn.exec_driver_sql("SELECT source, status, message FROM imports "
                                   "ORDER BY id").all()
    assert [(s, st) for s, st, _ in log] == [("demo", "ok"), ("default", "rejected")]
    assert log[1][2].startswith("3 of 3 stays already exist under source 'demo'")


def test_another_explicit_source_is_stopped_too_and_new_records_go_through(
    tmp_path: Path, db_url: str,
) -> None:
    path = write(tmp_path, "stays.csv", STAYS)
    imported(db_url, "stays", path, "--source", "demo")
    report = imported(db_url, "stays", write(tmp_path, "renamed.csv", RENAMED), "--source",
                      "hospital")
    assert report["status"] == "rejected"
    assert report["exists_under"] == {"source": "demo", "count": 2, "sources": 1}
    assert report["message"].startswith("2 of 3 stays already exist under source 'demo'")
    assert imported(db_url, "stays", path, "--source", "demo")["unchanged"] == 3  # an update
    report = imported(db_url, "stays", write(tmp_path, "renamed.csv", RENAMED), "--source",
                      "hospital", "--new-records")
    assert (report["status"], report["new"]) == ("ok", 3)
    assert count(db_url_db(db_url), "stays") == 6


def test_every_kind_is_looked_for_by_what_identifies_it(tmp_path: Path, db_url: str) -> None:
    stays = write(tmp_path, "stays.csv", STAYS)
    imported(db_url, "stays", stays, "--source", "demo")
    imported(db_url, "ukp-periods", write(tmp_path, "p.csv", PERIODS), "--source", "demo")
    imported(db_url, "short-stays", write(tmp_path, "k.csv", SHORT), "--source", "demo")
    imported(db_url, "beds", write(tmp_path, "b.csv", BEDS), "--source", "demo")
    # The same stays under new ids, said to be new: their periods are not.
    imported(db_url, "stays", write(tmp_path, "x.csv", RENAMED), "--new-records")
    for kind, text, what in (
        ("ukp-periods", PERIODS_RENAMED, "1 of 1 UKP periods already exist under source 'demo' "
                                         "(same stay and start)"),
        ("short-stays", SHORT.replace("K1", "Z1"), "1 of 1 short-term stays already exist "
                                                   "under source 'demo' (same patient, unit "
                                                   "and start)"),
        ("beds", BEDS, "1 of 1 bed counts already exist under source 'demo' (same unit and "
                       "time)"),
    ):
        report = imported(db_url, kind, write(tmp_path, f"{kind}.csv", text))
        assert report["status"] == "rejected" and report["message"].startswith(what), kind
    # The same period file (same stay ids) under another source, its stays there too.
    imported(db_url, "stays", stays, "--source", "copy", "--new-records")
    report = imported(db_url, "ukp-periods", write(tmp_path, "p.csv", PERIODS), "--source",
                      "copy")
    assert report["exists_under"] == {"source": "demo", "count": 1, "sources": 1}
    assert count(db_url_db(db_url), "ukp_periods") == 1


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-20000")
    code, out = flyt("generate", "--output", str(folder), "--stays", "20000", "--seed", "3",
                     "--until", "2024-06-01")
    assert code == 0, out
    return folder


def test_the_demos_own_files_imported_again_are_stopped(demo_files: Path, db_url: str) -> None:
    files = {"stays": "stays.csv", "ukp-periods": "ukp_periods.csv",
             "short-stays": "short_stays.csv", "beds": "beds.csv"}
    for kind, name in files.items():
        assert imported(db_url, kind, demo_files / name, "--source", "demo")["status"] == "ok"
    before = {t: count(db_url_db(db_url), t) for t in ("stays", "ukp_periods", "short_stays",
                                                       "bed_census")}
    for kind, name in files.items():
        rows = (demo_files / name).read_text(encoding="utf-8").count("\n") - 1
        report = imported(db_url, kind, demo_files / name)
        assert report["status"] == "rejected", kind
        assert report["exists_under"] == {"source": "demo", "count": rows, "sources": 1}, kind
    after = {t: count(db_url_db(db_url), t) for t in before}
    assert after == before
    assert imported(db_url, "stays", demo_files / "stays.csv", "--source", "demo")["new"] == 0
