"""`flyt plan import|export|show` (flyt.plan.exchange): the spec's XLSX layout and the JSON
of `plan show`, all or nothing with every bad row listed, round trips unchanged."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import xlsxwriter
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from flyt.cli.main import cli
from flyt.plan import storage
from flyt.plan.exchange import MAX_FILE_BYTES, MAX_ROWS
from flyt.store.db import Database

TOC_HEADER = ["id", "kind", "text", "kpi", "links"]
PLAN_HEADER = ["type", "id", "parent", "name", "description", "start", "end", "priority",
               "scope", "responsible", "status", "done", "comment", "toc"]


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, list(args))
    assert (result.exit_code == 0) == ok, result.output
    return result


def book(path: Path, toc: list[list[str]], plan: list[list[str]],
         vision: str = "Bedre flyt") -> Path:
    """A workbook in the spec's layout, every cell written as text."""
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in (("visjon", [["visjon"], [vision]]), ("forandringsteori", [TOC_HEADER, *toc]),
                       ("tiltak", [PLAN_HEADER, *plan])):
        sheet = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value:
                    sheet.write_string(r, c, value)
    wb.close()
    return path


GOOD_TOC = [["R1", "ressurs", "Kompetansegruppe", "", "A1"],
            ["A1", "aktivitet", "Kapasitetsplan", "", "E1"],
            ["E1", "effekt", "Antall UKP-døgn <= 1000", "1", ""]]
GOOD_PLAN = [
    ["tiltak", "T1", "", "Overordnet plan", "Kapasitet", "01.02.2025", "30.06.2025", "Høy",
     "Stort", "Eirik/Runar", "gul", "", "Utkast i arbeid", "A1"],
    ["aktivitet", "T1.1", "T1", "Påske", "", "01.02.2025", "31.03.2025", "Middel", "Lite",
     "Kompetansegruppa", "", "nei", "", ""],
    ["aktivitet", "T1.2", "T1", "Jul", "", "", "", "", "", "", "rød", "ja", "Ferdig", ""],
]


def test_a_workbook_in_the_spec_layout_replaces_the_plan(db_url, tmp_path):
    run("plan", "import", str(book(tmp_path / "plan.xlsx", GOOD_TOC, GOOD_PLAN)), "--db", db_url)
    db = Database.open(db_url)
    plan = storage.read_plan(db)
    db.close()
    assert plan.vision == "Bedre flyt"
    assert [(e.id, e.kpi, e.links) for e in plan.elements] == [
        ("R1", None, ("A1",)), ("A1", None, ("E1",)), ("E1", 1, ())]
    t1 = plan.measures[0]
    assert (t1.priority, t1.scope, t1.status, t1.toc) == ("hoy", "stort", "yellow", ("A1",))
    assert (t1.start.isoformat(), t1.end.isoformat()) == ("2025-02-01", "2025-06-30")
    assert [(a.id, a.priority, a.done, a.status) for a in t1.activities] == [
        ("T1.1", "middel", False, None), ("T1.2", None, True, "red")]


def test_show_json_computes_each_status_by_the_rules(db_url, tmp_path):
    run("plan", "import", str(book(tmp_path / "plan.xlsx", GOOD_TOC, GOOD_PLAN)), "--db", db_url)
    # 10.03.2025: T1.1 ends 31.03 (not late); T1.2 done but set red; T1 set yellow.
    doc = json.loads(run("plan", "show", "--at", "2025-03-10", "--format", "json",
                         "--db", db_url).output)
    assert set(doc) == {"vision", "elements", "measures"}
    t1 = doc["measures"][0]
    assert (t1["status"], t1["computed_status"]) == ("yellow", "red")
    assert [(a["status"], a["computed_status"]) for a in t1["activities"]] == [
        (None, None), ("red", "red")]
    # 01.05.2025 is 31 days after T1.1's end: red.
    doc = json.loads(run("plan", "show", "--at", "01.05.2025", "--format", "json",
                         "--db", db_url).output)
    assert doc["measures"][0]["activities"][0]["computed_status"] == "red"


def errors_of(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("tiltak")
            or line.startswith("forandringsteori") or line.startswith("visjon")]


def test_every_bad_row_is_listed_with_sheet_row_and_column_and_nothing_is_stored(
        db_url, tmp_path):
    toc = [["R1", "ressurs", "Kompetansegruppe", "2", "A9"],  # kpi on a resource; A9 unknown
           ["E1", "effekt", "Døgn", "7", ""]]  # no KPI 7
    plan = [
        ["tiltak", "T1", "", "Plan", "", "31.02.2025", "", "Kjempehøy", "", "", "", "", "",
         "X1"],
        ["aktivitet", "T1.1", "T9", "Påske", "", "", "", "", "", "", "lilla", "kanskje", "", ""],
        ["tiltak", "T2", "", "Plan 2", "", "01.03.2025", "01.02.2025", "", "", "", "", "", "",
         ""],
        ["tiltak", "T2", "", "Igjen", "", "", "", "", "", "", "", "", "", ""],
    ]
    path = book(tmp_path / "bad.xlsx", toc, plan)
    result = run("plan", "import", str(path), "--db", db_url, "--lang", "en", ok=False)
    assert errors_of(result) == [
        "forandringsteori, row 2, column kpi: R1 is not an effect: only effects can be tied "
        "to a KPI.",
        "forandringsteori, row 2, column links: The link points to A9, which is not in the "
        "Theory of Change.",
        "forandringsteori, row 3, column kpi: KPI '7' does not exist; use a number from 1 to 6.",
        "tiltak, row 2, column start: '31.02.2025' is not a date; write dd.mm.yyyy.",
        "tiltak, row 2, column priority: 'Kjempehøy' is not allowed; use Høy, Middel, Lav.",
        "tiltak, row 2, column toc: The link points to X1, which is not in the Theory of "
        "Change.",
        "tiltak, row 3, column parent: The activity belongs to the measure 'T9', which is not "
        "in the sheet.",
        "tiltak, row 3, column status: 'lilla' is not allowed; use grønn, gul, rød.",
        "tiltak, row 3, column done: 'kanskje' is not allowed; use ja, nei.",
        "tiltak, row 4, column end: The end date is before the start date.",
        "tiltak, row 5, column id: The id T2 is used earlier in the plan.",
    ]
    assert "nothing was stored; 11 problems" in result.output
    db = Database.open(db_url)
    assert len(storage.read_plan(db).measures) == 12  # still the default plan
    db.close()


def test_a_link_backwards_in_the_chain_is_refused(db_url, tmp_path):
    toc = [["A1", "aktivitet", "Kapasitetsplan", "", "R1"], ["R1", "ressurs", "Folk", "", ""]]
    result = run("plan", "import", str(book(tmp_path / "back.xlsx", toc, [])), "--db", db_url,
                 "--lang", "en", ok=False)
    assert errors_of(result) == [
        "forandringsteori, row 2, column links: The link to R1 points backwards: links run "
        "from resources to activities, outcomes, results and effects."]


def test_a_missing_sheet_or_column_is_one_clear_line(db_url, tmp_path):
    path = tmp_path / "one.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("visjon").write_string(0, 0, "visjon")
    wb.close()
    result = run("plan", "import", str(path), "--db", db_url, "--lang", "en", ok=False)
    assert "one.xlsx: The workbook has no sheet 'forandringsteori'." in result.output
    assert "Traceback" not in result.output


def test_a_file_beyond_the_bounds_is_refused_before_it_is_read(db_url, tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_FILE_BYTES + 1))
    result = run("plan", "import", str(big), "--db", db_url, "--lang", "en", ok=False)
    assert "big.json: The file is larger than 5 MB; a plan is not that big." in result.output
    rows = [["tiltak", f"T{i}", "", "Tiltak", "", "", "", "", "", "", "", "", "", ""]
            for i in range(MAX_ROWS + 1)]
    result = run("plan", "import", str(book(tmp_path / "many.xlsx", [], rows)), "--db", db_url,
                 "--lang", "en", ok=False)
    assert f"at most {MAX_ROWS:,} rows" in result.output  # the XLSX guard, before reading
    many = tmp_path / "many.json"
    many.write_text(json.dumps({"vision": "v", "elements": [], "measures": [
        {"id": f"T{i}"} for i in range(MAX_ROWS + 1)]}), encoding="utf-8")
    result = run("plan", "import", str(many), "--db", db_url, "--lang", "en", ok=False)
    assert f"The file has more than {MAX_ROWS:,} rows" in result.output


def test_a_long_text_is_refused_with_its_limit(db_url, tmp_path):
    plan = [["tiltak", "T1", "", "x" * 1001, "", "", "", "", "", "", "", "", "", ""]]
    result = run("plan", "import", str(book(tmp_path / "long.xlsx", [], plan)), "--db", db_url,
                 "--lang", "en", ok=False)
    assert errors_of(result) == [
        "tiltak, row 2, column name: name is longer than 1,000 characters."]


def test_the_default_plan_exported_as_xlsx_and_json_imports_back_unchanged(db_url, tmp_path):
    first = tmp_path / "first.json"
    run("plan", "export", "--format", "json", "--output", str(first), "--db", db_url)
    sheet = tmp_path / "plan.xlsx"
    run("plan", "export", "--format", "xlsx", "--output", str(sheet), "--db", db_url)
    run("plan", "import", str(sheet), "--db", db_url)
    again = tmp_path / "again.json"
    run("plan", "export", "--format", "json", "--output", str(again), "--db", db_url)
    assert again.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    run("plan", "import", str(first), "--db", db_url)
    run("plan", "export", "--format", "json", "--output", str(again), "--db", db_url)
    assert again.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def test_an_edited_plan_round_trips_through_xlsx_with_norwegian_spellings(db_url, tmp_path):
    plan = GOOD_PLAN + [["tiltak", "T2", "", "=SUM(A1:A2)", "-1 og +2", "", "", "Lav",
                         "Middels", "", "grønn", "", "@kommentar", ""]]
    run("plan", "import", str(book(tmp_path / "in.xlsx", GOOD_TOC, plan)), "--db", db_url)
    out = tmp_path / "out.xlsx"
    run("plan", "export", "--format", "xlsx", "--output", str(out), "--db", db_url)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("tiltak").to_python()
    assert rows[1][5:12] == ["01.02.2025", "30.06.2025", "Høy", "Stort", "Eirik/Runar", "gul",
                             ""]
    assert rows[4][3] == "=SUM(A1:A2)"  # text, not a live formula
    first = tmp_path / "first.json"
    run("plan", "export", "--format", "json", "--output", str(first), "--db", db_url)
    run("plan", "import", str(out), "--db", db_url)
    again = tmp_path / "again.json"
    run("plan", "export", "--format", "json", "--output", str(again), "--db", db_url)
    assert again.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def test_a_json_file_that_is_not_a_plan_is_refused(db_url, tmp_path):
    path = tmp_path / "x.json"
    path.write_text('[1, 2]', encoding="utf-8")
    result = run("plan", "import", str(path), "--db", db_url, "--lang", "en", ok=False)
    assert "This is not the plan's JSON" in result.output


def test_a_bad_json_plan_names_the_path_and_field_of_each_problem(db_url, tmp_path):
    doc = {"vision": "Visjon", "elements": [
        {"id": "E1", "kind": "effekt", "text": "Døgn", "kpi": 1, "links": []}],
        "measures": [{"id": "T1", "name": "Tiltak", "toc": ["E9"], "activities": [
            {"id": "T1.1", "name": "A", "end": "2025-13-01"},
            {"id": "T1.2", "name": "B", "status": "gul", "done": "kanskje"}]}]}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run("plan", "import", str(path), "--db", db_url, "--lang", "en", ok=False)
    assert [line for line in result.output.splitlines() if line.startswith("measures")] == [
        "measures[0].activities[0], field end: '2025-13-01' is not a date; write dd.mm.yyyy.",
        "measures[0].activities[1], field done: 'kanskje' is not allowed; use ja, nei.",
        "measures[0], field toc: The link points to E9, which is not in the Theory of Change.",
    ]


def test_excel_date_cells_are_read_as_their_dates(db_url, tmp_path):
    path = tmp_path / "dates.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in (("visjon", [["visjon"], ["V"]]), ("forandringsteori", [TOC_HEADER]),
                       ("tiltak", [PLAN_HEADER, ["tiltak", "T1", "", "Plan"]])):
        sheet = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
    # The start as a typed date cell, as Excel stores a date typed into it.
    wb.get_worksheet_by_name("tiltak").write_datetime(
        1, 5, datetime(2025, 2, 1), wb.add_format({"num_format": "dd.mm.yyyy"}))
    wb.close()
    run("plan", "import", str(path), "--db", db_url)
    db = Database.open(db_url)
    assert storage.read_plan(db).measures[0].start.isoformat() == "2025-02-01"
    db.close()


def test_show_text_names_each_status_in_the_users_language(db_url, tmp_path):
    run("plan", "import", str(book(tmp_path / "plan.xlsx", GOOD_TOC, GOOD_PLAN)), "--db", db_url)
    out = run("plan", "show", "--at", "2025-04-01", "--lang", "en", "--db", db_url).stdout
    assert "Status at 2025-04-01" in out
    # T1.1 ended 31.03.2025, not done: yellow the day after; T1 set yellow, T1.2 set red.
    assert "  T1  Overordnet plan (2025-02-01–2025-06-30)  [red]" in out
    assert "    T1.1  Påske (2025-02-01–2025-03-31)  [yellow]" in out
    assert "    T1.2  Jul (done)  [red]" in out
    assert "  E1  Antall UKP-døgn <= 1000 [KPI 1: no status]" in out
