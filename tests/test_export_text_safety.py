"""Text stays text in every export (issue 10, item 1): imported or configured names that
look like spreadsheet formulas, links or numbers never become live formulas in an XLSX
file, and CSV cells meant for people cannot start a formula (OWASP "CSV injection").

The hostile text goes in the way a tester's would: municipality and region names
through `flyt reference load` (a source name can no longer carry one: only letters,
digits, `.`, `_` and `-` are taken, tested here too); the files come out of the real
commands and are opened with openpyxl. Both engines.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from importlib import resources
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from flyt.cli.main import cli
from flyt.domain import clock
from flyt.output.spreadsheet import csv_from_arrow
from flyt.output.writers import to_csv

LINK = '=HYPERLINK("http://x","y")'
DDE = "=cmd|' /C calc'!A0"
AT_SIGN = "@SUM(A1)"
PLUS = "+1+1"
URL = "http://evil.example/payload"
HOSTILE = (LINK, DDE, AT_SIGN, PLUS)
# Source names a tester tried: refused at the door.
HOSTILE_SOURCES = ('=HYPERLINK("http://x","kilde")', "=cmd|' /C notepad'!A0", "@SUM(B1)",
                   "+2+2", URL)
SOURCES = ("kilde-1", "kilde-2")
MONTH, CUTOFF = "2024-03", "2024-04-15"

# Trondheim and Malvik get formula names, their regions too (regions are KPI groups).
RENAMED = {"5001": (LINK, DDE), "5031": (AT_SIGN, PLUS)}


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def hostile_reference(tmp_path: Path, db_url: str) -> None:
    """The packaged municipalities with two renamed, and their regions renamed with them."""
    text = (resources.files("flyt.reference") / "municipalities.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    regions = {r["region"]: RENAMED[r["kommunenummer"]][1]
               for r in rows if r["kommunenummer"] in RENAMED}
    for r in rows:
        r["region"] = regions.get(r["region"], r["region"])
        if r["kommunenummer"] in RENAMED:
            r["name"] = RENAMED[r["kommunenummer"]][0]
    path = tmp_path / "municipalities.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    run("reference", "load", "municipalities", str(path), "--db", db_url)


def stays_file(tmp_path: Path, n: int) -> Path:
    header = "stay_id;patient_id;municipality;sector;admission_type;admitted_at;ready_at;" \
             "discharged_at;discharge_destination\n"
    path = tmp_path / f"stays-{n}.csv"
    path.write_text(header + f"S{n};P{n};5001;somatikk;akutt;01.03.2024 10:00;"
                    f"0{n}.03.2024 12:00;1{n}.03.2024 09:00;hjem\n", encoding="utf-8")
    return path


def test_a_source_name_that_could_be_a_formula_is_refused(tmp_path: Path, db_url: str):
    for source in HOSTILE_SOURCES:
        result = CliRunner().invoke(cli, ["import", "stays", str(stays_file(tmp_path, 1)),
                                          "--source", source, "--db", db_url])
        assert result.exit_code == 1 and "source name" in result.output, source


def import_under_hostile_sources(tmp_path: Path, db_url: str) -> None:
    """A stay in March 2024 from each of two sources."""
    for n, source in enumerate(SOURCES, start=1):
        run("import", "stays", str(stays_file(tmp_path, n)), "--source", source,
            "--new-records", "--db", db_url, "--no-recompute")


@pytest.fixture
def hostile(tmp_path: Path, db_url: str) -> str:
    hostile_reference(tmp_path, db_url)
    import_under_hostile_sources(tmp_path, db_url)
    return db_url


def cells(path: Path) -> list[openpyxl.cell.cell.Cell]:
    book = openpyxl.load_workbook(path)  # formulas as written, not computed
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def assert_text_cells(path: Path, expected: tuple[str, ...], formulas_allowed: str = "") -> None:
    """Every expected string is in the file as a text cell, no other cell is a formula
    (but the workbook's own totals, starting with `formulas_allowed`), and no cell is
    a link."""
    found = cells(path)
    for text in expected:
        matching = [c for c in found if c.value == text]
        assert matching, f"{text!r} is not in {path.name} as itself"
        assert all(c.data_type == "s" for c in matching), (text, [c.data_type for c in matching])
    formulas = [c.value for c in found if c.data_type == "f"]
    assert all(formulas_allowed and f.startswith(formulas_allowed) for f in formulas), formulas
    assert not [c.coordinate for c in found if c.hyperlink is not None]


def test_the_monthly_xlsx_keeps_hostile_source_and_municipality_names_as_text(
        hostile: str, tmp_path: Path):
    out = tmp_path / "monthly.xlsx"
    # The completeness sheet lists the imports finished by the cut-off: today's.
    tomorrow = f"{clock.today() + timedelta(days=1):%Y-%m-%d}"
    run("report", "monthly", "--month", MONTH, "--cutoff", tomorrow, "--format", "xlsx",
        "--output", str(out), "--db", hostile)
    # sources on the completeness sheet, names and regions on the municipality sheet
    assert_text_cells(out, (*SOURCES, *HOSTILE))


def test_the_snapshot_xlsx_keeps_hostile_municipality_and_region_names_as_text(
        hostile: str, tmp_path: Path):
    out = tmp_path / "snapshot.xlsx"
    run("report", "snapshot", "--at", "2024-03-08T08:00", "--format", "xlsx",
        "--output", str(out), "--db", hostile)
    assert_text_cells(out, HOSTILE)


def test_the_payment_xlsx_keeps_hostile_municipality_names_as_text(
        hostile: str, tmp_path: Path):
    out = tmp_path / "payment.xlsx"
    run("report", "payment", "--month", MONTH, "--cutoff", CUTOFF, "--format", "xlsx",
        "--output", str(out), "--db", hostile)
    assert_text_cells(out, (LINK, AT_SIGN), formulas_allowed="=SUM(")


def test_the_kpi_table_xlsx_keeps_hostile_region_names_as_text(hostile: str, tmp_path: Path):
    out = tmp_path / "kpi.xlsx"
    run("kpi", "--from", MONTH, "--to", MONTH, "--cutoff", CUTOFF, "--format", "xlsx",
        "--output", str(out), "--db", hostile)
    assert_text_cells(out, (DDE, PLUS))


def test_the_kpi_and_snapshot_csv_defuse_hostile_names_and_keep_numbers(hostile: str):
    kpi = list(csv.DictReader(io.StringIO(run(
        "kpi", "--from", MONTH, "--to", MONTH, "--cutoff", CUTOFF, "--format", "csv",
        "--db", hostile))))
    regions = {r["group_id"] for r in kpi if r["group_type"] == "region"}
    assert {"'" + DDE, "'" + PLUS} <= regions and not {DDE, PLUS} & regions
    # Trondheim's March: two stays, ready 1st and 2nd, discharged 11th and 12th: 10 days
    # each
    days = next(r for r in kpi if (r["group_type"], r["group_id"], r["sector"], r["kpi"])
                == ("municipality", "5001", "alle", "1"))
    assert days["value"] == days["numerator"] == "20"
    snapshot = list(csv.DictReader(io.StringIO(run(
        "snapshot", "--at", "2024-03-08T08:00", "--format", "csv", "--db", hostile))))
    trondheim = next(r for r in snapshot if r["municipality"] == "5001")
    assert (trondheim["name"], trondheim["region"]) == ("'" + LINK, "'" + DDE)
    assert trondheim["patients"] == "2"  # both ready before and still in on the 8th


@pytest.mark.parametrize(("value", "written"), [
    (LINK, "'" + LINK), (DDE, "'" + DDE), (AT_SIGN, "'" + AT_SIGN), (PLUS, "'" + PLUS),
    ("-2+3", "'-2+3"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("- a dash", "'- a dash"),
    ("-1,5", "-1,5"), ("-1.5", "-1.5"), ("-2872.50", "-2872.50"), ("+7", "+7"),
    (-3, "-3"), (-1.5, "-1.5"), ("Malvik", "Malvik"), ("", ""), (None, ""), (True, "true"),
    ("a=b", "a=b"), ("<5", "<5"),
])
def test_a_csv_cell_is_neutralised_only_when_it_is_text_that_starts_a_formula(
        value: object, written: str):
    text = to_csv([{"x": value}], ["x"])
    assert next(csv.DictReader(io.StringIO(text)))["x"] == written


def test_every_xlsx_workbook_in_the_package_is_made_by_the_shared_helper():
    """One place sets text-only options: a workbook made elsewhere could forget them."""
    import flyt

    package = Path(flyt.__file__).resolve().parent
    makers = sorted(str(p.relative_to(package)) for p in package.rglob("*.py")
                    if "xlsxwriter.Workbook(" in p.read_text(encoding="utf-8"))
    assert makers == ["output/spreadsheet.py"]


# --- the columnar CSV writer (large tables: flyt kpi) -------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)  # no surrogates
_FORMULA_LIKE = st.sampled_from([LINK, DDE, AT_SIGN, PLUS, "-1,5", "-2+3", "\tx", "\rx",
                                 'a,"b"', "line\nbreak", "cr\ronly", "-٣", "+1e5", ""])
_COLUMNS = {
    "text": (pa.string(), st.one_of(_TEXT, _FORMULA_LIKE)),
    "int": (pa.int64(), st.integers(-2**63, 2**63 - 1)),
    "float": (pa.float64(), st.floats(allow_nan=False, allow_infinity=False)),
    "flag": (pa.bool_(), st.booleans()),
    "day": (pa.date32(), st.dates()),
}


@st.composite
def _tables(draw: st.DrawFn) -> pa.Table:
    kinds = draw(st.lists(st.sampled_from(sorted(_COLUMNS)), min_size=1, max_size=5))
    rows = draw(st.integers(0, 8))
    arrays = [pa.array(draw(st.lists(st.none() | _COLUMNS[k][1], min_size=rows,
                                     max_size=rows)), _COLUMNS[k][0]) for k in kinds]
    names = draw(st.lists(st.one_of(_TEXT, _FORMULA_LIKE), min_size=len(kinds),
                          max_size=len(kinds), unique=True))
    return pa.table(arrays, names=names)


@settings(max_examples=300, deadline=None)
@given(_tables())
def test_the_columnar_csv_writer_writes_what_the_record_writer_writes(table: pa.Table):
    """csv_from_arrow (DuckDB over whole columns) and csv_document (Python, cell by cell):
    the same text, byte for byte, neutralised formulas and quoting included."""
    records = table.to_pylist()
    names = table.column_names
    assert csv_from_arrow(table) == to_csv([dict(zip(names, r.values(), strict=True))
                                           for r in records], names)
