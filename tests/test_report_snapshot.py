"""The snapshot report (issue 4): the numbers of `flyt snapshot`, the change since the
previous Monday/Thursday, the longest waits, disclosure control. Both engines.

T = Thursday 2024-03-07 08:00; the previous snapshot is Monday 2024-03-04 08:00.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from flyt.cli.main import cli
from flyt.config import Settings
from flyt.domain.months import previous_snapshot
from flyt.reports import snapshot
from tests.support.records import stay
from tests.support.snapshot_data import census, load

T = datetime(2024, 3, 7, 8, 0)


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(("at", "before"), [
    (datetime(2024, 3, 7, 8, 0), datetime(2024, 3, 4, 8, 0)),  # Thursday -> Monday
    (datetime(2024, 3, 11, 7, 30), datetime(2024, 3, 7, 7, 30)),  # Monday -> Thursday
    (datetime(2024, 3, 9, 12, 0), datetime(2024, 3, 7, 12, 0)),  # Saturday -> Thursday
    (datetime(2024, 3, 31, 8, 0), datetime(2024, 3, 28, 8, 0)),  # DST Sunday -> Thursday
])
def test_the_previous_snapshot_is_the_monday_or_thursday_before(at, before):
    assert previous_snapshot(at) == before


@pytest.fixture
def ward(db):
    """Trondheim: 6 patients now (one at Øya helsehus), 4 on Monday.
    Malvik: 2 now, 1 on Monday. Melhus: 7 now, 7 on Monday."""
    stays = [stay(f"t{i}", f"pt{i}", "5001", admitted="2024-02-20", ready=f"2024-03-0{i}")
             for i in range(1, 7)]  # t1..t4 ready by Monday 4 March, t5, t6 after
    stays += [stay("m1", "pm1", "5031", admitted="2024-02-01", ready="2024-02-10"),
              stay("m2", "pm2", "5031", admitted="2024-03-05", ready="2024-03-06")]
    stays += [stay(f"h{i}", f"ph{i}", "5028", admitted="2024-02-01", ready="2024-02-20")
              for i in range(7)]
    load(db, stays, locations={"t1": "Øya helsehus"},
         beds=[census("Øya helsehus", "2024-03-07 06:00", 20, 22)])
    return db


def lines_by_code(report: snapshot.SnapshotReport) -> dict[str, snapshot.Line]:
    return {line.code: line for line in report.lines()}


def test_an_own_edition_is_exact_with_the_change_and_the_longest_wait(ward):
    report = snapshot.build(ward, Settings(), T, municipality="5031")
    own = lines_by_code(report)["5031"]
    # Malvik: 2 now, 1 on Monday; m1 waited 7 Mar - 10 Feb = 19 + 7 = 26 days
    assert (own.patients, own.at_hospital, own.utlokalisert, own.change, own.longest_wait) == (
        2, 2, 0, 1, 26)
    # Trondheim as in the shared edition: 6 now, but 4 on Monday, so no change shown
    trondheim = lines_by_code(report)["5001"]
    assert (trondheim.patients, trondheim.utlokalisert, trondheim.change) == (6, 1, None)


def test_the_shared_edition_hides_small_counts_and_a_second_one_when_only_one_is_small(ward):
    report = snapshot.build(ward, Settings(), T)
    lines = lines_by_code(report)
    # Malvik has 2 (under 5): hidden with its waits, and being the only small one now, the
    # next smallest (Trondheim, 6) is hidden too. Trondheim had 4 on Monday: no change shown.
    assert lines["5031"].patients is None and lines["5031"].longest_wait is None
    assert lines["5001"].patients is None and lines["5001"].change is None
    assert (lines["5028"].patients, lines["5028"].change) == (7, 0)
    assert lines["5028"].longest_wait == 16  # 7 Mar - 20 Feb = 9 + 7


def test_the_pdf_holds_the_numbers_of_flyt_snapshot(ward, tmp_path):
    url = ward.engine.url.render_as_string(hide_password=False)
    expected = json.loads(run("snapshot", "--at", "2024-03-07T08:00", "--format", "json",
                              "--db", url))
    out = tmp_path / "s.pdf"
    run("report", "snapshot", "--at", "2024-03-07T08:00", "--output", str(out), "--db", url)
    reader = PdfReader(out)
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    assert "Øyeblikksbilde UKP 07.03.2024 08:00" in text
    assert f"UKP i sykehus nå\n{expected['total']}" in text
    assert f"Endring +{expected['total'] - 7 - 1 - 4} siden 04.03.2024" in text
    assert f"På sykehuset\n{expected['at_hospital']}" in text
    assert f"Utlokalisert\n{expected['utlokalisert']}" in text
    assert "Øya helsehus 07.03.2024 06:00 22 20 110,0\u00a0% overbelegg" in text
    melhus = next(line for line in text.splitlines() if "(5028)" in line)
    assert melhus.endswith("7 7 0 0 16")
    malvik = next(line for line in text.splitlines() if "(5031)" in line)
    assert malvik.endswith(": : : : :")  # hidden: one mark, whatever the reason
    assert "<5" not in text


def test_english_and_the_workbook(ward, tmp_path):
    url = ward.engine.url.render_as_string(hide_password=False)
    page = run("report", "snapshot", "--at", "2024-03-07T08:00", "--format", "html",
               "--lang", "en", "--db", url)
    assert "UKP snapshot 2024-03-07 08:00" in page and "After-care beds" in page
    out = tmp_path / "s.xlsx"
    run("report", "snapshot", "--at", "2024-03-07T08:00", "--format", "xlsx", "--output",
        str(out), "--db", url)
    import openpyxl

    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(min_row=4,
                                                                     values_only=True))
    melhus = next(r for r in rows if r[0] == "5028")
    assert melhus[3:] == (7, 7, 0, 0, 16)
