"""`flyt report simulation`: every number under its label is the run's, the changes in
words, the PDF renders, English, and clear refusals."""

from __future__ import annotations

import io
import re
from datetime import date

from click.testing import CliRunner
from pypdf import PdfReader

from flyt.cli.main import cli
from flyt.simulation import report, run
from flyt.simulation.scenario import parse
from flyt.store import reference
from tests.test_simulation_command import seed

SCENARIO = ('name = "Team"\n[[change]]\nmunicipality = "5001"\nukp_wait = -0.5\n'
            'from = "2024-01-01"\nto = "2024-01-31"\n')


def made(db):
    seed(db)
    chosen = parse(SCENARIO, {m.code for m in reference.municipalities(db)},
                   reference.unit_kinds(db))
    result = run.simulate(db, date(2024, 1, 1), date(2024, 2, 29), 40, 3, chosen)
    names = {m.code: m.name for m in reference.municipalities(db)}
    return result, names


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_each_cell_is_the_runs_row_under_its_label(db):
    result, names = made(db)
    shown = report.context(result, names, "nb")
    assert shown["changes"] == ["5001 Trondheim: ventetid som UKP -50,0\u00a0% "
                                "(01.01.2024–31.01.2024)"]
    assert [s["measure"] for s in shown["sections"]] == [
        "kpi1", "kpi2", "kpi3", "kpi6", "payment", "payment_rising"]
    kpi3 = next(s for s in shown["sections"] if s["measure"] == "kpi3")
    community = kpi3["lines"][0]
    assert community["group"] == "Hele helsefellesskapet" and community["community"]
    rows = {(r.run, r.group_type, r.group_id, r.measure): r for r in result.rows}
    for cell, run_name in zip(community["cells"], ("baseline", "scenario", "difference"),
                              strict=True):
        row = rows[(run_name, "community", "all", "kpi3")]
        sign = "+" if run_name == "difference" and row.lower > 0 else ""
        mean = f"{row.mean:.2f}".replace(".", ",")
        assert cell["mean"].lstrip("+") == mean
        assert cell["interval"] == (f"[{sign}{row.lower:.2f}; ".replace(".", ",")
                                    + f"{'+' if run_name == 'difference' and row.upper > 0 else ''}"
                                    + f"{row.upper:.2f}]".replace(".", ","))
    municipal = {s["measure"]: s for s in shown["municipal"]}
    trondheim = next(line for line in municipal["kpi1"]["lines"]
                     if line["group"] == "5001 Trondheim")
    assert trondheim["cells"][0]["mean"] == (
        f"{rows[('baseline', 'municipality', '5001', 'kpi1')].mean:.1f}".replace(".", ","))


def test_no_value_is_a_dash_not_zero(db):
    result, names = made(db)
    kpi6 = next(s for s in report.context(result, names, "nb")["sections"]
                if s["measure"] == "kpi6")
    assert kpi6["lines"][0]["cells"][0] == {"mean": "–", "interval": ""}


def test_pdf_and_english_html(db, db_url, tmp_path):
    seed(db)
    db.close()
    scenario = tmp_path / "s.toml"
    scenario.write_text(SCENARIO)
    target = tmp_path / "r.pdf"
    args = ["report", "simulation", "--from", "2024-01-01", "--to", "2024-02-29",
            "--replications", "30", "--scenario", str(scenario), "--db", db_url]
    result = CliRunner().invoke(cli, [*args, "--output", str(target)])
    assert result.exit_code == 0, result.output
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(
        target.read_bytes())).pages)
    assert "Hva om: Team" in pdf_text and "Antall UKP-døgn (KPI 1)" in pdf_text
    english = CliRunner().invoke(cli, [*args, "--format", "html", "--lang", "en"])
    assert english.exit_code == 0, english.output
    words = text_of(english.stdout)
    assert "What if: Team" in words and "UKP days (KPI 1)" in words
    assert "5001 Trondheim: wait as UKP -50.0% (2024-01-01–2024-01-31)" in words  # en: ISO


def test_pdf_without_output_and_no_period_are_refused(db_url):
    result = CliRunner().invoke(cli, ["report", "simulation", "--from", "2024-01-01",
                                      "--to", "2024-01-31", "--db", db_url])
    assert result.exit_code == 2 and "--output" in result.output
    result = CliRunner().invoke(cli, ["report", "simulation", "--format", "html",
                                      "--db", db_url])
    assert result.exit_code == 1 and "--from" in result.output
