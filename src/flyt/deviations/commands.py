"""``flyt deviations import`` and ``flyt deviations export``, and ``flyt report deviations``
(the annual report: its long table as CSV or XLSX, the document for people as PDF or
HTML, flyt.deviations.annual) (docs/deviations.md)."""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from flyt import i18n
from flyt.cli.common import MOMENT, Context, db_option, user_errors
from flyt.deviations import report as numbers

if TYPE_CHECKING:
    from flyt.store.db import Database

DEFAULT_SOURCE = "import"


@click.group(name="deviations")
def deviations() -> None:
    """Samhandlingsavvik: import an organisation's list, export every deviation."""


@deviations.command(name="import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--source", default=DEFAULT_SOURCE, show_default=True,
              help="The system the list comes from; rows are keyed by it and source_id.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@db_option
@user_errors
def import_command(file: Path, source: str, fmt: str, db_url: str | None) -> None:
    """Import FILE (CSV or XLSX) all or nothing; every bad row is listed."""
    from flyt.deviations import importing
    from flyt.i18n import t
    from flyt.ingest.errors import InputError
    from flyt.ingest.sources import checked_source

    try:
        outcome = importing.import_file(Context(db_url).db, file, checked_source(source))
    except InputError as bad:
        if fmt == "json":
            click.echo(json.dumps({"file": file.name, "status": "rejected",
                                   "message": bad.message}, ensure_ascii=False))
            sys.exit(1)
        raise click.ClickException(f"{file.name}: {bad.message}") from None
    if fmt == "json":
        click.echo(json.dumps(outcome.as_dict(), ensure_ascii=False, indent=1))
    else:
        for line in importing.lines(outcome):
            click.echo(line, err=not outcome.accepted)
    if not outcome.accepted:
        click.echo(t("devio_rejected", "en").format(file=outcome.file_name,
                                                    count=len(outcome.errors)), err=True)
        sys.exit(1)


@deviations.command(name="export")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), required=True)
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The file to write (default: standard output; XLSX needs a file or a pipe).")
@db_option
@user_errors
def export_command(fmt: str, output: Path | None, db_url: str | None) -> None:
    """Every deviation with its receivers and current status, in the import's columns."""
    from flyt.accounts import audit
    from flyt.deviations import exporting

    db = Context(db_url).db
    count = exporting.export(db, fmt, output, sys.stdout)
    audit.record_as(db, None, "deviation.export", fmt, f"{count} rows (command line)")
    click.echo(f"{count} deviations exported", err=True)


_YEAR = re.compile(r"^\d{4}$")


def parse_year(text: str, lang: str) -> int:
    """A four-digit year within the report's range, or a one-line refusal."""
    given = text.strip()
    if not _YEAR.match(given) or not numbers.FIRST_YEAR <= int(given) <= numbers.LAST_YEAR:
        raise click.ClickException(i18n.t("devrep_bad_year", lang).format(
            value=given, first=numbers.FIRST_YEAR, last=numbers.LAST_YEAR))
    return int(given)


def parse_tertial(text: str | None, lang: str) -> int | None:
    """1, 2 or 3 (None: the whole year), or a one-line refusal."""
    if text is None:
        return None
    given = text.strip()
    if given not in {str(t) for t in numbers.TERTIALS}:
        raise click.ClickException(i18n.t("devrep_bad_tertial", lang).format(value=given))
    return int(given)


@click.command(name="deviations")  # flyt report deviations
@click.option("--year", required=True, metavar="YYYY", help="The year the deviations "
              "occurred in.")
@click.option("--tertial", metavar="1|2|3", help="Only this tertial: 1 January–April, "
              "2 May–August, 3 September–December.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf", "html"]),
              default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (needed for xlsx and pdf; csv and html go to standard "
              "output without it).")
@click.option("--lang", type=click.Choice(i18n.LANGS), default="nb", show_default=True,
              help="Language of the messages and of the PDF/HTML report.")
@db_option
@user_errors
def report_deviations(year: str, tertial: str | None, fmt: str, output: Path | None,
                      lang: str, db_url: str | None) -> None:
    """Deviations (samhandlingsavvik) counted by category, severity, level, direction,
    organisation, month, weekday, hour and status: year,period,dimension,value,count
    (csv, xlsx), or the annual report for people with charts and the trend (pdf, html)."""
    chosen_year, chosen_tertial = parse_year(year, lang), parse_tertial(tertial, lang)
    if fmt in ("xlsx", "pdf") and output is None:
        raise click.ClickException(i18n.t("devrep_needs_output", lang).format(format=fmt))
    if fmt in ("pdf", "html"):
        _write_document(Context(db_url).db, chosen_year, chosen_tertial, fmt, output, lang)
        return
    from flyt.output import writers  # pyarrow and openpyxl: only when a table is written

    table = numbers.rows(Context(db_url).db, chosen_year, chosen_tertial)
    writers.write(table, numbers.COLUMNS, fmt, output, sys.stdout)
    if output is not None:
        click.echo(i18n.t("devrep_wrote", lang).format(path=output, rows=len(table)),
                   err=True)


def _write_document(db: Database, year: int, tertial: int | None, fmt: str,
                    output: Path | None, lang: str) -> None:
    """The annual report as HTML (standard output without --output) or PDF."""
    import threading

    from flyt.deviations import annual
    from flyt.output import documents

    warming = threading.Thread(target=annual.warm_up, args=(fmt == "pdf",), daemon=True)
    warming.start()  # beside the counting: see annual.warm_up
    document = annual.to_html(db, year, tertial, lang)
    warming.join()
    if output is None:
        click.echo(document)
        return
    data = (documents.pdf(document) if fmt == "pdf" else document.encode("utf-8"))
    output.write_bytes(data)
    click.echo(i18n.t("devann_wrote", lang).format(path=output, size=i18n.number(
        len(data), 0, lang)), err=True)


@deviations.command(name="remind")
@click.option("--at", "at", type=MOMENT, default=None,
              help="Judge the deadlines on this day (Oslo time; default: now).")
@click.option("--dry-run", is_flag=True, help="Say what would be closed and mailed; "
              "change and send nothing.")
@db_option
@user_errors
def remind_command(at: datetime | None, dry_run: bool, db_url: str | None) -> None:
    """Close answered deviations whose close day has come, remind receivers of overdue
    steps (once each) and mail each organisation its daily digest."""
    from flyt.deviations import reminders

    result = reminders.remind(Context(db_url).db, at, dry_run=dry_run)
    for line in result.lines or [i18n.t("devrem_nothing", result.lang)]:
        click.echo(line)
    if result.failures:
        sys.exit(1)
