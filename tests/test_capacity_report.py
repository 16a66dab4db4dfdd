"""The weekly capacity report (``flyt report capacity``; docs/capacity.md, "The weekly
capacity report") on both engines: each part's values as ``overview.build`` gives them,
the PDF, the XLSX as text, the shared edition's hidden census, English, clear errors, and
the schedule mailing it through a real SMTP server on loopback."""

from __future__ import annotations

import email
import email.policy
import io
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from pypdf import PdfReader

from flyt import i18n
from flyt.capacity import overview
from flyt.capacity import report as capacity_report
from flyt.capacity.escalation_settings import load_escalation_settings
from flyt.cli.main import cli
from flyt.store import schema
from flyt.store.db import Database
from tests.support.mail import pdf_attachment, smtp_server
from tests.test_capacity_commands import seed
from tests.test_capacity_escalation import short_term

AT = "2024-04-09T09:00"
MOMENT = datetime(2024, 4, 9, 9)
CAPACITY = ["beredskap@stolav.no", "leder@malvik.kommune.no"]


class Rows(HTMLParser):
    """Every table row of a document as the texts of its cells."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def rows(document: str) -> list[list[str]]:
    parser = Rows()
    parser.feed(document)
    return parser.rows


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def store(db) -> None:
    """tests/test_capacity_commands.py's 100 days (at 09.04.2024 08:00: two patients of
    5001, one of 5028; Øya helsehus 10 of 20 beds) and Malvik korttid (5031) 23 of 20."""
    seed(db)
    short_term(db, 23, 20, datetime(2024, 4, 9, 7, 30))


def html_of(db_url: str, *args: str) -> str:
    out = run("report", "capacity", "--at", AT, "--format", "html", "--db", db_url, *args)
    assert out.exit_code == 0, out.output
    return out.stdout


def test_each_part_shows_the_overviews_values(db, db_url):
    store(db)
    document = html_of(db_url)
    found = rows(document)
    assert "<h1>Kapasitetsrapport uke 15 2024</h1>" in document
    assert "Telling kl. 08: 09.04.2024 08:00" in document
    # The levels, computed at the last 08:00 census (none stored): the community and
    # Malvik at 4 for the short-term beds (23 of 20 = 115 % ≥ 110 %), the others 1.
    assert "Nivåene er beregnet for rapporten ved tellingen 09.04.2024 08:00" in document
    why = "Belegg korttid 115,0 % (terskel 110,0 %)"
    assert ["Helsefellesskapet", "4 kritisk", "09.04.2024 08:00", "3", why] in found
    assert ["5031 Malvik", "4 kritisk", "09.04.2024 08:00", "0", why] in found
    assert ["5001 Trondheim", "1 normal", "09.04.2024 08:00", ":", ""] in found
    assert ["5028 Melhus", "1 normal", "09.04.2024 08:00", ":", ""] in found
    assert ["5020 Osen", "uten data", "–", "0", ""] in found
    # The forecast by week: the means of the overview's daily forecast over each ISO
    # week, from Wednesday 10.04 (week 15 has five days left).
    made = overview.build(db, MOMENT).series.forecast
    assert made is not None
    week15 = made.loc["2024-04-10":"2024-04-14"]
    assert ["Uke 15", "10.04.2024 – 14.04.2024", *(i18n.number(week15[c].mean(), 1)
                                                   for c in ("mean", "lower", "upper"))] in found
    week16 = made.loc["2024-04-15":"2024-04-21"]
    assert ["Uke 16", "15.04.2024 – 21.04.2024", *(i18n.number(week16[c].mean(), 1)
                                                   for c in ("mean", "lower", "upper"))] in found
    assert sum(r[0].startswith("Uke ") and "–" in r[1] for r in found) == 9  # 56 days
    assert "<svg" in document and "i dag" in document
    # The units: their latest counts, and Øya helsehus's forecast peak (10 every day).
    unit = overview.build(db, MOMENT, ("unit", "Øya helsehus")).series.forecast
    assert unit is not None
    peak = unit["mean"].idxmax()
    assert ["Øya helsehus etterbehandling", "5001 Trondheim", "09.04.2024 07:00", "10", "20",
            "50,0 %", i18n.number(unit["mean"].max(), 1), i18n.day(peak),
            i18n.number(unit.loc[peak, "upper"], 1)] in found
    assert ["Malvik korttid korttid", "5031 Malvik", "09.04.2024 07:30", "23", "20",
            "115,0 %", "–", "–", "–"] in found  # one count: too little for a forecast
    # Free short-term beds: Malvik's 20 less 23.
    assert ["5031 Malvik", "23", "20", "-3"] in found and ["I alt", "", "", "-3"] in found
    # The seasonal calendar: the influenza season under way (weeks 40–20), summer
    # (weeks 26–33 of 2024) with its meeting three weeks before the Monday it starts.
    seasons = {r[0]: r[1:4] for r in found if r and r[0].split(" ")[0] in (
        "Påske", "Sommer", "Jul", "Influensasesong")}
    assert seasons["Influensasesong 2023"] == ["02.10.2023", "19.05.2024", "på kort varsel"]
    assert seasons["Sommer 2024"] == ["24.06.2024", "18.08.2024", "03.06.2024"]
    assert seasons["Jul 2024"] == ["21.12.2024", "01.01.2025", "25.11.2024"]
    # The year ahead ends 09.04.2025, before Holy Week 2025 (14.04): no Easter.
    assert list(seasons) == ["Influensasesong 2023", "Sommer 2024", "Influensasesong 2024",
                             "Jul 2024"]


def test_stored_levels_of_the_last_day_are_used_and_older_ones_not(db, db_url):
    store(db)
    assert run("escalation", "--at", "2024-04-09T08:00", "--db", db_url).exit_code == 0
    with db.engine.begin() as conn:  # a stored level the report must show as it is
        conn.execute(sa.update(schema.escalation_levels)
                     .where(schema.escalation_levels.c.group_id == "5001").values(level=3))
    found = rows(html_of(db_url))
    assert ["5001 Trondheim", "3 høyt press", "09.04.2024 08:00", ":", ""] in found
    late = run("report", "capacity", "--at", "2024-04-10T08:30", "--format", "html",
               "--db", db_url)
    assert late.exit_code == 0, late.output  # 24 h 30 min after: computed anew
    assert "ved tellingen 10.04.2024 08:00" in late.stdout
    assert ["5001 Trondheim", "1 normal", "10.04.2024 08:00", ":", ""] in rows(late.stdout)


def test_the_pdf_renders_with_the_title_and_a_level(db, db_url, tmp_path):
    store(db)
    target = tmp_path / "kapasitet.pdf"
    out = run("report", "capacity", "--at", AT, "--output", str(target), "--db", db_url)
    assert out.exit_code == 0, out.output
    assert f"Skrev {target}" in out.stderr
    pages = PdfReader(io.BytesIO(target.read_bytes())).pages
    text = "\n".join(p.extract_text() for p in pages)
    assert "Kapasitetsrapport uke 15 2024" in text and "4 kritisk" in text
    assert "Ledige korttidsplasser per kommune" in text
    trondheim = [line for line in text.splitlines() if line.startswith("5001 Trondheim")]
    assert trondheim and all(" 2 " not in f" {line} " for line in trondheim)


def test_the_xlsx_is_text_safe_and_hides_the_small_census(db, db_url, tmp_path):
    store(db)
    with db.engine.begin() as conn:
        conn.execute(sa.insert(schema.units).values(name="=SUM(A1:A9)", kind="short_term",
                                                    owner="5031", beds_default=4))
    short_term_unit(db, "=SUM(A1:A9)", 1, 4, datetime(2024, 4, 9, 7, 0))
    target = tmp_path / "kapasitet.xlsx"
    out = run("report", "capacity", "--at", AT, "--format", "xlsx", "--output", str(target),
              "--db", db_url)
    assert out.exit_code == 0, out.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Nivåer", "Prognose per uke", "Enheter", "Ledige korttid",
                               "Sesonger"]
    units = book["Enheter"]
    cell = next(c for c in units["A"] if c.value == "=SUM(A1:A9)")
    assert cell.data_type == "s"  # text, not a formula
    levels = {r[0]: r for r in book["Nivåer"].iter_rows(min_row=4, values_only=True)}
    # Short-term beds now (23 + 1) of (20 + 4): 100 %, level 3.
    assert levels["Helsefellesskapet"][1:3] == (3, "høyt press")
    assert levels["Helsefellesskapet"][4] == 3
    assert levels["5001 Trondheim"][4] == ":" and levels["5028 Melhus"][4] == ":"
    assert levels["5031 Malvik"][1:] == (3, "høyt press", "09.04.2024 08:00", 0,
                                         "Belegg korttid 100,0\xa0% (terskel 100,0\xa0%)")
    free = {r[0]: r[1:] for r in book["Ledige korttid"].iter_rows(min_row=4, values_only=True)}
    assert free["5031 Malvik"] == (24, 24, 0)  # Malvik korttid 23/20 and the other 1/4
    assert all(not str(c.value).startswith("=") or c.data_type == "s"
               for sheet in book for row in sheet.iter_rows() for c in row if c.value)


def short_term_unit(db, unit: str, occupied: int, available: int, at: datetime) -> None:
    with db.engine.begin() as conn:
        conn.execute(sa.insert(schema.bed_census).values(
            source="default", unit=unit, counted_at=at, available=available,
            occupied=occupied, over_capacity=occupied > available, import_id=0))


def test_no_small_census_of_a_municipality_in_any_format(db, db_url, tmp_path):
    store(db)
    found = capacity_report.gather(db, MOMENT, 5, load_escalation_settings())
    assert found.overview.census["5001"] == 2 and found.overview.census["5028"] == 1
    assert found.hidden == {"5001", "5028"}
    for row in capacity_report.level_rows(found, "nb"):
        assert row["census"] in (":", 0) or row["community"], row
    shown = rows(capacity_report.to_html(found, "nb"))
    assert not [r for r in shown if r[:1] in (["5001 Trondheim"], ["5028 Melhus"])
                and r[3] != ":"]
    assert "«:»" in capacity_report.context(found, "nb")["rule"]


def test_english(db, db_url):
    store(db)
    document = html_of(db_url, "--lang", "en")
    assert "<h1>Capacity report week 15 2024</h1>" in document
    found = rows(document)
    assert ["The community", "4 critical", "2024-04-09 08:00", "3",
            "Short-term occupancy 115.0% (threshold 110.0%)"] in found
    assert "today" in document and "Summer 2024" in document


def test_clear_errors_and_nothing_written(db, db_url, tmp_path):
    bad = run("report", "capacity", "--at", "2024-13-40", "--db", db_url)
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    (error,) = [line for line in bad.output.splitlines() if line.startswith("Error")]
    assert "Invalid value for '--at'" in error
    target = tmp_path / "none.pdf"
    empty = run("report", "capacity", "--at", AT, "--output", str(target), "--db", db_url,
                "--lang", "en")
    assert empty.exit_code == 1 and not target.exists()
    assert empty.output == ("Error: The store has no census, escalation level or bed count "
                            "at 2024-04-09 09:00.\n")
    needs = run("report", "capacity", "--at", AT, "--format", "pdf", "--db", db_url)
    assert needs.exit_code == 2 and "--format pdf needs --output FILE" in needs.output


# --- the schedule mails it -------------------------------------------------------------


def configure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    config = tmp_path / "flyt.toml"
    config.write_text(f"""
[mail]
host = "127.0.0.1"
port = {port}
starttls = false
sender = "flyt@stolav.no"
timeout = 5

[distribution]
capacity = {CAPACITY!r}

[schedule]
capacity_time = "06:30"
retries = 0
retry_wait_seconds = 0
""".replace("'", '"'), encoding="utf-8")
    monkeypatch.setenv("FLYT_CONFIG", str(config))


def test_the_schedule_sends_the_capacity_report_on_monday(db, tmp_path, monkeypatch):
    seed(db)
    short_term(db, 23, 20, datetime(2024, 4, 7, 7, 30))  # before Sunday's 08:00 census
    url = db.engine.url.render_as_string(hide_password=False)
    with smtp_server() as (inbox, port):
        configure(tmp_path, monkeypatch, port)
        first = run("schedule", "run", "--once", "--now", "2024-04-08T06:35", "--db", url)
        again = run("schedule", "run", "--once", "--now", "2024-04-08T09:00", "--db", url)
    assert first.output == ("Sendt: kapasitetsrapport 2024-04-08T06:30, mottakere: 2 "
                            "(forsøk 1).\n")
    assert again.output == "Ingenting å sende nå.\n"
    assert [e.rcpt_tos for e in inbox.envelopes][-1] == CAPACITY
    message = email.message_from_bytes(inbox.envelopes[-1].content,
                                       policy=email.policy.default)
    assert message["Subject"] == "Kapasitetsrapport uke 15 2024"
    body = message.get_body(("html",)).get_content()
    assert ["5031 Malvik", "4 kritisk", "07.04.2024 08:00", "0",
            "Belegg korttid 115,0 % (terskel 110,0 %)"] in rows(body)
    name, kind, pdf = pdf_attachment(message)
    assert (name, kind) == ("flyt-kapasitetsrapport-2024-15.pdf", "application/pdf")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Kapasitetsrapport uke 15 2024" in text and "4 kritisk" in text
    sent = Database.open(url)
    try:
        from flyt.distribution.send_log import history

        assert [(r.kind, r.period, r.status) for r in history(sent)][0] == (
            "capacity", "2024-04-08T06:30", "sent")
    finally:
        sent.close()
