"""The annual report of deviations as HTML and PDF (flyt.deviations.annual), on DuckDB
and PostgreSQL: every count shown is a row of report.rows, the share and the trend are
worked out by hand from the seed of tests/test_deviations_report.py (2024: A B C D
counted, E avvist; 2023: F alone, annet / dod / 5001 -> stolav)."""

from __future__ import annotations

from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from flyt.cli.main import cli
from flyt.deviations import annual
from flyt.deviations.report import Period, rows
from flyt.domain import clock
from tests.test_deviations_report import YEAR_2024, seed

MADE = datetime(2024, 12, 10, 10, 0, 0)


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: MADE)


class Cells(HTMLParser):
    """The text of every element that names a row of the long table."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []
        self._open: tuple[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if "data-dimension" in named:
            self._open = (str(named["data-dimension"]), str(named["data-value"]))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.found.append((*self._open, data.strip()))
            self._open = None


def shown_counts(document: str) -> list[tuple[str, str, int]]:
    parser = Cells()
    parser.feed(document)
    return [(d, v, int(text.replace("\u00a0", "").replace(",", "")))
            for d, v, text in parser.found]


def invoke(*args: str):
    return CliRunner().invoke(cli, ["report", "deviations", *args])


def test_every_count_in_the_html_is_a_row_of_the_table_or_a_zero_where_it_has_none(db, at):
    seed(db)
    document = annual.to_html(db, 2024)
    shown = shown_counts(document)
    table = {(r["dimension"], r["value"]): r["count"] for r in rows(db, 2024)}
    assert set(table) == {(d, v) for d, v, _ in YEAR_2024}  # the hand-made counts
    for dimension, value, count in shown:
        assert count == table.get((dimension, value), 0), (dimension, value)
    # Every row is shown, each once (the total and the status rows too).
    assert sorted((d, v) for d, v, c in shown if c) == sorted(table)
    assert len({(d, v) for d, v, _ in shown}) == len(shown)


def test_the_report_shows_shares_the_previous_year_and_the_change(db, at):
    seed(db)
    document = annual.to_html(db, 2024)
    # utskrivning: 2 of 4 counted deviations; the year before had only F (annet).
    assert "<td>50,0\u00a0%</td>" in document
    assert "Forrige periode (2023)" in document
    assert "4 avvik i perioden mot 1 i 2023: +3 (+300,0\u00a0%)." in document
    # annet is shown with 0 this year beside last year's 1.
    assert ("category", "annet", 0) in shown_counts(document)
    assert "Ingen læringspunkter er knyttet til avvik som skjedde i perioden." in document
    assert "Syntetisk avvik" not in document  # no free text of the deviations


def test_a_tertial_is_compared_with_the_same_tertial_of_the_year_before():
    assert annual.previous_period(Period(2024, 1)) == Period(2023, 1)
    assert annual.previous_period(Period(2024, 3)) == Period(2023, 3)
    assert annual.previous_period(Period(2024)) == Period(2023)
    assert annual.previous_period(Period(1900)) is None
    assert annual.previous_period(Period(1900, 2)) is None


def test_an_empty_year_says_there_were_no_deviations(db, at):
    seed(db)
    document = annual.to_html(db, 2022)
    assert "Ingen samhandlingsavvik i perioden." in document
    assert "Flyt har ingen avvik fra forrige periode (2021)" in document
    assert shown_counts(document) == []


def test_the_pdf_renders_a_few_pages_that_hold_the_title_and_the_total(db, db_url, at,
                                                                        tmp_path: Path):
    import pypdfium2

    seed(db)
    target = tmp_path / "avvik.pdf"
    result = invoke("--year", "2024", "--format", "pdf", "--output", str(target),
                    "--db", db_url)
    assert result.exit_code == 0, result.output
    document = pypdfium2.PdfDocument(target)
    assert 2 <= len(document) <= 6
    first = document[0].get_textpage().get_text_range()
    assert "Samhandlingsavvik – årsrapport 2024" in first
    assert "Avvik i perioden" in first
    assert "4 avvik i perioden mot 1 i 2023" in first


def test_the_html_in_english_uses_english_labels(db, db_url, at):
    seed(db)
    result = invoke("--year", "2024", "--tertial", "2", "--format", "html", "--lang", "en",
                    "--db", db_url)
    assert result.exit_code == 0, result.output
    document = result.stdout
    assert "Collaboration deviations – tertial 2 2024" in document
    assert "Discharge" in document and "Minor harm" in document
    assert "Rejected" in document and "Utskrivning" not in document
    # T2 is compared with T2 of 2023, when the store has nothing: no trend, no zeros.
    assert ("Flyt holds no deviations from the previous period (2023-T2), so the report "
            "shows no trend.") in document
    assert "Previous period (2023-T2)" not in document


def test_a_pdf_without_output_is_refused_in_one_line_before_the_store_is_opened(
        tmp_path: Path):
    store = tmp_path / "flyt.duckdb"
    result = invoke("--year", "2024", "--format", "pdf", "--db", str(store))
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        "Error: --format pdf skriver en fil: oppgi den med --output FIL."]
    assert not store.exists()


# The report's timeliness, problem areas and organisation pairs, from the seed of
# tests/test_deviations_timeliness.py (every figure worked out by hand there and below).

class Marked(HTMLParser):
    """The text of every element marked with `attribute`."""

    def __init__(self, attribute: str) -> None:
        super().__init__()
        self.attribute = attribute
        self.found: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if self.attribute in named:
            self._open = str(named[self.attribute])

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.found[self._open] = data.strip()
            self._open = None


def marked(document: str, attribute: str) -> dict[str, str]:
    parser = Marked(attribute)
    parser.feed(document)
    return parser.found


def seed_with_the_year_before(db, monkeypatch: pytest.MonkeyPatch) -> None:
    """The timeliness seed, and one deviation of 2023: 5001 -> stolav, utskrivning."""
    from tests.test_deviations_timeliness import Clock, create, new
    from tests.test_deviations_timeliness import seed as timed_seed

    at = Clock(monkeypatch)
    timed_seed(db, at)
    create(db, at, datetime(2023, 5, 2, 8), new("5001", "stolav", datetime(2023, 5, 2).date(),
                                                "utskrivning", "ingen_skade"))
    at(TIMED_MADE)


TIMED_MADE = datetime(2025, 1, 15, 10, 0)


def test_the_report_shows_the_times_and_shares_worked_out_by_hand(db, monkeypatch):
    seed_with_the_year_before(db, monkeypatch)
    document = annual.to_html(db, 2024, made=TIMED_MADE)
    figures = marked(document, "data-figure")
    assert figures["acknowledged"] == "6"
    assert figures["acknowledge_median"] == "3,5"
    assert figures["acknowledge_p90"] == "16,0"
    assert figures["acknowledge_share"] == "66,7\u00a0% (4/6)"
    assert figures["answered"] == "3"
    assert figures["answer_median"] == "31,0"
    assert figures["answer_p90"] == "53,4"
    assert figures["answer_share"] == "25,0\u00a0% (1/4)"
    assert (figures["open_at_end"], figures["overdue"]) == ("4", "2")
    assert (figures["overdue_acknowledge"], figures["overdue_answer"]) == ("1", "1")
    assert "Mottatt innen fristen på 5 arbeidsdager" in document
    assert "Åpne avvik ved periodens slutt (01.01.2025 00:00)" in document
    assert "Importerte avvik (1)" in document


def test_the_report_ranks_problem_areas_and_pairs_against_the_year_before(db, monkeypatch):
    seed_with_the_year_before(db, monkeypatch)
    document = annual.to_html(db, 2024, made=TIMED_MADE)
    # A, H and G are utskrivning from a municipality to the hospital; the rest one each,
    # in the taxonomy's order (meldinger before utskrivning before legemidler), then by
    # direction (sykehus->kommune before kommune->fastlege); F is avvist.
    assert list(marked(document, "data-area").items()) == [
        ("utskrivning||kommune->sykehus", "3"), ("meldinger||sykehus->kommune", "1"),
        ("meldinger||kommune->fastlege", "1"), ("utskrivning|epikrise|kommune->sykehus", "1"),
        ("legemidler||fastlege->sykehus", "1")]
    # Pairs: 5001 -> stolav 3; ties by the reporter's place in organisations.csv.
    assert list(marked(document, "data-pair").items()) == [
        ("5001|stolav", "3"), ("stolav|5001", "1"), ("5001|fastlege-5001", "1"),
        ("5031|stolav", "1"), ("fastlege-5001|stolav", "1")]
    # 2023 had one utskrivning 5001 -> stolav: +2 there, +1 for the others (0 then).
    assert ">Utskrivning – epikrise</td>" in document
    found = annual.gather(db, 2024, made=TIMED_MADE)
    assert [(a.count, a.previous) for a in found.areas] == [(3, 1), (1, 0), (1, 0), (1, 0),
                                                           (1, 0)]
    assert "<td>+2</td>" in document


def test_problem_areas_without_a_year_before_show_no_invented_zeros(db, monkeypatch):
    seed_with_the_year_before(db, monkeypatch)
    found = annual.gather(db, 2024, 2, made=TIMED_MADE)  # 2023-T2 has the 2023 one
    # G (imported, May) alone in 2024-T2; the 2023 one is the same area and pair.
    assert [(a.count, a.previous) for a in found.areas] == [(1, 1)]
    found = annual.gather(db, 2024, 1, made=TIMED_MADE)  # 2023-T1 has none
    assert found.before_table is None
    assert {a.previous for a in found.areas} == {None}
    document = annual.render(found, "nb")
    assert "<td>–</td>" in document and "<td>+" not in document


def test_the_month_table_shows_last_year_s_month_beside_this_year_s(db, monkeypatch):
    seed_with_the_year_before(db, monkeypatch)
    document = annual.to_html(db, 2024, 2, made=TIMED_MADE)
    # 2024-T2: G in May; 2023-T2: one in May. The row of 2023-T2 lists May to August.
    assert '<tr><th scope="row">2023-T2</th><td>1</td><td>0</td><td>0</td><td>0</td></tr>' \
        in document


def test_no_free_text_of_a_deviation_appears_in_the_html_or_the_pdf(db, db_url, monkeypatch,
                                                                    tmp_path: Path):
    import pypdfium2

    from tests.test_deviations_timeliness import SECRET

    seed_with_the_year_before(db, monkeypatch)
    target = tmp_path / "avvik.pdf"
    assert invoke("--year", "2024", "--format", "pdf", "--output", str(target),
                  "--db", db_url).exit_code == 0
    html = invoke("--year", "2024", "--format", "html", "--db", db_url).stdout
    pdf = pypdfium2.PdfDocument(target)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Største problemområder" in text and "Tid til mottak og svar" in text
    for document in (html, text):
        assert SECRET not in document
        assert "Svar" + "<" not in document and "Ikke vårt" not in document


def test_the_report_lists_the_period_s_learning_points_with_their_measures(db, at):
    """One learning point linked to A (2024) and F (2023), one linked to F alone: the
    2024 report shows the first with its two measures (owner by name, due day, status
    in words) and counts the measures by status; the second is 2023's."""
    from datetime import date

    from flyt.accounts import User
    from flyt.deviations import learning, records
    from flyt.deviations.access import visible_to

    seed(db)
    group = User("fg", "improvement")
    occurred = {records.get(db, i).occurred_at: i for i in visible_to(db, group)}
    a, f = occurred[datetime(2024, 3, 15, 14, 30)], occurred[datetime(2023, 12, 31, 22, 0)]
    point = learning.create(db, group, learning.Draft(
        "Legemiddellister ved utskrivning", "Sjekkliste innført", [a, f]))
    learning.add_measure(db, group, point.id, learning.MeasureDraft(
        "Felles sjekkliste for utskrivning", "stolav", None, date(2025, 3, 1), "pagar"))
    learning.add_measure(db, group, point.id, learning.MeasureDraft(
        "Opplæring i kommunene", "5001", "Kari (rådgiver)", None, "planlagt"))
    learning.create(db, group, learning.Draft("Bare 2023", None, [f]))
    document = annual.to_html(db, 2024)
    assert "Legemiddellister ved utskrivning" in document and "Bare 2023" not in document
    assert "Felles sjekkliste for utskrivning" in document and "01.03.2025" in document
    assert "St. Olavs hospital HF" in document and "Trondheim kommune" in document
    assert "pågår" in document and "planlagt" in document
    assert "Kari" not in document  # the owner person stays out of the report
    found = annual.as_json(annual.gather(db, 2024))["learning"]
    assert found["by_status"] == {"planlagt": 1, "pagar": 1, "gjennomfort": 0, "forkastet": 0}
    assert [(p["title"], p["deviation_ids"]) for p in found["points"]] == [
        ("Legemiddellister ved utskrivning", [a])]
    empty = annual.to_html(db, 2022)
    assert "Ingen læringspunkter er knyttet til avvik som skjedde i perioden." in empty
