"""The monthly report (issue 4): read back from the PDF and the workbook, every number
equals what `flyt kpi` prints for the same data and cut-off. Both engines."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from flyt import i18n
from flyt.cli.main import cli
from flyt.domain.codes import KPIS

MONTH = "2024-03"
CUTOFF = "2024-05-20"


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def demo_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report-demo")
    run("generate", "--output", str(root), "--stays", "40000", "--seed", "11",
        "--until", "2024-05-01")
    return root


@pytest.fixture
def exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A threshold of 1: nothing is hidden, so every figure can be compared (the demo
    data's mental-health counts are small; hiding is tested on its own below)."""
    config = tmp_path / "flyt.toml"
    config.write_text("suppression_threshold = 1\n", encoding="utf-8")
    monkeypatch.setenv("FLYT_CONFIG", str(config))


@pytest.fixture
def loaded(db, demo_csv: Path) -> str:
    url = db.engine.url.render_as_string(hide_password=False)
    for kind, name in (("stays", "stays.csv"), ("ukp-periods", "ukp_periods.csv"),
                       ("short-stays", "short_stays.csv"), ("beds", "beds.csv")):
        run("import", kind, str(demo_csv / name), "--db", url, "--no-recompute")
    return url


def kpi_table(url: str, *extra: str) -> dict[tuple, dict]:
    out = run("kpi", "--from", MONTH, "--to", MONTH, "--cutoff", CUTOFF, "--rolling",
              "--format", "csv", "--db", url, *extra)
    rows = csv.DictReader(io.StringIO(out))
    return {(r["group_type"], r["group_id"], r["sector"], int(r["kpi"])): r for r in rows}


def shown(kpi: int, value: str) -> str:
    """A value of `flyt kpi` as the report writes it in Norwegian."""
    if value == "":
        return "–"
    if KPIS[kpi].measure.value == "share":  # "12,5 %" with U+00A0 before the sign
        return i18n.percent(float(value), KPIS[kpi].decimals)
    return i18n.number(float(value), KPIS[kpi].decimals)


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def goals_json(url: str) -> dict[tuple[int, str], dict]:
    out = run("goals", "--month", MONTH, "--cutoff", CUTOFF, "--format", "json", "--db", url)
    return {(g["kpi"], g["sector"]): g for g in json.loads(out)}


def first_page_lines(first: str) -> list[list[str]]:
    """The status table's rows in order (somatics, mental health for KPIs 1-5, then KPI 6):
    the words after the sector's name."""
    rows = []
    for line in first.splitlines():
        found = re.search(r"(?:^|\) )(?:somatikk|helsevern|alle) (.*)$", line)
        if found:
            rows.append(found.group(1).split(" "))
    return rows


def expected_line(kpi: int, row: dict, goal: dict | None) -> list[str]:
    """The words of a first-page row, from `flyt kpi --suppress` and `flyt goals`."""
    def value(text: str, suppressed: str) -> str:
        return ":" if suppressed == "true" else shown(kpi, text)

    words = [value(row["value"], row["suppressed"]),
             value(row["value_12m"], row["suppressed_12m"])]
    if goal is None:
        return " ".join(words + ["–", "–", "–"]).split(" ")
    words.append(shown(kpi, str(goal["target"])))
    if row["suppressed_12m"] == "true":  # achievement is linear in the hidden value
        return " ".join(words + [":", i18n.percent(goal["expected"], 1)]).split(" ")
    words += [i18n.percent(goal["achievement"], 1),
              i18n.percent(goal["expected"], 1), i18n.t(goal["status"] + "_short")]
    return " ".join(words).split(" ")


@pytest.mark.parametrize("edition", ["threshold 1", "threshold 5"])
def test_every_number_on_the_first_page_is_the_one_flyt_kpi_and_flyt_goals_give(
        edition, loaded, tmp_path, monkeypatch):
    if edition == "threshold 1":
        config = tmp_path / "flyt.toml"
        config.write_text("suppression_threshold = 1\n", encoding="utf-8")
        monkeypatch.setenv("FLYT_CONFIG", str(config))
    out = tmp_path / "m.pdf"
    run("report", "monthly", "--month", MONTH, "--cutoff", CUTOFF, "--output", str(out),
        "--db", loaded)
    first = pdf_pages(out)[0]
    assert "UKP-rapport mars 2024" in first and "Data per 20.05.2024 00:00" in first
    table = kpi_table(loaded, "--suppress")
    goals = goals_json(loaded)
    expected = []
    for kpi in range(1, 7):
        for sector in (("alle",) if kpi == 6 else ("somatikk", "psykisk_helsevern")):
            goal = goals.get((kpi, sector))
            # KPI 6's goal is set on a unit (Øya helsehus korttid): the line is that unit's.
            group = (goal["group_type"], goal["group_id"]) if goal else ("community", "all")
            expected.append(expected_line(kpi, table[(*group, sector, kpi)], goal))
    assert goals[(6, "alle")]["group_id"] == "Øya helsehus korttid"
    assert "(Øya" in first  # the label says whose figures they are
    actual = first_page_lines(first)
    assert len(actual) == len(expected) == 11
    for got, want in zip(actual, expected, strict=True):
        assert got[:len(want)] == want  # a line without a goal ends with its status words
    assert "grønn – ingen avvik" in first and "rød – kritiske avvik" in first  # the guide


def test_each_municipality_line_equals_flyt_kpi_and_every_region_has_a_page(loaded, tmp_path):
    out = tmp_path / "m.pdf"
    run("report", "monthly", "--month", MONTH, "--cutoff", CUTOFF, "--output", str(out),
        "--db", loaded)
    pages = pdf_pages(out)
    regions = [p for p in pages if re.search(r"^Region ", p, re.M)]
    assert len(regions) == 6  # the community's regions (reference data)
    assert len(pages) == 2 + len(regions) + 1  # status, trends, regions, completeness
    table = kpi_table(loaded, "--suppress")
    text = "\n".join(regions)
    checked = 0
    population = {m["kommunenummer"]: int(m["population_approx"]) for m in csv.DictReader(
        io.StringIO(run("reference", "show", "municipalities", "--db", loaded)))}

    def value(row: dict, part: str, kpi: int) -> str:
        hidden = row["suppressed" if part == "value" else "suppressed_12m"] == "true"
        return ":" if hidden else shown(kpi, row[part])

    for (group_type, code, sector, kpi), row in table.items():
        if group_type != "municipality" or sector != "alle" or kpi != 1:
            continue
        line = next(line for line in text.splitlines() if f"({code})" in line)
        rate = (":" if row["suppressed_12m"] == "true" else
                i18n.number(int(row["value_12m"]) * 1000 / population[code], 1))
        words = [value(row, "value", 1), value(row, "value_12m", 1), rate] + [
            value(table[("municipality", code, "alle", k)], "value_12m", k) for k in (2, 3, 4, 5)]
        assert f") {i18n.number(population[code])} {' '.join(words)}" in line, (code, line)
        checked += 1
    assert checked == 20


def test_a_municipality_edition_shows_its_own_figures_exact(loaded, tmp_path):
    exact = kpi_table(loaded)
    small = next(code for (gt, code, sector, kpi), row in kpi_table(loaded, "--suppress").items()
                 if gt == "municipality" and sector == "alle" and kpi == 1
                 and row["suppressed"] == "true" and exact[(gt, code, sector, kpi)]["value"])
    out = tmp_path / "own.pdf"
    run("report", "monthly", "--month", MONTH, "--cutoff", CUTOFF, "--for-municipality", small,
        "--output", str(out), "--db", loaded)
    text = "\n".join(p for p in pdf_pages(out) if re.search(r"^Region ", p, re.M))
    line = next(line for line in text.splitlines() if f"({small}) " in line)
    assert shown(1, exact[("municipality", small, "alle", 1)]["value"]) in line.split()
    assert "skjult" not in line


def test_the_workbook_holds_the_same_numbers(exact, loaded, tmp_path):
    out = tmp_path / "m.xlsx"
    run("report", "monthly", "--month", MONTH, "--cutoff", CUTOFF, "--format", "xlsx",
        "--output", str(out), "--db", loaded)
    # (numbers as numbers; a hidden value is the mark ":", no value an empty cell)
    book = openpyxl.load_workbook(out)
    table = kpi_table(loaded, "--suppress")
    goals = goals_json(loaded)
    overview = list(book.worksheets[0].iter_rows(min_row=4, values_only=True))
    for kpi, _, sector, value, value_12m, *_ in overview:
        code = {"somatikk": "somatikk", "psykisk helsevern": "psykisk_helsevern",
                "alle": "alle"}[sector]
        goal = goals.get((kpi, code))
        group = (goal["group_type"], goal["group_id"]) if goal else ("community", "all")
        row = table[(*group, code, kpi)]
        for got, part, flag in ((value, "value", "suppressed"),
                                (value_12m, "value_12m", "suppressed_12m")):
            want = ":" if row[flag] == "true" else float(row[part]) if row[part] else None
            assert got == want, (kpi, sector, part)
    assert len(overview) == 11


def test_english_on_request(loaded, tmp_path):
    out = tmp_path / "en.html"
    run("report", "monthly", "--month", MONTH, "--cutoff", CUTOFF, "--format", "html",
        "--lang", "en", "--output", str(out), "--db", loaded)
    page = out.read_text(encoding="utf-8")
    assert "<title>UKP report March 2024</title>" in page and "Data as of 2024-05-20" in page


def test_pdf_and_xlsx_need_an_output_file_and_an_unknown_municipality_is_refused(loaded):
    result = CliRunner().invoke(cli, ["report", "monthly", "--month", MONTH, "--db", loaded])
    assert result.exit_code == 2 and "--format pdf needs --output FILE" in result.output
    result = CliRunner().invoke(cli, ["report", "monthly", "--month", MONTH, "--format", "html",
                                      "--for-municipality", "9999", "--db", loaded])
    assert result.exit_code == 1 and "unknown municipality 9999" in result.output
    assert "Traceback" not in result.output


def test_the_pages_keep_within_their_margins_and_the_status_colours_show(exact, loaded,
                                                                         tmp_path):
    """Rendered to pixels: nothing in the right margin of any page (a table or chart too
    wide would be cut or run over), and the first page carries the status colours."""
    import pypdfium2

    out = tmp_path / "m.pdf"
    run("report", "monthly", "--month", MONTH, "--cutoff", CUTOFF, "--output", str(out),
        "--db", loaded)
    document = pypdfium2.PdfDocument(out)
    for number, page in enumerate(document):
        image = page.render(scale=1).to_pil().convert("RGB")
        width, height = image.size
        margin = image.crop((width - 25, 0, width, height - 60))  # 25 pt of the 34 pt margin
        assert margin.getextrema() == ((255, 255), (255, 255), (255, 255)), number
        if number == 0:
            colours = set(image.getdata())
            assert {(198, 40, 40), (46, 125, 50)} & colours  # red or green status label
